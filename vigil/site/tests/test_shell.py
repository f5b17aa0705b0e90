"""The site shell: the menu and the home page assembled from what each app contributes."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from vigil.core import contributions
from vigil.core.contributions import HomeBlock, MenuEntry, PageSection
from vigil.site.navigation import navigation_for

MENU = {
    "admin": ["home", "visit_list", "plan_detail", "recommendations", "tallies", "international", "people",
              "analysis", "annual_reports", "registry", "import", "audit", "users"],
    "coordinator": ["home", "visit_list", "plan_detail", "recommendations", "tallies", "international", "appeals",
                    "referrals", "cases", "accountability", "incidents", "follow_ups",
                    "appeals_funnel", "people", "analysis", "annual_reports", "registry", "import", "audit"],
    "regional": ["home", "visit_list", "plan_detail", "recommendations", "tallies", "international", "appeals",
                 "referrals", "cases", "accountability", "incidents", "follow_ups",
                 "appeals_funnel", "people", "analysis", "annual_reports", "registry"],
    "monitor": ["home", "mine", "visit_list", "recommendations", "tallies", "international", "appeals",
                "referrals", "cases", "accountability", "incidents", "follow_ups", "analysis", "registry"],
    "liaison": ["home", "visit_list", "portal_list", "international", "analysis", "registry"],
    "auditor": ["home", "visit_list", "plan_detail", "recommendations", "tallies", "international", "appeals",
                "referrals", "cases", "accountability", "incidents", "follow_ups",
                "appeals_funnel", "people", "analysis", "annual_reports", "registry", "audit"],
}  # fmt: skip

# data-testid (or heading) of each home block, by the roles that get it
BLOCKS = {
    'data-testid="planner-work"': {"admin", "coordinator", "regional"},
    'data-testid="portal-home"': {"liaison"},
    'data-testid="tallies-home"': {"admin", "coordinator", "regional", "monitor", "auditor"},
    'data-testid="my-work"': {"monitor"},
    'data-testid="appeals-home"': {"coordinator", "regional"},
    'data-testid="institution-total"': set(MENU),
    "Recent access to sensitive data": {"admin", "coordinator", "auditor"},
    "Recent changes": {"auditor"},
}


@pytest.mark.parametrize("actor", list(MENU))
def test_menu_by_role(users, participants, actor):
    assert [item.key for item in navigation_for(users[actor])] == MENU[actor]


def test_menu_is_empty_for_anonymous(db):
    from django.contrib.auth.models import AnonymousUser

    assert navigation_for(AnonymousUser()) == []
    assert navigation_for(None) == []


@pytest.mark.parametrize("actor", list(MENU))
def test_home_blocks_by_role(client_for, participants, actor):
    body = client_for(actor).get("/").content.decode()
    for marker, roles in BLOCKS.items():
        assert (marker in body) == (actor in roles), marker


@pytest.mark.parametrize("actor", list(MENU))
def test_menu_renders_each_entry_once(client_for, participants, actor):
    body = client_for(actor).get("/").content.decode()
    for item in navigation_for(client_for(actor).get("/").wsgi_request.user):
        assert body.count(f'href="{item.url}"') >= 1


def test_a_contribution_cannot_be_registered_twice_under_one_name():
    def never(user):
        return False

    entry = MenuEntry("probe", "Probe", "site:home", 999, never)
    contributions.register_menu_entry(entry)
    try:
        contributions.register_menu_entry(entry)  # the same entry again: harmless
        with pytest.raises(ImproperlyConfigured):
            contributions.register_menu_entry(MenuEntry("probe", "Other", "site:home", 1, never))
        block = HomeBlock("probe", "site/_home_audit.html", 999, lambda user: None)
        contributions.register_home_block(block)
        with pytest.raises(ImproperlyConfigured):
            contributions.register_home_block(HomeBlock("probe", "x.html", 1, lambda user: None))
    finally:
        contributions._registry.menu.pop("probe", None)
        contributions._registry.home.pop("probe", None)


def test_page_sections_in_order_and_only_for_whom_they_are(db):
    page = "probe.page"
    contributions.register_page_section(
        page, PageSection("b", "b.html", 20, lambda user, obj: {"b": obj})
    )
    contributions.register_page_section(
        page, PageSection("a", "a.html", 10, lambda user, obj: {"a": user})
    )
    contributions.register_page_section(
        page, PageSection("hidden", "h.html", 5, lambda user, obj: None)
    )
    try:
        context, templates = contributions.page_sections(page, "someone", "thing")
        assert templates == ["a.html", "b.html"]
        assert context == {"a": "someone", "b": "thing"}
        assert contributions.page_sections("no.such.page", "someone", "thing") == ({}, [])
    finally:
        contributions._registry.sections.pop(page)


@pytest.mark.parametrize("actor", ["coordinator", "auditor", "monitor"])
def test_participant_page_has_the_visits_section(client_for, participants, make_visit, actor):
    """The visits app contributes the participant's visits to the participant's page."""
    visit = make_visit()
    participant = participants["monitor"]
    response = client_for(actor).get(f"/people/{participant.public_id}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="visits-heading"' in body
    assert visit.reference in body


@pytest.mark.parametrize("actor", ["coordinator", "monitor", "liaison"])
def test_casework_entries_fold_into_one_drop_down(client_for, participants, actor):
    """The appeals area's seven pages are one drop-down of the main menu (a liaison has
    none of them); the page open is marked in it."""
    from vigil.site.navigation import NavGroup, navigation_menu

    user = client_for(actor).get("/").wsgi_request.user
    groups = [
        entry
        for entry in navigation_menu(user)
        if isinstance(entry, NavGroup) and str(entry.label) == "Appeals and cases"
    ]
    if actor == "liaison":
        assert groups == []
        return
    assert len(groups) == 1
    assert groups[0].items[0].key == "appeals"
    html = client_for(actor).get("/appeals/incidents/").content.decode()
    assert 'class="dropdown-item active" href="/appeals/incidents/" aria-current="page"' in html


@pytest.mark.parametrize(
    ("actor", "items"),
    [
        ("coordinator", ["analysis", "annual_reports"]),
        ("auditor", ["analysis", "annual_reports"]),
        ("liaison", ["analysis"]),
    ],
)
def test_analysis_pages_fold_into_one_drop_down(client_for, participants, actor, items):
    """The dashboards and the annual reports are one drop-down, "Analysis" (a liaison gets the
    dashboards only: its agency's recommendation figures)."""
    from vigil.site.navigation import NavGroup, navigation_menu

    user = client_for(actor).get("/").wsgi_request.user
    menu = navigation_menu(user)
    keys = [
        item.key
        for entry in menu
        if isinstance(entry, NavGroup) and str(entry.label) == "Analysis"
        for item in entry.items
    ] + [getattr(entry, "key", None) for entry in menu if not isinstance(entry, NavGroup)]
    assert [key for key in keys if key in ("analysis", "annual_reports")] == items
