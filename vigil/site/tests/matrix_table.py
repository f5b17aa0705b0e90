"""The authorization matrix of docs/permissions.md as data, and the routes it must cover: every
named URL pattern outside the API, every operation of the committed schema and every API URL
pattern (which must match an operation or have a row of its own)."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver

from vigil.site.tests.matrix_data import COLUMNS, VARIANTS

DOCS = Path(settings.BASE_DIR) / "docs"
PERMISSIONS = DOCS / "permissions.md"
SCHEMA = DOCS / "openapi.yaml"
SECTION = "## Authorization matrix, route by route"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# What a cell may say: allowed, or the answer that denies.
ALLOWED = "✓"
DENIALS = ("login", "401", "403", "404", "405")
# An empty write refused as invalid: the account passed the checks made before validation.
INVALID = "400"
ROW = re.compile(r"^\|\s*`(?P<route>[^`]+)`(?:\s+(?P<variant>\w+))?\s*\|\s*(?P<method>[A-Z]+)\s*\|")


@dataclass(frozen=True)
class Row:
    route: str  # a URL name ("visits:visit_detail") or an API path ("/api/v1/visits/{id}/")
    method: str
    variant: str
    cells: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.route, self.method, self.variant)

    @property
    def is_api(self) -> bool:
        return self.route.startswith("/")


def table_rows(text: str | None = None) -> list[Row]:
    """The rows of the matrix section; a malformed row fails here, naming its line."""
    text = PERMISSIONS.read_text() if text is None else text
    assert SECTION in text, f"docs/permissions.md has no section {SECTION!r}"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        match = ROW.match(line)
        if not match:
            continue
        cells = tuple(c.strip() for c in line.strip().strip("|").split("|")[2:])
        assert len(cells) == len(COLUMNS), f"{len(COLUMNS)} cells expected: {line}"
        wrong = [c for c in cells if c not in (ALLOWED, INVALID, *DENIALS)]
        assert not wrong, (
            f"unknown cells {wrong} (write {ALLOWED}, {INVALID} or one of {DENIALS}): {line}"
        )
        variant = match["variant"] or ""
        assert variant in ("", *VARIANTS), f"unknown variant {variant!r}: {line}"
        assert match["method"] in METHODS, line
        rows.append(Row(match["route"], match["method"], variant, cells))
    duplicates = {r.key for r in rows if sum(1 for o in rows if o.key == r.key) > 1}
    assert not duplicates, f"rows given twice: {sorted(duplicates)}"
    return rows


def format_row(route: str, method: str, cells: list[str] | None = None) -> str:
    shown = cells or ["?"] * len(COLUMNS)
    return f"| `{route}` | {method} | " + " | ".join(shown) + " |"


# ---------------------------------------------------------------------------- routes


def _patterns(entries: list[Any], namespace: str = "", prefix: str = "") -> Iterator[Any]:
    for entry in entries:
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace) if n)
            yield from _patterns(entry.url_patterns, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name, prefix + str(entry.pattern), entry


def page_routes(resolver: Any = None) -> dict[str, list[str]]:
    """Every URL pattern outside the API: its name and the parameters it takes. A pattern
    without a name cannot be given a row, so it fails here."""
    found: dict[str, list[str]] = {}
    for name, path, pattern in _patterns((resolver or get_resolver()).url_patterns):
        if path.startswith("api/"):
            continue
        assert name, f"the URL pattern {path!r} has no name: give it one and a row"
        found[name] = list(pattern.pattern.regex.groupindex)
    return found


def api_paths(resolver: Any = None) -> set[str]:
    """The API's URL patterns written as the schema writes paths."""
    paths = set()
    for _name, path, _pattern in _patterns((resolver or get_resolver()).url_patterns):
        if path.startswith("api/"):
            clean = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", path.replace("^", "").replace("$", ""))
            paths.add("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", clean))
    return paths


def schema_operations() -> set[tuple[str, str]]:
    schema = yaml.safe_load(SCHEMA.read_text())
    return {
        (path, method.upper())
        for path, operations in schema["paths"].items()
        for method in operations
        if method.upper() in METHODS
    }


def coverage_problems(rows: list[Row], resolver: Any = None) -> list[str]:
    """Routes and operations without a row, and rows whose route is gone, each with the line
    to add or remove."""
    pages = page_routes(resolver)
    operations = schema_operations()
    paths = api_paths(resolver)
    page_rows = {r.route for r in rows if not r.is_api}
    api_rows = {(r.route, r.method) for r in rows if r.is_api}
    problems = [
        f"route without a row, add: {format_row(name, 'GET')}"
        for name in sorted(set(pages) - page_rows)
    ]
    problems += [
        f"API operation without a row, add: {format_row(path, method)}"
        for path, method in sorted(operations - api_rows)
    ]
    problems += [
        f"API route in neither the schema nor the table, add: {format_row(path, 'GET')}"
        for path in sorted(paths - {path for path, _ in operations | api_rows})
    ]
    problems += [
        f"row for a route that no longer exists, remove: {format_row(r.route, r.method)}"
        for r in rows
        if (r.route not in pages if not r.is_api else r.route not in paths)
    ]
    problems += [
        f"row for an operation the schema does not have, remove: {format_row(r.route, r.method)}"
        for r in rows
        if r.is_api
        and (r.route, r.method) not in operations
        and r.route in {p for p, _ in operations}
    ]
    return problems


# ---------------------------------------------------------------------------- answers


def outcome(response: HttpResponse) -> str:
    """What a cell says about an answer: a denial by its kind, anything else allowed (a page
    shown, a form's errors, a redirect after success); an empty write refused as invalid (400)
    is told apart: it says only that the checks made before validation let the account by."""
    status = response.status_code
    if status in (301, 302) and response["Location"].startswith(resolve_url(settings.LOGIN_URL)):
        return "login"
    if str(status) in (INVALID, *DENIALS):
        return str(status)
    if status >= 500 or status == 429:
        return str(status)
    return ALLOWED
