from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.home, name="home"),
    path("upload/", views.upload, name="upload"),
    path("<uuid:public_id>/", views.list_page, name="list"),
    path("rows/<uuid:public_id>/take-on/", views.take_on, name="take_on"),
]
