"""Drafting a recommendation from a finding of the report: the form starts from the finding
(its institution, the agency responsible for it as the addressee, its theme), and the
messages that count recommendations use the language's plural forms."""

import pytest

from vigil.recommendations.enums import State
from vigil.visits.enums import Theme

pytestmark = pytest.mark.django_db


def _selected(html: str, name: str) -> str:
    """The value of the selected option of the select `name` ('' for none)."""
    start = html.index(f'name="{name}"')
    block = html[start : html.index("</select>", start)]
    marker = block.find(" selected")
    if marker < 0:
        return ""
    value_at = block.rfind('value="', 0, marker) + len('value="')
    return block[value_at : block.index('"', value_at)]


def test_drafting_from_a_finding_prefills_addressee_institution_and_theme(
    client_for, approved_visit, ref
):
    visit = approved_visit()
    finding = visit.findings.get(theme=Theme.T5)
    finding.theme = Theme.T8
    finding.save(update_fields=["theme"])
    url = f"/recommendations/issue/{visit.public_id}/new/?finding={finding.public_id}"
    html = client_for("coordinator").get(url).content.decode()
    assert _selected(html, "addressee") == ref["kuis_71"].code
    assert _selected(html, "theme") == Theme.T8
    assert _selected(html, "institution") == str(finding.institution.public_id)
    checked = html[html.index(f'value="{finding.public_id}"') :].split(">", 1)[0]
    assert "checked" in checked


def test_drafting_without_a_finding_takes_the_only_institutions_agency(
    client_for, approved_visit, ref
):
    visit = approved_visit(theme=Theme.T4)
    html = client_for("coordinator").get(f"/recommendations/issue/{visit.public_id}/new/")
    text = html.content.decode()
    assert _selected(text, "addressee") == ref["kuis_71"].code
    assert _selected(text, "theme") == Theme.T4


def test_a_finding_of_another_visit_prefills_nothing(client_for, approved_visit):
    visit, other = approved_visit(), approved_visit()
    foreign = other.findings.get(theme=Theme.T5)
    url = f"/recommendations/issue/{visit.public_id}/new/?finding={foreign.public_id}"
    text = client_for("coordinator").get(url).content.decode()
    assert _selected(text, "theme") == ""
    assert f'value="{foreign.public_id}"' not in text


def test_the_issue_page_links_each_finding_to_a_prefilled_draft(client_for, approved_visit):
    visit = approved_visit()
    html = client_for("coordinator").get(f"/recommendations/issue/{visit.public_id}/")
    for finding in visit.findings.all():
        assert f"/new/?finding={finding.public_id}" in html.content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "1 recommendation issued to its addressee."),
        ("ru", "1 рекомендация направлена адресату."),
    ],
)
def test_one_issued_recommendation_is_singular(
    client_for, approved_visit, make_recommendation, language, expected
):
    visit = approved_visit()
    make_recommendation(state=State.DRAFT, visit=visit)
    client = client_for("coordinator")
    response = client.post(
        f"/recommendations/issue/{visit.public_id}/issue-all/",
        follow=True,
        headers={"accept-language": language},
    )
    assert expected in response.content.decode()
