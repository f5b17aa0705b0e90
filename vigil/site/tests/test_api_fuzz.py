"""Fuzzing the API against the committed schema (docs/openapi.yaml) with schemathesis.

Every operation of the schema is called in-process (Django's WSGI handler, no network) as
each actor, with a bounded number of generated examples (`VIGIL_FUZZ_EXAMPLES`, default 2),
reads first, then writes, then deletions. Hypothesis is derandomized and keeps no database, so
a run is the same on every machine. Each example runs in a savepoint rolled back afterwards:
every request sees the same small data set, and nothing is left behind.

Checks (schemathesis' response checks): no 5xx, a documented status code, a documented
content type, a body that matches the schema, documented headers. Path parameters are drawn
from the objects the API itself lists to the administrator (so that details, actions and
writes reach real objects), or left as generated (a 404 path).
"""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, strategies
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import ALL_ACTORS, PASSWORD
from vigil.accounts.models import User

SCHEMA = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"
EXAMPLES = int(os.environ.get("VIGIL_FUZZ_EXAMPLES", "2"))
METHOD_ORDER = {"get": 0, "post": 1, "put": 2, "patch": 3, "delete": 4}
PARAMETER = re.compile(r"^/api/v1/(?P<resource>[^{]+?)/\{")

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

pytestmark = pytest.mark.django_db


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """Django's WSGI handler, as the test client runs it: a request neither opens nor closes
    the database connection, so the test's transaction (and its data) stays."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def data_set(
    dashboard_data: Any,
    interview: Any,
    approved_visit: Callable[..., Any],
    make_appeal: Callable[..., Any],
    make_referral: Callable[..., Any],
    access_incident: Any,
    make_paragraph: Callable[..., Any],
) -> None:
    """A small realistic data set: the dashboard's (institutions, visits, recommendations,
    appeals, cases, incidents), an interview, a visit with its approved report and findings,
    an appeal referred onwards, an access incident and a UN document with a paragraph."""
    approved_visit()
    make_referral(make_appeal())
    make_paragraph(follow_up=True)


def _token(app: WSGIHandler, user: User) -> str:
    client = schemathesis.python.wsgi.get_client(app)
    response = client.post(
        "/api/v1/auth/token/", json={"email": user.email, "password": PASSWORD, "name": "fuzz"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return str(response.get_json()["token"])


def _known_values(app: WSGIHandler, token: str, schema: Any) -> dict[tuple[str, str], list[str]]:
    """The ids (and codes, years) of what the API lists to the administrator, by the resource
    of a path and the name of its parameter: `("visits", "id")` → every visit's id."""
    client = schemathesis.python.wsgi.get_client(app)
    values: dict[tuple[str, str], list[str]] = {}
    for path in schema.raw_schema["paths"]:
        if "{" in path:
            continue
        resource = path.removeprefix("/api/v1/").rstrip("/")
        response = client.get(path, headers={"Authorization": f"Token {token}"})
        body = response.json if response.status_code == 200 else None
        items = body.get("results", []) if isinstance(body, dict) else (body or [])
        for item in items:
            if not isinstance(item, dict):
                continue
            for key, value in item.items():
                if isinstance(value, (str, int)) and key in ("id", "code", "year"):
                    values.setdefault((resource, key), []).append(str(value))
    return values


def _path_values(operation: Any, known: dict[tuple[str, str], list[str]]) -> dict[str, list[str]]:
    """For each path parameter, the values of real objects it may take: `{id}` of
    /api/v1/visits/ takes the visits' ids, `{recommendation_id}` the recommendations',
    `{visit_id}` (a visit's report) the visits'."""
    match = PARAMETER.match(operation.path)
    resource = match["resource"].split("/")[0] if match else ""
    if match and resource == "international":  # /api/v1/international/<kind>/{id}/...
        resource = "/".join(match["resource"].split("/")[:2])
    values = {}
    for parameter in operation.path_parameters:
        name = parameter.name
        key = (name.removesuffix("_id") + "s", "id") if name.endswith("_id") else (resource, name)
        values[name] = known.get(key, [])
    return values


def _fuzz_operation(
    operation: Any, app: WSGIHandler, headers: dict[str, str], known: dict
) -> list[str]:
    """Up to `EXAMPLES` generated calls of one operation; the distinct failures found."""
    failures: set[str] = set()
    path_values = _path_values(operation, known)

    @hypothesis_settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(data=strategies.data())
    def run(data: strategies.DataObject) -> None:
        case = data.draw(operation.as_strategy())
        for name, generated in list((case.path_parameters or {}).items()):
            if path_values.get(name):
                case.path_parameters[name] = data.draw(
                    strategies.sampled_from([*path_values[name], generated])
                )
        with transaction.atomic():
            try:
                case.call_and_validate(app=app, headers=headers, checks=CHECKS)
            except FailureGroup as error:
                failures.update(_summary(operation, failure) for failure in error.exceptions)
            finally:
                transaction.set_rollback(True)

    run()
    return sorted(failures)


def _summary(operation: Any, failure: Any) -> str:
    """One line per distinct failure: the operation, the check's title, where in the body
    (for a body that does not match) and the first line of its message."""
    where = getattr(failure, "instance_path", None)
    return (
        f"{operation.method.upper()} {operation.path}: {failure.title}"
        + (f" at {list(where)}" if where else "")
        + ": "
        + (failure.message.strip().splitlines() or [""])[0][:160]
    )


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_every_operation_answers_as_documented(actor, users, data_set, wsgi_app):
    """No 5xx, and every answer as the committed schema says, for every operation as each
    actor; reads first, then writes, deletions last (each example rolled back)."""
    schema = schemathesis.openapi.from_path(SCHEMA)
    known = _known_values(wsgi_app, _token(wsgi_app, users["admin"]), schema)
    headers = {}
    if actor != "anonymous":
        headers["Authorization"] = f"Token {_token(wsgi_app, users[actor])}"
    operations = sorted(
        (result.ok() for result in schema.get_all_operations()),  # type: ignore[union-attr]
        key=lambda operation: (METHOD_ORDER[operation.method.lower()], operation.path),
    )
    failures: list[str] = []
    for operation in operations:
        failures += _fuzz_operation(operation, wsgi_app, headers, known)
    assert not failures, "\n".join(failures)
