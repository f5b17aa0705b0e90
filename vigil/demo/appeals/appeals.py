"""Demo appeals and their referrals, drawn one by one from their own random streams.

Each appeal follows a route through the life cycle of `vigil.appeals.workflow.APPEALS`
(review, referral, explanation, forwarding outside the mandate, or merging into an earlier
appeal of the same writer) and gets as far along it as its age allows: old appeals are
closed, recent ones spread over the life cycle; a few are held back so that some are overdue
and some due today. Content is encrypted and the appellant sealed by the appeal service's
builder (`appeal_seal`), the
fingerprint of a repeat writer's name is the same every time."""

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from vigil.accounts.models import User
from vigil.appeals.deadlines import add_limit
from vigil.appeals.enums import (
    AppealState,
    Channel,
    Disclosure,
    EventKind,
    ReferralBodyKind,
    ReferralState,
    TimeLimitCode,
    Urgency,
)
from vigil.appeals.models import AllegationType, Appeal, AppealIdentity, Referral
from vigil.appeals.services.appeals import Appellant, appeal_seal
from vigil.registry.models import Institution
from vigil.visits.enums import ReprisalRisk
from vigil.visits.models import Interview, Visit

from ..people import synthetic_name
from ..scales import scaled
from .context import WRITTEN_LANGUAGES, Context, day_in, new_uuid, pick, texts

A = AppealState
R = ReferralState
DETENTION = ("penal", "pre_trial", "police", "military", "migration")
# The category of the place an appeal is about, for appeals that are not about a correctional
# institution (those are counted apart, `YearPlan.correctional`); None: no place of detention.
CATEGORY_WEIGHTS: dict[str | None, float] = {
    "police": 16,
    "pre_trial": 9,
    "medical": 5,
    "social": 5,
    "education": 2,
    "military": 1,
    "migration": 1,
    None: 61,
}
CHANNEL_WEIGHTS: dict[str, float] = {
    Channel.LETTER: 30,
    Channel.E_GOVERNMENT: 26,
    Channel.VISIT: 25,  # only appeals about a place: about a tenth of all
    Channel.HOTLINE: 6,
    Channel.RELATIVE: 6,
    Channel.LAWYER: 5,
    Channel.NGO: 4,
    Channel.ANONYMOUS: 5,
    Channel.OWN_INITIATIVE: 2,
    Channel.WEB_FORM: 2,
}


def terminal_weight(year: int) -> float:
    """Electronic terminals in prisons: none before 2020, growing after 2021 (365 now)."""
    return {2020: 4, 2021: 12, 2022: 22, 2023: 32, 2024: 40}.get(year, 0 if year < 2020 else 45)


SUBJECTS_DETENTION = {
    "torture": 18,
    "medical_care": 30,
    "abuse_of_office": 20,
    "living_conditions": 22,
    "contact_outside": 6,
    "legal_questions": 4,
}
SUBJECTS_CARE = {
    "medical_care": 35,
    "living_conditions": 35,
    "abuse_of_office": 20,
    "torture": 5,
    "other": 5,
}
SUBJECTS_ELSEWHERE = {
    "legal_questions": 40,
    "other": 35,
    "abuse_of_office": 20,
    "contact_outside": 5,
}
ANONYMOUS_SHARE = 0.22  # of the appeals that could name their writer
REPEAT_SHARE = 0.08  # of the named appeals, written by one of the repeat writers
REPEAT_WRITERS = {"demo": 10, "national": 60}
OVERRIDES = {"demo": 2, "national": 12}  # referrals disclosing without consent, at most
OVERRIDE_SHARE = {"demo": 0.5, "national": 0.05}  # of the referrals that could


@dataclass
class Step:
    day: datetime.date
    state: str
    kind: str = EventKind.STATE_CHANGED
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Drawn:
    """An appeal drawn from its stream, with what is written with it."""

    appeal: Appeal
    rng: random.Random
    language: str
    content: str
    name: str
    contact: str
    allegations: list[AllegationType]
    created: str  # the state it was created in
    steps: list[Step] = field(default_factory=list)
    category: str | None = None
    route: str = ""
    hold: str = ""  # held back in this state (overdue, due today)
    duplicate_of: "Drawn | None" = None
    referral: Referral | None = None
    referral_steps: list[Step] = field(default_factory=list)

    @property
    def ill_treatment(self) -> bool:
        return any(a.ill_treatment for a in self.allegations)


