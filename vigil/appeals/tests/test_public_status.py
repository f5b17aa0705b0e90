"""The public status check (page and endpoint): the reference number and the secret give the
public status only; an unknown number and a wrong secret get the same answer; rate-limited."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings

from conftest import ALL_ACTORS
from vigil.appeals.enums import AppealState, PublicStatus
from vigil.appeals.models import Appeal
from vigil.appeals.services.appeals import status_secret_hash
from vigil.appeals.services.intake import appeal_status_check, public_status

pytestmark = pytest.mark.django_db

PAGE = "/appeal/status/"
API = "/api/v1/public/appeal-status/"
SECRET = "K7QF-M2XR-9PLA"


@pytest.fixture
def mine(make_appeal: Callable[..., Appeal]) -> Appeal:
    return make_appeal(
        state=AppealState.IN_REVIEW,
        reference="A-2026-00077",
        status_secret_hash=status_secret_hash(SECRET),
        summary="Beaten in the pre-trial detention centre",
    )


def _visible(response: Any) -> str:
    """The page's text without its hidden fields (the CSRF token differs per response)."""
    text = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_page_opens_for_everyone(client_for: Any, actor: str) -> None:
    response = client_for(actor).get(PAGE)
    assert response.status_code == 200
    assert 'name="reference"' in response.content.decode()


@pytest.mark.parametrize("debug", [False, True])
def test_the_right_secret_shows_only_the_status(client: Client, mine: Appeal, debug: bool) -> None:
    with override_settings(DEBUG=debug):
        response = client.post(PAGE, {"reference": " a-2026-00077 ", "secret": "k7qf m2xr 9pla"})
    assert response.status_code == 200
    text = response.content.decode()
    assert str(PublicStatus.IN_PROGRESS.label) in text
    assert "staff are examining it" in text
    # Nothing else of the appeal: no place, summary, dates, state, name or the secret.
    for hidden in (mine.summary, "2026-11", "Nov", "in_review", "In review", SECRET, "Ерлан"):
        assert hidden not in text, hidden


def test_wrong_secret_and_unknown_number_get_the_same_page(client: Client, mine: Appeal) -> None:
    wrong = client.post(PAGE, {"reference": "A-2026-00077", "secret": "AAAA-BBBB-CCCC"})
    unknown = client.post(PAGE, {"reference": "A-2026-99999", "secret": "AAAA-BBBB-CCCC"})
    assert wrong.status_code == unknown.status_code == 200
    assert "We found no appeal with this reference number and secret" in _visible(wrong)
    assert _visible(wrong).replace("A-2026-00077", "X") == _visible(unknown).replace(
        "A-2026-99999", "X"
    )
    assert str(PublicStatus.IN_PROGRESS.label) not in _visible(wrong)


def test_missing_fields_are_named(client: Client) -> None:
    response = client.post(PAGE, {"reference": "", "secret": ""})
    text = response.content.decode()
    assert "Write the reference number." in text
    assert 'href="#id_reference"' in text
    assert 'aria-describedby="id_reference_error id_reference_helptext"' in text


def test_page_is_rate_limited(client: Client, mine: Appeal) -> None:
    for _n in range(10):
        client.post(PAGE, {"reference": "A-2026-00077", "secret": "AAAA-BBBB-CCCC"})
    refused = client.post(PAGE, {"reference": "A-2026-00077", "secret": SECRET})
    assert refused.status_code == 429
    assert "Too many checks" in refused.content.decode()
    assert str(PublicStatus.IN_PROGRESS.label) not in refused.content.decode()


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_endpoint_answers_everyone_the_status(client_for: Any, mine: Appeal, actor: str) -> None:
    response = client_for(actor).post(
        API, {"reference": "A-2026-00077", "secret": SECRET}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json() == {
        "status": "in_progress",
        "label": str(PublicStatus.IN_PROGRESS.label),
    }


def test_endpoint_wrong_secret_and_unknown_number_are_one_404(client: Client, mine: Appeal) -> None:
    wrong = client.post(
        API, {"reference": "A-2026-00077", "secret": "AAAA"}, content_type="application/json"
    )
    unknown = client.post(
        API, {"reference": "A-1999-00001", "secret": "AAAA"}, content_type="application/json"
    )
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.content == unknown.content


def test_endpoint_is_rate_limited(client: Client, mine: Appeal) -> None:
    body = {"reference": "A-2026-00077", "secret": SECRET}
    for _n in range(10):
        assert client.post(API, body, content_type="application/json").status_code == 200
    refused = client.post(API, body, content_type="application/json")
    assert refused.status_code == 429
    assert "Too many status checks" in refused.json()["detail"]
    assert "Retry-After" in refused


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (AppealState.RECEIVED, PublicStatus.RECEIVED),
        (AppealState.REGISTERED, PublicStatus.IN_PROGRESS),
        (AppealState.TRIAGED, PublicStatus.IN_PROGRESS),
        (AppealState.IN_REVIEW, PublicStatus.IN_PROGRESS),
        (AppealState.REFERRED, PublicStatus.REFERRED),
        (AppealState.OUT_OF_MANDATE, PublicStatus.REFERRED),
        (AppealState.EXPLAINED, PublicStatus.ANSWERED),
        (AppealState.RESPONSE_RECEIVED, PublicStatus.ANSWERED),
        (AppealState.CLOSED_RESOLVED, PublicStatus.CLOSED),
        (AppealState.CLOSED_UNRESOLVED, PublicStatus.CLOSED),
    ],
)
def test_every_state_has_its_public_word(
    make_appeal: Callable[..., Appeal], state: str, expected: str
) -> None:
    assert public_status(make_appeal(state=state)) == expected


def test_a_merged_appeal_shows_the_status_of_the_one_it_joined(
    make_appeal: Callable[..., Appeal],
) -> None:
    target = make_appeal(state=AppealState.REFERRED)
    merged = make_appeal(
        state=AppealState.MERGED, duplicate_of=target, status_secret_hash=status_secret_hash(SECRET)
    )
    assert appeal_status_check(reference=merged.reference, secret=SECRET) == PublicStatus.REFERRED


def test_an_appeal_without_a_secret_cannot_be_checked(appeal: Appeal) -> None:
    assert appeal.status_secret_hash == ""
    assert appeal_status_check(reference=appeal.reference, secret="") is None
