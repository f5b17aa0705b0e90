"""Systemic issues: themes raised at N or more institutions (regional departments rolled up),
issues raised in consecutive years (same theme and institution or addressee, chains of
repeats), their implementation record through the official tally, scope and the page."""

import csv
import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import ALL_ACTORS
from vigil.accounts.models import User
from vigil.recommendations.deadlines import DeadlineWindow
from vigil.recommendations.enums import State
from vigil.recommendations.models import Recommendation
from vigil.recommendations.selectors.systemic import (
    RecurringIssue,
    hydrate,
    longest_run,
    recurring_issues,
    systemic_issues,
    widespread_issues,
)

pytestmark = pytest.mark.django_db

ACTORS = [*ALL_ACTORS, "other_liaison"]
PAGE_READERS = {"admin", "coordinator", "regional", "monitor", "auditor"}


def day(year: int) -> dict[str, datetime.date]:
    return {"issued_on": datetime.date(year, 3, 1), "deadline": datetime.date(year, 6, 1)}


@pytest.mark.parametrize(
    ("years", "run"),
    [
        pytest.param([], [], id="none"),
        pytest.param([2020], [2020], id="one"),
        pytest.param([2019, 2021], [2019], id="gap"),
        pytest.param([2023, 2019, 2020, 2021, 2020], [2019, 2020, 2021], id="run"),
        pytest.param([2010, 2011, 2015, 2016], [2010, 2011], id="tie-earliest"),
    ],
)
def test_longest_run(years: list[int], run: list[int]) -> None:
    assert longest_run(years) == run


@pytest.fixture
def colonies(make_institution: Callable[..., Any]) -> list[Any]:
    return [make_institution() for _ in range(6)]


STATES = [
    State.IMPLEMENTED_VERIFIED,
    State.IMPLEMENTED_CLAIMED,
    State.IN_IMPLEMENTATION,
    State.NOT_ACCEPTED,
    State.NO_RESPONSE,
]


def test_widespread_rolls_up_departments_and_counts_the_record(
    ref: dict[str, Any],
    users: dict[str, User],
    colonies: list[Any],
    make_recommendation: Callable[..., Recommendation],
    settings: Any,
) -> None:
    for colony, state in zip(colonies[:5], STATES, strict=True):
        make_recommendation(theme="T2", institution=colony, state=state, **day(2021))
    # one more at the first colony, addressed to the committee itself, the year before
    make_recommendation(
        theme="T2", institution=colonies[0], addressee=ref["kuis"], state=State.DRAFT, **day(2021)
    )
    make_recommendation(theme="T2", institution=colonies[0], addressee=ref["kuis"], **day(2020))
    # four institutions on another theme: below the default of five
    for colony in colonies[:4]:
        make_recommendation(theme="T5", institution=colony, **day(2021))

    issues = widespread_issues(users["coordinator"])
    assert [(i.theme, i.branch.code, i.institutions) for i in issues] == [("T2", "MVD-KUIS", 5)]
    record = issues[0].record
    assert (record.issued, record.implemented, record.in_implementation) == (6, 2, 1)
    assert (record.not_accepted, record.no_response) == (1, 1)  # the draft is not counted
    assert str(record.implementation_rate) == "33.3"
    assert (issues[0].first_year, issues[0].last_year) == (2020, 2021)

    assert widespread_issues(users["coordinator"], year=2020) == []
    assert [i.theme for i in widespread_issues(users["coordinator"], minimum=4)] == ["T2", "T5"]
    settings.VIGIL_SYSTEMIC_MIN_INSTITUTIONS = 6
    assert widespread_issues(users["coordinator"]) == []
    assert widespread_issues(users["coordinator"], agency=ref["moh"], minimum=2) == []


def test_recurring_same_theme_and_place(
    ref: dict[str, Any],
    users: dict[str, User],
    colonies: list[Any],
    make_recommendation: Callable[..., Recommendation],
) -> None:
    make_recommendation(theme="T3", institution=colonies[0], **day(2019))
    make_recommendation(theme="T3", institution=colonies[0], state=State.NOT_ACCEPTED, **day(2020))
    make_recommendation(theme="T3", institution=colonies[0], **day(2021))
    make_recommendation(theme="T3", institution=colonies[1], **day(2019))  # a gap: not recurring
    make_recommendation(theme="T3", institution=colonies[1], **day(2021))
    make_recommendation(theme="T8", addressee=ref["mvd"], **day(2022))  # no institution
    make_recommendation(theme="T8", addressee=ref["mvd"], **day(2023))

    issues = hydrate(recurring_issues(users["coordinator"]))
    found = [(i.kind, i.theme, i.run) for i in issues]
    assert found == [
        ("institution", "T3", [2019, 2020, 2021]),
        ("addressee", "T8", [2022, 2023]),
    ]
    assert issues[0].institution == colonies[0]
    assert (issues[0].record.issued, issues[0].record.not_accepted) == (3, 1)
    assert issues[1].addressee == ref["mvd"]


def test_recurring_chain_of_repeats(
    users: dict[str, User],
    colonies: list[Any],
    make_recommendation: Callable[..., Recommendation],
) -> None:
    first = make_recommendation(theme="T1", institution=colonies[0], **day(2020))
    second = make_recommendation(
        theme="T6", institution=colonies[1], repeat_of=first, state=State.REOPENED, **day(2021)
    )
    third = make_recommendation(theme="T6", institution=colonies[2], repeat_of=second, **day(2022))
    issues = [i for i in hydrate(recurring_issues(users["coordinator"])) if i.kind == "chain"]
    assert len(issues) == 1
    assert issues[0].chain == [first, second, third]
    assert issues[0].run == [2020, 2021, 2022]
    assert issues[0].record.in_implementation == 1  # the reopened one


