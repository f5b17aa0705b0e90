"""The filters every statistic takes (dashboards, report, open data): year, region, agency
(with its sub-units) and institution type, each in the URL by its code
(`?year=2023&region=KZ-75&agency=MVD&institution_type=SIZO`)."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User
from vigil.appeals.selectors.funnel import FunnelFilters
from vigil.core.forms import StyledForm
from vigil.reference.models import Agency, InstitutionType, Region

from .permissions import filter_agencies_for, filter_regions_for


@dataclass(frozen=True)
class StatisticsFilters:
    year: int | None = None
    region: Region | None = None
    agency: Agency | None = None
    institution_type: InstitutionType | None = None

    def params(self) -> dict[str, str]:
        """The filters as a list page's query (the list behind a figure uses the same names)."""
        return self.funnel().params()

    def funnel(self) -> FunnelFilters:
        return FunnelFilters(
            year=self.year,
            region=self.region,
            agency=self.agency,
            institution_type=self.institution_type,
        )


class StatisticsFilterForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2999)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("All regions"),
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("All agencies"),
        help_text=_("Includes the agency's sub-units."),
    )
    institution_type = forms.ModelChoiceField(
        label=_("Institution type"),
        queryset=InstitutionType.objects.order_by("category", "code"),
        to_field_name="code",
        required=False,
        empty_label=_("All types"),
    )

    def __init__(self, *args: Any, user: User | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = filter_regions_for(user)  # type: ignore[attr-defined]
        self.fields["agency"].queryset = filter_agencies_for(user)  # type: ignore[attr-defined]

    def filters(self) -> StatisticsFilters:
        """The valid filters (an invalid one is dropped and shown as an error on the form)."""
        self.is_valid()  # an invalid field is left out of `cleaned_data`, the others stay
        data = self.cleaned_data
        return StatisticsFilters(
            year=data.get("year"),
            region=data.get("region"),
            agency=data.get("agency"),
            institution_type=data.get("institution_type"),
        )


def statistics_filters(
    user: User | None, query: QueryDict, *, default_year: int | None = None
) -> tuple[StatisticsFilterForm, StatisticsFilters]:
    """The filter form for `user` bound to the URL's query, and the filters it gives."""
    data = query.copy()
    if default_year is not None and "year" not in data:
        data["year"] = str(default_year)
    form = StatisticsFilterForm(data, user=user)
    return form, form.filters()
