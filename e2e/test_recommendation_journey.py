"""Recommendations end to end, in the browser (issue 4).

A visit report is approved with two findings at a colony of the penitentiary committee
(MVD-KUIS); an older recommendation to the same subtree is overdue and one is addressed to the
Ministry of Health. The coordinator drafts two recommendations from the report's issuing page
and issues them all; the committee's liaison sees exactly its subtree's recommendations on
"Our recommendations" (not the Ministry of Health's), answers one (letter, date, measures,
"implemented", a PDF as evidence) and sees the response listed; a monitor disputes the claim
with reasons; the coordinator escalates the overdue recommendation in Russian and downloads
the letter, whose text cites the original's reference. The portal list, the response form and
the recommendation pages pass axe-core (serious and critical) and break no
Content-Security-Policy rule.
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
from vigil.core.tests.pdfs import pdf_bytes
from vigil.recommendations.enums import ClaimedStatus, Level, Source, State, Verdict
from vigil.recommendations.models import Recommendation
from vigil.visits.enums import ReportState, Severity, Theme, VisitState, VisitType
from vigil.visits.models import AnnualPlan, Finding, Visit, VisitReport

TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=90)
FINDINGS = ("Cells without working ventilation", "No psychologist on the colony's staff")
DRAFTS = (
    ("MVD-KUIS-71", "T3", "Repair the ventilation of every cell of the colony."),
    ("MVD-KUIS", "T5", "Hire a psychologist for each colony of the committee."),
)
LETTER_NUMBER = "KUIS-4471"
MEASURES = "The ventilation of all cells was repaired by the contractor in the spring."
DISPUTE_REASONS = "At the follow-up visit the ventilation of block 2 still did not work."
PDF_BYTES = pdf_bytes("Ventilation repaired")


def _recommendation(users: dict[str, User], **fields: Any) -> Recommendation:
    data: dict[str, Any] = {
        "source": Source.THEMATIC_REPORT,
        "theme": Theme.T3,
        "level": Level.INSTITUTIONAL,
        "indicator": "Checked at the next visit.",
        "state": State.AWAITING_RESPONSE,
        "created_by": users["coordinator"],
    }
    data.update(fields)
    data.setdefault("state_changed_on", data.get("issued_on"))
    return Recommendation.objects.create(**data)


@pytest.fixture
def world(
    ref: dict[str, Any], users: dict[str, User], make_institution: Callable[..., Any]
) -> dict[str, Any]:
    """An approved visit report with two findings at a colony of MVD-KUIS-71, an overdue
    recommendation to the same department, and one to the Ministry of Health."""
    colony = make_institution(external_code="KZ71-COL-0004", name_en="Colony No. 4")
    plan, _ = AnnualPlan.objects.get_or_create(year=TODAY.year)
    visit = Visit.objects.create(
        reference=f"T-{TODAY.year}-0404",
        plan=plan,
        type=VisitType.PLANNED,
        state=VisitState.REPORT_APPROVED,
        title="Visit to colony No. 4",
        region=colony.region,
        planned_start=PAST,
        started_at=timezone.now() - datetime.timedelta(days=30),
        created_by=users["coordinator"],
    )
    visit.institutions.add(colony)
    for title, theme, severity in zip(
        FINDINGS, (Theme.T3, Theme.T5), (Severity.SERIOUS, Severity.CRITICAL), strict=True
    ):
        Finding.objects.create(
            visit=visit,
            institution=colony,
            theme=theme,
            severity=severity,
            title=title,
            description="Seen during the visit.",
            created_by=users["coordinator"],
        )
    report = VisitReport.objects.create(
        visit=visit, language="en", state=ReportState.APPROVED, created_by=users["coordinator"]
    )
    report.findings.set(visit.findings.all())
    overdue = _recommendation(
        users,
        reference="T-REC-000101",
        addressee=ref["kuis_71"],
        institution=colony,
        text="Repair the heating of the punishment cells.",
        issued_on=PAST - datetime.timedelta(days=30),
        deadline=PAST,
    )
    health = _recommendation(
        users,
        reference="T-REC-000102",
        addressee=ref["moh"],
        theme=Theme.T5,
        text="Provide psychiatric care in every colony.",
        issued_on=TODAY - datetime.timedelta(days=10),
        deadline=TODAY + datetime.timedelta(days=60),
    )
    return {"colony": colony, "visit": visit, "overdue": overdue, "health": health}


def _press(page: Any, label: str) -> None:
    """Press a button that posts a form, and wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name=label, exact=True).click()


