"""The referral form (from an appeal or an interview) and the referral's move form."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.core.forms import DateInput, StyledForm
from vigil.reference.models import Region

from ..enums import Disclosure, ReferralBodyKind


class ReferralForm(StyledForm):
    body_kind = forms.ChoiceField(label=_("Referred to"), choices=ReferralBodyKind.choices)
    body_name = forms.CharField(
        label=_("Name of the body"),
        max_length=300,
        help_text=_("E.g. the prosecutor's office of the region."),
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.order_by("code"), required=False
    )
    discloses = forms.MultipleChoiceField(
        label=_("What the referral passes on"),
        choices=Disclosure.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what the person consented to, unless a coordinator overrides."),
    )
    sent_on = forms.DateField(label=_("Sent on"), widget=DateInput())
    letter_number = forms.CharField(
        label=_("Outgoing letter number"), max_length=60, required=False
    )
    override_reason = forms.CharField(
        label=_("Reason for disclosing without consent"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Coordinators only: fill this to disclose a kind the person did not consent to. "
            "The reason is recorded and visible to auditors."
        ),
    )

    def __init__(self, *args: Any, can_override: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_override:
            del self.fields["override_reason"]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "body_kind": data["body_kind"],
            "body_name": data["body_name"],
            "region": data.get("region"),
            "sent_on": data["sent_on"],
            "letter_number": data.get("letter_number") or "",
        }


class ReferralMoveForm(StyledForm):
    """A life-cycle move: its name and what it may need."""

    move = forms.CharField(max_length=20)
    on = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    register_number = forms.CharField(
        label=_("Pre-trial register number"), max_length=60, required=False
    )
    refusal_reason = forms.CharField(label=_("Reason for the refusal"), required=False)
    outcome = forms.CharField(label=_("Outcome"), required=False)
