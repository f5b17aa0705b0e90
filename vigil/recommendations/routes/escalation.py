"""Routes of escalation: the candidates, the escalation form, the letter and its downloads."""

from django.urls import path

from ..views import escalation as views

urlpatterns = [
    path("escalations/", views.escalation_candidates_view, name="escalation_candidates"),
    path("escalate/", views.escalate_view, name="escalate"),
    path("<uuid:public_id>/letter/", views.escalation_letter_page, name="escalation_letter"),
    path(
        "<uuid:public_id>/letter.<str:fmt>",
        views.escalation_letter_download,
        name="escalation_letter_download",
    ),
]
