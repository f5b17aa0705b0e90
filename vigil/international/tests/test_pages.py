"""The UN follow-up's pages: who may open each (the role matrix, with DEBUG off and on), what
the document and paragraph pages show to whom, the coordinators' forms and their errors, and
a document page whose number of queries does not grow with its paragraphs."""

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.international.enums import AssessmentSource, Body, DocumentKind, EventKind
from vigil.international.models import Assessment, Document, Paragraph, ParagraphEvent
from vigil.international.services import (
    SystemicTarget,
    assessment_record,
    link_confirm,
    link_reject,
)
from vigil.recommendations.enums import State
from vigil.visits.enums import Theme

ACTORS = (
    "anonymous",
    "admin",
    "coordinator",
    "regional",
    "monitor",
    "liaison",
    "other_liaison",
    "auditor",
)
COALITION = "NGO Coalition against Torture"
CLOSED = "The Ministry of Defence is still closed to NPM and NGO monitoring"


@pytest.fixture
def un(
    ref: dict[str, Any],
    users: dict[str, User],
    make_un_document: Callable[..., Document],
    make_paragraph: Callable[..., Paragraph],
    grade: Callable[[str, str], Any],
) -> dict[str, Any]:
    """The CAT observations (paragraphs to the committee, a sub-unit and the ministry of
    health), a UPR report addressed only to the committee, and an unpublished SPT report."""
    cat = make_un_document(
        symbol="CAT/C/KAZ/CO/4",
        title_en="Concluding observations on the fourth periodic report of Kazakhstan",
        title_ru="Заключительные замечания по четвёртому докладу Казахстана",
    )
    upr = make_un_document(
        symbol="A/HRC/43/11", body=Body.UPR, kind=DocumentKind.UPR_RECOMMENDATIONS
    )
    spt = make_un_document(
        symbol="CAT/OP/KAZ/2",
        body=Body.SPT,
        kind=DocumentKind.VISIT_REPORT,
        confidential=True,
        title_en="Report on the visit of the Subcommittee",
    )
    p10 = make_paragraph(
        cat,
        addressees=[ref["kuis"]],
        number="10",
        position=1,
        follow_up=True,
        themes="T1 T2",
        text_en="The State party should record every injury seen on arrival in custody.",
        text_ru="Государству следует фиксировать каждую травму при поступлении под стражу.",
        text_kk="Мемлекет қамауға түскен кездегі әр жарақатты тіркеуі тиіс.",
    )
    p11 = make_paragraph(
        cat,
        addressees=[ref["moh"]],
        number="11",
        position=2,
        text_en="Medical staff in places of detention should report signs of ill-treatment.",
    )
    p21 = make_paragraph(
        cat,
        addressees=[ref["kuis_71"]],
        number="21",
        position=3,
        follow_up=True,
        themes="T3",
        text_en="Cells of temporary detention should have daylight and ventilation.",
    )
    coordinator = users["coordinator"]
    state_1 = assessment_record(
        actor=coordinator,
        paragraph=p10,
        source=AssessmentSource.STATE,
        grade=grade("implementation-1-3", "1"),
        assessed_on=datetime.date(2024, 11, 1),
    )
    state_3 = assessment_record(
        actor=coordinator,
        paragraph=p10,
        source=AssessmentSource.STATE,
        grade=grade("implementation-1-3", "3"),
        assessed_on=datetime.date(2025, 5, 1),
        reference="State party's follow-up report",
    )
    ngo = assessment_record(
        actor=coordinator,
        paragraph=p10,
        source=AssessmentSource.CIVIL_SOCIETY,
        source_name=COALITION,
        grade=grade("implementation-1-3", "2"),
        assessed_on=datetime.date(2025, 6, 1),
    )
    na = assessment_record(
        actor=coordinator,
        paragraph=p11,
        source=AssessmentSource.CIVIL_SOCIETY,
        source_name=COALITION,
        grade=grade("implementation-1-3", "n/a"),
        assessed_on=datetime.date(2025, 6, 1),
        reason=CLOSED,
    )
    return {
        "cat": cat,
        "upr": upr,
        "spt": spt,
        "p10": p10,
        "p11": p11,
        "p21": p21,
        "upr_p": make_paragraph(upr, addressees=[ref["kuis"]], number="139.12"),
        "spt_p": make_paragraph(spt, addressees=[ref["kuis"]], number="5"),
        "state_1": state_1,
        "state_3": state_3,
        "ngo": ngo,
        "na": na,
    }


