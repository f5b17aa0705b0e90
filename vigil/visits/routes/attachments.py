"""URL routes for attachments."""

from django.urls import path

from ..views import attachments as views

urlpatterns = [
    path("<uuid:public_id>/attachments/", views.attachment_list, name="attachments"),
]
