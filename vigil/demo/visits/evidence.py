"""What a demo visit found: the finding patterns drawn for it, the checklist answers (more for
visits further along, weaker where a finding backs them) and the findings themselves."""

import datetime
import random
from typing import Any

from vigil.visits.enums import (
    EvidenceKind,
    QuestionKind,
    Severity,
    VisitMode,
)
from vigil.visits.models import (
    ChecklistAnswer,
    ChecklistQuestion,
    ChecklistResponse,
    Finding,
    Interview,
    Visit,
)
from vigil.visits.services.bulk import VisitRows

from . import texts
from .plan import VisitPlan, minutes_after, new_uuid, pick, stamp
from .world import THEME_WEIGHTS, S, World


def finding_patterns(plan: VisitPlan) -> list[dict[str, Any]]:
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


def checklist_rows(
    world: World,
    plan: VisitPlan,
    visit: Visit,
    themes: set[str],
    started: datetime.datetime,
    rows: VisitRows,
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
        opened = minutes_after(started, 15, 40, rng)
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
            last = min(minutes_after(last, 1, 6, rng), end_of_work)
            answer = ChecklistAnswer(
                response=response,
                question_id=question.pk,
                value=value,
                comment=rng.choice(texts.CHECKLIST_TEXT)[lang] if rng.random() < 0.08 else "",
                answered_by_id=rng.choice(members).pk,
            )
            stamp(answer, last)
            given.append((answer, question.theme))
        stamp(response, min(opened, end_of_work), last)
        rows.responses.append(response)
        rows.answers.extend(a for a, _theme in given)
        by_institution[institution.pk] = given
    return by_institution


def finding_rows(
    world: World,
    plan: VisitPlan,
    visit: Visit,
    patterns: list[dict[str, Any]],
    answers: dict[int, list[tuple[ChecklistAnswer, str]]],
    interviews: list[Interview],
    rows: VisitRows,
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
            public_id=new_uuid(rng),
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
        stamp(finding, at)
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