def _text(entry: dict[str, str], language: str) -> str:
    return entry.get(language) or entry["ru"]


def repeat_writers(base: int, scale: str) -> list[str]:
    """The synthetic names of the people who write again and again (same seed, same names)."""
    rng = random.Random(f"{base}:repeat-writers")  # noqa: S311 - synthetic demo data
    return [synthetic_name(rng) for _ in range(scaled(REPEAT_WRITERS, scale))]


def _allegations(rng: random.Random, subject: str, ctx: Context) -> list[AllegationType]:
    codes: list[str]
    if subject == "torture":
        codes = ["torture", "cruel_treatment"] if rng.random() < 0.3 else ["torture"]
        if rng.random() < 0.35:
            codes = ["cruel_treatment"]
    elif subject == "medical_care":
        codes = ["health_care"]
    elif subject == "living_conditions":
        codes = ["conditions"]
    elif subject == "abuse_of_office":
        codes = ["cruel_treatment"] if rng.random() < 0.25 else ["other"]
    elif subject == "legal_questions":
        codes = ["legal"]
    else:
        codes = ["other"]
    return [ctx.allegations[c] for c in codes if c in ctx.allegations]


def _institution(rng: random.Random, ctx: Context, category: str | None) -> Institution | None:
    if category is None or not ctx.institutions.get(category):
        return None
    return rng.choice(ctx.institutions[category])


def _any_institution(rng: random.Random, ctx: Context) -> Institution:
    category = rng.choice(sorted(ctx.institutions))
    return rng.choice(ctx.institutions[category])


