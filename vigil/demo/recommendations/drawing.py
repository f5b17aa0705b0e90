"""One demo recommendation drawn from its own random stream, and the authority's response to it."""

import datetime
import random
from dataclasses import dataclass, field

from vigil.recommendations.enums import Level, Source, Verdict
from vigil.recommendations.models import AuthorityResponse, Recommendation
from vigil.reference.models import Agency
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
from .visits import RECENT_DAYS, ReportFinding, VisitSource, YearSources


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
    findings: list[int] = field(default_factory=list)  # pks of the findings it came from


@dataclass
class Earlier:
    """The demo recommendations made before (those to an institution), which a repeat repeats:
    one at the institution a visit found the matter at again, or any, for one from no visit."""

    all: list[Recommendation] = field(default_factory=list)
    by_institution: dict[int, list[Recommendation]] = field(default_factory=dict)

    def add(self, recs: list[Recommendation]) -> None:
        for rec in recs:
            if rec.institution_id is not None:
                self.all.append(rec)
                self.by_institution.setdefault(rec.institution_id, []).append(rec)


@dataclass
class _Origin:
    """Where a recommendation comes from and what it is about."""

    addressee: Agency
    level: Level
    theme: str
    language: str
    institution: Institution | None = None
    source: VisitSource | None = None
    finding: ReportFinding | None = None
    repeated: Recommendation | None = None


def _repeating(earlier: Recommendation, ctx: Context, source: VisitSource | None) -> _Origin:
    """A repeat says the same again, to the same addressee, in the same language."""
    return _Origin(
        addressee=ctx.agencies[earlier.addressee_id],
        level=Level(earlier.level),
        theme=earlier.theme,
        language=language_of(earlier.text),
        institution=ctx.by_pk.get(earlier.institution_id or 0),
        source=source,
        repeated=earlier,
    )


def _from_visit(
    rng: random.Random, ctx: Context, earlier: Earlier, sources: list[VisitSource]
) -> _Origin:
    """From one of the findings of a visit's report, to the institution's agency; written in
    the report's language (a joint visit's English report: in a state language)."""
    stock = material()
    source = rng.choice(sources)
    finding = rng.choice(source.findings)
    institution = ctx.by_pk[finding.institution_id]
    here = earlier.by_institution.get(institution.pk)
    if here and rng.random() < REPEAT_SHARE:
        origin = _repeating(rng.choice(here), ctx, source)
        origin.finding = finding
        return origin
    language = source.language
    if language not in stock["languages"]:
        language = pick(rng, stock["languages"])
    return _Origin(
        addressee=institution.agency,
        level=Level.URGENT_INDIVIDUAL if rng.random() < 0.08 else Level.INSTITUTIONAL,
        theme=finding.theme,
        language=language,
        institution=institution,
        source=source,
        finding=finding,
    )


def _without_visit(rng: random.Random, ctx: Context, earlier: Earlier, roll: float) -> _Origin:
    """From the NPM's annual report: systemic or legislative, or (in a year without visit
    reports to draw from) to an institution."""
    stock = material()
    if earlier.all and rng.random() < REPEAT_SHARE:
        return _repeating(earlier.all[rng.randrange(len(earlier.all))], ctx, None)
    if roll < 0.86 and ctx.institutions:
        institution = rng.choice(ctx.institutions)
        return _Origin(
            addressee=institution.agency,
            level=Level.URGENT_INDIVIDUAL if rng.random() < 0.08 else Level.INSTITUTIONAL,
            theme=pick(rng, {k: v for k, v in stock["theme_weights"].items() if k != "T8"}),
            language=pick(rng, stock["languages"]),
            institution=institution,
        )
    source_agency = (
        rng.choice(ctx.institutions).agency
        if ctx.institutions
        else rng.choice(list(ctx.agencies.values()))
    )
    return _Origin(
        addressee=higher(source_agency, ctx) or source_agency,
        level=Level.LEGISLATIVE if roll > 0.97 else Level.SYSTEMIC,
        theme="T8" if rng.random() < 0.5 else pick(rng, stock["theme_weights"]),
        language=pick(rng, stock["languages"]),
    )


def draw(
    ext: str, year: int, base: int, ctx: Context, earlier: Earlier, sources: YearSources | None
) -> Drawn | None:
    """One recommendation issued in `year`: most from the findings of the year's visit
    reports (`sources`), issued the day the report went to the authority; the rest systemic,
    from the annual report."""
    rng = random.Random(f"{base}:{ext}")  # noqa: S311 - synthetic demo data
    stock = material()
    issued_on = _date_in(rng, year, ctx.today)
    if issued_on >= ctx.today:
        return None
    roll = rng.random()
    if roll < 0.86 and sources is not None:
        origin = _from_visit(rng, ctx, earlier, sources.all)
    else:
        origin = _without_visit(rng, ctx, earlier, roll)
    age = ctx.today.year - year
    state = _state(rng, age, ctx.factor.get(origin.addressee.pk, 1.0))
    waiting = state in (S.ISSUED, S.AWAITING_RESPONSE) and age == 0
    old_report = origin.source and (ctx.today - origin.source.sent_on).days > RECENT_DAYS
    if waiting and old_report and sources is not None and sources.recent:
        # still waiting for an answer: from a report sent in the last weeks
        origin = _from_visit(rng, ctx, earlier, sources.recent)
    if origin.source is not None:
        issued_on = origin.source.sent_on
    elif waiting:  # still waiting for an answer: issued in the last weeks
        recent = ctx.today - datetime.timedelta(days=rng.randint(1, RECENT_DAYS))
        issued_on = max(datetime.date(year, 1, 1), recent)
    repeated = origin.repeated
    text = repeated.text if repeated else rng.choice(stock["texts"][origin.theme])[origin.language]
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
    kind = "visit_report" if origin.source else "annual_report"
    rec = Recommendation(
        external_ref=ext,
        source=Source.VISIT_REPORT if origin.source else Source.ANNUAL_REPORT,
        visit_id=origin.source.visit_id if origin.source else None,
        source_document=stock["source_documents"][kind][origin.language].format(year=year),
        addressee=origin.addressee,
        institution=origin.institution,
        theme=origin.theme,
        level=origin.level,
        text=text,
        indicator=stock["indicators"][origin.language] if rng.random() < 0.6 else "",
        issued_on=issued_on,
        deadline=deadline,
        state=state,
        state_changed_on=max(changed, issued_on),
        claimed_status=CLAIM_OF_STATE.get(state, ""),
        assessed_verdict=verdict,
        repeat_of=repeated,
        created_by=ctx.coordinator,
    )
    return Drawn(rec, rng, [origin.finding.pk] if origin.finding else [])


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