def _get(client: Client, url: str, debug: bool) -> Any:
    with override_settings(DEBUG=debug):
        return client.get(url)


def _expect(response: Any, expected: int | str) -> None:
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


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


@pytest.fixture
def evidence(
    users: dict[str, User],
    ref: dict[str, Any],
    un: dict[str, Any],
    make_recommendation: Callable[..., Any],
    approved_visit: Callable[..., Any],
) -> dict[str, Any]:
    """§ 10 linked to a finding of an approved visit, a recommendation made on it, an
    implemented recommendation and a systemic issue; a suggestion rejected."""
    coordinator = users["coordinator"]
    visit = approved_visit()
    finding = visit.findings.first()
    on_finding = make_recommendation(
        visit=visit, findings=[finding], state=State.IN_IMPLEMENTATION, addressee=ref["kuis_71"]
    )
    done = make_recommendation(state=State.IMPLEMENTED_VERIFIED, addressee=ref["kuis_71"])
    elsewhere = make_recommendation(theme=Theme.T5, addressee=ref["moh"])
    p10 = un["p10"]
    link_confirm(actor=coordinator, paragraph=p10, target=finding)
    link_confirm(actor=coordinator, paragraph=p10, target=done)
    link_confirm(actor=coordinator, paragraph=p10, target=SystemicTarget(Theme.T3, ref["kuis"]))
    link_reject(actor=coordinator, paragraph=p10, target=elsewhere, score=0.3)
    return {"finding": finding, "on_finding": on_finding, "done": done, "visit": visit}


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


# ---------------------------------------------------------------- paragraph page


def test_paragraph_page_texts_assessments_history_and_recorders(
    client_for: Callable[[str], Client], un: dict[str, Any]
) -> None:
    url = reverse("international:paragraph_detail", args=[un["p10"].public_id])
    response = client_for("coordinator").get(url)
    html = response.content.decode()
    for text in (
        "record every injury seen on arrival",
        "фиксировать каждую травму",
        "әр жарақатты тіркеуі",
    ):
        assert text in html
    assert 'lang="kk"' in html
    assert [(a.source, a.grade.code) for a in response.context["current"]] == [
        ("state", "3"),
        ("civil_society", "2"),
    ]
    history = response.context["history"]
    assert [a.pk for a in history] == [un["ngo"].pk, un["state_3"].pk, un["state_1"].pk]
    assert "Follow-up paragraph" in html
    assert 'data-testid="recorded-by"' in html
    assert "Test Coordinator" in html  # who recorded, and the timeline's actor
    assert reverse("international:assessment_create", args=[un["p10"].public_id]) in html
    assert client_for("auditor").get(url).content.decode().count('data-testid="recorded-by"') == 3

    for reader in ("regional", "liaison"):
        body = client_for(reader).get(url).content.decode()
        assert 'data-testid="recorded-by"' not in body
        assert "Test Coordinator" not in body
        assert 'data-testid="timeline-actor"' not in body
        assert reverse("international:assessment_create", args=[un["p10"].public_id]) not in body


def test_paragraph_timeline_has_events_and_dated_assessments(
    client_for: Callable[[str], Client], un: dict[str, Any], evidence: dict[str, Any]
) -> None:
    url = reverse("international:paragraph_detail", args=[un["p10"].public_id])
    timeline = client_for("coordinator").get(url).context["timeline"]
    labels = [entry.label for entry in timeline]
    assert "Evidence linked" in labels
    assert labels.count("Assessment recorded") == 3
    assert "Suggestion rejected" in labels
    dated = [entry for entry in timeline if entry.moment is None]
    assert [entry.day for entry in dated] == [
        datetime.date(2024, 11, 1),
        datetime.date(2025, 5, 1),
        datetime.date(2025, 6, 1),
    ]
    assert dated[2].label == f"Assessed by {COALITION}"
    assert dated[2].detail == "2 — Partly implemented"
    assert all(entry.actor is not None for entry in timeline if entry.moment is not None)
    # readers: no rejected suggestion, nobody named
    reader = client_for("monitor").get(url).context["timeline"]
    assert "Suggestion rejected" not in [entry.label for entry in reader]
    assert all(entry.actor is None for entry in reader)
    assert ParagraphEvent.objects.filter(paragraph=un["p10"], kind=EventKind.LINK_REJECTED).exists()


