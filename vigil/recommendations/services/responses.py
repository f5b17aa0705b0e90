"""The authority's responses to recommendations, with their evidence.

A response is submitted once and never changed: there is no update or delete service, no
page and no endpoint that edits one. A correction is a new response that names the one it
corrects (`corrects`). Each response moves the recommendation to what the authority claims
through `recommendation_transition` (`Via.RESPONSE`: e.g. awaiting response → in
implementation; a late answer from no response too); a claim equal to the current state is
recorded without a move. The claim is kept in `claimed_status`, apart from the NPM's verdict,
which is cleared: a new claim waits for a new assessment.

Attachments are checked by content with the core upload check
(`vigil.core.files.check.PHOTOS_AND_DOCUMENTS`: PDF, DOCX, XLSX, JPEG, PNG (and WebP),
size-limited, photos re-encoded without metadata) and stored encrypted by the core file store
(`vigil.core.files.store`: AES-256-GCM, associated data naming the attachment, a random name; a
rolled-back transaction leaves no file). Reading one back is permission-checked and logged as
an AccessEvent.
"""

import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.services import audit_record
from vigil.core.calendar import WorkingCalendar
from vigil.core.files.check import PHOTOS_AND_DOCUMENTS
from vigil.core.files.store import FileContent, encrypted_file_read, encrypted_file_store
from vigil.reference.models import Agency
from vigil.reference.selectors import agency_lineage_ids

from .. import workflow
from ..deadlines import effective_deadline
from ..enums import ClaimedStatus, EventKind
from ..models import AuthorityResponse, Recommendation, ResponseAttachment
from ..permissions import (
    can_answer_recommendation,
    can_submit_response,
    can_view_responses,
    responding_bodies_for,
)
from ..timeline import record_event
from ..workflow import Via
from .lifecycle import recommendation_transition

UPLOAD_CHECK = PHOTOS_AND_DOCUMENTS
MAX_ATTACHMENTS = 10
MAX_MEASURES_CHARS = 20_000


# ---------------------------------------------------------------- as whom


def responding_bodies(user: User, recommendation: Recommendation) -> list[int]:
    """The agencies a response may come from: the addressee, its sub-units and the agencies
    above it; of those, the ones `user` may answer for (`responding_bodies_for`)."""
    return responding_bodies_for(user, agency_lineage_ids(recommendation.addressee))


def response_on_time(
    recommendation: Recommendation,
    received_on: datetime.date,
    calendar: WorkingCalendar | None = None,
) -> bool:
    """Whether an answer that reached the NPM on `received_on` met the deadline (a deadline
    on a non-working day runs to the next working day)."""
    if recommendation.deadline is None:
        return True
    calendar = calendar or WorkingCalendar()
    return received_on <= effective_deadline(calendar, recommendation.deadline)


# ---------------------------------------------------------------- submitting


