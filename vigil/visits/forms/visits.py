"""Forms for planning visits, their team, the annual plan and access incidents."""

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User
from vigil.core.forms import DateInput, StyledForm, StyledFormMixin
from vigil.people.models import Participant
from vigil.registry.models import Institution
from vigil.registry.permissions import institutions_visible_to
from vigil.registry.pickers import InstitutionsChoiceField

from ..enums import AccessIncidentKind, Theme, TriggerKind, VisitMode, VisitType
from ..models import AnnualPlan, Visit
from ..permissions import visits_visible_to


class VisitForm(StyledFormMixin, forms.Form):
    """Create and edit a visit (phone-friendly: one column on small screens)."""

    type = forms.ChoiceField(label=_("Type of visit"), choices=VisitType.choices)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    institutions = InstitutionsChoiceField(
        Institution.objects.none(),
        label=_("Institutions"),
        help_text=_("Search by name or code; tick every institution the team will visit."),
    )
    planned_start = forms.DateField(label=_("Planned start"), widget=DateInput())
    planned_end = forms.DateField(label=_("Planned end"), required=False, widget=DateInput())
    mode = forms.ChoiceField(label=_("Mode"), choices=VisitMode.choices)
    announced = forms.BooleanField(label=_("Announced in advance"), required=False)
    theme = forms.ChoiceField(
        label=_("Theme"),
        choices=[("", _("No particular theme")), *Theme.choices],
        required=False,
        help_text=_("For thematic visits: the theme the visit looks at."),
    )
    objectives = forms.CharField(
        label=_("Objectives"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    trigger_kind = forms.ChoiceField(
        label=_("Trigger"),
        choices=[("", _("—")), *TriggerKind.choices],
        required=False,
        help_text=_("Special visits: what prompted the visit."),
    )
    trigger_reference = forms.CharField(
        label=_("Trigger reference"),
        max_length=100,
        required=False,
        help_text=_("E.g. the number of the appeal or a link to the media report."),
    )
    trigger_details = forms.CharField(
        label=_("Trigger details"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    follow_up_reference = forms.CharField(
        label=_("Earlier visit (reference)"),
        max_length=20,
        required=False,
        help_text=_("Follow-up visits: the reference of the visit they check, e.g. 2025-K7Q2M9."),
    )

    def __init__(self, *args: Any, user: User, visit: Visit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.visit = visit
        field = self.fields["institutions"]
        queryset = institutions_visible_to(user)
        field.queryset = queryset  # type: ignore[attr-defined]
        field.widget.queryset = queryset  # type: ignore[attr-defined]
        self.fields["mode"].initial = VisitMode.IN_PERSON
        self.style_fields()

    @classmethod
    def initial_for(cls, visit: Visit) -> dict[str, Any]:
        return {
            "type": visit.type,
            "title": visit.title,
            "institutions": [str(i.public_id) for i in visit.institutions.all()],
            "planned_start": visit.planned_start,
            "planned_end": visit.planned_end,
            "mode": visit.mode,
            "announced": visit.announced,
            "theme": visit.theme,
            "objectives": visit.objectives,
            "trigger_kind": visit.trigger_kind,
            "trigger_reference": visit.trigger_reference,
            "trigger_details": visit.trigger_details,
            "follow_up_reference": visit.follow_up_of.reference if visit.follow_up_of else "",
        }

    def clean_follow_up_reference(self) -> Visit | None:
        reference = self.cleaned_data.get("follow_up_reference", "").strip()
        if not reference:
            return None
        earlier = visits_visible_to(self.user).filter(reference=reference).first()
        if earlier is None:
            raise forms.ValidationError(_("No visit you can see has this reference."))
        return earlier

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "follow_up_reference"}
        data["follow_up_of"] = self.cleaned_data.get("follow_up_reference")
        return data


class TeamForm(StyledForm):
    members = forms.ModelMultipleChoiceField(
        label=_("Team members"),
        queryset=Participant.objects.none(),
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("At least three participants, accredited on the visit's dates."),
    )
    lead = forms.ModelChoiceField(
        label=_("Team lead"),
        queryset=Participant.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("Choose the lead"),
    )

    def __init__(self, *args: Any, candidates: QuerySet[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["lead"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["members"].widget.attrs["class"] = "form-check-input"
        self.fields["members"].label_from_instance = _participant_label  # type: ignore[attr-defined]
        self.fields["lead"].label_from_instance = _participant_label  # type: ignore[attr-defined]


def _participant_label(participant: Participant) -> str:
    parts = [str(participant), str(participant.get_profession_display())]
    if participant.region is not None:
        parts.append(participant.region.name)
    return " · ".join(parts)


class TransitionForm(StyledForm):
    to_state = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class AccessIncidentForm(StyledForm):
    kind = forms.ChoiceField(label=_("What happened"), choices=AccessIncidentKind.choices)
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("—"),
    )
    occurred_at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=0, max_value=100_000, required=False
    )
    details = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = visit.institutions.all()  # type: ignore[attr-defined]


class PlanForm(StyledFormMixin, forms.ModelForm[AnnualPlan]):
    class Meta:
        model = AnnualPlan
        fields = ("title", "notes")
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


def default_start(year: int | None) -> datetime.date | None:
    """A new visit from a year's plan page starts in that year."""
    if year is None:
        return None
    today = timezone.localdate()
    return today if today.year == year else datetime.date(year, 1, 15)
