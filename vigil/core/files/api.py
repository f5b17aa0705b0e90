"""The OpenAPI description of an API action that downloads a stored file."""

from collections.abc import Callable
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema


def file_download_schema(summary: str | Promise) -> Callable[[Any], Any]:
    """`extend_schema` for a `download` action answered by `file_download_response`."""
    return extend_schema(
        summary=summary,
        description=_(
            "The decrypted file, as an attachment (never rendered inline, never cached). "
            "Each download is logged as an access event."
        ),
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description=_("The file, with its own content type.")
            )
        },
    )
