"""Forms for NPM participants, their training and their conflicts of interest."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User
from vigil.core.collation import SortKey
from vigil.core.forms import DateInput, StyledFormMixin
from vigil.reference.models import Agency, Region
from vigil.registry.models import Institution
from vigil.registry.pickers import InstitutionChoiceField

from .enums import Occupation
from .models import (
    ConflictDeclaration,
    EligibilityRule,
    Participant,
    ParticipantAbsence,
    TrainingRecord,
)
from .permissions import PARTICIPANT_ROLES


class ParticipantForm(StyledFormMixin, forms.ModelForm[Participant]):
    user = forms.ModelChoiceField(
        label=_("Account"),
        queryset=User.objects.none(),
        help_text=_(
            "An existing account of a monitor, regional representative or coordinator "
            "that is not yet a participant."
        ),
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.order_by("code"), required=False
    )

    class Meta:
        model = Participant
        fields = (
            "user",
            "profession",
            "region",
            "organisation",
            "accredited_from",
            "accredited_to",
            "notes",
            "citizen",
            "occupation",
            "dismissed_for_cause",
            "unexpunged_conviction",
            "visits_per_year",
        )
        widgets = {
            "accredited_from": DateInput(),
            "accredited_to": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, creating: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["user"].queryset = (  # type: ignore[attr-defined]
                User.objects.filter(
                    role__in=PARTICIPANT_ROLES, is_active=True, participant__isnull=True
                ).order_by(SortKey("full_name"), "email")
            )
        else:
            del self.fields["user"]
        self.style_fields()

    def _post_clean(self) -> None:
        """Validation is the service's (it names the field); skip the model's here."""


class TrainingForm(StyledFormMixin, forms.ModelForm[TrainingRecord]):
    class Meta:
        model = TrainingRecord
        fields = ("title", "provider", "completed_on", "hours")
        widgets = {"completed_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()

    def _post_clean(self) -> None:
        """Validated by the service."""


class AbsenceForm(StyledFormMixin, forms.ModelForm[ParticipantAbsence]):
    """A period unavailable for visits: only the dates, never a reason."""

    prefix = "absence"

    class Meta:
        model = ParticipantAbsence
        fields = ("starts_on", "ends_on")
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()

    def _post_clean(self) -> None:
        """Validated by the service."""


class ConflictForm(StyledFormMixin, forms.ModelForm[ConflictDeclaration]):
    institution = InstitutionChoiceField(
        Institution.objects.all(),
        label=_("Institution"),
        required=False,
        help_text=_("For a conflict with one institution."),
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.order_by("code"),
        required=False,
        help_text=_("For a conflict with an agency: it covers all its institutions and sub-units."),
    )

    class Meta:
        model = ConflictDeclaration
        fields = ("kind", "institution", "agency", "description", "declared_on", "ends_on")
        widgets = {
            "declared_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.institution is not None:
            self.initial["institution"] = str(self.instance.institution.public_id)
        self.style_fields()

    def _post_clean(self) -> None:
        """Validated by the service."""


class EligibilityRuleForm(StyledFormMixin, forms.ModelForm[EligibilityRule]):
    excluded_occupations = forms.MultipleChoiceField(
        label=_("Posts excluded"),
        choices=[c for c in Occupation.choices if c[0]],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = EligibilityRule
        fields = (
            "order_number",
            "order_date",
            "title",
            "valid_from",
            "requires_accreditation",
            "min_training_hours",
            "training_within_years",
            "no_conflict_of_interest",
            "citizens_only",
            "excluded_occupations",
            "exclude_dismissed_for_cause",
            "exclude_convicted",
        )
        widgets = {"order_date": DateInput(), "valid_from": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()
        self.fields["excluded_occupations"].widget.attrs["class"] = ""
