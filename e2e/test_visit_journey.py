"""A monitoring visit end to end, in the browser.

A coordinator plans a visit (create it, name a team of three with a lead, put it in the plan)
and starts it; the team lead, a monitor, fills part of the checklist on a phone, records a
finding in Kazakh with a photo and an interview, ends the visit, drafts the report with the
finding and submits it; the coordinator approves it and downloads the PDF, whose text holds
the finding with its Kazakh letters. The main pages pass axe-core (serious and critical) and
break no Content-Security-Policy rule.
"""

import datetime
import io
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from conftest import PASSWORD
from e2e.browser import axe_violations
from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.people.enums import Profession
from vigil.people.models import Participant
from vigil.visits.enums import QuestionKind, ReportState, VisitState
from vigil.visits.models import (
    Attachment,
    ChecklistAnswer,
    ChecklistQuestion,
    Finding,
    Interview,
    Visit,
    VisitReport,
)
from vigil.visits.services.checklist_templates import checklist_templates_load

UUID = r"[0-9a-f-]{36}"
TITLE = "Unannounced visit to colony EC-166/1"
FINDING_TITLE = "Камераларда желдету жоқ"
FINDING_TEXT = (
    "Қыста камералардың температурасы төмен, ауа тымырсық; үй-жайлардың бәрінде "
    "желдеткіш істемейді, сондықтан ұсталғандардың денсаулығына қауіп төнеді."
)
KAZAKH_LETTERS = "әқңөұүі"
INTERVIEW_TEXT = "Түнде камерада өте суық болады, көрпе жетіспейді."


def _jpeg_with_gps() -> bytes:
    """A small photo carrying a GPS position in its EXIF."""
    image = Image.new("RGB", (64, 48), (120, 140, 160))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (51.0, 10.0, 30.0)  # latitude
    gps[3], gps[4] = "E", (71.0, 26.0, 45.0)  # longitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _axe(page: Any) -> list[str]:
    """axe-core's serious and critical violations, once colour transitions have finished
    (a button caught half-way through its change of colour would fail the contrast rule)."""
    page.evaluate(
        "async () => { await Promise.all(document.getAnimations()"
        ".filter(a => a instanceof CSSTransition).map(a => a.finished.catch(() => null))); }"
    )
    return axe_violations(page)  # type: ignore[no-any-return]


def _squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def journey(ref: dict[str, Any], users: dict[str, User], make_institution: Callable[..., Any]):  # type: ignore[no-untyped-def]
    """The registry, the checklists and three participants: the monitor (to lead the team),
    a doctor and a psychologist."""
    checklist_templates_load()
    institution = make_institution(
        name_ru="Учреждение ЕЦ-166/1",
        name_kk="ЕЦ-166/1 мекемесі",
        name_en="Colony EC-166/1",
        external_code="KZ71-COL-0001",
    )
    team = {
        "monitor": Participant.objects.create(
            user=users["monitor"],
            profession=Profession.LAWYER,
            region=ref["astana"],
            accredited_from=datetime.date(2020, 1, 1),
        )
    }
    for key, name, profession in (
        ("doctor", "Aigerim Doctor", Profession.DOCTOR),
        ("psychologist", "Serik Psychologist", Profession.PSYCHOLOGIST),
    ):
        user = User.objects.create_user(
            email=f"{key}@test.vigil", password=PASSWORD, full_name=name, role=Role.MONITOR
        )
        team[key] = Participant.objects.create(
            user=user, profession=profession, accredited_from=datetime.date(2020, 1, 1)
        )
    return {"institution": institution, "team": team}


