"""Demo appeals, referrals, art. 146 cases, accountability and incidents: the published shape
checked on the plan (national scale, no rows written), the rows of the demo scale on a small
world (counts per year, valid life cycles, timelines, consent, sealed writers, no plaintext in
the raw database), determinism for a seed and an idempotent second run."""

import datetime
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from vigil.accounts.models import User
from vigil.appeals import workflow
from vigil.appeals.deadlines import due_today_q, overdue_q
from vigil.appeals.enums import AppealState, CaseState, Channel, EventKind, TerminationGround
from vigil.appeals.models import (
    AccountabilityRecord,
    Appeal,
    AppealEvent,
    AppealIdentity,
    CaseClassification,
    CaseEvent,
    CriminalCase,
    FollowUpContact,
    Incident,
    Referral,
    ReferralEvent,
)
from vigil.appeals.services.appeals import (
    Appellant,
    content_associated_data,
    identity_associated_data,
)
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.core.crypto import keyring
from vigil.demo.appeals import _generate_year_appeals, generate_appeals
from vigil.demo.appeals.appeals import repeat_writers
from vigil.demo.appeals.context import load_context, texts
from vigil.demo.appeals.plan import SCALES, plan, year_plan
from vigil.visits.enums import ConsentScope, VisitState
from vigil.visits.services.interviews import interview_create

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)  # a Friday, a working day
SEED = 3

# --------------------------------------------------------------------- the plan (pure)


def test_national_plan_reproduces_the_published_figures() -> None:
    plans = {p.year: p for p in plan("national", TODAY)}
    assert sorted(plans) == list(range(2017, 2027))
    assert sum(p.appeals for p in plans.values()) == 16_000
    assert all(1_500 <= p.appeals <= 1_700 for p in plans.values())
    assert plans[2021].correctional == 163
    # 2021: 665 registered in January-November, 75% closed for lack of evidence
    assert plans[2021].registered_cases == 665
    assert plans[2021].case_months == 11
    assert round(plans[2021].lack_of_evidence / 665, 2) == 0.75
    # 2023: 398 reviewed, 18 reached court (4.52%)
    assert plans[2023].registered_cases == 398
    assert plans[2023].court_cases == 18
    assert f"{100 * 18 / 398:.2f}" == "4.52"
    assert plans[2023].accountability == {"commissioner": 258, "npm_participant": 17}
    for p in plans.values():
        assert 300 <= p.registered_cases <= 700
        assert p.court_cases <= 0.06 * p.registered_cases
        assert 150 <= sum(p.accountability.values()) <= 300
        assert 24 <= sum(p.incidents.values()) <= 200  # dozens a year
        assert {state for state, _ground in p.cases} <= workflow.CASES.states
    # older years: most terminated for lack of evidence, few in court
    old = plans[2019]
    assert old.lack_of_evidence > 0.7 * old.registered_cases
    assert old.cases[(CaseState.FINAL, "")] > 0
    # this year: some still reported or under investigation, court cases pending
    now = plans[2026]
    assert now.cases[(CaseState.REPORTED, "")] > 0
    assert now.cases[(CaseState.INVESTIGATION, "")] > 0
    assert now.court_cases == now.cases[(CaseState.IN_COURT, "")]


def test_demo_plan_has_the_same_shape_smaller() -> None:
    assert SCALES["demo"].years == 3
    plans = plan("demo", TODAY)
    assert [p.year for p in plans] == [2024, 2025, 2026]
    assert all(150 <= p.appeals <= 170 for p in plans)
    for p in plans:
        national = year_plan("national", p.year, TODAY)
        assert p.registered_cases == round(national.registered_cases / 10)
        assert (
            abs(
                p.lack_of_evidence / p.registered_cases
                - 0.1 * national.lack_of_evidence / p.registered_cases
            )
            < 0.1
        )
        assert 0 < p.court_cases <= 3
        assert all(n > 0 for n in p.incidents.values())


# --------------------------------------------------------------------- the rows (demo scale)


@pytest.fixture
def world(
    ref: dict[str, Any],
    users: dict[str, User],
    make_institution: Callable[..., Any],
    appeal_reference: Any,
) -> dict[str, Any]:
    """Twelve institutions: colonies (correctional) and temporary detention facilities."""
    for n in range(12):
        if n % 2:
            make_institution()
        else:
            make_institution(type=ref["ivs"], agency=ref["police"])
    return ref


@pytest.fixture
def generated(world: dict[str, Any]) -> dict[str, int]:
    return generate_appeals(random.Random(SEED), "demo", today=TODAY)


