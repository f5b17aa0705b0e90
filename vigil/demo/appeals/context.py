"""What the appeals demo data is drawn from: the texts of `vigil/demo/data/appeal_texts.json`
and the context read once from the database (demo accounts, institutions by category, visits
and interviews by year, the appeal reference data and time limits, the working calendar)."""

import calendar as month_calendar
import datetime
import json
import random
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.db import models
from django.utils import timezone

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.appeals.enums import TimeLimitCode
from vigil.appeals.models import AllegationType, AppealSubject, InvestigatingBody, TimeLimit
from vigil.appeals.reference import appeal_reference_load
from vigil.core.calendar import WorkingCalendar
from vigil.registry.enums import InstitutionStatus
from vigil.registry.models import Institution
from vigil.visits.enums import ReprisalRisk
from vigil.visits.models import Interview, Visit

from ..accounts import DEMO_ACCOUNTS
from ..registry import DemoDataError

DATA = Path(__file__).resolve().parent.parent / "data" / "appeal_texts.json"
WRITTEN_LANGUAGES = ("kk", "ru")
EVENT_NOTE = "Synthetic demo data."
EVENT_DATA = {"via": "demo"}
Texts = Mapping[str, str]


@cache
def texts() -> dict[str, Any]:
    return dict(json.loads(DATA.read_text(encoding="utf-8")))


def pick[K](rng: random.Random, weights: Mapping[K, float]) -> K:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def day_in(
    rng: random.Random, year: int, today: datetime.date, last_month: int = 12
) -> datetime.date:
    """A day of `year` up to the end of `last_month`, never after today."""
    first = datetime.date(year, 1, 1)
    last = min(
        datetime.date(year, last_month, month_calendar.monthrange(year, last_month)[1]), today
    )
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def new_uuid(rng: random.Random) -> uuid.UUID:
    """A public id drawn from the row's stream (deterministic for a seed)."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def at_time(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A moment of the working day `day` (local time, aware)."""
    moment = datetime.datetime.combine(day, datetime.time(9)) + datetime.timedelta(
        minutes=rng.randint(0, 8 * 60)
    )
    return timezone.make_aware(moment)


def at_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def stamp(obj: models.Model, at: datetime.datetime) -> None:
    obj.created_at = at  # type: ignore[attr-defined]
    obj.updated_at = at  # type: ignore[attr-defined]


@dataclass
class Context:
    today: datetime.date
    calendar: WorkingCalendar
    coordinator: User
    regional: User | None
    regional_regions: set[int]
    monitor: User | None
    institutions: dict[str, list[Institution]]  # by category
    subjects: dict[str, AppealSubject]
    allegations: dict[str, AllegationType]
    bodies: dict[str, InvestigatingBody]
    limits: dict[str, TimeLimit]
    visits: dict[int, list[Visit]]  # visits that took place, by year
    interviews: dict[int, list[Interview]]  # by visit pk
    risky_interviews: list[Interview] = field(default_factory=list)


def _user(role: Role) -> User | None:
    """The demo account of `role` (else the first active account of that role)."""
    email = next(a.email for a in DEMO_ACCOUNTS if a.role == role)
    active = User.objects.filter(is_active=True)
    return (
        active.filter(email__iexact=email).first()
        or active.filter(role=role).order_by("pk").first()
    )


def load_context(today: datetime.date) -> Context:
    coordinator = _user(Role.COORDINATOR)
    if coordinator is None:
        raise DemoDataError("The demo accounts are missing: generate them first.")
    if not AppealSubject.objects.exists():
        appeal_reference_load(country="kz")
    institutions = list(
        Institution.objects.exclude(status=InstitutionStatus.CLOSED)
        .select_related("type", "region", "agency")
        .order_by("external_code", "pk")
    )
    if not institutions:
        raise DemoDataError("No institutions: generate the institutions first.")
    by_category: dict[str, list[Institution]] = defaultdict(list)
    for institution in institutions:
        by_category[institution.type.category].append(institution)
    visits: dict[int, list[Visit]] = defaultdict(list)
    for visit in (
        Visit.objects.filter(started_at__isnull=False, started_at__date__lte=today)
        .prefetch_related("institutions", "team__participant__user")
        .order_by("started_at", "reference")
    ):
        if visit.started_at is not None:
            visits[timezone.localdate(visit.started_at).year].append(visit)
    interviews: dict[int, list[Interview]] = defaultdict(list)
    for interview in Interview.objects.select_related(
        "visit", "institution__region", "conducted_by"
    ).order_by("conducted_on", "pk"):
        interviews[interview.visit_id].append(interview)
    risky = [
        i
        for rows in interviews.values()
        for i in rows
        if i.reprisal_risk == ReprisalRisk.HIGH and i.conducted_on is not None
    ]
    regional = _user(Role.REGIONAL)
    limits = {limit.code: limit for limit in TimeLimit.objects.all()}
    if set(limits) != set(TimeLimitCode.values):
        raise DemoDataError("The appeal time limits are missing: run seed_reference_data.")
    return Context(
        today=today,
        calendar=WorkingCalendar(),
        coordinator=coordinator,
        regional=regional,
        regional_regions=set(regional.regions.values_list("pk", flat=True)) if regional else set(),
        monitor=_user(Role.MONITOR),
        institutions=dict(by_category),
        subjects={s.code: s for s in AppealSubject.objects.all()},
        allegations={a.code: a for a in AllegationType.objects.all()},
        bodies={b.code: b for b in InvestigatingBody.objects.all()},
        limits=limits,
        visits=dict(visits),
        interviews=dict(interviews),
        risky_interviews=sorted(risky, key=lambda i: (i.conducted_on, i.pk)),
    )
