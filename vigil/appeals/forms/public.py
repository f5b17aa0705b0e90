"""The public appeal form, one question at a time, and the status check.

Each step is a small form. What was answered travels between the steps in a signed hidden
field (`state_dump`/`state_load`): nothing is stored in the database before the final send,
and the form works without JavaScript (a plain POST per step). Answers are kept as typed
(raw values), so going back, or a step with an error, loses nothing.
"""

import datetime
import secrets
from typing import Any, ClassVar

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from vigil.reference.models import Region

from ..enums import Disclosure
from ..services.appeals import MAX_CONTENT_CHARS
from ..services.intake import public_regions

STATE_SALT = "vigil.appeals.public-form"
STATE_MAX_AGE = datetime.timedelta(days=1)

ANONYMOUS = "anonymous"
NAMED = "named"


def state_new() -> dict[str, Any]:
    """A fresh form: no answers, a random id (a form sent twice makes one appeal)."""
    return {"token": secrets.token_urlsafe(16), "answers": {}, "reviewed": False}


def state_dump(state: dict[str, Any]) -> str:
    return signing.dumps(state, salt=STATE_SALT, compress=True)


def state_load(value: str | None) -> dict[str, Any] | None:
    """The answers carried by the page; None when missing, altered or older than a day."""
    if not value:
        return None
    try:
        state = signing.loads(value, salt=STATE_SALT, max_age=STATE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(state, dict) or not isinstance(state.get("answers"), dict):
        return None
    return state


class StepForm(forms.Form):
    """One step: its errors are linked to their fields (`aria-describedby`), the first field
    in error takes the focus."""

    step: ClassVar[str]
    title: ClassVar[Any]
    multiple: ClassVar[tuple[str, ...]] = ()

    def full_clean(self) -> None:
        super().full_clean()
        first = True
        for name, field in self.fields.items():
            if name not in self.errors:
                continue
            described = [f"id_{name}_error"]
            if field.help_text:
                described.append(f"id_{name}_helptext")
            field.widget.attrs["aria-describedby"] = " ".join(described)
            if first:
                field.widget.attrs["autofocus"] = True
                first = False

    def raw_values(self) -> dict[str, Any]:
        """What was typed in this step, as typed (for the signed state)."""
        values: dict[str, Any] = {}
        for name in self.fields:
            if name in self.multiple:
                getter = getattr(self.data, "getlist", None)
                raw = getter(name) if getter else self.data.get(name, [])
                values[name] = [str(v) for v in raw or []]
            else:
                values[name] = str(self.data.get(name, "") or "")
        return values


class WhatForm(StepForm):
    step = "what"
    title = _("What happened")

    content = forms.CharField(
        label=_("What happened?"),
        help_text=_(
            "Write in your own words what happened, when, and to whom. Plain words are fine."
        ),
        max_length=MAX_CONTENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control form-control-lg"}),
        error_messages={"required": _("Write what happened.")},
    )


class WhereForm(StepForm):
    step = "where"
    title = _("Where")

    institution_text = forms.CharField(
        label=_("Where did it happen?"),
        help_text=_(
            "The name or number of the place, e.g. “pre-trial detention centre No. 1, Astana”."
        ),
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control form-control-lg"}),
        error_messages={"required": _("Write where it happened, as well as you know it.")},
    )
    region = forms.ModelChoiceField(
        label=_("Region (if you know it)"),
        queryset=Region.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("I do not know"),
        widget=forms.Select(attrs={"class": "form-select form-select-lg"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        if isinstance(region, forms.ModelChoiceField):
            region.queryset = public_regions()


class WhoForm(StepForm):
    step = "who"
    title = _("Who you are")

    identity = forms.ChoiceField(
        label=_("Do you want to give your name?"),
        choices=(
            (NAMED, _("Yes, I give my name and how to reach me")),
            (ANONYMOUS, _("No, I stay anonymous")),
        ),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you give your name or stay anonymous.")},
    )
    name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control form-control-lg"}),
    )
    contact = forms.CharField(
        label=_("How we can reach you"),
        help_text=_("A phone number, an e-mail or a postal address."),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control form-control-lg"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("identity") == ANONYMOUS:
            data["name"] = ""
            data["contact"] = ""
        elif data.get("identity") == NAMED and not (
            data.get("name", "").strip() or data.get("contact", "").strip()
        ):
            self.add_error(
                "name", _("Write your name or how to reach you, or choose to stay anonymous.")
            )
        return data


class ConsentForm(StepForm):
    step = "consent"
    title = _("What we may pass on")
    multiple = ("consent_scopes",)

    consent_scopes = forms.MultipleChoiceField(
        label=_("If a prosecutor or another body must act, we may pass on:"),
        help_text=_(
            "Tick only what you agree to. We never pass on what you did not tick, except "
            "to protect a life, and then we record why."
        ),
        choices=(
            (Disclosure.ALLEGATION, _("What happened (without my name)")),
            (Disclosure.IDENTITY, _("My name")),
            (Disclosure.MEDICAL, _("Medical evidence about me")),
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_contact = forms.BooleanField(
        label=_("You may contact me about my appeal"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


STEP_FORMS: tuple[type[StepForm], ...] = (WhatForm, WhereForm, WhoForm, ConsentForm)
STEPS: tuple[str, ...] = (*(form.step for form in STEP_FORMS), "review")
FORM_OF_STEP: dict[str, type[StepForm]] = {form.step: form for form in STEP_FORMS}


class StatusCheckForm(StepForm):
    step = "status"
    title = _("Status of an appeal")

    reference = forms.CharField(
        label=_("Reference number"),
        help_text=_("As it was given to you, e.g. A-2026-00042."),
        max_length=40,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-lg", "autocomplete": "off"}
        ),
        error_messages={"required": _("Write the reference number.")},
    )
    secret = forms.CharField(
        label=_("Secret"),
        help_text=_("The code of three groups of letters and digits, e.g. K7QF-M2XR-9PLA."),
        max_length=40,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-lg", "autocomplete": "off"}
        ),
        error_messages={"required": _("Write the secret.")},
    )
