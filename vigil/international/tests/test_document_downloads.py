"""The document page offers the follow-up report in each language and the document as a file
in the import format; the list offers coordinators the import."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.parametrize("debug", [False, True])
def test_document_page_links_the_report_and_the_export(
    settings: Any,
    debug: bool,
    ref: dict[str, Any],
    client_for: Callable[[str], Client],
    make_paragraph: Callable[..., Any],
) -> None:
    settings.DEBUG = debug
    paragraph = make_paragraph(addressees=[ref["kuis"]])
    document = paragraph.document
    page = client_for("liaison").get(
        reverse("international:document_detail", args=[document.public_id])
    )
    assert page.status_code == 200
    html = page.content.decode()
    for code in ("kk", "ru", "en"):
        for fmt in ("pdf", "docx"):
            url = reverse("international:followup_report", args=[document.public_id, fmt])
            assert f'href="{url}?lang={code}"' in html
    export = reverse("international:document_export", args=[document.public_id])
    assert f'href="{export}?format=csv"' in html
    assert client_for("liaison").get(f"{export}?format=csv").status_code == 200


def test_only_coordinators_are_offered_the_import(client_for: Callable[[str], Client]) -> None:
    upload = reverse("international:import_upload")
    listing = reverse("international:document_list")
    assert f'href="{upload}"' in client_for("coordinator").get(listing).content.decode()
    assert f'href="{upload}"' not in client_for("monitor").get(listing).content.decode()
