"""Routes of the agency portal, responses and their attachments."""

from django.urls import path

from ..views import portal as views

urlpatterns = [
    path("portal/", views.portal_list, name="portal_list"),
    path("portal/<uuid:public_id>/", views.portal_detail, name="portal_detail"),
    path("<uuid:public_id>/responses/new/", views.response_create_view, name="response_create"),
    path(
        "response-attachments/<uuid:attachment_id>/download/",
        views.response_attachment_download,
        name="response_attachment_download",
    ),
]
