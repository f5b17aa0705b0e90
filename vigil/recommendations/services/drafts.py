"""Writes to recommendations: drafts (create, change, delete) and their references.

Every service checks the permission policy (`..permissions`), validates (errors name the
field) and writes its audit row in the same transaction.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record, diff, snapshot
from vigil.visits.models import Finding

from ..enums import Source, State
from ..models import Recommendation
from ..permissions import (
    can_create_recommendation,
    can_delete_recommendation,
    can_edit_recommendation,
    can_manage_recommendation,
)
from .lifecycle import lock_for_change

DRAFT_FIELDS = (
    "source",
    "visit",
    "source_document",
    "addressee",
    "institution",
    "theme",
    "level",
    "text",
    "indicator",
    "deadline",
    "repeat_of",
)

_AUDITED_FIELDS = (*DRAFT_FIELDS, "issued_on", "state")
REFERENCE_PREFIX = "REC"


# ---------------------------------------------------------------- references


def allocate_references(year: int, count: int = 1) -> list[str]:
    """`count` new references `REC-<year>-<n>`, after the highest one of that year.

    Call inside the transaction that saves them; a concurrent writer that takes the same
    number makes the save fail on the unique reference (see `_save_new`)."""
    prefix = f"{REFERENCE_PREFIX}-{year}-"
    highest = 0
    last = (
        Recommendation.objects.filter(reference__startswith=prefix)
        .aggregate(top=Max("reference"))
        .get("top")
    )
    if last:
        # references are zero-padded to 6 digits; beyond that, look at all of them
        tail = last[len(prefix) :]
        if tail.isdigit():
            highest = int(tail)
        if len(tail) >= 6:
            for ref in Recommendation.objects.filter(reference__startswith=prefix).values_list(
                "reference", flat=True
            ):
                match = re.fullmatch(r"\d+", ref[len(prefix) :])
                if match:
                    highest = max(highest, int(match.group()))
    return [f"{prefix}{n:06d}" for n in range(highest + 1, highest + 1 + count)]


def _save_new(recommendation: Recommendation) -> None:
    """Save a new recommendation with a fresh reference, retrying on a concurrent clash."""
    year = timezone.localdate().year
    for _attempt in range(5):
        recommendation.reference = allocate_references(year)[0]
        try:
            with transaction.atomic():
                recommendation.save()
            return
        except IntegrityError:
            if Recommendation.objects.filter(reference=recommendation.reference).exists():
                continue
            raise
    raise ValidationError({"reference": _("Could not allocate a reference; try again.")})


# ---------------------------------------------------------------- drafts


def _clean_links(
    recommendation: Recommendation, findings: Sequence[Finding] | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    visit = recommendation.visit
    if recommendation.source == Source.VISIT_REPORT and visit is None:
        errors.setdefault("visit", []).append(
            _("A recommendation from a visit report must name its visit.")
        )
    if findings:
        if visit is None:
            errors.setdefault("findings", []).append(
                _("Findings can be linked only to a recommendation of a visit.")
            )
        elif any(f.visit_id != visit.pk for f in findings):
            errors.setdefault("findings", []).append(
                _("Link only findings of visit %(reference)s.") % {"reference": visit.reference}
            )
    if (
        visit is not None
        and recommendation.institution_id is not None
        and not visit.institutions.filter(pk=recommendation.institution_id).exists()
    ):
        errors.setdefault("institution", []).append(
            _("Choose one of the institutions of visit %(reference)s.")
            % {"reference": visit.reference}
        )
    if recommendation.repeat_of_id is not None and recommendation.repeat_of_id == (
        recommendation.pk or -1
    ):
        errors.setdefault("repeat_of", []).append(_("A recommendation cannot repeat itself."))
    if (
        recommendation.deadline
        and recommendation.issued_on is None
        and recommendation.deadline < timezone.localdate()
    ):
        errors.setdefault("deadline", []).append(_("The deadline cannot be in the past."))
    return errors


def _validate(recommendation: Recommendation, findings: Sequence[Finding] | None) -> None:
    errors: dict[str, list[str]] = {}
    try:
        recommendation.full_clean(exclude=["reference"])
    except ValidationError as exc:
        errors.update({k: [str(m) for m in v] for k, v in exc.message_dict.items()})
    for key, messages in _clean_links(recommendation, findings).items():
        errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def recommendation_create(
    *,
    actor: User,
    data: Mapping[str, Any],
    findings: Iterable[Finding] = (),
    context: RequestContext | None = None,
) -> Recommendation:
    """A new draft. `data` holds fields of `DRAFT_FIELDS`."""
    unknown = set(data) - set(DRAFT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    recommendation = Recommendation(state=State.DRAFT, created_by=actor, **dict(data))
    if not recommendation.source:
        recommendation.source = (
            Source.VISIT_REPORT if recommendation.visit_id else Source.THEMATIC_REPORT
        )
    if recommendation.visit_id is not None and recommendation.institution_id is None:
        only = list(recommendation.visit.institutions.all()[:2])  # type: ignore[union-attr]
        if len(only) == 1:
            recommendation.institution = only[0]
    if not can_create_recommendation(
        actor,
        institution=recommendation.institution,
        addressee=recommendation.addressee if recommendation.addressee_id else None,
    ):
        raise PermissionDenied(_("You may not draft this recommendation."))
    linked = list(findings)
    _validate(recommendation, linked)
    _save_new(recommendation)
    if linked:
        recommendation.findings.set(linked)
    audit_record(
        actor=actor,
        action=AuditAction.RECOMMENDATION_CREATED,
        target=recommendation,
        data={
            **snapshot(recommendation, _AUDITED_FIELDS),
            "findings": [str(f.public_id) for f in linked],
        },
        context=context,
    )
    return recommendation


@transaction.atomic
def recommendation_update(
    *,
    actor: User,
    recommendation: Recommendation,
    data: Mapping[str, Any],
    findings: Iterable[Finding] | None = None,
    context: RequestContext | None = None,
) -> Recommendation:
    """Change a draft (issued recommendations are never edited; they move on or are closed)."""
    unknown = set(data) - set(DRAFT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    locked = lock_for_change(recommendation)
    if not can_edit_recommendation(actor, locked):
        if locked.state != State.DRAFT and can_manage_recommendation(actor, locked):
            raise ValidationError(
                {"state": _("Only a draft can be changed; this one has been issued.")}
            )
        raise PermissionDenied(_("You may not change this recommendation."))
    before = snapshot(locked, _AUDITED_FIELDS)
    before_findings = sorted(str(f) for f in locked.findings.values_list("public_id", flat=True))
    for name, value in data.items():
        setattr(locked, name, value)
    if not can_create_recommendation(
        actor, institution=locked.institution, addressee=locked.addressee
    ):
        raise PermissionDenied(_("You may not move this recommendation out of your scope."))
    linked = list(findings) if findings is not None else None
    _validate(locked, linked if linked is not None else list(locked.findings.all()))
    locked.save()
    if linked is not None:
        locked.findings.set(linked)
    after_findings = sorted(str(f) for f in locked.findings.values_list("public_id", flat=True))
    changes = diff(before, snapshot(locked, _AUDITED_FIELDS))
    if before_findings != after_findings:
        changes["findings"] = [before_findings, after_findings]
    if changes:
        audit_record(
            actor=actor,
            action=AuditAction.RECOMMENDATION_UPDATED,
            target=locked,
            data={"changes": changes},
            context=context,
        )
    return locked


@transaction.atomic
def recommendation_delete(
    *, actor: User, recommendation: Recommendation, context: RequestContext | None = None
) -> None:
    """Discard a draft (nothing issued is ever deleted)."""
    locked = lock_for_change(recommendation)
    if not can_delete_recommendation(actor, locked):
        if locked.state != State.DRAFT and can_manage_recommendation(actor, locked):
            raise ValidationError({"state": _("Only a draft can be deleted.")})
        raise PermissionDenied(_("You may not delete this recommendation."))
    audit_record(
        actor=actor,
        action=AuditAction.RECOMMENDATION_DELETED,
        target=locked,
        data=snapshot(locked, _AUDITED_FIELDS),
        context=context,
    )
    locked.delete()
