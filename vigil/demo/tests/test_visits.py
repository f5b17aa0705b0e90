"""`generate_demo_data` for visits: every state, valid teams and histories, readable
interviews, a demo monitor with work to do, an idempotent second run, a deterministic plan,
recommendations drawn from the findings of the reports sent.

The demo scale is generated once for the module (inside a transaction rolled back at the end)."""

import io
import random
from collections import Counter
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.test import Client
from django.utils import timezone

from vigil.accounts.models import User
from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.models import AccessEvent, AuditEvent
from vigil.demo.visits import SCALE_SPECS, texts
from vigil.demo.visits.plan import VisitPlan, plan_visit, schedule
from vigil.demo.visits.world import load_world
from vigil.people.models import ConflictDeclaration, Participant, ParticipantAbsence
from vigil.recommendations.enums import Source
from vigil.recommendations.models import Recommendation
from vigil.registry.models import Institution
from vigil.visits import workflow
from vigil.visits.enums import NOT_STARTED_STATES, ReportState, Severity, VisitState, VisitType
from vigil.visits.models import (
    ChecklistAnswer,
    Finding,
    Interview,
    SealedIdentity,
    TeamMember,
    Visit,
    VisitReport,
    VisitTransition,
)
from vigil.visits.permissions import visits_visible_to
from vigil.visits.selectors.visits import my_work
from vigil.visits.services.interviews import identity_unseal, interview_read_content

pytestmark = pytest.mark.django_db

