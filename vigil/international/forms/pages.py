"""Forms of the UN follow-up's pages: a document, a paragraph, an assessment.

They parse and check what was typed; the rules (a unique symbol, a text in one language, a
reason for "not applicable") are the models' and are checked again by the services, whose
errors the views put next to the fields (`add_service_errors`).
"""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.core.forms import DateInput, StyledFormMixin
from vigil.reference.models import Agency
from vigil.visits.enums import Theme

from ..enums import AssessmentSource, Body, DocumentKind
from ..models import AssessmentScale, Document, Paragraph, ScaleGrade
from ..services import DOCUMENT_FIELDS, PARAGRAPH_FIELDS


class DocumentForm(StyledFormMixin, forms.ModelForm[Document]):
    class Meta:
        model = Document
        fields = DOCUMENT_FIELDS
        widgets = {"adopted_on": DateInput(), "published_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [("", _("Choose the body")), *Body.choices]  # type: ignore[attr-defined]
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose the kind of document")),
            *DocumentKind.choices,
        ]
        self.style_fields()

    def _post_clean(self) -> None:
        """Validated by the service (which keeps the document unchanged until it saves)."""


class AgencyChoiceField(forms.ModelMultipleChoiceField[Agency]):
    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name} ({obj.code})"


class ParagraphForm(StyledFormMixin, forms.ModelForm[Paragraph]):
    themes = forms.MultipleChoiceField(
        label=_("Themes"),
        choices=Theme.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The themes of the taxonomy the paragraph is about."),
    )
    addressees = AgencyChoiceField(
        label=_("Addressed to"),
        queryset=Agency.objects.order_by("code"),
        to_field_name="code",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "The state bodies that must act on it (hold Ctrl or ⌘ to choose several); "
            "their liaisons see the paragraph."
        ),
    )

    class Meta:
        model = Paragraph
        fields = (*PARAGRAPH_FIELDS, "addressees")
        widgets = {
            "text_en": forms.Textarea(attrs={"rows": 4}),
            "text_ru": forms.Textarea(attrs={"rows": 4}),
            "text_kk": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["themes"] = self.instance.theme_list
            self.initial["addressees"] = [a.code for a in self.instance.addressees.all()]
        else:
            self.fields["position"].required = False
            self.fields["position"].help_text = _(
                "The paragraph's place in the document; empty: after the last one."
            )
        self.style_fields()

    def clean_themes(self) -> str:
        return " ".join(sorted(self.cleaned_data.get("themes") or []))

    def _post_clean(self) -> None:
        """Validated by the service."""

    def service_fields(self) -> dict[str, Any]:
        """The paragraph's fields as the services take them (addressees apart)."""
        data = {name: self.cleaned_data[name] for name in PARAGRAPH_FIELDS}
        if data["position"] is None:
            del data["position"]
        return data


class GradeChoiceField(forms.ChoiceField):
    """The grades of every scale, grouped by scale (one `<optgroup>` each); the value is the
    grade's public id, cleaned to the `ScaleGrade`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=self._choices_by_scale, **kwargs)

    @staticmethod
    def _choices_by_scale() -> list[tuple[str, Any]]:
        scales = AssessmentScale.objects.prefetch_related("grades").order_by("code")
        choices: list[tuple[str, Any]] = [("", _("Choose the grade"))]
        for scale in scales:
            grades = [(str(g.public_id), str(g)) for g in scale.grades.all()]
            if grades:
                choices.append((scale.name or scale.code, grades))
        return choices

    def clean(self, value: Any) -> ScaleGrade | None:
        key = super().clean(value)
        if not key:
            return None
        grade = ScaleGrade.objects.select_related("scale").filter(public_id=key).first()
        if grade is None:
            raise forms.ValidationError(_("Choose one of the grades."), code="invalid_choice")
        return grade


class AssessmentForm(StyledFormMixin, forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=AssessmentSource.choices)
    source_name = forms.CharField(
        label=_("Assessed by"),
        max_length=200,
        required=False,
        help_text=_(
            "For civil society, the organisation, e.g. the NGO Coalition against Torture; "
            "empty for the state or the NPM."
        ),
    )
    grade = GradeChoiceField(label=_("Grade"))
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for “not applicable”."),
    )
    reference = forms.CharField(
        label=_("Published in"),
        max_length=300,
        required=False,
        help_text=_("The report or letter the grade comes from."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = timezone.localdate
        self.style_fields()

    def clean_assessed_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["assessed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date of an assessment cannot be in the future."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("source") == AssessmentSource.CIVIL_SOCIETY
            and not (data.get("source_name") or "").strip()
        ):
            self.add_error("source_name", _("Name the organisation whose assessment this is."))
        return data