def _press(page: Any, label: str) -> None:
    """Press a button that posts a form, and wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name=label, exact=True).click()


def _move(page: Any, label: str, then: str) -> None:
    """Press a life-cycle button on the visit page; the next one is offered."""
    _press(page, label)
    page.get_by_role("button", name=then, exact=True).wait_for()


@pytest.mark.django_db(transaction=True)
def test_visit_journey(journey, login, live_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    institution = journey["institution"]
    team = journey["team"]
    today = timezone.localdate()

    # ---- The coordinator plans the visit.
    coordinator = login("coordinator@test.vigil")
    page = coordinator
    page.goto(f"{base}/visits/new/")
    assert _axe(page) == []
    page.select_option("#id_type", "planned")
    page.fill("#id_title", TITLE)
    page.fill("#id_institutions", "EC-166")
    option = page.locator(f"#institutions-option-{institution.public_id}")
    option.check()
    page.fill("#id_planned_start", today.isoformat())
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(rf".*/visits/{UUID}/team/$"))
    visit = Visit.objects.get(title=TITLE)
    assert visit.state == VisitState.DRAFT
    assert list(visit.institutions.all()) == [institution]
    assert _axe(page) == []

    for participant in team.values():
        page.check(f"#member-{participant.public_id}")
    page.select_option("#id_lead", str(team["monitor"].public_id))
    page.get_by_role("button", name="Save the team").click()
    page.wait_for_url(f"{base}/visits/{visit.public_id}/")
    assert page.get_by_test_id("visit-team").inner_text().count(",") == 2
    assert _axe(page) == []

    _move(page, "Put in the plan", then="Mark prepared")
    _move(page, "Mark prepared", then="Start the visit")
    _move(page, "Start the visit", then="End the visit (debriefed)")
    visit.refresh_from_db()
    assert visit.state == VisitState.ON_SITE
    assert list(visit.transitions.values_list("to_state", flat=True)) == [
        VisitState.PLANNED,
        VisitState.PREPARED,
        VisitState.ON_SITE,
    ]
    assert _axe(page) == []

    # ---- The team lead, on a phone, fills part of the checklist.
    monitor = login("monitor@test.vigil", phone=True)
    page = monitor
    page.goto(f"{base}/visits/{visit.public_id}/checklists/")
    assert _axe(page) == []
    page.get_by_role("button", name=re.compile("Start the checklist")).click()
    page.wait_for_url(re.compile(rf".*/visits/{visit.public_id}/checklists/{UUID}/.*"))
    first_theme = page.locator("#theme-select").input_value()
    questions = list(
        ChecklistQuestion.objects.filter(
            template__category=institution.type.category,
            theme=first_theme,
            kind=QuestionKind.YES_NO_PARTIAL,
            is_active=True,
        ).order_by("order", "id")[:2]
    )
    assert len(questions) == 2
    for question, answer in zip(questions, ("No", "Partly"), strict=True):
        page.locator(f"#q-{question.code}").get_by_text(answer, exact=True).click()
        page.get_by_test_id(f"status-{question.code}").get_by_text("Saved at").wait_for()
    assert _axe(page) == []
    answers = ChecklistAnswer.objects.filter(response__visit=visit)
    assert sorted(str(v) for v in answers.values_list("value", flat=True)) == ["no", "partial"]
    total = ChecklistQuestion.objects.filter(template__category="penal", is_active=True).count()
    assert answers.count() < total  # saved part-way

    # ---- A finding in Kazakh, with a photo.
    page.goto(f"{base}/visits/{visit.public_id}/findings/new/")
    assert _axe(page) == []
    page.select_option("#id_theme", "T3")
    page.select_option("#id_severity", "serious")
    page.fill("#id_title", FINDING_TITLE)
    page.fill("#id_description", FINDING_TEXT)
    for kind in ("Observation", "Photo"):
        page.locator("label.btn", has_text=kind).click()
    page.fill("#id_standard_references", "Nelson Mandela Rules 13, 14")
    page.select_option("#id_root_cause", "resources")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(rf".*/visits/findings/{UUID}/$"))
    finding = Finding.objects.get(visit=visit)
    assert finding.evidence_kinds == ["observation", "photo"]
    assert _axe(page) == []

    page.get_by_role("link", name="Add a photo or document").click()
    page.wait_for_url(re.compile(rf".*/visits/{visit.public_id}/attachments/\?finding=.*"))
    photo = tmp_path / "IMG_2041.jpg"
    photo.write_bytes(_jpeg_with_gps())
    page.set_input_files("#id_file", str(photo))
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("link", name="IMG_2041.jpg", exact=True).wait_for()
    assert _axe(page) == []
    attachment = Attachment.objects.get(visit=visit)
    assert attachment.finding == finding
    download = page.request.get(f"{base}/visits/attachments/{attachment.public_id}/download/")
    assert download.status == 200
    assert not Image.open(io.BytesIO(download.body())).getexif()

    # ---- An interview.
    page.goto(f"{base}/visits/{visit.public_id}/interviews/new/")
    assert _axe(page) == []
    page.fill("#id_pseudonym", "Witness K-1")
    page.check("input[name=consent_scopes][value=anonymous_use]")
    page.fill("#id_content", INTERVIEW_TEXT)
    page.fill("#id_identity", "Бауыржан Сейітов, 1990")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(rf".*/visits/interviews/{UUID}/$"))
    interview = Interview.objects.get(visit=visit)
    assert interview.pseudonym == "Witness K-1"
    assert INTERVIEW_TEXT.encode() not in bytes(interview.content_ciphertext)
    assert INTERVIEW_TEXT not in page.content()
    assert _axe(page) == []

    # ---- The lead ends the visit, drafts the report with the finding and submits it.
    page.goto(f"{base}/visits/{visit.public_id}/")
    _press(page, "End the visit (debriefed)")
    visit.refresh_from_db()
    assert visit.state == VisitState.DEBRIEFED
    page.goto(f"{base}/visits/{visit.public_id}/report/")
    page.select_option("#id_language", "kk")
    _press(page, "Start the report")
    page.get_by_role("button", name="Save the draft").wait_for()
    assert _axe(page) == []
    finding_box = page.locator(f"input[name=findings][value='{finding.public_id}']")
    assert finding_box.is_checked()
    page.fill("#id_introduction", "ЕЦ-166/1 мекемесіне превентивтік бару.")
    _press(page, "Save the draft")
    page.get_by_text("The report is saved.").wait_for()
    _press(page, "Submit for review")
    page.get_by_role("button", name="Submit for review").wait_for(state="detached")
    report = VisitReport.objects.get(visit=visit)
    assert report.state == ReportState.REVIEW
    assert list(report.findings.all()) == [finding]

    # ---- The coordinator approves the report and downloads its PDF.
    page = coordinator
    page.goto(f"{base}/visits/{visit.public_id}/report/")
    assert _axe(page) == []
    _press(page, "Approve the report")
    page.get_by_text(re.compile("Approved by")).wait_for()
    report.refresh_from_db()
    visit.refresh_from_db()
    assert report.state == ReportState.APPROVED
    assert visit.state == VisitState.REPORT_APPROVED
    assert _axe(page) == []

    href = page.get_by_role("link", name="Download PDF").get_attribute("href")
    response = page.request.get(f"{base}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(  # noqa: S603 - fixed command on a file this test wrote
        ["/usr/bin/pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert _squeeze(FINDING_TITLE) in _squeeze(text)
    assert _squeeze(FINDING_TEXT) in _squeeze(text)
    assert set(KAZAKH_LETTERS) <= set(text)
    # Interviews never appear in the report: neither content nor pseudonym nor identity.
    assert INTERVIEW_TEXT[:20] not in text
    assert "Witness K-1" not in text
    assert "Сейітов" not in text
