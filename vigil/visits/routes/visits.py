"""URL routes for visits: list, plan, create, the visit page and its actions, my visits."""

from django.urls import path

from ..views import visits as views

urlpatterns = [
    path("", views.visit_list, name="visit_list"),
    path("new/", views.visit_create_view, name="visit_create"),
    path("mine/", views.my_visits, name="mine"),
    path("plan/", views.plan_index, name="plan_index"),
    path("plan/<int:year>/", views.plan_detail, name="plan_detail"),
    path("<uuid:public_id>/", views.visit_detail, name="visit_detail"),
    path("<uuid:public_id>/edit/", views.visit_edit_view, name="visit_edit"),
    path("<uuid:public_id>/team/", views.visit_team_view, name="visit_team"),
    path("<uuid:public_id>/transition/", views.visit_transition_view, name="visit_transition"),
    path(
        "<uuid:public_id>/access-incidents/",
        views.access_incident_create,
        name="access_incident_create",
    ),
]
