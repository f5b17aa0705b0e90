"""Repeat suggestions for the recommendation form (htmx): earlier recommendations of the same
institution or agency subtree, on the same theme, whose text is similar in any language."""

import uuid

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from vigil.accounts.http import user_of
from vigil.accounts.models import User
from vigil.reference.models import Agency
from vigil.registry.models import Institution
from vigil.registry.permissions import institutions_visible_to
from vigil.visits.enums import Theme

from ..permissions import can_create_recommendation, recommendations_visible_to
from ..services.repeats import similar_recommendations

MAX_TEXT = 5000


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _institution(user: User, value: str | None) -> Institution | None:
    key = _uuid(value)
    return institutions_visible_to(user).filter(public_id=key).first() if key else None


def _agency(value: str | None) -> Agency | None:
    code = (value or "").strip()
    return Agency.objects.filter(code=code).first() if code else None


@require_safe
def repeat_suggestions(request: HttpRequest) -> HttpResponse:
    """`?text=…&theme=T2&addressee=CODE&institution=<id>&exclude=<id>` → the suggestions."""
    user = user_of(request)
    if not can_create_recommendation(user):
        raise PermissionDenied
    text = (request.GET.get("text") or "")[:MAX_TEXT]
    theme = request.GET.get("theme") or ""
    theme = theme if theme in Theme.values else ""
    institution = _institution(user, request.GET.get("institution"))
    agency = _agency(request.GET.get("addressee"))
    exclude_key = _uuid(request.GET.get("exclude"))
    exclude = (
        list(
            recommendations_visible_to(user)
            .filter(public_id=exclude_key)
            .values_list("pk", flat=True)
        )
        if exclude_key
        else []
    )
    suggestions = similar_recommendations(
        text, theme, institution, agency, user=user, exclude=exclude
    )
    return render(
        request,
        "recommendations/_repeat_suggestions.html",
        {
            "loaded": True,
            "suggestions": suggestions,
            "asked": bool(text.strip() and theme and (institution or agency)),
        },
    )
