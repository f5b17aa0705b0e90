"""Synthetic appeals, referrals, art. 146 criminal cases, accountability records, incidents and
reprisal follow-ups for the demo data set (`generate_demo_data`, after the recommendations).

`--scale national`: about 1,600 appeals a year over ten years (16,000), the published shape
of art. 146 cases (2021: 665 registered in January–November, 75% terminated for lack of
evidence; 2023: 398 registered, 18 in court), 2023's 258 + 17 officials held to account, and
dozens of incidents a year; `--scale 10x`: ten times the national figures; `--scale demo`: a
tenth of them over three years. The
counts per year and the case outcomes are a pure plan (`.plan`); the rows are drawn from it.

Appeals come through realistic channels (letters and e-government most, terminals in prisons
growing after 2021, about a tenth during visits, linked to a demo visit and sometimes an
interview), about a tenth about correctional institutions, a third anonymous or without a
name; the content is encrypted and the writer sealed exactly as the appeal service does, and a
repeat writer's name gives the same fingerprint each time. Each appeal has a timeline from its
creation through every move of the life cycle it went (`vigil.appeals.workflow`); old ones
are closed, recent ones spread over the life cycle, a few overdue and a few due today.
Referrals disclose only what the person consented to, except a handful of coordinator
overrides with a reason; registered referrals become cases.

Deterministic for a seed: every row is drawn from its own random stream. Idempotent: when the
demo appeals are there already (found by their reference numbers), nothing is written. Fast:
rows are built in memory and bulk-inserted with their historical times; the timelines through
`vigil.appeals.timeline.new_event`/`record_events`; one audit row sums up what was made.
"""

import datetime
import random
from collections import Counter
from typing import Any

from django.db import transaction
from django.utils import timezone

from vigil.appeals.deadlines import add_limit
from vigil.appeals.enums import AppealState, CaseState, EventKind, ReferralState, TimeLimitCode
from vigil.appeals.models import (
    AccountabilityRecord,
    Appeal,
    AppealIdentity,
    CaseClassification,
    CriminalCase,
    FollowUpContact,
    Incident,
    Referral,
    Suspect,
)
from vigil.appeals.timeline import new_event, record_events
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.core.bulk import given_timestamps

from ..registry import DemoDataError
from ..scales import Scale, at_scale, scaled
from .appeals import (
    OVERRIDE_SHARE,
    OVERRIDES,
    Drawn,
    Step,
    draw_appeal,
    live,
    referral_for,
    repeat_writers,
    seal,
)
from .cases import DrawnCase, draw_accountability, draw_case, slots
from .context import (
    EVENT_DATA,
    EVENT_NOTE,
    Context,
    at_noon,
    at_time,
    load_context,
)
from .incidents import draw_follow_ups, draw_incidents
from .plan import SCALES, YearPlan, plan

__all__ = ["SCALES", "generate_appeals"]

A = AppealState
BATCH = 1000
HELD = {"demo": 4, "national": 6}  # appeals due today, and as many overdue


def _events(
    obj: Appeal | Referral | CriminalCase,
    created: tuple[datetime.date, str, Any],
    steps: list[Step],
    actor: Any,
    rng: random.Random,
    data: dict[str, Any] | None = None,
) -> list[Any]:
    """The timeline of `obj`: created, then each step, at increasing times."""
    day, state, creator = created
    at = at_time(day, rng)
    first = new_event(
        obj,
        EventKind.CREATED,
        actor=creator,
        to_state=state,
        note=EVENT_NOTE,
        data={**EVENT_DATA, **(data or {})},
    )
    first.occurred_at = at
    events = [first]
    current = state
    for step in steps:
        at = max(at_time(step.day, rng), at + datetime.timedelta(minutes=1))
        moved = bool(step.state)
        event = new_event(
            obj,
            step.kind,
            actor=actor,
            from_state=current if moved else "",
            to_state=step.state if moved else "",
            note=EVENT_NOTE,
            data={**EVENT_DATA, **step.data},
        )
        event.occurred_at = at
        events.append(event)
        if moved:
            current = step.state
    return events


