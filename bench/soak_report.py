"""The results of `make soak` (bench/soak.py): answers counted by kind, latencies, the faults
and their windows, the writes checked; as JSON and as a markdown table."""

import json
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

from bench.soak_users import Answer

# A fault's window: from a little before it until this long after it ended (the answers of
# requests sent while it lasted).
WINDOW_AFTER_S = 10.0


def _windows(faults: list[dict[str, Any]]) -> list[tuple[str, float, float]]:
    windows = []
    for fault in faults:
        end = fault.get("until", fault["at"] + fault.get("replaced_after_s", 0))
        windows.append((fault["fault"], fault["at"] - 2, end + WINDOW_AFTER_S))
    return windows


def _percentiles(durations: list[float]) -> dict[str, float]:
    if len(durations) < 2:
        return {"p50_ms": round(durations[0], 1) if durations else 0.0, "p95_ms": 0.0}
    cuts = statistics.quantiles(durations, n=100)
    return {"p50_ms": round(cuts[49], 1), "p95_ms": round(cuts[94], 1)}


def summary(
    answers: list[Answer],
    resends: list[float],
    faults: list[dict[str, Any]],
    writes: dict[str, Any],
    facts: dict[str, Any],
) -> dict[str, Any]:
    windows = _windows(faults)
    restart = [w for w in windows if w[0].startswith("PostgreSQL")]

    def within(answer: Answer, among: list[tuple[str, float, float]]) -> bool:
        """Whether the request was in flight during one of the windows."""
        ended = answer.at + answer.ms / 1000
        return any(answer.at <= end and ended >= start for _, start, end in among)

    statuses = Counter(a.status for a in answers if a.status)
    server_errors = [a for a in answers if a.status >= 500 and a.status != 503]
    unavailable = [a for a in answers if a.status == 503]
    no_answer = [a for a in answers if a.status == 0]
    kinds = sorted({a.kind for a in answers})
    latency = {
        kind: {
            "requests": sum(1 for a in answers if a.kind == kind),
            **_percentiles([a.ms for a in answers if a.kind == kind and a.status]),
        }
        for kind in kinds
    }
    errors = {
        "server_errors_5xx": len(server_errors),
        "server_errors_by_path": dict(Counter(f"{a.status} {a.path}" for a in server_errors)),
        "503_in_restart_window": sum(1 for a in unavailable if within(a, restart)),
        "503_outside_restart_window": sum(1 for a in unavailable if not within(a, restart)),
        "503_with_retry_after": sum(1 for a in unavailable if a.error),
        "no_answer_in_fault_windows": sum(1 for a in no_answer if within(a, windows)),
        "no_answer_outside_fault_windows": sum(1 for a in no_answer if not within(a, windows)),
        "no_answer_by_error": dict(Counter(a.error.split(":")[0] for a in no_answer)),
        "no_answer_samples": sorted({a.error for a in no_answer})[:8],
        "resent_in_fault_windows": sum(
            1 for at in resends if any(s <= at <= e for _, s, e in windows)
        ),
        "resent_outside_fault_windows": sum(
            1 for at in resends if not any(s <= at <= e for _, s, e in windows)
        ),
        "client_errors_4xx": {str(s): n for s, n in sorted(statuses.items()) if 400 <= s < 500},
    }
    for fault in faults:
        name, start, end = next(w for w in windows if w[0] == fault["fault"])
        inside = [a for a in answers if within(a, [(name, start, end)])]
        fault["window_s"] = [round(start, 1), round(end, 1)]
        fault["answers_in_window"] = dict(
            Counter(str(a.status or a.error.split(":")[0]) for a in inside)
        )
        after = [a.at for a in answers if a.at > fault.get("until", fault["at"]) and a.status]
        ok_after = [
            a.at
            for a in answers
            if a.at > fault.get("until", fault["at"]) and 200 <= a.status < 400
        ]
        if ok_after:
            fault["first_success_after_s"] = round(min(ok_after) - fault["at"], 2)
        fault["answered_after"] = len(after)
    lost = sum(len(w["lost"]) for w in writes.values())
    verdict = {
        "requests": len(answers),
        "server_errors_5xx": len(server_errors),
        "503_outside_restart_window": errors["503_outside_restart_window"],
        "no_answer_outside_fault_windows": errors["no_answer_outside_fault_windows"],
        "writes_acknowledged": sum(w["acknowledged"] for w in writes.values()),
        "writes_found": sum(w["found"] for w in writes.values()),
        "writes_lost": lost,
    }
    verdict["passed"] = not (
        server_errors
        or errors["503_outside_restart_window"]
        or errors["no_answer_outside_fault_windows"]
        or lost
        or not faults
    )
    return {
        **facts,
        "verdict": verdict,
        "statuses": {str(s): n for s, n in sorted(statuses.items())},
        "errors": errors,
        "latency": {"all": _percentiles([a.ms for a in answers if a.status]), **latency},
        "writes": writes,
        "faults": faults,
    }


def write_report(stem: Path, result: dict[str, Any]) -> None:
    stem.parent.mkdir(parents=True, exist_ok=True)
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    verdict, errors = result["verdict"], result["errors"]
    lines = [
        f"# Soak: {result['users']} users for {result['seconds']} s on PostgreSQL",
        "",
        f"Commit {result['commit']}, {result['machine']}, Python {result['python']}; load "
        f"average before {result['load_average_before']}, highest during "
        f"{result['load_average_during_max']}, after {result['load_average_after']} "
        "(a machine shared with other work).",
        "",
        "| measure | value |",
        "|---|---|",
        f"| requests | {verdict['requests']} |",
        f"| server errors (5xx other than 503) | {verdict['server_errors_5xx']} |",
        f"| 503 in the restart window (expected) | {errors['503_in_restart_window']} |",
        f"| 503 outside it | {errors['503_outside_restart_window']} |",
        f"| no answer, in a fault window | {errors['no_answer_in_fault_windows']} |",
        f"| no answer, outside | {errors['no_answer_outside_fault_windows']} |",
        f"| 4xx | {errors['client_errors_4xx']} |",
        "| sent again on a new connection (closed kept-alive connection), in a fault window / "
        f"outside | {errors['resent_in_fault_windows']} / {errors['resent_outside_fault_windows']} |",
        f"| p50 / p95, all answers | {result['latency']['all']['p50_ms']} ms / "
        f"{result['latency']['all']['p95_ms']} ms |",
        f"| writes acknowledged / found / lost | {verdict['writes_acknowledged']} / "
        f"{verdict['writes_found']} / {verdict['writes_lost']} |",
        f"| task worker exits (restarted) | {len(result['task_worker_exits'])} |",
        f"| **passed** | **{verdict['passed']}** |",
        "",
        "| kind | requests | p50 ms | p95 ms |",
        "|---|---|---|---|",
        *(
            f"| {kind} | {row['requests']} | {row['p50_ms']} | {row['p95_ms']} |"
            for kind, row in result["latency"].items()
            if kind != "all"
        ),
        "",
        "Faults:",
        "",
        *(f"- {json.dumps(fault, ensure_ascii=False)}" for fault in result["faults"]),
        "",
    ]
    stem.with_suffix(".md").write_text("\n".join(lines))
