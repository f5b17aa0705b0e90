"""What `make bench`'s load part requests, per role: one list shared by wrk and locust.

Each role's home and its lists (with their common filters, the registry search «изолятор»,
the last page), a detail of each kind of record it sees, the list exports (CSV, XLSX), the
API lists, and the public pages. The ids come from the running server (the first row of an
API list), so the builder needs only a `get(role, path) -> (status, body)` function: HTTP
against gunicorn in bench/load.py, Django's test client in the tests.
"""

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from bench.soak_users import ROLE_MIX

SEARCH = "изолятор"
PUBLIC = "public"  # not signed in
# The c=1 p50 targets of the issue (ms): every page and API list 50, the registry search 30,
# the systemic issues 100; an export is a file of the whole list, timed but held to no page
# target (its in-process budget is in bench/registry.py).
TARGET_MS = {"search": 30.0, "systemic": 100.0, "export": 0.0}
PAGE_TARGET_MS = 50.0

Get = Callable[[str, str], tuple[int, str]]

# role -> (group, path); {region} is a region in the role's scope, {year} this year.
PAGES: dict[str, list[tuple[str, str]]] = {
    "coordinator": [
        ("home", "/"),
        ("list", "/registry/institutions/"),
        ("search", f"/registry/institutions/?search={SEARCH}"),
        ("filter", "/registry/institutions/?region={region}&ordering=-capacity"),
        ("last", "/registry/institutions/?page=last"),
        ("export", "/registry/institutions/?export=csv"),
        ("export", "/registry/institutions/?export=xlsx"),
        ("list", "/visits/"),
        ("last", "/visits/?page=last"),
        ("list", "/visits/plan/{year}/"),
        ("list", "/recommendations/"),
        ("last", "/recommendations/?page=last"),
        ("list", "/recommendations/tallies/"),
        ("systemic", "/recommendations/systemic/"),
        ("list", "/recommendations/escalations/"),
        ("list", "/appeals/"),
        ("filter", "/appeals/?overdue=true&region={region}"),
        ("last", "/appeals/?ordering=due&page=last"),
        ("export", "/appeals/?export=csv"),
        ("list", "/appeals/funnel/"),
        ("list", "/analysis/"),
        ("list", "/analysis/institutions/"),
        ("list", "/people/"),
        ("list", "/international/"),
        ("api", "/api/v1/institutions/"),
        ("api", f"/api/v1/institutions/?search={SEARCH}"),
        ("api", "/api/v1/institutions/?page=last"),
        ("api", "/api/v1/visits/"),
        ("api", "/api/v1/recommendations/"),
        ("api", "/api/v1/appeals/"),
        ("api", "/api/v1/participants/"),
        ("api", "/api/v1/statistics/"),
    ],
    "regional": [
        ("home", "/"),
        ("filter", "/registry/institutions/?region={region}"),
        ("list", "/visits/mine/"),
        ("list", "/appeals/"),
        ("api", "/api/v1/visits/"),
    ],
    "monitor": [
        ("home", "/"),
        ("list", "/visits/mine/"),
        ("list", "/visits/"),
        ("api", "/api/v1/notes/"),
        ("api", "/api/v1/findings/"),
    ],
    "liaison": [
        ("home", "/"),
        ("list", "/recommendations/portal/"),
        ("api", "/api/v1/recommendations/"),
    ],
    "auditor": [("home", "/"), ("list", "/audit/"), ("list", "/audit/access/")],
    "admin": [("home", "/"), ("list", "/accounts/users/")],
    PUBLIC: [
        ("public", "/accounts/login/"),
        ("public", "/appeal/"),
        ("public", "/appeal/status/"),
        ("public", "/open-data/"),
    ],
}
# Details: role -> (API list, how a row names its page).
DETAILS: dict[str, list[tuple[str, str]]] = {
    "coordinator": [
        ("/api/v1/institutions/", "html_url"),
        ("/api/v1/visits/", "html_url"),
        ("/api/v1/recommendations/", "html_url"),
        ("/api/v1/participants/", "html_url"),
        ("/api/v1/appeals/", "/appeals/{id}/"),
    ],
    "monitor": [("/api/v1/visits/", "html_url")],
    "liaison": [("/api/v1/recommendations/", "/recommendations/portal/{id}/")],
}
QUICK = {  # BENCH_QUICK=1: a few of each kind
    ("coordinator", "/"),
    ("coordinator", "/registry/institutions/"),
    ("coordinator", f"/registry/institutions/?search={SEARCH}"),
    ("coordinator", "/api/v1/institutions/"),
    ("monitor", "/visits/mine/"),
    (PUBLIC, "/open-data/"),
}


@dataclass(frozen=True)
class Target:
    role: str
    group: str
    path: str
    target_ms: float

    @property
    def name(self) -> str:
        return f"{self.role} {self.path}"

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")


def first_rows(get: Get, role: str, path: str) -> list[dict[str, object]]:
    status, body = get(role, path)
    if status != 200:
        return []
    return list(json.loads(body).get("results", []))


def detail_path(row: dict[str, object], how: str) -> str:
    if how == "html_url":
        return urlsplit(str(row["html_url"])).path
    return how.format(id=row["id"])


def role_region(get: Get) -> str:
    """A region the regional coordinator sees (the coordinator sees every region)."""
    rows = first_rows(get, "regional", "/api/v1/institutions/")
    return str(rows[0]["region"]) if rows else ""


def open_data_pages(get: Get) -> list[str]:
    status, body = get(PUBLIC, "/open-data/")
    found = re.findall(r'href="(/open-data/[a-z0-9-]+/\d{4}/)"', body) if status == 200 else []
    return sorted(set(found))[:1]


def build_targets(get: Get, *, quick: bool = False) -> list[Target]:
    region = role_region(get)
    wanted: list[tuple[str, str, str]] = []
    for role, pages in PAGES.items():
        wanted += [
            (role, group, path.format(region=region, year=datetime.datetime.now(datetime.UTC).year))
            for group, path in pages
        ]
    for role, sources in DETAILS.items():
        for source, how in sources:
            wanted += [
                (role, "detail", detail_path(row, how)) for row in first_rows(get, role, source)[:1]
            ]
    wanted += [(PUBLIC, "public", path) for path in open_data_pages(get)]
    if quick:
        wanted = [w for w in wanted if (w[0], w[2]) in QUICK or w[1] == "detail"][:8]
    return [
        Target(role, group, path, TARGET_MS.get(group, PAGE_TARGET_MS))
        for role, group, path in wanted
    ]


def role_weights() -> dict[str, int]:
    """The 50 users' role mix (bench/soak_users.py), and a few anonymous visitors."""
    return {**ROLE_MIX, PUBLIC: 2}


def as_json(targets: list[Target]) -> list[dict[str, object]]:
    return [asdict(t) for t in targets]
