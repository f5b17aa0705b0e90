"""The paragraph's links page, records linked by hand: by reference, by a finding's id or
address, found by their words, a systemic issue by theme and branch; links removed; and the UN
paragraphs shown on the recommendation's page (and the agency portal's), within the viewer's
policy."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.international.enums import EventKind, LinkKind, LinkOrigin
from vigil.international.models import Paragraph, ParagraphLink
from vigil.international.services import link_confirm
from vigil.international.tests.linking import (
    HTMX,
    confidential_paragraph,
    published_paragraph,
    similar_recommendation,
    url,
)
from vigil.recommendations.models import Recommendation
from vigil.visits.enums import Theme


@pytest.fixture
def paragraph(
    ref: dict[str, Any],
    make_un_document: Callable[..., Any],
    make_paragraph: Callable[..., Paragraph],
) -> Paragraph:
    return published_paragraph(ref, make_un_document, make_paragraph)


@pytest.fixture
def secret_paragraph(
    ref: dict[str, Any],
    make_un_document: Callable[..., Any],
    make_paragraph: Callable[..., Paragraph],
) -> Paragraph:
    return confidential_paragraph(ref, make_un_document, make_paragraph)


@pytest.fixture
def similar(make_recommendation: Callable[..., Recommendation]) -> Recommendation:
    return similar_recommendation(make_recommendation)


# ---------------------------------------------------------------- links made by hand


def test_manual_link_by_reference(
    users: dict[str, User], paragraph: Paragraph, similar: Recommendation
) -> None:
    client = Client()
    client.force_login(users["coordinator"])
    response = client.post(
        url(paragraph, "add/"),
        {"kind": "recommendation", "rec-reference": f"  {similar.reference.lower()} "},
    )
    assert response.status_code == 302
    link = ParagraphLink.objects.get()
    assert (link.recommendation, link.origin, link.score) == (similar, LinkOrigin.MANUAL, None)
    assert AuditEvent.objects.get(action=AuditAction.UN_PARAGRAPH_LINKED).data["origin"] == (
        LinkOrigin.MANUAL
    )


def test_manual_link_errors_are_named(
    users: dict[str, User], paragraph: Paragraph, approved_visit: Callable[..., Any]
) -> None:
    client = Client()
    client.force_login(users["coordinator"])
    unknown = client.post(
        url(paragraph, "add/"), {"kind": "recommendation", "rec-reference": "NOPE-1"}
    )
    assert unknown.status_code == 400
    assert "No recommendation has the reference NOPE-1." in unknown.content.decode()
    bad_id = client.post(
        url(paragraph, "add/"), {"kind": "finding", "finding-finding": "not-an-id"}, headers=HTMX
    )
    assert bad_id.status_code == 200  # htmx swaps only a 2xx answer: the form shows its error
    assert "This is not a finding&#x27;s id." in bad_id.content.decode()
    missing = client.post(
        url(paragraph, "add/"),
        {"kind": "finding", "finding-finding": "00000000-0000-4000-8000-000000000000"},
    )
    assert "No finding has this id." in missing.content.decode()
    # the administrator manages links but never reads a visit's findings
    finding = approved_visit().findings.first()
    admin = Client()
    admin.force_login(users["admin"])
    hidden = admin.post(
        url(paragraph, "add/"), {"kind": "finding", "finding-finding": str(finding.public_id)}
    )
    assert hidden.status_code == 400
    assert "This finding is not one you may see." in hidden.content.decode()
    empty = client.post(url(paragraph, "add/"), {"kind": "systemic"})
    assert empty.status_code == 400
    assert 'id="form-errors"' in empty.content.decode()
    assert not ParagraphLink.objects.exists()


def test_manual_link_of_a_finding_by_its_address(
    users: dict[str, User], paragraph: Paragraph, approved_visit: Callable[..., Any]
) -> None:
    finding = approved_visit().findings.first()
    client = Client()
    client.force_login(users["coordinator"])
    address = f"https://vigil.example/visits/findings/{finding.public_id}/"
    response = client.post(url(paragraph, "add/"), {"kind": "finding", "finding-finding": address})
    assert response.status_code == 302
    link = ParagraphLink.objects.get()
    assert (link.kind, link.finding, link.origin) == (LinkKind.FINDING, finding, LinkOrigin.MANUAL)
    page = client.get(url(paragraph)).content.decode()
    assert finding.title in page.split('data-testid="confirmed-links"')[1]


def test_manual_systemic_link(
    users: dict[str, User], ref: dict[str, Any], paragraph: Paragraph
) -> None:
    client = Client()
    client.force_login(users["coordinator"])
    form = client.get(url(paragraph)).content.decode()
    assert 'value="MVD-KUIS"' in form
    assert 'value="MVD-KUIS-71"' not in form  # a regional department is not a branch
    response = client.post(
        url(paragraph, "add/"),
        {"kind": "systemic", "systemic-theme": "T5", "systemic-branch": "MVD-KUIS"},
    )
    assert response.status_code == 302
    link = ParagraphLink.objects.get()
    assert (link.kind, link.systemic_theme, link.systemic_branch) == (
        LinkKind.SYSTEMIC,
        "T5",
        ref["kuis"],
    )
    assert paragraph.events.filter(kind=EventKind.LINKED).exists()


def test_search_finds_records_to_link(
    users: dict[str, User],
    paragraph: Paragraph,
    similar: Recommendation,
    make_recommendation: Callable[..., Recommendation],
) -> None:
    other = make_recommendation(text="Provide interpreters for foreign detainees.", theme=Theme.T7)
    client = Client()
    client.force_login(users["coordinator"])
    page = client.get(url(paragraph), {"q": "INTERPRETERS"}).content.decode()
    results = page.split('data-testid="search-results"')[1]
    assert other.reference in results
    assert similar.reference not in results
    partial = client.get(
        url(paragraph), {"q": "interpreters"}, headers={**HTMX, "HX-Target": "link-search-results"}
    ).content.decode()
    assert "<html" not in partial
    assert other.reference in partial
    assert 'name="rec-reference"' in partial
    client.post(
        url(paragraph, "add/"), {"kind": "recommendation", "rec-reference": other.reference}
    )
    again = client.get(url(paragraph), {"q": "interpreters"}).content.decode()
    assert 'data-testid="nothing-found"' in again  # already linked: not offered again


def test_remove_a_link(
    users: dict[str, User], paragraph: Paragraph, similar: Recommendation
) -> None:
    coordinator = users["coordinator"]
    link = link_confirm(actor=coordinator, paragraph=paragraph, target=similar)
    client = Client()
    client.force_login(coordinator)
    response = client.post(url(paragraph, f"{link.public_id}/remove/"), headers=HTMX)
    assert response.status_code == 200
    assert "Link removed." in response.content.decode()
    assert not ParagraphLink.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.UN_LINK_REMOVED).count() == 1
    assert paragraph.events.filter(kind=EventKind.UNLINKED).count() == 1
    # gone, or of another paragraph: 404
    assert client.post(url(paragraph, f"{link.public_id}/remove/")).status_code == 404


def test_a_link_of_another_paragraph_is_not_removed_here(
    users: dict[str, User],
    paragraph: Paragraph,
    make_paragraph: Callable[..., Paragraph],
    similar: Recommendation,
) -> None:
    other = make_paragraph(paragraph.document)
    link = link_confirm(actor=users["coordinator"], paragraph=other, target=similar)
    client = Client()
    client.force_login(users["coordinator"])
    assert client.post(url(paragraph, f"{link.public_id}/remove/")).status_code == 404
    assert ParagraphLink.objects.filter(pk=link.pk).exists()


def test_the_admin_sees_that_a_finding_is_linked_but_not_the_finding(
    users: dict[str, User], paragraph: Paragraph, approved_visit: Callable[..., Any]
) -> None:
    finding = approved_visit().findings.first()
    link_confirm(actor=users["coordinator"], paragraph=paragraph, target=finding)
    admin = Client()
    admin.force_login(users["admin"])
    page = admin.get(url(paragraph)).content.decode()
    assert "A record you may not see" in page
    assert finding.title not in page


# ---------------------------------------------------------------- on the recommendation's page


def test_the_recommendation_page_lists_its_paragraphs_within_the_policy(
    users: dict[str, User],
    ref: dict[str, Any],
    paragraph: Paragraph,
    secret_paragraph: Paragraph,
    make_paragraph: Callable[..., Paragraph],
    similar: Recommendation,
) -> None:
    coordinator = users["coordinator"]
    to_health = make_paragraph(paragraph.document, addressees=[ref["moh"]], number="47")
    for target in (paragraph, secret_paragraph, to_health):
        link_confirm(actor=coordinator, paragraph=target, target=similar)
    detail = f"/recommendations/{similar.public_id}/"

    def shown(actor: str, url: str = detail) -> set[str]:
        client = Client()
        client.force_login(users[actor])
        response = client.get(url)
        assert response.status_code == 200, actor
        body = response.content.decode()
        if 'data-testid="un-paragraphs"' not in body:
            return set()
        section = body.split('data-testid="un-paragraphs"')[1].split("</section>")[0]
        return {
            p.number
            for p in (paragraph, secret_paragraph, to_health)
            if re.search(rf"§ {p.number}(?!\d)", section)
        }

    assert shown("coordinator") == {"21", "40", "47"}
    assert shown("regional") == {"21", "47"}  # never the confidential report
    assert shown("auditor") == {"21", "47"}
    # the liaison's page of the recommendation: only the paragraphs addressed to its agency
    assert shown("liaison", f"/recommendations/portal/{similar.public_id}/") == {"21"}


def test_no_section_without_a_linked_paragraph(
    users: dict[str, User], similar: Recommendation
) -> None:
    client = Client()
    client.force_login(users["coordinator"])
    body = client.get(f"/recommendations/{similar.public_id}/").content.decode()
    assert 'data-testid="un-paragraphs"' not in body
