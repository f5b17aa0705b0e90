"""The risk factors' form: one row of fields per factor (named `<code>-<field>`)."""

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from vigil.core.forms import DateInput, StyledForm
from vigil.reference.enums import InstitutionCategory
from vigil.reference.models import InstitutionType
from vigil.registry.models import Institution

from .enums import VulnerableGroup
from .models import MAX_WEIGHT, CoverageRule, RiskFactor
from .services import COVERAGE_RULE_FIELDS, RISK_FACTOR_FIELDS


class RiskFactorsForm(StyledForm):
    def __init__(self, *args: Any, factors: Sequence[RiskFactor], **kwargs: Any) -> None:
        self.factors = list(factors)
        initial = {
            f"{f.code}-{name}": getattr(f, name)
            for f in self.factors
            for name in RISK_FACTOR_FIELDS
        }
        super().__init__(*args, initial=initial, **kwargs)
        for factor in self.factors:
            label = factor.get_code_display()
            self.fields[f"{factor.code}-weight"] = forms.IntegerField(
                label=_("%(factor)s: weight") % {"factor": label},
                min_value=0,
                max_value=MAX_WEIGHT,
            )
            self.fields[f"{factor.code}-threshold"] = forms.IntegerField(
                label=_("%(factor)s: counts from") % {"factor": label}, min_value=0
            )
            self.fields[f"{factor.code}-saturation"] = forms.IntegerField(
                label=_("%(factor)s: full at") % {"factor": label}, min_value=1
            )
            self.fields[f"{factor.code}-lookback_months"] = forms.IntegerField(
                label=_("%(factor)s: period (months)") % {"factor": label},
                min_value=1,
                max_value=240,
                required=False,
            )
        self.style_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for f in self.factors:
            low, high = data.get(f"{f.code}-threshold"), data.get(f"{f.code}-saturation")
            if low is not None and high is not None and high <= low:
                self.add_error(
                    f"{f.code}-saturation", _("Must be greater than the value it counts from.")
                )
        return data

    def rows(self) -> list[tuple[RiskFactor, list[forms.BoundField]]]:
        return [
            (f, [self[f"{f.code}-{name}"] for name in RISK_FACTOR_FIELDS]) for f in self.factors
        ]

    def changes(self) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        return {
            f.code: {name: data[f"{f.code}-{name}"] for name in RISK_FACTOR_FIELDS}
            for f in self.factors
        }


def month_choices() -> list[tuple[str, Any]]:
    return [("", _("Any month"))] + [(str(m), str(MONTHS[m])) for m in range(1, 13)]


class ProposalPinForm(StyledForm):
    """Pin an institution in (in a month or any), exclude it, or remove its pin."""

    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none(), to_field_name="public_id"
    )
    kind = forms.ChoiceField(
        label=_("Pin"),
        choices=[("pinned", _("Pin in")), ("excluded", _("Exclude")), ("", _("Remove the pin"))],
        required=False,
    )
    month = forms.TypedChoiceField(
        label=_("Month"), choices=month_choices, coerce=int, empty_value=None, required=False
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, institutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField[Institution], self.fields["institution"])
        field.queryset = institutions


class ProposalParametersForm(StyledForm):
    """The proposal's parameters: visits in the year, team size, reserved share, capacity."""

    budget = forms.IntegerField(label=_("Visits in the year"), min_value=0, max_value=10000)
    team_size = forms.IntegerField(label=_("Team size"), min_value=3, max_value=10)
    reserved_percent = forms.IntegerField(
        label=_("Capacity reserved for special visits (%)"), min_value=0, max_value=100
    )
    capacity = forms.IntegerField(
        label=_("Visits a participant may join in a year"),
        min_value=0,
        max_value=100,
        help_text=_(
            "The default: for the participants whose record gives no number of visits a year."
        ),
    )
    monthly_limit = forms.IntegerField(
        label=_("At most visits a month"), min_value=1, max_value=10000, required=False
    )
    coverage = forms.ChoiceField(
        label=_("Coverage rules"),
        choices=[
            ("priority", _("Due institutions first, as many as the capacity allows")),
            ("strict", _("All due institutions, or no plan")),
        ],
    )


class CoverageRuleForm(StyledForm):
    """A coverage rule: its names, the institutions it covers (categories, types, a group
    held; none: every institution), its interval and its validity."""

    name_kk = forms.CharField(label=_("Name (Kazakh)"), max_length=300, required=False)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    categories = forms.MultipleChoiceField(
        label=_("Institution categories"),
        choices=InstitutionCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "An institution falls under the rule when its category or its type is chosen "
            "here, or it holds the group chosen below; choose none of them to cover every "
            "institution."
        ),
    )
    type_codes = forms.MultipleChoiceField(
        label=_("Institution types"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    holds = forms.ChoiceField(
        label=_("Institutions holding"),
        choices=[("", _("Not by a group held")), *VulnerableGroup.choices],
        required=False,
    )
    interval_years = forms.IntegerField(
        label=_("At least every (years)"), min_value=1, max_value=20
    )
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DateInput())
    valid_to = forms.DateField(
        label=_("Valid to"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "The first day the rule no longer applies. To change a rule from a date, end it "
            "on that date and add a new rule valid from it: past plans keep the rule they had."
        ),
    )

    def __init__(self, *args: Any, rule: CoverageRule | None = None, **kwargs: Any) -> None:
        if rule is not None:
            kwargs.setdefault(
                "initial", {name: getattr(rule, name) for name in COVERAGE_RULE_FIELDS}
            )
        super().__init__(*args, **kwargs)
        order = {c: i for i, c in enumerate(InstitutionCategory.values)}
        types = sorted(
            InstitutionType.objects.all(), key=lambda t: (order.get(t.category, 0), t.name)
        )
        choices = [(t.code, f"{t.name} ({t.code})") for t in types]
        known = {code for code, _label in choices}
        kept = rule.type_codes if rule is not None and isinstance(rule.type_codes, list) else []
        choices += [(code, code) for code in kept if code not in known]
        cast(forms.MultipleChoiceField, self.fields["type_codes"]).choices = choices
        for name in ("categories", "type_codes"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in COVERAGE_RULE_FIELDS}
