"""The menu fits laptop widths: with the menu unfolded (from 992 px), a signed-in page never
scrolls sideways, whatever the role's number of menu entries; the entries wrap instead."""

import pytest

from e2e.test_checklist_phone import no_horizontal_overflow


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ["coordinator", "monitor"])
def test_the_menu_wraps_instead_of_overflowing(login, live_server, users, role):  # type: ignore[no-untyped-def]
    page = login(f"{role}@test.vigil")
    for width in (992, 1100, 1280, 1400):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_server.url}/")
        assert no_horizontal_overflow(page), width
        assert page.locator("#main-nav").is_visible()
