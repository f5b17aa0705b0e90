"""The recommendations app's lists: who opens each page and its export, what a liaison's and
a regional representative's exports hold, the escalations-due queue (order, filters, cost per
page), the liaison's home figures (each equals the list it links to) and the tallies in the
NPM's menu and home."""

import csv
import datetime
import io
import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import ALL_ACTORS
from vigil.recommendations.enums import State
from vigil.recommendations.models import Recommendation

pytestmark = pytest.mark.django_db

ACTORS = [*ALL_ACTORS, "other_liaison"]
TODAY = timezone.localdate()
NPM_READERS = {"admin", "coordinator", "monitor", "auditor", "regional"}

PAGES = {
    "/recommendations/": {*NPM_READERS, "liaison", "other_liaison"},
    "/recommendations/portal/": {"liaison", "other_liaison"},
    "/recommendations/escalations/": {"coordinator", "regional"},
    "/recommendations/tallies/": {*NPM_READERS, "liaison", "other_liaison"},
    "/recommendations/systemic/": NPM_READERS,
    "/recommendations/issue/": {"admin", "coordinator", "regional"},
}


def _rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
@pytest.mark.parametrize("path", list(PAGES))
@pytest.mark.parametrize("actor", ACTORS)
def test_who_opens_each_list_and_its_export(
    client_for: Callable[[str], Client],
    make_recommendation: Callable[..., Recommendation],
    actor: str,
    path: str,
    debug: bool,
) -> None:
    make_recommendation()
    client = client_for(actor)
    with override_settings(DEBUG=debug):
        for url in (path, f"{path}?export=csv"):
            response = client.get(url)
            if actor == "anonymous":
                assert response.status_code == 302, url
            elif actor in PAGES[path]:
                assert response.status_code == 200, url
            else:
                assert response.status_code == 403, url


def test_liaison_exports_only_its_agency_and_no_npm_names(
    client_for: Callable[[str], Client],
    make_recommendation: Callable[..., Recommendation],
    ref: dict[str, Any],
) -> None:
    ours = make_recommendation()
    theirs = make_recommendation(addressee=ref["moh"])
    make_recommendation(state=State.DRAFT)
    npm = _rows(client_for("coordinator").get("/recommendations/?export=csv"))
    assert "created_by" in npm[0]
    assert len(npm) - 1 == 3
    for path in ("/recommendations/?export=csv", "/recommendations/portal/?export=csv"):
        rows = _rows(client_for("liaison").get(path))
        assert "created_by" not in rows[0]
        assert [row[0] for row in rows[1:]] == [ours.reference]
        other = _rows(client_for("other_liaison").get(path))
        assert [row[0] for row in other[1:]] == [theirs.reference]


def _overdue(make: Callable[..., Recommendation], days: int, **fields: Any) -> Recommendation:
    deadline = TODAY - datetime.timedelta(days=days)
    return make(issued_on=deadline - datetime.timedelta(days=30), deadline=deadline, **fields)


def test_queue_is_most_overdue_first_with_names(
    client_for: Callable[[str], Client], make_recommendation: Callable[..., Recommendation]
) -> None:
    recent = _overdue(make_recommendation, 20)
    oldest = _overdue(make_recommendation, 400)
    middle = _overdue(make_recommendation, 90)
    response = client_for("coordinator").get("/recommendations/escalations/")
    assert [row.rec for row in response.context["rows"]] == [oldest, middle, recent]
    assert oldest.addressee.name in response.content.decode()
    assert response.context["rows"][0].days_overdue == 400
    rows = _rows(client_for("coordinator").get("/recommendations/escalations/?export=csv"))
    assert [row[0] for row in rows[1:]] == [oldest.reference, middle.reference, recent.reference]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("overdue_days=100", {"oldest"}),
        ("overdue_days=30", {"oldest", "police"}),
        ("agency=MVD-KUIS", {"oldest", "recent"}),
        ("agency=MVD", {"oldest", "recent", "police", "almaty", "refused"}),
        ("theme=T5", {"police"}),
        ("agency=MVD-POLICE&overdue_days=1", {"police", "almaty"}),
        ("region=KZ-75", {"almaty"}),
        ("reason=not_accepted", {"refused"}),
        ("level=systemic", {"recent"}),
    ],
)
def test_queue_filters(
    client_for: Callable[[str], Client],
    make_recommendation: Callable[..., Recommendation],
    make_institution: Callable[..., Any],
    ref: dict[str, Any],
    query: str,
    expected: set[str],
) -> None:
    made = {
        "oldest": _overdue(make_recommendation, 400),
        "recent": _overdue(make_recommendation, 10, level="systemic"),
        "police": _overdue(make_recommendation, 60, addressee=ref["police"], theme="T5"),
        "almaty": _overdue(
            make_recommendation,
            5,
            addressee=ref["police"],
            institution=make_institution(region=ref["almaty"]),
        ),
        "refused": make_recommendation(
            addressee=ref["police"], state=State.NOT_ACCEPTED, deadline=TODAY
        ),
    }
    response = client_for("coordinator").get(f"/recommendations/escalations/?{query}")
    shown = {row.rec.pk for row in response.context["rows"]}
    assert shown == {made[name].pk for name in expected}


