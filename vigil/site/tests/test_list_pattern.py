"""Every list page follows the list pattern of UX.md (`vigil.core.listing`): a count, sortable
columns, pagination, and an export (CSV and XLSX) whose rows are exactly the filtered list,
recorded in the audit log.

One table of cases over every app's lists; each app adds its own rows below (a `ListCase`
names the actor, the path, a filter that narrows the list, and the rows to make first).
It lives with the site, on top, because it reaches every app's lists.
"""

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import override_settings
from django.urls import get_resolver
from openpyxl import load_workbook

from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.models import AccessEvent, AuditEvent
from vigil.audit.services import access_record, audit_record
from vigil.core.listing import Listing
from vigil.visits.enums import VisitState


@dataclass(frozen=True)
class ListCase:
    id: str
    actor: str
    path: str
    listing: str
    """The `Listing.name` this page serves."""
    narrowing: str
    """A query string that filters out some of the rows `make` creates."""
    make: Callable[..., None]


def _institutions(make_institution: Callable[..., Any], ref: dict[str, Any]) -> None:
    for _n in range(3):
        make_institution()
    make_institution(region=ref["almaty"])


REGISTRY = [
    ListCase(
        "registry", "coordinator", "/registry/institutions/", "institutions",
        "region=KZ-75", _institutions,
    ),
]  # fmt: skip


def _audit_events(users: dict[str, Any], make_institution: Callable[..., Any]) -> None:
    institution = make_institution()
    for capacity in (1, 2):
        audit_record(
            actor=users["coordinator"],
            action=AuditAction.INSTITUTION_UPDATED,
            target=institution,
            data={"changes": {"capacity": [capacity, capacity + 1]}},
        )
    audit_record(actor=users["admin"], action=AuditAction.USER_UPDATED, target=users["monitor"])


def _access_events(users: dict[str, Any]) -> None:
    for kind in (AccessKind.INTERVIEW_READ, AccessKind.IDENTITY_UNSEALED):
        access_record(actor=users["coordinator"], kind=kind, target=users["monitor"], reason="r")


AUDIT = [
    ListCase(
        "audit-log", "auditor", "/audit/", "audit-log",
        "action=institution.updated", _audit_events,
    ),
    ListCase(
        "access-log", "auditor", "/audit/access/", "access-log",
        "kind=identity_unsealed", _access_events,
    ),
]  # fmt: skip


def _visits(make_visit: Callable[..., Any], make_institution: Callable[..., Any], ref: Any) -> None:
    for state in (VisitState.PLANNED, VisitState.ON_SITE, VisitState.CLOSED):
        make_visit(state=state)
    make_visit(state=VisitState.ON_SITE, institution=make_institution(region=ref["almaty"]))


def _participants(participants: Any) -> None:
    """Four participants: a lawyer, an NGO member, a doctor and a psychologist."""


def _accounts(users: Any) -> None:
    """One account per role, and a second liaison."""


VISITS_AND_PEOPLE = [
    ListCase("visits", "coordinator", "/visits/", "visits", "region=KZ-75", _visits),
    ListCase("visits-regional", "regional", "/visits/", "visits", "state=closed", _visits),
    ListCase("my-visits", "monitor", "/visits/mine/", "my_visits", "state=closed", _visits),
    ListCase(
        "plan", "coordinator", "/visits/plan/2026/", "plan_visits", "region=KZ-75", _visits
    ),
    ListCase(
        "participants", "coordinator", "/people/", "participants", "profession=doctor",
        _participants,
    ),
    ListCase("users", "admin", "/accounts/users/", "users", "role=liaison", _accounts),
]  # fmt: skip


def _recommendations(make_recommendation: Callable[..., Any]) -> None:
    for _n in range(3):
        make_recommendation()
    make_recommendation(theme="T5")
    make_recommendation(state="implemented_claimed")


def _approved_reports(
    approved_visit: Callable[..., Any], make_recommendation: Callable[..., Any]
) -> None:
    approved_visit()
    make_recommendation(state="draft", visit=approved_visit())


