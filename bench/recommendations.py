"""Recommendation work queues as a coordinator opens them, and a liaison's answer."""

import re
from collections.abc import Iterator
from typing import Any

from django.test import Client
from django.utils import timezone

from vigil.accounts.models import User
from vigil.recommendations.enums import ClaimedStatus, State
from vigil.recommendations.forms.responses import ResponseForm
from vigil.recommendations.models import AuthorityResponse, Recommendation
from vigil.recommendations.permissions import can_submit_response
from vigil.recommendations.selectors.portal import portal_recommendations

from .harness import REPEATS, measure

ROW = re.compile(rb"<tr[\s>]")


def _table_rows(response: Any) -> int:
    return len(ROW.findall(response.content))


def _answerable(liaison: User) -> Iterator[Recommendation]:
    """Recommendations awaiting the liaison's answer, one per run (each is answered once)."""
    candidates = portal_recommendations(liaison).filter(state=State.AWAITING_RESPONSE)
    found = [r for r in candidates[: 4 * (REPEATS + 2)] if can_submit_response(liaison, r)]
    if len(found) < REPEATS + 2:
        raise SystemExit("The demo data has too few recommendations awaiting the liaison.")
    return iter(found)


def recommendations_measures(coordinator_client: Client, liaison: User) -> list[dict[str, Any]]:
    liaison_client = Client()
    liaison_client.force_login(liaison)
    answerable = _answerable(liaison)

    def get(path: str, **params: str) -> Any:
        return coordinator_client.get(path, params)

    def answer(recommendation: Recommendation) -> Any:
        form = ResponseForm(user=liaison, recommendation=recommendation, corrects=None)
        body = form.fields["responding_agency"].queryset.first()  # type: ignore[attr-defined]
        return liaison_client.post(
            f"/recommendations/{recommendation.public_id}/responses/new/",
            {
                "letter_number": "B-1",
                "letter_date": timezone.localdate().isoformat(),
                "responding_agency": body.code,
                "claimed_status": ClaimedStatus.IN_IMPLEMENTATION,
                "measures": "Measures taken: the cells were repaired.",
                "expected_state": recommendation.state,
            },
        )

    def answered(outcome: tuple[Recommendation, Any]) -> bool:
        recommendation, response = outcome
        recommendation.refresh_from_db()
        return (
            response.status_code == 302
            and AuthorityResponse.objects.filter(recommendation=recommendation).exists()
            and recommendation.state == State.IN_IMPLEMENTATION
        )

    return [
        measure(
            "escalation queue, first page",
            300,
            lambda: get("/recommendations/escalations/"),
            lambda r: r.status_code == 200 and _table_rows(r) > 1,
        ),
        measure(
            "escalation queue, deep page",
            300,
            lambda: get("/recommendations/escalations/", page="9999"),
            lambda r: r.status_code == 200 and _table_rows(r) > 1,
        ),
        measure(
            "systemic issues",
            300,
            lambda: get("/recommendations/systemic/"),
            lambda r: r.status_code == 200 and _table_rows(r) > 1,
        ),
        measure(
            "liaison's response saved (POST)",
            300,
            answer,
            answered,
            setup=lambda: next(answerable),
        ),
    ]
