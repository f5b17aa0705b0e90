"""The slowest queries of the slowest pages, with EXPLAIN (ANALYZE, BUFFERS) (`make bench`).

Reads bench/results/load-postgresql-<scale>.json, opens its BENCH_EXPLAIN_PAGES (5) slowest
pages and API lists at one connection (exports aside) in process as their role, records their
queries, and explains the BENCH_EXPLAIN_QUERIES (5) slowest of them on the same database.
Output: bench/results/explain-postgresql-<scale>.md (docs/performance.md quotes it).
pg_stat_statements would need a server restart with its library preloaded; the queries of the
pages themselves are what matters here. Run by bench/load.py with the load's environment.
"""

import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCALE = os.environ.get("BENCH_SCALE", "national")
RESULTS = ROOT / "bench" / "results"
PAGES = int(os.environ.get("BENCH_EXPLAIN_PAGES", "5"))
QUERIES = int(os.environ.get("BENCH_EXPLAIN_QUERIES", "5"))


def slowest_pages(result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = [r for r in result["urls"] if r.get("c1") and r["group"] not in {"export", "public"}]
    return sorted(rows, key=lambda r: -r["c1"]["p50_ms"])[:PAGES]


def main() -> int:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from vigil.accounts.models import User

    result = json.loads((RESULTS / f"load-postgresql-{SCALE}.json").read_text())
    seen: dict[str, dict[str, Any]] = {}
    for page in slowest_pages(result):
        client = Client(headers={"X-Forwarded-Proto": "https"}, HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(email=f"{page['role']}@demo.vigil"))
        client.get(page["path"])  # warm
        with CaptureQueriesContext(connection) as captured:
            client.get(page["path"])
        for query in captured.captured_queries:
            sql, ms = query["sql"], float(query["time"]) * 1000
            if sql.startswith(("SELECT", "WITH")) and ms > seen.get(sql, {}).get("ms", -1):
                seen[sql] = {"ms": ms, "page": f"{page['role']} {page['path']}"}
    lines = [f"# The slowest queries of the slowest pages ({SCALE} scale)", ""]
    top = sorted(seen.items(), key=lambda item: -item[1]["ms"])[:QUERIES]
    for number, (sql, where) in enumerate(top, start=1):
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        shown = sql if len(sql) < 1500 else sql[:1500] + " …"
        lines += [
            f"## {number}. {where['ms']:.1f} ms, on `{where['page']}`",
            "",
            "```sql",
            shown,
            "```",
            "",
            "```",
            plan,
            "```",
            "",
        ]
    out = RESULTS / f"explain-postgresql-{SCALE}.md"
    out.write_text("\n".join(lines))
    print(f"EXPLAIN of {len(top)} queries in {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