def test_scoped_to_what_the_user_sees(
    ref: dict[str, Any],
    users: dict[str, User],
    make_institution: Callable[..., Any],
    make_recommendation: Callable[..., Recommendation],
) -> None:
    almaty = [make_institution(region=ref["almaty"]) for _ in range(5)]
    for colony in almaty:
        make_recommendation(theme="T4", institution=colony, addressee=ref["kuis"], **day(2021))
        make_recommendation(theme="T4", institution=colony, addressee=ref["kuis"], **day(2022))
    assert len(widespread_issues(users["monitor"])) == 1
    assert len(recurring_issues(users["monitor"])) == 5
    assert widespread_issues(users["regional"]) == []  # Astana only
    assert recurring_issues(users["regional"]) == []


@pytest.mark.parametrize("actor", ACTORS)
def test_page(
    client_for: Callable[[str], Client],
    colonies: list[Any],
    make_recommendation: Callable[..., Recommendation],
    actor: str,
) -> None:
    for colony in colonies[:5]:
        make_recommendation(theme="T2", institution=colony, **day(2021))
        make_recommendation(theme="T2", institution=colony, **day(2022))
    response = client_for(actor).get("/recommendations/systemic/")
    if actor == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == (200 if actor in PAGE_READERS else 403)
    if actor in PAGE_READERS:
        html = response.content.decode()
        assert 'data-agency="MVD-KUIS"' in html
        assert "/recommendations/?theme=T2&amp;agency=MVD-KUIS" in html
        assert "0.0% of 10" in html
        assert html.count('data-kind="institution"') == 5


def test_page_filters(
    client_for: Callable[[str], Client],
    colonies: list[Any],
    make_recommendation: Callable[..., Recommendation],
) -> None:
    for colony in colonies[:3]:
        make_recommendation(
            theme="T2", institution=colony, state=State.IMPLEMENTED_CLAIMED, **day(2021)
        )
    client = client_for("coordinator")
    html = client.get("/recommendations/systemic/?min=3&year=2021").content.decode()
    assert (
        "/recommendations/?theme=T2&amp;agency=MVD-KUIS&amp;year=2021&amp;tally=implemented" in html
    )
    assert "100.0% of 3" in html
    assert (
        'data-agency="MVD-KUIS"'
        not in client.get("/recommendations/systemic/?min=3&year=2020").content.decode()
    )
    for bad in ("?agency=NOPE", "?year=abc", "?min=1"):
        assert client.get(f"/recommendations/systemic/{bad}").status_code == 404


def test_page_queries_do_not_grow(
    client_for: Callable[[str], Client],
    make_institution: Callable[..., Any],
    make_recommendation: Callable[..., Recommendation],
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def grow(n: int) -> None:
        for _ in range(n):
            colony = make_institution()
            first = make_recommendation(theme="T2", institution=colony, **day(2020))
            make_recommendation(theme="T2", institution=colony, repeat_of=first, **day(2021))
            make_recommendation(theme="T8", addressee=colony.agency, **day(2020))
            make_recommendation(theme="T8", addressee=colony.agency, **day(2021))

    client = client_for("regional")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/recommendations/systemic/?min=2").status_code == 200
        return len(ctx.captured_queries)

    grow(2)
    few = count()
    grow(4)
    assert count() == few


def test_the_analysis_is_kept_until_the_data_change(
    users: dict[str, User],
    colonies: list[Any],
    make_recommendation: Callable[..., Recommendation],
) -> None:
    first = make_recommendation(theme="T3", institution=colonies[0], **day(2019))
    make_recommendation(theme="T3", institution=colonies[0], **day(2020))
    coordinator = users["coordinator"]
    window = DeadlineWindow.on()

    def recurring() -> list[tuple[str, list[int], int]]:
        return [
            (i.theme, i.run, i.record.not_accepted)
            for i in systemic_issues(coordinator, window=window)
            if isinstance(i, RecurringIssue)
        ]

    assert recurring() == [("T3", [2019, 2020], 0)]
    with CaptureQueriesContext(connection) as kept:
        assert recurring() == [("T3", [2019, 2020], 0)]
    assert len(kept.captured_queries) == 2, "only the data's stamp is read"

    first.state = State.NOT_ACCEPTED
    first.save()
    assert recurring() == [("T3", [2019, 2020], 1)], "a changed recommendation is counted"
    make_recommendation(theme="T3", institution=colonies[0], **day(2021))
    assert recurring() == [("T3", [2019, 2020, 2021], 1)], "a new one too"
    assert systemic_issues(users["other_liaison"]) == [], "each user's scope on its own"


def test_page_sorts_by_a_figure(
    client_for: Callable[[str], Client],
    colonies: list[Any],
    make_recommendation: Callable[..., Recommendation],
) -> None:
    for colony in colonies[:2]:
        make_recommendation(theme="T2", institution=colony, **day(2021))
        make_recommendation(theme="T2", institution=colony, **day(2022))
    for year in (2019, 2020, 2021):
        make_recommendation(theme="T5", institution=colonies[2], **day(year))
    client = client_for("coordinator")

    def themes(query: str) -> list[str]:
        content = client.get(f"/recommendations/systemic/?{query}&export=csv").content
        rows = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
        return [row["theme"] for row in rows if row["kind"] == "institution"]

    assert themes("ordering=-issued")[0] == "T5"
    assert themes("ordering=issued")[-1] == "T5"
    assert themes("ordering=-run")[0] == "T5"
    html = client.get("/recommendations/systemic/?ordering=-issued").content.decode()
    assert 'aria-sort="descending"' in html