def _validate(
    *,
    actor: User,
    recommendation: Recommendation,
    responding_agency: Agency | None,
    letter_number: str,
    letter_date: datetime.date | None,
    measures: str,
    claimed_status: str,
    corrects: AuthorityResponse | None,
    today: datetime.date,
) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if responding_agency is None:
        add("responding_agency", _("Choose the body that answers."))
    elif responding_agency.pk not in responding_bodies(actor, recommendation):
        add(
            "responding_agency",
            _("Choose the addressee, one of its sub-units or a body above it."),
        )
    if not letter_number.strip():
        add("letter_number", _("Give the number of the letter."))
    if letter_date is None:
        add("letter_date", _("Give the date of the letter."))
    else:
        if letter_date > today:
            add("letter_date", _("The letter's date cannot be in the future."))
        if recommendation.issued_on and letter_date < recommendation.issued_on:
            add(
                "letter_date",
                _("The letter cannot be older than the recommendation (issued on %(date)s).")
                % {"date": recommendation.issued_on.isoformat()},
            )
    if not measures.strip():
        add("measures", _("Describe the measures taken, or why the recommendation is refused."))
    elif len(measures) > MAX_MEASURES_CHARS:
        add(
            "measures",
            _("Keep this under %(limit)s characters.") % {"limit": MAX_MEASURES_CHARS},
        )
    if claimed_status not in ClaimedStatus.values:
        add("claimed_status", _("Choose the status you report."))
    if corrects is not None:
        if corrects.recommendation_id != recommendation.pk:
            add("corrects", _("Choose a response to this recommendation."))
        elif corrects.corrections.exists():
            add(
                "corrects",
                _("This response has already been corrected; correct the latest one."),
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def response_submit(
    *,
    actor: User,
    recommendation: Recommendation,
    responding_agency: Agency | None,
    letter_number: str,
    letter_date: datetime.date | None,
    measures: str,
    claimed_status: str,
    attachments: Sequence[File] = (),  # type: ignore[type-arg]
    corrects: AuthorityResponse | None = None,
    expected_state: str | None = None,
    context: RequestContext | None = None,
) -> AuthorityResponse:
    """Record the authority's answer (never edited afterwards), move the recommendation to
    what it claims, store its attachments encrypted; audited."""
    if not can_view_responses(actor, recommendation):
        raise PermissionDenied(_("You may not answer this recommendation."))
    locked = (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("addressee")
        .get(pk=recommendation.pk)
    )
    if not can_answer_recommendation(actor, locked):
        raise PermissionDenied(_("You may not answer this recommendation."))
    if not can_submit_response(actor, locked):
        raise ValidationError(
            {
                "claimed_status": _(
                    "This recommendation takes no more responses (its status is “%(state)s”)."
                )
                % {"state": locked.get_state_display()}
            }
        )
    if expected_state and locked.state != expected_state:
        raise ValidationError(
            {
                "claimed_status": _(
                    "The status changed meanwhile (it is now “%(state)s”); "
                    "reload the page and try again."
                )
                % {"state": locked.get_state_display()}
            }
        )
    today = timezone.localdate()
    _validate(
        actor=actor,
        recommendation=locked,
        responding_agency=responding_agency,
        letter_number=letter_number,
        letter_date=letter_date,
        measures=measures,
        claimed_status=claimed_status,
        corrects=corrects,
        today=today,
    )
    try:
        files = UPLOAD_CHECK.check_all(attachments, limit=MAX_ATTACHMENTS)
    except ValidationError as exc:
        raise ValidationError({"attachments": exc.messages}) from None
    response = AuthorityResponse(
        recommendation=locked,
        responding_agency=responding_agency,
        letter_number=letter_number.strip(),
        letter_date=letter_date,  # type: ignore[misc]  # checked by _validate
        measures=measures.strip(),
        claimed_status=claimed_status,
        on_time=response_on_time(locked, today),
        corrects=corrects,
        submitted_by=actor,
    )
    response.full_clean()
    response.save()
    event_data = {
        "response": str(response.public_id),
        "claimed_status": claimed_status,
        "on_time": response.on_time,
        "letter_number": response.letter_number,
        "corrects": str(corrects.public_id) if corrects is not None else None,
        "attachments": len(files),
    }
    target = workflow.state_after_response(locked.state, claimed_status)
    if target is not None:
        locked = recommendation_transition(
            actor=actor,
            recommendation=locked,
            to_state=target,
            via=Via.RESPONSE,
            data=event_data,
            event_kind=EventKind.RESPONSE,
            context=context,
        )
    else:
        record_event(
            locked,
            EventKind.RESPONSE,
            from_state=locked.state,
            to_state=locked.state,
            actor=actor,
            data={"via": str(Via.RESPONSE), **event_data},
        )
    locked.claimed_status = claimed_status
    locked.assessed_verdict = ""
    locked.save(update_fields=["claimed_status", "assessed_verdict", "updated_at"])
    stored: list[ResponseAttachment] = []
    for clean in files:
        attachment = ResponseAttachment(response=response)
        encrypted_file_store(attachment, clean)
        attachment.full_clean()
        stored.append(attachment)
    ResponseAttachment.objects.bulk_create(stored)
    audit_record(
        actor=actor,
        action=AuditAction.RECOMMENDATION_RESPONDED,
        target=response,
        data={
            "recommendation": str(locked.public_id),
            "reference": locked.reference,
            "responding_agency": responding_agency.code if responding_agency else None,
            "letter_number": response.letter_number,
            "letter_date": response.letter_date.isoformat(),
            "claimed_status": claimed_status,
            "on_time": response.on_time,
            "corrects": event_data["corrects"],
            "state": locked.state,
            "attachments": [
                {"name": a.original_name, "size": a.size, "sha256": a.sha256} for a in stored
            ],
        },
        context=context,
    )
    for name in ("state", "state_changed_on", "claimed_status", "assessed_verdict"):
        setattr(recommendation, name, getattr(locked, name))
    return response


# ---------------------------------------------------------------- reading attachments


def response_attachment_read(
    *, actor: User, attachment: ResponseAttachment, context: RequestContext | None = None
) -> FileContent:
    """The decrypted file, for whoever sees the recommendation; each read is logged first."""
    if not can_view_responses(actor, attachment.response.recommendation):
        raise PermissionDenied(_("You may not download this file."))
    return encrypted_file_read(
        actor=actor, file=attachment, access_kind=AccessKind.ATTACHMENT_DOWNLOADED, context=context
    )
