"""The legal hold page, once for every app: what is held (or not), by whom, since when and
why, the holds of the past, and the form to place or lift one. The app's view fetches and
authorizes the record and passes `change` (its service, which checks the policy again)."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import StyledForm, add_service_errors
from .models import LegalHold
from .retention import MAX_REASON_CHARS, active_hold, holds_on


class PlaceHoldForm(StyledForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the legal hold"),
        max_length=MAX_REASON_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "E.g. “criminal case 231-2025, prosecutor’s request of 3 March”. Kept and logged."
        ),
    )


class LiftHoldForm(StyledForm):
    lift_reason = forms.CharField(
        label=gettext_lazy("Reason for lifting the hold"),
        max_length=MAX_REASON_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept and logged."),
    )


def legal_hold_response(
    request: HttpRequest,
    *,
    target: models.Model,
    change: Callable[[bool, str], LegalHold],
    title: str,
    back_url: str,
    covers: str,
) -> HttpResponse:
    """The hold page of `target`; a POST places (`action=place`) or lifts the hold through
    `change(place, reason)`, then shows the page again."""
    current = active_hold(target)
    place_form: forms.Form = PlaceHoldForm()
    lift_form: forms.Form = LiftHoldForm()
    status = 200
    if request.method == "POST":
        place = request.POST.get("action") == "place"
        form: forms.Form = PlaceHoldForm(request.POST) if place else LiftHoldForm(request.POST)
        field = "reason" if place else "lift_reason"
        if form.is_valid():
            try:
                change(place, form.cleaned_data[field])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The legal hold is in place.") if place else _("The legal hold was lifted."),
                )
                return redirect(request.get_full_path())
        status = 400
        if place:
            place_form = form
        else:
            lift_form = form
    context: dict[str, Any] = {
        "title": title,
        "back_url": back_url,
        "covers": covers,
        "current": current,
        "history": holds_on(target),
        "form": lift_form if current is not None else place_form,
    }
    return render(request, "core/legal_hold.html", context, status=status)
