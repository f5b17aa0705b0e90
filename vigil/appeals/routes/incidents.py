"""Routes of incidents, reprisal follow-ups and the funnel (namespace "appeals")."""

from django.urls import URLPattern, URLResolver, path

from ..views import follow_ups, funnel, incidents

urlpatterns: list[URLPattern | URLResolver] = [
    path("incidents/", incidents.incident_list, name="incident_list"),
    path("incidents/new/", incidents.incident_create, name="incident_create"),
    path("incidents/<uuid:public_id>/", incidents.incident_detail, name="incident_detail"),
    path("incidents/<uuid:public_id>/edit/", incidents.incident_edit, name="incident_edit"),
    path(
        "incidents/<uuid:public_id>/summary/",
        incidents.incident_summary,
        name="incident_summary",
    ),
    path(
        "incidents/new/visit/<uuid:visit_id>/",
        incidents.incident_create_for_visit,
        name="incident_create_for_visit",
    ),
    path(
        "incidents/new/appeal/<uuid:appeal_id>/",
        incidents.incident_create_for_appeal,
        name="incident_create_for_appeal",
    ),
    path("follow-ups/", follow_ups.follow_up_list, name="follow_up_list"),
    path(
        "follow-ups/<uuid:public_id>/record/",
        follow_ups.follow_up_record_view,
        name="follow_up_record",
    ),
    path(
        "follow-ups/schedule/appeal/<uuid:appeal_id>/",
        follow_ups.follow_up_schedule_for_appeal,
        name="follow_up_schedule_for_appeal",
    ),
    path("funnel/", funnel.funnel_page, name="funnel"),
]
