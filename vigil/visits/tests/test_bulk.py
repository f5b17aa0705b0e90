"""The visits' bulk path: encrypted as the interview service encrypts, historical times kept,
plans created and audited, follow-ups linked, the registry's last visit moved, one audit row
per visit."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.people.models import Participant
from vigil.visits.enums import IntervieweeCategory, VisitState, VisitType
from vigil.visits.models import AnnualPlan, Interview, TeamMember, Visit, VisitTransition
from vigil.visits.services.bulk import (
    VisitRows,
    interview_content_encrypt,
    sealed_identity_build,
    visits_bulk_create,
)
from vigil.visits.services.interviews import identity_unseal, interview_read_content

pytestmark = pytest.mark.django_db

STARTED = datetime.datetime(2019, 5, 14, 9, 30, tzinfo=datetime.UTC)
CREATED = datetime.datetime(2018, 12, 3, 10, 0, tzinfo=datetime.UTC)


def _rows(
    users: dict[str, User], participants: dict[str, Participant], institution: Any, earlier: str
) -> VisitRows:
    rows = VisitRows()
    visit = Visit(
        reference="2019-0001",
        type=VisitType.FOLLOW_UP,
        state=VisitState.ON_SITE,
        title="Follow-up visit",
        region=institution.region,
        planned_start=datetime.date(2019, 5, 14),
        started_at=STARTED,
        created_by=users["coordinator"],
        created_at=CREATED,
        updated_at=STARTED,
    )
    rows.visits.append(visit)
    rows.follow_ups.append((visit, earlier))
    rows.visit_institutions.append((visit, institution))
    for key in ("lead", "monitor", "doctor"):
        rows.team.append(
            TeamMember(visit=visit, participant=participants[key], is_lead=key == "lead")
        )
    rows.transitions.append(
        VisitTransition(
            visit=visit,
            from_state=VisitState.PREPARED,
            to_state=VisitState.ON_SITE,
            actor=participants["lead"].user,
            occurred_at=STARTED,
        )
    )
    interview = Interview(
        visit=visit,
        institution=institution,
        conducted_by=participants["lead"].user,
        conducted_on=datetime.date(2019, 5, 14),
        category=IntervieweeCategory.DETAINEE,
        pseudonym="A-01",
        created_at=STARTED,
        updated_at=STARTED,
    )
    interview_content_encrypt(interview, "Он рассказал о переполненной камере.")
    rows.interviews.append(interview)
    identity = sealed_identity_build(interview, "Иван Иванов, 1980")
    identity.created_at = identity.updated_at = STARTED
    rows.identities.append(identity)
    rows.last_visits[institution.pk] = datetime.date(2019, 5, 14)
    return rows


def test_writes_a_visit_with_its_rules(
    users: dict[str, User],
    participants: dict[str, Participant],
    make_visit: Callable[..., Visit],
    make_institution: Callable[..., Any],
) -> None:
    institution = make_institution()
    earlier = make_visit(state=VisitState.CLOSED, institution=institution)
    rows = _rows(users, participants, institution, earlier.reference)

    moved = visits_bulk_create(rows, audit_data={"demo_data": "demo"})

    visit = Visit.objects.get(reference="2019-0001")
    assert visit.follow_up_of == earlier
    assert visit.plan == AnnualPlan.objects.get(year=2019)
    assert visit.created_at == CREATED  # the historical time, not the time of the write
    assert AuditEvent.objects.filter(action=AuditAction.PLAN_CREATED, data__year=2019).exists()
    audit = AuditEvent.objects.get(action=AuditAction.VISIT_CREATED, target_id=str(visit.public_id))
    assert audit.data == {"plan": 2019, "state": VisitState.ON_SITE, "demo_data": "demo"}
    assert visit.team.filter(is_lead=True).count() == 1
    interview = visit.interviews.get()
    coordinator = users["coordinator"]
    assert interview_read_content(actor=coordinator, interview=interview) == (
        "Он рассказал о переполненной камере."
    )
    assert (
        identity_unseal(actor=coordinator, interview=interview, reason="Referral")
        == "Иван Иванов, 1980"
    )
    # The registry's last visit follows the latest visit that took place (the earlier one,
    # started now in the fixture, is later than 2019).
    institution.refresh_from_db()
    assert institution.last_visited_on == timezone.localdate(earlier.started_at)
    assert moved == 1


def test_nothing_to_write_writes_nothing() -> None:
    assert visits_bulk_create(VisitRows(), audit_data={}) == 0
    assert not AuditEvent.objects.exists()
    assert not AnnualPlan.objects.exists()
