"""The dashboards' figures at national scale, each section's selectors timed against the same
aggregate written as one raw SQL query on the same database (the floor the ORM could reach):
the ratio is in the results, and each check compares the selectors' figures with the raw
query's, so a fast wrong answer fails. The selectors' side is the whole dashboard section (the
recommendations section also groups by agency, follows the trend over every year and counts
the overdue and the escalated; the funnel runs its stages), so the ratio is the cost of the
section against the floor of its headline aggregate.

The year is the one with the most made visits in the demo data; the audience is a
coordinator (who counts every record, as the published figures do). The national annual
report of that year is then built once, PDF and DOCX, and rebuilt on unchanged data."""

import datetime
import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils import timezone

from vigil.accounts.models import User
from vigil.analytics.filters import StatisticsFilters
from vigil.analytics.selectors.statistics import statistics
from vigil.recommendations.tally import TALLY_OF_STATE
from vigil.visits.enums import NOT_STARTED_STATES, VisitState
from vigil.visits.models import Visit

from .harness import measure

NOT_MADE = sorted(str(s) for s in {*NOT_STARTED_STATES, VisitState.CANCELLED})


def _busiest_year() -> int:
    row = (
        Visit.objects.filter(started_at__isnull=False)
        .annotate(y=ExtractYear("started_at"))
        .values("y")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if row is None:
        raise SystemExit("The demo data has no visit made.")
    return int(row["y"])


def _raw(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _year_bounds(year: int) -> list[Any]:
    tz = timezone.get_current_timezone()  # the year as the ORM's __year computes it
    return [
        datetime.datetime(year, 1, 1, tzinfo=tz),
        datetime.datetime(year + 1, 1, 1, tzinfo=tz),
    ]


def _placeholders(values: list[str]) -> str:
    return ", ".join(["%s"] * len(values))


def _visits_sql(year: int) -> Callable[[], dict[str, int]]:
    not_made = _placeholders(NOT_MADE)  # placeholders only: the values are parameters
    sql = (
        "SELECT type, COUNT(*) FROM visits_visit WHERE started_at >= %s AND started_at < %s "  # noqa: S608
        "AND state NOT IN (" + not_made + ") GROUP BY type"
    )

    def run() -> dict[str, int]:
        return {t: n for t, n in _raw(sql, [*_year_bounds(year), *NOT_MADE])}

    return run


def _tally_sql(year: int) -> Callable[[], dict[str, int]]:
    sql = (
        "SELECT state, COUNT(*) FROM recommendations_recommendation "
        "WHERE issued_on >= %s AND issued_on < %s AND state <> 'draft' GROUP BY state"
    )

    def run() -> dict[str, int]:
        rows = _raw(sql, [datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)])
        tally: dict[str, int] = {"issued": sum(n for _s, n in rows)}
        for state, n in rows:
            if state in TALLY_OF_STATE:
                key = str(TALLY_OF_STATE[state])
                tally[key] = tally.get(key, 0) + n
        return tally

    return run


def _appeals_sql(year: int) -> Callable[[], dict[str, int]]:
    sql = (
        "SELECT channel, COUNT(*) FROM appeals_appeal "
        "WHERE received_on >= %s AND received_on < %s GROUP BY channel"
    )

    def run() -> dict[str, int]:
        return dict(_raw(sql, [datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)]))

    return run


def _coverage_sql() -> Callable[[], dict[str, int]]:
    sql = (
        "SELECT COUNT(*), SUM(CASE WHEN last_visited_on IS NULL THEN 1 ELSE 0 END) "
        "FROM registry_institution WHERE status <> 'closed'"
    )

    def run() -> dict[str, int]:
        total, never = _raw(sql, [])[0]
        return {"operating": int(total), "never": int(never or 0)}

    return run


