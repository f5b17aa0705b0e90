"""Registry benchmarks at national scale (3,000+ institutions). Not a test: `make bench`.

Loads the national demo data set into its own SQLite file (var/bench.sqlite3, or the
database in BENCH_DATABASE_URL), then times the registry's main reads as a coordinator
sees them. Each measure has a budget and a correctness check; the results go to
bench/results/registry.json and the run fails when a check or a budget fails.
"""

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
os.environ["DJANGO_DEBUG"] = "0"
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
(ROOT / "var" / "static").mkdir(parents=True, exist_ok=True)  # whitenoise serves from here

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from vigil.accounts.models import User  # noqa: E402
from vigil.registry.importing import institutions_import_check  # noqa: E402
from vigil.registry.models import Institution  # noqa: E402

REPEATS = 7
RESULTS = ROOT / "bench" / "results" / "registry.json"


def measure(
    name: str, budget_ms: float, action: Callable[[], Any], check: Callable[[Any], bool]
) -> dict[str, Any]:
    action()  # warm-up (template and query caches)
    timings, result = [], None
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = action()
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        action()
    median = statistics.median(timings)
    row = {
        "name": name,
        "median_ms": round(median, 1),
        "max_ms": round(max(timings), 1),
        "queries": len(queries.captured_queries),
        "budget_ms": budget_ms,
        "within_budget": median <= budget_ms,
        "check_passed": bool(check(result)),
    }
    print(
        f"{name:45s} {row['median_ms']:8.1f} ms (max {row['max_ms']:.1f}, "
        f"{row['queries']} queries, budget {budget_ms:.0f}) "
        f"{'ok' if row['within_budget'] and row['check_passed'] else 'FAIL'}"
    )
    return row


def main() -> int:
    call_command("migrate", verbosity=0)
    call_command("seed_reference_data", verbosity=0)
    call_command("generate_demo_data", seed=1, scale="national", verbosity=0)
    total = Institution.objects.count()
    coordinator = User.objects.get(email="coordinator@demo.vigil")
    client = Client()
    client.force_login(coordinator)
    exported: dict[str, bytes] = {}

    def get(path: str, **params: str) -> Any:
        return client.get(path, params)

    def export() -> Any:
        response = client.get("/registry/institutions/export.csv")
        exported["csv"] = response.content
        return response

    rows = [
        measure(
            "registry list, first page",
            300,
            lambda: get("/registry/institutions/"),
            lambda r: r.status_code == 200 and str(total) in r.content.decode(),
        ),
        measure(
            "registry list, Cyrillic search",
            400,
            lambda: get("/registry/institutions/", search="изолятор"),
            lambda r: r.status_code == 200,
        ),
        measure(
            "registry list, region + category filter",
            300,
            lambda: get("/registry/institutions/", region="KZ-35", category="police"),
            lambda r: r.status_code == 200,
        ),
        measure(
            "registry list, last page sorted by capacity",
            300,
            lambda: get(
                "/registry/institutions/", ordering="-capacity", page=str((total + 49) // 50)
            ),
            lambda r: r.status_code == 200,
        ),
        measure(
            "API institutions list (50)",
            300,
            lambda: get("/api/v1/institutions/"),
            lambda r: r.status_code == 200 and r.json()["count"] == total,
        ),
        measure(
            "export CSV, whole registry",
            4000,
            export,
            lambda r: r.status_code == 200 and r.content.count(b"\n") >= total,
        ),
        measure(
            "import check of the exported file",
            6000,
            lambda: institutions_import_check(content=exported["csv"], file_name="registry.csv"),
            lambda plan: plan.is_valid and plan.counts["unchanged"] == total,
        ),
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "institutions": total,
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
    print(f"Results written to {RESULTS.relative_to(ROOT)}")
    failed = [r["name"] for r in rows if not (r["within_budget"] and r["check_passed"])]
    if failed:
        print("Over budget or wrong result: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