def _squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.mark.django_db(transaction=True)
def test_recommendation_journey(  # type: ignore[no-untyped-def]
    world, users, login, live_server, tmp_path: Path
) -> None:
    base = live_server.url
    visit: Visit = world["visit"]
    overdue: Recommendation = world["overdue"]
    health: Recommendation = world["health"]

    # ---- 1. The coordinator drafts two recommendations from the approved report, issues all.
    coordinator = login(users["coordinator"].email)
    coordinator.goto(f"{base}/recommendations/issue/{visit.public_id}/")
    coordinator.get_by_role("link", name="Draft a recommendation", exact=True).click()
    coordinator.wait_for_url(f"{base}/recommendations/issue/{visit.public_id}/new/")
    for n, ((addressee, theme, text), finding) in enumerate(zip(DRAFTS, FINDINGS, strict=True)):
        coordinator.select_option("#id_addressee", addressee)
        coordinator.select_option("#id_theme", theme)
        coordinator.get_by_label(finding).check()
        coordinator.fill("#id_text", text)
        coordinator.fill("#id_indicator", "Seen working at the follow-up visit.")
        last = n == len(DRAFTS) - 1
        _press(coordinator, "Save draft" if last else "Save and add another")
        if not last:
            coordinator.wait_for_url(f"{base}/recommendations/issue/{visit.public_id}/new/")
            assert coordinator.input_value("#id_text") == ""
    coordinator.wait_for_url(f"{base}/recommendations/issue/{visit.public_id}/")
    assert coordinator.locator("[data-testid=drafts] tbody tr").count() == len(DRAFTS)
    with coordinator.expect_navigation():
        coordinator.get_by_test_id("issue-all").click()
    coordinator.locator("[data-testid=issued] tbody tr").nth(len(DRAFTS) - 1).wait_for()
    assert coordinator.get_by_test_id("drafts").count() == 0
    issued = list(Recommendation.objects.filter(visit=visit).order_by("id"))
    assert [rec.text for rec in issued] == [text for _, _, text in DRAFTS]
    assert all(rec.state != State.DRAFT and rec.issued_on == TODAY for rec in issued)
    assert [f.title for rec in issued for f in rec.findings.all()] == list(FINDINGS)

    # ---- 2. The liaison sees its subtree's recommendations and answers one.
    liaison = login(users["liaison"].email)
    liaison.get_by_role("link", name="Our recommendations").first.click()
    liaison.wait_for_url(f"{base}/recommendations/portal/")
    rows = liaison.locator("#portal-results tbody tr[data-reference]")
    rows.nth(len(issued)).wait_for()
    listed = set(rows.evaluate_all("rows => rows.map(r => r.dataset.reference)"))
    assert listed == {rec.reference for rec in issued} | {overdue.reference}
    assert health.reference not in liaison.locator("#portal-results").inner_text()
    assert axe_violations(liaison) == []

    answered = issued[0]
    liaison.get_by_role("link", name=answered.reference, exact=True).click()
    liaison.wait_for_url(f"{base}/recommendations/portal/{answered.public_id}/")
    assert axe_violations(liaison) == []
    liaison.get_by_test_id("answer").click()
    liaison.wait_for_url(f"{base}/recommendations/{answered.public_id}/responses/new/")
    assert axe_violations(liaison) == []
    evidence = tmp_path / "repair-act.pdf"
    evidence.write_bytes(PDF_BYTES)
    liaison.fill("#id_letter_number", LETTER_NUMBER)
    liaison.fill("#id_letter_date", TODAY.isoformat())
    liaison.check(f"input[name=claimed_status][value={ClaimedStatus.IMPLEMENTED}]")
    liaison.fill("#id_measures", MEASURES)
    liaison.set_input_files("#id_attachments", str(evidence))
    _press(liaison, "Submit the response")
    liaison.wait_for_url(f"{base}/recommendations/portal/{answered.public_id}/")
    response = liaison.get_by_test_id("response")
    assert response.count() == 1
    assert LETTER_NUMBER in response.inner_text()
    assert MEASURES in response.inner_text()
    assert response.locator(f"[data-claim={ClaimedStatus.IMPLEMENTED}]").count() == 1
    assert response.get_by_test_id("response-attachment").inner_text() == evidence.name
    assert axe_violations(liaison) == []
    answered.refresh_from_db()
    assert answered.claimed_status == ClaimedStatus.IMPLEMENTED

    # ---- 3. A monitor disputes the claim, with reasons.
    monitor = login(users["monitor"].email)
    monitor.goto(f"{base}/recommendations/{answered.public_id}/")
    assert "Implemented" in monitor.get_by_test_id("claimed-status").inner_text()
    assert axe_violations(monitor) == []
    monitor.get_by_role("link", name="Assess", exact=True).click()
    monitor.wait_for_url(f"{base}/recommendations/{answered.public_id}/assess/")
    monitor.select_option("#id_verdict", Verdict.DISPUTE.value)
    monitor.fill("#id_reasons", DISPUTE_REASONS)
    _press(monitor, "Record the assessment")
    monitor.wait_for_url(f"{base}/recommendations/{answered.public_id}/")
    assert "disputed" in monitor.get_by_test_id("assessed-verdict").inner_text().lower()
    assert DISPUTE_REASONS in monitor.get_by_test_id("assessments").inner_text()
    assert axe_violations(monitor) == []
    answered.refresh_from_db()
    assert answered.assessed_verdict == Verdict.DISPUTE

    # ---- 4. The coordinator escalates the overdue recommendation and downloads the letter.
    coordinator.goto(f"{base}/recommendations/{overdue.public_id}/")
    coordinator.get_by_test_id("escalate").click()
    coordinator.wait_for_url(f"{base}/recommendations/escalate/?rec={overdue.public_id}")
    coordinator.select_option("#id_language", "ru")
    _press(coordinator, "Escalate")
    escalation = Recommendation.objects.get(source=Source.ESCALATION)
    coordinator.wait_for_url(f"{base}/recommendations/{escalation.public_id}/letter/")
    overdue.refresh_from_db()
    assert overdue.state == State.ESCALATED
    assert list(escalation.escalates.all()) == [overdue]
    link = coordinator.locator("[data-testid=letter-downloads] li").first.get_by_role(
        "link", name="PDF"
    )
    assert (link.get_attribute("href") or "").endswith("language=ru")
    with coordinator.expect_download() as download_info:
        link.click()
    letter = tmp_path / "letter.pdf"
    download_info.value.save_as(letter)
    assert letter.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(  # noqa: S603 - fixed command on a file this test wrote
        ["/usr/bin/pdftotext", "-enc", "UTF-8", str(letter), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert overdue.reference in _squeeze(text)
    assert escalation.reference in _squeeze(text)
