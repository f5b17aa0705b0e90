"""Forms of incidents, follow-up contacts and the funnel's filters."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User
from vigil.core.forms import DateInput, StyledForm
from vigil.reference.models import Agency, Region
from vigil.registry.models import Institution
from vigil.registry.permissions import institutions_visible_to
from vigil.registry.pickers import InstitutionChoiceField
from vigil.visits.models import Interview, Visit

from ..enums import FollowUpOutcome, IncidentKind
from ..models import Appeal, Incident
from ..permissions import appeals_visible_to, cases_visible_to
from ..selectors.incidents import LINKS, IncidentFilters

LINK_CHOICES = [
    ("", _("Anything")),
    ("appeal", _("An appeal")),
    ("visit", _("A visit")),
    ("interview", _("An interview")),
    ("case", _("A criminal case")),
]


class IncidentFilterForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *IncidentKind.choices], required=False
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("All regions"),
        required=False,
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.all(),
        to_field_name="public_id",
        required=False,
        widget=forms.HiddenInput,
    )
    occurred_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    occurred_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    linked = forms.ChoiceField(label=_("Linked to"), choices=LINK_CHOICES, required=False)
    ordering = forms.CharField(required=False, widget=forms.HiddenInput)

    def filters(self) -> IncidentFilters:
        if not self.is_valid():
            return IncidentFilters(kind="__none__")
        data = self.cleaned_data
        linked = data.get("linked") or ""
        return IncidentFilters(
            kind=data.get("kind") or "",
            region=data.get("region"),
            institution=data.get("institution"),
            occurred_from=data.get("occurred_from"),
            occurred_to=data.get("occurred_to"),
            linked=linked if linked in LINKS else "",
        )


class IncidentForm(StyledForm):
    """Record or correct an incident. From a visit, the place is one of the visit's and an
    interview of the visit may be named; elsewhere, an appeal and a case by their number."""

    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    occurred_on = forms.DateField(label=_("Occurred on"), widget=DateInput())
    institution = InstitutionChoiceField(
        Institution.objects.none(), label=_("Institution"), required=False
    )
    interview = forms.ModelChoiceField(
        label=_("Interview"),
        queryset=Interview.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("No interview"),
        help_text=_("The interview of this visit the incident concerns (by pseudonym)."),
    )
    appeal_reference = forms.CharField(
        label=_("Appeal number"),
        max_length=24,
        required=False,
        help_text=_("E.g. A-2026-00042."),
    )
    case_reference = forms.CharField(label=_("Criminal case number"), max_length=24, required=False)
    summary = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Without names: refer to people by pseudonym."),
    )
    persons_affected = forms.IntegerField(label=_("Persons affected"), min_value=0, initial=1)

    def __init__(
        self,
        *args: Any,
        user: User,
        visit: Visit | None = None,
        appeal: Appeal | None = None,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if editing:
            summary = self.fields["summary"]
            summary.required = False
            summary.label = _("Replace what happened")
            summary.help_text = _(
                "Encrypted and shown only on request on the incident's page. Leave empty to "
                "keep what was recorded; a new text replaces it. Without names."
            )
        self.visit = visit
        self.appeal = appeal
        places = institutions_visible_to(user)
        if visit is not None:
            places = places.filter(pk__in=visit.institutions.values("pk"))
            self.fields["interview"].queryset = visit.interviews.all()  # type: ignore[attr-defined]
            self.fields["interview"].label_from_instance = lambda i: i.pseudonym  # type: ignore[attr-defined]
        else:
            del self.fields["interview"]
        if appeal is not None or visit is not None:
            del self.fields["appeal_reference"]
        self.fields["institution"].queryset = places  # type: ignore[attr-defined]
        self.fields["institution"].widget.queryset = places  # type: ignore[attr-defined]
        if not self.is_bound and "occurred_on" not in self.initial:
            self.initial["occurred_on"] = timezone.localdate()

    def clean_appeal_reference(self) -> Appeal | None:
        reference = (self.cleaned_data.get("appeal_reference") or "").strip()
        if not reference:
            return None
        found = appeals_visible_to(self.user).filter(reference=reference).first()
        if found is None:
            raise forms.ValidationError(_("No appeal you can see has this number."))
        return found

    def clean_case_reference(self) -> Any:
        reference = (self.cleaned_data.get("case_reference") or "").strip()
        if not reference:
            return None
        found = cases_visible_to(self.user).filter(reference=reference).first()
        if found is None:
            raise forms.ValidationError(_("No criminal case you can see has this number."))
        return found

    @classmethod
    def initial_for(cls, incident: Incident) -> dict[str, Any]:
        return {
            "kind": incident.kind,
            "occurred_on": incident.occurred_on,
            "institution": str(incident.institution.public_id) if incident.institution else "",
            "interview": str(incident.interview.public_id) if incident.interview else "",
            "appeal_reference": incident.appeal.reference if incident.appeal else "",
            "case_reference": incident.case.reference if incident.case else "",
            "persons_affected": incident.persons_affected,
        }

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {
            "kind": data["kind"],
            "occurred_on": data["occurred_on"],
            "institution": data.get("institution"),
            "summary": data.get("summary") or "",
            "persons_affected": data["persons_affected"],
            "case": data.get("case_reference"),
        }
        if self.visit is not None:
            values["visit"] = self.visit
            values["interview"] = data.get("interview")
        if self.appeal is not None:
            values["appeal"] = self.appeal
        elif "appeal_reference" in self.fields:
            values["appeal"] = data.get("appeal_reference")
        return values


class FollowUpOutcomeForm(StyledForm):
    outcome = forms.ChoiceField(
        label=_("What came of the contact"),
        choices=FollowUpOutcome.choices,
        widget=forms.RadioSelect,
    )
    done_on = forms.DateField(label=_("Contacted on"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Without names."),
    )
    incident_summary = forms.CharField(
        label=_("Record the reprisal as an incident"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "For a reported reprisal: what happened, without names. It is recorded as a "
            "reprisal incident linked to this person's appeal or interview."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].widget.attrs["class"] = "form-check-input"
        if not self.is_bound:
            self.initial.setdefault("done_on", timezone.localdate())


class FunnelFilterForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2999, required=False)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("All regions"),
        required=False,
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("All agencies"),
        required=False,
        help_text=_("Includes the agency's sub-units."),
    )