def draw_appeal(
    ctx: Context,
    base: int,
    year: int,
    index: int,
    *,
    correctional: bool,
    writers: list[str],
) -> Drawn:
    """The appeal number `index` of `year` (its number in the year is given later)."""
    rng = random.Random(f"{base}:A:{year}:{index}")  # noqa: S311 - synthetic demo data
    stock = texts()
    language = rng.choice(WRITTEN_LANGUAGES) if rng.random() < 0.45 else "ru"
    category: str | None = "penal" if correctional else pick(rng, CATEGORY_WEIGHTS)
    institution = _institution(rng, ctx, category)
    if institution is None:
        category = None
    weights = dict(CHANNEL_WEIGHTS)
    if category in ("penal", "pre_trial"):
        weights[Channel.TERMINAL] = terminal_weight(year)
    if category is None or not ctx.visits.get(year):
        weights.pop(Channel.VISIT)
    if year < ctx.today.year - 1:
        weights.pop(Channel.WEB_FORM)  # the public form is new
    channel = pick(rng, weights)
    received_on = day_in(rng, year, ctx.today)
    visit: Visit | None = None
    interview: Interview | None = None
    registered_by: User | None = ctx.coordinator
    if channel == Channel.VISIT:
        visit = rng.choice(ctx.visits[year])
        # a correctional institution's appeal stays one (they are counted), the others too
        places = [
            p for p in visit.institutions.all() if (p.type.category == "penal") == correctional
        ]
        if not places:
            channel, visit = Channel.LETTER, None
    if visit is not None:
        institution = rng.choice(places)
        category = institution.type.category
        spoken = ctx.interviews.get(visit.pk, [])
        if spoken and rng.random() < 0.5:
            interview = rng.choice(spoken)
        team = [m.participant.user for m in visit.team.all()]
        registered_by = rng.choice(team) if team else ctx.coordinator
        if visit.started_at is not None:
            received_on = min(timezone.localdate(visit.started_at), ctx.today)
    if category is None:
        subject = pick(rng, SUBJECTS_ELSEWHERE)
    elif category in DETENTION:
        subject = pick(rng, SUBJECTS_DETENTION)
    else:
        subject = pick(rng, SUBJECTS_CARE)
    allegations = _allegations(rng, subject, ctx)
    ill = any(a.ill_treatment for a in allegations)
    # who wrote
    anonymous = channel == Channel.ANONYMOUS
    nameless = channel == Channel.OWN_INITIATIVE
    if not (anonymous or nameless) and rng.random() < ANONYMOUS_SHARE:
        anonymous = True
    name = contact = ""
    if not (anonymous or nameless):
        name = rng.choice(writers) if writers and rng.random() < REPEAT_SHARE else ""
        name = name or synthetic_name(rng)
        contact = stock["contact"][language] % {"number": f"{rng.randint(0, 99_999_999):08d}"}
    consents: list[str] = []
    if rng.random() < (0.9 if anonymous else 0.85):
        consents.append(Disclosure.ALLEGATION)
    if name and rng.random() < 0.45:
        consents.append(Disclosure.IDENTITY)
    if rng.random() < (0.6 if ill else 0.3):
        consents.append(Disclosure.MEDICAL)
    if ill:
        risk = pick(rng, {ReprisalRisk.HIGH: 35, ReprisalRisk.LOW: 40, ReprisalRisk.NONE: 25})
        urgency = pick(rng, {Urgency.ROUTINE: 50, Urgency.URGENT: 40, Urgency.IMMEDIATE: 10})
    else:
        risk = pick(rng, {ReprisalRisk.HIGH: 2, ReprisalRisk.LOW: 10, ReprisalRisk.NONE: 88})
        urgency = Urgency.URGENT if rng.random() < 0.08 else Urgency.ROUTINE
    region = institution.region if institution else _any_institution(rng, ctx).region
    content = _text(rng.choice(stock["content"][subject]), language)
    appeal = Appeal(
        public_id=new_uuid(rng),
        channel=channel,
        received_on=received_on,
        anonymous=anonymous,
        subject=ctx.subjects.get(subject),
        urgency=urgency,
        institution=institution,
        institution_text=""
        if institution
        else _text(rng.choice(stock["outside_places"]), language),
        region=region,
        summary=_text(stock["summary"][subject], language),
        consent_scopes=consents,
        consent_contact=bool(name) and rng.random() < 0.6,
        reprisal_risk=risk,
        visit=visit,
        interview=interview,
        registered_by=registered_by,
    )
    created = A.RECEIVED if channel in (Channel.WEB_FORM, Channel.TERMINAL) else A.REGISTERED
    if created == A.RECEIVED:
        appeal.registered_by = None
    drawn = Drawn(
        appeal=appeal,
        rng=rng,
        language=language,
        content=content,
        name=name,
        contact=contact,
        allegations=allegations,
        created=created,
        category=category,
    )
    if category is None:
        drawn.route = "forward" if rng.random() < 0.7 else "explain"
    elif ill and Disclosure.ALLEGATION in consents and rng.random() < 0.75:
        drawn.route = "refer"
    else:
        drawn.route = "review" if rng.random() < 0.7 else "explain"
    return drawn


def _handler(ctx: Context, drawn: Drawn) -> User:
    rng, appeal = drawn.rng, drawn.appeal
    in_region = ctx.regional is not None and appeal.region_id in ctx.regional_regions
    if in_region and ctx.regional is not None and rng.random() < 0.7:
        return ctx.regional
    if ctx.monitor is not None and rng.random() < 0.04:
        return ctx.monitor
    return ctx.coordinator


def _after(day: datetime.date, rng: random.Random, low: int, high: int) -> datetime.date:
    return day + datetime.timedelta(days=rng.randint(low, high))


