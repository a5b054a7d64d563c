from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("", views.give, name="give"),
    path("thank-you/", views.thanks, name="thanks"),
    path("you-said-we-did/", views.you_said_we_did, name="you_said_we_did"),
]
