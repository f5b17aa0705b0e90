"""`make bench`'s load part without a load run: wrk's report parsed, targets marked, the
markdown table built, and the URL list built against the test database."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from bench import load_report, load_wrk
from bench.load_urls import PUBLIC, build_targets
from vigil.accounts.models import User
from vigil.demo.accounts import demo_password, demo_users_ensure
from vigil.reference.loader import reference_data_load

ROOT = Path(__file__).resolve().parents[3]
WRK_OUTPUT = """Running 3s test @ http://127.0.0.1:8000/
  1 threads and 1 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.10ms    3.02ms  40.11ms   90.00%
  Latency Distribution
     50%   11.50ms
     99%   30.00ms
  250 requests in 3.00s, 2.10MB read
  Non-2xx or 3xx responses: 2
Requests/sec:     83.20
Transfer/sec:    716.00KB
WRK_JSON {"requests":250,"duration_s":3.004,"bytes":2200000,"p50_ms":11.512,"p90_ms":15.2,\
"p95_ms":18.75,"p99_ms":30.001,"max_ms":40.11,"mean_ms":12.1,"errors_connect":0,\
"errors_read":1,"errors_write":0,"errors_status":2,"errors_timeout":0}
""".replace("\\\n", "")


def test_wrk_report_parsed() -> None:
    parsed = load_wrk.parse(WRK_OUTPUT)
    assert parsed == {
        "requests": 250,
        "rps": 83.2,
        "p50_ms": 11.51,
        "p90_ms": 15.2,
        "p95_ms": 18.75,
        "p99_ms": 30.0,
        "max_ms": 40.11,
        "errors": 3,  # a read error and two answers neither 2xx nor 3xx
    }
    with pytest.raises(ValueError, match="WRK_JSON"):
        load_wrk.parse("Requests/sec: 1.0\n")


def test_wrk_command_sends_the_headers_and_the_lua_report() -> None:
    line = load_wrk.command("http://x/", {"Cookie": "a=b"}, 20, 5)
    assert line[:5] == ["wrk", "-t2", "-c20", "-d5s", "--latency"]
    assert line[-3:-1] == ["-H", "Cookie: a=b"]
    assert str(load_wrk.LUA) in line


def row(**overrides: Any) -> dict[str, Any]:
    base = {
        "role": "coordinator",
        "group": "list",
        "path": "/visits/",
        "target_ms": 50.0,
        "status": 200,
        "c1": {"p50_ms": 20.0, "errors": 0},
        "c20": {"rps": 150.0, "p95_ms": 120.0, "errors": 0},
        "locust": {"p95_ms": 90.0, "failures": 0},
    }
    return {**base, **overrides}


def test_targets_marked_met_or_missed() -> None:
    assert load_report.misses(row()) == []
    assert load_report.misses(row(c1={"p50_ms": 51.0, "errors": 0})) == ["c=1 p50 > 50 ms"]
    assert load_report.misses(row(c20={"rps": 99.0, "p95_ms": 1, "errors": 0})) == [
        "c=20 < 100 req/s"
    ]
    # Saturation is a target of list pages only; an export has no p50 target.
    assert load_report.misses(row(group="detail", c20={"rps": 9, "p95_ms": 1, "errors": 0})) == []
    assert load_report.misses(row(group="export", target_ms=0.0, c1={"p50_ms": 900.0})) == []
    assert load_report.misses(row(locust={"p95_ms": 151.0, "failures": 1})) == [
        "50 users p95 > 150 ms",
        "50 users: failures",
    ]
    assert load_report.misses(row(status=302)) == ["answered 302"]


FACTS = {
    "scale": "national",
    "machine": "cpu, 2 cpus",
    "commit": "abc1234",
    "when": "2026-12-07 23:00 UTC",
    "load_average_before": [0.5, 0.4, 0.3],
    "load_average_after": [1.5, 1.0, 0.5],
    "rows": {"institutions": 3100},
    "server": "gunicorn",
    "wrk_seconds": 10,
    "locust_seconds": 60,
    "locust_users": 50,
    "locust_requests": 1234,
}


def test_markdown_table() -> None:
    rows = load_report.mark([row(), row(path="/appeals/", c1={"p50_ms": 70.0, "errors": 0})])
    text = load_report.markdown({"facts": FACTS, "urls": rows, "in_process": None})
    assert "| coordinator `/visits/` | 20.0 | 150.0 | 120.0 | 90.0 |" in text
    assert "| no: c=1 p50 > 50 ms |" in text
    assert "institutions 3,100" in text
    assert "commit abc1234" in text
    assert "Targets met: 1 of 2 URLs." in text


def test_help() -> None:
    done = subprocess.run(  # noqa: S603 (our interpreter, our script)
        [sys.executable, str(ROOT / "bench" / "load.py"), "--help"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "BENCH_QUICK" in done.stdout
    assert "locust" in done.stdout


@pytest.mark.django_db
def test_url_list_built_and_answering_on_the_test_database() -> None:
    reference_data_load(country="kz")
    demo_users_ensure(password=demo_password())
    clients: dict[str, Client] = {PUBLIC: Client()}

    def get(role: str, path: str) -> tuple[int, str]:
        if role not in clients:
            clients[role] = Client()
            clients[role].force_login(User.objects.get(email=f"{role}@demo.vigil"))
        answer = clients[role].get(path)
        binary = "xml" in answer.get("Content-Type", "") or "csv" in answer.get("Content-Type", "")
        return answer.status_code, "" if binary else answer.content.decode()

    targets = build_targets(get)
    names = {(t.role, t.path) for t in targets}
    assert ("coordinator", "/registry/institutions/?search=изолятор") in names
    assert ("auditor", "/") in names
    assert (PUBLIC, "/appeal/") in names
    assert {t.target_ms for t in targets if t.group == "search"} == {30.0}
    assert {t.target_ms for t in targets if t.group == "systemic"} == {100.0}
    failing = [(t.name, s) for t in targets if (s := get(t.role, t.path)[0]) != 200]
    assert failing == []
    assert len(build_targets(get, quick=True)) <= 8


def test_in_process_measures_held_to_their_budget_and_twice_the_raw_sql(tmp_path: Path) -> None:
    measures = [
        {"name": "raw", "median_ms": 10.0, "budget_ms": 100, "within_budget": True},
        {"name": "sel", "median_ms": 25.0, "budget_ms": 100, "within_budget": True,
         "check_passed": True, "ratio_to_raw_sql": 2.5},
        {"name": "slow", "median_ms": 200.0, "budget_ms": 100, "within_budget": False},
    ]  # fmt: skip
    (tmp_path / "analytics-postgresql.json").write_text(json.dumps({"results": measures}))
    rows = load_report.in_process_rows(tmp_path, ["analytics", "planning"])
    assert [(r["name"], r["met"]) for r in rows] == [("raw", True), ("sel", False), ("slow", False)]
    text = load_report.markdown(
        {"facts": FACTS, "urls": [], "in_process": {"summary": "passed", "measures": rows}}
    )
    assert "| analytics: sel | 25.0 | 100.0 | 2.5 | no |" in text
