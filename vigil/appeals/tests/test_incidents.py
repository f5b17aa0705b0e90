"""Incidents: the list (recorded incidents and the visits' access incidents, one list), the
incident page, recording from anywhere, a visit and an appeal, correcting; the role matrix;
the API."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.core.contributions import page_sections
from vigil.visits.enums import AccessIncidentKind
from vigil.visits.models import AccessIncident

from ..enums import EventKind, IncidentKind
from ..models import AppealEvent, Incident
from ..selectors.incidents import IncidentFilters, incident_counts, incident_rows
from ..services.incidents import incident_record, incident_update

ROLES = ["anonymous", "coordinator", "regional", "monitor", "auditor", "liaison", "admin"]


def _references(response: Any) -> set[str]:
    return {row.reference for row in response.context["page"].object_list}


# --- the list ---------------------------------------------------------------------------------


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
@pytest.mark.parametrize(
    ("actor", "status", "sees_own_region", "sees_other_region", "sees_access"),
    [
        ("anonymous", 302, False, False, False),
        ("coordinator", 200, True, True, True),
        ("auditor", 200, True, True, True),
        ("regional", 200, True, False, True),
        ("monitor", 200, False, False, True),
        ("liaison", 403, False, False, False),
        ("admin", 403, False, False, False),
    ],
)
def test_incident_list_role_matrix(
    client_for: Any,
    make_incident: Callable[..., Incident],
    make_institution: Callable[..., Any],
    ref: dict[str, Any],
    access_incident: AccessIncident,
    actor: str,
    status: int,
    sees_own_region: bool,
    sees_other_region: bool,
    sees_access: bool,
    debug: bool,
) -> None:
    astana = make_incident()
    almaty = make_incident(institution=make_institution(region=ref["almaty"]))
    with override_settings(DEBUG=debug):
        response = client_for(actor).get("/appeals/incidents/")
    assert response.status_code == status
    if status != 200:
        return
    shown = _references(response)
    assert (astana.reference in shown) is sees_own_region
    assert (almaty.reference in shown) is sees_other_region
    assert (access_incident.visit.reference in shown) is sees_access
    if sees_access:
        assert "Access obstruction" in response.content.decode()


def test_access_incidents_appear_once_and_filter_as_access_obstruction(
    users: dict[str, Any],
    make_incident: Callable[..., Incident],
    access_incident: AccessIncident,
    visit: Any,
) -> None:
    coordinator = users["coordinator"]
    make_incident(kind=IncidentKind.DEATH_IN_CUSTODY)
    rows = incident_rows(coordinator)
    assert [r.source for r in rows].count("access") == 1
    assert incident_counts(rows)[IncidentKind.ACCESS_OBSTRUCTION] == 1
    only_access = incident_rows(coordinator, IncidentFilters(kind=IncidentKind.ACCESS_OBSTRUCTION))
    assert [r.public_id for r in only_access] == [access_incident.public_id]
    assert incident_rows(coordinator, IncidentFilters(linked="appeal")) == []
    assert len(incident_rows(coordinator, IncidentFilters(linked="visit"))) == 1
    # Turned into a recorded incident, it is listed once, as that incident.
    linked = make_incident(
        kind=IncidentKind.ACCESS_OBSTRUCTION, visit=visit, access_incident=access_incident
    )
    rows = incident_rows(coordinator, IncidentFilters(kind=IncidentKind.ACCESS_OBSTRUCTION))
    assert [r.reference for r in rows] == [linked.reference]


def test_incident_list_filters_and_export_agree(
    client_for: Any,
    make_incident: Callable[..., Incident],
    access_incident: AccessIncident,
) -> None:
    make_incident(kind=IncidentKind.SELF_HARM, occurred_on=datetime.date(2026, 10, 1))
    make_incident(kind=IncidentKind.REPRISAL, occurred_on=datetime.date(2026, 11, 25))
    client = client_for("coordinator")
    page = client.get("/appeals/incidents/?occurred_from=2026-11-01")
    assert page.context["page"].paginator.count == 2
    export = client.get("/appeals/incidents/?occurred_from=2026-11-01&export=csv")
    lines = export.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 3
    assert "access_obstruction" in export.content.decode()
    by_kind = client.get("/appeals/incidents/?kind=self_harm")
    assert by_kind.context["page"].paginator.count == 1


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_incident_list_in_kazakh_and_russian(
    client_for: Any, make_incident: Callable[..., Incident], language: str
) -> None:
    make_incident()
    client = client_for("coordinator")
    client.cookies["django_language"] = language
    response = client.get("/appeals/incidents/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()
    detail = client.get(f"/appeals/incidents/{Incident.objects.get().public_id}/")
    assert f'<html lang="{language}"' in detail.content.decode()


# --- the page -------------------------------------------------------------------------------


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("anonymous", 302),
        ("coordinator", 200),
        ("auditor", 200),
        ("regional", 200),
        ("monitor", 404),
        ("liaison", 403),
        ("admin", 403),
    ],
)
def test_incident_detail_role_matrix(
    client_for: Any,
    make_incident: Callable[..., Incident],
    actor: str,
    status: int,
    debug: bool,
) -> None:
    incident = make_incident()
    with override_settings(DEBUG=debug):
        response = client_for(actor).get(f"/appeals/incidents/{incident.public_id}/")
    assert response.status_code == status
    if status == 200:
        assert incident.reference in response.content.decode()


def test_other_region_incident_is_404_for_regional(
    client_for: Any,
    make_incident: Callable[..., Incident],
    make_institution: Callable[..., Any],
    ref: dict[str, Any],
) -> None:
    incident = make_incident(institution=make_institution(region=ref["almaty"]))
    client = client_for("regional")
    assert client.get(f"/appeals/incidents/{incident.public_id}/").status_code == 404
    assert client.get(f"/appeals/incidents/{incident.public_id}/edit/").status_code == 404


# --- recording ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("anonymous", 302),
        ("coordinator", 302),
        ("regional", 302),
        ("monitor", 403),
        ("auditor", 403),
        ("liaison", 403),
        ("admin", 403),
    ],
)
def test_record_an_incident_role_matrix(
    client_for: Any, make_institution: Callable[..., Any], actor: str, status: int
) -> None:
    place = make_institution()
    response = client_for(actor).post(
        "/appeals/incidents/new/",
        {
            "kind": IncidentKind.DEATH_IN_CUSTODY,
            "occurred_on": "2026-11-30",
            "institution": str(place.public_id),
            "summary": "Found dead in a cell (pseudonym M-1)",
            "persons_affected": "1",
        },
    )
    assert response.status_code == status
    created = Incident.objects.filter(kind=IncidentKind.DEATH_IN_CUSTODY)
    if actor in ("coordinator", "regional"):
        incident = created.get()
        assert response["Location"] == f"/appeals/incidents/{incident.public_id}/"
        assert incident.region == place.region
        assert incident.reference.startswith("I-2026-")
        assert AuditEvent.objects.filter(action=AuditAction.INCIDENT_RECORDED).count() == 1
    else:
        assert not created.exists()
        assert not AuditEvent.objects.filter(action=AuditAction.INCIDENT_RECORDED).exists()


def test_form_errors_keep_what_was_typed(client_for: Any) -> None:
    response = client_for("coordinator").post(
        "/appeals/incidents/new/",
        {"kind": IncidentKind.REPRISAL, "occurred_on": "", "summary": "Kept text K-9"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="form-errors"' in html
    assert "Kept text K-9" in html
    assert not Incident.objects.exists()


def test_regional_cannot_record_in_another_region(
    client_for: Any, make_institution: Callable[..., Any], ref: dict[str, Any]
) -> None:
    place = make_institution(region=ref["almaty"])
    response = client_for("regional").post(
        "/appeals/incidents/new/",
        {
            "kind": IncidentKind.REPRISAL,
            "occurred_on": "2026-11-30",
            "institution": str(place.public_id),
            "summary": "x",
            "persons_affected": "1",
        },
    )
    # The place is not among those the regional representative may pick or record.
    assert response.status_code == 200
    assert not Incident.objects.exists()


def test_record_from_a_visit_links_the_visit_and_interview(
    client_for: Any, visit: Any, interview: Any, users: dict[str, Any]
) -> None:
    page = client_for("monitor").get(f"/visits/{visit.public_id}/")
    assert page.status_code == 200
    assert f"/appeals/incidents/new/visit/{visit.public_id}/" in page.content.decode()
    response = client_for("monitor").post(
        f"/appeals/incidents/new/visit/{visit.public_id}/",
        {
            "kind": IncidentKind.REPRISAL,
            "occurred_on": "2026-12-01",
            "interview": str(interview.public_id),
            "summary": "Witness K moved to a punishment cell",
            "persons_affected": "1",
        },
    )
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.visit == visit
    assert incident.interview == interview
    assert incident.institution == interview.institution
    assert incident.recorded_by == users["monitor"]
    # the team's monitor sees it on the list and on the visit page
    listed = client_for("monitor").get("/appeals/incidents/")
    assert incident.reference in _references(listed)
    assert (
        incident.reference
        in client_for("monitor").get(f"/visits/{visit.public_id}/").content.decode()
    )


def test_a_monitor_off_the_team_cannot_record_from_the_visit(
    client_for: Any, make_visit: Callable[..., Any], users: dict[str, Any], visit: Any
) -> None:
    from vigil.visits.models import TeamMember

    TeamMember.objects.filter(visit=visit, participant__user=users["monitor"]).delete()
    response = client_for("monitor").post(
        f"/appeals/incidents/new/visit/{visit.public_id}/",
        {"kind": "reprisal", "occurred_on": "2026-12-01", "summary": "x", "persons_affected": 1},
    )
    assert response.status_code in (403, 404)
    assert not Incident.objects.exists()


def test_record_from_an_appeal_puts_a_note_on_its_timeline(client_for: Any, appeal: Any) -> None:
    response = client_for("coordinator").post(
        f"/appeals/incidents/new/appeal/{appeal.public_id}/",
        {
            "kind": IncidentKind.REPRISAL,
            "occurred_on": "2026-11-28",
            "summary": "Appellant threatened by staff",
            "persons_affected": "1",
        },
    )
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.appeal == appeal
    assert incident.institution == appeal.institution
    event = AppealEvent.objects.get(appeal=appeal, kind=EventKind.NOTE)
    assert event.data["incident"] == str(incident.public_id)
    # the section on the appeal page
    context, templates = page_sections("appeal_detail", appeal.registered_by, appeal)
    assert "appeals/incidents/_appeal_incidents.html" in templates
    assert [r.reference for r in context["appeal_incidents"]] == [incident.reference]


def test_appeal_section_is_left_out_for_liaisons(users: dict[str, Any], appeal: Any) -> None:
    _context, templates = page_sections("appeal_detail", users["liaison"], appeal)
    assert "appeals/incidents/_appeal_incidents.html" not in templates


def test_liaison_cannot_record_from_an_appeal(client_for: Any, appeal: Any) -> None:
    response = client_for("liaison").post(
        f"/appeals/incidents/new/appeal/{appeal.public_id}/",
        {"kind": "reprisal", "occurred_on": "2026-11-28", "summary": "x", "persons_affected": 1},
    )
    assert response.status_code == 404
    assert not Incident.objects.exists()


# --- correcting -----------------------------------------------------------------------------


def test_edit_records_the_changes(client_for: Any, make_incident: Callable[..., Incident]) -> None:
    incident = make_incident()
    response = client_for("coordinator").post(
        f"/appeals/incidents/{incident.public_id}/edit/",
        {
            "kind": IncidentKind.SELF_HARM,
            "occurred_on": "2026-11-21",
            "institution": str(incident.institution.public_id),  # type: ignore[union-attr]
            "summary": "",  # empty keeps what was recorded
            "persons_affected": "2",
        },
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.kind == IncidentKind.SELF_HARM
    assert incident.persons_affected == 2
    event = AuditEvent.objects.get(action=AuditAction.INCIDENT_UPDATED)
    assert event.data["changes"]["kind"] == ["reprisal", "self_harm"]
    assert "summary" not in event.data["changes"]


@pytest.mark.parametrize(("actor", "status"), [("auditor", 403), ("monitor", 404)])
def test_denied_edit_changes_nothing(
    client_for: Any, make_incident: Callable[..., Incident], actor: str, status: int
) -> None:
    incident = make_incident()
    response = client_for(actor).post(
        f"/appeals/incidents/{incident.public_id}/edit/",
        {"kind": "self_harm", "occurred_on": "2026-11-21", "summary": "x", "persons_affected": 5},
    )
    assert response.status_code == status
    incident.refresh_from_db()
    assert incident.kind == IncidentKind.REPRISAL
    assert not AuditEvent.objects.filter(action=AuditAction.INCIDENT_UPDATED).exists()


def test_service_refuses_future_dates_and_foreign_interviews(
    users: dict[str, Any], visit: Any, make_visit: Callable[..., Any], interview: Any
) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        incident_record(
            actor=users["coordinator"],
            data={
                "kind": IncidentKind.REPRISAL,
                "occurred_on": timezone.localdate() + datetime.timedelta(days=3),
                "visit": visit,
                "summary": "x",
            },
        )
    other = make_visit()
    with pytest.raises(ValidationError):
        incident_record(
            actor=users["coordinator"],
            data={"kind": "reprisal", "visit": other, "interview": interview, "summary": "x"},
        )
    assert not Incident.objects.exists()


def test_update_without_changes_logs_nothing(
    users: dict[str, Any], make_incident: Callable[..., Incident]
) -> None:
    incident = make_incident()
    incident_update(actor=users["coordinator"], incident=incident, data={"kind": incident.kind})
    assert not AuditEvent.objects.filter(action=AuditAction.INCIDENT_UPDATED).exists()


def _queries(client: Any, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("actor", ["coordinator", "regional", "monitor"])
def test_incident_list_runs_constant_queries(
    client_for: Any,
    make_incident: Callable[..., Incident],
    visit: Any,
    interview: Any,
    appeal: Any,
    users: dict[str, Any],
    actor: str,
) -> None:
    def add() -> None:
        make_incident(visit=visit, interview=interview, institution=visit.institutions.first())
        make_incident(appeal=appeal, recorded_by=users["monitor"])
        AccessIncident.objects.create(
            visit=visit,
            institution=visit.institutions.first(),
            kind=AccessIncidentKind.DELAY,
            occurred_at=timezone.now(),
            details="Delay",
            recorded_by=users["monitor"],
        )

    client = client_for(actor)
    add()
    few = _queries(client, "/appeals/incidents/")
    for _n in range(8):
        add()
    assert _queries(client, "/appeals/incidents/") == few


def test_detail_shows_its_history(client_for: Any, users: dict[str, Any], visit: Any) -> None:
    incident = incident_record(
        actor=users["coordinator"],
        data={"kind": IncidentKind.REPRISAL, "visit": visit, "summary": "x"},
    )
    incident_update(actor=users["coordinator"], incident=incident, data={"persons_affected": 4})
    html = client_for("coordinator").get(f"/appeals/incidents/{incident.public_id}/").content
    text = html.decode()
    assert "Incident recorded" in text
    assert "Incident updated" in text
    assert "persons_affected" in text


def test_institution_page_counts_its_incidents_and_links_the_list(
    client_for: Any,
    make_incident: Callable[..., Incident],
    access_incident: AccessIncident,
) -> None:
    place = access_incident.institution
    assert place is not None
    make_incident(institution=place)
    make_incident()  # elsewhere
    client = client_for("coordinator")
    page = client.get(f"/registry/institutions/{place.public_id}/")
    html = page.content.decode()
    assert 'data-testid="institution-incidents"' in html
    listed = client.get(f"/appeals/incidents/?institution={place.public_id}")
    assert listed.context["page"].paginator.count == 2
    only_access = client.get(
        f"/appeals/incidents/?institution={place.public_id}&kind=access_obstruction"
    )
    assert only_access.context["page"].paginator.count == 1
    liaison = client_for("liaison").get(f"/registry/institutions/{place.public_id}/")
    assert 'data-testid="institution-incidents"' not in liaison.content.decode()
