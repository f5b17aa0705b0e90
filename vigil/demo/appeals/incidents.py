"""Demo incidents (reprisals, access obstruction, deaths in custody, self-harm), linked to
institutions and some to appeals, visits, interviews and cases; and the follow-up contacts of
appellants and interviewees at risk of reprisals (some done, some due, some overdue)."""

import datetime
import random

from vigil.accounts.models import User
from vigil.appeals.enums import FollowUpOutcome, IncidentKind
from vigil.appeals.models import Appeal, CriminalCase, FollowUpContact, Incident
from vigil.appeals.services.follow_ups import note_encrypt
from vigil.appeals.services.incidents import summary_encrypt
from vigil.registry.models import Institution
from vigil.visits.enums import ReprisalRisk
from vigil.visits.models import Interview

from .context import WRITTEN_LANGUAGES, Context, day_in, new_uuid, pick, texts
from .plan import YearPlan

K = IncidentKind
DETENTION_WEIGHTS = {"penal": 50, "pre_trial": 25, "police": 15, "medical": 10}
OUTCOME_WEIGHTS = {
    FollowUpOutcome.NO_CONCERN: 70,
    FollowUpOutcome.CONCERN: 15,
    FollowUpOutcome.REPRISAL_REPORTED: 4,
    FollowUpOutcome.UNREACHABLE: 11,
}


def _text(entry: dict[str, str], language: str) -> str:
    return entry.get(language) or entry["ru"]


def _institution(rng: random.Random, ctx: Context) -> Institution:
    weights = {k: v for k, v in DETENTION_WEIGHTS.items() if ctx.institutions.get(k)}
    category = pick(rng, weights) if weights else rng.choice(sorted(ctx.institutions))
    return rng.choice(ctx.institutions[category])


def draw_incidents(
    ctx: Context,
    base: int,
    plan: YearPlan,
    appeals: list[Appeal],
    cases: list[CriminalCase],
) -> list[Incident]:
    """The year's incidents (the plan's counts by kind), numbered by date."""
    stock, today = texts(), ctx.today
    at_risk = [a for a in appeals if a.reprisal_risk == ReprisalRisk.HIGH and a.institution_id]
    interviews = [i for i in ctx.risky_interviews if i.conducted_on.year == plan.year]
    visits = ctx.visits.get(plan.year, [])
    rows: list[Incident] = []
    for kind, count in sorted(plan.incidents.items()):
        for index in range(count):
            rng = random.Random(f"{base}:I:{plan.year}:{kind}:{index}")  # noqa: S311
            language = rng.choice(WRITTEN_LANGUAGES)
            incident = Incident(
                public_id=new_uuid(rng),
                kind=kind,
                occurred_on=day_in(rng, plan.year, today),
                recorded_by=ctx.coordinator,
                persons_affected=1,
            )
            institution: Institution | None = None
            roll = rng.random()
            if kind == K.REPRISAL and at_risk and roll < 0.5:
                appeal = rng.choice(at_risk)
                incident.appeal, institution = appeal, appeal.institution
                incident.occurred_on = min(
                    appeal.received_on + datetime.timedelta(days=rng.randint(3, 60)), today
                )
            elif kind == K.REPRISAL and interviews and roll < 0.9:
                interview: Interview = rng.choice(interviews)
                incident.interview, incident.visit = interview, interview.visit
                institution = interview.institution
                incident.occurred_on = min(
                    interview.conducted_on + datetime.timedelta(days=rng.randint(1, 30)), today
                )
            elif kind == K.ACCESS_OBSTRUCTION and visits:
                incident.visit = rng.choice(visits)
                places = list(incident.visit.institutions.all())
                institution = rng.choice(places) if places else None
                if incident.visit.started_at is not None:
                    incident.occurred_on = incident.visit.started_at.date()
            elif kind in (K.DEATH_IN_CUSTODY, K.SELF_HARM) and cases and roll < 0.1:
                incident.case = rng.choice(cases)
                institution = incident.case.institution
            institution = institution or _institution(rng, ctx)
            incident.institution, incident.region = institution, institution.region
            code = f"{rng.choice('ABEKMNST')}-{rng.randint(1, 99):02d}"
            template = _text(rng.choice(stock["incidents"][kind]), language)
            summary_encrypt(
                incident, template % {"code": code} if "%(code)s" in template else template
            )
            if kind == K.SELF_HARM and rng.random() < 0.1:
                incident.persons_affected = rng.randint(2, 6)
            rows.append(incident)
    rows.sort(key=lambda i: (i.occurred_on, str(i.public_id)))
    for number, incident in enumerate(rows, start=1):
        incident.reference = f"I-{plan.year}-{number:05d}"
    return rows


def _contacts(
    ctx: Context,
    rng: random.Random,
    first_due: datetime.date,
    assigned: User | None,
    language: str,
) -> list[FollowUpContact]:
    """One or two scheduled contacts from `first_due`: done when past (mostly), else due."""
    rows: list[FollowUpContact] = []
    due = first_due
    for _round in range(2):
        contact = FollowUpContact(public_id=new_uuid(rng), due_on=due, assigned_to=assigned)
        if due <= ctx.today - datetime.timedelta(days=3) and rng.random() < 0.85:
            contact.done_on = min(due + datetime.timedelta(days=rng.randint(0, 5)), ctx.today)
            contact.done_by = contact.assigned_to
            contact.outcome = pick(rng, OUTCOME_WEIGHTS)
            note_encrypt(contact, _text(texts()["follow_up_note"], language))
        rows.append(contact)
        if contact.done_on is None or rng.random() < 0.5:
            break
        due = due + datetime.timedelta(days=rng.randint(60, 120))
    return rows


def draw_follow_ups(
    ctx: Context, base: int, appeals: list[Appeal], since: datetime.date
) -> list[FollowUpContact]:
    """Follow-up contacts of appellants at high risk who may be contacted back, and of
    interviewees at high risk (from `since`)."""
    rows: list[FollowUpContact] = []
    for appeal in appeals:
        if appeal.reprisal_risk != ReprisalRisk.HIGH or not appeal.consent_contact:
            continue
        rng = random.Random(f"{base}:F:{appeal.reference}")  # noqa: S311 - synthetic demo data
        first = appeal.received_on + datetime.timedelta(days=rng.randint(20, 45))
        for contact in _contacts(
            ctx, rng, first, appeal.assigned_to or ctx.coordinator, rng.choice(WRITTEN_LANGUAGES)
        ):
            contact.appeal = appeal
            rows.append(contact)
    for interview in ctx.risky_interviews:
        if interview.conducted_on < since:
            continue
        rng = random.Random(f"{base}:F:{interview.public_id}")  # noqa: S311
        first = interview.follow_up_on or (
            interview.conducted_on + datetime.timedelta(days=rng.randint(14, 45))
        )
        for contact in _contacts(
            ctx, rng, first, interview.conducted_by, rng.choice(WRITTEN_LANGUAGES)
        ):
            contact.interview = interview
            rows.append(contact)
    return rows
