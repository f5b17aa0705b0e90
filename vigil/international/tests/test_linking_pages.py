"""The paragraph's links page: who may open it (managers only; 404 for a paragraph out of
sight, 403 for a reader; a liaison never sees a suggestion), CSRF on its decisions, and
suggestions confirmed and rejected from the page (with htmx and without JavaScript), each
decision audited and on the paragraph's timeline. Links made by hand and the section on the
recommendation's page: `test_linking_manual.py`."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings

from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.international.enums import EventKind, LinkKind, LinkOrigin, LinkStatus
from vigil.international.models import Paragraph, ParagraphLink
from vigil.international.selectors import link_suggestions
from vigil.international.services import link_confirm
from vigil.international.tests.linking import (
    HTMX,
    SIMILAR_TEXT,
    client_as,
    confidential_paragraph,
    published_paragraph,
    similar_recommendation,
    url,
    with_other_regional,
)
from vigil.recommendations.models import Recommendation
from vigil.visits.enums import Theme


@pytest.fixture
def actors(users: dict[str, User], ref: dict[str, Any]) -> dict[str, User]:
    return with_other_regional(users, ref)


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
    client = client_as(actors, actor)
    with override_settings(DEBUG=debug):
        response = client.get(url(paragraph))
        secret = client.get(url(secret_paragraph))
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
    client = client_as(actors, actor)
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
        response = client.post(url(paragraph, action), data)
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
        assert client.post(url(paragraph, action), data).status_code == 403
    assert not ParagraphLink.objects.exists()
    page = client.get(url(paragraph)).content.decode()
    assert page.count('name="csrfmiddlewaretoken"') >= 6  # every form of the page


def test_get_only_page_and_post_only_decisions(
    users: dict[str, User], paragraph: Paragraph
) -> None:
    client = Client()
    client.force_login(users["coordinator"])
    assert client.post(url(paragraph)).status_code == 405
    assert client.get(url(paragraph, "confirm/")).status_code == 405


# ---------------------------------------------------------------- suggestions


def test_a_suggestion_confirmed_from_the_page_keeps_its_origin_and_score(
    users: dict[str, User], paragraph: Paragraph, similar: Recommendation
) -> None:
    coordinator = users["coordinator"]
    (suggestion,) = [s for s in link_suggestions(coordinator, paragraph) if s.recommendation]
    client = Client()
    client.force_login(coordinator)
    page = client.get(url(paragraph)).content.decode()
    assert f'data-key="{similar.public_id}"' in page
    assert f"{suggestion.percent}% similar" in page

    response = client.post(
        url(paragraph, "confirm/"), {"kind": "recommendation", "target": str(similar.public_id)}
    )
    assert response.status_code == 302
    assert response["Location"] == url(paragraph)
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
        url(paragraph, "confirm/"),
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
        url(paragraph, "reject/"), {"kind": "recommendation", "target": str(similar.public_id)}
    )
    assert response.status_code == 302
    link = ParagraphLink.objects.get(paragraph=paragraph)
    assert (link.status, link.origin) == (LinkStatus.REJECTED, LinkOrigin.SUGGESTED)
    assert link.score is not None
    assert AuditEvent.objects.filter(action=AuditAction.UN_LINK_REJECTED).count() == 1
    assert paragraph.events.filter(kind=EventKind.LINK_REJECTED).count() == 1
    page = client.get(url(paragraph)).content.decode()
    assert "Suggestion rejected." in page
    assert f'data-key="{similar.public_id}"' not in page
    assert 'data-testid="no-links"' in page  # a rejection is not a link
    assert str(similar.public_id) not in _suggested_keys(paragraph, coordinator)

    # deciding it again names the problem instead of changing anything
    again = client.post(
        url(paragraph, "confirm/"),
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
        url(paragraph, "confirm/"), {"kind": "recommendation", "target": str(unrelated.public_id)}
    )
    assert response.status_code == 302
    assert not ParagraphLink.objects.exists()
    assert "no longer offered" in client.get(response["Location"]).content.decode()
    # a forged score or a malformed request changes nothing either
    client.post(url(paragraph, "confirm/"), {"kind": "nonsense", "target": "x", "score": "1"})
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
    page = client.get(url(paragraph)).content.decode()
    assert 'data-key="T3 MVD-KUIS"' in page
    assert "Raised at 2 institutions." in page
    response = client.post(
        url(paragraph, "confirm/"),
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
