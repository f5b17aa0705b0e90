"""The paragraph's links page: who may open it (managers only; 404 for a paragraph out of
sight, 403 for a reader), suggestions confirmed and rejected from the page (with htmx and
without JavaScript), records linked by hand (by reference, by id, by search, a systemic
issue), links removed, each decision audited and on the paragraph's timeline; and the UN
paragraphs shown on the recommendation's page, within the viewer's policy."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings

from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.international.enums import Body, EventKind, LinkKind, LinkOrigin, LinkStatus
from vigil.international.models import Paragraph, ParagraphLink
from vigil.international.selectors import link_suggestions
from vigil.international.services import link_confirm
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

# Who opens the links page of a published paragraph addressed to the committee (the liaison's
# agency): managers see it; readers who see the paragraph get 403; one who does not, 404.
PAGE = {
    "anonymous": 302,
    "admin": 200,
    "coordinator": 200,
    "regional": 403,
    "other_regional": 403,
    "monitor": 403,
    "liaison": 403,
    "other_liaison": 404,
    "auditor": 403,
}
# The same for a paragraph of a confidential report (coordinators and administrators only).
CONFIDENTIAL = {
    **{actor: 404 for actor in PAGE},
    "anonymous": 302,
    "admin": 200,
    "coordinator": 200,
}


def _url(paragraph: Paragraph, action: str = "") -> str:
    return f"/international/paragraphs/{paragraph.public_id}/links/{action}"


@pytest.fixture
def actors(users: dict[str, User], ref: dict[str, Any]) -> dict[str, User]:
    """The test's accounts, with a regional representative of another region."""
    other = User.objects.create_user(
        email="other-regional@test.vigil",
        password="x-unused-1",
        full_name="Other Regional",
        role="regional",
    )
    other.regions.set([ref["karaganda"]])
    return {**users, "other_regional": other}


def _client(actors: dict[str, User], actor: str) -> Client:
    client = Client()
    if actor != "anonymous":
        client.force_login(actors[actor])
    return client


@pytest.fixture
def paragraph(
    ref: dict[str, Any],
    make_un_document: Callable[..., Any],
    make_paragraph: Callable[..., Paragraph],
) -> Paragraph:
    document = make_un_document(symbol="CAT/C/KAZ/CO/4")
    return make_paragraph(
        document, addressees=[ref["kuis"]], number="21", text_en=PARAGRAPH_TEXT, themes="T3"
    )


@pytest.fixture
def secret_paragraph(
    ref: dict[str, Any],
    make_un_document: Callable[..., Any],
    make_paragraph: Callable[..., Paragraph],
) -> Paragraph:
    document = make_un_document(symbol="CAT/OP/KAZ/2", body=Body.SPT, confidential=True)
    return make_paragraph(
        document, addressees=[ref["kuis"]], number="40", text_en=PARAGRAPH_TEXT, themes="T3"
    )


@pytest.fixture
def similar(make_recommendation: Callable[..., Recommendation]) -> Recommendation:
    return make_recommendation(reference="REC-2025-7", text=SIMILAR_TEXT, theme=Theme.T3)


def _suggested_keys(paragraph: Paragraph, user: User) -> set[str]:
    keys = set()
    for s in link_suggestions(user, paragraph):
        target = s.recommendation or s.finding
        keys.add(str(target.public_id) if target else f"{s.systemic.theme}")  # type: ignore[union-attr]
    return keys


# ---------------------------------------------------------------- who may open it


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
@pytest.mark.parametrize("actor", list(PAGE))
def test_links_page_role_matrix(
    actors: dict[str, User],
    paragraph: Paragraph,
    secret_paragraph: Paragraph,
    similar: Recommendation,
    actor: str,
    debug: bool,
) -> None:
    client = _client(actors, actor)
    with override_settings(DEBUG=debug):
        response = client.get(_url(paragraph))
        secret = client.get(_url(secret_paragraph))
    assert response.status_code == PAGE[actor]
    assert secret.status_code == CONFIDENTIAL[actor]
    if actor == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    body = response.content.decode()
    if PAGE[actor] == 200:
        assert 'data-testid="suggestions"' in body
        assert similar.reference in body
        assert "§ 21" in body
    else:
        # nobody but a manager ever gets a suggestion, not even in an error page
        assert similar.reference not in body
        assert "similar" not in body


