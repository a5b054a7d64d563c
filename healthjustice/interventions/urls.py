from django.urls import path

from . import views

app_name = "interventions"

urlpatterns = [
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("episodes/<uuid:public_id>/new/", views.referral_create, name="referral_create"),
    path("episodes/<uuid:public_id>/close/", views.episode_close, name="episode_close"),
    path("<uuid:public_id>/outcome/", views.referral_outcome, name="referral_outcome"),
    path("<uuid:public_id>/follow-up-done/", views.follow_up_done, name="follow_up_done"),
]
