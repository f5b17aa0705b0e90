"""The escalation form: to whom, at which level, what is asked, by when, in which language."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from vigil.core.forms import DateInput, StyledForm
from vigil.reference.models import Agency

from ..enums import Level
from ..models import Recommendation
from ..services.escalation import LETTER_LANGUAGES, escalation_defaults

LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


class EscalationForm(StyledForm):
    target = forms.ModelChoiceField(
        label=gettext_lazy("Escalate to"),
        queryset=Agency.objects.none(),
        to_field_name="code",
        empty_label=None,
        help_text=gettext_lazy(
            "The next level up is proposed; any higher level of the hierarchy may be chosen."
        ),
    )
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=Level.choices)
    text = forms.CharField(
        label=gettext_lazy("What the higher authority is asked to do"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("This is the individualised recommendation; the letter quotes it."),
    )
    indicator = forms.CharField(
        label=gettext_lazy("Indicator of success"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    deadline = forms.DateField(
        label=gettext_lazy("Deadline for the answer"),
        widget=DateInput(),
        required=False,
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the letter"),
        choices=[(code, LANGUAGE_NAMES[code]) for code in LETTER_LANGUAGES],
    )
    note = forms.CharField(
        label=gettext_lazy("Note on the originals' history"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=gettext_lazy("Kept on each original's timeline (default: where it went)."),
    )

    def __init__(self, *args: Any, originals: Sequence[Recommendation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        defaults = escalation_defaults(originals)
        target_field: Any = self.fields["target"]
        target_field.queryset = Agency.objects.filter(pk__in=[a.pk for a in defaults.targets])
        order = {a.pk: n for n, a in enumerate(defaults.targets)}
        target_field.choices = [
            (a.code, f"{a.name} ({a.code})")
            for a in sorted(target_field.queryset, key=lambda a: order[a.pk])
        ]
        if not self.is_bound:
            levels = {rec.level for rec in originals}
            language = (get_language() or "ru")[:2]
            self.initial.update(
                {
                    "target": defaults.target.code if defaults.target else None,
                    "level": levels.pop() if len(levels) == 1 else Level.SYSTEMIC,
                    "deadline": defaults.deadline,
                    "language": language if language in LETTER_LANGUAGES else "ru",
                    "text": default_request(originals),
                }
            )


def default_request(originals: Sequence[Recommendation]) -> str:
    """A starting text for the request, in the language of the page."""
    addressee = originals[0].addressee.name
    references = ", ".join(rec.reference for rec in originals)
    return _(
        "Ensure that %(addressee)s implements recommendation(s) %(references)s without further "
        "delay, and inform the Human Rights Commissioner of the measures taken."
    ) % {"addressee": addressee, "references": references}
