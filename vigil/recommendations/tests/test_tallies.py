"""Tallies per agency (with its sub-units) and year, page and API: the Penitentiary System
Committee's 2021 figures (758: 275 implemented, 456 in implementation, 27 not accepted,
36.3%), every figure linking to its list, scoped to what each role sees."""

import datetime
import re
from typing import Any

import pytest
from rest_framework.test import APIClient

from conftest import ALL_ACTORS
from vigil.accounts.tests.fixtures import api_key
from vigil.recommendations.enums import Source, State
from vigil.recommendations.models import Recommendation
from vigil.recommendations.selectors.tallies import agency_tally, tally_by_year
from vigil.visits.enums import Theme

ACTORS = [*ALL_ACTORS, "other_liaison"]
PAGE = "/recommendations/tallies/"
API = "/api/v1/recommendation-tallies/"

# 2021, Penitentiary System Committee: 275 implemented (some verified), 456 in implementation
# (accepted, in implementation, partly implemented, reopened), 27 not accepted = 758.
MIX_2021 = {
    State.IMPLEMENTED_CLAIMED: 200,
    State.IMPLEMENTED_VERIFIED: 75,
    State.IN_IMPLEMENTATION: 400,
    State.ACCEPTED: 30,
    State.PARTIALLY_IMPLEMENTED: 20,
    State.REOPENED: 6,
    State.NOT_ACCEPTED: 27,
}


def bulk(agency: Any, state: str, count: int, year: int, start: int, **extra: Any) -> list[Any]:
    return [
        Recommendation(
            reference=f"T-{year}-{agency.code}-{start + i:05d}",
            source=Source.VISIT_REPORT,
            addressee=agency,
            theme=Theme.T3,
            text="Repair the ventilation.",
            issued_on=datetime.date(year, 1 + (i % 12), 10),
            deadline=datetime.date(year, 1 + (i % 12), 28),
            state=state,
            **extra,
        )
        for i in range(count)
    ]


@pytest.fixture
def penitentiary_2021(ref: dict[str, Any]) -> None:
    """758 in 2021 to MVD-KUIS and its Astana department, plus noise the tally must skip:
    drafts, another year, another agency."""
    rows: list[Any] = []
    n = 0
    for state, count in MIX_2021.items():
        half = count // 2
        rows += bulk(ref["kuis"], state, half, 2021, n)
        rows += bulk(ref["kuis_71"], state, count - half, 2021, n + half)
        n += count
    rows += bulk(ref["kuis"], State.DRAFT, 9, 2021, 5000)  # not issued
    rows += bulk(ref["kuis"], State.IMPLEMENTED_CLAIMED, 11, 2022, 6000)  # another year
    rows += bulk(ref["moh"], State.NOT_ACCEPTED, 5, 2021, 7000)  # another agency
    rows += bulk(ref["kuis_71"], State.NO_RESPONSE, 4, 2022, 8000)
    Recommendation.objects.bulk_create(rows)


