"""The agency portal: role matrix (a liaison sees exactly its agency subtree's issued
recommendations, a sibling agency's liaison gets 404, drafts never), filters, sorting by due
date, due-soon and overdue badges in working days."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from conftest import ALL_ACTORS
from vigil.core.calendar import WorkingCalendar
from vigil.recommendations.enums import State

PORTAL = "/recommendations/portal/"
ACTORS = [*ALL_ACTORS, "other_liaison"]
# Only liaisons use the portal; the NPM's roles have the recommendations pages.
LIST_STATUS = {actor: 403 for actor in ACTORS} | {
    "anonymous": 302,
    "liaison": 200,
    "other_liaison": 200,
}


@pytest.fixture
def recs(make_recommendation: Any, make_institution: Any, ref: dict[str, Any]) -> dict[str, Any]:
    """Recommendations to MVD-KUIS's subtree (seen by `liaison`), to its parent and sibling
    (not seen), to MOH (seen by `other_liaison`) and a draft (never seen by a liaison)."""
    colony = make_institution()
    return {
        "kuis_71": make_recommendation(addressee=ref["kuis_71"], institution=colony),
        "kuis": make_recommendation(
            addressee=ref["kuis"],
            state=State.IN_IMPLEMENTATION,
            issued_on=datetime.date(2025, 3, 3),
            deadline=datetime.date(2025, 6, 30),
        ),
        "draft": make_recommendation(addressee=ref["kuis_71"], state=State.DRAFT),
        "mvd": make_recommendation(addressee=ref["mvd"]),
        "police": make_recommendation(addressee=ref["police"]),
        "moh": make_recommendation(addressee=ref["moh"]),
    }


SEES = {
    "liaison": {"kuis_71", "kuis"},
    "other_liaison": {"moh"},
}


@pytest.mark.parametrize("actor", ACTORS)
def test_portal_list_role_matrix(client_for: Any, recs: dict[str, Any], actor: str) -> None:
    response = client_for(actor).get(PORTAL)
    assert response.status_code == LIST_STATUS[actor]
    if actor == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
        return
    if response.status_code != 200:
        return
    body = response.content.decode()
    shown = {key for key, rec in recs.items() if rec.reference in body}
    assert shown == SEES[actor]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("key", ["kuis_71", "kuis", "draft", "mvd", "police", "moh"])
def test_portal_detail_role_matrix(
    client_for: Any, recs: dict[str, Any], actor: str, key: str
) -> None:
    response = client_for(actor).get(f"{PORTAL}{recs[key].public_id}/")
    if actor == "anonymous":
        assert response.status_code == 302
    elif actor in SEES:
        # Out of scope (another agency, the parent, a sibling) or a draft: 404, not 403.
        assert response.status_code == (200 if key in SEES[actor] else 404)
    else:
        assert response.status_code == 403


def test_portal_detail_unknown_is_404(client_for: Any, recs: dict[str, Any]) -> None:
    assert (
        client_for("liaison").get(f"{PORTAL}00000000-0000-0000-0000-000000000000/").status_code
        == 404
    )


def test_portal_detail_shows_recommendation(client_for: Any, recs: dict[str, Any]) -> None:
    rec = recs["kuis_71"]
    body = client_for("liaison").get(f"{PORTAL}{rec.public_id}/").content.decode()
    assert rec.text in body
    assert rec.indicator in body
    assert rec.institution.name in body
    assert "Answer" in body


def _rows(body: str, recs: dict[str, Any]) -> list[str]:
    """The references in the order the page lists them."""
    found = [(body.find(f'data-reference="{r.reference}"'), k) for k, r in recs.items()]
    return [k for pos, k in sorted(found) if pos >= 0]


def test_portal_sorted_by_due_date(
    client_for: Any, make_recommendation: Any, ref: dict[str, Any]
) -> None:
    recs = {
        "late": make_recommendation(deadline=datetime.date(2026, 5, 29)),
        "early": make_recommendation(deadline=datetime.date(2026, 2, 2)),
        "none": make_recommendation(deadline=None),
        "middle": make_recommendation(deadline=datetime.date(2026, 3, 31)),
    }
    body = client_for("liaison").get(PORTAL).content.decode()
    assert _rows(body, recs) == ["early", "middle", "late", "none"]


@pytest.fixture
def by_deadline(make_recommendation: Any, ref: dict[str, Any]) -> dict[str, Any]:
    today = timezone.localdate()
    cal = WorkingCalendar()
    issued = today - datetime.timedelta(days=90)
    return {
        "overdue": make_recommendation(issued_on=issued, deadline=cal.add_working_days(today, -3)),
        "due_soon": make_recommendation(issued_on=issued, deadline=cal.add_working_days(today, 2)),
        "later": make_recommendation(issued_on=issued, deadline=cal.add_working_days(today, 40)),
        "done": make_recommendation(
            issued_on=issued,
            deadline=cal.add_working_days(today, -3),
            state=State.IMPLEMENTED_CLAIMED,
        ),
    }


def test_portal_badges(client_for: Any, by_deadline: dict[str, Any]) -> None:
    body = client_for("liaison").get(PORTAL).content.decode()
    for key, rec in by_deadline.items():
        start = body.index(f'data-reference="{rec.reference}"')
        row = body[start : body.index("</tr>", start)]
        assert ('data-deadline="overdue"' in row) == (key == "overdue"), key
        assert ('data-deadline="due-soon"' in row) == (key == "due_soon"), key
    assert "3 working days late" in body
    assert "2 working days left" in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("overdue=true", {"overdue"}),
        ("due_soon=true", {"due_soon"}),
        ("status=implemented_claimed", {"done"}),
        ("tally=implemented", {"done"}),
        ("", {"overdue", "due_soon", "later", "done"}),
    ],
    ids=["overdue", "due-soon", "status", "tally", "all"],
)
def test_portal_deadline_filters(
    client_for: Any, by_deadline: dict[str, Any], query: str, expected: set[str]
) -> None:
    body = client_for("liaison").get(f"{PORTAL}?{query}").content.decode()
    assert set(_rows(body, by_deadline)) == expected


def test_portal_year_out_of_range_is_ignored(client_for: Any, recs: dict[str, Any]) -> None:
    # A year past 9999 was a server error (no date has it); the filter now leaves it out.
    assert client_for("liaison").get(f"{PORTAL}?year=99999").status_code == 200


def test_portal_filters_sub_unit_institution_year(client_for: Any, recs: dict[str, Any]) -> None:
    client = client_for("liaison")
    only = {k: recs[k] for k in ("kuis_71", "kuis")}
    assert _rows(client.get(f"{PORTAL}?agency=MVD-KUIS-71").content.decode(), only) == ["kuis_71"]
    assert set(_rows(client.get(f"{PORTAL}?agency=MVD-KUIS").content.decode(), only)) == {
        "kuis_71",
        "kuis",
    }
    institution = recs["kuis_71"].institution
    body = client.get(f"{PORTAL}?institution={institution.public_id}").content.decode()
    assert _rows(body, only) == ["kuis_71"]
    assert _rows(client.get(f"{PORTAL}?year=2025").content.decode(), only) == ["kuis"]


def test_portal_agency_filter_offers_only_own_subtree(
    client_for: Any, recs: dict[str, Any]
) -> None:
    body = client_for("liaison").get(PORTAL).content.decode()
    assert 'value="MVD-KUIS-71"' in body
    assert 'value="MOH"' not in body
    assert 'value="MVD-POLICE"' not in body
    # Asking for another agency's subtree shows nothing of it (the choice is refused).
    other = client_for("liaison").get(f"{PORTAL}?agency=MOH").content.decode()
    assert recs["moh"].reference not in other


def test_portal_htmx_returns_table_only(client_for: Any, recs: dict[str, Any]) -> None:
    response = client_for("liaison").get(PORTAL, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert recs["kuis_71"].reference in body


def test_liaison_without_agency_has_no_portal(
    client_for: Any, users: dict[str, Any], recs: dict[str, Any]
) -> None:
    # A liaison always has an agency (enforced when saved); without one, no portal at all.
    type(users["liaison"]).objects.filter(pk=users["liaison"].pk).update(agency=None)
    assert client_for("liaison").get(PORTAL).status_code == 403


def test_portal_list_queries_do_not_grow_with_rows(
    client_for: Any, make_recommendation: Any, make_institution: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("liaison")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(PORTAL).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        make_recommendation(institution=make_institution())
    few = count()
    for _ in range(12):
        make_recommendation(institution=make_institution())
    assert count() == few


def test_home_summary_for_liaisons_only(users: dict[str, Any], by_deadline: dict[str, Any]) -> None:
    from django.template.loader import render_to_string

    from vigil.recommendations.selectors.portal import portal_home_summary

    summary = portal_home_summary(users["liaison"])
    assert summary is not None
    counts = {figure.key: figure.count for figure in summary.figures}
    assert counts == {"awaiting": 3, "overdue": 1, "due_soon": 1}
    assert [row.recommendation for row in summary.next_due] == [
        by_deadline["overdue"],
        by_deadline["due_soon"],
        by_deadline["later"],
    ]
    html = render_to_string("recommendations/portal_home.html", {"portal": summary})
    assert by_deadline["overdue"].reference in html
    assert by_deadline["done"].reference not in html
    for actor in ("coordinator", "monitor", "auditor", "regional", "admin"):
        assert portal_home_summary(users[actor]) is None
