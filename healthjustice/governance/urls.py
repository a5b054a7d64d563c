from django.urls import path

from . import views

# The pages are at /audit/ and have always been named audit:*; the name follows the address.
app_name = "audit"

urlpatterns = [
    path("", views.home, name="home"),
    path("people/", views.person_lookup, name="person"),
    path("people/<uuid:public_id>/", views.person_events, name="person_events"),
    path(
        "people/<uuid:public_id>/subject-access/",
        views.subject_access_export,
        name="subject_access_export",
    ),
    path("users/", views.user_lookup, name="user_events"),
    path("users/<uuid:public_id>/", views.user_detail, name="user_detail"),
    path("break-glass/", views.break_glass, name="break_glass"),
    path(
        "break-glass/<uuid:public_id>/review/",
        views.break_glass_review,
        name="break_glass_review",
    ),
]
