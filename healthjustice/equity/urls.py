from django.urls import path

from . import views

app_name = "equity"

urlpatterns = [
    path("", views.home, name="home"),
    path("export.csv", views.export_csv, name="export_csv"),
]
