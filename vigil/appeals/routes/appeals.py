"""Routes of appeal handling by staff (/appeals/...) and of the import of past appeals."""

from django.urls import URLPattern, URLResolver, include, path

from vigil.core.importing.views import import_urlpatterns

from ..views import appeal_letters as letters
from ..views import appeals as views
from ..views import retention

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.appeal_list, name="list"),
    path("new/", views.appeal_create, name="create"),
    path("", include((import_urlpatterns("appeals"), "appeal_import"), namespace="appeal_import")),
    path("from-visit/<uuid:visit_id>/", views.appeal_create_from_visit, name="create_from_visit"),
    path("<uuid:public_id>/", views.appeal_detail, name="detail"),
    path("<uuid:public_id>/content/", views.appeal_content_view, name="content"),
    path("<uuid:public_id>/unseal/", views.appeal_unseal_view, name="unseal"),
    path("<uuid:public_id>/move/", views.appeal_move_view, name="move"),
    path("<uuid:public_id>/hold/", retention.appeal_hold, name="hold"),
    path("<uuid:public_id>/triage/", views.appeal_triage_view, name="triage"),
    path("<uuid:public_id>/assign/", views.appeal_assign_view, name="assign"),
    path("<uuid:public_id>/extend/", views.appeal_extend_view, name="extend"),
    path("<uuid:public_id>/merge/", views.appeal_merge_view, name="merge"),
    path("<uuid:public_id>/files/", views.appeal_attachment_upload_view, name="attachment_upload"),
    path(
        "<uuid:public_id>/files/<uuid:attachment_id>/",
        views.appeal_attachment_download,
        name="attachment_download",
    ),
    path("<uuid:public_id>/letter/<str:kind>/", letters.appeal_letter_download, name="letter"),
]
