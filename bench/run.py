"""Benchmarks at national scale (3,000+ institutions). Not a test: `make bench`.

Loads the national demo data set into its own SQLite file (var/bench.sqlite3, or the
database in BENCH_DATABASE_URL), then times the main reads and writes as the demo users
make them: the registry and its exports (bench/registry.py), planning a visit
(bench/visits.py), the recommendation work queues and a liaison's answer
(bench/recommendations.py), the appeals list and an appeal's page at 16,000 appeals, with
their query counts constant (bench/appeals.py), the dashboards' selectors against the same
aggregates in raw SQL (bench/analytics.py), the annual visit plan computed from the demo database
and the optimiser on a synthetic national instance (bench/planning.py:
bench/results/planning.json). Each measure has a budget and a correctness check; the results
go to bench/results/<group>-<database>.json (database: sqlite or postgresql) and the run
fails when a check or a budget fails.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
os.environ["DJANGO_DEBUG"] = "0"
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
# The demo coordinator signs in without a second factor here (its own tests cover it): with
# two-factor required, every page would redirect to the enrolment and the checks would fail.
os.environ.setdefault("VIGIL_TWO_FACTOR_REQUIRED_ROLES", "")
(ROOT / "var" / "static").mkdir(parents=True, exist_ok=True)  # whitenoise serves from here

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.analytics import analytics_measures, report_build_measures  # noqa: E402
from bench.appeals import appeals_measures  # noqa: E402
from bench.harness import write_results  # noqa: E402
from bench.planning import (  # noqa: E402
    demo_plan_measure,
    planning_measures,
    write_planning_results,
)
from bench.recommendations import recommendations_measures  # noqa: E402
from bench.registry import registry_measures  # noqa: E402
from bench.visits import visits_measures  # noqa: E402
from vigil.accounts.models import User  # noqa: E402
from vigil.appeals.models import Appeal  # noqa: E402
from vigil.recommendations.models import Recommendation  # noqa: E402
from vigil.registry.models import Institution  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def main() -> int:
    call_command("migrate", verbosity=0)
    call_command("seed_reference_data", verbosity=0)
    scale = os.environ.get("BENCH_SCALE", "national")
    call_command("generate_demo_data", seed=1, scale=scale, verbosity=0, allow_production=True)
    coordinator = User.objects.get(email="coordinator@demo.vigil")
    liaison = User.objects.get(email="liaison@demo.vigil")
    client = Client()
    client.force_login(coordinator)
    facts = {
        "institutions": Institution.objects.count(),
        "recommendations": Recommendation.objects.count(),
        "appeals": Appeal.objects.count(),
    }
    groups = {
        "registry": registry_measures(client),
        "visits": visits_measures(client, coordinator),
        "recommendations": recommendations_measures(client, liaison),
        "appeals": appeals_measures(client, coordinator),
        "analytics": analytics_measures(coordinator) + report_build_measures(coordinator),
    }
    for group, rows in groups.items():
        write_results(RESULTS / f"{group}-{connection.vendor}.json", rows, **facts)
    planning = [demo_plan_measure(), *planning_measures()]
    write_planning_results(RESULTS / "planning.json", planning)
    print(f"Results written to {RESULTS.relative_to(ROOT)}/")
    failed = [
        r["name"]
        for rows in [*groups.values(), planning]
        for r in rows
        if not (r["within_budget"] and r["check_passed"])
    ]
    if failed:
        print("Over budget or wrong result: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
