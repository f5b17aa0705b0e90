"""One demo recommendation drawn from its own random stream, and the authority's response to it."""

import datetime
import random
from dataclasses import dataclass

from vigil.recommendations.enums import Level, Source, Verdict
from vigil.recommendations.models import AuthorityResponse, Recommendation
from vigil.registry.models import Institution

from .material import (
    CLAIM_OF_STATE,
    IMPLEMENTED,
    REPEAT_SHARE,
    RESPONSE_SHARE,
    Context,
    S,
    higher,
    language_of,
    material,
    mix,
    pick,
)


def _state(rng: random.Random, age: int, factor: float) -> str:
    weights = dict(mix(age))
    for state in IMPLEMENTED:
        if state in weights:
            weights[state] *= factor
    return pick(rng, weights)


def _date_in(rng: random.Random, year: int, today: datetime.date) -> datetime.date:
    first = datetime.date(year, 1, 1)
    last = min(datetime.date(year, 12, 31), today - datetime.timedelta(days=1))
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))


@dataclass
class Drawn:
    rec: Recommendation
    rng: random.Random


def draw(
    ext: str, year: int, base: int, ctx: Context, previous: list[Recommendation]
) -> Drawn | None:
    rng = random.Random(f"{base}:{ext}")  # noqa: S311 - synthetic demo data
    stock = material()
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
        theme = pick(rng, {k: v for k, v in stock["theme_weights"].items() if k != "T8"})
    else:
        source_agency = (
            rng.choice(ctx.institutions).agency
            if ctx.institutions
            else rng.choice(list(ctx.agencies.values()))
        )
        addressee = higher(source_agency, ctx) or source_agency
        level = Level.LEGISLATIVE if roll > 0.97 else Level.SYSTEMIC
        theme = "T8" if rng.random() < 0.5 else pick(rng, stock["theme_weights"])
    language = pick(rng, stock["languages"])
    if earlier is not None:  # a repeat says the same again, in the same language
        language = language_of(earlier.text)
    options = stock["texts"][theme]
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
        verdict = pick(rng, {"": 6, Verdict.ACCEPT_CLAIM: 3, Verdict.DISPUTE: 1})
    rec = Recommendation(
        external_ref=ext,
        source=Source.VISIT_REPORT if institution else Source.ANNUAL_REPORT,
        source_document=stock["source_documents"][
            "visit_report" if institution else "annual_report"
        ][language].format(year=year),
        addressee=addressee,
        institution=institution,
        theme=theme,
        level=level,
        text=text,
        indicator=stock["indicators"][language] if rng.random() < 0.6 else "",
        issued_on=issued_on,
        deadline=deadline,
        state=state,
        state_changed_on=max(changed, issued_on),
        claimed_status=CLAIM_OF_STATE.get(state, ""),
        assessed_verdict=verdict,
        repeat_of=earlier,
        created_by=ctx.coordinator,
    )
    return Drawn(rec, rng)


def response_for(drawn: Drawn, ctx: Context, serial: int) -> AuthorityResponse | None:
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
        # authorities answer in the language they were written to
        measures=material()["measures"][rec.claimed_status][language_of(rec.text)],
        claimed_status=rec.claimed_status,
        on_time=letter_date <= rec.deadline,
        submitted_by=submitter,
    )
