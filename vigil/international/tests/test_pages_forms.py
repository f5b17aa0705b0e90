"""The UN follow-up's coordinators' forms and their errors, and the audit log's links to
documents and paragraphs."""

import re
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.international.enums import EventKind
from vigil.international.models import Assessment, Document, Paragraph
from vigil.international.tests.pages_helpers import (
    CLOSED,
    COALITION,
)
from vigil.international.tests.pages_helpers import (
    un as un,
)

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
