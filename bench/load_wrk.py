"""wrk for `make bench` (bench/load.py): one URL at a time, at 1 and at 20 connections.

bench/wrk_report.lua prints wrk's summary as one JSON line (exact percentiles); the parser
falls back to wrk's own text (`Requests/sec:`, `Non-2xx`, `Socket errors`) for the rest.
"""

import json
import re
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import quote

LUA = Path(__file__).resolve().parent / "wrk_report.lua"


def parse(output: str) -> dict[str, Any]:
    """The figures of one wrk run: latency percentiles (ms), req/s, errors (non-2xx/3xx
    answers, socket errors, timeouts)."""
    found = re.search(r"^WRK_JSON (\{.*\})$", output, re.MULTILINE)
    if not found:
        raise ValueError("no WRK_JSON line in wrk's output (was bench/wrk_report.lua used?)")
    data = json.loads(found.group(1))
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    seconds = data["duration_s"] or 1.0
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket = sum(data[f"errors_{kind}"] for kind in ("connect", "read", "write", "timeout"))
    return {
        "requests": data["requests"],
        "rps": round(float(rate.group(1)) if rate else data["requests"] / seconds, 1),
        "p50_ms": round(data["p50_ms"], 2),
        "p90_ms": round(data["p90_ms"], 2),
        "p95_ms": round(data["p95_ms"], 2),
        "p99_ms": round(data["p99_ms"], 2),
        "max_ms": round(data["max_ms"], 2),
        "errors": socket + (int(non_2xx.group(1)) if non_2xx else data["errors_status"]),
    }


def command(url: str, headers: dict[str, str], connections: int, seconds: int) -> list[str]:
    threads = min(connections, 2)
    line = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    line += ["--timeout", "30s", "-s", str(LUA)]
    for name, value in headers.items():
        line += ["-H", f"{name}: {value}"]
    return [*line, quote(url, safe=":/?=&%")]  # wrk takes ASCII URLs only


def run(url: str, headers: dict[str, str], connections: int, seconds: int) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603 (wrk, our arguments)
        command(url, headers, connections, seconds),
        capture_output=True, text=True, timeout=seconds + 120,
    )  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"wrk failed: {done.stderr[-500:]}")
    return parse(done.stdout)
