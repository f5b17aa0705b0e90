"""Synthetic demo institutions, generated from a country's demo material.

Nothing here is specific to a country: the naming templates, towns, counts and capacities
live in `vigil/demo/data/<country>/demo_names.json` and `demo_profiles.json`. Everything
generated is synthetic (numbers, addresses, figures); only public place names are real.

Deterministic: the same seed gives the same institutions (external codes, names, figures).
Each institution draws from its own random stream keyed by its external code, so one type's
count does not shift the others'. Idempotent: institutions are matched on `external_code`;
new and changed ones go through the registry's bulk write (`institutions_bulk_write`:
validated, `search_text` derived and audited as the one-row services do, in batches), and
unchanged ones are left alone. The "as of" fields (population date, last visit) are set on
creation only, so a re-run on another day changes nothing.
"""

import datetime
import json
import random
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.reference.models import Agency, InstitutionType, Region
from vigil.registry.enums import InstitutionStatus
from vigil.registry.models import Institution
from vigil.registry.services import InstitutionsBulkError, institutions_bulk_write

from .scales import SCALES, Scale, scaled

DATA_ROOT = Path(__file__).resolve().parent / "data"  # <country>/demo_*.json
BATCH = 2000  # institutions validated and written together
LANGUAGES = ("kk", "ru", "en")
POPULATION_GROUPS = ("men", "women", "boys", "girls")

# Compared to decide whether an existing demo institution needs an update.
_COMPARED = (
    "name_kk",
    "name_ru",
    "name_en",
    "address",
    "capacity",
    "population_men",
    "population_women",
    "population_boys",
    "population_girls",
    "security_level",
    "status",
)
_RELATED = ("type", "agency", "region")


class DemoDataError(Exception):
    pass


@cache
def _material(country: str) -> tuple[dict[str, Any], dict[str, Any]]:
    folder = DATA_ROOT / country
    documents = []
    for name in ("demo_names.json", "demo_profiles.json"):
        path = folder / name
        if not path.is_file():
            raise DemoDataError(f"{path}: no demo material for country {country!r}")
        documents.append(json.loads(Path(path).read_text(encoding="utf-8")))
    return documents[0], documents[1]


