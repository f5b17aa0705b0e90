"""Forms and filters for findings and internal notes.

`FindingFilter` is the one definition of the finding filters, used by the findings page
and the API alike.
"""

from typing import Any, cast

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from vigil.core.forms import StyledForm, StyledFormMixin
from vigil.core.models import localized_name
from vigil.registry.models import Institution

from ..enums import EvidenceKind, NoteKind, Severity, Theme
from ..models import ChecklistAnswer, Finding, InternalNote, Visit
from ..selectors.findings import answer_text, answered_answers


class AnswerChoiceField(forms.ModelMultipleChoiceField):
    """Answered checklist questions, labelled with the question and the answer given."""

    def __init__(self, *args: Any, show_institution: bool = False, **kwargs: Any) -> None:
        self.show_institution = show_institution
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: ChecklistAnswer) -> str:  # type: ignore[override]
        question = obj.question
        label = f"{question.code} · {question.text} — {Truncator(answer_text(obj)).chars(80)}"
        if self.show_institution:
            label += f" ({localized_name(obj.response.institution)})"
        return label


class FindingForm(StyledFormMixin, forms.ModelForm[Finding]):
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none(), to_field_name="public_id"
    )
    evidence_kinds = forms.MultipleChoiceField(
        label=_("Evidence"),
        choices=EvidenceKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select every kind of evidence that supports the finding (triangulation)."),
    )
    answers = AnswerChoiceField(
        label=_("Linked checklist answers"),
        queryset=ChecklistAnswer.objects.none(),
        to_field_name="public_id",
        required=False,
        help_text=_("Answers given for the same institution during this visit."),
    )

    class Meta:
        model = Finding
        fields = (
            "institution",
            "theme",
            "severity",
            "title",
            "description",
            "evidence_kinds",
            "standard_references",
            "root_cause",
            "answers",
        )
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        institutions = visit.institutions.order_by("pk")
        institution_field = cast(forms.ModelChoiceField, self.fields["institution"])  # type: ignore[type-arg]
        institution_field.queryset = institutions
        if self.instance.pk is None and institutions.count() == 1:
            self.initial.setdefault("institution", institutions.first())
        answers_field = cast(AnswerChoiceField, self.fields["answers"])
        answers_field.queryset = answered_answers(visit)
        if answers_field.queryset.exists():
            answers_field.show_institution = institutions.count() > 1
            answers_field.widget.attrs["size"] = 8
        else:
            # Nothing answered yet: nothing to link (and nothing linked to keep).
            del self.fields["answers"]
        self.style_fields()
        # Big touch targets on a phone: the kinds of evidence are toggle buttons.
        self.fields["evidence_kinds"].widget.attrs["class"] = "btn-check"

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if "answers" in self.fields:
            data["answers"] = list(data.get("answers") or [])
        data["evidence_kinds"] = list(data.get("evidence_kinds") or [])
        return data


class NoteForm(StyledFormMixin, forms.ModelForm[InternalNote]):
    class Meta:
        model = InternalNote
        fields = ("kind", "text")
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = NoteKind.choices  # type: ignore[attr-defined]
        self.style_fields()


class FindingFilter(django_filters.FilterSet):
    """Filters of the findings page and of `/api/v1/findings/`."""

    visit = django_filters.UUIDFilter(
        label=_("Visit"), field_name="visit__public_id", help_text=_("The visit's id.")
    )
    institution = django_filters.ModelChoiceFilter(
        label=_("Institution"),
        queryset=Institution.objects.all(),
        to_field_name="public_id",
        empty_label=_("All institutions"),
    )
    theme = django_filters.ChoiceFilter(
        label=_("Theme"), choices=Theme.choices, empty_label=_("All themes")
    )
    severity = django_filters.ChoiceFilter(
        label=_("Severity"), choices=Severity.choices, empty_label=_("Any severity")
    )

    class Meta:
        model = Finding
        form = StyledForm
        fields = ("visit", "institution", "theme", "severity")

    def filter_queryset(self, queryset: QuerySet[Finding]) -> QuerySet[Finding]:
        return super().filter_queryset(queryset).order_by("theme", "id")


def finding_filter_for_visit(
    visit: Visit, params: Any, queryset: QuerySet[Finding]
) -> FindingFilter:
    """The filter bar of a visit's findings page: its institutions only, no visit field."""
    filterset = FindingFilter(params, queryset=queryset)
    del filterset.form.fields["visit"]
    institution_field = cast(forms.ModelChoiceField, filterset.form.fields["institution"])  # type: ignore[type-arg]
    institution_field.queryset = visit.institutions.order_by("pk")
    return filterset
