"""Synthetic NPM participants for the demo data set.

Everyone generated here is fictitious: first names and surnames common in Kazakhstan are
combined at random, organisations are generic descriptions, never named bodies. The demo
monitor account (`monitor@demo.vigil`) becomes a participant too, so that its pages show
visits.

Deterministic for a seed (each participant draws from its own stream keyed by its number)
and idempotent: participants are matched on their account's e-mail, and an existing one is
left as it is. Each declares how many visits a year they can join (6 to 16) and some
declare a few weeks of summer leave (now and next year: the plan of next year reads it).
Written through the bulk paths of the accounts and people services (`users_bulk_create`,
`participants_bulk_create`, `conflicts_bulk_declare`, `absences_bulk_add`), which check each
row as the one-row services do and audit it, marked as demo data. The accounts have an
unusable password: only the demo accounts log in.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.accounts.services import users_bulk_create
from vigil.people.enums import ConflictKind, Profession
from vigil.people.models import (
    ConflictDeclaration,
    Participant,
    ParticipantAbsence,
    TrainingRecord,
)
from vigil.people.services import (
    absence_add,
    absences_bulk_add,
    conflicts_bulk_declare,
    participant_create,
    participants_bulk_create,
    training_record,
)
from vigil.reference.models import Agency, Region
from vigil.registry.models import Institution

from .accounts import DEMO_ACCOUNTS
from .scales import Scale, scaled

PARTICIPANT_COUNTS: dict[str, int] = {"demo": 24, "national": 120}
CONFLICT_COUNTS: dict[str, int] = {"demo": 3, "national": 12}
EMAIL_DOMAIN = "npm.demo.vigil"
DEMO_MONITOR_EMAIL = next(a.email for a in DEMO_ACCOUNTS if a.role == Role.MONITOR)

# ---------------------------------------------------------------- names (synthetic combinations)

KAZAKH_MEN = (
    "Айдос", "Асхат", "Бауыржан", "Ерлан", "Нұрлан", "Дәурен", "Ғалымжан", "Қайрат",
    "Мұрат", "Серік", "Талғат", "Әділ", "Болат", "Жандос", "Арман", "Санжар", "Ербол",
    "Дархан", "Медет", "Азамат",
)  # fmt: skip
KAZAKH_WOMEN = (
    "Айгүл", "Әсел", "Гүлнар", "Динара", "Жанар", "Мадина", "Сәуле", "Айжан", "Ақмарал",
    "Ботагөз", "Назерке", "Салтанат", "Гаухар", "Перизат", "Айнұр", "Жұлдыз", "Меруерт",
    "Әйгерім",
)  # fmt: skip
KAZAKH_SURNAMES = (
    "Ахметов", "Жақсылықов", "Нұрланов", "Сейітов", "Омаров", "Бекболатов", "Қасымов",
    "Тұрсынов", "Әбенов", "Исабеков", "Серікбаев", "Жұмабаев", "Оспанов", "Кенжебеков",
    "Сәрсенбаев", "Төлеуов", "Байжанов", "Мұқанов", "Есімов", "Мұсабаев",
)  # fmt: skip
RUSSIAN_MEN = (
    "Алексей", "Дмитрий", "Сергей", "Андрей", "Михаил", "Игорь", "Владимир", "Павел",
    "Олег", "Виктор", "Евгений", "Константин",
)  # fmt: skip
RUSSIAN_WOMEN = (
    "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Анна", "Марина",
    "Юлия", "Екатерина", "Людмила",
)  # fmt: skip
RUSSIAN_SURNAMES = (
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Волков", "Морозов", "Лебедев", "Соколов",
    "Новиков", "Федоров", "Белоусов", "Гордеев", "Ким", "Пак", "Петренко", "Ли",
)  # fmt: skip

_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
        [
            "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n",
            "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y",
            "", "e", "iu", "ia", "a", "g", "q", "n", "o", "u", "u", "h", "i",
        ],
        strict=True,
    )
)  # fmt: skip


def _surname(surname: str, *, woman: bool) -> str:
    """The woman's form of a surname in -ов/-ев/-ин; others do not change."""
    return surname + "а" if woman and surname.endswith(("ов", "ев", "ин")) else surname


