"""URL routes for the recommendation list and page, drafting, the life cycle, assessments
and issuing the recommendations of an approved visit report."""

from django.urls import path

from ..views import core as views

urlpatterns = [
    path("", views.recommendation_list, name="list"),
    path("new/", views.recommendation_create_view, name="create"),
    path("issue/", views.issue_index, name="issue_index"),
    path("issue/<uuid:visit_id>/", views.issue_visit, name="issue_visit"),
    path("issue/<uuid:visit_id>/issue-all/", views.issue_visit_all, name="issue_visit_all"),
    path(
        "issue/<uuid:visit_id>/new/",
        views.recommendation_create_view,
        name="visit_recommendation_create",
    ),
    path("<uuid:public_id>/", views.recommendation_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.recommendation_edit_view, name="edit"),
    path("<uuid:public_id>/delete/", views.recommendation_delete_view, name="delete"),
    path("<uuid:public_id>/issue/", views.recommendation_issue_view, name="issue"),
    path("<uuid:public_id>/transition/", views.recommendation_transition_view, name="transition"),
    path("<uuid:public_id>/assess/", views.recommendation_assess_view, name="assess"),
]
