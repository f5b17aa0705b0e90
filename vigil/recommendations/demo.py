"""Synthetic demo recommendations: ten years of an NPM's recommendations with realistic status
mixes, the authorities' responses, repeats and a few escalations.

Called by `generate_demo_data` after the institutions (and the demo accounts). Scale `demo`:
30 a year (300); `national`: 3,500 a year (35,000). Texts come from
`data/demo_recommendations.json` (by theme, in ru / kk / en).

Status mixes depend on age: recommendations of six or more years ago are mostly implemented,
not accepted or closed; last year's are mostly in implementation; this year's mostly wait for
an answer — about 40% implemented overall. An agency factor (the data file) makes some
agencies comply less (the Ministry of Defence keeps the NPM out in practice).

Deterministic: each recommendation draws from its own stream keyed by its external reference
(`DEMO-REC-<year>-<n>`), so the same seed gives the same data. Idempotent: existing external
references are left alone, so a second run creates nothing. Fast: bulk writes, one year at a
time (repeats link to earlier years' rows).
"""

import datetime
import json
import random
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.core.calendar import WorkingCalendar
from vigil.reference.enums import AgencyLevel
from vigil.reference.models import Agency
from vigil.reference.selectors import agency_subtree_ids
from vigil.registry.models import Institution

from .enums import ClaimedStatus, EventKind, Level, Source, State, Verdict
from .models import AuthorityResponse, Recommendation, RecommendationEvent
from .services.core import allocate_references
from .services.escalation import top_agencies

Scale = Literal["demo", "national"]
PER_YEAR: dict[str, int] = {"demo": 30, "national": 3500}
YEARS = 10
ESCALATION_SHARE: dict[str, float] = {"demo": 0.2, "national": 0.02}
REPEAT_SHARE = 0.08
RESPONSE_SHARE = 0.85
DATA = Path(__file__).resolve().parent / "data" / "demo_recommendations.json"
PREFIX = "DEMO-REC-"
BATCH = 1000

S = State
# Status mixes by age in years (0: this year). Weights, not shares.
MIXES: dict[int, dict[str, float]] = {
    0: {
        S.ISSUED: 4,
        S.AWAITING_RESPONSE: 36,
        S.ACCEPTED: 18,
        S.IN_IMPLEMENTATION: 20,
        S.IMPLEMENTED_CLAIMED: 9,
        S.NOT_ACCEPTED: 5,
        S.NO_RESPONSE: 8,
    },
    1: {
        S.AWAITING_RESPONSE: 5,
        S.ACCEPTED: 10,
        S.IN_IMPLEMENTATION: 30,
        S.PARTIALLY_IMPLEMENTED: 6,
        S.IMPLEMENTED_CLAIMED: 26,
        S.IMPLEMENTED_VERIFIED: 5,
        S.NOT_ACCEPTED: 8,
        S.NO_RESPONSE: 8,
        S.REOPENED: 2,
    },
    2: {
        S.ACCEPTED: 5,
        S.IN_IMPLEMENTATION: 24,
        S.PARTIALLY_IMPLEMENTED: 6,
        S.IMPLEMENTED_CLAIMED: 30,
        S.IMPLEMENTED_VERIFIED: 10,
        S.NOT_ACCEPTED: 10,
        S.NO_RESPONSE: 7,
        S.REOPENED: 3,
        S.OBSOLETE: 3,
    },
    6: {
        S.ACCEPTED: 2,
        S.IN_IMPLEMENTATION: 11,
        S.PARTIALLY_IMPLEMENTED: 5,
        S.IMPLEMENTED_CLAIMED: 28,
        S.IMPLEMENTED_VERIFIED: 22,
        S.NOT_ACCEPTED: 13,
        S.NO_RESPONSE: 6,
        S.REOPENED: 3,
        S.OBSOLETE: 10,
    },
}
_IMPLEMENTED = (S.IMPLEMENTED_CLAIMED, S.IMPLEMENTED_VERIFIED)
CLAIM_OF_STATE: dict[str, str] = {
    S.ACCEPTED: ClaimedStatus.ACCEPTED,
    S.IN_IMPLEMENTATION: ClaimedStatus.IN_IMPLEMENTATION,
    S.PARTIALLY_IMPLEMENTED: ClaimedStatus.PARTIALLY_IMPLEMENTED,
    S.IMPLEMENTED_CLAIMED: ClaimedStatus.IMPLEMENTED,
    S.IMPLEMENTED_VERIFIED: ClaimedStatus.IMPLEMENTED,
    S.NOT_ACCEPTED: ClaimedStatus.NOT_ACCEPTED,
    S.REOPENED: ClaimedStatus.IMPLEMENTED,
}


