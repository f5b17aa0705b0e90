"""The UN follow-up's document page: what it shows to whom, its evidence counts, and a number
of queries that does not grow with its paragraphs."""

import datetime
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vigil.accounts.models import User
from vigil.international.models import Document, Paragraph
from vigil.international.services import (
    assessment_record,
    link_confirm,
)
from vigil.international.tests.pages_helpers import (
    CLOSED,
    COALITION,
)
from vigil.international.tests.pages_helpers import (
    evidence as evidence,
)
from vigil.international.tests.pages_helpers import (
    un as un,
)

# ---------------------------------------------------------------- document page


def test_document_page_shows_paragraphs_in_order_with_sources_side_by_side(
    client_for: Callable[[str], Client], un: dict[str, Any]
) -> None:
    response = client_for("coordinator").get(
        reverse("international:document_detail", args=[un["cat"].public_id])
    )
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.paragraph.number for row in rows] == ["10", "11", "21"]
    assert [column.label for column in response.context["columns"]] == ["State", COALITION]
    # the current grade of each source: the state's latest (3), the coalition's 2 and n/a
    assert [(a.grade.code if a else None) for a in rows[0].assessments] == ["3", "2"]
    assert [(a.grade.code if a else None) for a in rows[1].assessments] == [None, "n/a"]
    assert rows[2].assessments == [None, None]
    html = response.content.decode()
    assert '<abbr class="fw-semibold" title="Partly implemented">2</abbr>' in html
    assert CLOSED in html
    assert "Concluding observations on the fourth periodic report" in html
    assert "Follow-up" in html
    assert "T1 Treatment" in html
    assert "Penitentiary System Committee" in html
    assert 'href="/international/documents/' in html  # edit, add paragraph
    assert reverse("international:paragraph_create", args=[un["cat"].public_id]) in html


def test_document_title_in_the_active_language_with_fallback(
    client_for: Callable[[str], Client], un: dict[str, Any]
) -> None:
    client = client_for("coordinator")
    url = reverse("international:document_detail", args=[un["cat"].public_id])
    ru = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Заключительные замечания" in ru
    assert "Государству следует фиксировать" in ru  # § 10 has a Russian text
    assert "Medical staff in places of detention" in ru  # § 11 only English
    kk = client.get(url, HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "Мемлекет қамауға" in kk


def test_liaison_sees_only_its_paragraphs_and_no_manager_buttons(
    client_for: Callable[[str], Client], un: dict[str, Any]
) -> None:
    url = reverse("international:document_detail", args=[un["cat"].public_id])
    liaison = client_for("liaison").get(url)
    assert [row.paragraph.number for row in liaison.context["rows"]] == ["10", "21"]
    other = client_for("other_liaison").get(url)
    assert [row.paragraph.number for row in other.context["rows"]] == ["11"]
    # the columns are those of the sources present in what the reader sees
    assert [column.label for column in other.context["columns"]] == [COALITION]
    html = liaison.content.decode()
    assert "Medical staff in places of detention" not in html
    assert reverse("international:document_edit", args=[un["cat"].public_id]) not in html
    assert reverse("international:paragraph_create", args=[un["cat"].public_id]) not in html


def test_confidential_badge_for_coordinators(
    client_for: Callable[[str], Client], un: dict[str, Any]
) -> None:
    url = reverse("international:document_detail", args=[un["spt"].public_id])
    html = client_for("coordinator").get(url).content.decode()
    assert 'data-testid="confidential"' in html
    assert "Confidential until published" in html
    un["spt"].published_on = datetime.date(2025, 1, 10)
    un["spt"].save()
    html = client_for("coordinator").get(url).content.decode()
    assert "Confidential until published" not in html
    assert "Confidential, published on" in html
    assert client_for("monitor").get(url).status_code == 200


def test_document_page_counts_the_evidence(
    client_for: Callable[[str], Client], un: dict[str, Any], evidence: dict[str, Any]
) -> None:
    url = reverse("international:document_detail", args=[un["cat"].public_id])
    rows = client_for("coordinator").get(url).context["rows"]
    counted = rows[0].evidence
    assert counted.visits == 1
    assert counted.findings == 1
    assert (counted.open, counted.implemented) == (1, 1)
    assert rows[1].evidence.empty
    html = client_for("coordinator").get(url).content.decode()
    assert "Open recommendations: 1" in html
    # a liaison counts only its agency's recommendations, and no finding
    liaison_rows = client_for("liaison").get(url).context["rows"]
    assert liaison_rows[0].evidence.findings == 0
    assert liaison_rows[0].evidence.implemented == 1


def test_document_page_queries_do_not_grow_with_paragraphs(
    users: dict[str, User],
    ref: dict[str, Any],
    client_for: Callable[[str], Client],
    make_un_document: Callable[..., Document],
    make_paragraph: Callable[..., Paragraph],
    make_recommendation: Callable[..., Any],
    grade: Callable[[str, str], Any],
) -> None:
    coordinator = users["coordinator"]
    document = make_un_document()
    client = client_for("coordinator")
    url = reverse("international:document_detail", args=[document.public_id])

    def grow(n: int) -> None:
        for _i in range(n):
            paragraph = make_paragraph(document, addressees=[ref["kuis"], ref["kuis_71"]])
            for source, name in (("state", ""), ("civil_society", COALITION)):
                assessment_record(
                    actor=coordinator,
                    paragraph=paragraph,
                    source=source,
                    source_name=name,
                    grade=grade("implementation-1-3", "2"),
                    assessed_on=datetime.date(2025, 1, 1),
                )
            link_confirm(actor=coordinator, paragraph=paragraph, target=make_recommendation())

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    grow(2)
    few = count()
    grow(8)
    assert len(client.get(url).context["rows"]) == 10
    assert count() == few
