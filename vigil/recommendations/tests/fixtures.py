"""Fixtures for recommendations (registered for every app's tests by the root conftest), built
straight with the ORM so that each feature's tests do not depend on the others' services.

- `make_recommendation(**fields)`: a recommendation (default: issued on 2026-01-15 to the
  Astana penitentiary department, MVD-KUIS-71, awaiting a response, deadline 2026-02-27);
- `approved_visit(**fields)`: a visit whose report is approved, with two findings at its
  institution (an Astana colony of MVD-KUIS-71);
"""

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from vigil.accounts.models import User
from vigil.recommendations.enums import Level, Source, State
from vigil.recommendations.models import Recommendation
from vigil.visits.enums import ReportState, Severity, Theme, VisitState
from vigil.visits.models import Finding, Visit, VisitReport

ISSUED_ON = datetime.date(2026, 1, 15)
DEADLINE = datetime.date(2026, 2, 27)


@pytest.fixture
def make_recommendation(
    ref: dict[str, Any], users: dict[str, User]
) -> Callable[..., Recommendation]:
    counter = iter(range(1, 1_000_000))

    def make(**fields: Any) -> Recommendation:
        n = next(counter)
        findings = fields.pop("findings", ())
        escalates = fields.pop("escalates", ())
        state = fields.get("state", State.AWAITING_RESPONSE)
        draft = state == State.DRAFT
        data: dict[str, Any] = {
            "reference": f"T-REC-{n:06d}",
            "source": Source.THEMATIC_REPORT,
            "addressee": ref["kuis_71"],
            "theme": Theme.T3,
            "level": Level.INSTITUTIONAL,
            "text": f"Recommended action number {n}: repair the ventilation of the cells.",
            "indicator": "Air quality measured in every cell.",
            "issued_on": None if draft else ISSUED_ON,
            "deadline": None if draft else DEADLINE,
            "state": state,
            "state_changed_on": None if draft else ISSUED_ON,
            "created_by": users["coordinator"],
        }
        data.update(fields)
        if data.get("visit") is not None and "source" not in fields:
            data["source"] = Source.VISIT_REPORT
        rec = Recommendation.objects.create(**data)
        if findings:
            rec.findings.set(findings)
        if escalates:
            rec.escalates.set(escalates)
        return rec

    return make


@pytest.fixture
def approved_visit(
    make_visit: Callable[..., Visit],
    make_institution: Callable[..., Any],
    users: dict[str, User],
) -> Callable[..., Visit]:
    """A visit (report approved) with two findings; `report_state=` for another report state."""

    def make(report_state: str = ReportState.APPROVED, **fields: Any) -> Visit:
        state = (
            VisitState.REPORT_APPROVED
            if report_state == ReportState.APPROVED
            else (VisitState.REPORT_REVIEW)
        )
        visit = make_visit(state=state, **fields)
        institution = visit.institutions.get()
        for n, (theme, severity) in enumerate(
            ((Theme.T3, Severity.SERIOUS), (Theme.T5, Severity.CRITICAL)), start=1
        ):
            Finding.objects.create(
                visit=visit,
                institution=institution,
                theme=theme,
                severity=severity,
                title=f"Finding {n} of {visit.reference}",
                description="Seen during the visit.",
                created_by=users["coordinator"],
            )
        report = VisitReport.objects.create(
            visit=visit,
            language="en",
            state=report_state,
            created_by=users["coordinator"],
        )
        report.findings.set(visit.findings.all())
        return visit

    return make
