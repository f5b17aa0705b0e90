"""On a 360-px phone screen: a monitor records an interview, shows its content (htmx, logged),
unseals the identity with a reason, attaches a photo with GPS EXIF that comes back without
any; the pages pass axe-core, fit the screen and break no Content-Security-Policy rule."""

import io
import os
import re

import pytest
from PIL import Image

from conftest import PASSWORD
from e2e.browser import axe_violations
from vigil.audit.enums import AccessKind
from vigil.audit.models import AccessEvent
from vigil.visits.enums import VisitState
from vigil.visits.models import Attachment, Interview

from .test_attachments import jpeg_with_gps

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.e2e

CONTENT = "Күзетшілер түнде ұрды. Қабырғасы әлі ауырады; дәрігерге жіберілмеді."
IDENTITY = "Бауыржан Өтегенұлы"


@pytest.fixture
def phone(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        locale="en-GB", viewport={"width": 360, "height": 740}, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _fits(page) -> bool:  # type: ignore[no-untyped-def]
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


@pytest.mark.django_db(transaction=True)
def test_monitor_records_an_interview_on_a_phone(phone, live_server, make_visit, tmp_path):
    page = phone
    visit = make_visit(state=VisitState.ON_SITE)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "monitor@test.vigil")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/visits/{visit.public_id}/interviews/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Record an interview").click()
    page.wait_for_url(f"{base}/visits/{visit.public_id}/interviews/new/")
    assert axe_violations(page) == []
    assert _fits(page)

    # "Who else was present" shows only once "held in private" is unticked.
    assert not page.locator("#id_present_persons").is_visible()
    page.uncheck("#id_in_private")
    assert page.locator("#id_present_persons").is_visible()
    page.fill("#id_present_persons", "a guard at the door")
    page.fill("#id_pseudonym", "Witness Ә")
    page.check("input[name=consent_scopes][value=anonymous_use]")
    page.check("input[name=vulnerabilities][value=disability]")
    page.check("#id_alleges_ill_treatment")
    page.check("input[name=reprisal_risk][value=high]")
    page.fill("#id_content", CONTENT)
    page.fill("#id_identity", IDENTITY)
    page.get_by_role("button", name="Save").click()
    # Sent in the background (offline-forms.js), then the interview's page opens.
    page.wait_for_url(re.compile(r".*/visits/interviews/[0-9a-f-]{36}/$"))
    interview = Interview.objects.get(pseudonym="Witness Ә")
    assert page.url == f"{base}/visits/interviews/{interview.public_id}/"

    # Neither the content nor the identity is on the page yet.
    assert CONTENT not in page.content()
    assert IDENTITY not in page.content()
    assert axe_violations(page) == []
    assert _fits(page)

    page.get_by_role("button", name="Show content").click()
    page.get_by_text("Your reading has been logged.").wait_for()
    assert "Күзетшілер түнде ұрды." in page.locator("#interview-content").inner_text()
    assert AccessEvent.objects.filter(kind=AccessKind.INTERVIEW_READ).count() == 1

    page.fill("#id_reason", "Referral to the prosecutor")
    page.get_by_role("button", name="Unseal").click()
    page.get_by_text(IDENTITY).wait_for()
    unseal = AccessEvent.objects.get(kind=AccessKind.IDENTITY_UNSEALED)
    assert unseal.reason == "Referral to the prosecutor"
    assert axe_violations(page) == []

    # A photo with its GPS position, attached to the interview.
    page.get_by_role("link", name="Add a photo or document").click()
    photo = tmp_path / "IMG_0042.jpg"
    photo.write_bytes(jpeg_with_gps())
    page.set_input_files("#id_file", str(photo))
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("link", name="IMG_0042.jpg", exact=True).wait_for()
    assert axe_violations(page) == []
    assert _fits(page)
    attachment = Attachment.objects.get()
    assert attachment.interview == interview
    response = page.request.get(f"{base}/visits/attachments/{attachment.public_id}/download/")
    assert response.status == 200
    data = response.body()
    assert b"Exif" not in data
    assert not Image.open(io.BytesIO(data)).getexif()
