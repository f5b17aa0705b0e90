"""The API's JSON parser: a body whose text holds a NUL character is refused with 400.

PostgreSQL text cannot hold NUL (0x00), so such a value, looked up or saved, would end in a
server error there (and pass on SQLite); it is never meaningful input.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        if _holds_nul(data):
            raise ParseError(_("The body may not contain NUL characters."))
        return data