def _hold(ctx: Context, drawn: list[Drawn], held: int) -> None:
    """This year: a few appeals due today and a few overdue, held in review."""
    limit = ctx.limits[TimeLimitCode.ANSWER]
    due_today = next(
        (
            ctx.today - datetime.timedelta(days=back)
            for back in range(14, 40)
            if add_limit(ctx.today - datetime.timedelta(days=back), limit, ctx.calendar)
            == ctx.today
            and ctx.calendar.is_working_day(ctx.today - datetime.timedelta(days=back))
        ),
        None,
    )
    candidates = [d for d in drawn if d.appeal.visit_id is None and d.category is not None]
    for number, item in enumerate(candidates[: 2 * held]):
        if number < held:
            if due_today is None:
                continue
            item.appeal.received_on = due_today
        else:
            item.appeal.received_on = ctx.today - datetime.timedelta(days=item.rng.randint(30, 60))
        item.created = A.REGISTERED
        item.appeal.channel = "letter"
        item.appeal.registered_by = ctx.coordinator
        item.route = "refer" if item.route == "refer" else "review"
        item.hold = A.REFERRED if item.route == "refer" else A.IN_REVIEW
        if number % 2:  # not even triaged yet
            item.hold = A.TRIAGED


def _merge(drawn: list[Drawn], writers: set[str]) -> None:
    """A repeat writer writing again about the same matter within weeks: merged into the
    earlier appeal (same place, same subject, same fingerprint)."""
    last: dict[str, Drawn] = {}
    for item in drawn:
        if item.name not in writers:
            continue
        earlier = last.get(item.name)
        if (
            earlier is not None
            and earlier.appeal.institution is not None
            and (earlier.category == "penal") == (item.category == "penal")  # counted apart
            and not item.hold
            and item.appeal.visit_id is None
            and item.rng.random() < 0.5
        ):
            item.route, item.duplicate_of = "merge", earlier
            item.appeal.received_on = min(
                earlier.appeal.received_on + datetime.timedelta(days=item.rng.randint(1, 20)),
                item.appeal.received_on,
            )
            item.appeal.institution = earlier.appeal.institution
            item.appeal.region = earlier.appeal.region
            item.appeal.subject = earlier.appeal.subject
            item.allegations = list(earlier.allegations)
            item.content = earlier.content  # the same matter written again
            item.appeal.summary = earlier.appeal.summary
            item.appeal.institution_text = ""
            item.category = earlier.category
            continue
        last[item.name] = item
    drawn.sort(key=lambda d: (d.appeal.received_on, str(d.appeal.public_id)))


def _write_appeals(items: list[Drawn], identities: list[AppealIdentity]) -> list[Any]:
    through = Appeal.allegation_types.through
    originals = [d.appeal for d in items if d.duplicate_of is None]
    duplicates = [d for d in items if d.duplicate_of is not None]
    with given_timestamps(Appeal, AppealIdentity):
        Appeal.objects.bulk_create(originals, batch_size=BATCH)
        for d in duplicates:
            d.appeal.duplicate_of = d.duplicate_of.appeal  # type: ignore[union-attr]
        Appeal.objects.bulk_create([d.appeal for d in duplicates], batch_size=BATCH)
        for identity in identities:
            identity.appeal_id = identity.appeal.pk
        AppealIdentity.objects.bulk_create(identities, batch_size=BATCH)
    through.objects.bulk_create(
        [
            through(appeal_id=d.appeal.pk, allegationtype_id=a.pk)
            for d in items
            for a in d.allegations
        ],
        batch_size=BATCH,
    )
    events: list[Any] = []
    for d in items:
        appeal = d.appeal
        start = appeal.received_on if d.created == A.RECEIVED else appeal.registered_on
        events += _events(
            appeal,
            (start or appeal.received_on, d.created, appeal.registered_by),
            d.steps,
            appeal.assigned_to or appeal.registered_by,
            d.rng,
            {"channel": appeal.channel},
        )
    return events


