"""A demo visit's confidential interviews: synthetic content and, for some, a sealed identity,
both encrypted through the visits' bulk path exactly as the interview service stores them."""

import datetime
import random

from vigil.visits.enums import (
    ConsentScope,
    IntervieweeCategory,
    ReprisalRisk,
    VisitMode,
    Vulnerability,
)
from vigil.visits.models import (
    Interview,
    Visit,
)
from vigil.visits.services.bulk import VisitRows, interview_content_encrypt, sealed_identity_build

from ..people import synthetic_name
from . import texts
from .plan import VisitPlan, at_time, new_uuid, stamp
from .world import DETENTION, S, World


def interview_rows(world: World, plan: VisitPlan, visit: Visit, rows: VisitRows) -> list[Interview]:
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
            public_id=new_uuid(rng),
            visit=visit,
            institution_id=rng.choice(plan.institutions).pk,
            conducted_by_id=rng.choice(plan.team).user.pk,
            conducted_on=conducted,
            category=category,
            pseudonym=texts.PSEUDONYM[lang].format(code=f"{rng.choice(letters)}-{number:02d}"),
            in_private=in_private,
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
        interview_content_encrypt(interview, content, "" if in_private else texts.PRESENT[lang])
        at = max(at_time(conducted, rng.randint(10, 16), rng.randint(0, 59)), started)
        stamp(interview, min(at, world.now))
        made.append(interview)
        if rng.random() < 0.35:
            year = conducted.year - rng.randint(19, 70)
            identity = texts.BORN[lang].format(name=synthetic_name(rng), year=year)
            sealed = sealed_identity_build(interview, identity)
            stamp(sealed, interview.created_at)
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