def analytics_measures(coordinator: User) -> list[dict[str, Any]]:
    year = _busiest_year()
    f = StatisticsFilters(year=year)

    def section(name: str) -> Callable[[], Any]:
        return lambda: statistics(coordinator, f, [name])

    def visits_of(result: Any) -> dict[str, int]:
        return {x.key: x.count for x in result.visits.by_type if x.count}

    def tally_of(result: Any) -> dict[str, int]:
        c = result.recommendations.counts
        found = {
            "issued": c.issued,
            "implemented": c.implemented,
            "in_implementation": c.in_implementation,
            "not_accepted": c.not_accepted,
        }
        return {k: v for k, v in found.items() if v}

    def appeals_of(result: Any) -> dict[str, int]:
        return {x.key: x.count for x in result.funnel.by_channel}

    def coverage_of(result: Any) -> dict[str, int]:
        cov = result.coverage
        return {"operating": cov.institutions.count, "never": cov.never_visited.count}

    cases: list[tuple[str, str, Callable[[], Any], Callable[[Any], dict[str, int]], float]] = [
        ("visits by type", "visits", _visits_sql(year), visits_of, 1500),
        ("recommendations' tally", "recommendations", _tally_sql(year), tally_of, 1500),
        ("appeals by channel (the funnel)", "funnel", _appeals_sql(year), appeals_of, 2500),
        ("coverage", "coverage", _coverage_sql(), coverage_of, 1500),
    ]
    rows: list[dict[str, Any]] = []
    for label, name, raw, figures_of, budget in cases:
        expected = raw()
        nonzero = {k: v for k, v in expected.items() if v}

        def same_as_raw(got: dict[str, int], e: dict[str, int] = expected) -> bool:
            return got == e

        def same_figures(
            result: Any,
            e: dict[str, int] = nonzero,
            of: Callable[[Any], dict[str, int]] = figures_of,
        ) -> bool:
            return of(result) == e

        raw_row = measure(f"dashboard {label}: raw SQL", budget, raw, same_as_raw)
        row = measure(f"dashboard {label}: selectors", budget, section(name), same_figures)
        floor = raw_row["median_ms"] or 0.01
        row["raw_sql_ms"] = raw_row["median_ms"]
        row["ratio_to_raw_sql"] = round(row["median_ms"] / floor, 1)
        print(f"{'':50s} {row['ratio_to_raw_sql']}x the raw SQL")
        rows += [raw_row, row]
    return rows


def report_build_measures(coordinator: User) -> list[dict[str, Any]]:
    """The national annual report built as the worker builds it (PDF and DOCX in Russian), once
    (a build takes seconds, not milliseconds), then rebuilt on unchanged data, which must reuse
    the first build's files (same fingerprint)."""
    from vigil.analytics.models import AnnualReport, BuildStatus
    from vigil.analytics.services.report import (
        annual_report_build_request,
        annual_report_build_run,
        annual_report_create,
    )

    year = _busiest_year()
    report = AnnualReport.objects.filter(year=year).first() or annual_report_create(
        actor=coordinator, year=year
    )

    def build() -> Any:
        requested = annual_report_build_request(actor=coordinator, report=report, language="ru")
        start = time.perf_counter()
        done = annual_report_build_run(requested.pk)
        return done, (time.perf_counter() - start) * 1000

    rows: list[dict[str, Any]] = []
    first, first_ms = build()
    again, again_ms = build()
    for name, elapsed, budget, check in (
        (
            "annual report build (PDF and DOCX, ru)",
            first_ms,
            120_000,
            first is not None and first.status == BuildStatus.DONE and first.pdf_id is not None,
        ),
        (
            "annual report rebuild on unchanged data (reused)",
            again_ms,
            60_000,
            again is not None
            and again.reused
            and first is not None
            and again.fingerprint == first.fingerprint,
        ),
    ):
        row = {
            "name": name,
            "median_ms": round(elapsed, 1),
            "max_ms": round(elapsed, 1),
            "queries": None,
            "budget_ms": budget,
            "within_budget": elapsed <= budget,
            "check_passed": bool(check),
            "runs": 1,
        }
        print(
            f"{name:50s} {row['median_ms']:8.1f} ms (one run, budget {budget:.0f}) "
            f"{'ok' if row['within_budget'] and row['check_passed'] else 'FAIL'}"
        )
        rows.append(row)
    return rows
