"""`make bench`: Vigil under load on PostgreSQL (not part of `make test`).

1. The database (BENCH_DATABASE_URL, default vigil_bench_<BENCH_SCALE> on 127.0.0.1): made,
   migrated and loaded with the demo data at BENCH_SCALE (national) once
   (bench/load_setup.py).
2. The in-process measures (bench/run.py) on the same database: the pages' budgets, the
   statistics selectors against the same aggregates in raw SQL, the annual report, the
   imports, the plan solver.
3. gunicorn (config/gunicorn.conf.py, 2 workers, config.settings.production) on a free
   loopback port; each demo role signed in (two-factor off for the run); the URL list per
   role (bench/load_urls.py), each URL checked to answer 200.
4. wrk per URL at 1 and 20 connections, BENCH_WRK_SECONDS (20) each (bench/load_wrk.py);
   locust headless, 50 users of the role mix with 1–3 s think time for BENCH_LOCUST_SECONDS
   (300) (bench/locustfile.py).
5. bench/results/load-postgresql-<scale>.json and .md: per URL c=1 p50, c=20 req/s and p95,
   50 users p95, the target and whether it is met; machine, commit, load average, row counts;
   bench/results/explain-postgresql-<scale>.md: EXPLAIN of the slowest queries (bench/explain.py).

Exit 1 when a URL does not answer 200, locust or wrk saw errors, or the in-process part
failed; a target missed is marked in the table. BENCH_QUICK=1: a few URLs, wrk 3 s, locust
20 s. `--in-process-only`: step 2 again, into the last results. `--help` prints this.
"""

import csv
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load_report, load_setup, load_wrk  # noqa: E402
from bench.load_urls import PUBLIC, Target, build_targets, role_weights  # noqa: E402
from bench.soak_users import EMAILS  # noqa: E402

QUICK = os.environ.get("BENCH_QUICK") == "1"
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "3" if QUICK else "20"))
LOCUST_SECONDS = int(os.environ.get("BENCH_LOCUST_SECONDS", "20" if QUICK else "300"))
LOCUST_USERS = 50
RESULTS = ROOT / "bench" / "results"
HTTPS = {"X-Forwarded-Proto": "https"}  # as the TLS proxy in front of production says


class Client:
    """Each role's credentials on the server: a session cookie (pages) and an API token."""

    def __init__(self, base: str, password: str) -> None:
        self.base, self.password = base, password
        self.cookies: dict[str, str] = {}
        self.tokens: dict[str, str] = {}

    def sign_in(self, role: str) -> None:
        import requests

        email, login = EMAILS[role], f"{self.base}/accounts/login/"
        # Production's cookies are Secure, which requests keeps but does not send over plain
        # HTTP: they go in a Cookie header of our own.
        page = requests.get(login, headers=HTTPS, timeout=60)
        csrf = page.cookies.get("csrftoken", "")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        answer = requests.post(
            login,
            data={"username": email, "password": self.password,
                  "csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={**HTTPS, "Cookie": f"csrftoken={csrf}",
                     "Referer": login.replace("http://", "https://")},
            timeout=60, allow_redirects=False,
        )  # fmt: skip
        if answer.status_code != 302:
            raise RuntimeError(f"{email} could not sign in ({answer.status_code})")
        self.cookies[role] = "; ".join(f"{k}={v}" for k, v in answer.cookies.items())
        obtained = requests.post(
            f"{self.base}/api/v1/auth/token/",
            json={"email": email, "password": self.password, "name": "bench"},
            headers=HTTPS, timeout=60,
        )  # fmt: skip
        obtained.raise_for_status()
        self.tokens[role] = obtained.json()["token"]

    def headers(self, role: str, path: str) -> dict[str, str]:
        if role == PUBLIC:
            return dict(HTTPS)
        if path.startswith("/api/"):
            return {**HTTPS, "Authorization": f"Token {self.tokens[role]}"}
        return {**HTTPS, "Cookie": self.cookies[role]}

    def get(self, role: str, path: str) -> tuple[int, str]:
        import requests

        answer = requests.get(
            f"{self.base}{path}", headers=self.headers(role, path), timeout=120,
            allow_redirects=False,
        )  # fmt: skip
        binary = "text" not in answer.headers.get("Content-Type", "") and "json" not in (
            answer.headers.get("Content-Type", "")
        )
        return answer.status_code, "" if binary else answer.text