@pytest.mark.parametrize("actor", [a for a, code in PAGE.items() if code != 200])
def test_decisions_are_refused_to_everyone_else(
    actors: dict[str, User], paragraph: Paragraph, similar: Recommendation, actor: str
) -> None:
    client = _client(actors, actor)
    link = link_confirm(
        actor=actors["coordinator"], paragraph=paragraph, target=similar, origin=LinkOrigin.MANUAL
    )
    before = AuditEvent.objects.count()
    posts = {
        "confirm/": {"kind": "recommendation", "target": str(similar.public_id)},
        "reject/": {"kind": "recommendation", "target": str(similar.public_id)},
        "add/": {"kind": "recommendation", "rec-reference": similar.reference},
        f"{link.public_id}/remove/": {},
    }
    for action, data in posts.items():
        response = client.post(_url(paragraph, action), data)
        assert response.status_code == PAGE[actor], action
    assert ParagraphLink.objects.get() == link
    assert AuditEvent.objects.count() == before


def test_decisions_need_the_csrf_token(
    users: dict[str, User], paragraph: Paragraph, similar: Recommendation
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["coordinator"])
    for action, data in (
        ("confirm/", {"kind": "recommendation", "target": str(similar.public_id)}),
        ("add/", {"kind": "recommendation", "rec-reference": similar.reference}),
    ):
        assert client.post(_url(paragraph, action), data).status_code == 403
    assert not ParagraphLink.objects.exists()
    page = client.get(_url(paragraph)).content.decode()
    assert page.count('name="csrfmiddlewaretoken"') >= 6  # every form of the page


def test_get_only_page_and_post_only_decisions(
    users: dict[str, User], paragraph: Paragraph
) -> None:
    client = Client()
    client.force_login(users["coordinator"])
    assert client.post(_url(paragraph)).status_code == 405
    assert client.get(_url(paragraph, "confirm/")).status_code == 405


# ---------------------------------------------------------------- suggestions


def test_a_suggestion_confirmed_from_the_page_keeps_its_origin_and_score(
    users: dict[str, User], paragraph: Paragraph, similar: Recommendation
) -> None:
    coordinator = users["coordinator"]
    (suggestion,) = [s for s in link_suggestions(coordinator, paragraph) if s.recommendation]
    client = Client()
    client.force_login(coordinator)
    page = client.get(_url(paragraph)).content.decode()
    assert f'data-key="{similar.public_id}"' in page
    assert f"{suggestion.percent}% similar" in page

    response = client.post(
        _url(paragraph, "confirm/"), {"kind": "recommendation", "target": str(similar.public_id)}
    )
    assert response.status_code == 302
    assert response["Location"] == _url(paragraph)
    link = ParagraphLink.objects.get(paragraph=paragraph)
    assert (link.kind, link.status, link.origin) == (
        LinkKind.RECOMMENDATION,
        LinkStatus.CONFIRMED,
        LinkOrigin.SUGGESTED,
    )
    assert link.recommendation == similar
    assert link.score == pytest.approx(suggestion.score)
    assert link.decided_by == coordinator
    event = AuditEvent.objects.get(action=AuditAction.UN_PARAGRAPH_LINKED)
    assert event.data["origin"] == LinkOrigin.SUGGESTED
    assert paragraph.events.filter(kind=EventKind.LINKED).count() == 1

    page = client.get(response["Location"]).content.decode()
    assert "Linked to the paragraph." in page
    confirmed = page.split('data-testid="confirmed-links"')[1].split("</table>")[0]
    assert similar.reference in confirmed
    assert 'data-origin="suggested"' in confirmed
    assert f"Suggested ({suggestion.percent}% similar)" in confirmed
    assert f'data-key="{similar.public_id}"' not in page  # no longer a suggestion