def test_paragraph_page_evidence_links_only_what_the_reader_may_open(
    client_for: Callable[[str], Client], un: dict[str, Any], evidence: dict[str, Any]
) -> None:
    url = reverse("international:paragraph_detail", args=[un["p10"].public_id])
    finding_url = reverse("visits:finding_detail", args=[evidence["finding"].public_id])
    done = evidence["done"]

    coordinator = client_for("coordinator").get(url)
    kinds = [item.kind for item in coordinator.context["linked"]]
    assert kinds == ["finding", "recommendation", "systemic"]
    html = coordinator.content.decode()
    assert finding_url in html
    assert reverse("recommendations:detail", args=[done.public_id]) in html
    assert f"{reverse('recommendations:systemic')}?agency=MVD-KUIS" in html
    assert evidence["on_finding"].reference in html  # an example: made on the linked finding
    assert coordinator.client.get(finding_url).status_code == 200

    liaison = client_for("liaison").get(url)
    linked = liaison.context["linked"]
    assert [item.kind for item in linked] == ["recommendation", "systemic"]
    assert linked[0].url == reverse("recommendations:portal_detail", args=[done.public_id])
    assert linked[1].url is None  # the systemic-issues page is not the liaison's
    body = liaison.content.decode()
    assert finding_url not in body
    assert evidence["finding"].title not in body

    other = client_for("other_liaison")
    assert other.get(url).status_code == 404


def test_link_evidence_button_for_managers_where_the_route_exists(
    client_for: Callable[[str], Client], un: dict[str, Any]
) -> None:
    url = reverse("international:paragraph_detail", args=[un["p10"].public_id])
    try:
        links = reverse("international:paragraph_links", args=[un["p10"].public_id])
    except NoReverseMatch:
        links = None
    html = client_for("coordinator").get(url).content.decode()
    assert ('data-testid="link-evidence"' in html) == (links is not None)
    assert 'data-testid="link-evidence"' not in client_for("auditor").get(url).content.decode()


# ---------------------------------------------------------------- forms


def test_document_create_and_edit(client_for: Callable[[str], Client], un: Any) -> None:
    client = client_for("coordinator")
    page = client.get(reverse("international:document_create")).content.decode()
    assert "Choose the body" in page
    assert "---------" not in page
    data = {
        "symbol": "CAT/C/KAZ/CO/5",
        "body": "CAT",
        "kind": "concluding_observations",
        "title_en": "Concluding observations, fifth report",
        "adopted_on": "2028-05-10",
    }
    response = client.post(reverse("international:document_create"), data)
    document = Document.objects.get(symbol="CAT/C/KAZ/CO/5")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "international:document_detail", args=[document.public_id]
    )
    assert AuditEvent.objects.filter(action=AuditAction.UN_DOCUMENT_CREATED).count() == 1

    again = client.post(reverse("international:document_create"), data)
    assert again.status_code == 200
    assert again.context["form"].errors["symbol"]
    assert 'href="#id_symbol"' in again.content.decode()  # the summary at the top

    late = client.post(
        reverse("international:document_edit", args=[document.public_id]),
        {**data, "confidential": "on", "published_on": "2028-01-01"},
    )
    assert late.status_code == 200
    assert late.context["form"].errors["published_on"]
    edit = client.post(
        reverse("international:document_edit", args=[document.public_id]),
        {**data, "title_ru": "Заключительные замечания"},
    )
    assert edit.status_code == 302
    document.refresh_from_db()
    assert document.title_ru == "Заключительные замечания"
    assert AuditEvent.objects.filter(action=AuditAction.UN_DOCUMENT_UPDATED).count() == 1


