from django.urls import path

from . import views

app_name = "pcref"

urlpatterns = [
    # The public progress page: anyone, no sign-in.
    path("plan/", views.public_plan, name="public_plan"),
    # Staff pages: those who keep the trust's plan and register (pcref.manage).
    path("", views.plan, name="plan"),
    path("actions/new/", views.action_new, name="action_new"),
    path("actions/<uuid:public_id>/", views.action_edit, name="action_edit"),
    path("involvement/", views.involvement_list, name="involvement"),
    path("involvement/new/", views.involvement_new, name="involvement_new"),
    path("involvement/figures/", views.involvement_figures, name="involvement_figures"),
    path("board/", views.board, name="board"),
    path("board/write/", views.board_narrative, name="board_narrative"),
    path("board/report.pdf", views.board_download, name="board_pdf"),
    path("involvement/<uuid:public_id>/", views.involvement_edit, name="involvement_edit"),
]