def test_regional_representative_sees_its_regions_items(
    client_for: Callable[[str], Client],
    make_recommendation: Callable[..., Recommendation],
    make_institution: Callable[..., Any],
    ref: dict[str, Any],
) -> None:
    astana = _overdue(make_recommendation, 30, institution=make_institution())
    almaty = _overdue(
        make_recommendation,
        30,
        addressee=ref["police"],
        institution=make_institution(region=ref["almaty"]),
    )
    response = client_for("regional").get("/recommendations/escalations/")
    shown = {row.rec for row in response.context["rows"]}
    assert astana in shown
    assert almaty not in shown
    assert response.context["can_escalate"] is False
    rows = _rows(client_for("regional").get("/recommendations/escalations/?export=csv"))
    assert almaty.reference not in {row[0] for row in rows}


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_queue_costs_the_same_queries_for_5_or_120_rows(
    client_for: Callable[[str], Client],
    make_recommendation: Callable[..., Recommendation],
    make_institution: Callable[..., Any],
) -> None:
    client = client_for("coordinator")
    for n in range(5):
        _overdue(make_recommendation, 10 + n, institution=make_institution())
    few = _queries(client, "/recommendations/escalations/")
    for n in range(115):
        _overdue(make_recommendation, 100 + n, institution=make_institution())
    assert _queries(client, "/recommendations/escalations/") == few
    assert _queries(client, "/recommendations/escalations/?page=3") == few


def test_home_figures_equal_the_lists_they_open(
    client_for: Callable[[str], Client], make_recommendation: Callable[..., Recommendation]
) -> None:
    _overdue(make_recommendation, 30)  # awaiting and overdue
    _overdue(make_recommendation, 30, state=State.IN_IMPLEMENTATION)  # overdue, answered
    _overdue(make_recommendation, 30, state=State.IMPLEMENTED_CLAIMED)  # neither
    make_recommendation(deadline=TODAY + datetime.timedelta(days=60))  # awaiting only
    make_recommendation(deadline=TODAY + datetime.timedelta(days=1))  # awaiting, maybe soon
    client = client_for("liaison")
    html = client.get("/").content.decode()
    links = re.findall(r'<a href="([^"]+)" data-figure="(\w+)">(\d+)</a>', html)
    assert {figure for _url, figure, _count in links} == {"awaiting", "overdue", "due_soon"}
    counts = {figure: int(count) for _url, figure, count in links}
    assert counts["awaiting"] == 3
    assert counts["overdue"] == 2
    for url, figure, count in links:
        listed = client.get(unescape(url)).context["page"].paginator.count
        assert listed == int(count), figure
    awaiting = client.get("/recommendations/portal/?awaiting=true").context["rows"]
    deadlines = [row.recommendation.deadline for row in awaiting]
    assert deadlines == sorted(deadlines)
    assert all(row.recommendation.state != State.IMPLEMENTED_CLAIMED for row in awaiting)


@pytest.mark.parametrize("actor", ["coordinator", "monitor", "auditor", "regional", "admin"])
def test_tallies_in_the_npm_menu_and_home(
    client_for: Callable[[str], Client],
    make_recommendation: Callable[..., Recommendation],
    actor: str,
) -> None:
    make_recommendation()
    html = client_for(actor).get("/").content.decode()
    assert re.search(r'class="nav-link[^"]*" href="/recommendations/tallies/"', html)
    assert 'data-testid="tallies-home"' in html


@pytest.mark.parametrize("actor", ["liaison", "other_liaison"])
def test_liaisons_keep_their_portal_menu(client_for: Callable[[str], Client], actor: str) -> None:
    html = client_for(actor).get("/").content.decode()
    assert not re.search(r'class="nav-link[^"]*" href="/recommendations/tallies/"', html)
    assert 'data-testid="tallies-home"' not in html


def test_systemic_page_draws_its_chart_without_inline_style(
    client_for: Callable[[str], Client],
    make_recommendation: Callable[..., Recommendation],
    make_institution: Callable[..., Any],
) -> None:
    for state in (State.IMPLEMENTED_CLAIMED, State.NOT_ACCEPTED, State.IN_IMPLEMENTATION):
        make_recommendation(institution=make_institution(), state=state)
    response = client_for("coordinator").get("/recommendations/systemic/?min=2")
    html = response.content.decode()
    assert 'data-testid="systemic-chart"' in html
    assert "style=" not in html.split('data-testid="systemic-chart"')[1].split("</figure>")[0]
    [bar] = response.context["chart"]
    assert [value for _figure, _x, _width, _colour, value in bar.segments] == [1, 1, 1]
    rows = _rows(client_for("coordinator").get("/recommendations/systemic/?min=2&export=csv"))
    assert rows[1][:2] == ["widespread", "T3"]
