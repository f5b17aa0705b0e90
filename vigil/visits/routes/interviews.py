"""URL routes for interviews."""

from django.urls import path

from ..views import interviews as views

urlpatterns = [
    path("<uuid:public_id>/interviews/", views.interview_list, name="interviews"),
    path(
        "<uuid:public_id>/interviews/new/",
        views.interview_create_view,
        name="interview_create",
    ),
    path("interviews/<uuid:interview_id>/", views.interview_detail, name="interview_detail"),
    path("interviews/<uuid:interview_id>/edit/", views.interview_edit, name="interview_edit"),
    path(
        "interviews/<uuid:interview_id>/content/",
        views.interview_content,
        name="interview_content",
    ),
    path("interviews/<uuid:interview_id>/unseal/", views.interview_unseal, name="interview_unseal"),
    path(
        "interviews/<uuid:interview_id>/withdraw-consent/",
        views.interview_withdraw_consent_view,
        name="interview_withdraw_consent",
    ),
    path(
        "interviews/<uuid:interview_id>/follow-up-done/",
        views.interview_follow_up_done_view,
        name="interview_follow_up_done",
    ),
]
