"""One number policy per language: figures grouped by thousands ("35 000" with a non-breaking
space in kk and ru, "35,000" in en), years and ids left alone; empty choices translated."""

from decimal import Decimal

import django_filters
import pytest
from django import forms
from django.contrib.auth.models import Group
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import ngettext

from vigil.core.numbers import Figure, format_number

GROUPED = {"kk": "35\xa0000", "ru": "35\xa0000", "en": "35,000"}
DECIMAL = {"kk": "12\xa0345,5", "ru": "12\xa0345,5", "en": "12,345.5"}


@pytest.mark.parametrize("language", list(GROUPED))
def test_figures_are_grouped_in_the_language(language):
    with translation.override(language):
        assert format_number(35000) == GROUPED[language]
        assert format_number(Decimal("12345.5")) == DECIMAL[language]
        assert format_number(999) == "999"
        assert format_number(None) == ""
        rendered = Template(
            "{% load vigil_numbers %}{{ n|vigil_number }} {{ year }} {{ d|vigil_number }}"
        ).render(Context({"n": 35000, "year": 2026, "d": Decimal("12345.5")}))
    assert rendered == f"{GROUPED[language]} 2026 {DECIMAL[language]}"


@pytest.mark.parametrize(
    ("language", "one", "many"),
    [("en", "1 visit", "35,000 visits"), ("ru", "1 посещение", "35\xa0000 посещений")],
)
def test_a_figure_still_chooses_the_plural(language, one, many):
    # The visits list's count line (vigil.visits.listings), with a figure as its number.
    def count_line(n: int) -> str:
        figure = Figure(n)
        return ngettext("%(count)s visit", "%(count)s visits", figure) % {"count": figure}

    with translation.override(language):
        assert count_line(1) == one
        assert count_line(35000) == many


def test_what_is_not_a_number_passes_through():
    template = Template(
        "{% load vigil_numbers %}{% with r=rate|vigil_number %}{% if r is None %}none{% endif %}"
        "{% endwith %} {{ dash|vigil_number }} {{ flag|vigil_number }}"
    )
    assert template.render(Context({"rate": None, "dash": "—", "flag": True})) == "none — True"


def test_a_figure_is_an_int():
    figure = Figure(35000)
    assert figure == 35000
    assert figure + 1 == 35001
    with translation.override("en"):
        assert str(figure) == "35,000"
        assert f"{figure}" == "35,000"


@pytest.mark.parametrize(
    ("language", "form_label", "filter_label"),
    [("kk", "Таңдаңыз…", "Барлығы"), ("ru", "Выберите…", "Все"), ("en", "Choose…", "All")],
)
def test_empty_choices_are_translated(db, language, form_label, filter_label):
    class Picker(forms.Form):
        group = forms.ModelChoiceField(queryset=Group.objects.none(), required=False)

    class GroupFilter(django_filters.FilterSet):
        name = django_filters.ChoiceFilter(choices=[("a", "A")])

        class Meta:
            model = Group
            fields = ("name",)

    with translation.override(language):
        form_html = str(Picker())
        filter_html = str(GroupFilter().form)
    assert form_label in form_html
    assert filter_label in filter_html
    for html in (form_html, filter_html):
        assert "Select an option" not in html
        assert "---------" not in html