class DemoRecommendationsError(ValueError):
    pass


@cache
def _material() -> dict[str, Any]:
    return dict(json.loads(DATA.read_text(encoding="utf-8")))


def _mix(age: int) -> dict[str, float]:
    return MIXES[max(k for k in MIXES if k <= age)]


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return str(rng.choices(keys, weights=[weights[k] for k in keys])[0])


@dataclass
class _Context:
    today: datetime.date
    calendar: WorkingCalendar
    institutions: list[Institution]
    by_pk: dict[int, Institution]
    agencies: dict[int, Agency]
    factor: dict[int, float]  # by agency pk: how readily its branch implements
    liaison: User | None
    liaison_subtree: set[int]
    coordinator: User
    tops: list[Agency]


def _root_code(agency: Agency, agencies: dict[int, Agency]) -> str:
    current = agency
    while current.parent_id and current.parent_id in agencies:
        parent = agencies[current.parent_id]
        if parent.level == AgencyLevel.GOVERNMENT:
            break
        current = parent
    return current.code


def _context(today: datetime.date) -> _Context:
    material = _material()
    agencies = {a.pk: a for a in Agency.objects.all()}
    factors = material.get("agency_factors", {})
    factor = {
        pk: float(factors.get(_root_code(agency, agencies), 1.0)) for pk, agency in agencies.items()
    }
    coordinator = (
        User.objects.filter(email="coordinator@demo.vigil").first()
        or User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk").first()
    )
    if coordinator is None:
        raise DemoRecommendationsError("No coordinator account: create the demo accounts first.")
    institutions = list(Institution.objects.select_related("agency").order_by("external_code"))
    liaison = User.objects.filter(email="liaison@demo.vigil", is_active=True).first()
    return _Context(
        today=today,
        calendar=WorkingCalendar(),
        institutions=institutions,
        by_pk={i.pk: i for i in institutions},
        agencies=agencies,
        factor=factor,
        liaison=liaison,
        liaison_subtree=set(agency_subtree_ids(liaison.agency)) if liaison else set(),
        coordinator=coordinator,
        tops=top_agencies(),
    )


def _higher(agency: Agency, ctx: _Context) -> Agency | None:
    if agency.parent_id and agency.parent_id in ctx.agencies:
        return ctx.agencies[agency.parent_id]
    return next((top for top in ctx.tops if top.pk != agency.pk), None)


def _state(rng: random.Random, age: int, factor: float) -> str:
    weights = dict(_mix(age))
    for state in _IMPLEMENTED:
        if state in weights:
            weights[state] *= factor
    return _pick(rng, weights)


def _date_in(rng: random.Random, year: int, today: datetime.date) -> datetime.date:
    first = datetime.date(year, 1, 1)
    last = min(datetime.date(year, 12, 31), today - datetime.timedelta(days=1))
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))


@dataclass
class _Drawn:
    rec: Recommendation
    rng: random.Random