def cell(body: str, agency: str, figure: str) -> str:
    """The text of one figure in the row of an agency."""
    row = re.search(rf'<tr data-agency="{agency}"[^>]*>(.*?)</tr>', body, re.S)
    assert row, agency
    found = re.search(rf'data-figure="{figure}">(.*?)</td>', row.group(1), re.S)
    assert found, figure
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def test_penitentiary_2021_page(client_for: Any, penitentiary_2021: None) -> None:
    body = client_for("coordinator").get(f"{PAGE}?agency=MVD-KUIS&year=2021").content.decode()
    assert cell(body, "MVD-KUIS", "issued") == "758"
    assert cell(body, "MVD-KUIS", "implemented") == "275"
    assert cell(body, "MVD-KUIS", "in_implementation") == "456"
    assert cell(body, "MVD-KUIS", "not_accepted") == "27"
    assert cell(body, "MVD-KUIS", "no_response") == "0"
    assert cell(body, "MVD-KUIS", "implementation_rate") == "36.3% of 758"
    # The Astana department's row: its own subtree only.
    assert cell(body, "MVD-KUIS-71", "issued") == str(sum(c - c // 2 for c in MIX_2021.values()))


def test_penitentiary_2021_api(penitentiary_2021: None, users: dict[str, Any]) -> None:
    client = APIClient()
    client.force_authenticate(users["coordinator"])
    body = client.get(API, {"agency": "MVD-KUIS", "year": "2021"}).json()
    sub_units = body.pop("sub_units")
    assert body == {
        "agency": "MVD-KUIS",
        "agency_name": "Penitentiary System Committee",
        "year": 2021,
        "issued": 758,
        "implemented": 275,
        "in_implementation": 456,
        "not_accepted": 27,
        "no_response": 0,
        "overdue": 456,  # 2021 deadlines long past, still in implementation
        "implementation_rate": 36.3,
    }
    assert [s["agency"] for s in sub_units] == ["MVD-KUIS-71"]
    assert sub_units[0]["issued"] == 380


def test_figures_link_to_their_lists(client_for: Any, penitentiary_2021: None) -> None:
    body = client_for("coordinator").get(f"{PAGE}?agency=MVD-KUIS&year=2021").content.decode()
    assert (
        'href="/recommendations/?agency=MVD-KUIS&amp;year=2021&amp;tally=implemented">275</a>'
        in body
    )
    assert 'href="/recommendations/?agency=MVD-KUIS&amp;year=2021">758</a>' in body
    assert 'href="/recommendations/?agency=MVD-KUIS&amp;year=2021&amp;overdue=true">456</a>' in body


def test_liaison_links_lead_to_the_same_numbers(client_for: Any, penitentiary_2021: None) -> None:
    client = client_for("liaison")
    body = client.get(f"{PAGE}?agency=MVD-KUIS&year=2021").content.decode()
    link = re.search(r'href="([^"]+)">275</a>', body)
    assert link
    target = link.group(1).replace("&amp;", "&")
    assert target.startswith("/recommendations/portal/?")
    listed = client.get(target).content.decode()
    assert "275 recommendations" in listed


def test_year_table_and_no_response(client_for: Any, penitentiary_2021: None) -> None:
    body = client_for("coordinator").get(f"{PAGE}?agency=MVD-KUIS").content.decode()
    rows = re.findall(r'data-year="(\d+)"', body)
    assert rows == ["2022", "2021"]
    assert cell(body, "MVD-KUIS", "issued") == str(758 + 11 + 4)
    assert cell(body, "MVD-KUIS", "no_response") == "4"


def test_selectors_reused_by_reports(
    penitentiary_2021: None, users: dict[str, Any], ref: Any
) -> None:
    counts = agency_tally(users["auditor"], ref["kuis"], 2021)
    assert (counts.issued, counts.implemented, counts.in_implementation, counts.not_accepted) == (
        758,
        275,
        456,
        27,
    )
    assert str(counts.implementation_rate) == "36.3"
    years = tally_by_year(users["auditor"], ref["kuis"])
    assert [(r.year, r.counts.issued) for r in years] == [(2022, 15), (2021, 758)]


# ---------------------------------------------------------------- role matrix

PAGE_STATUS = {actor: 200 for actor in ACTORS} | {"anonymous": 302}
# What each sees of MVD-KUIS in 2021: the regional representative only Astana's department
# (a regional department of its region); the other agency's liaison nothing (404).
KUIS_ISSUED = {
    "admin": "758",
    "coordinator": "758",
    "monitor": "758",
    "auditor": "758",
    "liaison": "758",
    "regional": "380",
}


@pytest.mark.parametrize("actor", ACTORS)
def test_page_role_matrix(client_for: Any, penitentiary_2021: None, actor: str) -> None:
    client = client_for(actor)
    response = client.get(PAGE)
    assert response.status_code == PAGE_STATUS[actor]
    if actor == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
        return
    scoped = client.get(f"{PAGE}?agency=MVD-KUIS&year=2021")
    if actor == "other_liaison":
        assert scoped.status_code == 404
        return
    assert scoped.status_code == 200
    assert cell(scoped.content.decode(), "MVD-KUIS", "issued") == KUIS_ISSUED[actor]


@pytest.mark.parametrize("actor", ACTORS)
def test_api_role_matrix(penitentiary_2021: None, users: dict[str, Any], actor: str) -> None:
    client = APIClient()
    if actor != "anonymous":
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(users[actor])}")
    response = client.get(API, {"agency": "MVD-KUIS", "year": "2021"})
    if actor == "anonymous":
        assert response.status_code == 401
    elif actor == "other_liaison":
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert str(response.json()["issued"]) == KUIS_ISSUED[actor]


def test_liaison_sees_only_its_subtree(
    client_for: Any, penitentiary_2021: None, users: dict[str, Any]
) -> None:
    body = client_for("liaison").get(PAGE).content.decode()
    assert 'data-agency="MVD-KUIS"' in body
    assert 'data-agency="MOH"' not in body
    assert 'data-agency="MVD"' not in body
    assert client_for("liaison").get(f"{PAGE}?agency=MVD").status_code == 404
    assert client_for("liaison").get(f"{PAGE}?agency=MOH").status_code == 404
    client = APIClient()
    client.force_authenticate(users["other_liaison"])
    own = client.get(API).json()
    assert (own["agency"], own["issued"], own["not_accepted"]) == ("MOH", 5, 5)
    assert client.get(API, {"agency": "MVD"}).status_code == 404


def test_top_level_for_the_npm(client_for: Any, penitentiary_2021: None) -> None:
    body = client_for("coordinator").get(f"{PAGE}?year=2021").content.decode()
    assert cell(body, "MVD", "issued") == "758"
    assert cell(body, "MOH", "issued") == "5"
    assert cell(body, "MVD-POLICE", "issued") == "0"


@pytest.mark.parametrize(
    ("query", "status"),
    [("agency=NOPE", 404), ("year=abc", 404), ("year=20211", 404)],
    ids=["unknown-agency", "bad-year", "year-range"],
)
def test_bad_parameters_page(client_for: Any, ref: Any, query: str, status: int) -> None:
    assert client_for("coordinator").get(f"{PAGE}?{query}").status_code == status


@pytest.mark.parametrize(
    ("query", "status"),
    [({"agency": "NOPE"}, 404), ({"year": "abc"}, 400), ({"year": "20211"}, 400)],
    ids=["unknown-agency", "bad-year", "year-range"],
)
def test_bad_parameters_api(users: dict[str, Any], query: dict[str, str], status: int) -> None:
    client = APIClient()
    client.force_authenticate(users["coordinator"])
    response = client.get(API, query)
    assert response.status_code == status
    assert "detail" in response.json()


def test_empty_rate_is_a_dash(client_for: Any, ref: Any) -> None:
    body = client_for("coordinator").get(f"{PAGE}?agency=MOH").content.decode()
    assert cell(body, "MOH", "implementation_rate") == "—"


def test_page_queries_do_not_grow_with_agencies(
    client_for: Any, penitentiary_2021: None, ref: dict[str, Any]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from vigil.reference.enums import AgencyLevel
    from vigil.reference.models import Agency

    client = client_for("coordinator")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{PAGE}?year=2021").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(5):
        Agency.objects.create(code=f"EXTRA-{n}", level=AgencyLevel.MINISTRY, name_en=f"Extra {n}")
        Agency.objects.create(
            code=f"EXTRA-{n}-SUB",
            level=AgencyLevel.COMMITTEE,
            parent=Agency.objects.get(code=f"EXTRA-{n}"),
            name_en=f"Extra {n} sub",
        )
    assert count() == few


def _export_codes(client: Any, query: str) -> list[tuple[str, str]]:
    import csv
    import io

    content = client.get(f"{PAGE}?{query}&export=csv").content.decode("utf-8-sig")
    return [(row["agency_code"], row["part_of"]) for row in csv.DictReader(io.StringIO(content))]


def test_sorting_keeps_each_agency_with_its_sub_units(
    client_for: Any, penitentiary_2021: None
) -> None:
    client = client_for("coordinator")
    by_issued = _export_codes(client, "year=2021&ordering=-issued")
    tops = [code for code, parent in by_issued if not parent]
    assert tops[0] == "MVD", "most issued first"
    assert tops.index("MVD") < tops.index("MOH")
    ascending = [
        code for code, parent in _export_codes(client, "year=2021&ordering=issued") if not parent
    ]
    assert ascending[-1] == "MVD", "most issued last"
    for position, (code, parent) in enumerate(by_issued):
        if parent:
            previous = [c for c, p in by_issued[:position] if not p]
            assert previous[-1] == parent, f"{code} stays under {parent}"
    page = client.get(f"{PAGE}?year=2021&ordering=-issued").content.decode()
    assert 'aria-sort="descending"' in page
