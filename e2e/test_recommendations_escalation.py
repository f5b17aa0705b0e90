"""Escalation, repeats, systemic issues and the historical import, in the browser.

A coordinator opens "Escalations due" from the recommendations list, escalates an overdue
recommendation in Kazakh and downloads the letter, whose text holds the Kazakh addressee; while
drafting a new recommendation the form proposes an earlier one as a repeat, and one click links
it; a monitor reads the systemic issues; the coordinator imports a file of historical
recommendations (preview, then confirm). Every page passes axe-core (serious and critical)
and breaks no Content-Security-Policy rule.
"""

import datetime
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from e2e.browser import axe_violations
from vigil.accounts.models import User
from vigil.recommendations.enums import Source, State
from vigil.recommendations.models import Recommendation

PAST = timezone.localdate() - datetime.timedelta(days=90)
EARLIER = "Обеспечить видеонаблюдение во всех камерах ШИЗО и устранить слепые зоны."
NEW_TEXT = "ШИЗО камераларының барлығында бейнебақылауды қамтамасыз ету, соқыр аймақтарды жою."
KAZAKH_COMMITTEE = "Қылмыстық-атқару жүйесі комитеті"


def _squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def world(
    ref: dict[str, Any],
    users: dict[str, User],
    make_institution: Callable[..., Any],
    make_recommendation: Callable[..., Recommendation],
) -> dict[str, Any]:
    colony = make_institution(external_code="KZ71-COL-0007", name_en="Colony No. 7")
    overdue = make_recommendation(
        institution=colony,
        theme="T3",
        text="Repair the ventilation of the cells of block 2.",
        issued_on=PAST - datetime.timedelta(days=30),
        deadline=PAST,
        state=State.AWAITING_RESPONSE,
    )
    earlier = make_recommendation(
        institution=colony, theme="T2", text=EARLIER, state=State.NOT_ACCEPTED
    )
    return {"colony": colony, "overdue": overdue, "earlier": earlier}


@pytest.mark.django_db(transaction=True)
def test_escalation_repeats_systemic_and_import(  # type: ignore[no-untyped-def]
    world, users, login, live_server, tmp_path: Path
) -> None:
    base = live_server.url
    overdue: Recommendation = world["overdue"]

    # -- escalate an overdue recommendation and download its letter in Kazakh
    coordinator = login(users["coordinator"].email)
    coordinator.goto(f"{base}/recommendations/")
    coordinator.get_by_role("link", name="Escalations due").click()
    coordinator.wait_for_url(f"{base}/recommendations/escalations/")
    assert axe_violations(coordinator) == []
    coordinator.get_by_label(f"Choose {overdue.reference}").check()
    with coordinator.expect_navigation():
        coordinator.get_by_role("button", name="Escalate the chosen").click()
    assert axe_violations(coordinator) == []
    coordinator.select_option("#id_language", "kk")
    coordinator.fill("#id_text", "Ensure that the department repairs the ventilation at once.")
    with coordinator.expect_navigation():
        coordinator.get_by_role("button", name="Escalate", exact=True).click()
    escalation = Recommendation.objects.get(source=Source.ESCALATION)
    coordinator.wait_for_url(f"{base}/recommendations/{escalation.public_id}/letter/")
    assert axe_violations(coordinator) == []
    overdue.refresh_from_db()
    assert overdue.state == State.ESCALATED
    href = (
        coordinator.locator("[data-testid=letter-downloads] li")
        .first.get_by_role("link", name="PDF")
        .get_attribute("href")
    )
    assert href is not None
    assert href.endswith("language=kk")
    response = coordinator.request.get(f"{base}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(  # noqa: S603 - fixed command on a file this test wrote
        ["/usr/bin/pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert _squeeze(KAZAKH_COMMITTEE) in _squeeze(text)
    assert escalation.reference in text
    assert overdue.reference in text

    # -- the form proposes a repeat, in another language, and links it in one click
    earlier: Recommendation = world["earlier"]
    coordinator.goto(f"{base}/recommendations/new/")
    coordinator.select_option("#id_addressee", "MVD-KUIS-71")
    coordinator.select_option("#id_theme", "T2")
    coordinator.fill("#id_text", NEW_TEXT)
    coordinator.press("#id_text", "Tab")
    button = coordinator.get_by_role("button", name=f"Link as a repeat of {earlier.reference}")
    button.wait_for()
    assert axe_violations(coordinator) == []
    button.click()
    assert coordinator.input_value("#recommendation-form [name=repeat_of]") == earlier.reference
    assert earlier.reference in coordinator.locator("#repeat-suggestions-status").inner_text()

    # -- the import: preview, then confirm
    upload = tmp_path / "history.csv"
    upload.write_text(
        "external_ref,text,addressee,institution,theme,issued_on,deadline,status,status_date\n"
        "H-1,Repair the roof.,MVD-KUIS-71,KZ71-COL-0007,T3,15.03.2021,,implemented,\n"
        "H-2,Hire a psychologist.,MVD-KUIS,,T5,2021-04-01,,not_accepted,\n",
        encoding="utf-8",
    )
    coordinator.goto(f"{base}/recommendations/")
    coordinator.locator("[data-tool=import]").click()
    assert axe_violations(coordinator) == []
    coordinator.set_input_files("#id_file", str(upload))
    with coordinator.expect_navigation():
        coordinator.get_by_role("button", name="Check the file").click()
    assert axe_violations(coordinator) == []
    with coordinator.expect_navigation():
        coordinator.get_by_role("button", name="Confirm import").click()
    assert "Import complete: 2 created" in coordinator.content()
    assert Recommendation.objects.filter(external_ref__in=["H-1", "H-2"]).count() == 2

    # -- a monitor reads the systemic issues
    monitor = login(users["monitor"].email)
    monitor.goto(f"{base}/recommendations/systemic/")
    monitor.get_by_role("heading", name="Systemic and repeated issues").wait_for()
    assert axe_violations(monitor) == []
