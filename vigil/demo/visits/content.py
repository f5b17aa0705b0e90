"""The rows of one demo visit: team, history, checklist answers, interviews (encrypted as
the interview service stores them), findings, the report, access incidents and notes."""

import datetime
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone, translation

from vigil.core.crypto import keyring
from vigil.registry.models import Institution
from vigil.visits.enums import (
    AccessIncidentKind,
    ConsentScope,
    EvidenceKind,
    IntervieweeCategory,
    NoteKind,
    QuestionKind,
    ReportState,
    ReprisalRisk,
    Severity,
    Theme,
    VisitMode,
    Vulnerability,
)
from vigil.visits.models import (
    AccessIncident,
    ChecklistAnswer,
    ChecklistQuestion,
    ChecklistResponse,
    Finding,
    InternalNote,
    Interview,
    ReportTransition,
    SealedIdentity,
    TeamMember,
    Visit,
    VisitReport,
    VisitTransition,
)
from vigil.visits.services.interviews import content_associated_data, identity_associated_data

from ..people import synthetic_name
from . import texts
from .plan import DETENTION, REPORTED, THEME_WEIGHTS, S, VisitPlan, World, at_time, pick

# ---------------------------------------------------------------- rows of one visit


@dataclass
class Rows:
    visits: list[Visit] = field(default_factory=list)
    visit_institutions: list[tuple[Visit, Institution]] = field(default_factory=list)
    team: list[TeamMember] = field(default_factory=list)
    transitions: list[VisitTransition] = field(default_factory=list)
    incidents: list[AccessIncident] = field(default_factory=list)
    notes: list[InternalNote] = field(default_factory=list)
    responses: list[ChecklistResponse] = field(default_factory=list)
    answers: list[ChecklistAnswer] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    finding_answers: list[tuple[Finding, ChecklistAnswer]] = field(default_factory=list)
    interviews: list[Interview] = field(default_factory=list)
    identities: list[SealedIdentity] = field(default_factory=list)
    reports: list[VisitReport] = field(default_factory=list)
    report_findings: list[tuple[VisitReport, Finding]] = field(default_factory=list)
    report_transitions: list[ReportTransition] = field(default_factory=list)
    last_visits: dict[int, datetime.date] = field(default_factory=dict)
    follow_ups: list[tuple[Visit, str]] = field(default_factory=list)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _stamp(
    obj: models.Model, at: datetime.datetime, updated: datetime.datetime | None = None
) -> None:
    obj.created_at = at  # type: ignore[attr-defined]
    obj.updated_at = updated or at  # type: ignore[attr-defined]


def _title(plan: VisitPlan) -> str:
    title = texts.TITLES[plan.type][plan.language]
    if plan.theme:
        with translation.override(plan.language):
            title = f"{title}: {Theme(plan.theme).label}"
    return title


def _minutes(at: datetime.datetime, low: int, high: int, rng: random.Random) -> datetime.datetime:
    return at + datetime.timedelta(minutes=rng.randint(low, high))


def _finding_patterns(plan: VisitPlan) -> list[dict[str, Any]]:
    """The findings of the visit (theme, pattern), decided before the answers that back them."""
    rng = plan.rng
    if plan.refused:
        return [{**texts.ACCESS_REFUSED_FINDING, "good": False}]
    if plan.state == S.ON_SITE:
        count = rng.choice((0, 1, 1, 2))
    else:
        count = rng.choices((1, 2, 3, 4, 5, 6), weights=(15, 25, 25, 18, 10, 7))[0]
    chosen: list[dict[str, Any]] = []
    used: set[str] = set()
    for _ in range(count * 3):
        if len(chosen) >= count:
            break
        if rng.random() < 0.08:
            pattern = rng.choice(texts.GOOD_PRACTICES)
            key = pattern["title"]["en"]
            if key not in used:
                used.add(key)
                chosen.append({**pattern, "good": True})
            continue
        theme = plan.theme if plan.theme and rng.random() < 0.6 else pick(rng, THEME_WEIGHTS)
        fitting = [
            p
            for p in texts.FINDINGS[theme]
            if p["categories"] is None or plan.category in p["categories"]
        ]
        fitting = [p for p in fitting if p["title"]["en"] not in used]
        if fitting:
            pattern = rng.choice(fitting)
            used.add(pattern["title"]["en"])
            chosen.append({**pattern, "theme": theme, "good": False})
    if not chosen and count:
        pattern = rng.choice([p for p in texts.FINDINGS["T3"] if p["categories"] is None])
        chosen.append({**pattern, "theme": "T3", "good": False})
    return chosen