def synthetic_name(rng: random.Random, *, woman: bool | None = None) -> str:
    """A fictitious "First Last" name: a random combination of common names."""
    woman = rng.random() < 0.55 if woman is None else woman
    if rng.random() < 0.7:
        first = rng.choice(KAZAKH_WOMEN if woman else KAZAKH_MEN)
        last = rng.choice(KAZAKH_SURNAMES)
    else:
        first = rng.choice(RUSSIAN_WOMEN if woman else RUSSIAN_MEN)
        last = rng.choice(RUSSIAN_SURNAMES)
    return f"{first} {_surname(last, woman=woman)}"


def transliterate(text: str) -> str:
    return "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())


# ---------------------------------------------------------------- professions and background

PROFESSION_WEIGHTS: dict[str, float] = {
    Profession.LAWYER: 0.28,
    Profession.NGO_MEMBER: 0.24,
    Profession.DOCTOR: 0.16,
    Profession.PSYCHOLOGIST: 0.12,
    Profession.SOCIAL_WORKER: 0.12,
    Profession.PSYCHIATRIST: 0.06,
    Profession.OTHER: 0.02,
}
ORGANISATIONS: dict[str, tuple[str, ...]] = {
    Profession.LAWYER: ("Юридическая клиника университета", "Правозащитное общественное объединение"),
    Profession.NGO_MEMBER: ("Общественный фонд защиты прав человека", "Молодёжная правозащитная сеть"),
    Profession.DOCTOR: ("Городская поликлиника", "Областная больница"),
    Profession.PSYCHOLOGIST: ("Центр психологической помощи", "Кафедра психологии университета"),
    Profession.SOCIAL_WORKER: ("Центр оказания специальных социальных услуг", "Кризисный центр"),
    Profession.PSYCHIATRIST: ("Частная психиатрическая практика", "Медицинский университет"),
    Profession.OTHER: ("Независимый эксперт",),
}  # fmt: skip
TRAININGS: dict[str, tuple[tuple[str, str], ...]] = {
    "ru": (
        ("Превентивный мониторинг мест лишения свободы: базовый курс", "Аппарат Уполномоченного"),
        ("Документирование пыток по Стамбульскому протоколу", "Медицинская ассоциация"),
        ("Конфиденциальные беседы с лицами, лишёнными свободы", "Аппарат Уполномоченного"),
        ("Мониторинг психиатрических и социальных учреждений", "Учебный центр НПМ"),
        ("Защита от репрессалий: работа с уязвимыми группами", "Учебный центр НПМ"),
    ),
    "kk": (
        ("Бас бостандығынан айыру орындарын превентивтік мониторингтеу: негізгі курс", "Уәкіл аппараты"),
        ("Стамбул хаттамасы бойынша азаптауды құжаттау", "Медициналық қауымдастық"),
        ("Бас бостандығынан айырылған адамдармен құпия әңгіме", "Уәкіл аппараты"),
        ("Осал топтармен жұмыс және қудалаудан қорғау", "ҰАТ оқу орталығы"),
    ),
}  # fmt: skip
# The interface language each participant prefers; their training records are kept in
# Kazakh or Russian (in Russian for those who read the site in English).
LANGUAGE_WEIGHTS = {"ru": 0.5, "kk": 0.4, "en": 0.1}


@dataclass(frozen=True)
class _Person:
    number: int
    email: str
    full_name: str
    language: str
    profession: str
    region_code: str | None
    organisation: str
    accredited_from: datetime.date
    accredited_to: datetime.date | None
    trainings: tuple[tuple[str, str, datetime.date, int], ...]
    visits_per_year: int
    absences: tuple[tuple[datetime.date, datetime.date], ...]


def _availability(
    base: int, number: int, today: datetime.date
) -> tuple[int, tuple[tuple[datetime.date, datetime.date], ...]]:
    """Visits a year (6 to 16) and periods away: for this year and the next, summer leave of
    two to five weeks for about half, a week or more in spring for some. Drawn from their own
    stream, so that the rest of the person stays as it was before these were added."""
    rng = random.Random(f"{base}:availability:{number}")  # noqa: S311 - synthetic demo data
    visits = rng.randint(6, 16)
    periods = []
    for year in (today.year, today.year + 1):
        if rng.random() < 0.5:
            start = datetime.date(year, rng.choice((6, 7, 8)), rng.randint(1, 20))
            periods.append((start, start + datetime.timedelta(days=rng.randint(14, 35) - 1)))
        if rng.random() < 0.15:
            start = datetime.date(year, rng.choice((3, 4, 5)), rng.randint(1, 10))
            periods.append((start, start + datetime.timedelta(days=rng.randint(7, 20) - 1)))
    return visits, tuple(sorted(periods))


