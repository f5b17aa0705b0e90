"""Forms of the visit report page."""

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from vigil.core.forms import StyledForm, StyledFormMixin

from ..models import Finding, Visit, VisitReport
from ..services.reports import MOVE_BY_ACTION


class FindingChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Finding) -> str:  # type: ignore[override]
        return f"{obj.get_theme_display()} · {obj.get_severity_display()} · {obj.title}"


class ReportStartForm(StyledForm):
    language = forms.ChoiceField(
        label=_("Language of the report"),
        choices=settings.LANGUAGES,
        help_text=_("The report is written and exported in this language."),
    )


class ReportForm(StyledFormMixin, forms.ModelForm[VisitReport]):
    findings = FindingChoiceField(
        label=_("Findings in the report"),
        queryset=Finding.objects.none(),
        to_field_name="public_id",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The report is a selection: untick what stays in the team's material."),
    )

    class Meta:
        model = VisitReport
        fields = ("language", "introduction", "findings", "conclusion")
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 8}),
            "conclusion": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args: Any, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        findings = cast(FindingChoiceField, self.fields["findings"])
        findings.queryset = Finding.objects.filter(visit=visit).order_by("theme", "id")
        self.style_fields()
        findings.widget.attrs["class"] = "form-check-input"

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["findings"] = list(data.get("findings") or [])
        return data


class ReportMoveForm(StyledForm):
    action = forms.ChoiceField(
        choices=[(action, move.label) for action, move in MOVE_BY_ACTION.items()],
        widget=forms.HiddenInput,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the report is returned: say what the team should change."),
    )