def _answer_value(question: ChecklistQuestion, rng: random.Random, weak: bool, lang: str) -> Any:
    if question.kind == QuestionKind.YES_NO_PARTIAL:
        weights = (0.3, 0.35, 0.35) if weak else (0.68, 0.16, 0.16)
        return rng.choices(("yes", "partial", "no"), weights=weights)[0]
    if question.kind == QuestionKind.NUMBER:
        return rng.choice((0, 0, 1, 2, 3, 5, 8, 12, 20, 35))
    codes = [str(o.get("code")) for o in question.options or []]
    if question.kind == QuestionKind.SINGLE_CHOICE:
        return rng.choice(codes) if codes else None
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        picked = set(rng.sample(codes, min(len(codes), rng.randint(1, 2)))) if codes else set()
        return [c for c in codes if c in picked] or None
    return rng.choice(texts.CHECKLIST_TEXT)[lang]


def _checklists(
    world: World,
    plan: VisitPlan,
    visit: Visit,
    themes: set[str],
    started: datetime.datetime,
    rows: Rows,
) -> dict[int, list[tuple[ChecklistAnswer, str]]]:
    """Answers per institution (a subset of the questions, more for visits further along)."""
    rng, lang = plan.rng, plan.language
    by_institution: dict[int, list[tuple[ChecklistAnswer, str]]] = {}
    if plan.refused:
        return by_institution
    members = [m.user for m in plan.team]
    end_of_work = plan.reached(S.DEBRIEFED) or world.now
    for institution in plan.institutions:
        entry = world.templates.get(institution.type.category)
        if entry is None:
            continue
        template, questions = entry
        if plan.state == S.ON_SITE:
            share = rng.uniform(0.25, 0.6)
        elif plan.mode == VisitMode.REMOTE:
            share = rng.uniform(0.3, 0.6)
        else:
            share = rng.uniform(0.6, 1.0)
        if plan.slot.showcase and plan.slot.showcase.key == "debriefed":
            share = 0.7
        count = max(1, round(len(questions) * share))
        asked = questions[:count]
        if count < len(questions):  # part-way: a few skipped on the way too
            asked = [q for q in asked if rng.random() > 0.1]
        opened = _minutes(started, 15, 40, rng)
        response = ChecklistResponse(
            visit=visit,
            institution_id=institution.pk,
            template_id=template.pk,
            started_by_id=plan.lead.user.pk,
        )
        given: list[tuple[ChecklistAnswer, str]] = []
        last = opened
        for question in asked:
            if question.kind == QuestionKind.TEXT and rng.random() < 0.6:
                continue
            value = _answer_value(question, rng, question.theme in themes, lang)
            if value is None:
                continue
            last = min(_minutes(last, 1, 6, rng), end_of_work)
            answer = ChecklistAnswer(
                response=response,
                question_id=question.pk,
                value=value,
                comment=rng.choice(texts.CHECKLIST_TEXT)[lang] if rng.random() < 0.08 else "",
                answered_by_id=rng.choice(members).pk,
            )
            _stamp(answer, last)
            given.append((answer, question.theme))
        _stamp(response, min(opened, end_of_work), last)
        rows.responses.append(response)
        rows.answers.extend(a for a, _theme in given)
        by_institution[institution.pk] = given
    return by_institution


