"""URL routes of the UN follow-up's pages: the documents, their paragraphs and the
coordinators' forms for documents, paragraphs and assessments."""

from django.urls import path

from ..views import pages as views

urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("documents/new/", views.document_create_view, name="document_create"),
    path("documents/<uuid:public_id>/", views.document_detail, name="document_detail"),
    path("documents/<uuid:public_id>/edit/", views.document_edit_view, name="document_edit"),
    path(
        "documents/<uuid:public_id>/paragraphs/new/",
        views.paragraph_create_view,
        name="paragraph_create",
    ),
    path("paragraphs/<uuid:public_id>/", views.paragraph_detail, name="paragraph_detail"),
    path("paragraphs/<uuid:public_id>/edit/", views.paragraph_edit_view, name="paragraph_edit"),
    path(
        "paragraphs/<uuid:public_id>/assess/",
        views.assessment_create_view,
        name="assessment_create",
    ),
]