def _person(base: int, number: int, regions: list[Region], today: datetime.date) -> _Person:
    rng = random.Random(f"{base}:participant:{number}")  # noqa: S311 - synthetic demo data
    full_name = synthetic_name(rng)
    first, last = full_name.split(" ", 1)
    email = f"{transliterate(first)}.{transliterate(last)}.{number:03d}@{EMAIL_DOMAIN}"
    language = rng.choices(list(LANGUAGE_WEIGHTS), weights=list(LANGUAGE_WEIGHTS.values()))[0]
    profession = rng.choices(list(PROFESSION_WEIGHTS), weights=list(PROFESSION_WEIGHTS.values()))[0]
    region = rng.choice(regions) if regions and rng.random() < 0.9 else None
    # Most were accredited years ago (early years need teams too); some accreditations ended.
    first_year = today.year - 12
    start = datetime.date(
        rng.choice([first_year] * 6 + list(range(first_year, today.year))),
        rng.randint(1, 12),
        rng.randint(1, 28),
    )
    end = None
    if rng.random() < 0.15:
        end_year = rng.randint(start.year + 2, max(start.year + 2, today.year - 1))
        end = datetime.date(end_year, rng.randint(1, 12), 28)
        if end >= today:
            end = None
    trainings = []
    bank = TRAININGS[language if language in TRAININGS else "ru"]
    for title, provider in rng.sample(bank, rng.randint(1, min(3, len(bank)))):
        year = rng.randint(start.year, today.year - (1 if today.month < 3 else 0))
        day = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        trainings.append((title, provider, min(day, today), rng.choice((8, 16, 24, 36))))
    visits_per_year, absences = _availability(base, number, today)
    return _Person(
        number=number,
        email=email,
        full_name=full_name,
        language=language,
        profession=profession,
        region_code=region.code if region else None,
        organisation=rng.choice(ORGANISATIONS[profession]),
        accredited_from=start,
        accredited_to=end,
        trainings=tuple(trainings),
        visits_per_year=visits_per_year,
        absences=absences,
    )


def _conflicts(
    rng: random.Random,
    participants: list[Participant],
    scale: Scale,
    today: datetime.date,
) -> list[ConflictDeclaration]:
    """A few declarations: former work for a regional department, a relative at an institution."""
    count = scaled(CONFLICT_COUNTS, scale)
    departments = list(
        Agency.objects.filter(parent__isnull=False, region__isnull=False).order_by("code")
    )
    conflicts: list[ConflictDeclaration] = []
    for participant in rng.sample(participants, min(count, len(participants))):
        local = [d for d in departments if d.region_id == participant.region_id] or departments
        declared = max(participant.accredited_from, today - datetime.timedelta(days=3000))
        kind = rng.choice(
            [
                ConflictKind.WORKED_FOR_AGENCY,
                ConflictKind.RELATIVE_AT_INSTITUTION,
                ConflictKind.WORKED_AT_INSTITUTION,
            ]
        )
        institution = None
        agency = None
        if kind != ConflictKind.WORKED_FOR_AGENCY:
            region_id: int = participant.region_id or rng.choice(local).region_id or 0
            places = Institution.objects.filter(region_id=region_id).order_by("external_code")
            count_places = places.count()
            if count_places:
                institution = places[rng.randrange(count_places)]
        if institution is None:
            kind = ConflictKind.WORKED_FOR_AGENCY
            agency = rng.choice(local) if local else None
            if agency is None:
                continue
        description = {
            ConflictKind.WORKED_FOR_AGENCY: "Работал(а) в подразделении до 2015 года.",
            ConflictKind.RELATIVE_AT_INSTITUTION: "Близкий родственник работает в учреждении.",
            ConflictKind.WORKED_AT_INSTITUTION: "Работал(а) в учреждении по договору.",
        }[kind]
        ends_on = None
        if rng.random() < 0.25:
            ends_on = declared + datetime.timedelta(days=rng.randint(400, 1500))
            if ends_on >= today:
                ends_on = None
        conflicts.append(
            ConflictDeclaration(
                participant=participant,
                kind=kind,
                institution=institution,
                agency=agency,
                description=description,
                declared_on=declared,
                ends_on=ends_on,
            )
        )
    return conflicts


