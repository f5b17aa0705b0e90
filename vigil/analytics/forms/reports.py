"""Forms of the annual report's pages: a new year's report, its titles and state, its
narrative in one language, a build."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vigil.core.forms import StyledForm

from ..chapters import load_chapters
from ..models import ReportLanguage, ReportState
from ..selectors.report import narrative_titles


class ReportCreateForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2999)


class ReportSettingsForm(StyledForm):
    title_kk = forms.CharField(label=_("Title in Kazakh"), max_length=200)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=200)
    title_en = forms.CharField(label=_("Title in English"), max_length=200)
    state = forms.ChoiceField(label=_("State"), choices=ReportState.choices)


class NarrativeForm(StyledForm):
    """One text area per narrative section, in one language (plain text: an empty line
    starts a new paragraph)."""

    language = forms.ChoiceField(choices=ReportLanguage.choices, widget=forms.HiddenInput)

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        titles = narrative_titles()
        labels = [("introduction", titles["introduction"])]
        labels += [(c.code, c.title()) for c in load_chapters()]
        labels += [("conclusions", titles["conclusions"]), ("parliament", titles["parliament"])]
        for key, label in labels:
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                max_length=50_000,
                widget=forms.Textarea(attrs={"rows": 5, "lang": language}),
            )
        self.fields["language"].initial = language
        self.style_fields()

    def texts(self) -> dict[str, str]:
        """The sections sent with the form (a section left out is left as it is)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "language" and k in self.data}


class BuildForm(StyledForm):
    language = forms.ChoiceField(label=_("Language"), choices=ReportLanguage.choices)
