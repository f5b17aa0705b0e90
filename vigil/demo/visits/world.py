"""What the demo visits are drawn from: the scales, the weights, the showcase visits placed
around today, and the `World` read once from the database (demo accounts, institutions,
participants and their conflicts, checklist templates)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.people.models import Participant
from vigil.reference.models import Agency
from vigil.registry.enums import InstitutionStatus
from vigil.registry.models import Institution
from vigil.visits.enums import VisitState, VisitType
from vigil.visits.models import ChecklistQuestion, ChecklistTemplate
from vigil.visits.workflow import MIN_TEAM

from ..accounts import DEMO_ACCOUNTS
from ..people import DEMO_MONITOR_EMAIL
from ..registry import DemoDataError
from ..scales import at_every_scale

S = VisitState
# The languages the NPM writes its records in (the interface has English too).
WRITTEN_LANGUAGES = ("kk", "ru")


@dataclass(frozen=True)
class ScaleSpec:
    years: int  # the current one included
    per_year: int
    horizon_days: int  # how far ahead the plan goes
    # Visits left as drafts, postponed or cancelled at random (the showcase has one of each).
    side_states: bool = True


_SPECS: dict[str, ScaleSpec] = {
    "demo": ScaleSpec(years=2, per_year=24, horizon_days=90, side_states=False),
    "national": ScaleSpec(years=10, per_year=500, horizon_days=90),
}

# A multiple scale keeps its basis's years and plan ahead, with more visits a year.
SCALE_SPECS: dict[str, ScaleSpec] = at_every_scale(_SPECS, "per_year")

TYPE_WEIGHTS: dict[str, float] = {
    VisitType.PLANNED: 0.855,
    VisitType.SPECIAL: 0.07,
    VisitType.FOLLOW_UP: 0.045,
    VisitType.THEMATIC: 0.03,
}
CATEGORY_WEIGHTS = {
    "police": 0.27,
    "penal": 0.18,
    "pre_trial": 0.08,
    "medical": 0.14,
    "social": 0.15,
    "education": 0.13,
    "military": 0.02,
    "migration": 0.03,
}
THEME_WEIGHTS: dict[str, float] = {
    "T1": 10,
    "T2": 15,
    "T3": 24,
    "T4": 10,
    "T5": 17,
    "T6": 7,
    "T7": 9,
    "T8": 8,
}
DETENTION = frozenset({"police", "pre_trial", "penal", "military", "migration"})
STARTED = frozenset(
    {
        S.ON_SITE,
        S.DEBRIEFED,
        S.REPORT_DRAFT,
        S.REPORT_REVIEW,
        S.REPORT_APPROVED,
        S.SENT_TO_AUTHORITY,
        S.RESPONSE_RECEIVED,
        S.RESPONSE_OVERDUE,
        S.CLOSED,
    }
)
REPORTED = STARTED - {S.ON_SITE, S.DEBRIEFED}


@dataclass(frozen=True)
class Showcase:
    """A visit placed around today in a given state, so that every page has something."""

    key: str
    state: str
    offset: int  # planned start, days from today
    region: str
    categories: tuple[str, ...]
    monitor: Literal["", "member", "lead"] = ""
    type: str = VisitType.PLANNED
    days: int = 0  # planned end = start + days


SHOWCASES: tuple[Showcase, ...] = (
    Showcase("on_site", S.ON_SITE, -1, "KZ-71", ("penal",), "lead", days=2),
    Showcase("debriefed", S.DEBRIEFED, -6, "KZ-71", ("pre_trial", "penal"), "lead"),
    Showcase("report_draft", S.REPORT_DRAFT, -21, "KZ-11", ("police",), "member"),
    Showcase("prepared", S.PREPARED, 3, "KZ-71", ("social",), "member"),
    Showcase("planned", S.PLANNED, 25, "KZ-11", ("penal",), "member"),
    Showcase("closed", S.CLOSED, -260, "KZ-71", ("penal",), "member", days=1),
    Showcase("review", S.REPORT_REVIEW, -40, "KZ-71", ("penal",)),
    Showcase("approved", S.REPORT_APPROVED, -62, "KZ-35", ("medical",)),
    Showcase("sent", S.SENT_TO_AUTHORITY, -88, "KZ-71", ("pre_trial", "penal")),
    Showcase("overdue", S.RESPONSE_OVERDUE, -150, "KZ-75", ("penal",)),
    Showcase("received", S.RESPONSE_RECEIVED, -120, "KZ-11", ("police",)),
    Showcase("cancelled", S.CANCELLED, -30, "KZ-75", ("social",)),
    Showcase("postponed", S.POSTPONED, 15, "KZ-71", ("penal",)),
    Showcase("draft", S.DRAFT, 45, "KZ-35", ("education",)),
    Showcase("special", S.REPORT_DRAFT, -12, "KZ-11", ("police",), type=VisitType.SPECIAL),
    Showcase("follow_up", S.SENT_TO_AUTHORITY, -95, "KZ-71", ("penal",), type=VisitType.FOLLOW_UP),
    Showcase("thematic", S.CLOSED, -200, "KZ-35", ("medical",), type=VisitType.THEMATIC),
)


# ---------------------------------------------------------------- reference material


@dataclass
class World:
    """What the generator reads once from the database."""

    today: datetime.date
    now: datetime.datetime
    coordinator: User
    regional: User | None
    regional_regions: set[int]
    institutions: dict[str, list[Institution]]  # by category
    by_region: dict[tuple[int, str], list[Institution]]  # (region pk, category)
    participants: list[Participant]
    by_home: dict[int | None, list[Participant]]  # by region pk
    demo_monitor: Participant | None
    # participant pk → [(declared_on, ends_on, institution pk, agency subtree)]
    conflicts: dict[int, list[tuple[datetime.date, datetime.date | None, int | None, set[int]]]]
    templates: dict[str, tuple[ChecklistTemplate, list[ChecklistQuestion]]]
    load: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    side_states: bool = True


def load_world(today: datetime.date, now: datetime.datetime) -> World:
    emails = {a.role: a.email for a in DEMO_ACCOUNTS}
    coordinator = User.objects.filter(email__iexact=emails[Role.COORDINATOR]).first()
    if coordinator is None:
        raise DemoDataError("The demo accounts are missing: generate them first.")
    regional = User.objects.filter(email__iexact=emails[Role.REGIONAL]).first()
    institutions = list(
        Institution.objects.exclude(status=InstitutionStatus.CLOSED)
        .select_related("type", "region", "region__predecessor")
        .order_by("external_code", "pk")
    )
    if not institutions:
        raise DemoDataError("No institutions to visit: generate the institutions first.")
    by_category: dict[str, list[Institution]] = defaultdict(list)
    by_region: dict[tuple[int, str], list[Institution]] = defaultdict(list)
    for institution in institutions:
        by_category[institution.type.category].append(institution)
        by_region[(institution.region_id, institution.type.category)].append(institution)
    participants = list(
        Participant.objects.filter(user__is_active=True)
        .select_related("user", "region")
        .order_by("user__email")
    )
    if len(participants) < MIN_TEAM:
        raise DemoDataError("Too few participants for a visiting team: generate them first.")
    by_home: dict[int | None, list[Participant]] = defaultdict(list)
    for participant in participants:
        by_home[participant.region_id].append(participant)
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in Agency.objects.values_list("pk", "parent_id"):
        children[parent].append(pk)

    def subtree(root: int) -> set[int]:
        found, frontier = {root}, [root]
        while frontier:
            frontier = [c for pk in frontier for c in children[pk]]
            found.update(frontier)
        return found

    conflicts: dict[int, list[Any]] = defaultdict(list)
    for participant in participants:
        for c in participant.conflicts.all():
            agencies = subtree(c.agency_id) if c.agency_id else set()
            conflicts[participant.pk].append((c.declared_on, c.ends_on, c.institution_id, agencies))
    templates: dict[str, tuple[ChecklistTemplate, list[ChecklistQuestion]]] = {}
    for template in ChecklistTemplate.objects.filter(is_active=True).order_by("category", "code"):
        if template.category not in templates:
            questions = list(
                template.questions.filter(is_active=True).order_by("theme", "order", "id")
            )
            templates[template.category] = (template, questions)
    return World(
        today=today,
        now=now,
        coordinator=coordinator,
        regional=regional,
        regional_regions=set(regional.regions.values_list("pk", flat=True)) if regional else set(),
        institutions=dict(by_category),
        by_region=dict(by_region),
        participants=participants,
        by_home=by_home,
        demo_monitor=next(
            (p for p in participants if p.user.email.lower() == DEMO_MONITOR_EMAIL), None
        ),
        conflicts=dict(conflicts),
        templates=templates,
    )
