"""The demo visits' schedule and, for each visit, its plan: type, institutions, eligible
team and lead, language, and its path through the life cycle up to today."""

import datetime
import itertools
import random
import uuid
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

from vigil.accounts.models import User
from vigil.people.models import Participant
from vigil.reference.models import Region
from vigil.registry.models import Institution
from vigil.visits.enums import TriggerKind, VisitMode, VisitType
from vigil.visits.workflow import MIN_TEAM

from ..registry import DemoDataError
from . import texts
from .world import (
    CATEGORY_WEIGHTS,
    SHOWCASES,
    TYPE_WEIGHTS,
    WRITTEN_LANGUAGES,
    S,
    ScaleSpec,
    Showcase,
    World,
)

# ---------------------------------------------------------------- the schedule


@dataclass
class Slot:
    start: datetime.date
    showcase: Showcase | None = None
    joint: bool = False
    reference: str = ""


def _weekday(rng: random.Random, year: int) -> datetime.date:
    first = datetime.date(year, 1, 10)
    while True:
        day = first + datetime.timedelta(days=rng.randint(0, 350))
        if day.weekday() < 5:
            return day


def schedule(base: int, spec: ScaleSpec, today: datetime.date) -> list[Slot]:
    rng = random.Random(f"{base}:schedule")  # noqa: S311 - synthetic demo data
    horizon = today + datetime.timedelta(days=spec.horizon_days)
    slots: list[Slot] = []
    first_year = today.year - spec.years + 1
    for year in range(first_year, horizon.year + 1):
        jitter = rng.uniform(0.92, 1.08) if spec.per_year >= 100 else 1.0
        days = sorted(_weekday(rng, year) for _ in range(round(spec.per_year * jitter)))
        slots.extend(Slot(day) for day in days if day <= horizon)
    # A few joint visits with the UN Subcommittee, in one year, a week apart.
    joint_year = [s for s in slots if s.start.year == max(first_year, today.year - 3)]
    for slot in joint_year[len(joint_year) // 2 :][: 1 if spec.per_year < 100 else 5]:
        slot.joint = True
    for showcase in SHOWCASES:
        slots.append(Slot(today + datetime.timedelta(days=showcase.offset), showcase=showcase))
    slots.sort(key=lambda s: (s.start, s.showcase.key if s.showcase else ""))
    numbers: dict[int, int] = defaultdict(int)
    for slot in slots:
        numbers[slot.start.year] += 1
        slot.reference = f"{slot.start.year}-{numbers[slot.start.year]:04d}"
    return slots


# ---------------------------------------------------------------- one visit


@dataclass
class Step:
    state: str
    at: datetime.datetime
    actor: User
    note: str = ""


@dataclass
class VisitPlan:
    slot: Slot
    rng: random.Random
    type: str
    institutions: list[Institution]
    category: str
    region: Region
    start: datetime.date
    end: datetime.date
    team: list[Participant]
    lead: Participant
    language: str
    created_by: User
    follow_up_of: "VisitPlan | None" = None
    mode: str = VisitMode.IN_PERSON
    announced: bool = False
    theme: str = ""
    trigger_kind: str = ""
    trigger_reference: str = ""
    trigger_details: str = ""
    created_at: datetime.datetime | None = None
    steps: list[Step] = field(default_factory=list)
    refused: bool = False

    @property
    def state(self) -> str:
        return self.steps[-1].state if self.steps else S.DRAFT

    def reached(self, state: str) -> datetime.datetime | None:
        return next((s.at for s in self.steps if s.state == state), None)


def at_time(day: datetime.date, hour: int, minutes: int = 0) -> datetime.datetime:
    """The local time `hour` o'clock plus `minutes` on `day`, as an aware datetime."""
    moment = datetime.datetime.combine(day, datetime.time(hour))
    return timezone.make_aware(moment + datetime.timedelta(minutes=minutes))


def pick(rng: random.Random, weights: Mapping[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def minutes_after(
    at: datetime.datetime, low: int, high: int, rng: random.Random
) -> datetime.datetime:
    return at + datetime.timedelta(minutes=rng.randint(low, high))


def new_uuid(rng: random.Random) -> uuid.UUID:
    """A public id drawn from the visit's stream (deterministic for a seed)."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def stamp(
    obj: models.Model, at: datetime.datetime, updated: datetime.datetime | None = None
) -> None:
    """The row's historical times (kept by the bulk path)."""
    obj.created_at = at  # type: ignore[attr-defined]
    obj.updated_at = updated or at  # type: ignore[attr-defined]


def _eligible(
    world: World,
    participant: Participant,
    plan_institutions: list[Institution],
    start: datetime.date,
    end: datetime.date,
) -> bool:
    if not (participant.is_accredited_on(start) and participant.is_accredited_on(end)):
        return False
    for declared, ends, institution_id, agencies in world.conflicts.get(participant.pk, ()):
        if declared <= start and (ends is None or start < ends):
            for institution in plan_institutions:
                if institution.pk == institution_id or institution.agency_id in agencies:
                    return False
    return True


def _ranked(
    world: World,
    rng: random.Random,
    institutions: list[Institution],
    region: Region,
    start: datetime.date,
    end: datetime.date,
    skip: set[Participant],
) -> Iterator[Participant]:
    """The eligible participants but `skip`: local ones first, each group the least busy first
    (the others are looked at only when the local ones are not enough)."""
    local = world.by_home.get(region.pk, [])
    for group in (local, [p for p in world.participants if p.region_id != region.pk]):
        eligible = [
            p for p in group if p not in skip and _eligible(world, p, institutions, start, end)
        ]
        yield from sorted(eligible, key=lambda p: world.load[p.pk] + rng.random() * 4)


def _team(
    world: World,
    rng: random.Random,
    institutions: list[Institution],
    region: Region,
    start: datetime.date,
    end: datetime.date,
    showcase: Showcase | None,
) -> tuple[list[Participant], Participant]:
    size = rng.choices((3, 4, 5), weights=(0.5, 0.35, 0.15))[0]
    forced = world.demo_monitor if showcase and showcase.monitor else None
    if forced is not None and not _eligible(world, forced, institutions, start, end):
        forced = None
    skip = {forced} if forced else set()
    # The demo monitor's current work is the showcase visits; it went on some older ones.
    recent = start > world.today - datetime.timedelta(days=120)
    if (
        forced is None
        and world.demo_monitor is not None
        and (showcase is not None or recent or rng.random() < 0.8)
    ):
        skip.add(world.demo_monitor)
    ranked = _ranked(world, rng, institutions, region, start, end, skip)
    team = [forced] if forced else []
    team += itertools.islice(ranked, size - len(team))
    if len(team) < MIN_TEAM:
        raise DemoDataError(f"Not enough eligible participants for a visit on {start}.")
    medical = {"doctor", "psychiatrist", "psychologist"}
    if institutions[0].type.category in ("medical", "social") and not any(
        p.profession in medical for p in team
    ):
        extra = next((p for p in ranked if p.profession in medical), None)
        if extra is not None:
            team[-1] = extra
    for member in team:
        world.load[member.pk] += 1
    if forced is not None and showcase is not None and showcase.monitor == "lead":
        lead = forced
    else:
        candidates = [p for p in team if p is not world.demo_monitor] or team
        lead = min(candidates, key=lambda p: (p.accredited_from, p.pk))
    return team, lead


def _language(lead: Participant, kind: str) -> str:
    """The language a visit's records are written in. The NPM writes in a state language:
    Kazakh or Russian, whichever its lead works in (a lead who reads the site in English still
    writes in Russian, the other working language of the Commissioner's office). A joint visit
    with the UN Subcommittee keeps its records in English, the language it works in with the
    SPT; the site's interface, not the records, is what comes in all three languages."""
    if kind == VisitType.JOINT:
        return "en"
    preferred = (lead.user.preferred_language or "")[:2]
    return preferred if preferred in WRITTEN_LANGUAGES else "ru"


def _choose_institutions(
    world: World, rng: random.Random, slot: Slot, region_code: str | None = None
) -> list[Institution]:
    categories = slot.showcase.categories if slot.showcase else (pick(rng, CATEGORY_WEIGHTS),)
    if region_code is not None:
        region = Region.objects.filter(code=region_code).first()
        for category in categories:
            places = world.by_region.get((region.pk, category), []) if region else []
            if places:
                return [rng.choice(places)]
    for category in categories:
        if world.institutions.get(category):
            first = rng.choice(world.institutions[category])
            break
    else:
        first = rng.choice([i for places in world.institutions.values() for i in places])
    chosen = [first]
    if rng.random() < 0.08:
        same = world.by_region.get((first.region_id, first.type.category), [])
        others = [i for i in same if i.pk != first.pk]
        if others:
            chosen.append(rng.choice(others))
    return chosen


def _region_on(institution: Institution, day: datetime.date) -> Region:
    """Records made before a region was split keep the region it was split from."""
    region = institution.region
    if region.valid_from and day < region.valid_from and region.predecessor is not None:
        return region.predecessor
    return region


def plan_visit(world: World, base: int, slot: Slot, took_place: list["VisitPlan"]) -> VisitPlan:
    """The visit of `slot`; a follow-up follows up one of `took_place` (the latest visits that
    took place)."""
    rng = random.Random(f"{base}:{slot.reference}")  # noqa: S311 - synthetic demo data
    showcase = slot.showcase
    if showcase:
        kind = showcase.type
    elif slot.joint:
        kind = VisitType.JOINT
    else:
        kind = pick(rng, TYPE_WEIGHTS)
    earlier: VisitPlan | None = None
    if kind == VisitType.FOLLOW_UP:
        limit = slot.start - datetime.timedelta(days=60)
        candidates = [p for p in took_place if p.start <= limit]
        earlier = rng.choice(candidates) if candidates else None
        if earlier is None:
            kind = VisitType.PLANNED
    if earlier is not None:
        institutions = list(earlier.institutions)
    else:
        institutions = _choose_institutions(world, rng, slot, showcase.region if showcase else None)
    days = showcase.days if showcase else rng.choices((0, 1, 2), weights=(0.7, 0.22, 0.08))[0]
    start = slot.start
    end = start + datetime.timedelta(days=days)
    region = _region_on(institutions[0], start)
    team, lead = _team(world, rng, institutions, region, start, end, showcase)
    language = _language(lead, kind)
    created_by = world.coordinator
    in_scope = world.regional is not None and region.pk in world.regional_regions
    if in_scope and (kind == VisitType.SPECIAL or rng.random() < 0.4):
        created_by = world.regional  # type: ignore[assignment]
    plan = VisitPlan(
        slot=slot,
        rng=rng,
        type=kind,
        institutions=institutions,
        category=institutions[0].type.category,
        region=region,
        start=start,
        end=end,
        team=team,
        lead=lead,
        language=language,
        created_by=created_by,
        follow_up_of=earlier,
    )
    # Some visits were made by video call during the pandemic.
    remote_share = {2020: 0.3, 2021: 0.05}.get(start.year, 0.0)
    if rng.random() < remote_share and kind != VisitType.JOINT and plan.category != "military":
        plan.mode = VisitMode.REMOTE
    plan.announced = kind == VisitType.JOINT or rng.random() < 0.03
    if kind == VisitType.SPECIAL:
        plan.trigger_kind = rng.choice(
            [TriggerKind.APPEAL, TriggerKind.APPEAL, TriggerKind.INCIDENT, TriggerKind.MEDIA_REPORT]
        )
        plan.trigger_details = texts.TRIGGERS[plan.trigger_kind][language]
        if plan.trigger_kind == TriggerKind.APPEAL:
            plan.trigger_reference = f"A-{start.year}-{rng.randint(1, 1600):04d}"
    if kind == VisitType.THEMATIC:
        plan.theme = rng.choice(["T5", "T7", "T1", "T3", "T2"])
    plan.refused = plan.category == "military" and rng.random() < 0.7
    _timeline(world, plan)
    return plan


def _fit(steps: list[Step], floor: datetime.datetime, now: datetime.datetime) -> None:
    """Keep forced steps in order and in the past."""
    latest = now - datetime.timedelta(minutes=5 * (len(steps) + 1))
    previous = floor
    for index, step in enumerate(steps):
        ceiling = latest + datetime.timedelta(minutes=5 * index)
        step.at = min(max(step.at, previous + datetime.timedelta(minutes=1)), ceiling)
        previous = step.at


def _timeline(world: World, plan: VisitPlan) -> None:
    """The visit's path through the life cycle, and its state: the last step before now."""
    rng, now, today = plan.rng, world.now, world.today
    final = plan.slot.showcase.state if plan.slot.showcase else None
    planner, lead = plan.created_by, plan.lead.user
    lang = plan.language
    # Planned in the run-up to its year (special visits a few days before).
    if plan.type == VisitType.SPECIAL:
        created = at_time(
            plan.start - datetime.timedelta(days=rng.randint(2, 4)), 9, rng.randint(0, 59)
        )
        planned = created + datetime.timedelta(hours=2)
    else:
        created = at_time(datetime.date(plan.start.year - 1, 12, rng.randint(1, 20)), 10)
        planned = created + datetime.timedelta(days=rng.randint(1, 12))
        if planned >= at_time(plan.start, 0):
            created = at_time(plan.start - datetime.timedelta(days=20), 10)
            planned = created + datetime.timedelta(days=2)
    if planned > now:
        planned = now - datetime.timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 8))
        created = planned - datetime.timedelta(days=rng.randint(1, 5))
    plan.created_at = created
    future = plan.start > today
    side = final is None and world.side_states
    if final == S.DRAFT or (side and future and rng.random() < 0.04):
        return
    steps = [Step(S.PLANNED, planned, planner)]
    if final == S.POSTPONED or (side and future and rng.random() < 0.03):
        at = max(planned + datetime.timedelta(days=1), now - datetime.timedelta(days=4))
        steps.append(Step(S.POSTPONED, at, planner, texts.NOTES["postponed"][lang]))
        plan.steps = steps
        _fit(steps, created, now)
        return
    if final == S.CANCELLED or (side and not future and rng.random() < 0.015):
        at = max(
            planned + datetime.timedelta(hours=1),
            at_time(plan.start, 8) - datetime.timedelta(days=2),
        )
        steps.append(Step(S.CANCELLED, at, planner, texts.NOTES["cancelled"][lang]))
        plan.steps = steps
        _fit(steps, created, now)
        return
    prepared = at_time(plan.start - datetime.timedelta(days=rng.randint(1, 6)), 15)
    steps.append(Step(S.PREPARED, max(prepared, planned + datetime.timedelta(hours=3)), lead))
    started = at_time(plan.start, 9, rng.randint(0, 90))
    steps.append(Step(S.ON_SITE, started, lead))
    debriefed = at_time(plan.end, 16, rng.randint(0, 150))
    steps.append(Step(S.DEBRIEFED, debriefed, lead))
    draft = debriefed + datetime.timedelta(days=rng.randint(2, 8), hours=-5)
    steps.append(Step(S.REPORT_DRAFT, draft, lead))
    review = draft + datetime.timedelta(days=rng.randint(8, 22))
    steps.append(Step(S.REPORT_REVIEW, review, lead))
    if rng.random() < 0.1:
        coordinator = world.coordinator
        back = review + datetime.timedelta(days=rng.randint(2, 6))
        steps.append(Step(S.REPORT_DRAFT, back, coordinator, texts.NOTES["returned"][lang]))
        review = back + datetime.timedelta(days=rng.randint(2, 6))
        steps.append(Step(S.REPORT_REVIEW, review, lead))
    approved = review + datetime.timedelta(days=rng.randint(3, 12))
    steps.append(Step(S.REPORT_APPROVED, approved, world.coordinator))
    sent = approved + datetime.timedelta(days=rng.randint(1, 7))
    steps.append(Step(S.SENT_TO_AUTHORITY, sent, world.coordinator))
    late = final == S.RESPONSE_OVERDUE or (final is None and rng.random() < 0.2)
    if final == S.RESPONSE_RECEIVED:
        late = False
    if late:
        overdue = sent + datetime.timedelta(days=31)
        steps.append(Step(S.RESPONSE_OVERDUE, overdue, planner))
        if rng.random() < 0.6 and final != S.RESPONSE_OVERDUE:
            received = overdue + datetime.timedelta(days=rng.randint(5, 60))
            steps.append(Step(S.RESPONSE_RECEIVED, received, planner))
            closed = received + datetime.timedelta(days=rng.randint(10, 60))
            steps.append(Step(S.CLOSED, closed, planner))
        else:
            closed = overdue + datetime.timedelta(days=rng.randint(30, 90))
            steps.append(Step(S.CLOSED, closed, planner, texts.NOTES["closed_overdue"][lang]))
    else:
        received = sent + datetime.timedelta(days=rng.randint(10, 29))
        steps.append(Step(S.RESPONSE_RECEIVED, received, planner))
        closed = received + datetime.timedelta(days=rng.randint(10, 60))
        steps.append(Step(S.CLOSED, closed, planner))
    if final is not None:
        cut = max(i for i, s in enumerate(steps) if s.state == final)
        plan.steps = steps[: cut + 1]
        _fit(plan.steps, created, now)
    else:
        plan.steps = [s for s in steps if s.at <= now]
