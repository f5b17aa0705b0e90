"""Demo art. 146 criminal cases and accountability records, drawn from the year's plan
(`.plan.YearPlan`): each planned (state, ground) becomes one case that went through the
life cycle of `vigil.appeals.workflow.CASES` to that state. Cases registered on the NPM's
own referrals take their number and dates from the referral. Some were first written only in
the information book and registered later (the delay shows), some were reclassified from
part 2 to part 1 and passed to internal affairs (a `CaseClassification` row each)."""

import datetime
import random
from dataclasses import dataclass, field

from vigil.appeals.enums import (
    CaseState,
    EventKind,
    ForensicResult,
    ForensicStatus,
    Initiative,
    Responsibility,
    TerminationGround,
)
from vigil.appeals.models import (
    AccountabilityRecord,
    Appeal,
    CaseClassification,
    CriminalCase,
    InvestigatingBody,
    Referral,
    Suspect,
)
from vigil.appeals.services.victim_protection import victim_protection_encrypt
from vigil.registry.models import Institution

from .appeals import Step, register_number
from .context import WRITTEN_LANGUAGES, Context, day_in, new_uuid, pick, texts
from .plan import YearPlan

C = CaseState
CATEGORY_WEIGHTS = {"penal": 40, "pre_trial": 15, "police": 40, "military": 3, "migration": 2}
PART_WEIGHTS = {1: 35, 2: 55, 3: 8, 4: 2}
SPECIAL_PROSECUTORS_FROM = 2023
# The states a case passes through to reach each state (after REPORTED).
PATHS: dict[str, tuple[str, ...]] = {
    C.REPORTED: (),
    C.REGISTRATION_REFUSED: (C.REGISTRATION_REFUSED,),
    C.REGISTERED: (C.REGISTERED,),
    C.INVESTIGATION: (C.REGISTERED, C.INVESTIGATION),
    C.CHARGED: (C.REGISTERED, C.INVESTIGATION, C.CHARGED),
    C.IN_COURT: (C.REGISTERED, C.INVESTIGATION, C.CHARGED, C.IN_COURT),
    C.CONVICTED: (C.REGISTERED, C.INVESTIGATION, C.CHARGED, C.IN_COURT, C.CONVICTED),
    C.ACQUITTED: (C.REGISTERED, C.INVESTIGATION, C.CHARGED, C.IN_COURT, C.ACQUITTED),
    C.FINAL: (C.REGISTERED, C.INVESTIGATION, C.CHARGED, C.IN_COURT, C.CONVICTED, C.FINAL),
    C.TERMINATED: (C.REGISTERED, C.INVESTIGATION, C.TERMINATED),
    C.SUSPENDED: (C.REGISTERED, C.INVESTIGATION, C.SUSPENDED),
}
# Days from the previous state to this one.
DELAYS: dict[str, tuple[int, int]] = {
    C.REGISTRATION_REFUSED: (3, 20),
    C.INVESTIGATION: (1, 10),
    C.CHARGED: (30, 120),
    C.IN_COURT: (20, 60),
    C.CONVICTED: (40, 150),
    C.ACQUITTED: (40, 150),
    C.FINAL: (15, 60),
    C.TERMINATED: (30, 240),
    C.SUSPENDED: (60, 200),
}


@dataclass
class DrawnCase:
    case: CriminalCase
    rng: random.Random
    steps: list[Step] = field(default_factory=list)
    classifications: list[CaseClassification] = field(default_factory=list)
    suspects: list[Suspect] = field(default_factory=list)


def body_for(ctx: Context, part: int, day: datetime.date) -> InvestigatingBody | None:
    """Internal affairs investigate part 1; parts 2-4 the prosecutors (special prosecutors for
    torture since 2023)."""
    if part == 1:
        return ctx.bodies.get("internal_affairs")
    code = "special_prosecutor" if day.year >= SPECIAL_PROSECUTORS_FROM else "prosecutor"
    return ctx.bodies.get(code)


