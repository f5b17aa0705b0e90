"""A checklist filled with the connection cut (issue 12, point 4): answers typed offline are
kept sealed on the phone (no answer readable in localStorage, IndexedDB or the kept pages),
the page reloads offline from the service worker's sealed copy with the answers put back, the
queue is sent once the phone is back online (each answer saved exactly once), and sign-out
erases everything the session kept."""

import re

import pytest

from e2e.browser import log_out
from e2e.test_checklist_phone import (  # noqa: F401 (fixtures)
    monitor_starts_the_checklist,
    phone,
    saved,
    stored,
    visit,
)
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent

ONLINE = "PEN-T1-01"  # yes / no / partly
OFFLINE = "PEN-T1-04"  # yes / no / partly, answered with the connection cut
NUMBER = "PEN-T1-03"
TEXT = "PEN-T8-01"
SECRET = "Камерада 14 адам; терезе жабық."

READ_ALL = """async () => {
  const out = [JSON.stringify(localStorage)];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const bytes = new Uint8Array(await (await cache.match(request)).arrayBuffer());
      out.push(new TextDecoder().decode(bytes));
    }
  }
  out.push(JSON.stringify(await indexedDB.databases()));
  return out.join("\\n");
}"""


def saves(code: str) -> int:
    return AuditEvent.objects.filter(
        action=AuditAction.CHECKLIST_ANSWERED, data__question=code
    ).count()


def copy_ready(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector("html[data-offline-copy=ready]", state="attached")


@pytest.mark.django_db(transaction=True)
def test_a_checklist_filled_offline_is_sealed_reloaded_and_saved_once(phone, live_server, visit):  # type: ignore[no-untyped-def]  # noqa: F811
    page = phone
    base = live_server.url
    fill_url = monitor_starts_the_checklist(page, base, visit)

    # Online: saved at once, and the kept copy refreshed.
    page.click(f"label[for='id_value-{ONLINE}_1']")  # "No"
    saved(page, ONLINE)
    copy_ready(page)

    # The connection is cut: more answers, kept on the phone, sealed.
    page.context.set_offline(True)
    page.click(f"label[for='id_value-{OFFLINE}_0']")  # "Yes"
    page.fill(f"#id_value-{NUMBER}", "14")
    page.press(f"#id_value-{NUMBER}", "Tab")
    page.get_by_test_id(f"status-{NUMBER}").get_by_text("Not sent: no connection").wait_for()
    # Another theme, opened offline from the kept copy.
    page.goto(f"{fill_url}?theme=T8")
    page.fill(f"#id_value-{TEXT}", SECRET)
    page.press(f"#id_value-{TEXT}", "Tab")
    page.get_by_test_id(f"status-{TEXT}").get_by_text("Not sent: no connection").wait_for()
    assert stored(OFFLINE) is None
    assert stored(TEXT) is None

    # Reloaded offline: served by the service worker, the answers put back.
    reloaded = page.reload()
    assert reloaded is not None
    assert reloaded.headers.get("x-vigil-served") == "offline-copy"
    page.wait_for_selector("html[data-restored=yes]", state="attached")
    assert page.locator(f"#id_value-{TEXT}").input_value() == SECRET
    page.get_by_test_id(f"status-{TEXT}").get_by_text("Restored from this device").wait_for()
    page.goto(f"{fill_url}?theme=T1")
    page.wait_for_selector("html[data-restored=yes]", state="attached")
    assert page.locator(f"#id_value-{OFFLINE}_0").is_checked()
    assert page.locator(f"#id_value-{ONLINE}_1").is_checked()
    assert page.locator(f"#id_value-{NUMBER}").input_value() == "14"

    # Nothing readable on the phone: not in localStorage, nor in the kept pages.
    kept = page.evaluate(READ_ALL)
    assert "vigil:sealed:checklist:" in kept
    assert SECRET not in kept
    assert '"14"' not in page.evaluate("JSON.stringify(localStorage)")
    assert "vigil-secure" in kept

    # Back online: the queue is sent, every answer saved exactly once.
    page.context.set_offline(False)
    page.wait_for_function(
        "() => !Object.keys(localStorage).some((k) => k.startsWith('vigil:sealed:'))"
    )
    assert stored(ONLINE) == "no"
    assert stored(OFFLINE) == "yes"
    assert stored(NUMBER) == 14
    assert stored(TEXT) == SECRET
    for code in (ONLINE, OFFLINE, NUMBER, TEXT):
        assert saves(code) == 1, code

    # Sign-out erases the queue, the key and the kept pages.
    page.goto(f"{base}/")
    log_out(page)
    page.wait_for_url(re.compile(r".*/accounts/login/"))
    page.wait_for_function("() => !Object.keys(localStorage).some((k) => k.startsWith('vigil:'))")
    page.wait_for_function(
        "async () => (await caches.keys()).length === 0 && "
        "!(await indexedDB.databases()).some((d) => d.name === 'vigil-secure')"
    )