def _repeated_issues(
    make_recommendation: Callable[..., Any], make_institution: Callable[..., Any], ref: Any
) -> None:
    for addressee in (ref["kuis_71"], ref["police"]):
        institution = make_institution()
        for year in (2025, 2026):
            issued = datetime.date(year, 1, 15)
            make_recommendation(
                addressee=addressee,
                institution=institution,
                issued_on=issued,
                deadline=issued + datetime.timedelta(days=40),
            )


RECOMMENDATIONS = [
    ListCase(
        "recommendations", "coordinator", "/recommendations/", "recommendations",
        "theme=T5", _recommendations,
    ),
    ListCase(
        "portal", "liaison", "/recommendations/portal/", "our-recommendations",
        "awaiting=true", _recommendations,
    ),
    ListCase(
        "escalations-due", "coordinator", "/recommendations/escalations/", "escalations-due",
        "theme=T5", _recommendations,
    ),
    ListCase(
        "escalations-due-regional", "regional", "/recommendations/escalations/",
        "escalations-due", "reason=overdue&theme=T5", _recommendations,
    ),
    ListCase(
        "approved-reports", "coordinator", "/recommendations/issue/", "approved-reports",
        "drafts=true", _approved_reports,
    ),
    ListCase(
        "tallies", "coordinator", "/recommendations/tallies/", "tallies",
        "agency=MVD-KUIS", _recommendations, 
    ),
    ListCase(
        "tallies-liaison", "liaison", "/recommendations/tallies/", "tallies",
        "agency=MVD-KUIS-71", _recommendations, 
    ),
    ListCase(
        "systemic-issues", "coordinator", "/recommendations/systemic/", "systemic-issues",
        "agency=MVD-KUIS", _repeated_issues, 
    ),
]  # fmt: skip


# appeals: incidents and follow-ups
def _incidents(make_incident: Callable[..., Any], visit: Any, users: dict[str, Any]) -> None:
    from vigil.visits.enums import AccessIncidentKind
    from vigil.visits.models import AccessIncident

    for _n in range(2):
        make_incident()
    make_incident(kind="self_harm")
    AccessIncident.objects.create(
        visit=visit,
        institution=visit.institutions.first(),
        kind=AccessIncidentKind.DELAY,
        occurred_at=datetime.datetime(2026, 11, 3, 10, tzinfo=datetime.UTC),
        details="Kept waiting at the gate",
        recorded_by=users["monitor"],
    )


def _follow_ups(make_appeal: Callable[..., Any]) -> None:
    from vigil.appeals.models import FollowUpContact

    appeal = make_appeal(reprisal_risk="high")
    for day in (1, 2, 3):
        FollowUpContact.objects.create(appeal=appeal, due_on=datetime.date(2026, 11, day))
    FollowUpContact.objects.create(
        appeal=appeal, due_on=datetime.date(2026, 11, 4), done_on=datetime.date(2026, 11, 4)
    )


APPEALS_INCIDENTS = [
    ListCase(
        "incidents", "coordinator", "/appeals/incidents/", "incidents", "kind=self_harm",
        _incidents,
    ),
    ListCase(
        "follow-ups", "coordinator", "/appeals/follow-ups/?status=", "follow-ups", "status=done",
        _follow_ups,
    ),
]  # fmt: skip


def _appeals(make_appeal: Callable[..., Any]) -> None:
    for _n in range(3):
        make_appeal()
    make_appeal(urgency="urgent")
    make_appeal(state="closed_resolved")


APPEALS_HANDLING = [
    ListCase("appeals", "coordinator", "/appeals/", "appeals", "urgency=urgent", _appeals),
    ListCase("appeals-regional", "regional", "/appeals/", "appeals", "status=closed_resolved",
             _appeals),
]  # fmt: skip

# appeals: referrals, criminal cases, accountability


def _referrals(make_appeal: Callable[..., Any], make_referral: Callable[..., Any]) -> None:
    appeal = make_appeal()
    for _n in range(3):
        make_referral(appeal)
    make_referral(appeal, body_kind="health", body_name="Health department")


def _criminal_cases(make_case: Callable[..., Any]) -> None:
    for _n in range(3):
        make_case()
    make_case(part=1)


def _accountability(ref: Any) -> None:
    from vigil.appeals.models import AccountabilityRecord

    for initiative in ("commissioner", "commissioner", "npm_participant"):
        AccountabilityRecord.objects.create(
            decided_on=datetime.date(2023, 5, 1),
            responsibility="disciplinary",
            initiative=initiative,
            region=ref["astana"],
        )


