from django.urls import path

from . import settings_views, views

app_name = "reconnect"

urlpatterns = [
    path("people/<uuid:person_id>/refer/", views.refer, name="refer"),
    path("teams/settings/", settings_views.teams, name="team_settings"),
    path(
        "teams/<uuid:public_id>/settings/",
        settings_views.team_settings_edit,
        name="team_settings_edit",
    ),
    path("episodes/<uuid:public_id>/refer/", views.refer_from_ld, name="refer_from_ld"),
    path("episodes/<uuid:public_id>/eligibility/", views.eligibility, name="eligibility"),
    path(
        "episodes/<uuid:public_id>/release-details/",
        views.release_details,
        name="release_details",
    ),
    path("episodes/<uuid:public_id>/pre-release/", views.pre_release, name="pre_release"),
    path("episodes/<uuid:public_id>/release/", views.release, name="release"),
    path("episodes/<uuid:public_id>/contacts/new/", views.contact, name="contact"),
    path("episodes/<uuid:public_id>/gate-meet/", views.gate_meet, name="gate_meet"),
    path("episodes/<uuid:public_id>/support-plan/new/", views.plan_need, name="plan_need"),
    path("episodes/<uuid:public_id>/post-release/", views.post_release, name="post_release"),
    path("episodes/<uuid:public_id>/extension/", views.extension, name="extension"),
    path("episodes/<uuid:public_id>/recall/", views.recall, name="recall"),
    path("episodes/<uuid:public_id>/handovers/new/", views.handover, name="handover"),
    path("handovers/<uuid:public_id>/engagement/", views.engagement, name="engagement"),
    path("episodes/<uuid:public_id>/handed-over/", views.handed_over, name="handed_over"),
    path("episodes/<uuid:public_id>/gate-plan/", views.gate_plan, name="gate_plan"),
    path("episodes/<uuid:public_id>/appointments/new/", views.appointment, name="appointment"),
    path("appointments/<uuid:public_id>/attendance/", views.attendance, name="attendance"),
    path("episodes/<uuid:public_id>/support-worker/", views.support_worker, name="support_worker"),
    path("plan-needs/<uuid:public_id>/update/", views.plan_need_update, name="plan_need_update"),
    path(
        "appointments/<uuid:public_id>/change/",
        views.appointment_change,
        name="appointment_change",
    ),
]
