from django.urls import path

from . import views

app_name = "screening"

urlpatterns = [
    path("episode/<uuid:episode_id>/", views.episode_overview, name="episode"),
    path("episode/<uuid:episode_id>/record/", views.screening_record, name="record"),
    path(
        "episode/<uuid:episode_id>/questionnaires/",
        views.instrument_choose,
        name="instrument_choose",
    ),
    path(
        "episode/<uuid:episode_id>/questionnaires/<slug:code>/",
        views.instrument_administer,
        name="instrument_administer",
    ),
    path(
        "episode/<uuid:episode_id>/questionnaires/<slug:code>/history/",
        views.instrument_history,
        name="instrument_history",
    ),
    path(
        "episode/<uuid:episode_id>/licensed-tools/",
        views.external_record,
        name="external_record",
    ),
    path("episode/<uuid:episode_id>/alerts/raise/", views.alert_raise, name="alert_raise"),
    path("results/<uuid:public_id>/", views.administration_detail, name="administration"),
    path(
        "alerts/<uuid:public_id>/acknowledge/",
        views.alert_acknowledge,
        name="alert_acknowledge",
    ),
]