def _generate_year_appeals(
    ctx: Context, base: int, year_plan: YearPlan, writers: list[str], scale: str, state: Counter
) -> list[Drawn]:
    year = year_plan.year
    drawn = [
        draw_appeal(
            ctx, base, year, index, correctional=index < year_plan.correctional, writers=writers
        )
        for index in range(year_plan.appeals)
    ]
    if year == ctx.today.year:
        _hold(ctx, drawn, at_scale(HELD, scale))
    drawn.sort(key=lambda d: (d.appeal.received_on, str(d.appeal.public_id)))
    _merge(drawn, set(writers))
    for number, item in enumerate(drawn, start=1):
        item.appeal.reference = f"A-{year}-{number:05d}"
        item.appeal.created_at = item.appeal.updated_at = at_time(item.appeal.received_on, item.rng)
        live(ctx, item)
        reference = f"R-{year}-{number:05d}"
        override = state["overrides"] < scaled(OVERRIDES, scale) and item.rng.random() < at_scale(
            OVERRIDE_SHARE, scale
        )
        referral = referral_for(ctx, item, reference, override)
        if referral is not None and referral.overridden:
            state["overrides"] += 1
    return drawn


@transaction.atomic
def generate_appeals(
    rng: random.Random, scale: Scale, *, today: datetime.date | None = None
) -> dict[str, int]:
    """Create the demo appeals and everything that hangs on them; returns what was created."""
    if scale not in SCALES:
        raise DemoDataError(f"Unknown scale {scale!r}.")
    today = today or timezone.localdate()
    base = rng.getrandbits(64)
    plans = plan(scale, today)
    firsts = [f"A-{p.year}-00001" for p in plans if p.appeals]
    if Appeal.objects.filter(reference__in=firsts).exists():
        return {"unchanged": Appeal.objects.filter(reference__startswith="A-").count()}
    ctx = load_context(today)
    writers = repeat_writers(base, scale)
    state: Counter[str] = Counter()
    events: list[Any] = []
    all_appeals: list[Appeal] = []
    referrals: list[Referral] = []
    identities_count = 0
    for year_plan in plans:
        drawn = _generate_year_appeals(ctx, base, year_plan, writers, scale, state)
        identities = [i for i in (seal(d) for d in drawn) if i is not None]
        identities_count += len(identities)
        events += _write_appeals(drawn, identities)
        year_referrals = []
        for d in drawn:
            if d.referral is None:
                continue
            d.referral.appeal_id = d.appeal.pk
            year_referrals.append(d)
        with given_timestamps(Referral):
            for d in year_referrals:
                d.referral.created_at = d.referral.updated_at = at_time(  # type: ignore[union-attr]
                    d.referral.sent_on,  # type: ignore[union-attr]
                    d.rng,
                )
            Referral.objects.bulk_create([d.referral for d in year_referrals], batch_size=BATCH)  # type: ignore[misc]
        for d in year_referrals:
            referral = d.referral
            assert referral is not None  # noqa: S101 - filtered above
            events += _events(
                referral,
                (referral.sent_on, ReferralState.SENT, referral.created_by),
                d.referral_steps,
                referral.created_by,
                d.rng,
            )
            referrals.append(referral)
            if referral.overridden:  # visible to auditors, as the referral service records it
                audit_record(
                    actor=referral.override_by,
                    action=AuditAction.REFERRAL_CONSENT_OVERRIDDEN,
                    target=referral,
                    data={
                        "kinds": referral.overridden,
                        "reason": referral.override_reason,
                        "demo_data": scale,
                    },
                )
        all_appeals += [d.appeal for d in drawn]
        record_events(events)
        events = []
    counts: dict[str, int] = {
        "appeals": len(all_appeals),
        "sealed identities": identities_count,
        "merged": sum(a.state == A.MERGED for a in all_appeals),
        "referrals": len(referrals),
        "consent overrides": sum(bool(r.overridden) for r in referrals),
    }
    counts |= _generate_cases(ctx, base, plans, all_appeals, referrals)
    first_day = datetime.date(plans[0].year, 1, 1)
    follow_ups = draw_follow_ups(ctx, base, all_appeals, first_day)
    FollowUpContact.objects.bulk_create(follow_ups, batch_size=BATCH)
    counts["follow-up contacts"] = len(follow_ups)
    audit_record(
        actor=None,
        action=AuditAction.DEMO_DATA_GENERATED,
        data={"kind": "appeals", "scale": scale, "counts": counts},
    )
    return counts


