"""The bulk path for recommendations: many recommendations, responses and escalations at once.

For data made in large amounts (the demo data set: tens of thousands of recommendations, where
the services one row at a time would take minutes). The rules the services keep stay here:
references allocated per year of issue after the highest one (`allocate_references`), one
timeline event per recommendation created, per response and per escalation (as the services
record them), escalated originals moved to `escalated` and linked to their escalation.

The caller supplies consistent rows (states, claimed statuses and verdicts that fit together,
deadlines, addressees; a recommendation of a visit report names its visit, one of the visit's
institutions and findings of that visit): nothing here checks who may, as the rows are the
system's.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from ..enums import EventKind, State
from ..models import AuthorityResponse, Recommendation, RecommendationEvent
from ..timeline import new_event, record_events
from .drafts import allocate_references

BATCH = 1000


@transaction.atomic
def recommendations_bulk_create(
    recommendations: Sequence[Recommendation],
    *,
    note: str,
    data: Mapping[str, Any],
    findings: Sequence[tuple[Recommendation, int]] = (),
) -> list[Recommendation]:
    """Save new recommendations; each gets a reference of its year of issue (in the order
    given) and an `imported` timeline event carrying `note` and `data`. `findings` links
    recommendations to findings (pk) of their visit."""
    by_year: dict[int, list[Recommendation]] = defaultdict(list)
    for rec in recommendations:
        if rec.issued_on is None:
            raise ValueError(
                f"{rec.external_ref or rec}: a bulk-created recommendation needs issued_on."
            )
        by_year[rec.issued_on.year].append(rec)
    for year, group in sorted(by_year.items()):
        for reference, rec in zip(allocate_references(year, len(group)), group, strict=True):
            rec.reference = reference
        Recommendation.objects.bulk_create(group, batch_size=BATCH)
    through = Recommendation.findings.through
    through.objects.bulk_create(
        [through(recommendation_id=rec.pk, finding_id=pk) for rec, pk in findings],
        batch_size=BATCH,
    )
    record_events(
        new_event(rec, EventKind.IMPORTED, to_state=rec.state, note=note, data=dict(data))
        for rec in recommendations
    )
    return list(recommendations)


@transaction.atomic
def responses_bulk_create(responses: Sequence[AuthorityResponse]) -> list[AuthorityResponse]:
    """Save authorities' responses (without attachments), each with its `response` event."""
    saved = AuthorityResponse.objects.bulk_create(responses, batch_size=BATCH)
    record_events(
        new_event(
            r.recommendation,
            EventKind.RESPONSE,
            note=r.letter_number,
            data={"response": str(r.public_id), "claimed_status": r.claimed_status},
        )
        for r in saved
    )
    return saved


@transaction.atomic
def escalations_bulk_create(
    pairs: Sequence[tuple[Recommendation, Recommendation]],
    *,
    note: str,
    data: Mapping[str, Any],
    language: str = "ru",
) -> list[Recommendation]:
    """Save escalations, each of one original: (new escalation, saved original).

    The escalation is created as `recommendations_bulk_create` creates one and linked to its
    original; both get an `escalation` event, and the original moves to `escalated` on the
    escalation's day of issue."""
    escalations = recommendations_bulk_create(
        [esc for esc, _original in pairs], note=note, data=data
    )
    through = Recommendation.escalates.through
    through.objects.bulk_create(
        [
            through(from_recommendation_id=esc.pk, to_recommendation_id=original.pk)
            for esc, original in pairs
        ],
        batch_size=BATCH,
    )
    events: list[RecommendationEvent] = []
    for esc, original in pairs:
        events.append(
            new_event(
                original,
                EventKind.ESCALATION,
                from_state=original.state,
                to_state=State.ESCALATED,
                note=f"Escalated to {esc.addressee.code} as {esc.reference}.",
                data={"escalation": str(esc.public_id), "escalation_reference": esc.reference},
            )
        )
        events.append(
            new_event(
                esc,
                EventKind.ESCALATION,
                data={
                    "originals": [str(original.public_id)],
                    "original_references": [original.reference],
                    "language": language,
                    "reasons": {original.reference: [original.state]},
                },
            )
        )
        original.state = State.ESCALATED
        original.state_changed_on = esc.issued_on
    record_events(events)
    Recommendation.objects.bulk_update(
        [original for _esc, original in pairs], ["state", "state_changed_on"], batch_size=BATCH
    )
    return escalations
