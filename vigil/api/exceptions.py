"""One error shape for the whole API: {"detail": ..., "errors": {field: [messages]}}.

A list item's or a nested field's errors are named by their path (`recommendations.0`,
`classifications.1.part`): every value of `errors` is a list of messages.
"""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from vigil.core.reveal import AccessNotRecorded


class NotRecorded(exceptions.APIException):
    """503 for a read of sensitive data whose access event could not be written."""

    status_code = 503
    default_detail = _("Not shown: the read could not be logged. Try again in a moment.")
    default_code = "access_not_recorded"


class ErrorSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_(
            "The messages by field or parameter; an item of a list or a nested field by its "
            "path, e.g. recommendations.0 or classifications.1.part."
        ),
    )


def _django_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A model's or service's ValidationError by field; Django's `__all__` renamed."""
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
        for field, messages in exc.message_dict.items()
    }


def _by_path(errors: Any, path: str = "") -> dict[str, list[str]]:
    """DRF's errors (nested by field, list item and nested serializer, with `{}` for the
    items of a list that have none) as messages by dotted path."""
    if isinstance(errors, dict):
        items: Any = errors.items()
    elif isinstance(errors, list) and any(isinstance(item, (dict, list)) for item in errors):
        items = enumerate(errors)
    else:
        messages = errors if isinstance(errors, list) else [errors]
        return {path or api_settings.NON_FIELD_ERRORS_KEY: [str(m) for m in messages]}
    flat: dict[str, list[str]] = {}
    for key, value in items:
        if value:
            flat.update(_by_path(value, f"{path}.{key}" if path else str(key)))
    return flat


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_errors(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args[:1])
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, AccessNotRecorded):
        exc = NotRecorded()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "detail": exceptions.ValidationError.default_detail,
            "errors": _by_path(response.data),
        }
    return response