def _generate_cases(
    ctx: Context,
    base: int,
    plans: list[YearPlan],
    appeals: list[Appeal],
    referrals: list[Referral],
) -> dict[str, int]:
    registered = [r for r in referrals if r.registered_on is not None]
    counts: Counter[str] = Counter()
    for year_plan in plans:
        year = year_plan.year
        linked = sorted(
            (r for r in registered if r.registered_on and r.registered_on.year == year),
            key=lambda r: r.reference,
        )
        drawn: list[DrawnCase] = []
        for index, slot in enumerate(slots(year_plan, base)):
            referral = None
            if linked and slot[0] not in (CaseState.REPORTED, CaseState.REGISTRATION_REFUSED):
                referral = linked.pop(0)
            drawn.append(draw_case(ctx, base, year_plan, index, slot, referral))
        drawn.sort(key=lambda d: (d.case.reported_on, str(d.case.public_id)))
        for number, item in enumerate(drawn, start=1):
            item.case.reference = f"C-{year}-{number:05d}"
            item.case.created_at = item.case.updated_at = at_time(item.case.reported_on, item.rng)
        with given_timestamps(CriminalCase, CaseClassification, Suspect):
            CriminalCase.objects.bulk_create([d.case for d in drawn], batch_size=BATCH)
            rows = []
            for d in drawn:
                for row in d.classifications:
                    row.case_id = d.case.pk
                    row.recorded_at = at_time(row.effective_on, d.rng)
                    rows.append(row)
            CaseClassification.objects.bulk_create(rows, batch_size=BATCH)
            suspects = []
            for d in drawn:
                for suspect in d.suspects:
                    suspect.case_id = d.case.pk
                    suspect.created_at = suspect.updated_at = d.case.created_at
                    suspects.append(suspect)
            Suspect.objects.bulk_create(suspects, batch_size=BATCH)
        events: list[Any] = []
        for d in drawn:
            events += _events(
                d.case,
                (d.case.reported_on, CaseState.REPORTED, ctx.coordinator),
                d.steps,
                ctx.coordinator,
                d.rng,
            )
        record_events(events)
        cases = [d.case for d in drawn]
        year_appeals = [a for a in appeals if a.received_on.year == year]
        records = draw_accountability(ctx, base, year_plan, year_appeals, cases)
        incidents = draw_incidents(ctx, base, year_plan, year_appeals, cases)
        with given_timestamps(AccountabilityRecord, Incident):
            for record in records:
                record.created_at = record.updated_at = at_noon(record.decided_on)
            AccountabilityRecord.objects.bulk_create(records, batch_size=BATCH)
            for incident in incidents:
                incident.created_at = incident.updated_at = at_noon(incident.occurred_on)
            Incident.objects.bulk_create(incidents, batch_size=BATCH)
        counts["criminal cases"] += len(cases)
        counts["reclassified"] += sum(len(d.classifications) > 1 for d in drawn)
        counts["suspects"] += len(suspects)
        counts["accountability records"] += len(records)
        counts["incidents"] += len(incidents)
    return dict(counts)
