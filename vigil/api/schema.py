"""OpenAPI generation: every operation documents the error responses it can give.

Errors share one body (`ErrorSerializer`: `detail`, and `errors` by field for
validation), so a client or a fuzzer meets no undocumented status or shape. Which
errors an operation lists follows from the view itself: authentication and
permission classes, throttles, a request body or query filters, a path lookup or
pagination.
"""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny

from .exceptions import ErrorSerializer

_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})


class VigilAutoSchema(AutoSchema):
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
