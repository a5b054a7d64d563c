from django.urls import path

from . import psr_views, views

app_name = "mhtr"

urlpatterns = [
    path("episodes/<uuid:public_id>/refer/", views.refer, name="refer"),
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
]
