"""Participant eligibility rules (set by the Commissioner's order, changed by order) applied
at selection, and the record of each decision.

- `rule_in_force(day)`: the rule version valid on a day (or None);
- `eligibility_errors(rule, participant, institutions, day)`: why a participant may not go
  (each reason names the rule's order when there is one);
- `eligibility_decide(...)`: check participants joining a team and record each decision;
- `eligible_participants(day, institution=None)`: who may be chosen (the planner's pool);
- `eligibility_rule_issue(...)`: a new order's rules, closing the version before it.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record, snapshot
from vigil.registry.models import Institution

from .enums import Occupation
from .models import EligibilityDecision, EligibilityRule, Participant
from .permissions import can_manage_participants
from .selectors import participant_accreditation_errors, participant_conflicts

RULE_FIELDS = (
    "order_number",
    "order_date",
    "title",
    "valid_from",
    "valid_to",
    "requires_accreditation",
    "min_training_hours",
    "training_within_years",
    "no_conflict_of_interest",
    "citizens_only",
    "excluded_occupations",
    "exclude_dismissed_for_cause",
    "exclude_convicted",
)


def rule_in_force(day: datetime.date) -> EligibilityRule | None:
    return (
        EligibilityRule.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .order_by("-valid_from", "-id")
        .first()
    )


def _training_hours(participant: Participant, rule: EligibilityRule, day: datetime.date) -> int:
    since = None
    if rule.training_within_years:
        year = day.year - rule.training_within_years
        since = day.replace(year=year, day=28) if (day.month, day.day) == (2, 29) else None
        since = since or day.replace(year=year)
    return sum(
        t.hours or 0
        for t in participant.trainings.all()
        if t.completed_on <= day and (since is None or t.completed_on >= since)
    )


def _criteria_errors(
    rule: EligibilityRule,
    participant: Participant,
    places: Sequence[Institution],
    day: datetime.date,
    subtrees: dict[int, set[int]],
) -> list[str]:
    reasons: list[str] = []
    who = {"participant": participant}
    if rule.requires_accreditation:
        reasons += participant_accreditation_errors(participant, day)
    if rule.min_training_hours:
        hours = _training_hours(participant, rule, day)
        if hours < rule.min_training_hours:
            reasons.append(
                _("%(participant)s has %(hours)d hours of training; %(required)d are required.")
                % {**who, "hours": hours, "required": rule.min_training_hours}
            )
    if rule.no_conflict_of_interest and places:
        reasons += participant_conflicts(participant, places, day, _subtrees=subtrees)
    if rule.citizens_only and not participant.citizen:
        reasons.append(_("%(participant)s is not a citizen.") % who)
    if participant.occupation and participant.occupation in rule.excluded_occupations:
        reasons.append(
            _("%(participant)s holds an excluded post: %(post)s.")
            % {**who, "post": Occupation(participant.occupation).label}
        )
    if rule.exclude_dismissed_for_cause and participant.dismissed_for_cause:
        reasons.append(_("%(participant)s was dismissed for cause from an excluded post.") % who)
    if rule.exclude_convicted and participant.unexpunged_conviction:
        reasons.append(_("%(participant)s has an unexpunged conviction.") % who)
    return reasons


def rule_label(rule: EligibilityRule) -> str:
    return _("order No. %(number)s of %(date)s (%(title)s)") % {
        "number": rule.order_number,
        "date": date_format(rule.order_date, "SHORT_DATE_FORMAT"),
        "title": rule.title,
    }


def eligibility_errors(
    rule: EligibilityRule | None,
    participant: Participant,
    institutions: Iterable[Institution],
    day: datetime.date,
    *,
    _subtrees: dict[int, set[int]] | None = None,
) -> list[str]:
    """Why the participant may not visit these institutions on that day under `rule` ([]
    when eligible). Without a rule in force: accreditation and declared conflicts only."""
    places = list(institutions)
    subtrees = _subtrees if _subtrees is not None else {}
    if rule is None:
        return participant_accreditation_errors(participant, day) + participant_conflicts(
            participant, places, day, _subtrees=subtrees
        )
    label = rule_label(rule)
    return [
        _("Not eligible under %(rule)s: %(reason)s") % {"rule": label, "reason": reason}
        for reason in _criteria_errors(rule, participant, places, day, subtrees)
    ]


@transaction.atomic
def eligibility_decide(
    *,
    actor: User | None,
    participants: Iterable[Participant],
    institutions: Iterable[Institution],
    on_date: datetime.date,
    purpose: str,
    subject_public_id: UUID | None = None,
    context: RequestContext | None = None,
) -> list[EligibilityDecision]:
    """Check each participant against the rule in force on `on_date` and record the
    decision (who, which rule version, result, reasons) with an audit row. The caller (e.g.
    the visits app's team service) has checked its own permission; a refusal is recorded
    here, and the caller refuses the change with the decisions' reasons."""
    rule = rule_in_force(on_date)
    places = list(institutions)
    subtrees: dict[int, set[int]] = {}
    decisions: list[EligibilityDecision] = []
    for participant in participants:
        reasons = eligibility_errors(rule, participant, places, on_date, _subtrees=subtrees)
        decision = EligibilityDecision(
            participant=participant,
            rule=rule,
            on_date=on_date,
            eligible=not reasons,
            reasons=reasons,
            purpose=purpose,
            subject_public_id=subject_public_id,
            decided_by=actor,
        )
        decision.full_clean()
        decision.save()
        decision.institutions.set(places)
        audit_record(
            actor=actor,
            action=AuditAction.ELIGIBILITY_DECIDED,
            target=participant,
            data={
                "rule": str(rule.public_id) if rule else None,
                "order": rule.order_number if rule else None,
                "eligible": not reasons,
                "reasons": reasons,
                "purpose": purpose,
                "subject": str(subject_public_id) if subject_public_id else None,
                "date": on_date.isoformat(),
            },
            context=context,
        )
        decisions.append(decision)
    return decisions


def eligibility_candidates() -> QuerySet[Participant]:
    """Participants with active accounts and what the checks read, prefetched."""
    return (
        Participant.objects.filter(user__is_active=True)
        .select_related("user", "region")
        .prefetch_related("trainings", "conflicts__agency", "conflicts__institution")
        .order_by("pk")
    )


def eligible_participants(
    on_date: datetime.date, institution: Institution | None = None
) -> list[Participant]:
    """The participants who may be chosen on `on_date` under the rule in force (for an
    `institution`: also free of declared conflicts with it). A constant number of queries
    (and one per agency named in a conflict, when an institution is given)."""
    rule = rule_in_force(on_date)
    places = [institution] if institution is not None else []
    subtrees: dict[int, set[int]] = {}
    return [
        p
        for p in eligibility_candidates()
        if not eligibility_errors(rule, p, places, on_date, _subtrees=subtrees)
    ]


def eligibility_by_institution(
    on_date: datetime.date, institutions: Iterable[Institution]
) -> Mapping[int, set[int]]:
    """Institution pk → the pks of the participants eligible to visit it on `on_date` (for
    the solver: one pass over the participants, conflicts checked per institution)."""
    rule = rule_in_force(on_date)
    places = list(institutions)
    subtrees: dict[int, set[int]] = {}
    found: dict[int, set[int]] = {i.pk: set() for i in places}
    for participant in eligibility_candidates():
        if eligibility_errors(rule, participant, [], on_date, _subtrees=subtrees):
            continue
        conflicted = participant.conflicts.all()
        for place in places:
            if not conflicted or not eligibility_errors(
                rule, participant, [place], on_date, _subtrees=subtrees
            ):
                found[place.pk].add(participant.pk)
    return found


@transaction.atomic
def eligibility_rule_issue(
    *,
    actor: User,
    data: Mapping[str, Any],
    context: RequestContext | None = None,
) -> EligibilityRule:
    """Record the rules of a new order. The version in force when it starts ends that day;
    a version that starts later, or at the same date, is refused (issue orders in turn)."""
    if not can_manage_participants(actor):
        raise PermissionDenied
    rule = EligibilityRule(**{k: v for k, v in data.items() if k in RULE_FIELDS})
    rule.full_clean()
    later = EligibilityRule.objects.select_for_update().filter(valid_from__gte=rule.valid_from)
    if later.exists():
        raise ValidationError(
            {"valid_from": _("A version of the rules already starts on or after this date.")}
        )
    previous = rule_in_force(rule.valid_from)
    rule.save()
    if previous is not None and (previous.valid_to is None or previous.valid_to > rule.valid_from):
        previous.valid_to = rule.valid_from
        previous.save(update_fields=["valid_to", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.ELIGIBILITY_RULE_ISSUED,
        target=rule,
        data={
            "fields": snapshot(rule, RULE_FIELDS),
            "replaces": str(previous.public_id) if previous else None,
        },
        context=context,
    )
    return rule
