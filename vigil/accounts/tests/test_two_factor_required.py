"""A coordinator without a second factor reaches no page but the enrolment (issue 15's "done
when"): every route of the URL conf, pages and API, is walked while signed in unverified."""

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern

from vigil.accounts.twofactor.services import enrolment_preset

ENROL_URL = reverse("accounts:two_factor")
VERIFY_URL = reverse("accounts:two_factor_verify")
OPEN = {"accounts:two_factor", "accounts:two_factor_verify", "accounts:logout", "set_language"}
SAMPLE = {
    "uuid": "00000000-0000-4000-8000-000000000001",
    "int": "1",
    "slug": "x",
    "str": "x",
    "path": "x",
}
CANDIDATES = (SAMPLE["uuid"], "2024", "x")


def _group_value(match: re.Match[str]) -> str:
    return next(c for c in CANDIDATES if re.fullmatch(match.group(1), c))


def _route_part(pattern: object) -> str:
    if isinstance(pattern, RoutePattern):
        route = str(pattern)
        return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE.get(m.group(1) or "str", "x"), route)
    regex = str(pattern.regex.pattern)  # type: ignore[attr-defined]
    regex = re.sub(r"\\\.\(\?P<format>[^)]*\)/?\$?", "", regex)  # DRF's ".json" suffix
    regex = re.sub(r"\(\?P<\w+>([^)]*)\)", _group_value, regex)
    return regex.replace("^", "").replace("$", "").replace("\\", "")


def _paths(resolver: URLResolver, prefix: str = "/") -> Iterator[str]:
    for entry in resolver.url_patterns:
        part = prefix + _route_part(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _paths(entry, part)
        elif isinstance(entry, URLPattern) and "(?" not in part:
            yield part


def every_route() -> list[tuple[str, str]]:
    routes: dict[str, str] = {}
    for path in _paths(get_resolver()):
        match = resolve(path)
        routes.setdefault(match.view_name, path)
    return sorted((name, path) for name, path in routes.items())


def test_the_walk_covers_pages_and_api():
    names = {name for name, _ in every_route()}
    assert {"site:home", "accounts:user_list", "accounts:password_change"} <= names
    assert sum(1 for _, path in every_route() if path.startswith("/api/")) > 20
    assert len(names) > 150


@pytest.fixture
def unverified_coordinator(users, settings) -> Client:  # type: ignore[no-untyped-def]
    settings.VIGIL_TWO_FACTOR_REQUIRED_ROLES = ("admin", "coordinator", "regional")
    client = Client()
    client.force_login(users["coordinator"])
    return client


@pytest.mark.parametrize(("name", "path"), every_route(), ids=lambda value: value)
def test_an_unverified_coordinator_reaches_only_the_enrolment(name, path, unverified_coordinator):
    if name in OPEN:
        return
    response = unverified_coordinator.get(path)
    if path.startswith("/api/"):
        assert response.status_code == 403, path
        assert "Two-factor sign-in is required" in response.json()["detail"]
    else:
        assert response.status_code == 302, path
        assert response["Location"].startswith(f"{ENROL_URL}?next="), path


def test_with_an_authenticator_every_page_sends_to_the_code_step(users, unverified_coordinator):
    enrolment_preset(user=users["coordinator"], secret=b"0123456789abcdefghij", data={})
    assert unverified_coordinator.get(reverse("site:home"))["Location"].startswith(VERIFY_URL)
    assert unverified_coordinator.get(ENROL_URL)["Location"].startswith(VERIFY_URL)
    assert unverified_coordinator.get("/api/v1/regions/").status_code == 403
    assert unverified_coordinator.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in unverified_coordinator.session


def test_without_the_requirement_the_coordinator_opens_pages(users, client_for):
    client = client_for("coordinator")
    assert client.get(reverse("site:home")).status_code == 200
    assert client.get("/api/v1/regions/").status_code == 200
