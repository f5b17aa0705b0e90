"""The checklist fill form: one theme's questions, each a value field and a comment.

Parsing only: what an answer must be is decided by the service (`checklist_answer`).
Each field keeps the value the page was shown with (`show_hidden_initial`), so a save sends
only what this person changed and does not overwrite a teammate's newer answer.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from ..enums import QuestionKind
from ..models import ChecklistAnswer, ChecklistQuestion
from ..selectors.checklists import option_label
from ..services.checklists import MAX_COMMENT, MAX_TEXT, answer_revision

YES_NO_PARTIAL_CHOICES = [("yes", _("Yes")), ("no", _("No")), ("partial", _("Partly"))]


def value_name(question: ChecklistQuestion) -> str:
    return f"value-{question.code}"


def comment_name(question: ChecklistQuestion) -> str:
    return f"comment-{question.code}"


def base_name(question: ChecklistQuestion) -> str:
    """The hidden field with the revision of the answer the page was shown (conflicts)."""
    return f"base-{question.code}"


def answer_display(question: ChecklistQuestion, value: Any) -> str:
    """An answer as a person reads it (the labels of the chosen options), quoted."""
    if value is None or value == "" or value == []:
        return str(_("no answer"))
    if question.kind == QuestionKind.YES_NO_PARTIAL:
        text = str(dict(YES_NO_PARTIAL_CHOICES).get(value, value))
    elif question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        labels = {str(o.get("code")): option_label(o) for o in question.options or []}
        chosen = value if isinstance(value, list) else [value]
        text = ", ".join(labels.get(str(code), str(code)) for code in chosen)
    else:
        text = str(value)
    return f"«{text}»"


class InstitutionChoiceForm(forms.Form):
    """Starting a checklist: which visited institution."""

    institution = forms.UUIDField(label=_("Institution"))


class _TextField(forms.CharField):
    """Text whose line breaks compare equal however the browser sent them (CRLF or LF)."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).replace("\r\n", "\n")


def _initial(answer: ChecklistAnswer | None, kind: str) -> Any:
    if answer is None or answer.value is None:
        return [] if kind == QuestionKind.MULTIPLE_CHOICE else ""
    if kind == QuestionKind.NUMBER:
        return str(answer.value)
    return answer.value


def _value_field(question: ChecklistQuestion) -> forms.Field:
    label = question.text
    kind = question.kind
    if kind == QuestionKind.YES_NO_PARTIAL:
        return forms.ChoiceField(
            label=label,
            choices=YES_NO_PARTIAL_CHOICES,
            required=False,
            widget=forms.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"}),
        )
    options = [(str(o.get("code")), option_label(o)) for o in question.options or []]
    if kind == QuestionKind.SINGLE_CHOICE:
        return forms.ChoiceField(
            label=label,
            choices=options,
            required=False,
            widget=forms.RadioSelect(attrs={"class": "form-check-input flex-shrink-0"}),
        )
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            label=label,
            choices=options,
            required=False,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input flex-shrink-0"}),
        )
    if kind == QuestionKind.NUMBER:
        return forms.CharField(
            label=label,
            required=False,
            widget=forms.NumberInput(
                attrs={
                    "class": "form-control form-control-lg",
                    "min": "0",
                    "step": "any",
                    "inputmode": "decimal",
                }
            ),
        )
    return _TextField(
        label=label,
        required=False,
        max_length=MAX_TEXT,
        strip=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )


@dataclass(frozen=True)
class QuestionRow:
    """What the template needs to draw one question."""

    question: ChecklistQuestion
    value: BoundField
    comment: BoundField
    answer: ChecklistAnswer | None
    hidden_initial: SafeString  # the shown value, for choice widgets drawn one by one
    revision: str  # of the answer shown ("" for none): see `base_name`

    @property
    def is_choice(self) -> bool:
        return self.question.kind in (
            QuestionKind.YES_NO_PARTIAL,
            QuestionKind.SINGLE_CHOICE,
            QuestionKind.MULTIPLE_CHOICE,
        )


class ChecklistThemeForm(forms.Form):
    theme = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        questions: list[ChecklistQuestion],
        answers: dict[int, ChecklistAnswer],
        disabled: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.answers = answers
        for question in questions:
            answer = answers.get(question.pk)
            value = _value_field(question)
            value.show_hidden_initial = True
            value.initial = _initial(answer, question.kind)
            comment = _TextField(
                label=_("Comment"),
                required=False,
                max_length=MAX_COMMENT,
                strip=False,
                widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
            )
            comment.show_hidden_initial = True
            comment.initial = answer.comment if answer else ""
            for field in (value, comment):
                field.disabled = disabled
            self.fields[value_name(question)] = value
            self.fields[comment_name(question)] = comment

    @property
    def rows(self) -> list[QuestionRow]:
        rows = []
        for question in self.questions:
            value = self[value_name(question)]
            rows.append(
                QuestionRow(
                    question=question,
                    value=value,
                    comment=self[comment_name(question)],
                    answer=self.answers.get(question.pk),
                    hidden_initial=value.as_hidden(only_initial=True),
                    revision=answer_revision(self.answers.get(question.pk)),
                )
            )
        return rows

    def changed_questions(self) -> list[tuple[ChecklistQuestion, Any, str | None]]:
        """(question, value, comment) for each question this person changed and that parsed;
        a comment left as shown is None (kept as it is in the database)."""
        changed = set(self.changed_data)
        result = []
        for question in self.questions:
            vname, cname = value_name(question), comment_name(question)
            if vname in self.errors or cname in self.errors:
                continue
            if vname not in changed and cname not in changed:
                continue
            value = self.cleaned_data.get(vname)
            if vname not in changed:
                answer = self.answers.get(question.pk)
                value = answer.value if answer else None
            comment = self.cleaned_data.get(cname) if cname in changed else None
            result.append((question, value, comment))
        return result
