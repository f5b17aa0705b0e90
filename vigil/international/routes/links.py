"""Routes of the paragraph's links page: the page, and the decisions it posts (confirm or
reject a suggestion, link a record by hand, remove a link)."""

from django.urls import path

from .. import linking_views as views

urlpatterns = [
    path("paragraphs/<uuid:public_id>/links/", views.paragraph_links, name="paragraph_links"),
    path(
        "paragraphs/<uuid:public_id>/links/confirm/",
        views.paragraph_link_confirm,
        name="paragraph_link_confirm",
    ),
    path(
        "paragraphs/<uuid:public_id>/links/reject/",
        views.paragraph_link_reject,
        name="paragraph_link_reject",
    ),
    path(
        "paragraphs/<uuid:public_id>/links/add/",
        views.paragraph_link_add,
        name="paragraph_link_add",
    ),
    path(
        "paragraphs/<uuid:public_id>/links/<uuid:link_id>/remove/",
        views.paragraph_link_remove,
        name="paragraph_link_remove",
    ),
]