def _interviews(world: World, plan: VisitPlan, visit: Visit, rows: Rows) -> list[Interview]:
    rng, lang, today = plan.rng, plan.language, world.today
    started = plan.reached(S.ON_SITE)
    if plan.refused or started is None:
        return []
    if plan.mode == VisitMode.REMOTE:
        count = rng.choices((0, 1, 2), weights=(0.4, 0.4, 0.2))[0]
    else:
        count = rng.choices((0, 1, 2, 3, 4), weights=(0.15, 0.25, 0.3, 0.2, 0.1))[0]
    showcase = plan.slot.showcase.key if plan.slot.showcase else ""
    if showcase == "on_site":
        count = 3
    ring = keyring()
    detention = plan.category in DETENTION
    last_day = min(plan.end, today)
    made: list[Interview] = []
    letters = texts.PSEUDONYM_LETTERS[lang]
    for number in range(1, count + 1):
        category = rng.choices(
            list(IntervieweeCategory.values)[:5],
            weights=(0.65, 0.15, 0.1, 0.05, 0.05) if detention else (0.6, 0.25, 0.1, 0.05, 0),
        )[0]
        conducted = plan.start + datetime.timedelta(
            days=rng.randint(0, (last_day - plan.start).days)
        )
        alleges = category == IntervieweeCategory.DETAINEE and rng.random() < (
            0.18 if detention else 0.06
        )
        scopes = []
        if rng.random() < 0.92:
            scopes.append(ConsentScope.ANONYMOUS_USE)
        if rng.random() < 0.05:
            scopes.append(ConsentScope.NAMED_USE)
        if alleges and rng.random() < 0.5:
            scopes.append(ConsentScope.REFERRAL)
        if rng.random() < (0.5 if alleges else 0.25):
            scopes.append(ConsentScope.CONTACT_BACK)
        vulnerabilities = _vulnerabilities(rng, plan.category)
        risk = (
            rng.choices(ReprisalRisk.values, weights=(0.2, 0.4, 0.4))[0]
            if alleges
            else rng.choices(ReprisalRisk.values, weights=(0.75, 0.2, 0.05))[0]
        )
        follow_up = done = withdrawn = None
        if ConsentScope.CONTACT_BACK in scopes:
            follow_up = conducted + datetime.timedelta(days=rng.randint(14, 45))
            if follow_up <= today - datetime.timedelta(days=2) and rng.random() < 0.85:
                done = min(follow_up + datetime.timedelta(days=rng.randint(0, 5)), today)
        if showcase == "on_site" and number <= 2:
            scopes = [ConsentScope.ANONYMOUS_USE, ConsentScope.CONTACT_BACK]
            follow_up, done = today + datetime.timedelta(days=2 if number == 1 else 5), None
        elif rng.random() < 0.03 and conducted < today:
            withdrawn = min(conducted + datetime.timedelta(days=rng.randint(1, 60)), today)
        in_private = rng.random() < 0.92
        key = "detainee_allegation" if alleges else category
        content = rng.choice(texts.INTERVIEWS[key])[lang]
        interview = Interview(
            public_id=_uuid(rng),
            visit=visit,
            institution_id=rng.choice(plan.institutions).pk,
            conducted_by_id=rng.choice(plan.team).user.pk,
            conducted_on=conducted,
            category=category,
            pseudonym=texts.PSEUDONYM[lang].format(code=f"{rng.choice(letters)}-{number:02d}"),
            in_private=in_private,
            present_persons="" if in_private else texts.PRESENT[lang],
            interpreter_used=rng.random()
            < (0.7 if Vulnerability.FOREIGNER in vulnerabilities else 0.03),
            consent_scopes=scopes,
            consent_withdrawn_on=withdrawn,
            vulnerabilities=vulnerabilities,
            alleges_ill_treatment=alleges,
            injuries_seen=alleges and rng.random() < 0.45,
            reprisal_risk=risk,
            follow_up_on=follow_up,
            follow_up_done_on=done,
        )
        interview.content_ciphertext = ring.encrypt(
            content.encode("utf-8"), content_associated_data(interview)
        )
        interview.content_key_version = ring.current_version
        at = max(at_time(conducted, rng.randint(10, 16), rng.randint(0, 59)), started)
        _stamp(interview, min(at, world.now))
        made.append(interview)
        if rng.random() < 0.35:
            year = conducted.year - rng.randint(19, 70)
            identity = texts.BORN[lang].format(name=synthetic_name(rng), year=year)
            sealed = SealedIdentity(
                interview=interview,
                ciphertext=ring.encrypt(
                    identity.encode("utf-8"), identity_associated_data(interview)
                ),
                key_version=ring.current_version,
            )
            _stamp(sealed, interview.created_at)
            rows.identities.append(sealed)
    rows.interviews.extend(made)
    return made


