from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.core.forms import DateInput, StyledFormMixin
from vigil.reference.models import Agency, InstitutionType, Region

from .models import Institution


class InstitutionForm(StyledFormMixin, forms.ModelForm[Institution]):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.order_by("code"))
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.order_by("code"))
    type = forms.ModelChoiceField(
        label=_("Type"), queryset=InstitutionType.objects.order_by("category", "code")
    )

    class Meta:
        model = Institution
        fields = (
            "external_code",
            "name_kk",
            "name_ru",
            "name_en",
            "type",
            "agency",
            "region",
            "address",
            "capacity",
            "population_men",
            "population_women",
            "population_boys",
            "population_girls",
            "population_date",
            "security_level",
            "status",
        )
        widgets = {"population_date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()
