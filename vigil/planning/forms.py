"""The risk factors' form: one row of fields per factor (named `<code>-<field>`)."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.core.forms import StyledForm

from .models import MAX_WEIGHT, RiskFactor
from .services import RISK_FACTOR_FIELDS


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
