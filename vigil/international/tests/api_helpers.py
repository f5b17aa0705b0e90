"""What the tests of the UN follow-up's API v1 share: the actors and what each sees, a client
with a real API token, the documents and paragraphs, the expected answers."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from conftest import ALL_ACTORS
from vigil.accounts.tests.fixtures import api_key
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.international.enums import Body
from vigil.international.models import Document, Paragraph

API = "/api/v1/international/"
ACTORS = [*ALL_ACTORS, "other_liaison"]
MANAGERS = {"admin", "coordinator"}
RECORDERS_SEEN_BY = {"admin", "coordinator", "auditor"}
DOCUMENTS = {
    "admin": {"cat", "spt", "published"},
    "coordinator": {"cat", "spt", "published"},
    "regional": {"cat", "published"},
    "monitor": {"cat", "published"},
    "auditor": {"cat", "published"},
    "liaison": {"cat", "published"},
    "other_liaison": {"cat"},
}
PARAGRAPHS = {
    "admin": {"to_kuis", "to_moh", "spt_kuis", "pub_kuis"},
    "coordinator": {"to_kuis", "to_moh", "spt_kuis", "pub_kuis"},
    "regional": {"to_kuis", "to_moh", "pub_kuis"},
    "monitor": {"to_kuis", "to_moh", "pub_kuis"},
    "auditor": {"to_kuis", "to_moh", "pub_kuis"},
    "liaison": {"to_kuis", "pub_kuis"},
    "other_liaison": {"to_moh"},
}


@pytest.fixture
def api(users: dict[str, Any]) -> Callable[[str], APIClient]:
    """A client authenticated with a real API token of the actor (none for anonymous)."""

    def make(actor: str) -> APIClient:
        client = APIClient()
        if actor != "anonymous":
            client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(users[actor])}")
        return client

    return make


@pytest.fixture
def docs(
    ref: dict[str, Any],
    make_un_document: Callable[..., Document],
    make_paragraph: Callable[..., Paragraph],
) -> dict[str, Any]:
    cat = make_un_document(symbol="CAT/C/KAZ/CO/4", title_en="Concluding observations")
    spt = make_un_document(
        symbol="CAT/OP/KAZ/2",
        body=Body.SPT,
        kind="visit_report",
        confidential=True,
        adopted_on=datetime.date(2023, 9, 1),
    )
    published = make_un_document(
        symbol="CAT/OP/KAZ/1",
        body=Body.SPT,
        kind="visit_report",
        confidential=True,
        published_on=datetime.date(2017, 3, 1),
        adopted_on=datetime.date(2016, 12, 1),
    )
    return {
        "cat": cat,
        "spt": spt,
        "published": published,
        "to_kuis": make_paragraph(
            cat, addressees=[ref["kuis"]], number="10", follow_up=True, themes="T1 T2"
        ),
        "to_moh": make_paragraph(cat, addressees=[ref["moh"]], number="44", themes="T5"),
        "spt_kuis": make_paragraph(spt, addressees=[ref["kuis"]], number="21"),
        "pub_kuis": make_paragraph(published, addressees=[ref["kuis_71"]], number="3"),
    }


def audit_rows() -> list[str]:
    return list(
        AuditEvent.objects.exclude(action=AuditAction.USER_LOGGED_IN).values_list(
            "action", flat=True
        )
    )


def expected(actor: str, visible: bool, allowed: bool, ok: int = 200) -> int:
    if actor == "anonymous":
        return 401
    if not visible:
        return 404
    return ok if allowed else 403


def _results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return response.json()["results"]  # type: ignore[no-any-return]