S = VisitState
STARTED = {
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
REPORT_STATE: dict[str, str] = {
    S.REPORT_DRAFT: ReportState.DRAFT,
    S.REPORT_REVIEW: ReportState.REVIEW,
    S.REPORT_APPROVED: ReportState.APPROVED,
    S.SENT_TO_AUTHORITY: ReportState.APPROVED,
    S.RESPONSE_RECEIVED: ReportState.APPROVED,
    S.RESPONSE_OVERDUE: ReportState.APPROVED,
    S.CLOSED: ReportState.APPROVED,
}


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: object) -> Iterator[str]:
    """The demo data set, once for the module; rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        out = io.StringIO()
        call_command("generate_demo_data", "--seed", "5", "--scale", "demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def _user(email: str) -> User:
    return User.objects.get(email=email)


def test_demo_scale_holds_every_state_and_type(demo: str) -> None:
    visits = Visit.objects.all()
    assert 50 <= visits.count() <= 80
    assert set(visits.values_list("state", flat=True)) == set(VisitState.values)
    assert set(visits.values_list("type", flat=True)) == set(VisitType.values)
    years = set(visits.values_list("plan__year", flat=True))
    today = timezone.localdate()
    assert {today.year - 1, today.year} <= years
    # The plan ahead is planned or prepared (or on the side), never started.
    ahead = visits.filter(planned_start__gt=today)
    assert ahead.exists()
    assert set(ahead.values_list("state", flat=True)) <= set(NOT_STARTED_STATES)
    assert "visits" in demo
    assert "participants" in demo


def test_teams_have_three_or_more_eligible_members_and_one_lead(demo: str) -> None:
    counts = Visit.objects.annotate(
        members=Count("team"), leads=Count("team", filter=Q(team__is_lead=True))
    ).values_list("reference", "members", "leads")
    for reference, members, leads in counts:
        assert members >= workflow.MIN_TEAM, reference
        assert 3 <= members <= 5, reference
        assert leads == 1, reference
    assert Participant.objects.count() >= 24
    assert ConflictDeclaration.objects.exists()
    # Nobody is sent where they declared a conflict, or outside their accreditation.
    for visit in Visit.objects.prefetch_related("team__participant__user"):
        team = [m.participant for m in visit.team.all()]
        assert workflow.team_eligibility_errors(visit, team) == [], visit.reference


def test_participants_declare_capacity_and_some_leave(demo: str) -> None:
    today = timezone.localdate()
    capacities = list(Participant.objects.values_list("visits_per_year", flat=True))
    assert all(c is not None and 6 <= c <= 16 for c in capacities)
    assert len(set(capacities)) > 3
    absences = ParticipantAbsence.objects.all()
    away = absences.values("participant").distinct().count()
    assert 0.2 * len(capacities) <= away <= 0.9 * len(capacities)
    for absence in absences:
        assert today.year <= absence.starts_on.year <= absence.ends_on.year <= today.year + 1
        assert 7 <= (absence.ends_on - absence.starts_on).days + 1 <= 35
    monitor = Participant.objects.get(user__email="monitor@demo.vigil")
    assert monitor.visits_per_year == 10
    assert monitor.absences.filter(starts_on__month=7, ends_on__month=7).exists()
    added = AuditEvent.objects.filter(action=AuditAction.ABSENCE_ADDED)
    assert added.count() == absences.count()
    assert added.filter(data__demo_data="demo").count() == absences.count() - 1


def test_histories_follow_the_transition_table(demo: str) -> None:
    for visit in Visit.objects.prefetch_related("transitions"):
        steps = list(visit.transitions.all())
        source: str = S.DRAFT
        for step in steps:
            assert step.from_state == source, visit.reference
            assert workflow.find(step.from_state, step.to_state) is not None, (
                visit.reference,
                step.from_state,
                step.to_state,
            )
            source = step.to_state
        assert source == visit.state, visit.reference
        times = [s.occurred_at for s in steps]
        assert times == sorted(times), visit.reference
        assert all(t <= timezone.now() for t in times)
        assert (visit.started_at is not None) == (visit.state in STARTED), visit.reference
        if visit.type == VisitType.SPECIAL:
            assert visit.trigger_kind, visit.reference
        if visit.type == VisitType.FOLLOW_UP:
            earlier = visit.follow_up_of
            assert earlier is not None, visit.reference
            assert earlier.started_at is not None
            assert earlier.planned_start < visit.planned_start


def test_reports_findings_and_registry_follow_the_visits(demo: str) -> None:
    for visit in Visit.objects.filter(state__in=list(REPORT_STATE)):
        report = VisitReport.objects.get(visit=visit)
        assert report.state == REPORT_STATE[visit.state], visit.reference
        assert report.findings.exists()
        if report.state == ReportState.APPROVED:
            assert report.approved_by is not None
            assert report.approved_at is not None
    assert not VisitReport.objects.exclude(visit__state__in=list(REPORT_STATE)).exists()
    findings = Finding.objects.all()
    assert findings.exists()
    assert not findings.exclude(visit__state__in=STARTED).exists()
    assert {f.severity for f in findings} >= {"serious", "moderate"}
    for finding in findings:
        finding.full_clean()
    assert ChecklistAnswer.objects.filter(findings__isnull=False).exists()
    assert not ChecklistAnswer.objects.exclude(response__visit__state__in=STARTED).exists()
    # The registry's last visit is the latest visit that took place.
    latest = (
        Visit.objects.filter(state__in=STARTED)
        .values("institutions")
        .annotate(last=Max("started_at"))
        .order_by()
    )
    assert latest
    for row in latest:
        institution = Institution.objects.get(pk=row["institutions"])
        assert institution.last_visited_on == timezone.localdate(row["last"])


def test_interviews_are_encrypted_and_read_through_the_service(demo: str) -> None:
    coordinator = _user("coordinator@demo.vigil")
    interviews = Interview.objects.select_related("visit")
    assert interviews.count() >= 20
    for interview in interviews:
        content = interview_read_content(actor=coordinator, interview=interview)
        assert content.strip()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT content_ciphertext FROM visits_interview WHERE id = %s", [interview.pk]
            )
            raw = bytes(cursor.fetchone()[0])
        assert content.encode() not in raw
        assert content.split(" ")[0].encode() not in raw
    assert AccessEvent.objects.filter(kind=AccessKind.INTERVIEW_READ).count() == interviews.count()
    sealed = SealedIdentity.objects.select_related("interview").first()
    assert sealed is not None
    identity = identity_unseal(actor=coordinator, interview=sealed.interview, reason="Demo check")
    assert identity
    assert identity.encode() not in bytes(sealed.ciphertext)
    assert identity != sealed.interview.pseudonym


def test_the_demo_monitor_has_work_on_its_page(demo: str) -> None:
    monitor = _user("monitor@demo.vigil")
    work = my_work(monitor)
    assert work.participant is not None
    assert work.upcoming
    assert work.in_progress
    assert any(v.state == S.ON_SITE for v in work.in_progress)
    led = TeamMember.objects.filter(participant__user=monitor, is_lead=True)
    assert led.filter(visit__state__in=[S.ON_SITE, S.DEBRIEFED]).exists()
    assert work.checklists, "an unfinished checklist"
    assert work.reports, "a report to draft"
    assert len(work.follow_ups) >= 2
    client = Client()
    client.force_login(monitor)
    body = client.get("/visits/mine/").content.decode()
    for visit in [*work.upcoming, *work.in_progress]:
        assert visit.reference in body
    # Each demo role has something to see.
    for email in ("coordinator@demo.vigil", "regional@demo.vigil", "auditor@demo.vigil"):
        assert visits_visible_to(_user(email)).filter(state__in=STARTED).exists(), email
    liaison = visits_visible_to(_user("liaison@demo.vigil"))
    assert liaison.exists()
    assert not liaison.filter(state__in=list(NOT_STARTED_STATES)).exists()


def test_second_run_with_the_same_seed_creates_nothing(demo: str) -> None:
    counts = {
        model: model.objects.count()
        for model in (
            Visit,
            TeamMember,
            Finding,
            Interview,
            ChecklistAnswer,
            Participant,
            ParticipantAbsence,
        )
    }
    events = AuditEvent.objects.count()
    last_visits = dict(Institution.objects.values_list("pk", "last_visited_on"))
    out = io.StringIO()
    call_command("generate_demo_data", "--seed", "5", "--scale", "demo", stdout=out)
    assert "0 visits" in out.getvalue()
    assert {model: model.objects.count() for model in counts} == counts
    assert AuditEvent.objects.count() == events
    assert dict(Institution.objects.values_list("pk", "last_visited_on")) == last_visits


def test_the_plan_is_deterministic_for_a_seed(demo: str) -> None:
    now = timezone.now()
    today = timezone.localdate(now)

    def outline(seed: int) -> list[tuple[object, ...]]:
        base = random.Random(seed).getrandbits(64)
        world = load_world(today, now)
        done: list[VisitPlan] = []
        rows: list[tuple[object, ...]] = []
        for slot in schedule(base, SCALE_SPECS["demo"], today):
            plan = plan_visit(world, base, slot, done)
            if plan.reached(S.ON_SITE):
                done.append(plan)
            rows.append(
                (
                    slot.reference,
                    plan.type,
                    plan.state,
                    plan.start,
                    tuple(i.pk for i in plan.institutions),
                    tuple(p.pk for p in plan.team),
                    plan.lead.pk,
                )
            )
        return rows

    first = outline(3)
    assert first == outline(3)
    assert first != outline(4)


def test_records_are_in_kazakh_or_russian_and_joint_visits_in_english(demo: str) -> None:
    written: Counter[str] = Counter()
    reports = dict(VisitReport.objects.values_list("visit_id", "language"))
    for visit in Visit.objects.all():
        found = [lang for lang, t in texts.TITLES[visit.type].items() if visit.title.startswith(t)]
        assert len(found) == 1, visit.title
        language = found[0]
        assert visit.objectives == texts.OBJECTIVES[visit.type][language]
        assert language == "en" if visit.type == VisitType.JOINT else language in ("kk", "ru")
        assert reports.get(visit.pk, language) == language
        written[language] += 1
    assert written["kk"] > 0
    assert written["ru"] > 0


def test_recommendations_come_from_the_findings_of_reports_sent(demo: str) -> None:
    """A recommendation of a visit report names its visit, one of its institutions and the
    findings of its approved report it answers, and is issued the day the report was sent;
    the rest come from the annual report (a visit report's always name their visit, as the
    recommendation services require)."""
    recs = Recommendation.objects.filter(external_ref__startswith="DEMO-REC-")
    assert not recs.filter(source=Source.VISIT_REPORT, visit__isnull=True).exists()
    from_visits = recs.filter(source=Source.VISIT_REPORT).prefetch_related(
        "findings", "visit__institutions", "visit__transitions", "visit__report__findings"
    )
    years = {r.issued_on.year for r in from_visits if r.issued_on}
    assert years == {
        v.year
        for v in VisitTransition.objects.filter(to_state=S.SENT_TO_AUTHORITY).dates(
            "occurred_at", "year"
        )
    }
    for rec in from_visits:
        visit = rec.visit
        assert visit is not None
        assert rec.institution_id in {i.pk for i in visit.institutions.all()}
        assert visit.report.state == ReportState.APPROVED
        findings = list(rec.findings.all())
        assert len(findings) == 1, rec.external_ref
        assert findings[0] in visit.report.findings.all()
        assert findings[0].severity != Severity.GOOD_PRACTICE
        assert rec.repeat_of_id is not None or rec.theme == findings[0].theme
        sent = min(
            t.occurred_at for t in visit.transitions.all() if t.to_state == S.SENT_TO_AUTHORITY
        )
        assert rec.issued_on == timezone.localdate(sent)
    # Most of the recommendations of the years with reports sent come from them.
    in_those_years = recs.filter(issued_on__year__in=years).exclude(source=Source.ESCALATION)
    assert from_visits.count() >= 0.7 * in_those_years.count()
