"""Timing and reporting for `make bench`: each measure has a budget and a correctness check."""

import json
import os
import platform
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

REPEATS = 7


def shown_count(response: Any) -> int | None:
    """The figure of a list page's count line (`data-testid="result-count"`), whatever the
    language groups its digits with; None without one."""
    found = re.search(r'data-testid="result-count"[^>]*>([^<]*)<', response.content.decode())
    digits = re.sub(r"\D", "", found.group(1)) if found else ""
    return int(digits) if digits else None


def measure(
    name: str,
    budget_ms: float,
    action: Callable[..., Any],
    check: Callable[[Any], bool],
    setup: Callable[[], Any] | None = None,
) -> dict[str, Any]:
    """Time `action` (median of REPEATS runs after a warm-up) and check its last result.

    With `setup`, each run gets a fresh argument from it, made outside the timing (a write
    needs a new object to act on each time); the check then gets (argument, result). The
    queries are counted on one more run, whose outcome is the one checked.
    """

    def timed(argument: Any) -> tuple[float, Any]:
        start = time.perf_counter()
        result = action(argument) if setup else action()
        elapsed = (time.perf_counter() - start) * 1000
        return elapsed, (argument, result) if setup else result

    def once() -> tuple[float, Any]:
        return timed(setup() if setup else None)

    once()  # warm-up (template and query caches)
    timings = [once()[0] for _ in range(REPEATS)]
    argument = setup() if setup else None
    with CaptureQueriesContext(connection) as queries:  # one more run, counted and checked
        _elapsed, outcome = timed(argument)
    median = statistics.median(timings)
    row = {
        "name": name,
        "median_ms": round(median, 2),
        "max_ms": round(max(timings), 1),
        "queries": len(queries.captured_queries),
        "budget_ms": budget_ms,
        "within_budget": median <= budget_ms,
        "check_passed": bool(check(outcome)),
    }
    print(
        f"{name:50s} {row['median_ms']:8.1f} ms (max {row['max_ms']:.1f}, "
        f"{row['queries']} queries, budget {budget_ms:.0f}) "
        f"{'ok' if row['within_budget'] and row['check_passed'] else 'FAIL'}"
    )
    return row


def write_results(path: Path, rows: list[dict[str, Any]], **facts: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                **facts,
                "database": connection.vendor,
                "python": platform.python_version(),
                "machine": platform.machine(),
                "cpus": os.cpu_count(),
                "repeats": REPEATS,
                "results": rows,
            },
            indent=2,
            ensure_ascii=False,
        )
    )
