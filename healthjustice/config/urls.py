from django.contrib import admin
from django.urls import include, path

from healthjustice.web.views import healthz

admin.site.site_header = "Health and Justice Service administration"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("healthjustice.accounts.urls")),
    path("people/", include("healthjustice.people.urls")),
    path("audit/", include("healthjustice.governance.urls")),
    path("episodes/worklist/", include("healthjustice.worklist.urls")),
    path("episodes/", include("healthjustice.journeys.urls")),
    path("screening/", include("healthjustice.screening.urls")),
    path("assessments/", include("healthjustice.assessments.urls")),
    path("referrals/", include("healthjustice.interventions.urls")),
    path("mhtr/", include("healthjustice.mhtr.urls")),
    path("reconnect/", include("healthjustice.reconnect.urls")),
    path("lists/", include("healthjustice.imports.urls")),
    path("reports/", include("healthjustice.reporting.urls")),
    path("equity/", include("healthjustice.equity.urls")),
    path("carers/", include("healthjustice.carers.urls")),
    path("feedback/", include("healthjustice.feedback.urls")),
    path("pcref/", include("healthjustice.pcref.urls")),
    path("duplicates/", include("healthjustice.matching.urls")),
    path("admin/", admin.site.urls),
    path("", include("healthjustice.web.urls")),
]

handler400 = "healthjustice.web.errors.bad_request"
handler403 = "healthjustice.web.errors.forbidden"
handler404 = "healthjustice.web.errors.not_found"
handler500 = "healthjustice.web.errors.server_error"
