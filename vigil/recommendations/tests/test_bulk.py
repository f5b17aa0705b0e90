"""The recommendations' bulk path: references per year after the existing ones, one timeline
event per recommendation, response and escalation, escalated originals moved and linked."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from vigil.accounts.models import User
from vigil.recommendations.enums import ClaimedStatus, EventKind, Level, Source, State
from vigil.recommendations.models import AuthorityResponse, Recommendation
from vigil.recommendations.services.bulk import (
    escalations_bulk_create,
    recommendations_bulk_create,
    responses_bulk_create,
)
from vigil.visits.enums import Theme

pytestmark = pytest.mark.django_db


def _new(ref: dict[str, Any], day: datetime.date, **fields: Any) -> Recommendation:
    data: dict[str, Any] = {
        "source": Source.ANNUAL_REPORT,
        "addressee": ref["kuis_71"],
        "theme": Theme.T3,
        "level": Level.SYSTEMIC,
        "text": "Repair the ventilation of the cells.",
        "issued_on": day,
        "deadline": day + datetime.timedelta(days=45),
        "state": State.NOT_ACCEPTED,
        "state_changed_on": day,
        "claimed_status": ClaimedStatus.NOT_ACCEPTED,
    }
    data.update(fields)
    return Recommendation(**data)


def test_references_by_year_and_imported_events(
    ref: dict[str, Any], make_recommendation: Callable[..., Recommendation]
) -> None:
    make_recommendation(reference="REC-2020-000007")
    saved = recommendations_bulk_create(
        [
            _new(ref, datetime.date(2020, 3, 1)),
            _new(ref, datetime.date(2021, 2, 1)),
            _new(ref, datetime.date(2020, 5, 1)),
        ],
        note="Loaded.",
        data={"via": "demo"},
    )
    assert [r.reference for r in saved] == ["REC-2020-000008", "REC-2021-000001", "REC-2020-000009"]
    for rec in saved:
        event = rec.events.get()
        assert (event.kind, event.to_state, event.note, event.data) == (
            EventKind.IMPORTED,
            State.NOT_ACCEPTED,
            "Loaded.",
            {"via": "demo"},
        )


def test_a_recommendation_without_a_day_of_issue_is_refused(ref: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="issued_on"):
        recommendations_bulk_create(
            [_new(ref, datetime.date(2020, 3, 1), issued_on=None)], note="", data={}
        )
    assert not Recommendation.objects.exists()


def test_responses_and_escalations(ref: dict[str, Any], users: dict[str, User]) -> None:
    (original,) = recommendations_bulk_create(
        [_new(ref, datetime.date(2020, 3, 1))], note="", data={}
    )
    (response,) = responses_bulk_create(
        [
            AuthorityResponse(
                recommendation=original,
                responding_agency=ref["kuis_71"],
                letter_number="17-KUIS/2020",
                letter_date=datetime.date(2020, 4, 1),
                measures="None taken.",
                claimed_status=ClaimedStatus.NOT_ACCEPTED,
                on_time=True,
                submitted_by=users["coordinator"],
            )
        ]
    )
    event = original.events.get(kind=EventKind.RESPONSE)
    assert event.note == "17-KUIS/2020"
    assert event.data == {"response": str(response.public_id), "claimed_status": "not_accepted"}

    escalation = _new(
        ref,
        datetime.date(2022, 6, 1),
        addressee=ref["kuis"],
        source=Source.ESCALATION,
        state=State.AWAITING_RESPONSE,
        claimed_status="",
    )
    (saved,) = escalations_bulk_create([(escalation, original)], note="", data={})

    original.refresh_from_db()
    assert original.state == State.ESCALATED
    assert original.state_changed_on == datetime.date(2022, 6, 1)
    assert list(saved.escalates.all()) == [original]
    moved = original.events.get(kind=EventKind.ESCALATION)
    assert (moved.from_state, moved.to_state) == (State.NOT_ACCEPTED, State.ESCALATED)
    assert moved.data["escalation_reference"] == saved.reference == "REC-2022-000001"
    made = saved.events.get(kind=EventKind.ESCALATION)
    assert made.data["original_references"] == [original.reference]
    assert saved.events.filter(kind=EventKind.IMPORTED).count() == 1
