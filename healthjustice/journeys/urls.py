from django.urls import path

from . import views

app_name = "journeys"

urlpatterns = [
    path("new/<uuid:person_id>/", views.open_episode, name="open"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/move/", views.move, name="move"),
    path("<uuid:public_id>/criminal-justice/", views.cj_context_edit, name="cj_context"),
    path("<uuid:public_id>/reopen/", views.reopen, name="reopen"),
    path("<uuid:public_id>/custody-clock/", views.custody_clock, name="custody_clock"),
    path("<uuid:public_id>/take/", views.take, name="take"),
    path("<uuid:public_id>/assign/", views.assign, name="assign"),
]