def _vulnerabilities(rng: random.Random, category: str) -> list[str]:
    flags: set[str] = set()
    if category == "education" or (category == "social" and rng.random() < 0.2):
        flags.add(Vulnerability.MINOR)
    if category == "social" and rng.random() < 0.5:
        flags.add(rng.choice((Vulnerability.OLDER, Vulnerability.DISABILITY)))
    if category == "medical" and rng.random() < 0.8:
        flags.add(Vulnerability.MENTAL_HEALTH)
    if rng.random() < 0.15:
        flags.add(Vulnerability.WOMAN)
    if category in DETENTION and rng.random() < 0.05:
        flags.add(Vulnerability.FOREIGNER)
    if category == "penal" and rng.random() < 0.02:
        flags.add(Vulnerability.LIFE_SENTENCED)
    if rng.random() < 0.04:
        flags.add(Vulnerability.DISABILITY)
    return [v for v in Vulnerability.values if v in flags]


def _findings(
    world: World,
    plan: VisitPlan,
    visit: Visit,
    patterns: list[dict[str, Any]],
    answers: dict[int, list[tuple[ChecklistAnswer, str]]],
    interviews: list[Interview],
    rows: Rows,
) -> list[Finding]:
    rng, lang = plan.rng, plan.language
    started = plan.reached(S.ON_SITE) or world.now
    until = plan.reached(S.REPORT_DRAFT) or plan.reached(S.DEBRIEFED) or world.now
    made: list[Finding] = []
    for pattern in patterns:
        institution = rng.choice(plan.institutions)
        kinds = {EvidenceKind.OBSERVATION} if rng.random() < 0.85 else set()
        if interviews and rng.random() < 0.55:
            kinds.add(EvidenceKind.INTERVIEW)
        if rng.random() < 0.4:
            kinds.add(EvidenceKind.DOCUMENT)
        if rng.random() < 0.3:
            kinds.add(EvidenceKind.PHOTO)
        if not kinds or plan.refused:
            kinds = {EvidenceKind.OBSERVATION, EvidenceKind.DOCUMENT} if plan.refused else kinds
            kinds = kinds or {EvidenceKind.OBSERVATION}
        severity = Severity.GOOD_PRACTICE if pattern["good"] else rng.choice(pattern["severities"])
        finding = Finding(
            public_id=_uuid(rng),
            visit=visit,
            institution_id=institution.pk,
            theme=pattern["theme"],
            severity=severity,
            title=pattern["title"][lang],
            description=pattern["text"][lang],
            evidence_kinds=[k for k in EvidenceKind.values if k in kinds],
            standard_references=pattern["refs"],
            root_cause="" if pattern["good"] else pattern.get("root", ""),
            created_by_id=rng.choice(plan.team).user.pk,
        )
        at = started + (until - started) * rng.uniform(0.05, 0.9)
        _stamp(finding, at)
        made.append(finding)
        if not pattern["good"]:
            backing = [
                a
                for a, theme in answers.get(institution.pk, [])
                if theme == pattern["theme"] and a.value in ("no", "partial")
            ]
            for answer in backing[:2]:
                rows.finding_answers.append((finding, answer))
    rows.findings.extend(made)
    return made


def _report(
    world: World, plan: VisitPlan, visit: Visit, findings: list[Finding], rows: Rows
) -> None:
    if plan.state not in REPORTED or not findings:
        return
    lang = plan.language
    state_of = {S.REPORT_DRAFT: ReportState.DRAFT, S.REPORT_REVIEW: ReportState.REVIEW}
    state = state_of.get(plan.state, ReportState.APPROVED)  # type: ignore[call-overload]
    approved = plan.reached(S.REPORT_APPROVED)
    started = plan.reached(S.REPORT_DRAFT) or plan.created_at or world.now
    institution = plan.institutions[0]
    with translation.override(lang):
        name = institution.name
        date = plan.start.strftime("%d.%m.%Y")
    report = VisitReport(
        visit=visit,
        language=lang,
        state=state,
        introduction=texts.REPORT_INTRODUCTION[lang].format(
            institution=name, date=date, n=len(plan.team)
        ),
        conclusion=texts.REPORT_CONCLUSION[lang],
        approved_by_id=world.coordinator.pk if approved else None,
        approved_at=approved,
        created_by_id=plan.lead.user.pk,
    )
    _stamp(report, started, plan.steps[-1].at)
    rows.reports.append(report)
    rows.report_findings.extend((report, f) for f in findings)
    report_state = {
        S.REPORT_DRAFT: ReportState.DRAFT,
        S.REPORT_REVIEW: ReportState.REVIEW,
        S.REPORT_APPROVED: ReportState.APPROVED,
    }
    previous = ReportState.DRAFT
    for step in plan.steps:
        target = report_state.get(step.state)  # type: ignore[call-overload]
        if target is None or step.at <= started:
            continue
        rows.report_transitions.append(
            ReportTransition(
                report=report,
                from_state=previous,
                to_state=target,
                actor_id=step.actor.pk,
                occurred_at=step.at,
                note=step.note,
            )
        )
        previous = target


