"""Readable details of an audit event: changed fields as old → new, other data as key: value."""

import json
from typing import Any

from django import template

register = template.Library()


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@register.filter
def audit_details(data: Any) -> list[tuple[str, str]]:
    if not isinstance(data, dict):
        return []
    if isinstance(data.get("changes"), dict):
        return [
            (field, f"{_text(values[0])} → {_text(values[1])}")
            for field, values in data["changes"].items()
            if isinstance(values, list | tuple) and len(values) == 2
        ]
    if isinstance(data.get("fields"), dict):
        return [(k, _text(v)) for k, v in data["fields"].items() if v not in (None, "")]
    return [(k, _text(v)) for k, v in data.items()]
