"""The follow-up contacts page (people at risk of reprisals) and recording a contact's
outcome; a reported reprisal may be recorded as an incident in the same step."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from vigil.accounts.http import user_of
from vigil.audit.context import RequestContext
from vigil.core.forms import add_service_errors
from vigil.core.listing import list_response

from ..forms.incidents import FollowUpOutcomeForm
from ..listings.incidents import FOLLOW_UP_LIST
from ..permissions import (
    appeals_visible_to,
    can_record_follow_up,
    can_schedule_follow_ups,
    can_view_follow_ups,
    follow_ups_visible_to,
)
from ..services.follow_ups import follow_up_record, follow_up_schedule


@require_safe
def follow_up_list(request: HttpRequest) -> HttpResponse:
    return list_response(
        request,
        FOLLOW_UP_LIST,
        template="appeals/incidents/follow_ups.html",
        partial="appeals/incidents/_follow_up_table.html",
        results_id="follow-up-results",
    )


def follow_up_record_view(request: HttpRequest, public_id: str) -> HttpResponse:
    user = user_of(request)
    if not can_view_follow_ups(user):
        raise PermissionDenied
    contact = get_object_or_404(
        follow_ups_visible_to(user).select_related(
            "appeal", "interview", "interview__visit", "incident"
        ),
        public_id=public_id,
    )
    if not can_record_follow_up(user, contact) or contact.done_on is not None:
        raise PermissionDenied
    form = FollowUpOutcomeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = follow_up_record(
                actor=user,
                contact=contact,
                outcome=data["outcome"],
                done_on=data["done_on"],
                note=data.get("note") or "",
                incident_summary=data.get("incident_summary") or "",
                context=RequestContext.from_request(request),
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not record this contact."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if done.incident is not None:
                messages.success(
                    request,
                    _("Contact recorded; incident %(reference)s recorded.")
                    % {"reference": done.incident.reference},
                )
                return redirect("appeals:incident_detail", public_id=done.incident.public_id)
            messages.success(request, _("Contact recorded."))
            return redirect("appeals:follow_up_list")
    return render(
        request, "appeals/incidents/follow_up_form.html", {"form": form, "contact": contact}
    )


@require_POST
def follow_up_schedule_for_appeal(request: HttpRequest, appeal_id: str) -> HttpResponse:
    """Schedule the appellant's contacts now (the daily job would do it tonight)."""
    user = user_of(request)
    appeal = get_object_or_404(appeals_visible_to(user), public_id=appeal_id)
    if not can_schedule_follow_ups(user):
        raise PermissionDenied
    contacts = follow_up_schedule(
        actor=user, appeal=appeal, context=RequestContext.from_request(request)
    )
    if contacts:
        messages.success(
            request,
            ngettext(
                "%(count)d follow-up contact scheduled.",
                "%(count)d follow-up contacts scheduled.",
                len(contacts),
            )
            % {"count": len(contacts)},
        )
    else:
        messages.info(
            request, _("No contact to schedule: there is no risk, or they are scheduled.")
        )
    return redirect(f"{reverse('appeals:follow_up_list')}?status=open")