def _chain(table: Any, events: list[Any], first_states: set[str]) -> str:
    """Walk a timeline; every move is one of the table's; returns the state reached."""
    assert events[0].kind == EventKind.CREATED
    current = events[0].to_state
    assert current in first_states
    for event in events[1:]:
        if not event.to_state:
            assert event.kind in (
                EventKind.EXTENDED,
                EventKind.RECLASSIFIED,
                EventKind.CONSENT_OVERRIDDEN,
            )
            continue
        assert event.from_state == current, event
        assert table.find(current, event.to_state) is not None, (current, event.to_state)
        current = event.to_state
    times = [e.occurred_at for e in events]
    assert times == sorted(times)
    return current


def test_counts_per_year_follow_the_plan(generated: dict[str, int]) -> None:
    plans = {p.year: p for p in plan("demo", TODAY)}
    appeals = Appeal.objects.select_related("institution__type")
    assert generated["appeals"] == appeals.count() == sum(p.appeals for p in plans.values())
    by_year = Counter(a.received_on.year for a in appeals)
    assert by_year == {year: p.appeals for year, p in plans.items()}
    penal = Counter(
        a.received_on.year
        for a in appeals
        if a.institution is not None and a.institution.type.category == "penal"
    )
    assert penal == {year: p.correctional for year, p in plans.items()}
    cases = Counter(c.reference[2:6] for c in CriminalCase.objects.all())
    assert cases == {str(year): sum(p.cases.values()) for year, p in plans.items()}
    for year, p in plans.items():
        states = Counter(
            (c.state, c.termination_ground)
            for c in CriminalCase.objects.filter(reference__startswith=f"C-{year}-")
        )
        assert states == p.cases
        records = Counter(
            AccountabilityRecord.objects.filter(decided_on__year=year).values_list(
                "initiative", flat=True
            )
        )
        assert records == p.accountability
        incidents = Counter(
            Incident.objects.filter(reference__startswith=f"I-{year}-").values_list(
                "kind", flat=True
            )
        )
        assert incidents == p.incidents
    assert generated["criminal cases"] == CriminalCase.objects.count()
    assert generated["referrals"] == Referral.objects.count() > 0
    assert generated["follow-up contacts"] == FollowUpContact.objects.count() > 0
    # channel mix: letters and e-government most, a few anonymous, terminals in prisons only
    channels = Counter(appeals.values_list("channel", flat=True))
    assert channels.most_common(2)[0][0] in (Channel.LETTER, Channel.E_GOVERNMENT)
    assert 0 < channels[Channel.ANONYMOUS] < 0.1 * appeals.count()
    for appeal in appeals.filter(channel=Channel.TERMINAL):
        assert appeal.institution is not None
        assert appeal.institution.type.category in ("penal", "pre_trial")
    # about a third anonymous or without a name
    named = AppealIdentity.objects.count()
    assert 0.2 < 1 - named / appeals.count() < 0.45
    assert not appeals.filter(anonymous=True, identity__isnull=False).exists()


def test_every_appeal_referral_and_case_has_a_valid_timeline(generated: dict[str, int]) -> None:
    events: dict[int, list[Any]] = defaultdict(list)
    for event in AppealEvent.objects.order_by("occurred_at", "id"):
        events[event.appeal_id].append(event)
    states: Counter[str] = Counter()
    for appeal in Appeal.objects.all():
        assert appeal.state in workflow.APPEALS.states
        reached = _chain(
            workflow.APPEALS, events[appeal.pk], {AppealState.RECEIVED, AppealState.REGISTERED}
        )
        assert reached == appeal.state
        states[appeal.state] += 1
        if appeal.state != AppealState.RECEIVED:
            assert appeal.registered_on is not None
            assert appeal.due_on is not None
        if appeal.state == AppealState.MERGED:
            assert appeal.duplicate_of is not None
        if appeal.state in (AppealState.CLOSED_RESOLVED, AppealState.CLOSED_UNRESOLVED):
            assert appeal.closed_on is not None
            assert appeal.outcome
    # old ones closed, recent ones spread over the life cycle
    old = Appeal.objects.filter(received_on__year=2024)
    assert old.filter(state__startswith="closed").count() > 0.8 * old.count()
    assert {
        AppealState.REGISTERED,
        AppealState.TRIAGED,
        AppealState.IN_REVIEW,
        AppealState.OUT_OF_MANDATE,
        AppealState.CLOSED_RESOLVED,
        AppealState.CLOSED_UNRESOLVED,
    } <= set(states)
    assert Appeal.objects.filter(due_today_q(TODAY)).exists()
    assert Appeal.objects.filter(overdue_q(TODAY)).exists()
    assert Appeal.objects.exclude(extension_reason="").filter(extended_until__isnull=False).exists()
    for referral in Referral.objects.all():
        steps: list[Any] = list(referral.events.order_by("occurred_at", "id"))
        assert _chain(workflow.REFERRALS, steps, {"sent"}) == referral.state
    assert ReferralEvent.objects.exists()
    for case in CriminalCase.objects.all():
        moves: list[Any] = list(case.events.order_by("occurred_at", "id"))
        assert _chain(workflow.CASES, moves, {CaseState.REPORTED}) == case.state
    assert (
        CaseEvent.objects.filter(kind=EventKind.RECLASSIFIED).count() == generated["reclassified"]
    )


