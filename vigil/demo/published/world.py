"""The published-figures data set's own world: synthetic institutions, participants and the
coordinator who plans the visits, all written through the services' bulk paths.

Every name says it is synthetic; nothing here is a real place or person."""

import datetime
import random
from dataclasses import dataclass

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.accounts.services import users_bulk_create
from vigil.people.enums import Profession
from vigil.people.models import Participant
from vigil.people.services import participants_bulk_create
from vigil.reference.models import Agency, InstitutionType, Region
from vigil.registry.models import Institution
from vigil.registry.services import institutions_bulk_write

from ..people import synthetic_name, transliterate
from ..registry import DemoDataError

# The institutions visited in 2023, by type: the penitentiary committee (KUIS) and the police
# of the ministry of the interior, education (MP), social protection (MTSZN), health (MZ),
# defence (MO) and the national security committee (KNB). 474 in all.
INSTITUTION_COUNTS: tuple[tuple[str, int], ...] = (
    ("COLONY_MEDIUM", 40), ("COLONY_MIN", 20), ("COLONY_MAX", 12), ("COLONY_MIXED", 8),
    ("COLONY_MINORS", 4), ("PENAL_MEDICAL", 6), ("SIZO", 18),
    ("IVS", 80), ("SPECIAL_RECEPTION", 30), ("RECEPTION_CENTRE", 20), ("FOREIGNERS_CENTRE", 6),
    ("KNB_SIZO", 10), ("GUARDHOUSE", 12),
    ("PSYCH_HOSPITAL", 24), ("DRUG_TREATMENT", 20), ("TB_COMPULSORY", 14), ("PSYCH_FORENSIC", 4),
    ("INFANT_HOME", 8),
    ("SOCIAL_CARE_HOME", 40), ("PNI", 22), ("PNI_CHILDREN", 8),
    ("ORPHANAGE", 30), ("SPECIAL_SCHOOL", 18), ("JUV_ADAPTATION", 10),
    ("SPECIAL_REGIME_SCHOOL", 6), ("MINORS_CORRECTIONAL", 4),
)  # fmt: skip
CODE_PREFIX = "PUB-"
EMAIL_DOMAIN = "npm.published.vigil"
COORDINATOR_EMAIL = f"coordinator@{EMAIL_DOMAIN}"
PARTICIPANTS = 30
SYNTHETIC = {"kk": "синтетикалық деректер", "ru": "синтетические данные", "en": "synthetic data"}
PROFESSIONS = (
    Profession.LAWYER, Profession.NGO_MEMBER, Profession.DOCTOR, Profession.PSYCHOLOGIST,
    Profession.SOCIAL_WORKER,
)  # fmt: skip


@dataclass
class PublishedWorld:
    coordinator: User
    participants: list[Participant]
    institutions: list[Institution]  # in a fixed order (by external code)


def _regions() -> list[Region]:
    """The regions of today (the 2023 institutions are in the regions after the 2022 split)."""
    regions = list(Region.objects.filter(valid_to__isnull=True).order_by("code"))
    if not regions:
        raise DemoDataError("No regions: run seed_reference_data first.")
    return regions


def _institutions(rng: random.Random, regions: list[Region]) -> list[Institution]:
    codes = [code for code, _count in INSTITUTION_COUNTS]
    types = {
        t.code: t for t in InstitutionType.objects.select_related("agency").filter(code__in=codes)
    }
    missing = sorted(set(codes) - set(types))
    if missing:
        raise DemoDataError(
            "Reference data missing (run seed_reference_data first): " + ", ".join(missing)
        )
    departments = {
        (a.parent_id, a.region_id): a
        for a in Agency.objects.filter(parent__isnull=False, region__isnull=False).order_by("code")
    }
    creates = []
    for code, count in INSTITUTION_COUNTS:
        itype = types[code]
        if itype.agency is None:
            raise DemoDataError(f"Institution type {code} has no responsible agency.")
        offset = rng.randrange(len(regions))
        for number in range(1, count + 1):
            region = regions[(offset + number) % len(regions)]
            agency = departments.get((itype.agency.pk, region.pk), itype.agency)
            names = {
                f"name_{lang}": (
                    f"{getattr(itype, f'name_{lang}') or itype.code} № {number}, "
                    f"{getattr(region, f'name_{lang}') or region.code} ({SYNTHETIC[lang]})"
                )[:300]
                for lang in SYNTHETIC
            }
            creates.append(
                {
                    "external_code": f"{CODE_PREFIX}{code}-{number:03d}",
                    "type": itype,
                    "agency": agency,
                    "region": region,
                    "capacity": rng.randint(3, 60) * 10,
                    **names,
                }
            )
    result = institutions_bulk_write(actor=None, creates=creates)
    return sorted(result.created, key=lambda i: i.external_code or "")


def _people(rng: random.Random, regions: list[Region]) -> tuple[User, list[Participant]]:
    marker = {"demo_data": "published_figures"}
    accounts = [
        User(
            email=COORDINATOR_EMAIL,
            full_name="Synthetic Coordinator",
            role=Role.COORDINATOR,
            preferred_language="ru",
        )
    ]
    for number in range(1, PARTICIPANTS + 1):
        full_name = synthetic_name(rng)
        first, last = full_name.split(" ", 1)
        accounts.append(
            User(
                email=f"{transliterate(first)}.{transliterate(last)}.{number:03d}@{EMAIL_DOMAIN}",
                full_name=full_name,
                role=Role.MONITOR,
                preferred_language=rng.choice(("kk", "ru")),
            )
        )
    coordinator, *monitors = users_bulk_create(accounts, audit_data=marker)
    participants = participants_bulk_create(
        [
            Participant(
                user=user,
                profession=PROFESSIONS[index % len(PROFESSIONS)],
                region=regions[index % len(regions)],
                organisation=SYNTHETIC["ru"],
                accredited_from=datetime.date(2018, 1, 15),
            )
            for index, user in enumerate(monitors)
        ],
        audit_data=marker,
    )
    return coordinator, participants


def published_world(rng: random.Random) -> PublishedWorld:
    """Create the data set's institutions, participants and coordinator."""
    if Institution.objects.filter(external_code__startswith=CODE_PREFIX).exists():
        raise DemoDataError("The published-figures data set is already loaded.")
    regions = _regions()
    institutions = _institutions(rng, regions)
    coordinator, participants = _people(rng, regions)
    return PublishedWorld(coordinator, participants, institutions)
