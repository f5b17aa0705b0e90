"""A monitor declares their own leave in the browser (issue 11, capacity and availability):
on their participant page they add a period unavailable for visits with the date pickers,
see it listed, and remove it again. The page passes axe-core (serious and critical)."""

from e2e.browser import axe_violations
from vigil.accounts.models import User
from vigil.people.models import Participant, ParticipantAbsence


def test_a_monitor_declares_and_withdraws_their_leave(  # type: ignore[no-untyped-def]
    participants: dict[str, Participant], users: dict[str, User], login, live_server
) -> None:
    own = participants["monitor"]
    page = login(users["monitor"].email)
    page.goto(f"{live_server.url}/people/{own.public_id}/")
    section = page.get_by_test_id("absences")
    section.wait_for()
    assert "No unavailable period recorded." in section.inner_text()
    assert axe_violations(page) == []
    page.fill("#id_absence-starts_on", "2027-07-01")
    page.fill("#id_absence-ends_on", "2027-07-20")
    with page.expect_navigation():
        page.get_by_role("button", name="Add the period").click()
    assert "Unavailable period added." in page.content()
    absence = ParticipantAbsence.objects.get(participant=own)
    assert (absence.starts_on.isoformat(), absence.ends_on.isoformat()) == (
        "2027-07-01",
        "2027-07-20",
    )
    assert "2027-07-20" in page.get_by_test_id("absences").inner_text()
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_test_id("absences").get_by_role("button", name="Remove").click()
    assert "Unavailable period removed." in page.content()
    assert not ParticipantAbsence.objects.exists()