def visit_rows(world: World, plan: VisitPlan, rows: Rows) -> None:
    """Everything of one visit, added to `rows` (written later in bulk)."""
    rng, lang = plan.rng, plan.language
    earlier = plan.follow_up_of
    visit = Visit(
        public_id=_uuid(rng),
        reference=plan.slot.reference,
        type=plan.type,
        mode=plan.mode,
        announced=plan.announced,
        state=plan.state,
        title=_title(plan),
        objectives=texts.OBJECTIVES[plan.type][lang],
        region_id=plan.region.pk,
        planned_start=plan.start,
        planned_end=plan.end if plan.end != plan.start else None,
        started_at=plan.reached(S.ON_SITE),
        ended_at=plan.reached(S.DEBRIEFED),
        trigger_kind=plan.trigger_kind,
        trigger_details=plan.trigger_details,
        trigger_reference=plan.trigger_reference,
        theme=plan.theme,
        created_by_id=plan.created_by.pk,
    )
    if earlier is not None:
        rows.follow_ups.append((visit, earlier.slot.reference))
    created = plan.created_at or world.now
    _stamp(visit, created, plan.steps[-1].at if plan.steps else created)
    rows.visits.append(visit)
    rows.visit_institutions.extend((visit, i) for i in plan.institutions)
    for member in plan.team:
        team_member = TeamMember(visit=visit, participant_id=member.pk, is_lead=member is plan.lead)
        _stamp(team_member, created)
        rows.team.append(team_member)
    source: str = S.DRAFT
    for step in plan.steps:
        rows.transitions.append(
            VisitTransition(
                visit=visit,
                from_state=source,
                to_state=step.state,
                actor_id=step.actor.pk,
                occurred_at=step.at,
                note=step.note,
            )
        )
        source = step.state
    started = visit.started_at
    if started is None:
        return
    for institution in plan.institutions:
        day = timezone.localdate(started)
        if rows.last_visits.get(institution.pk, datetime.date.min) < day:
            rows.last_visits[institution.pk] = day
    patterns = _finding_patterns(plan)
    themes = {p["theme"] for p in patterns if not p["good"]}
    answers = _checklists(world, plan, visit, themes, started, rows)
    interviews = _interviews(world, plan, visit, rows)
    findings = _findings(world, plan, visit, patterns, answers, interviews, rows)
    _report(world, plan, visit, findings, rows)
    kinds: list[str] = []
    if plan.refused:
        kinds = [AccessIncidentKind.REFUSAL]
    elif rng.random() < 0.04:
        other = (
            AccessIncidentKind.DELAY,
            AccessIncidentKind.AREA_DENIED,
            AccessIncidentKind.OBSTRUCTION,
        )
        kinds = rng.choices(other, weights=(0.55, 0.25, 0.2))
    for kind in kinds:
        minutes = rng.randint(15, 90) if kind == AccessIncidentKind.DELAY else None
        incident = AccessIncident(
            visit=visit,
            institution_id=plan.institutions[0].pk,
            kind=kind,
            occurred_at=min(_minutes(started, 0, 10, rng), world.now),
            duration_minutes=minutes,
            details=texts.INCIDENTS[kind][lang].format(minutes=minutes),
            recorded_by_id=plan.lead.user.pk,
        )
        _stamp(incident, min(_minutes(started, 30, 120, rng), world.now))
        rows.incidents.append(incident)
    for _ in range(rng.choices((0, 1, 2), weights=(0.55, 0.35, 0.1))[0]):
        note = InternalNote(
            visit=visit,
            author_id=rng.choice(plan.team).user.pk,
            kind=rng.choice((NoteKind.OBSERVATION, NoteKind.OTHER)),
            text=rng.choice(texts.INTERNAL_NOTES)[lang],
        )
        _stamp(note, min(_minutes(started, 60, 600, rng), world.now))
        rows.notes.append(note)