def live(ctx: Context, drawn: Drawn) -> None:
    """Move the appeal along its route as far as today allows; fill the dates it reached."""
    rng, appeal, today = drawn.rng, drawn.appeal, ctx.today
    stock = texts()
    received = appeal.received_on
    if drawn.hold:
        registered = received
    elif drawn.created == A.RECEIVED:
        registered = _after(received, rng, 0, 2)
    else:
        registered = min(_after(received, rng, 0, 3), today)
    steps: list[Step] = []
    if drawn.created == A.RECEIVED:
        steps.append(Step(registered, A.REGISTERED))
    appeal.registered_on = registered if registered <= today else None
    if appeal.registered_on is None:
        drawn.steps = []
        return
    appeal.due_on = add_limit(registered, ctx.limits[TimeLimitCode.ANSWER], ctx.calendar)
    stalled = drawn.hold == "" and rng.random() < 0.04
    route = drawn.route
    plan: list[tuple[str, int, int]]
    if route == "merge":
        plan = [(A.MERGED, 0, 3)]
    elif route == "forward":
        plan = [(A.OUT_OF_MANDATE, 0, 2), (A.CLOSED_RESOLVED, 1, 10)]
    elif route == "explain":
        plan = [(A.TRIAGED, 1, 3), (A.EXPLAINED, 1, 8), (A.CLOSED_RESOLVED, 0, 5)]
    else:
        middle = A.REFERRED if route == "refer" else A.IN_REVIEW
        answer = (30, 60) if stalled else ((10, 25) if route == "refer" else (5, 16))
        closed = A.CLOSED_RESOLVED if rng.random() < 0.45 else A.CLOSED_UNRESOLVED
        plan = [
            (A.TRIAGED, 0, 3),
            (middle, 0, 3),
            (A.RESPONSE_RECEIVED, *answer),
            (closed, 0, 8),
        ]
    day = registered
    handler = _handler(ctx, drawn)
    for state, low, high in plan:
        day = _after(day, rng, low, high)
        if day > today:
            break
        step = Step(day, state)
        if state == A.MERGED:
            step.kind = EventKind.MERGED
            step.data = {"via": "merge"}
        elif state == A.REFERRED:
            step.kind = EventKind.REFERRED
            step.data = {"via": "referral"}
        steps.append(step)
        if state == A.TRIAGED:
            appeal.assigned_to = handler
        elif state == A.OUT_OF_MANDATE:
            appeal.forwarded_on = day
            appeal.forwarded_to = _text(rng.choice(stock["forwarded_to"]), drawn.language)
        elif state in (A.EXPLAINED, A.RESPONSE_RECEIVED):
            appeal.answered_on = day
        elif state in (A.CLOSED_RESOLVED, A.CLOSED_UNRESOLVED):
            appeal.closed_on = day
            key = {
                "forward": "forwarded",
                "explain": "explained",
            }.get(route, "resolved" if state == A.CLOSED_RESOLVED else "unresolved")
            appeal.outcome = _text(stock["outcomes"][key], drawn.language)
        if drawn.hold and state == drawn.hold:
            break
    # an extension, asked for before the due date, for some still in review or referred
    if (
        route in ("refer", "review")
        and appeal.due_on is not None
        and (stalled or rng.random() < 0.08)
        and any(s.state in (A.IN_REVIEW, A.REFERRED) for s in steps)
    ):
        asked = appeal.due_on - datetime.timedelta(days=rng.randint(1, 3))
        middle_day = next(s.day for s in steps if s.state in (A.IN_REVIEW, A.REFERRED))
        if middle_day <= asked <= today and not drawn.hold:
            longest = add_limit(registered, ctx.limits[TimeLimitCode.EXTENSION_MAX], ctx.calendar)
            appeal.extended_until = min(longest, _after(appeal.due_on, rng, 10, 25))
            appeal.extension_reason = _text(rng.choice(stock["extension_reasons"]), drawn.language)
            steps.append(Step(asked, "", EventKind.EXTENDED, {"until": str(appeal.extended_until)}))
            steps.sort(key=lambda s: s.day)
    drawn.steps = steps
    appeal.state = next((s.state for s in reversed(steps) if s.state), drawn.created)


