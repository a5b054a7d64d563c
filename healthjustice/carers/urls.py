from django.urls import path

from . import content_views, portal_views, review_views, staff_views

app_name = "carers"

urlpatterns = [
    # Staff
    path("", staff_views.home, name="home"),
    path("patients/<uuid:public_id>/", staff_views.patient, name="patient"),
    path("patients/<uuid:public_id>/stays/add/", staff_views.stay_add, name="stay_add"),
    path("patients/<uuid:public_id>/carers/add/", staff_views.carer_add, name="carer_add"),
    path("stays/<uuid:public_id>/edit/", staff_views.stay_edit, name="stay_edit"),
    path("carer/<uuid:public_id>/", staff_views.carer_detail, name="carer_detail"),
    path("carer/<uuid:public_id>/edit/", staff_views.carer_edit, name="carer_edit"),
    path("carer/<uuid:public_id>/support/", staff_views.support_edit, name="support_edit"),
    path("carer/<uuid:public_id>/invite/", staff_views.invite, name="invite"),
    path(
        "carer/<uuid:public_id>/reset-sign-in/",
        staff_views.sign_in_reset,
        name="sign_in_reset",
    ),
    path("sharing/<uuid:public_id>/", staff_views.relationship, name="relationship"),
    path(
        "sharing/<uuid:public_id>/relationship/",
        staff_views.relationship_edit,
        name="relationship_edit",
    ),
    path(
        "sharing/<uuid:public_id>/agreement/",
        staff_views.agreement_record,
        name="agreement_record",
    ),
    path("sharing/<uuid:public_id>/contacts/add/", staff_views.contact_add, name="contact_add"),
    path("sharing/<uuid:public_id>/write/", staff_views.shared_item_add, name="shared_item_add"),
    path(
        "agreements/<uuid:public_id>/withdraw/",
        staff_views.agreement_withdraw,
        name="agreement_withdraw",
    ),
    path(
        "shared/<uuid:public_id>/take-back/",
        staff_views.shared_item_retract,
        name="shared_item_retract",
    ),
    path("messages/<uuid:public_id>/", staff_views.message_detail, name="message_detail"),
    path("messages/<uuid:public_id>/reply/", staff_views.message_reply, name="message_reply"),
    path(
        "messages/<uuid:public_id>/read/", staff_views.message_mark_read, name="message_mark_read"
    ),
    path(
        "messages/<uuid:public_id>/attachment/",
        staff_views.message_attachment,
        name="message_attachment",
    ),
    path("reviews/", review_views.flagged, name="flagged"),
    path("reviews/<uuid:public_id>/", review_views.flagged_review, name="flagged_review"),
    path("report/", review_views.report, name="report"),
    path("information/", content_views.pages, name="pages"),
    path("information/add/", content_views.page_add, name="page_add"),
    path("information/<uuid:public_id>/edit/", content_views.page_edit, name="page_edit"),
    # The carers' portal
    path("portal/", portal_views.portal, name="portal"),
    path("portal/person/<uuid:public_id>/", portal_views.portal_person, name="portal_person"),
    path("portal/information/", portal_views.portal_pages, name="portal_pages"),
    path("portal/information/<slug:slug>/", portal_views.portal_page, name="portal_page"),
    path("portal/messages/", portal_views.portal_messages, name="portal_messages"),
    path("portal/your-details/", portal_views.portal_preferences, name="portal_preferences"),
    path(
        "portal/invitation/<str:token>/",
        portal_views.portal_invitation,
        name="portal_invitation",
    ),
]