def test_confirm_with_htmx_swaps_the_list(
    users: dict[str, User], paragraph: Paragraph, similar: Recommendation
) -> None:
    client = Client()
    client.force_login(users["coordinator"])
    response = client.post(
        _url(paragraph, "confirm/"),
        {"kind": "recommendation", "target": str(similar.public_id)},
        headers=HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="paragraph-links">') or (
        '<div id="paragraph-links">' in body and "<html" not in body
    )
    assert "<html" not in body
    assert 'data-testid="link-notice"' in body
    assert 'data-origin="suggested"' in body
    assert ParagraphLink.objects.filter(origin=LinkOrigin.SUGGESTED).count() == 1


def test_a_rejected_suggestion_is_no_longer_offered(
    users: dict[str, User], paragraph: Paragraph, similar: Recommendation
) -> None:
    coordinator = users["coordinator"]
    client = Client()
    client.force_login(coordinator)
    response = client.post(
        _url(paragraph, "reject/"), {"kind": "recommendation", "target": str(similar.public_id)}
    )
    assert response.status_code == 302
    link = ParagraphLink.objects.get(paragraph=paragraph)
    assert (link.status, link.origin) == (LinkStatus.REJECTED, LinkOrigin.SUGGESTED)
    assert link.score is not None
    assert AuditEvent.objects.filter(action=AuditAction.UN_LINK_REJECTED).count() == 1
    assert paragraph.events.filter(kind=EventKind.LINK_REJECTED).count() == 1
    page = client.get(_url(paragraph)).content.decode()
    assert "Suggestion rejected." in page
    assert f'data-key="{similar.public_id}"' not in page
    assert 'data-testid="no-links"' in page  # a rejection is not a link
    assert str(similar.public_id) not in _suggested_keys(paragraph, coordinator)

    # deciding it again names the problem instead of changing anything
    again = client.post(
        _url(paragraph, "confirm/"),
        {"kind": "recommendation", "target": str(similar.public_id)},
        headers=HTMX,
    )
    assert "no longer offered" in again.content.decode()
    assert ParagraphLink.objects.get(paragraph=paragraph).status == LinkStatus.REJECTED


def test_a_suggestion_not_offered_is_not_linked(
    users: dict[str, User],
    paragraph: Paragraph,
    make_recommendation: Callable[..., Recommendation],
) -> None:
    unrelated = make_recommendation(text="Train the staff in first aid.", theme=Theme.T6)
    client = Client()
    client.force_login(users["coordinator"])
    response = client.post(
        _url(paragraph, "confirm/"), {"kind": "recommendation", "target": str(unrelated.public_id)}
    )
    assert response.status_code == 302
    assert not ParagraphLink.objects.exists()
    assert "no longer offered" in client.get(response["Location"]).content.decode()
    # a forged score or a malformed request changes nothing either
    client.post(_url(paragraph, "confirm/"), {"kind": "nonsense", "target": "x", "score": "1"})
    assert not ParagraphLink.objects.exists()


def test_a_systemic_issue_suggested_and_confirmed(
    users: dict[str, User],
    ref: dict[str, Any],
    paragraph: Paragraph,
    make_recommendation: Callable[..., Recommendation],
    make_institution: Callable[..., Any],
    settings: Any,
) -> None:
    settings.VIGIL_SYSTEMIC_MIN_INSTITUTIONS = 2
    for _n in range(2):
        make_recommendation(text=SIMILAR_TEXT, theme=Theme.T3, institution=make_institution())
    client = Client()
    client.force_login(users["coordinator"])
    page = client.get(_url(paragraph)).content.decode()
    assert 'data-key="T3 MVD-KUIS"' in page
    assert "Raised at 2 institutions." in page
    response = client.post(
        _url(paragraph, "confirm/"),
        {"kind": "systemic", "theme": "T3", "branch": "MVD-KUIS"},
        headers=HTMX,
    )
    assert response.status_code == 200
    link = ParagraphLink.objects.get(kind=LinkKind.SYSTEMIC)
    assert (link.systemic_theme, link.systemic_branch, link.origin) == (
        "T3",
        ref["kuis"],
        LinkOrigin.SUGGESTED,
    )
    assert link.score is not None
    assert link.score > 0


# ---------------------------------------------------------------- links made by hand