def _draw(
    ext: str, year: int, base: int, ctx: _Context, previous: list[Recommendation]
) -> _Drawn | None:
    rng = random.Random(f"{base}:{ext}")  # noqa: S311 - synthetic demo data
    material = _material()
    issued_on = _date_in(rng, year, ctx.today)
    if issued_on >= ctx.today:
        return None
    roll = rng.random()
    institution: Institution | None = None
    earlier: Recommendation | None = None
    if previous and rng.random() < REPEAT_SHARE:
        earlier = previous[rng.randrange(len(previous))]
    if earlier is not None:
        institution = ctx.by_pk.get(earlier.institution_id or 0)
        addressee = ctx.agencies[earlier.addressee_id]
        level = Level(earlier.level)
        theme = earlier.theme
    elif roll < 0.86 and ctx.institutions:
        institution = rng.choice(ctx.institutions)
        addressee = institution.agency
        level = Level.URGENT_INDIVIDUAL if rng.random() < 0.08 else Level.INSTITUTIONAL
        theme = _pick(rng, {k: v for k, v in material["theme_weights"].items() if k != "T8"})
    else:
        source_agency = (
            rng.choice(ctx.institutions).agency
            if ctx.institutions
            else rng.choice(list(ctx.agencies.values()))
        )
        addressee = _higher(source_agency, ctx) or source_agency
        level = Level.LEGISLATIVE if roll > 0.97 else Level.SYSTEMIC
        theme = "T8" if rng.random() < 0.5 else _pick(rng, material["theme_weights"])
    language = _pick(rng, material["languages"])
    options = material["texts"][theme]
    text = earlier.text if earlier is not None else rng.choice(options)[language]
    age = ctx.today.year - year
    state = _state(rng, age, ctx.factor.get(addressee.pk, 1.0))
    if state in (S.ISSUED, S.AWAITING_RESPONSE) and age == 0:
        # still waiting for an answer: issued in the last weeks
        recent = ctx.today - datetime.timedelta(days=rng.randint(1, 45))
        issued_on = max(datetime.date(year, 1, 1), recent)
    deadline = ctx.calendar.add_working_days(issued_on, 30)
    if state in (S.ACCEPTED, S.IN_IMPLEMENTATION, S.PARTIALLY_IMPLEMENTED, S.REOPENED):
        # an implementation deadline agreed with the authority
        deadline = issued_on + datetime.timedelta(days=rng.randint(180, 900))
    changed = min(
        ctx.today, issued_on + datetime.timedelta(days=rng.randint(20, 40 + 60 * min(age, 5)))
    )
    if state in (S.ISSUED, S.AWAITING_RESPONSE):
        changed = issued_on
    verdict = ""
    if state == S.IMPLEMENTED_VERIFIED:
        verdict = Verdict.VERIFIED
    elif state == S.REOPENED:
        verdict = Verdict.NOT_VERIFIED
    elif state == S.IMPLEMENTED_CLAIMED:
        verdict = _pick(rng, {"": 6, Verdict.ACCEPT_CLAIM: 3, Verdict.DISPUTE: 1})
    rec = Recommendation(
        external_ref=ext,
        source=Source.VISIT_REPORT if institution else Source.ANNUAL_REPORT,
        source_document=(
            f"Demo visit report {year}" if institution else f"Demo annual report {year}"
        ),
        addressee=addressee,
        institution=institution,
        theme=theme,
        level=level,
        text=text,
        indicator=material["indicators"][language] if rng.random() < 0.6 else "",
        issued_on=issued_on,
        deadline=deadline,
        state=state,
        state_changed_on=max(changed, issued_on),
        claimed_status=CLAIM_OF_STATE.get(state, ""),
        assessed_verdict=verdict,
        repeat_of=earlier,
        created_by=ctx.coordinator,
    )
    return _Drawn(rec, rng)


def _response(drawn: _Drawn, ctx: _Context, serial: int) -> AuthorityResponse | None:
    rec, rng = drawn.rec, drawn.rng
    if not rec.claimed_status or rng.random() > RESPONSE_SHARE:
        return None
    if rec.issued_on is None or rec.deadline is None:
        return None
    letter_date = min(ctx.today, rec.issued_on + datetime.timedelta(days=rng.randint(10, 70)))
    submitter = ctx.coordinator
    if ctx.liaison is not None and rec.addressee_id in ctx.liaison_subtree:
        submitter = ctx.liaison
    return AuthorityResponse(
        recommendation=rec,
        responding_agency_id=rec.addressee_id,
        letter_number=f"{serial:05d}-{rec.addressee.code}/{letter_date.year}",
        letter_date=letter_date,
        measures=_material()["measures"][rec.claimed_status],
        claimed_status=rec.claimed_status,
        on_time=letter_date <= rec.deadline,
        submitted_by=submitter,
    )


