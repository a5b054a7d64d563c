from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.search, name="search"),
    path("register/", views.register, name="register"),
    path("break-glass/", views.break_glass_search, name="break_glass_search"),
    path("merges/", views.merges, name="merges"),
    path("merges/<uuid:public_id>/undo/", views.merge_undo, name="merge_undo"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/edit/", views.edit, name="edit"),
    path("<uuid:public_id>/other-names/add/", views.alias_add, name="alias_add"),
    path("<uuid:public_id>/break-glass/", views.break_glass_open, name="break_glass_open"),
    path("<uuid:public_id>/restrict/", views.restrict, name="restrict"),
    path("<uuid:public_id>/merge/", views.merge_choose, name="merge_choose"),
    path("<uuid:public_id>/merge/<uuid:other_id>/", views.merge_compare, name="merge_compare"),
]
