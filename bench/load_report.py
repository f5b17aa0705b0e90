"""The results of `make bench`'s load part: targets met or missed, and the markdown table."""

import json
from pathlib import Path
from typing import Any

SATURATION_RPS = 100.0  # at 20 connections, for list pages
SATURATION_GROUPS = {"list", "filter", "search", "last"}
USERS_P95_MS = 150.0  # 50 users with think time
RAW_SQL_RATIO = 2.0  # a statistics selector against the same aggregate in raw SQL


def misses(row: dict[str, Any]) -> list[str]:
    """The targets this URL misses (empty: all met); a URL that did not answer 200 misses all."""
    if row.get("status") != 200:
        return [f"answered {row.get('status')}"]
    found = []
    c1, c20, users = row.get("c1") or {}, row.get("c20") or {}, row.get("locust") or {}
    target = row.get("target_ms") or 0
    if target and c1 and c1["p50_ms"] > target:
        found.append(f"c=1 p50 > {target:g} ms")
    if (c1 and not c1.get("requests", 1)) or (c20 and not c20.get("requests", 1)):
        found.append("wrk: no answer within the run")
    if c1.get("errors") or c20.get("errors"):
        found.append("wrk errors")
    if row.get("group") in SATURATION_GROUPS and c20 and c20["rps"] < SATURATION_RPS:
        found.append(f"c=20 < {SATURATION_RPS:g} req/s")
    if users.get("p95_ms") is not None and users["p95_ms"] > USERS_P95_MS:
        found.append(f"50 users p95 > {USERS_P95_MS:g} ms")
    if users.get("failures"):
        found.append("50 users: failures")
    return found


def mark(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        row["missed"] = misses(row)
        row["met"] = not row["missed"]
    return rows


def in_process_rows(results: Path, groups: list[str]) -> list[dict[str, Any]]:
    """bench/run.py's measures (bench/results/<group>-postgresql.json, planning.json), each
    with its budget met or not, the selectors also held to RAW_SQL_RATIO x the raw SQL."""
    rows = []
    for group in groups:
        path = results / (f"{group}-postgresql.json" if group != "planning" else "planning.json")
        if not path.exists():
            continue
        data = json.loads(path.read_text())
        for measure in data.get("results", data if isinstance(data, list) else []):
            ratio = measure.get("ratio_to_raw_sql")
            met = bool(measure.get("within_budget")) and bool(measure.get("check_passed", True))
            rows.append(
                {
                    "group": group,
                    "name": measure.get("name", ""),
                    "median_ms": measure.get("median_ms"),
                    "budget_ms": measure.get("budget_ms"),
                    "ratio_to_raw_sql": ratio,
                    "met": met and (ratio is None or ratio <= RAW_SQL_RATIO),
                }
            )
    return rows


def _ms(value: Any) -> str:
    return "–" if value is None else f"{value:.1f}"


def target_text(row: dict[str, Any]) -> str:
    parts = [f"p50 ≤ {row['target_ms']:g}"] if row.get("target_ms") else []
    if row.get("group") in SATURATION_GROUPS:
        parts.append(f"≥ {SATURATION_RPS:g}/s")
    return ", ".join([*parts, f"p95 ≤ {USERS_P95_MS:g}"])


def markdown(result: dict[str, Any]) -> str:
    facts = result["facts"]
    lines = [
        f"# Load benchmark: PostgreSQL, {facts['scale']} scale",
        "",
        f"- machine: {facts['machine']}; commit {facts['commit']}; {facts['when']}",
        f"- load average before {facts['load_average_before']}, after "
        f"{facts['load_average_after']}",
        f"- rows: {', '.join(f'{k} {v:,}' for k, v in facts['rows'].items())}",
        f"- server: {facts['server']}",
        f"- wrk {facts['wrk_seconds']} s per URL at 1 and 20 connections; locust "
        f"{facts['locust_users']} users, think time 1–3 s, {facts['locust_seconds']} s"
        + (f" ({facts['locust_requests']:,} requests)" if "locust_requests" in facts else ""),
        "",
        "| page | c=1 p50 ms | c=20 req/s | c=20 p95 ms | 50 users p95 ms | target | met? |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for row in result["urls"]:
        c1, c20, users = row.get("c1") or {}, row.get("c20") or {}, row.get("locust") or {}
        verdict = "yes" if row["met"] else "no: " + "; ".join(row["missed"])
        lines.append(
            f"| {row['role']} `{row['path']}` | {_ms(c1.get('p50_ms'))} | "
            f"{_ms(c20.get('rps'))} | {_ms(c20.get('p95_ms'))} | {_ms(users.get('p95_ms'))} | "
            f"{target_text(row)} | {verdict} |"
        )
    in_process = result.get("in_process")
    if in_process:
        lines += ["", "## In process (bench/run.py)", "", f"{in_process['summary']}", ""]
        lines += [
            f"| measure | median ms | budget ms | × raw SQL (≤ {RAW_SQL_RATIO:g}) | met? |",
            "|---|---:|---:|---:|---|",
        ]
        for m in in_process.get("measures", []):
            ratio = "" if m["ratio_to_raw_sql"] is None else f"{m['ratio_to_raw_sql']:g}"
            lines.append(
                f"| {m['group']}: {m['name']} | {_ms(m['median_ms'])} | {_ms(m['budget_ms'])} | "
                f"{ratio} | {'yes' if m['met'] else 'no'} |"
            )
    met = sum(1 for row in result["urls"] if row["met"])
    lines += ["", f"Targets met: {met} of {len(result['urls'])} URLs.", ""]
    return "\n".join(lines)


def write(path_stem: Path, result: dict[str, Any]) -> None:
    path_stem.parent.mkdir(parents=True, exist_ok=True)
    path_stem.with_suffix(".json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    path_stem.with_suffix(".md").write_text(markdown(result))