def referral_for(ctx: Context, drawn: Drawn, reference: str, override: bool) -> Referral | None:
    """The referral of an appeal that reached REFERRED: what it discloses is what the person
    consented to, unless a coordinator overrode the consent with a recorded reason."""
    sent = next((s.day for s in drawn.steps if s.state == A.REFERRED), None)
    if sent is None:
        return None
    rng, appeal, today, stock = drawn.rng, drawn.appeal, ctx.today, texts()
    if drawn.category == "education":
        kind = ReferralBodyKind.CHILD_PROTECTION
    elif appeal.subject is not None and appeal.subject.code == "medical_care":
        kind = ReferralBodyKind.HEALTH
    else:
        kind = pick(rng, {ReferralBodyKind.PROSECUTOR: 75, ReferralBodyKind.INTERNAL_SECURITY: 25})
    wanted = [Disclosure.ALLEGATION]
    if drawn.name and rng.random() < 0.5:
        wanted.append(Disclosure.IDENTITY)
    if rng.random() < 0.35:
        wanted.append(Disclosure.MEDICAL)
    consented = set(appeal.consent_scopes)
    overridden: list[str] = []
    if override and drawn.name and Disclosure.IDENTITY not in consented:
        overridden = [Disclosure.IDENTITY]
        wanted = [d for d in wanted if d != Disclosure.IDENTITY] + [Disclosure.IDENTITY]
    discloses = [d for d in wanted if d in consented or d in overridden]
    region_name = appeal.region.name if appeal.region else ""
    referral = Referral(
        public_id=new_uuid(rng),
        reference=reference,
        appeal=appeal,
        interview=appeal.interview,
        body_kind=kind,
        body_name=_text(stock["referral_bodies"][kind], drawn.language) % {"region": region_name},
        region=appeal.region,
        discloses=discloses,
        overridden=overridden,
        override_reason=_text(stock["override_reason"], drawn.language) if overridden else "",
        override_by=ctx.coordinator if overridden else None,
        sent_on=sent,
        letter_number=f"{sent:%y}-{rng.randint(100, 9999)}",
        created_by=appeal.assigned_to or ctx.coordinator,
    )
    steps: list[Step] = []
    if overridden:
        steps.append(Step(sent, "", EventKind.CONSENT_OVERRIDDEN, {"kinds": overridden}))
    day = _after(sent, rng, 3, 10)
    if day <= today and rng.random() < 0.85:
        steps.append(Step(day, R.ACKNOWLEDGED))
        referral.acknowledged_on = day
    registrable = kind in (ReferralBodyKind.PROSECUTOR, ReferralBodyKind.INTERNAL_SECURITY)
    roll = rng.random()
    day = _after(day, rng, 5, 30)
    if registrable and day <= today and roll < 0.85:
        if roll < 0.55:
            steps.append(Step(day, R.REGISTERED))
            referral.registered_on = day
            referral.register_number = register_number(rng, day, appeal.region)
        else:
            steps.append(Step(day, R.REFUSED))
            referral.refused_on = day
            referral.refusal_reason = _text(stock["refusal_reason"], drawn.language)
        day = _after(day, rng, 30, 200)
        if day <= today and rng.random() < 0.7:
            steps.append(Step(day, R.OUTCOME_RECEIVED))
            referral.outcome_on = day
            referral.outcome = _text(stock["referral_outcome"], drawn.language)
    referral.state = next((s.state for s in reversed(steps) if s.state), R.SENT)
    drawn.referral = referral
    drawn.referral_steps = steps
    return referral


def register_number(rng: random.Random, day: datetime.date, region: Any) -> str:
    """A synthetic number of the pre-trial investigations register (15 digits)."""
    code = "".join(ch for ch in str(getattr(region, "code", "")) if ch.isdigit())[-2:] or "00"
    return f"{day:%y}{code}{rng.randint(1000, 9999)}{rng.randint(0, 9_999_999):07d}"


def seal(drawn: Drawn) -> AppealIdentity | None:
    """Encrypt the content and seal the appellant, through the appeal service's builder."""
    appellant = Appellant(name=drawn.name, contact=drawn.contact) if drawn.name else Appellant()
    identity = appeal_seal(drawn.appeal, content=drawn.content, appellant=appellant)
    if identity is None:
        return None
    identity.public_id = new_uuid(drawn.rng)
    identity.created_at = identity.updated_at = drawn.appeal.created_at
    return identity
