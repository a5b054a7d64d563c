from django.contrib import admin
from django.urls import include, path

from healthjustice.web.views import healthz

admin.site.site_header = "Health and Justice Service administration"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("healthjustice.accounts.urls")),
    path("people/", include("healthjustice.people.urls")),
    path("audit/", include("healthjustice.audit.urls")),
    path("admin/", admin.site.urls),
    path("", include("healthjustice.web.urls")),
]
