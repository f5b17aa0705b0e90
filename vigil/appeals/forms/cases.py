"""Forms of criminal cases (record, edit, reclassify, a move, a suspect) and of
accountability records."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.core.forms import DateInput, StyledForm
from vigil.reference.models import Agency, Region
from vigil.registry.models import Institution
from vigil.visits.permissions import visits_visible_to

from ..enums import (
    CasePart,
    ForensicResult,
    ForensicStatus,
    Initiative,
    Responsibility,
    TerminationGround,
)
from ..models import InvestigatingBody
from ..permissions import appeals_visible_to, cases_visible_to
from ..services.accountability import ACCOUNTABILITY_FIELDS
from ..services.cases import CASE_FIELDS


def _institution_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.order_by("external_code"),
        required=False,
        to_field_name="external_code",
        widget=forms.TextInput(),
        help_text=_("The institution's external code."),
    )


def _body_field(required: bool = False) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Investigating body"),
        queryset=InvestigatingBody.objects.filter(active=True),
        required=required,
    )


class CaseForm(StyledForm):
    """A case's facts; on creation also its first classification."""

    part = forms.TypedChoiceField(label=_("Part of art. 146"), choices=CasePart.choices, coerce=int)
    investigating_body = _body_field()
    institution = _institution_field()
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.order_by("code"), required=False
    )
    reported_on = forms.DateField(label=_("Reported on"), widget=DateInput())
    info_book_entry_on = forms.DateField(
        label=_("Entered in the information book on"), required=False, widget=DateInput()
    )
    register_number = forms.CharField(
        label=_("Pre-trial register number"), max_length=60, required=False
    )
    registered_on = forms.DateField(
        label=_("Registered in the pre-trial register on"), required=False, widget=DateInput()
    )
    victim_pseudonym = forms.CharField(
        label=_("Victim (pseudonym)"),
        max_length=60,
        required=False,
        help_text=_("Never the real name."),
    )
    victim_protection = forms.CharField(
        label=_("Victim protection measures"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    forensic_status = forms.ChoiceField(
        label=_("Forensic examination (Istanbul Protocol)"), choices=ForensicStatus.choices
    )
    forensic_requested_on = forms.DateField(
        label=_("Examination requested on"), required=False, widget=DateInput()
    )
    forensic_done_on = forms.DateField(
        label=_("Examination done on"), required=False, widget=DateInput()
    )
    forensic_result = forms.ChoiceField(
        label=_("Examination result"),
        choices=[("", "—"), *ForensicResult.choices],
        required=False,
    )
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, creating: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["part"]
            del self.fields["investigating_body"]
            protection = self.fields["victim_protection"]
            protection.label = _("Replace the victim protection measures")
            protection.help_text = _(
                "Encrypted and shown only on request on the case's page. Leave empty to keep "
                "what was recorded; a new text replaces it."
            )

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {name: data.get(name) for name in CASE_FIELDS if name in data}
        values["victim_protection"] = data.get("victim_protection")
        for name in ("register_number", "victim_pseudonym", "victim_protection", "outcome"):
            values[name] = values.get(name) or ""
        values["forensic_result"] = values.get("forensic_result") or ""
        return values


class ReclassifyForm(StyledForm):
    part = forms.TypedChoiceField(label=_("Part of art. 146"), choices=CasePart.choices, coerce=int)
    investigating_body = _body_field()
    effective_on = forms.DateField(label=_("From"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CaseMoveForm(StyledForm):
    move = forms.CharField(max_length=20)
    on = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    register_number = forms.CharField(
        label=_("Pre-trial register number"), max_length=60, required=False
    )
    termination_ground = forms.ChoiceField(
        label=_("Grounds for termination"),
        choices=[("", "—"), *TerminationGround.choices],
        required=False,
    )
    note = forms.CharField(label=_("Note"), required=False)


class SuspectForm(StyledForm):
    unit = forms.CharField(label=_("Unit"), max_length=300)
    position = forms.CharField(label=_("Position"), max_length=200)
    suspended = forms.BooleanField(label=_("Suspended from duty"), required=False)


class AccountabilityForm(StyledForm):
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    responsibility = forms.ChoiceField(label=_("Responsibility"), choices=Responsibility.choices)
    initiative = forms.ChoiceField(label=_("On the initiative of"), choices=Initiative.choices)
    position = forms.CharField(
        label=_("Position"), max_length=200, required=False, help_text=_("No names.")
    )
    measure = forms.CharField(label=_("Measure"), max_length=300, required=False)
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.order_by("code"), required=False
    )
    institution = _institution_field()
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.order_by("code"), required=False
    )
    visit = forms.CharField(
        label=_("Visit"), required=False, help_text=_("The visit's reference (may be empty).")
    )
    appeal = forms.CharField(
        label=_("Appeal"), required=False, help_text=_("The appeal's reference (may be empty).")
    )
    case = forms.CharField(
        label=_("Criminal case"),
        required=False,
        help_text=_("The case's reference (may be empty)."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def _linked(self, name: str, visible: Any) -> Any:
        reference = (self.cleaned_data.get(name) or "").strip()
        if not reference:
            return None
        found = visible.filter(reference__iexact=reference).first()
        if found is None:
            raise forms.ValidationError(
                _("No %(kind)s with this reference that you may see.")
                % {"kind": str(self.fields[name].label).lower()}
            )
        return found

    def clean_visit(self) -> Any:
        return self._linked("visit", visits_visible_to(self.user))

    def clean_appeal(self) -> Any:
        return self._linked("appeal", appeals_visible_to(self.user))

    def clean_case(self) -> Any:
        return self._linked("case", cases_visible_to(self.user))

    @staticmethod
    def initial_for(record: Any) -> dict[str, Any]:
        initial = {name: getattr(record, name) for name in AccountabilityForm.base_fields}
        for name in ("visit", "appeal", "case"):
            linked = getattr(record, name)
            initial[name] = linked.reference if linked is not None else ""
        if record.institution is not None:
            initial["institution"] = record.institution.external_code
        return initial

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {name: data.get(name) for name in ACCOUNTABILITY_FIELDS if name in self.fields}
        for name in ("position", "measure", "note"):
            values[name] = values.get(name) or ""
        return values