def _institution(rng: random.Random, ctx: Context) -> Institution:
    weights = {k: v for k, v in CATEGORY_WEIGHTS.items() if ctx.institutions.get(k)}
    category = pick(rng, weights) if weights else rng.choice(sorted(ctx.institutions))
    return rng.choice(ctx.institutions[category])


def slots(plan: YearPlan, base: int) -> list[tuple[str, str]]:
    """The year's planned (state, ground) pairs, in the order the cases are drawn."""
    rng = random.Random(f"{base}:C-slots:{plan.year}")  # noqa: S311 - synthetic demo data
    items = sorted((state, ground) for (state, ground), n in plan.cases.items() for _ in range(n))
    rng.shuffle(items)
    return items


def draw_case(
    ctx: Context,
    base: int,
    plan: YearPlan,
    index: int,
    slot: tuple[str, str],
    referral: Referral | None,
) -> DrawnCase:
    rng = random.Random(f"{base}:C:{plan.year}:{index}")  # noqa: S311 - synthetic demo data
    stock, today = texts(), ctx.today
    state, ground = slot
    language = rng.choice(WRITTEN_LANGUAGES)
    appeal: Appeal | None = referral.appeal if referral else None
    institution = (appeal.institution if appeal else None) or _institution(rng, ctx)
    path = PATHS[state]
    registered = bool(path) and path[0] == C.REGISTERED
    info_book: datetime.date | None = None
    if referral is not None and referral.registered_on is not None:
        registered_on: datetime.date | None = referral.registered_on
        reported_on = referral.sent_on
        number = referral.register_number
    else:
        day = day_in(rng, plan.year, today, plan.case_months)
        number = register_number(rng, day, institution.region) if registered else ""
        reported_on = day
        registered_on = day if registered else None
        if registered and rng.random() < 0.35:
            # first written only in the information book, registered late
            delay = rng.randint(3, 90)
            reported_on = info_book = day - datetime.timedelta(days=delay)
        elif registered:
            reported_on = day - datetime.timedelta(days=rng.randint(0, 3))
    part = int(pick(rng, PART_WEIGHTS))
    start = registered_on or reported_on
    body = body_for(ctx, part, start)
    case = CriminalCase(
        public_id=new_uuid(rng),
        appeal=appeal,
        referral=referral,
        institution=institution,
        region=institution.region,
        state=C.REPORTED,
        part=part,
        investigating_body=body,
        reported_on=reported_on,
        info_book_entry_on=info_book,
        register_number=number,
        registered_on=registered_on,
        victim_pseudonym=f"V-{rng.randint(1, 9999):04d}",
        created_by=ctx.coordinator,
    )
    drawn = DrawnCase(case=case, rng=rng)
    drawn.classifications.append(
        CaseClassification(
            case=case, part=part, investigating_body=body, effective_on=start, recorded_by=None
        )
    )
    # the moves, dated (never after today: a recent case moves fast rather than not at all)
    day = reported_on
    for target in path:
        if target == C.REGISTERED:
            day = registered_on or day
        else:
            low, high = DELAYS[target]
            day = min(day + datetime.timedelta(days=rng.randint(low, high)), today)
        drawn.steps.append(Step(max(day, reported_on), target))
        if target == C.TERMINATED:
            case.terminated_on = day
            case.termination_ground = ground or TerminationGround.OTHER
        elif target == C.IN_COURT:
            case.sent_to_court_on = day
        elif target in (C.CONVICTED, C.ACQUITTED):
            case.verdict_on = day
            case.outcome = (
                _text(stock["measures"]["criminal"][0], language) if target == C.CONVICTED else ""
            )
        elif target == C.FINAL:
            case.final_on = day
    case.state = state
    if registered and registered_on is not None:
        _investigation(ctx, drawn, language, institution, registered_on)
    return drawn


def _text(entry: dict[str, str], language: str) -> str:
    return entry.get(language) or entry["ru"]


