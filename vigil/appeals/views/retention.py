"""The legal hold page of an appeal (coordinators)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from vigil.accounts.http import user_of
from vigil.audit.context import RequestContext
from vigil.core.holds import legal_hold_response

from ..permissions import can_hold_appeal
from ..services.retention import appeal_hold_change
from .appeals import get_appeal


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def appeal_hold(request: HttpRequest, public_id: Any) -> HttpResponse:
    user = user_of(request)
    appeal = get_appeal(user, public_id)
    if not can_hold_appeal(user, appeal):
        raise PermissionDenied
    context = RequestContext.from_request(request)
    return legal_hold_response(
        request,
        target=appeal,
        change=lambda place, reason: appeal_hold_change(
            actor=user, appeal=appeal, place=place, reason=reason, context=context
        ),
        title=appeal.reference,
        back_url=reverse("appeals:detail", args=[appeal.public_id]),
        covers=_(
            "A hold on an appeal keeps what the appellant wrote, their sealed identity and the "
            "appeal's files past their retention."
        ),
    )