@transaction.atomic
def generate_participants(
    rng: random.Random, scale: Scale, *, today: datetime.date | None = None
) -> dict[str, int]:
    """Create the demo participants (and the demo monitor's participant record)."""
    today = today or timezone.localdate()
    base = rng.getrandbits(64)
    regions = list(Region.objects.filter(valid_to__isnull=True).order_by("code"))
    people = [
        _person(base, n, regions, today) for n in range(1, scaled(PARTICIPANT_COUNTS, scale) + 1)
    ]
    region_by_code = {r.code: r for r in regions}
    marker = {"demo_data": scale}

    existing = set(
        User.objects.filter(email__in=[p.email for p in people]).values_list("email", flat=True)
    )
    fresh = [p for p in people if p.email not in existing]
    users = users_bulk_create(
        [
            User(
                email=p.email,
                full_name=p.full_name,
                role=Role.MONITOR,
                preferred_language=p.language,
            )
            for p in fresh
        ],
        audit_data=marker,
    )
    created = [
        Participant(
            user=user,
            profession=p.profession,
            region=region_by_code.get(p.region_code or ""),
            organisation=p.organisation,
            accredited_from=p.accredited_from,
            accredited_to=p.accredited_to,
            visits_per_year=p.visits_per_year,
        )
        for user, p in zip(users, fresh, strict=True)
    ]
    trainings = [
        TrainingRecord(
            participant=participant,
            title=title,
            provider=provider,
            completed_on=day,
            hours=hours,
        )
        for participant, person in zip(created, fresh, strict=True)
        for title, provider, day, hours in person.trainings
    ]
    participants_bulk_create(created, trainings, audit_data=marker)
    conflict_rng = random.Random(f"{base}:conflicts")  # noqa: S311 - synthetic demo data
    conflicts = _conflicts(conflict_rng, created, scale, today) if created else []
    conflicts_bulk_declare(conflicts, audit_data=marker)
    absences = [
        ParticipantAbsence(participant=participant, starts_on=first, ends_on=last)
        for participant, person in zip(created, fresh, strict=True)
        for first, last in person.absences
    ]
    absences_bulk_add(absences, audit_data=marker)

    counts = {
        "created": len(created),
        "unchanged": len(people) - len(fresh),
        "trainings": len(trainings),
        "conflicts": len(conflicts),
        "unavailable periods": len(absences),
    }
    monitor = _demo_monitor(region_by_code, today)
    counts["demo monitor"] = 1 if monitor else 0
    return counts


def _demo_monitor(regions: dict[str, Region], today: datetime.date) -> Participant | None:
    """Make the demo monitor account a participant (the record, when created now)."""
    user = User.objects.filter(email__iexact=DEMO_MONITOR_EMAIL).first()
    if user is None or Participant.objects.filter(user=user).exists():
        return None
    participant = participant_create(
        actor=None,
        user=user,
        data={
            "profession": Profession.LAWYER,
            "region": regions.get("KZ-71"),
            "organisation": "Правозащитное общественное объединение",
            "accredited_from": datetime.date(today.year - 8, 3, 1),
            "visits_per_year": 10,
        },
    )
    absence_add(  # a month of summer leave next year: the plan leaves them out of July
        actor=None,
        participant=participant,
        data={
            "starts_on": datetime.date(today.year + 1, 7, 1),
            "ends_on": datetime.date(today.year + 1, 7, 28),
        },
    )
    training_record(
        actor=None,
        participant=participant,
        data={
            "title": TRAININGS["ru"][0][0],
            "provider": TRAININGS["ru"][0][1],
            "completed_on": datetime.date(today.year - 8, 4, 15),
            "hours": 36,
        },
    )
    return participant
