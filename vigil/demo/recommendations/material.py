"""What the demo recommendations are drawn from: scales, status mixes by age, the texts of
`vigil/demo/data/recommendations.json`, and the context read once from the database."""

import datetime
import json
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.core.calendar import WorkingCalendar
from vigil.recommendations.enums import ClaimedStatus, State
from vigil.recommendations.services.escalation import top_agencies
from vigil.reference.enums import AgencyLevel
from vigil.reference.models import Agency
from vigil.reference.selectors import agency_subtree_ids
from vigil.registry.models import Institution

PER_YEAR: dict[str, int] = {"demo": 30, "national": 3500}
YEARS = 10
ESCALATION_SHARE: dict[str, float] = {"demo": 0.2, "national": 0.02}
REPEAT_SHARE = 0.08
RESPONSE_SHARE = 0.85
DATA = Path(__file__).resolve().parent.parent / "data" / "recommendations.json"
EVENT_NOTE = "Synthetic demo data."
EVENT_DATA = {"via": "demo"}
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
IMPLEMENTED = (S.IMPLEMENTED_CLAIMED, S.IMPLEMENTED_VERIFIED)
ESCALATED_FROM = (S.NOT_ACCEPTED, S.NO_RESPONSE)  # refused or unanswered
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
def material() -> dict[str, Any]:
    return dict(json.loads(DATA.read_text(encoding="utf-8")))


@cache
def _language_by_text() -> dict[str, str]:
    return {
        text: language
        for options in material()["texts"].values()
        for option in options
        for language, text in option.items()
    }


def language_of(text: str) -> str:
    """The language a demo recommendation is written in (Russian for a text not of ours)."""
    return _language_by_text().get(text, "ru")


def mix(age: int) -> dict[str, float]:
    return MIXES[max(k for k in MIXES if k <= age)]


def pick(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return str(rng.choices(keys, weights=[weights[k] for k in keys])[0])


@dataclass
class Context:
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


def load_context(today: datetime.date) -> Context:
    stock = material()
    agencies = {a.pk: a for a in Agency.objects.all()}
    factors = stock.get("agency_factors", {})
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
    return Context(
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


def higher(agency: Agency, ctx: Context) -> Agency | None:
    if agency.parent_id and agency.parent_id in ctx.agencies:
        return ctx.agencies[agency.parent_id]
    return next((top for top in ctx.tops if top.pk != agency.pk), None)
