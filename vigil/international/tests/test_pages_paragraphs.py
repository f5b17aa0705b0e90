"""The UN follow-up's paragraph page: texts, assessments, history, and the evidence links
only where the reader may open them."""

import datetime
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import NoReverseMatch, reverse

from vigil.international.enums import EventKind
from vigil.international.models import ParagraphEvent
from vigil.international.tests.pages_helpers import (
    COALITION,
)
from vigil.international.tests.pages_helpers import (
    evidence as evidence,
)
from vigil.international.tests.pages_helpers import (
    un as un,
)

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
