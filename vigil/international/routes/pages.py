"""URL routes of the UN follow-up's pages: the documents, their paragraphs and the
coordinators' forms for documents, paragraphs and assessments."""

from django.urls import path

from ..views import documents, paragraphs

urlpatterns = [
    path("", documents.document_list, name="document_list"),
    path("documents/new/", documents.document_create_view, name="document_create"),
    path("documents/<uuid:public_id>/", documents.document_detail, name="document_detail"),
    path("documents/<uuid:public_id>/edit/", documents.document_edit_view, name="document_edit"),
    path(
        "documents/<uuid:public_id>/paragraphs/new/",
        paragraphs.paragraph_create_view,
        name="paragraph_create",
    ),
    path("paragraphs/<uuid:public_id>/", paragraphs.paragraph_detail, name="paragraph_detail"),
    path(
        "paragraphs/<uuid:public_id>/edit/", paragraphs.paragraph_edit_view, name="paragraph_edit"
    ),
    path(
        "paragraphs/<uuid:public_id>/assess/",
        paragraphs.assessment_create_view,
        name="assessment_create",
    ),
]
