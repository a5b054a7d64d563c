from django.urls import path

from . import consent_views, report_views, views

app_name = "assessments"

urlpatterns = [
    path("episode/<uuid:episode_id>/", views.episode_overview, name="episode"),
    path("episode/<uuid:episode_id>/new/", views.assessment_new, name="new"),
    path("<uuid:public_id>/", views.assessment_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.assessment_edit, name="edit"),
    path("consent/<uuid:person_id>/", consent_views.consent_list, name="consent"),
    path("consent/<uuid:person_id>/record/", consent_views.consent_record, name="consent_record"),
    path(
        "consent/<uuid:person_id>/<uuid:consent_id>/withdraw/",
        consent_views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("episode/<uuid:episode_id>/reports/new/", report_views.report_new, name="report_new"),
    path(
        "episode/<uuid:episode_id>/reports/new/<slug:report_type>/",
        report_views.report_write,
        name="report_write",
    ),
    path("reports/<uuid:public_id>/", report_views.report_detail, name="report"),
    path("reports/<uuid:public_id>/pdf/", report_views.report_download, name="report_pdf"),
    path("reports/<uuid:public_id>/correct/", report_views.report_correct, name="report_correct"),
]