APPEALS_CASES = [
    ListCase(
        "referrals", "coordinator", "/appeals/referrals/", "referrals", "body_kind=health",
        _referrals,
    ),
    ListCase("criminal-cases", "coordinator", "/appeals/cases/", "criminal-cases", "part=1",
             _criminal_cases),
    ListCase(
        "accountability", "coordinator", "/appeals/accountability/", "accountability",
        "initiative=npm_participant", _accountability,
    ),
]  # fmt: skip


ANALYTICS = [
    ListCase(
        "coverage", "coordinator", "/analysis/institutions/?coverage=never",
        "institution-coverage", "region=KZ-75", _institutions,
    ),
]  # fmt: skip


def _un_documents(make_un_document: Callable[..., Any]) -> None:
    for _n in range(3):
        make_un_document()
    make_un_document(body="SPT", kind="visit_report", confidential=True)


INTERNATIONAL = [
    ListCase(
        "un-documents", "coordinator", "/international/", "un-documents", "body=SPT",
        _un_documents,
    ),
    ListCase(
        "un-documents-monitor", "monitor", "/international/", "un-documents",
        "search=test%203", _un_documents,
    ),
]  # fmt: skip


CASES: list[ListCase] = [
    *REGISTRY,
    *AUDIT,
    *VISITS_AND_PEOPLE,
    *RECOMMENDATIONS,
    *APPEALS_INCIDENTS,
    *APPEALS_HANDLING,
    *APPEALS_CASES,
    *ANALYTICS,
    *INTERNATIONAL,
]


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def read_xlsx(content: bytes) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))


def _join(path: str, query: str) -> str:
    return path + ("&" if "?" in path else "?") + query if query else path


def _make(case: ListCase, request: pytest.FixtureRequest) -> None:
    names = case.make.__code__.co_varnames[: case.make.__code__.co_argcount]
    case.make(**{name: request.getfixturevalue(name) for name in names})


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_list_has_count_sort_and_an_export_of_what_is_shown(
    request: pytest.FixtureRequest, client_for: Any, case: ListCase, debug: bool
) -> None:
    _make(case, request)
    client = client_for(case.actor)
    with override_settings(DEBUG=debug):
        for query in ("", case.narrowing):
            path = _join(case.path, query)
            page = client.get(path)
            assert page.status_code == 200, path
            html = page.content.decode()
            shown = page.context["page"].paginator.count
            assert 'data-testid="result-count"' in html
            assert page.context["count_text"] in html
            assert "export=csv" in html
            assert "export=xlsx" in html
            assert "ordering=" in html, "sortable column headers"
            csv_rows = read_csv(client.get(_join(path, "export=csv")).content)
            xlsx_rows = read_xlsx(client.get(_join(path, "export=xlsx")).content)
            assert len(csv_rows) - 1 == shown, f"CSV rows of {path}"
            assert len(xlsx_rows) - 1 == shown, f"XLSX rows of {path}"
            assert csv_rows[0] == [str(h) for h in xlsx_rows[0]]
        everything = client.get(case.path).context["page"].paginator.count
        assert 0 < shown < everything, f"{case.narrowing} narrows {case.path}"
    exports = [  # the audit log's own exports are access events (reads of the trail)
        *AuditEvent.objects.filter(data__format__in=["csv", "xlsx"]).values_list("data", flat=True),
        *AccessEvent.objects.filter(data__format__in=["csv", "xlsx"]).values_list(
            "data", flat=True
        ),
    ]
    assert len(exports) == 4
    assert {data["rows"] for data in exports} == {everything, shown}


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_unknown_export_format_is_404_and_not_logged(client_for: Any, case: ListCase) -> None:
    response = client_for(case.actor).get(_join(case.path, "export=pdf"))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(data__format="pdf").exists()


def _listings() -> set[str]:
    found: set[str] = set()
    pending: list[type[Listing[Any]]] = list(Listing.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if getattr(cls, "name", None):
            found.add(cls.name)
    return found


def test_every_listing_is_covered() -> None:
    get_resolver().url_patterns  # noqa: B018 (imports every app's views and listings)
    assert _listings() == {case.listing for case in CASES}