def test_cases_show_delays_reclassification_and_investigation(generated: dict[str, int]) -> None:
    cases = CriminalCase.objects.all()
    delayed = [c for c in cases if (c.registration_delay_days or 0) > 0]
    assert delayed
    assert all(c.info_book_entry_on < c.registered_on for c in delayed)  # type: ignore[operator]
    reclassified = cases.filter(classifications__part=2).filter(classifications__part=1).distinct()
    assert reclassified.count() == generated["reclassified"] > 0
    for case in reclassified:
        history = list(case.classifications.order_by("effective_on", "id"))
        assert [h.part for h in history] == [2, 1]
        assert history[-1].investigating_body is not None
        assert history[-1].investigating_body.code == "internal_affairs"
        assert case.part == 1
    assert CaseClassification.objects.values("case").distinct().count() == cases.count()
    terminated = cases.filter(state=CaseState.TERMINATED)
    assert (
        terminated.filter(termination_ground=TerminationGround.LACK_OF_EVIDENCE).count()
        > 0.5 * terminated.count()
    )
    assert cases.filter(suspects__isnull=False).exists()
    assert cases.exclude(forensic_done_on=None).exists()
    # special prosecutors investigate torture since 2023
    for case in cases.filter(part__gte=2, registered_on__year__gte=2023):
        assert case.investigating_body is not None
        assert case.investigating_body.code == "special_prosecutor"
    # some cases came from the NPM's own referrals, with the referral's register number
    linked = cases.filter(referral__isnull=False).select_related("referral")
    for case in linked:
        assert case.register_number == case.referral.register_number  # type: ignore[union-attr]
        assert case.appeal_id == case.referral.appeal_id  # type: ignore[union-attr]


def test_referrals_respect_consent_or_record_the_override(generated: dict[str, int]) -> None:
    referrals = list(Referral.objects.select_related("appeal"))
    assert referrals
    for referral in referrals:
        assert referral.appeal is not None
        assert referral.appeal.allegation_types.filter(ill_treatment=True).exists()
        consented = set(referral.appeal.consent_scopes)
        without = set(referral.discloses) - consented
        assert without == set(referral.overridden)
        if referral.overridden:
            assert referral.override_reason
            assert referral.override_by is not None
    overrides = [r for r in referrals if r.overridden]
    assert generated["consent overrides"] == len(overrides) >= 1
    for referral in overrides:
        assert referral.events.filter(kind=EventKind.CONSENT_OVERRIDDEN).exists()
        assert AuditEvent.objects.filter(
            action=AuditAction.REFERRAL_CONSENT_OVERRIDDEN, target_id=str(referral.public_id)
        ).exists()


def test_appellants_sealed_no_plaintext_in_the_raw_database(generated: dict[str, int]) -> None:
    ring = keyring()
    names: set[str] = set()
    for identity in AppealIdentity.objects.select_related("appeal"):
        text = ring.decrypt(bytes(identity.ciphertext), identity_associated_data(identity.appeal))
        names.add(Appellant.from_sealed(text.decode()).name)
    assert len(names) > 50
    contents = {
        option[language]
        for options in texts()["content"].values()
        for option in options
        for language in ("kk", "ru", "en")
    }
    sample = Appeal.objects.order_by("?").first()
    assert sample is not None
    plain = ring.decrypt(bytes(sample.content_ciphertext), content_associated_data(sample))
    assert plain.decode() in contents
    tables = [
        model._meta.db_table
        for model in (Appeal, AppealIdentity, AppealEvent, Referral, CriminalCase, Incident)
    ] + ["audit_auditevent"]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - our own table names
            for row in cursor.fetchall():
                for value in row:
                    raw = bytes(value) if isinstance(value, (bytes, memoryview)) else None
                    shown = str(value)
                    for secret in (*names, *contents):
                        assert secret not in shown, (table, secret)
                        if raw is not None:
                            assert secret.encode() not in raw, table


