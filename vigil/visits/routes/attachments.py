"""URL routes for attachments."""

from django.urls import path

from ..views import attachments as views
from ..views import retention

urlpatterns = [
    path("<uuid:public_id>/attachments/", views.attachment_list, name="attachments"),
    path("<uuid:public_id>/hold/", retention.visit_hold, name="visit_hold"),
    path(
        "attachments/<uuid:attachment_id>/",
        retention.attachment_detail,
        name="attachment_detail",
    ),
    path(
        "attachments/<uuid:attachment_id>/hold/",
        retention.attachment_hold,
        name="attachment_hold",
    ),
    path(
        "attachments/<uuid:attachment_id>/download/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "attachments/<uuid:attachment_id>/delete/",
        views.attachment_delete_view,
        name="attachment_delete",
    ),
]
