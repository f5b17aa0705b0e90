"""The API base: fetch-and-authorize by public id (404 alike for missing, forbidden and
malformed), actor and request context, errors translated in one place, and the field policy
of serializers (deny by default, documented as optional in the schema)."""

import uuid
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.generators import SchemaGenerator
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.api.base import (
    AuthenticatedRequest,
    FieldPolicySerializer,
    VigilViewSet,
    fetch_or_404,
)
from vigil.audit.context import RequestContext

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "Not found."}


def _email_hidden_from(user: User | None) -> frozenset[str]:
    if user is not None and user.role == Role.ADMIN:
        return frozenset()
    return frozenset({"email"})


class PersonSerializer(FieldPolicySerializer, serializers.ModelSerializer[User]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    field_policy = staticmethod(_email_hidden_from)

    class Meta:
        model = User
        fields = ("id", "full_name", "email")
        read_only_fields = fields


class PersonViewSet(mixins.RetrieveModelMixin, VigilViewSet[User]):
    """Each account sees itself only; administrators see everyone."""

    serializer_class = PersonSerializer
    denied_message = "Not with this person."

    def visible_to(self, user: User | None) -> QuerySet[User]:
        if user is not None and user.role == Role.ADMIN:
            return User.objects.all()
        return User.objects.filter(pk=user.pk) if user is not None else User.objects.none()

    @action(detail=True, methods=["post"])
    def refuse(self, request: AuthenticatedRequest, id: str) -> Response:
        self.get_object()
        reason = dict(request.data).get("reason")
        raise DjangoPermissionDenied(reason) if reason else DjangoPermissionDenied()

    @action(detail=True, methods=["post"])
    def invalid(self, request: AuthenticatedRequest, id: str) -> Response:
        raise DjangoValidationError({"full_name": ["Too short."]})

    @action(detail=True, methods=["post"])
    def refuse_as(self, request: AuthenticatedRequest, id: str) -> Response:
        with self.denied_as("Said the caller."):
            raise DjangoPermissionDenied("Said the service.")

    @action(detail=True, methods=["get"])
    def who(self, request: AuthenticatedRequest, id: str) -> Response:
        context = self.request_context
        return Response(
            {"actor": str(self.actor.public_id), "request_id": context.request_id, "ip": context.ip}
        )


def call(user: User, method: str, action_name: str, key: object, **data: Any) -> Response:
    factory = APIRequestFactory()
    request = getattr(factory, method)("/people/", data, format="json")
    force_authenticate(request, user=user)
    request.audit_context = RequestContext(request_id="r-1", ip="10.0.0.1")  # the middleware's
    view = PersonViewSet.as_view({method: action_name})
    return view(request, id=str(key))  # type: ignore[no-any-return]


def test_fetch_by_public_id_answers_404_alike_for_missing_forbidden_and_malformed(users):
    me, other = users["monitor"], users["coordinator"]
    assert call(me, "get", "retrieve", me.public_id).status_code == 200
    answers = [
        call(me, "get", "retrieve", key)
        for key in (other.public_id, uuid.uuid4(), "not-a-uuid", "1")
    ]
    assert {r.status_code for r in answers} == {404}
    assert all(r.data == NOT_FOUND for r in answers)
    assert call(users["admin"], "get", "retrieve", other.public_id).status_code == 200


def test_actions_fetch_through_the_same_policy(users):
    me, other = users["monitor"], users["coordinator"]
    assert call(me, "post", "refuse", other.public_id).status_code == 404


def test_a_services_refusal_is_403_with_its_reason_else_the_viewsets_message(users):
    me = users["monitor"]
    with_reason = call(me, "post", "refuse", me.public_id, reason="Not on the team.")
    assert (with_reason.status_code, with_reason.data) == (403, {"detail": "Not on the team."})
    without = call(me, "post", "refuse", me.public_id)
    assert (without.status_code, without.data) == (403, {"detail": "Not with this person."})
    overridden = call(me, "post", "refuse_as", me.public_id)
    assert (overridden.status_code, overridden.data) == (403, {"detail": "Said the caller."})


def test_a_services_validation_error_has_the_one_error_shape(users):
    me = users["monitor"]
    response = call(me, "post", "invalid", me.public_id)
    assert response.status_code == 400
    assert response.data == {"detail": "Invalid input.", "errors": {"full_name": ["Too short."]}}


def test_actor_and_request_context(users):
    me = users["regional"]
    response = call(me, "get", "who", me.public_id)
    assert response.data == {"actor": str(me.public_id), "request_id": "r-1", "ip": "10.0.0.1"}


def test_fetch_or_404(users):
    me = users["monitor"]
    assert fetch_or_404(User.objects.all(), str(me.public_id)) == me
    for key in ("zzz", uuid.uuid4()):
        with pytest.raises(NotFound):
            fetch_or_404(User.objects.all(), key)
    with pytest.raises(NotFound):
        fetch_or_404(User.objects.exclude(pk=me.pk), me.public_id)


# ---------------------------------------------------------------- field policy


def test_the_field_policy_hides_fields_by_user_and_by_default(users, rf):
    person = users["monitor"]
    for viewer, shown in ((users["admin"], True), (users["liaison"], False)):
        request = Request(rf.get("/"))
        request.user = viewer
        data = PersonSerializer(person, context={"request": request}).data
        assert ("email" in data) is shown
        assert data["full_name"] == person.full_name
    assert "email" not in PersonSerializer(person).data  # no request: deny by default
    many = PersonSerializer([person], many=True).data
    assert "email" not in many[0]


def test_the_schema_documents_every_field_and_those_hidden_as_optional():
    generator = SchemaGenerator(
        patterns=[path("people/<uuid:id>/", PersonViewSet.as_view({"get": "retrieve"}))]
    )
    schema = generator.get_schema(request=None, public=True)
    person = schema["components"]["schemas"]["Person"]
    assert set(person["properties"]) == {"id", "full_name", "email"}
    assert "email" not in person["required"]
    assert {"id", "full_name"} <= set(person["required"])


def test_a_body_with_a_nul_character_is_refused(client_for, ref):
    """PostgreSQL text cannot hold NUL: refused as invalid input (400), never a 500."""
    response = client_for("coordinator").post(
        "/api/v1/recommendations/",
        {"addressee": "MVD\x00", "text": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "The body may not contain NUL characters."}
