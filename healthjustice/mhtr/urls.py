from django.urls import path

from . import measure_views, psr_views, referral_views, settings_views, views

app_name = "mhtr"

urlpatterns = [
    path("episodes/<uuid:public_id>/refer/", views.refer, name="refer"),
    path("people/<uuid:person_id>/refer/", referral_views.refer_person, name="refer_person"),
    path("teams/settings/", settings_views.teams, name="team_settings"),
    path(
        "teams/<uuid:public_id>/settings/",
        settings_views.team_settings_edit,
        name="team_settings_edit",
    ),
    path("episodes/<uuid:public_id>/suitability/", views.suitability, name="suitability"),
    path("episodes/<uuid:public_id>/order/", views.order, name="order"),
    path("episodes/<uuid:public_id>/no-order/", views.no_order, name="no_order"),
    path("episodes/<uuid:public_id>/psr-due/", psr_views.psr_due, name="psr_due"),
    path("episodes/<uuid:public_id>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<uuid:public_id>/outcome/", views.session_outcome, name="session_outcome"),
    path("notices/<uuid:public_id>/sent/", views.notice_send, name="notice_send"),
    path(
        "notices/<uuid:public_id>/probation/",
        views.probation_response,
        name="probation_response",
    ),
    path("episodes/<uuid:public_id>/measures/", measure_views.trajectory, name="measures"),
    path(
        "episodes/<uuid:public_id>/measures/assessment/",
        measure_views.measures_assessment,
        name="measures_assessment",
    ),
    path(
        "episodes/<uuid:public_id>/measures/end/", measure_views.measures_end, name="measures_end"
    ),
    path(
        "sessions/<uuid:public_id>/measures/",
        measure_views.measures_session,
        name="measures_session",
    ),
]