def test_repeat_writers_share_a_fingerprint_and_merged_duplicates(
    generated: dict[str, int],
) -> None:
    fingerprints = Counter(AppealIdentity.objects.values_list("fingerprint", flat=True))
    repeated = [fp for fp, n in fingerprints.items() if n > 1]
    assert repeated
    ring = keyring()
    for fp in repeated:
        people = {
            Appellant.from_sealed(
                ring.decrypt(bytes(i.ciphertext), identity_associated_data(i.appeal)).decode()
            ).name
            for i in AppealIdentity.objects.filter(fingerprint=fp).select_related("appeal")
        }
        assert len(people) == 1
    merged = Appeal.objects.filter(state=AppealState.MERGED).select_related("duplicate_of")
    assert merged.count() == generated["merged"] > 0
    for appeal in merged:
        original = appeal.duplicate_of
        assert original is not None
        assert original.institution_id == appeal.institution_id
        assert original.identity.fingerprint == appeal.identity.fingerprint
        assert original.received_on <= appeal.received_on


def test_follow_ups_and_incidents(generated: dict[str, int]) -> None:
    contacts = FollowUpContact.objects.all()
    assert contacts.filter(done_on__isnull=False).exists()
    assert contacts.filter(done_on__isnull=True, due_on__lt=TODAY).exists()
    for contact in contacts.select_related("appeal"):
        if contact.appeal is not None:
            assert contact.appeal.consent_contact
            assert contact.appeal.reprisal_risk == "high"
    assert Incident.objects.filter(appeal__isnull=False).exists()
    assert not Incident.objects.filter(institution__isnull=True).exists()


def test_deterministic_for_a_seed_and_idempotent(world: dict[str, Any]) -> None:
    ctx = load_context(TODAY)
    this_year = year_plan("demo", 2026, TODAY)

    def draw(seed: int) -> list[tuple[Any, ...]]:
        base = random.Random(seed).getrandbits(64)
        writers = repeat_writers(base, "demo")
        drawn = _generate_year_appeals(ctx, base, this_year, writers, "demo", Counter())
        return [
            (
                d.appeal.reference,
                d.appeal.public_id,
                d.appeal.state,
                d.appeal.channel,
                d.appeal.received_on,
                d.appeal.institution_id,
                d.name,
                d.content,
                [(s.day, s.state) for s in d.steps],
            )
            for d in drawn
        ]

    assert draw(SEED) == draw(SEED)
    assert draw(SEED) != draw(SEED + 1)
    first = generate_appeals(random.Random(SEED), "demo", today=TODAY)
    counts = {m: m.objects.count() for m in (Appeal, Referral, CriminalCase, AppealEvent)}
    second = generate_appeals(random.Random(SEED), "demo", today=TODAY)
    assert second == {"unchanged": first["appeals"]}
    assert {m: m.objects.count() for m in counts} == counts


def test_appeals_received_during_visits_name_the_visit_and_its_team(
    world: dict[str, Any],
    users: dict[str, User],
    make_visit: Callable[..., Any],
    make_institution: Callable[..., Any],
) -> None:
    visits = []
    for year in (2024, 2025, 2026):  # each to a police cell and a colony
        visit = make_visit(
            state=VisitState.CLOSED,
            institution=make_institution(type=world["ivs"], agency=world["police"]),
            started_at=datetime.datetime(year, 6, 3, 10, tzinfo=datetime.UTC),
        )
        visit.institutions.add(make_institution())
        visits.append(visit)
    for visit in visits:
        interview_create(
            actor=users["monitor"],
            visit=visit,
            institution=visit.institutions.order_by("pk").first(),
            data={
                "pseudonym": "K-1",
                "conducted_on": datetime.date(visit.started_at.year, 6, 3),
                "consent_scopes": [ConsentScope.ANONYMOUS_USE, ConsentScope.CONTACT_BACK],
                "reprisal_risk": "high",
            },
            content="Synthetic interview",
        )
    generate_appeals(random.Random(SEED), "demo", today=TODAY)
    from_visits = Appeal.objects.filter(channel=Channel.VISIT).select_related("visit")
    assert from_visits.count() >= 3
    assert from_visits.filter(interview__isnull=False).exists()
    for appeal in from_visits:
        visit = appeal.visit
        assert visit is not None
        assert visit.started_at is not None
        assert appeal.received_on == timezone.localdate(visit.started_at)
        assert appeal.institution in visit.institutions.all()
        team = {m.participant.user_id for m in visit.team.select_related("participant")}
        assert appeal.registered_by_id in team
        if appeal.interview is not None:
            assert appeal.interview.visit_id == visit.pk
    assert not Appeal.objects.filter(channel=Channel.VISIT, visit__isnull=True).exists()
    # interviewees at high risk get follow-up contacts too
    assert FollowUpContact.objects.filter(interview__isnull=False).exists()