def _events(recs: list[Recommendation], note: str) -> list[RecommendationEvent]:
    return [
        RecommendationEvent(
            recommendation=rec,
            kind=EventKind.IMPORTED,
            to_state=rec.state,
            note=note,
            data={"via": "demo"},
        )
        for rec in recs
    ]


def _save_year(year: int, drawn: list[_Drawn]) -> list[Recommendation]:
    references = allocate_references(year, len(drawn))
    for reference, item in zip(references, drawn, strict=True):
        item.rec.reference = reference
    return Recommendation.objects.bulk_create([d.rec for d in drawn], batch_size=BATCH)


def _escalate(
    originals: list[Recommendation], ctx: _Context, base: int, share: float
) -> tuple[list[Recommendation], list[RecommendationEvent]]:
    """A few individualised recommendations to the next level up, for refused or unanswered
    recommendations at least two years old."""
    chosen: list[tuple[Recommendation, Agency, random.Random]] = []
    for rec in originals:
        if rec.state not in (S.NOT_ACCEPTED, S.NO_RESPONSE) or rec.issued_on is None:
            continue
        if ctx.today.year - rec.issued_on.year < 2:
            continue
        rng = random.Random(f"{base}:escalate:{rec.external_ref}")  # noqa: S311 - demo data
        target = _higher(rec.addressee, ctx)
        if target is not None and rng.random() < share:
            chosen.append((rec, target, rng))
    if not chosen:
        return [], []
    by_year: dict[int, list[Recommendation]] = defaultdict(list)
    escalations: list[Recommendation] = []
    for rec, target, rng in chosen:
        assert rec.issued_on is not None  # noqa: S101 (filtered above)
        issued_on = min(
            ctx.today - datetime.timedelta(days=1),
            rec.state_changed_on or rec.issued_on,
        ) + datetime.timedelta(days=rng.randint(0, 30))
        issued_on = min(issued_on, ctx.today - datetime.timedelta(days=1))
        state = _pick(
            rng,
            {
                S.AWAITING_RESPONSE: 1,
                S.IN_IMPLEMENTATION: 3,
                S.IMPLEMENTED_CLAIMED: 4,
                S.NOT_ACCEPTED: 1,
            },
        )
        escalation = Recommendation(
            external_ref=f"DEMO-ESC-{rec.external_ref}",
            source=Source.ESCALATION,
            source_document=f"Escalation of {rec.external_ref}",
            addressee=target,
            institution=rec.institution,
            theme=rec.theme,
            level=Level.SYSTEMIC,
            text=(
                f"Ensure that {rec.addressee.name_en or rec.addressee.code} implements "
                f"the recommendation of the National Preventive Mechanism: {rec.text}"
            ),
            issued_on=issued_on,
            deadline=ctx.calendar.add_working_days(issued_on, 30),
            state=state,
            state_changed_on=issued_on,
            claimed_status=CLAIM_OF_STATE.get(state, ""),
            created_by=ctx.coordinator,
        )
        escalation.original = rec  # type: ignore[attr-defined]
        by_year[issued_on.year].append(escalation)
        escalations.append(escalation)
    for year, group in sorted(by_year.items()):
        for reference, esc in zip(allocate_references(year, len(group)), group, strict=True):
            esc.reference = reference
        Recommendation.objects.bulk_create(group, batch_size=BATCH)
    links = [
        Recommendation.escalates.through(
            from_recommendation_id=esc.pk,
            to_recommendation_id=esc.original.pk,  # type: ignore[attr-defined]
        )
        for esc in escalations
    ]
    Recommendation.escalates.through.objects.bulk_create(links, batch_size=BATCH)
    events: list[RecommendationEvent] = []
    for esc in escalations:
        original: Recommendation = esc.original  # type: ignore[attr-defined]
        events.append(
            RecommendationEvent(
                recommendation=original,
                kind=EventKind.ESCALATION,
                from_state=original.state,
                to_state=S.ESCALATED,
                note=f"Escalated to {esc.addressee.code} as {esc.reference}.",
                data={"escalation": str(esc.public_id), "escalation_reference": esc.reference},
            )
        )
        events.append(
            RecommendationEvent(
                recommendation=esc,
                kind=EventKind.ESCALATION,
                data={
                    "originals": [str(original.public_id)],
                    "original_references": [original.reference],
                    "language": "ru",
                    "reasons": {original.reference: [original.state]},
                },
            )
        )
        original.state = S.ESCALATED
        original.state_changed_on = esc.issued_on
    Recommendation.objects.bulk_update(
        [esc.original for esc in escalations],  # type: ignore[attr-defined]
        ["state", "state_changed_on"],
        batch_size=BATCH,
    )
    return escalations, events


