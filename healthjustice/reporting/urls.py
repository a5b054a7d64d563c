from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("exports/", views.export_request, name="export_request"),
    path("mhtr/", views.mhtr_dashboard, name="mhtr_dashboard"),
    path("mhtr/exports/", views.mhtr_export_request, name="mhtr_export_request"),
    path("reconnect/", views.reconnect_dashboard, name="reconnect_dashboard"),
    path("reconnect/exports/", views.reconnect_export_request, name="reconnect_export_request"),
    path("exports/<uuid:public_id>/", views.export_detail, name="export_detail"),
    path("exports/<uuid:public_id>/status/", views.export_status, name="export_status"),
    path("exports/<uuid:public_id>/download/", views.export_download, name="export_download"),
]