def in_process() -> dict[str, Any]:
    """bench/run.py on the same database, with its keys (the demo data is encrypted)."""
    env = {
        **os.environ,
        **load_setup.keys(),
        "BENCH_DATABASE_URL": load_setup.DATABASE_URL,
        "VIGIL_KEY_DIR": tempfile.mkdtemp(prefix="vigil-bench-keys-"),
    }
    started = time.monotonic()
    done = subprocess.run(  # noqa: S603 (our interpreter)
        [load_setup.PY, "bench/run.py"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    print(done.stdout, end="")
    failed = [line for line in done.stdout.splitlines() if line.rstrip().endswith("FAIL")]
    summary = (
        f"{'passed' if done.returncode == 0 else 'FAILED'} in {time.monotonic() - started:.0f} s"
        f" (results in bench/results/*-postgresql.json and planning.json)"
        + (
            f"; over budget or wrong: {', '.join(f.split('  ')[0] for f in failed)}"
            if failed
            else ""
        )
    )
    if done.returncode and not failed:
        summary += f"; {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ''}"
    groups = ["registry", "visits", "recommendations", "appeals", "analytics", "planning"]
    return {
        "returncode": done.returncode,
        "summary": summary,
        "failed": failed,
        "measures": load_report.in_process_rows(RESULTS, groups),
    }


def run_locust(client: Client, targets: list[Target]) -> tuple[dict[str, dict[str, Any]], int]:
    weights = role_weights()
    roles: dict[str, Any] = {}
    for role in sorted({t.role for t in targets}):
        roles[role] = {
            "weight": weights.get(role, 1),
            "page_headers": client.headers(role, "/"),
            "api_headers": client.headers(role, "/api/"),
            "paths": [(t.group, t.path) for t in targets if t.role == role],
        }
    folder = Path(tempfile.mkdtemp(prefix="vigil-bench-locust-"))
    plan = folder / "plan.json"
    plan.write_text(json.dumps({"base": client.base, "roles": roles}))
    command = [
        load_setup.tool("locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
        "-u", str(LOCUST_USERS), "-r", "10", "-t", f"{LOCUST_SECONDS}s", "--csv",
        str(folder / "run"), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10",
    ]  # fmt: skip
    subprocess.run(  # noqa: S603 (locust, our arguments)
        command, env={**os.environ, "BENCH_LOAD_PLAN": str(plan)}, cwd=ROOT,
        capture_output=True, timeout=LOCUST_SECONDS + 180,
    )  # fmt: skip
    return parse_locust(folder / "run_stats.csv")


def parse_locust(path: Path) -> tuple[dict[str, dict[str, Any]], int]:
    """Per request name: count, failures, p50/p95 (ms); and the total count."""
    stats: dict[str, dict[str, Any]] = {}
    total = 0
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            figures: dict[str, Any] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": float(row["50%"]) if row["50%"] != "N/A" else None,
                "p95_ms": float(row["95%"]) if row["95%"] != "N/A" else None,
            }
            if row["Name"] == "Aggregated":
                total = figures["requests"]
                stats["Aggregated"] = figures
            else:
                stats[row["Name"]] = figures
    return stats, total


def row_counts() -> dict[str, int]:
    query = (
        "from django.apps import apps; import json; print(json.dumps({m: apps.get_model(m)"
        ".objects.count() for m in ['registry.Institution', 'visits.Visit', "
        "'recommendations.Recommendation', 'appeals.Appeal', 'people.Participant']}))"
    )
    counts = json.loads(load_setup.manage("shell", "-c", query).strip().splitlines()[-1])
    return {name.split(".")[1].lower() + "s": n for name, n in counts.items()}


def machine() -> str:
    model = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )  # fmt: skip
    return f"{model}, {os.cpu_count()} cpus, {platform.system()} {platform.machine()}"


def in_process_only() -> int:
    """`bench/load.py --in-process-only`: bench/run.py again, into the last load results."""
    stem = RESULTS / f"load-postgresql-{load_setup.SCALE}"
    result = json.loads(stem.with_suffix(".json").read_text())
    result["in_process"] = in_process()
    load_report.write(stem, result)
    return 1 if result["in_process"]["returncode"] else 0


def main() -> int:
    if "--help" in sys.argv or "-h" in sys.argv:
        print(__doc__)
        return 0
    if "--in-process-only" in sys.argv:
        return in_process_only()
    prepared = load_setup.prepare()
    print(f"database {load_setup.database_name()} ready: {prepared}")
    processed = in_process() if os.environ.get("BENCH_SKIP_IN_PROCESS") != "1" else None
    load_setup.authenticators_removed()
    load_before = [round(x, 2) for x in os.getloadavg()]
    server = load_setup.Server()
    errors: list[str] = []
    try:
        server.wait_until_up()
        password = load_setup.manage(
            "shell", "-c", "from vigil.demo.accounts import demo_password as p; print(p())"
        )
        client = Client(server.base, password.strip().splitlines()[-1])
        for role in EMAILS:
            client.sign_in(role)
        targets = build_targets(client.get, quick=QUICK)
        rows: list[dict[str, Any]] = []
        for target in targets:
            server.drained()  # the queue of the previous URL's 20 connections served first
            try:
                status, _body = client.get(target.role, target.path)
            except OSError as exc:  # requests' errors: no answer within 120 s
                status = 0
                errors.append(f"{target.name}: {type(exc).__name__}")
            row: dict[str, Any] = {**target.__dict__, "status": status}
            if status != 200:
                errors.append(f"{target.name} answered {status}")
            else:
                url, headers = server.base + target.path, client.headers(target.role, target.path)
                row["c1"] = load_wrk.run(url, headers, 1, WRK_SECONDS)
                # An export is a download of the whole list, not a page to saturate.
                if target.group != "export":
                    row["c20"] = load_wrk.run(url, headers, 20, WRK_SECONDS)
                else:
                    row["c20"] = None
                print(f"{target.name:70s} c=1 p50 {row['c1']['p50_ms']:7.1f} ms  "
                      f"c=20 {(row['c20'] or {}).get('rps')}/s")  # fmt: skip
            rows.append(row)
        measured = [t for t, r in zip(targets, rows, strict=True) if r["status"] == 200]
        users, locust_total = run_locust(client, measured)
        for row in rows:
            row["locust"] = users.get(f"{row['role']} {row['path']}")
        if users.get("Aggregated", {}).get("failures"):
            errors.append(f"locust: {users['Aggregated']['failures']} failures")
        errors += [f"{r['role']} {r['path']}: wrk errors" for r in rows
                   if (r.get("c1") or {}).get("errors") or (r.get("c20") or {}).get("errors")]  # fmt: skip
    finally:
        server.stop()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT  # noqa: S607
    ).stdout.strip()  # fmt: skip
    result = {
        "facts": {
            "scale": load_setup.SCALE,
            "database": load_setup.database_name(),
            "machine": machine(),
            "commit": commit,
            "when": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "load_average_before": load_before,
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "rows": row_counts(),
            "server": "gunicorn, 2 workers x 4 threads, config.settings.production, DEBUG off",
            "wrk_seconds": WRK_SECONDS,
            "locust_seconds": LOCUST_SECONDS,
            "locust_users": LOCUST_USERS,
            "locust_requests": locust_total,
            "locust_all": users.get("Aggregated"),
            "prepare": prepared,
            "quick": QUICK,
        },
        "urls": load_report.mark(rows),
        "in_process": processed,
        "errors": errors,
    }
    stem = RESULTS / f"load-postgresql-{load_setup.SCALE}{'-quick' if QUICK else ''}"
    load_report.write(stem, result)
    print(load_report.markdown(result))
    if not QUICK:
        subprocess.run(  # noqa: S603 (our interpreter)
            [load_setup.PY, "bench/explain.py"], cwd=ROOT, env=load_setup.environment()
        )
    for error in errors:
        print(f"ERROR: {error}")
    return 1 if errors or (processed and processed["returncode"]) else 0


if __name__ == "__main__":
    sys.exit(main())
