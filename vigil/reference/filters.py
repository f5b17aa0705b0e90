"""List filters on reference data, one definition for every list: a region, an agency or an
institution type chosen by its code (so a link reads
`?region=KZ-75&agency=MVD&institution_type=SIZO`), an agency with its sub-units."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Agency, InstitutionType, Region
from .selectors import agency_subtree_ids


class RegionFilter(django_filters.ModelChoiceFilter):
    """A region by its code."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Region"))
        kwargs.setdefault("empty_label", _("All regions"))
        super().__init__(queryset=Region.objects.order_by("code"), to_field_name="code", **kwargs)


class InstitutionTypeFilter(django_filters.ModelChoiceFilter):
    """An institution type by its code (`field_name`: the type, e.g. `institution__type`)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Institution type"))
        kwargs.setdefault("empty_label", _("All types"))
        super().__init__(
            queryset=InstitutionType.objects.order_by("category", "code"),
            to_field_name="code",
            **kwargs,
        )


class AgencySubtreeFilter(django_filters.ModelChoiceFilter):
    """An agency by its code, matching rows whose `field_name` (an agency) is that agency or
    one of its sub-units (a ministry finds its committees' and regional departments' rows)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Agency"))
        kwargs.setdefault("empty_label", _("All agencies"))
        kwargs.setdefault("help_text", _("Includes the agency's sub-units."))
        super().__init__(queryset=Agency.objects.order_by("code"), to_field_name="code", **kwargs)

    def filter(self, qs: QuerySet[Any], value: Agency | None) -> QuerySet[Any]:
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": agency_subtree_ids(value)})