def allocate(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split `total` over the keys in proportion to `weights` (largest remainder, stable)."""
    weight_sum = sum(weights.values())
    if total <= 0 or weight_sum <= 0:
        return dict.fromkeys(weights, 0)
    raw = {key: total * w / weight_sum for key, w in weights.items()}
    shares = {key: int(value) for key, value in raw.items()}
    rest = total - sum(shares.values())
    for key in sorted(weights, key=lambda k: (shares[k] - raw[k], k))[:rest]:
        shares[key] += 1
    return shares


@dataclass(frozen=True)
class _Plan:
    external_code: str
    profile: dict[str, Any]
    region: Region
    number: int


def _place_label(names: dict[str, Any], place: dict[str, Any], lang: str) -> str:
    fmt = names["place_formats"][place.get("kind", "city")][lang]
    return str(fmt.format(name=place[lang]))


def _label(obj: Region | Agency, lang: str, *, short: bool = False) -> str:
    if short:
        value = getattr(obj, f"short_name_{lang}", "")
        if value:
            return str(value)
    return str(getattr(obj, f"name_{lang}", "") or obj.name)


def _population(
    rng: random.Random, held: dict[str, float], capacity: int, occupancy: list[float]
) -> dict[str, int | None]:
    total = round(capacity * rng.uniform(*occupancy))
    weights = {group: rng.uniform(0.8, 1.2) * share for group, share in held.items()}
    counts = allocate(total, weights)
    return {group: counts[group] if group in held else None for group in POPULATION_GROUPS}


def _status(rng: random.Random, shares: dict[str, float]) -> str:
    statuses = list(shares)
    return str(rng.choices(statuses, weights=[shares[s] for s in statuses])[0])


def _build(
    plan: _Plan,
    *,
    base: int,
    names: dict[str, Any],
    spec: dict[str, Any],
    itype: InstitutionType,
    agency: Agency,
    today: datetime.date,
) -> tuple[dict[str, Any], datetime.date | None]:
    """One institution's field values, drawn from its own stream; and its last visit."""
    profile = plan.profile
    rng = random.Random(f"{base}:{plan.external_code}")  # noqa: S311 - synthetic demo data
    region_names = names["regions"][plan.region.code]
    places = region_names["places"]
    if profile.get("place_override"):
        place = profile["place_override"]
    elif profile.get("place") == "centre":
        place = places[0]
    else:
        place = rng.choices(places, weights=[p.get("weight", 1) for p in places])[0]
    variants = profile["variants"]
    variant = rng.choices(variants, weights=[v.get("weight", 1) for v in variants])[0]

    data: dict[str, Any] = {}
    for lang in LANGUAGES:
        values = {
            "no": plan.number,
            "series": region_names.get("penal_series", {}).get(lang, ""),
            "place": _place_label(names, place, lang),
            "agency": _label(agency, lang, short=True),
            "region": _label(plan.region, lang),
        }
        data[f"name_{lang}"] = variant["names"][lang].format(**values)[:300]
    street = rng.choice(names["streets"])
    data["address"] = names["address_format"].format(
        place=_place_label(names, place, "ru"), street=street, house=rng.randint(1, 180)
    )
    low, high = profile["capacity"]
    capacity = rng.randint(low, high)
    if capacity > 100:
        capacity = round(capacity, -1)
    data["capacity"] = capacity
    status = _status(rng, spec["status_shares"])
    population = _population(rng, variant["held"], capacity, profile["occupancy"])
    if status == InstitutionStatus.CLOSED:
        population = dict.fromkeys(POPULATION_GROUPS)
    data.update({f"population_{group}": value for group, value in population.items()})
    data["population_date"] = today.replace(day=1)
    data["security_level"] = profile.get("security_level", "")
    data["status"] = status
    data.update(external_code=plan.external_code, type=itype, agency=agency, region=plan.region)
    last_visit = None
    if rng.random() < profile.get("visited", 0.85):
        window = int(spec.get("visit_window_days", 3650))
        last_visit = today - datetime.timedelta(days=int(rng.triangular(1, window, 1)))
    return data, last_visit


def _plans(
    profiles: list[dict[str, Any]],
    names: dict[str, Any],
    regions: dict[str, Region],
    scale: Scale,
) -> list[_Plan]:
    """Which institutions to generate: external code, region and number, in a fixed order."""
    plans: list[_Plan] = []
    counters: dict[tuple[str, str], int] = defaultdict(int)
    for profile in profiles:
        total = scaled(profile["count"], scale)
        codes = profile.get("regions") or sorted(names["regions"])
        weights_key = profile.get("weights", "population")
        weights = {
            code: 1.0 if weights_key == "even" else names["regions"][code]["weights"][weights_key]
            for code in codes
        }
        shares = allocate(total, weights)
        group = profile.get("counter", profile["code"])
        national = profile.get("counter_scope") == "national"
        for code in sorted(shares):
            for serial in range(1, shares[code] + 1):
                counter_key = (group, "" if national else code)
                counters[counter_key] += 1
                external = f"{code.replace('-', '')}-{profile['code']}-{serial:04d}"
                plans.append(_Plan(external, profile, regions[code], counters[counter_key]))
    return plans


def _differs(existing: Institution, data: dict[str, Any]) -> dict[str, Any]:
    changed = {name: data[name] for name in _COMPARED if getattr(existing, name) != data[name]}
    for name in _RELATED:
        if getattr(existing, f"{name}_id") != data[name].pk:
            changed[name] = data[name]
    return changed


def _write(
    creates: list[tuple[dict[str, Any], datetime.date | None]],
    updates: list[tuple[Institution, dict[str, Any]]],
) -> None:
    """Create and update through the registry's bulk write; new ones get their last visit."""
    try:
        result = institutions_bulk_write(
            actor=None, creates=[data for data, _last in creates], updates=updates
        )
    except InstitutionsBulkError as exc:
        errors = exc.creates or exc.updates
        raise DemoDataError(f"Demo institutions did not validate: {errors}") from exc
    visited = []
    for institution, (_data, last_visit) in zip(result.created, creates, strict=True):
        if last_visit is not None:
            institution.last_visited_on = last_visit
            visited.append(institution)
    Institution.objects.bulk_update(visited, ["last_visited_on"], batch_size=500)


@transaction.atomic
def generate_institutions(
    rng: random.Random,
    scale: Scale,
    *,
    country: str = "kz",
    today: datetime.date | None = None,
) -> dict[str, int]:
    """Create or refresh the demo institutions; returns created/updated/unchanged counts.

    Needs the country's reference data (regions, agencies, institution types) loaded.
    """
    if scale not in SCALES:
        raise DemoDataError(f"Unknown scale {scale!r}; expected one of {', '.join(SCALES)}.")
    names, spec = _material(country)
    profiles: list[dict[str, Any]] = spec["profiles"]
    today = today or timezone.localdate()

    regions = {r.code: r for r in Region.objects.filter(code__in=names["regions"])}
    types = {
        t.code: t
        for t in InstitutionType.objects.select_related("agency").filter(
            code__in=[p["code"] for p in profiles]
        )
    }
    missing = sorted(set(names["regions"]) - set(regions)) + sorted(
        {p["code"] for p in profiles} - set(types)
    )
    if missing:
        raise DemoDataError(
            "Reference data missing (run seed_reference_data first): " + ", ".join(missing)
        )
    departments = {
        (a.parent_id, a.region_id): a
        for a in Agency.objects.filter(parent__isnull=False, region__isnull=False)
    }

    plans = _plans(profiles, names, regions, scale)
    wanted = {p.external_code for p in plans}
    existing = {
        i.external_code: i
        for i in Institution.objects.filter(external_code__isnull=False).iterator()
        if i.external_code in wanted
    }
    base = rng.getrandbits(64)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for start in range(0, len(plans), BATCH):
        creates: list[tuple[dict[str, Any], datetime.date | None]] = []
        updates: list[tuple[Institution, dict[str, Any]]] = []
        for plan in plans[start : start + BATCH]:
            itype = types[plan.profile["code"]]
            if itype.agency is None:
                raise DemoDataError(f"Institution type {itype.code} has no responsible agency.")
            agency = itype.agency
            if plan.profile.get("agency", "regional") == "regional":
                agency = departments.get((itype.agency.pk, plan.region.pk), itype.agency)
            data, last_visit = _build(
                plan, base=base, names=names, spec=spec, itype=itype, agency=agency, today=today
            )
            current = existing.get(plan.external_code)
            if current is None:
                creates.append((data, last_visit))
            elif changes := _differs(current, data):
                updates.append((current, changes))
            else:
                counts["unchanged"] += 1
        _write(creates, updates)
        counts["created"] += len(creates)
        counts["updated"] += len(updates)
    if counts["created"] or counts["updated"]:
        audit_record(
            actor=None,
            action=AuditAction.DEMO_DATA_GENERATED,
            data={"kind": "institutions", "country": country, "scale": scale, "counts": counts},
        )
    return counts
