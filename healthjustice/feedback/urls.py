from django.urls import path

from . import staff_views, views

app_name = "feedback"

urlpatterns = [
    path("", views.give, name="give"),
    path("thank-you/", views.thanks, name="thanks"),
    path("you-said-we-did/", views.you_said_we_did, name="you_said_we_did"),
    # Staff pages: a team's leaders and their teams' feedback.
    path("received/", staff_views.feedback_list, name="staff_list"),
    path("received/<uuid:public_id>/", staff_views.feedback_item, name="staff_item"),
    path("received/<uuid:public_id>/respond/", staff_views.feedback_respond, name="staff_respond"),
    path("received/<uuid:public_id>/reply-sent/", staff_views.reply_sent, name="staff_reply_sent"),
    path("leaflet/<uuid:team_id>/", staff_views.leaflet, name="staff_leaflet"),
    path("actions/", staff_views.action_list, name="staff_actions"),
    path("actions/new/", staff_views.action_new, name="staff_action_new"),
    path("actions/<uuid:public_id>/", staff_views.action_edit, name="staff_action"),
    path(
        "actions/<uuid:public_id>/publish/",
        staff_views.action_publish,
        name="staff_action_publish",
    ),
]
