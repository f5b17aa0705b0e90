"""How the API gives a figure (`vigil.core.figures.Figure.as_dict`): its count, its share of a
base with the base, and the list behind it."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class FigureSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # the field, not Field.label
    count = serializers.IntegerField()
    percent = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        coerce_to_string=False,
        allow_null=True,
        help_text=_("The share of `base`, in per cent."),
    )
    base = serializers.IntegerField(allow_null=True)
    share = serializers.CharField(allow_null=True, help_text=_('E.g. "36.3% of 758".'))
    list = serializers.CharField(
        allow_null=True, help_text=_("The list behind the figure, with its filters.")
    )
