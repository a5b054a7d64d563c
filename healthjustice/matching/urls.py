from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("pairs/<uuid:public_id>/", views.pair_detail, name="pair_detail"),
    path("pairs/<uuid:public_id>/same/", views.pair_same, name="pair_same"),
    path("pairs/<uuid:public_id>/not-same/", views.pair_not_same, name="pair_not_same"),
    path("scans/", views.scan_start, name="scan_start"),
    path("scans/<uuid:public_id>/", views.scan_detail, name="scan_detail"),
    path("scans/<uuid:public_id>/status/", views.scan_status, name="scan_status"),
]
