"""URL routes of the people app (participants, training, conflicts of interest, periods
unavailable for visits)."""

from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.participant_list, name="participant_list"),
    path("new/", views.participant_create_view, name="participant_create"),
    path("eligibility-rules/", views.eligibility_rule_list, name="eligibility_rules"),
    path("<uuid:public_id>/", views.participant_detail, name="participant_detail"),
    path("<uuid:public_id>/edit/", views.participant_edit_view, name="participant_edit"),
    path("<uuid:public_id>/training/new/", views.training_create_view, name="training_create"),
    path("<uuid:public_id>/conflicts/new/", views.conflict_create_view, name="conflict_create"),
    path("<uuid:public_id>/absences/new/", views.absence_create_view, name="absence_create"),
    path(
        "<uuid:public_id>/absences/<uuid:absence_id>/delete/",
        views.absence_delete_view,
        name="absence_delete",
    ),
    path(
        "<uuid:public_id>/conflicts/<uuid:conflict_id>/edit/",
        views.conflict_edit_view,
        name="conflict_edit",
    ),
]
