"""What the tests of the paragraph's links page share: a published paragraph addressed to
the committee (the liaison's agency), one of a confidential SPT report, a recommendation whose
text resembles them, the accounts (with a regional representative of another region)."""

from collections.abc import Callable
from typing import Any

from django.test import Client

from vigil.accounts.models import User
from vigil.international.enums import Body
from vigil.international.models import Paragraph
from vigil.recommendations.models import Recommendation
from vigil.visits.enums import Theme

PARAGRAPH_TEXT = (
    "The State party should ensure adequate ventilation, natural light and heating in all "
    "cells of pre-trial detention."
)
SIMILAR_TEXT = (
    "Ensure adequate ventilation, natural light and heating in all cells of the pre-trial "
    "detention centre."
)
HTMX = {"HX-Request": "true"}


def url(paragraph: Paragraph, action: str = "") -> str:
    return f"/international/paragraphs/{paragraph.public_id}/links/{action}"


def with_other_regional(users: dict[str, User], ref: dict[str, Any]) -> dict[str, User]:
    """The test's accounts, with a regional representative of another region."""
    other = User.objects.create_user(
        email="other-regional@test.vigil",
        password="x-unused-1",
        full_name="Other Regional",
        role="regional",
    )
    other.regions.set([ref["karaganda"]])
    return {**users, "other_regional": other}


def client_as(accounts: dict[str, User], actor: str) -> Client:
    client = Client()
    if actor != "anonymous":
        client.force_login(accounts[actor])
    return client


def published_paragraph(
    ref: dict[str, Any],
    make_un_document: Callable[..., Any],
    make_paragraph: Callable[..., Paragraph],
) -> Paragraph:
    document = make_un_document(symbol="CAT/C/KAZ/CO/4")
    return make_paragraph(
        document, addressees=[ref["kuis"]], number="21", text_en=PARAGRAPH_TEXT, themes="T3"
    )


def confidential_paragraph(
    ref: dict[str, Any],
    make_un_document: Callable[..., Any],
    make_paragraph: Callable[..., Paragraph],
) -> Paragraph:
    document = make_un_document(symbol="CAT/OP/KAZ/2", body=Body.SPT, confidential=True)
    return make_paragraph(
        document, addressees=[ref["kuis"]], number="40", text_en=PARAGRAPH_TEXT, themes="T3"
    )


def similar_recommendation(make_recommendation: Callable[..., Recommendation]) -> Recommendation:
    return make_recommendation(reference="REC-2025-7", text=SIMILAR_TEXT, theme=Theme.T3)
