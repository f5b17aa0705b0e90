"""The fields a role may see, in the API: an agency liaison's answers never name NPM staff.

docs/permissions.md: the NPM's verdict and reasons are shown to the addressee's liaisons, who
assessed (or moved, or recorded a letter) is not. Every recommendation endpoint a liaison can
call is read as that liaison and its JSON searched for any NPM account's name or e-mail; and
every serializer of the v1 API, built for a liaison, is checked for a field a policy hides.
"""

import datetime
import importlib
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import get_resolver
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIClient

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.api.base import FieldPolicySerializer
from vigil.core.tests.pdfs import pdf_bytes
from vigil.recommendations.api.serializers import AssessmentSerializer
from vigil.recommendations.enums import ClaimedStatus, EventKind, Source, State, Verdict
from vigil.recommendations.models import Recommendation, RecommendationEvent
from vigil.recommendations.permissions import recommendation_fields_hidden_from
from vigil.recommendations.services.assessments import recommendation_assess
from vigil.recommendations.services.responses import response_submit

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()
NPM_ROLES = [r.value for r in Role if r != Role.LIAISON]


def strings(value: Any) -> Iterator[str]:
    """Every string in a JSON document, keys and values, at any depth."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def npm_names(users: dict[str, User]) -> list[str]:
    return [s for role in NPM_ROLES for s in (users[role].full_name, users[role].email)]


def named_staff(body: Any, users: dict[str, User]) -> list[str]:
    names = npm_names(users)
    return sorted({n for text in strings(body) for n in names if n.lower() in text.lower()})


@pytest.fixture
def world(make_recommendation: Any, make_institution: Any, users: dict[str, User]) -> Any:
    """A recommendation of the liaison's subtree whose letter the NPM recorded (with a file),
    that a monitor disputed and a coordinator moved; and an escalation that takes it up."""
    today = timezone.localdate()
    rec = make_recommendation(
        institution=make_institution(),
        issued_on=today - datetime.timedelta(days=20),
        deadline=today + datetime.timedelta(days=20),
    )
    response = response_submit(
        actor=users["coordinator"],
        recommendation=rec,
        responding_agency=rec.addressee,
        letter_number="17-5/99",
        letter_date=today - datetime.timedelta(days=1),
        measures="Ventilation repaired.",
        claimed_status=ClaimedStatus.IMPLEMENTED,
        attachments=[SimpleUploadedFile("act.pdf", PDF, content_type="application/pdf")],
    )
    recommendation_assess(
        actor=users["monitor"],
        recommendation=rec,
        verdict=Verdict.DISPUTE,
        reasons="The ventilation was not repaired in block 2.",
        response=response,
    )
    escalation = make_recommendation(
        source=Source.ESCALATION, escalates=[rec], addressee=rec.addressee.parent
    )
    RecommendationEvent.objects.create(
        recommendation=escalation,
        kind=EventKind.ESCALATION,
        to_state=State.AWAITING_RESPONSE,
        actor=users["coordinator"],
    )
    rec.refresh_from_db()
    return {"rec": rec, "response": response, "escalation": escalation}


def liaison_urls(world: Any) -> list[str]:
    rec, response, escalation = world["rec"], world["response"], world["escalation"]
    attachment = response.attachments.get()
    base = "/api/v1"
    return [
        f"{base}/recommendations/",
        f"{base}/recommendations/{rec.public_id}/",
        f"{base}/recommendations/{rec.public_id}/transitions/",
        f"{base}/recommendations/{rec.public_id}/assessments/",
        f"{base}/recommendations/{rec.public_id}/responses/",
        f"{base}/recommendations/{rec.public_id}/responses/{response.public_id}/",
        f"{base}/response-attachments/",
        f"{base}/response-attachments/{attachment.public_id}/",
        f"{base}/recommendation-escalations/",
        f"{base}/recommendation-escalations/{escalation.public_id}/",
        f"{base}/recommendation-tallies/",
        f"{base}/recommendation-repeats/?text=ventilation&theme=T3&agency=MVD-KUIS-71",
    ]


def client(user: User) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_every_recommendation_endpoint_a_liaison_reads_names_no_npm_staff(users, world):
    api = client(users["liaison"])
    served = 0
    for url in liaison_urls(world):
        response = api.get(url)
        assert response.status_code in (200, 403), url
        served += response.status_code == 200
        assert named_staff(response.json(), users) == [], url
    assert served == len(liaison_urls(world)) - 1  # all but the repeats (drafters only)


def test_a_liaisons_answers_still_carry_the_verdict_and_reasons(users, world):
    rec = world["rec"]
    api = client(users["liaison"])
    [assessment] = api.get(f"/api/v1/recommendations/{rec.public_id}/assessments/").json()
    assert assessment["verdict"] == Verdict.DISPUTE
    assert assessment["reasons"] == "The ventilation was not repaired in block 2."
    assert "assessed_by" not in assessment
    history = api.get(f"/api/v1/recommendations/{rec.public_id}/transitions/").json()["history"]
    assert history
    assert all("actor" not in event for event in history)
    [answer] = api.get(f"/api/v1/recommendations/{rec.public_id}/responses/").json()
    assert "submitted_by" not in answer
    assert answer["assessments"][0]["verdict"] == Verdict.DISPUTE


def test_the_npm_still_sees_who_did_what(users, world):
    """The control: the same reads as a coordinator name the monitor and the coordinator."""
    rec = world["rec"]
    api = client(users["coordinator"])
    [assessment] = api.get(f"/api/v1/recommendations/{rec.public_id}/assessments/").json()
    assert assessment["assessed_by"] == users["monitor"].full_name
    history = api.get(f"/api/v1/recommendations/{rec.public_id}/transitions/").json()["history"]
    assert str(users["coordinator"]) in {event["actor"] for event in history}
    [answer] = api.get(f"/api/v1/recommendations/{rec.public_id}/responses/").json()
    assert answer["submitted_by"] == users["coordinator"].full_name
    found = set()
    for url in liaison_urls(world):
        found.update(named_staff(client(users["coordinator"]).get(url).json(), users))
    assert {users["monitor"].full_name, users["coordinator"].full_name} <= found


def test_a_liaisons_own_response_names_nobody(users, make_recommendation):
    today = timezone.localdate()
    rec = make_recommendation(
        issued_on=today - datetime.timedelta(days=5), deadline=today + datetime.timedelta(days=30)
    )
    response = client(users["liaison"]).post(
        f"/api/v1/recommendations/{rec.public_id}/responses/",
        {
            "responding_agency": "MVD-KUIS-71",
            "letter_number": "17-5/100",
            "letter_date": timezone.localdate().isoformat(),
            "measures": "Block 2 repaired too.",
            "claimed_status": ClaimedStatus.IMPLEMENTED,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert "submitted_by" not in response.json()
    assert named_staff(response.json(), users) == []


# ---------------------------------------------------------------- every serializer


def _policies() -> list[Any]:
    """Every app's field policy: the `*_fields_hidden_from(user)` of its permissions.py."""
    found: list[Any] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("vigil."):
            continue
        try:
            module: ModuleType = importlib.import_module(f"{config.name}.permissions")
        except ModuleNotFoundError:
            continue
        found.extend(
            getattr(module, name) for name in dir(module) if name.endswith("_fields_hidden_from")
        )
    return found


