"""URL routes for attachments."""

from django.urls import path

from ..views import attachments as views

urlpatterns = [
    path("<uuid:public_id>/attachments/", views.attachment_list, name="attachments"),
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
