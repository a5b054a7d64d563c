from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.search, name="search"),
    path("register/", views.register, name="register"),
    path("break-glass/", views.break_glass_search, name="break_glass_search"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/edit/", views.edit, name="edit"),
    path("<uuid:public_id>/other-names/add/", views.alias_add, name="alias_add"),
    path("<uuid:public_id>/break-glass/", views.break_glass_open, name="break_glass_open"),
    path("<uuid:public_id>/restrict/", views.restrict, name="restrict"),
]
