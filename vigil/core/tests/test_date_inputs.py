"""Date pickers keep their value in every language (issue: ru/kk edit forms lost dates).

The browser's `<input type="date">` accepts only ISO dates; a localised value such as
`20.01.2027` comes up empty and is lost on save. Every date input of every edit form renders
ISO, whatever the language."""

import datetime
import re

import pytest
from django.utils import translation

from vigil.core.forms import DateInput
from vigil.visits.enums import VisitState

DATE_INPUT = re.compile(r'<input type="date" name="(?P<name>[\w-]+)"(?P<attrs>[^>]*)>')


def _date_values(html: str) -> dict[str, str]:
    values = {}
    for match in DATE_INPUT.finditer(html):
        value = re.search(r'value="([^"]*)"', match.group("attrs"))
        values[match.group("name")] = value.group(1) if value else ""
    return values


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_widget_renders_iso_in_every_language(language):
    with translation.override(language):
        html = DateInput().render("day", datetime.date(2027, 1, 20))
    assert 'type="date"' in html
    assert 'value="2027-01-20"' in html


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_edit_forms_render_every_stored_date_as_iso(
    client_for, participants, make_visit, make_institution, language
):
    visit = make_visit(
        state=VisitState.PLANNED,
        planned_start=datetime.date(2027, 1, 20),
        planned_end=datetime.date(2027, 1, 22),
    )
    institution = make_institution(population_date=datetime.date(2026, 11, 30))
    participant = participants["doctor"]
    participant.accredited_to = datetime.date(2028, 12, 31)
    participant.save()
    client = client_for("coordinator")
    expected = {
        f"/visits/{visit.public_id}/edit/": {
            "planned_start": "2027-01-20",
            "planned_end": "2027-01-22",
        },
        f"/registry/institutions/{institution.public_id}/edit/": {"population_date": "2026-11-30"},
        f"/people/{participant.public_id}/edit/": {
            "accredited_from": "2020-01-01",
            "accredited_to": "2028-12-31",
        },
    }
    for url, dates in expected.items():
        response = client.get(url, headers={"accept-language": language})
        assert response.status_code == 200, url
        values = _date_values(response.content.decode())
        for name, value in dates.items():
            assert values.get(name) == value, (url, name, values)
