"""The institution picker used by every form that names institutions: search-as-you-type
(htmx) over the institutions the user may see."""

import uuid
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse

from .models import Institution


class InstitutionPicker(forms.Widget):
    """Search-as-you-type (htmx) over the registry; only the chosen institutions are
    rendered, so the form stays small with thousands of institutions."""

    template_name = "registry/widgets/institution_picker.html"

    def __init__(self, *, multiple: bool = True, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.multiple = multiple
        self.queryset: QuerySet[Institution] = Institution.objects.none()

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if self.multiple:
            getter = getattr(data, "getlist", None)
            return getter(name) if getter else data.get(name)
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False

    def format_value(self, value: Any) -> list[str]:
        if value is None or value == "":
            return []
        values = value if isinstance(value, list | tuple | set) else [value]
        return [str(getattr(v, "public_id", v)) for v in values]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        chosen: list[Institution] = []
        ids = [v for v in context["widget"]["value"] if _is_uuid(v)]
        if ids:
            chosen = list(self.queryset.filter(public_id__in=ids).select_related("region", "type"))
        context["widget"].update(
            input_type="checkbox" if self.multiple else "radio",
            chosen=chosen,
            search_url=reverse("registry:institution_options"),
        )
        return context


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


class InstitutionChoiceField(forms.ModelChoiceField[Institution]):
    def __init__(self, queryset: QuerySet[Institution], **kwargs: Any) -> None:
        super().__init__(
            queryset, to_field_name="public_id", widget=InstitutionPicker(multiple=False), **kwargs
        )
        self.widget.queryset = queryset  # type: ignore[attr-defined]

    def to_python(self, value: Any) -> Any:
        return super().to_python(value if value and _is_uuid(value) else None)


class InstitutionsChoiceField(forms.ModelMultipleChoiceField[Institution]):
    def __init__(self, queryset: QuerySet[Institution], **kwargs: Any) -> None:
        super().__init__(
            queryset, to_field_name="public_id", widget=InstitutionPicker(multiple=True), **kwargs
        )
        self.widget.queryset = queryset  # type: ignore[attr-defined]

    def clean(self, value: Any) -> Any:
        value = [v for v in (value or []) if _is_uuid(v)]
        chosen = list(dict.fromkeys(value))
        found = {str(i.public_id): i for i in super().clean(chosen)} if chosen else {}
        if not chosen and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [found[v] for v in chosen if v in found]
