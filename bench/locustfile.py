"""locust's users for `make bench` (bench/load.py writes the plan it reads: BENCH_LOAD_PLAN).

One user class per role, weighted by the role mix; each signed-in user sends its role's
session cookie (pages) or API token (API), and picks a URL of its role's list (an export a
fifth as often as a page: a person reads lists more than they download them) with 1–3 s of
think time. Requests are named "<role> <path>", as in the wrk results.
"""

import json
import os
import random
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

PLAN: dict[str, Any] = json.loads(Path(os.environ["BENCH_LOAD_PLAN"]).read_text())


def make_user(role: str, spec: dict[str, Any]) -> type[HttpUser]:
    paths = [(group, path) for group, path in spec["paths"]]
    weights = [0.2 if group == "export" else 1.0 for group, _ in paths]

    class RoleUser(HttpUser):
        weight = spec["weight"]
        wait_time = between(1, 3)
        host = PLAN["base"]

        @task
        def visit(self) -> None:
            _group, path = random.choices(paths, weights)[0]
            headers = spec["api_headers"] if path.startswith("/api/") else spec["page_headers"]
            self.client.get(path, headers=headers, name=f"{role} {path}", allow_redirects=False)

    RoleUser.__name__ = f"{role.capitalize()}User"
    return RoleUser


for _role, _spec in PLAN["roles"].items():
    globals()[f"{_role.capitalize()}User"] = make_user(_role, _spec)