def _investigation(
    ctx: Context,
    drawn: DrawnCase,
    language: str,
    institution: Institution,
    registered_on: datetime.date,
) -> None:
    rng, case, stock, today = drawn.rng, drawn.case, texts(), ctx.today
    if case.part == 2 and rng.random() < 0.12:
        moved = min(registered_on + datetime.timedelta(days=rng.randint(20, 150)), today)
        body = ctx.bodies.get("internal_affairs")
        case.part, case.investigating_body = 1, body
        note = _text(stock["reclassification_note"], language)
        drawn.classifications.append(
            CaseClassification(
                case=case, part=1, investigating_body=body, effective_on=moved, note=note
            )
        )
        drawn.steps.append(Step(moved, "", EventKind.RECLASSIFIED, {"part": [2, 1], "note": note}))
        drawn.steps.sort(key=lambda s: s.day)
    roll = rng.random()
    if roll < 0.55:
        case.forensic_status = ForensicStatus.REQUESTED
        case.forensic_requested_on = min(
            registered_on + datetime.timedelta(days=rng.randint(1, 10)), today
        )
        done = case.forensic_requested_on + datetime.timedelta(days=rng.randint(5, 40))
        if done <= today and rng.random() < 0.8:
            case.forensic_status = ForensicStatus.DONE
            case.forensic_done_on = done
            case.forensic_result = pick(
                rng,
                {
                    ForensicResult.CONSISTENT: 25,
                    ForensicResult.PARTLY: 20,
                    ForensicResult.NOT_CONSISTENT: 35,
                    ForensicResult.INCONCLUSIVE: 20,
                },
            )
    elif roll < 0.6:
        case.forensic_status = ForensicStatus.REFUSED
    if rng.random() < 0.2:
        victim_protection_encrypt(case, _text(rng.choice(stock["victim_protection"]), language))
    if rng.random() < 0.55 or case.state in (C.CHARGED, C.IN_COURT, C.CONVICTED, C.FINAL):
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            unit = _text(rng.choice(stock["units"]), language)
            drawn.suspects.append(
                Suspect(
                    public_id=new_uuid(rng),
                    case=case,
                    unit=f"{unit}, {institution.name}"[:300],
                    position=_text(rng.choice(stock["positions"]), language),
                    suspended=rng.random() < 0.3,
                )
            )


def draw_accountability(
    ctx: Context,
    base: int,
    plan: YearPlan,
    appeals: list[Appeal],
    cases: list[CriminalCase],
) -> list[AccountabilityRecord]:
    """The year's officials held to account, by initiative (the plan's counts)."""
    stock, today = texts(), ctx.today
    convicted = [c for c in cases if c.state in (C.CONVICTED, C.FINAL)]
    placed = [a for a in appeals if a.institution_id is not None]
    visits = ctx.visits.get(plan.year, [])
    rows: list[AccountabilityRecord] = []
    for initiative, count in sorted(plan.accountability.items()):
        for index in range(count):
            rng = random.Random(  # noqa: S311 - synthetic demo data
                f"{base}:AR:{plan.year}:{initiative}:{index}"
            )
            language = rng.choice(WRITTEN_LANGUAGES)
            responsibility = pick(
                rng,
                {
                    Responsibility.DISCIPLINARY: 85,
                    Responsibility.ADMINISTRATIVE: 10,
                    Responsibility.CRIMINAL: 5 if convicted else 0,
                },
            )
            record = AccountabilityRecord(
                public_id=new_uuid(rng),
                decided_on=day_in(rng, plan.year, today),
                responsibility=responsibility,
                initiative=initiative,
                position=_text(rng.choice(stock["positions"]), language),
                measure=_text(rng.choice(stock["measures"][responsibility]), language),
            )
            institution: Institution | None = None
            if responsibility == Responsibility.CRIMINAL:
                record.case = rng.choice(convicted)
                record.appeal = record.case.appeal
                institution = record.case.institution
            elif initiative == Initiative.NPM_PARTICIPANT and visits:
                record.visit = rng.choice(visits)
                places = list(record.visit.institutions.all())
                institution = rng.choice(places) if places else None
            elif placed and rng.random() < 0.3:
                record.appeal = rng.choice(placed)
                institution = record.appeal.institution
            institution = institution or _institution(rng, ctx)
            record.institution = institution
            record.region = institution.region
            record.agency = institution.agency
            rows.append(record)
    return rows
