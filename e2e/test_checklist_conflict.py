"""An answer typed offline meets a teammate's newer answer (docs/offline.md, "Conflicts"): when
the phone is back online the queued answer is refused (409), the page shows both answers, the
teammate's stays saved, and "Save mine instead" replaces it knowingly."""

import re

import pytest
from playwright.sync_api import expect

from e2e.browser import axe_violations
from e2e.test_checklist_phone import (  # noqa: F401 (fixtures)
    monitor_starts_the_checklist,
    phone,
    saved,
    stored,
    visit,
)
from vigil.accounts.models import User
from vigil.visits.models import ChecklistQuestion, ChecklistResponse
from vigil.visits.services.checklists import checklist_answer

CODE = "PEN-T1-04"  # yes / no / partly


def no_queue(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(
        "() => !Object.keys(localStorage).some((k) => k.startsWith('vigil:sealed:'))"
    )


@pytest.mark.django_db(transaction=True)
def test_an_offline_answer_meeting_a_teammates_shows_both_and_keeps_mine_on_request(  # type: ignore[no-untyped-def]
    phone,  # noqa: F811
    live_server,
    visit,  # noqa: F811
):
    page = phone
    monitor_starts_the_checklist(page, live_server.url, visit)

    # Offline, the monitor answers "No": kept on the phone, not sent.
    status = page.get_by_test_id(f"status-{CODE}")
    page.context.set_offline(True)
    page.click(f"label[for='id_value-{CODE}_1']")  # "No"
    expect(status.get_by_text("Not sent: no connection")).to_be_visible()
    assert stored(CODE) is None

    # Meanwhile the team lead, online, saves "Yes" to the same question.
    response = ChecklistResponse.objects.get(visit=visit)
    checklist_answer(
        actor=User.objects.get(email="lead@test.vigil"),
        response=response,
        question=ChecklistQuestion.objects.get(template=response.template_id, code=CODE),
        value="yes",
    )

    # Back online: the queued answer is refused, both are shown, theirs stays saved.
    page.context.set_offline(False)
    conflict = status.locator("[data-conflict]")
    expect(conflict).to_be_visible()
    expect(conflict).to_have_text(
        re.compile(r"^Not saved: lead saved another answer at \d\d:\d\d\.$")
    )
    expect(status.get_by_text("Saved answer: «Yes».")).to_be_visible()
    expect(status.get_by_text("Your answer, not saved: «No».")).to_be_visible()
    mine = status.get_by_role("button", name="Save mine instead")
    expect(mine).to_be_visible()
    expect(status.get_by_role("button", name="Keep theirs")).to_be_visible()
    assert page.locator(f"#id_value-{CODE}_1").is_checked()  # mine still in the page
    assert stored(CODE) == "yes"
    assert page.evaluate(  # and still queued on the phone until a choice is made
        "() => Object.keys(localStorage).some((k) => k.startsWith('vigil:sealed:'))"
    )
    assert axe_violations(page) == []

    # "Save mine instead": sent again from their revision, saved, the conflict gone.
    mine.click()
    saved(page, CODE)
    expect(conflict).to_have_count(0)
    assert stored(CODE) == "no"
    no_queue(page)

    # A reload shows mine, saved, with no conflict.
    page.reload()
    assert page.locator(f"#id_value-{CODE}_1").is_checked()
    expect(status.locator("[data-conflict]")).to_have_count(0)
    expect(status.get_by_text(re.compile("Last saved by"))).to_be_visible()