def _api_serializers() -> list[type[serializers.BaseSerializer[Any]]]:
    """Every serializer class defined in a v1 API module (the URLconf imports them all)."""
    get_resolver().url_patterns  # noqa: B018 (loads the API modules)
    seen: list[type[serializers.BaseSerializer[Any]]] = []
    todo = list(serializers.BaseSerializer.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        module = cls.__module__
        if cls is FieldPolicySerializer:  # the abstract base, with no policy of its own
            continue
        if module.startswith("vigil.") and ".api" in module and cls not in seen:
            seen.append(cls)
    return seen


def _field_names(serializer: serializers.BaseSerializer[Any], path: str) -> Iterator[str]:
    if isinstance(serializer, serializers.ListSerializer):
        yield from _field_names(serializer.child, path)  # type: ignore[arg-type]
        return
    if not isinstance(serializer, serializers.Serializer):
        return
    for name, field in serializer.fields.items():
        yield f"{path}.{name}"
        if isinstance(field, serializers.BaseSerializer):
            yield from _field_names(field, f"{path}.{name}")


def _fields_for(user: User) -> dict[str, set[str]]:
    request = RequestFactory().get("/api/v1/")
    request.user = user
    shown: dict[str, set[str]] = {}
    for cls in _api_serializers():
        serializer = cls(context={"request": request})
        shown[f"{cls.__module__}.{cls.__qualname__}"] = {
            dotted.rsplit(".", 1)[1] for dotted in _field_names(serializer, cls.__qualname__)
        }
    return shown


def test_no_serializer_of_the_api_shows_a_liaison_a_field_a_policy_hides(users):
    liaison = users["liaison"]
    policies = _policies()
    hidden = frozenset().union(*(policy(liaison) for policy in policies))
    assert {"assessed_by", "actor", "submitted_by"} <= hidden  # the walk is not vacuous
    shown = _fields_for(liaison)
    assert len(shown) > 40
    leaks = {name: sorted(fields & hidden) for name, fields in shown.items() if fields & hidden}
    assert leaks == {}


def test_the_serializer_walk_sees_the_fields_for_the_npm(users):
    """The control: for a coordinator the same walk meets the staff fields, so the liaison's
    test above would fail on a serializer that ignored the policy."""
    shown = _fields_for(users["coordinator"])
    assert "assessed_by" in shown["vigil.recommendations.api.serializers.AssessmentSerializer"]
    assert recommendation_fields_hidden_from(users["coordinator"]) == frozenset()
    every = set().union(*shown.values())
    assert {"assessed_by", "actor", "submitted_by", "uploaded_by", "author"} <= every


def test_without_a_request_every_field_a_policy_may_hide_is_dropped(world):
    """Deny by default: a serializer built without a request names nobody."""
    data = AssessmentSerializer(world["rec"].assessments.get()).data
    assert "assessed_by" not in data
    assert isinstance(world["rec"], Recommendation)
