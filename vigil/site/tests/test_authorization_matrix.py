"""The authorization matrix of docs/permissions.md ("Authorization matrix, route by route"),
checked both ways: every route and API operation has a row, every row names a route that
exists, and every route answers each column's account as its row says.

The data set is the demo data (generated once for the module inside a transaction rolled back
at the end) with the accounts and objects of `matrix_data.build_sample`. Every request runs in
a savepoint rolled back after it, so a write that is allowed changes nothing for the next one;
writes send an empty form or body (a permitted user gets the form's errors or a 400), or for the
API creations whose scope is named in the body, a valid body (`Sample.api_body`)."""

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from vigil.site.tests.matrix_data import COLUMNS, Sample, build_sample
from vigil.site.tests.matrix_table import (
    PERMISSIONS,
    SECTION,
    Row,
    coverage_problems,
    format_row,
    outcome,
    page_routes,
    schema_operations,
    table_rows,
)

pytestmark = pytest.mark.django_db


def test_every_route_and_operation_has_a_row() -> None:
    problems = coverage_problems(table_rows())
    assert not problems, "docs/permissions.md, " + "\n".join(problems)


def test_a_route_added_without_a_row_is_named() -> None:
    from django.urls import get_resolver

    resolver = get_resolver()
    extra = path("brand-new/", lambda request: HttpResponse(), name="brand_new")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(resolver, "url_patterns", [*resolver.url_patterns, extra])
        problems = coverage_problems(table_rows(), resolver)
    assert problems == [f"route without a row, add: {format_row('brand_new', 'GET')}"]


def test_a_row_without_a_route_is_named() -> None:
    stale = "| `visits:gone` | GET | " + " | ".join(["404"] * len(COLUMNS)) + " |"
    text = PERMISSIONS.read_text().replace(SECTION, f"{SECTION}\n\n{stale}\n", 1)
    problems = coverage_problems(table_rows(text))
    gone = format_row("visits:gone", "GET")
    assert problems == [f"row for a route that no longer exists, remove: {gone}"]


@pytest.fixture(scope="module")
def sample(django_db_setup: None, django_db_blocker: Any) -> Iterator[Sample]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("generate_demo_data", "--seed", "3", "--scale", "demo", stdout=io.StringIO())
        yield build_sample()
        transaction.set_rollback(True)


def _clients(sample: Sample) -> dict[str, Client]:
    clients = {}
    for column in sample.users:
        client = Client(raise_request_exception=False)
        sample.sign_in(client, column)
        clients[column] = client
    return clients


def _request(sample: Sample, column: str, client: Client, row: Row, url: str) -> Any:
    cache.clear()  # rate limits count per address: each request starts afresh
    with transaction.atomic():
        if row.is_api:
            response = client.generic(
                row.method,
                url,
                sample.api_body(row.route, row.method),
                content_type="application/json",
                HTTP_ACCEPT="application/json",
            )
        elif row.method == "GET":
            response = client.get(url)
        else:
            response = client.generic(
                row.method, url, "", content_type="application/x-www-form-urlencoded"
            )
        transaction.set_rollback(True)
    if "_auth_user_id" not in client.session:
        sample.sign_in(client, column)  # the request signed out (sign-out, password change)
    return response


def _url(sample: Sample, row: Row, params: dict[str, list[str]]) -> str:
    if row.is_api:
        return sample.api_url(row.route, row.variant)
    return sample.page_url(row.route, params[row.route], row.variant)


def _missing_rows(rows: list[Row]) -> list[Row]:
    """Rows for the routes the table lacks, to observe and show as the line to add."""
    known_pages = {r.route for r in rows if not r.is_api}
    known_ops = {(r.route, r.method) for r in rows if r.is_api}
    blank = ("?",) * len(COLUMNS)
    missing = [Row(name, "GET", "", blank) for name in sorted(set(page_routes()) - known_pages)]
    missing += [Row(p, m, "", blank) for p, m in sorted(schema_operations() - known_ops)]
    return missing


def test_every_route_answers_as_the_table_says(sample: Sample) -> None:
    clients = _clients(sample)
    rows = table_rows()
    params = page_routes()
    differences = []
    for row in [*rows, *_missing_rows(rows)]:
        url = _url(sample, row, params)
        seen = [outcome(_request(sample, column, clients[column], row, url)) for column in COLUMNS]
        label = f"`{row.route}`" + (f" {row.variant}" if row.variant else "")
        if row.cells[0] == "?":
            line = format_row(label.strip("`"), row.method, seen)
            differences.append(f"no row, add (check it against the policy): {line}")
            continue
        wrong = [
            f"{column}: table {expected}, got {got}"
            for column, expected, got in zip(COLUMNS, row.cells, seen, strict=True)
            if expected != got
        ]
        if wrong:
            differences.append(f"{row.method} {label} ({url}): " + "; ".join(wrong))
    assert not differences, "\n".join(differences)
