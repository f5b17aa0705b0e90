"""OpenAPI generation: every operation documents the error responses it can give.

Errors share one body (`ErrorSerializer`: `detail`, and `errors` by field for
validation), so a client or a fuzzer meets no undocumented status or shape. Which
errors an operation lists follows from the view itself: authentication and
permission classes, throttles, a request body or query filters, a path lookup or
pagination.

A read-only field says what it may really answer: null where its source goes through a
nullable relation or ends in a nullable column (or where it declares `default=None`), and ""
for a choice the column may leave blank. The model is the serializer's `Meta.model` (a plain
`Serializer` that answers one model's objects names it there too); DRF drops `allow_null` and
`allow_blank` from the read-only fields it builds or that are declared by hand.
"""

import copy
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from .exceptions import ErrorSerializer

_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _stored_as(model: type[Model], attrs: list[str]) -> tuple[bool, bool]:
    """Whether the value at the end of `attrs` (a serializer field's source) may be null and
    may be blank, following the model's fields; what is not a model field (a property, an
    annotation) says neither."""
    nullable = False
    for attr in attrs:
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return nullable, False
        # A reverse relation (`ForeignObjectRel`) is always null: a missing one-to-one.
        nullable = nullable or bool(model_field.null)
        if model_field.related_model is None:
            return nullable, bool(getattr(model_field, "blank", False))
        model = model_field.related_model
    return nullable, False


def _as_answered(field: Any) -> Any:
    """A read-only field with `allow_null`/`allow_blank` as its source may answer; the field
    itself where nothing changes."""
    if not isinstance(field, serializers.Field) or not field.read_only:
        return field
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    nullable, blank = (False, False)
    if model is not None and field.source != "*":
        nullable, blank = _stored_as(model, field.source_attrs)
    nullable = (nullable or field.default is None) and not field.allow_null
    blank = blank and isinstance(field, serializers.ChoiceField) and not field.allow_blank
    if not (nullable or blank):
        return field
    answered = copy.copy(field)
    answered.allow_null = answered.allow_null or nullable
    if isinstance(answered, serializers.ChoiceField):
        answered.allow_blank = answered.allow_blank or blank
    return answered


class VigilAutoSchema(AutoSchema):
    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> Any:
        return super()._map_serializer_field(_as_answered(field), direction, bypass_extensions)

    def _is_list_view(self, serializer: Any = None) -> bool:
        """A view whose `list` answers one object of figures (a tally, the funnel, the
        statistics) says so with `answers_one_object = True`: no array in its schema."""
        if getattr(self.view, "answers_one_object", False):
            return False
        return bool(super()._is_list_view(serializer))

    def _error_responses(self) -> dict[str, str]:
        view = self.view
        errors: dict[str, str] = {}
        if self.method in _WRITE_METHODS or (
            self._is_list_view() and getattr(view, "filterset_class", None) is not None
        ):
            errors["400"] = "Invalid input: `errors` names each field or parameter."
        authenticators = view.get_authenticators()
        public = any(isinstance(p, AllowAny) for p in view.get_permissions())
        if not public:
            # DRF answers 401 only when the first authenticator sends a challenge
            # (WWW-Authenticate); with session authentication first it answers 403.
            if authenticators and authenticators[0].authenticate_header(None):  # type: ignore[arg-type]
                errors["401"] = "Not authenticated, or the token is invalid."
                errors["403"] = "Not allowed, or CSRF check failed (session authentication)."
            else:
                errors["403"] = (
                    "Not authenticated, not allowed, or CSRF check failed (session authentication)."
                )
        has_lookup = "{" in self.path
        paginated = self._is_list_view() and self._get_paginator() is not None
        if has_lookup or paginated:
            errors["404"] = "Not found, or not visible to you." if has_lookup else "No such page."
        if view.get_throttles():
            errors["429"] = "Too many requests; retry later."
        return errors

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code, description in self._error_responses().items():
            responses.setdefault(
                code,
                self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description),
                    code,
                    direction=direction,
                ),
            )
        return responses