def test_manual_link_by_reference(
    users: dict[str, User], paragraph: Paragraph, similar: Recommendation
) -> None:
    client = Client()
    client.force_login(users["coordinator"])
    response = client.post(
        _url(paragraph, "add/"),
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
        _url(paragraph, "add/"), {"kind": "recommendation", "rec-reference": "NOPE-1"}
    )
    assert unknown.status_code == 400
    assert "No recommendation has the reference NOPE-1." in unknown.content.decode()
    bad_id = client.post(
        _url(paragraph, "add/"), {"kind": "finding", "finding-finding": "not-an-id"}, headers=HTMX
    )
    assert bad_id.status_code == 200  # htmx swaps only a 2xx answer: the form shows its error
    assert "This is not a finding&#x27;s id." in bad_id.content.decode()
    missing = client.post(
        _url(paragraph, "add/"),
        {"kind": "finding", "finding-finding": "00000000-0000-4000-8000-000000000000"},
    )
    assert "No finding has this id." in missing.content.decode()
    # the administrator manages links but never reads a visit's findings
    finding = approved_visit().findings.first()
    admin = Client()
    admin.force_login(users["admin"])
    hidden = admin.post(
        _url(paragraph, "add/"), {"kind": "finding", "finding-finding": str(finding.public_id)}
    )
    assert hidden.status_code == 400
    assert "This finding is not one you may see." in hidden.content.decode()
    empty = client.post(_url(paragraph, "add/"), {"kind": "systemic"})
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
    response = client.post(_url(paragraph, "add/"), {"kind": "finding", "finding-finding": address})
    assert response.status_code == 302
    link = ParagraphLink.objects.get()
    assert (link.kind, link.finding, link.origin) == (LinkKind.FINDING, finding, LinkOrigin.MANUAL)
    page = client.get(_url(paragraph)).content.decode()
    assert finding.title in page.split('data-testid="confirmed-links"')[1]


def test_manual_systemic_link(
    users: dict[str, User], ref: dict[str, Any], paragraph: Paragraph
) -> None:
    client = Client()
    client.force_login(users["coordinator"])
    form = client.get(_url(paragraph)).content.decode()
    assert 'value="MVD-KUIS"' in form
    assert 'value="MVD-KUIS-71"' not in form  # a regional department is not a branch
    response = client.post(
        _url(paragraph, "add/"),
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
    page = client.get(_url(paragraph), {"q": "INTERPRETERS"}).content.decode()
    results = page.split('data-testid="search-results"')[1]
    assert other.reference in results
    assert similar.reference not in results
    partial = client.get(
        _url(paragraph), {"q": "interpreters"}, headers={**HTMX, "HX-Target": "link-search-results"}
    ).content.decode()
    assert "<html" not in partial
    assert other.reference in partial
    assert 'name="rec-reference"' in partial
    client.post(
        _url(paragraph, "add/"), {"kind": "recommendation", "rec-reference": other.reference}
    )
    again = client.get(_url(paragraph), {"q": "interpreters"}).content.decode()
    assert 'data-testid="nothing-found"' in again  # already linked: not offered again


def test_remove_a_link(
    users: dict[str, User], paragraph: Paragraph, similar: Recommendation
) -> None:
    coordinator = users["coordinator"]
    link = link_confirm(actor=coordinator, paragraph=paragraph, target=similar)
    client = Client()
    client.force_login(coordinator)
    response = client.post(_url(paragraph, f"{link.public_id}/remove/"), headers=HTMX)
    assert response.status_code == 200
    assert "Link removed." in response.content.decode()
    assert not ParagraphLink.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.UN_LINK_REMOVED).count() == 1
    assert paragraph.events.filter(kind=EventKind.UNLINKED).count() == 1
    # gone, or of another paragraph: 404
    assert client.post(_url(paragraph, f"{link.public_id}/remove/")).status_code == 404


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
    assert client.post(_url(paragraph, f"{link.public_id}/remove/")).status_code == 404
    assert ParagraphLink.objects.filter(pk=link.pk).exists()


def test_the_admin_sees_that_a_finding_is_linked_but_not_the_finding(
    users: dict[str, User], paragraph: Paragraph, approved_visit: Callable[..., Any]
) -> None:
    finding = approved_visit().findings.first()
    link_confirm(actor=users["coordinator"], paragraph=paragraph, target=finding)
    admin = Client()
    admin.force_login(users["admin"])
    page = admin.get(_url(paragraph)).content.decode()
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
