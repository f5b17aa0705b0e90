"""The UN follow-up's pages: who may open each (the role matrix, with DEBUG off and on),
forbidden posts that change nothing, and the list of documents each role sees."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import User
from vigil.audit.models import AuditEvent
from vigil.international.models import Assessment, Document, Paragraph
from vigil.international.tests.pages_helpers import (
    ACTORS,
    _expect,
    _get,
)
from vigil.international.tests.pages_helpers import (
    un as un,
)

# ---------------------------------------------------------------- the role matrix

Expected = dict[str, int | str]


def _answers(others: int, **answers: int | str) -> Expected:
    """Every actor's answer: `others`, except the ones named (anonymous: the login page)."""
    table: Expected = {actor: others for actor in ACTORS}
    return table | {"anonymous": "login"} | answers


READ = _answers(200)
MANAGE = _answers(403, admin=200, coordinator=200)
UPR_READ = _answers(200, other_liaison=404)  # the UPR report addresses only the committee
UPR_MANAGE = _answers(403, admin=200, coordinator=200, other_liaison=404)
SPT_READ = _answers(404, admin=200, coordinator=200)

PAGES: list[tuple[str, str, Expected]] = [
    ("document_list", "", READ),
    ("document_create", "", MANAGE),
    ("document_detail", "upr", UPR_READ),
    ("document_detail", "spt", SPT_READ),
    ("document_edit", "upr", UPR_MANAGE),
    ("document_edit", "spt", SPT_READ),
    ("paragraph_create", "upr", UPR_MANAGE),
    ("paragraph_detail", "upr_p", UPR_READ),
    ("paragraph_detail", "spt_p", SPT_READ),
    ("paragraph_edit", "upr_p", UPR_MANAGE),
    ("assessment_create", "upr_p", UPR_MANAGE),
    ("assessment_create", "spt_p", SPT_READ),
]


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
@pytest.mark.parametrize(("route", "obj", "expected"), PAGES, ids=[f"{r}-{o}" for r, o, _ in PAGES])
def test_role_matrix(
    client_for: Callable[[str], Client],
    un: dict[str, Any],
    route: str,
    obj: str,
    expected: dict[str, int | str],
    debug: bool,
) -> None:
    kwargs = {"public_id": un[obj].public_id} if obj else {}
    url = reverse(f"international:{route}", kwargs=kwargs)
    for actor in ACTORS:
        response = _get(client_for(actor), url, debug)
        try:
            _expect(response, expected[actor])
        except AssertionError as exc:
            raise AssertionError(f"{actor} on {url}: {response.status_code}") from exc


def test_forbidden_posts_change_nothing(client_for: Callable[[str], Client], un: Any) -> None:
    before = (Document.objects.count(), Paragraph.objects.count(), Assessment.objects.count())
    audited = AuditEvent.objects.filter(action__startswith="un_").count()
    posts = [
        (reverse("international:document_create"), {"symbol": "X/1", "body": "CAT"}),
        (
            reverse("international:document_edit", args=[un["upr"].public_id]),
            {"symbol": "CHANGED"},
        ),
        (
            reverse("international:paragraph_create", args=[un["upr"].public_id]),
            {"number": "99", "text_en": "Text."},
        ),
        (
            reverse("international:paragraph_edit", args=[un["upr_p"].public_id]),
            {"number": "1", "position": "1", "text_en": "Changed."},
        ),
        (
            reverse("international:assessment_create", args=[un["upr_p"].public_id]),
            {"source": "npm", "grade": str(un["ngo"].grade.public_id), "assessed_on": "2025-01-01"},
        ),
    ]
    for actor in ("anonymous", "regional", "monitor", "liaison", "other_liaison", "auditor"):
        client = client_for(actor)
        for url, data in posts:
            assert client.post(url, data).status_code in (302, 403, 404), (actor, url)
    after = (Document.objects.count(), Paragraph.objects.count(), Assessment.objects.count())
    assert after == before
    assert AuditEvent.objects.filter(action__startswith="un_").count() == audited
    un["upr"].refresh_from_db()
    assert un["upr"].symbol == "A/HRC/43/11"


# ---------------------------------------------------------------- the list


def test_list_shows_what_each_role_sees_and_filters(
    client_for: Callable[[str], Client], un: dict[str, Any]
) -> None:
    coordinator = client_for("coordinator")
    body = coordinator.get("/international/").content.decode()
    for symbol in ("CAT/C/KAZ/CO/4", "A/HRC/43/11", "CAT/OP/KAZ/2"):
        assert symbol in body
    assert "Confidential until published" in body
    assert 'name="confidential"' in body

    regional = client_for("regional").get("/international/").content.decode()
    assert "CAT/OP/KAZ/2" not in regional
    assert 'name="confidential"' not in regional  # coordinators only

    liaison = client_for("other_liaison").get("/international/")
    assert [d.symbol for d in liaison.context["page"].object_list] == ["CAT/C/KAZ/CO/4"]
    # a liaison's count is of the paragraphs addressed to its agency
    assert liaison.context["page"].object_list[0].paragraph_count == 1

    def symbols(query: str) -> list[str]:
        page = coordinator.get(f"/international/?{query}").context["page"]
        return sorted(d.symbol for d in page.object_list)

    assert symbols("body=SPT") == ["CAT/OP/KAZ/2"]
    assert symbols("kind=upr_recommendations") == ["A/HRC/43/11"]
    assert symbols("search=kaz/co") == ["CAT/C/KAZ/CO/4"]
    assert symbols("search=fourth periodic") == ["CAT/C/KAZ/CO/4"]
    assert symbols("year=2024") == ["A/HRC/43/11", "CAT/C/KAZ/CO/4", "CAT/OP/KAZ/2"]
    assert symbols("year=2020") == []
    assert symbols("confidential=true") == ["CAT/OP/KAZ/2"]
    # a reader's `confidential` parameter is not a filter of its list
    page = client_for("monitor").get("/international/?confidential=true").context["page"]
    assert sorted(d.symbol for d in page.object_list) == ["A/HRC/43/11", "CAT/C/KAZ/CO/4"]


def test_menu_entry_for_every_role_that_reads_documents(users: dict[str, User]) -> None:
    from vigil.site.navigation import navigation_for

    for actor in ("admin", "coordinator", "regional", "monitor", "liaison", "auditor"):
        entries = {item.key: item for item in navigation_for(users[actor])}
        assert entries["international"].url == "/international/"