def test_paragraph_create_and_edit(
    client_for: Callable[[str], Client], un: dict[str, Any], ref: dict[str, Any]
) -> None:
    client = client_for("coordinator")
    url = reverse("international:paragraph_create", args=[un["cat"].public_id])
    page = client.get(url).content.decode()
    for code in ("T1", "T8"):
        assert f'value="{code}"' in page  # the themes as checkboxes
    assert 'type="checkbox" name="themes"' in page
    assert 'value="MVD-KUIS"' in page  # the addressees among the agencies

    empty = client.post(url, {"number": "24", "position": "4"})
    assert empty.status_code == 200
    assert empty.context["form"].errors["text_en"] == [
        "Enter the paragraph's text in one language."
    ]
    taken = client.post(url, {"number": "10", "text_en": "Again."})
    assert taken.context["form"].errors["number"] == ["This document already has a paragraph 10."]

    response = client.post(
        url,
        {
            "number": "24",
            "text_ru": "Обеспечить независимое расследование жалоб.",
            "themes": ["T2", "T1"],
            "addressees": ["MVD-KUIS", "MOH"],
            "follow_up": "on",
        },
    )
    paragraph = Paragraph.objects.get(document=un["cat"], number="24")
    assert response.status_code == 302
    assert paragraph.themes == "T1 T2"
    assert paragraph.position == 4  # after the last one
    assert set(paragraph.addressees.values_list("code", flat=True)) == {"MVD-KUIS", "MOH"}
    assert paragraph.events.filter(kind=EventKind.CREATED).exists()

    edit_url = reverse("international:paragraph_edit", args=[paragraph.public_id])
    form = client.get(edit_url).context["form"]
    assert form.initial["themes"] == ["T1", "T2"]
    edited = client.post(
        edit_url,
        {
            "number": "24",
            "position": "4",
            "text_ru": "Обеспечить независимое расследование жалоб.",
            "text_en": "Ensure complaints are investigated independently.",
            "themes": ["T2"],
            "addressees": ["MVD-KUIS"],
        },
    )
    assert edited.status_code == 302
    paragraph.refresh_from_db()
    assert (paragraph.themes, paragraph.follow_up) == ("T2", False)
    assert list(paragraph.addressees.values_list("code", flat=True)) == ["MVD-KUIS"]
    assert paragraph.events.filter(kind=EventKind.EDITED).count() == 1


def test_assessment_form(
    client_for: Callable[[str], Client],
    users: dict[str, User],
    un: dict[str, Any],
    grade: Callable[[str, str], Any],
) -> None:
    client = client_for("coordinator")
    paragraph = un["p21"]
    url = reverse("international:assessment_create", args=[paragraph.public_id])
    page = client.get(url).content.decode()
    groups = re.findall(r'<optgroup label="([^"]+)">', page)
    assert groups == ["Treaty body follow-up, A–E", "Implementation, 1–3"]
    na = grade("implementation-1-3", "n/a")

    no_reason = client.post(
        url,
        {
            "source": "civil_society",
            "source_name": COALITION,
            "grade": str(na.public_id),
            "assessed_on": "2025-06-01",
        },
    )
    assert no_reason.status_code == 200
    assert no_reason.context["form"].errors["reason"] == [
        "Give the reason why it is not applicable."
    ]
    assert 'href="#id_reason"' in no_reason.content.decode()
    unnamed = client.post(
        url, {"source": "civil_society", "grade": str(na.public_id), "assessed_on": "2025-06-01"}
    )
    assert unnamed.context["form"].errors["source_name"]
    assert not Assessment.objects.filter(paragraph=paragraph).exists()

    done = client.post(
        url,
        {
            "source": "civil_society",
            "source_name": COALITION,
            "grade": str(na.public_id),
            "assessed_on": "2025-06-01",
            "reason": CLOSED,
            "reference": "Alternative report, 2025",
        },
    )
    assert done.status_code == 302
    assessment = Assessment.objects.get(paragraph=paragraph)
    assert (assessment.grade, assessment.reason, assessment.recorded_by) == (
        na,
        CLOSED,
        users["coordinator"],
    )
    assert AuditEvent.objects.filter(action=AuditAction.UN_ASSESSMENT_RECORDED).count() == 5


def test_audit_log_links_documents_and_paragraphs_for_who_may_open_them(
    users: dict[str, User], un: dict[str, Any]
) -> None:
    from vigil.audit.links import target_links

    spt = ("international.document", str(un["spt"].public_id))
    p11 = ("international.paragraph", str(un["p11"].public_id))
    assert target_links(users["coordinator"], [spt, p11]) == {
        spt: reverse("international:document_detail", args=[un["spt"].public_id]),
        p11: reverse("international:paragraph_detail", args=[un["p11"].public_id]),
    }
    assert target_links(users["auditor"], [spt, p11]) == {
        p11: reverse("international:paragraph_detail", args=[un["p11"].public_id])
    }
    assert target_links(users["liaison"], [spt, p11]) == {}