@transaction.atomic
def generate_recommendations(
    rng: random.Random, scale: Scale, *, today: datetime.date | None = None
) -> dict[str, int]:
    """Create the missing demo recommendations; returns what was created."""
    if scale not in PER_YEAR:
        raise DemoRecommendationsError(f"Unknown scale {scale!r}.")
    today = today or timezone.localdate()
    base = rng.getrandbits(64)
    ctx = _context(today)
    existing = set(
        Recommendation.objects.filter(external_ref__startswith=PREFIX).values_list(
            "external_ref", flat=True
        )
    )
    previous = list(
        Recommendation.objects.filter(external_ref__startswith=PREFIX, institution__isnull=False)
        .only("pk", "text", "institution_id", "addressee_id", "theme", "level", "issued_on")
        .order_by("issued_on", "pk")
    )
    counts = {"recommendations": 0, "responses": 0, "repeats": 0, "escalations": 0}
    created: list[Recommendation] = []
    responses: list[AuthorityResponse] = []
    serial = 0
    for year in range(today.year - YEARS + 1, today.year + 1):
        drawn: list[_Drawn] = []
        for n in range(1, PER_YEAR[scale] + 1):
            ext = f"{PREFIX}{year}-{n:05d}"
            if ext in existing:
                continue
            item = _draw(ext, year, base, ctx, previous)
            if item is not None:
                drawn.append(item)
        if not drawn:
            continue
        drawn.sort(key=lambda d: (d.rec.issued_on, d.rec.external_ref))
        saved = _save_year(year, drawn)
        created.extend(saved)
        previous.extend(d.rec for d in drawn if d.rec.institution_id is not None)
        for item in drawn:
            counts["repeats"] += item.rec.repeat_of_id is not None
            serial += 1
            response = _response(item, ctx, serial)
            if response is not None:
                responses.append(response)
    AuthorityResponse.objects.bulk_create(responses, batch_size=BATCH)
    events = _events(created, "Synthetic demo data.")
    escalations, escalation_events = _escalate(created, ctx, base, ESCALATION_SHARE[scale])
    events += _events(escalations, "Synthetic demo data.") + escalation_events
    events += [
        RecommendationEvent(
            recommendation=r.recommendation,
            kind=EventKind.RESPONSE,
            note=r.letter_number,
            data={"response": str(r.public_id), "claimed_status": r.claimed_status},
        )
        for r in responses
    ]
    RecommendationEvent.objects.bulk_create(events, batch_size=BATCH)
    counts["recommendations"] = len(created) + len(escalations)
    counts["responses"] = len(responses)
    counts["escalations"] = len(escalations)
    if counts["recommendations"]:
        audit_record(
            actor=None,
            action=AuditAction.DEMO_DATA_GENERATED,
            data={"kind": "recommendations", "scale": scale, "counts": counts},
        )
    return counts
