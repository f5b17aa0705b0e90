"""The institution picker's search (htmx options), used by every form that names institutions."""

import pytest

from conftest import ALL_ACTORS
from vigil.registry.models import Institution
from vigil.registry.pickers import InstitutionChoiceField, InstitutionsChoiceField


@pytest.mark.parametrize("actor", [*ALL_ACTORS, "other_liaison"])
def test_institution_options_role_matrix(client_for, make_institution, ref, actor):
    make_institution(name_ru="Колония Астана")
    make_institution(name_ru="Колония Алматы", region=ref["almaty"], agency=ref["kuis"])
    response = client_for(actor).get(
        "/registry/institution-options/", {"institutions__q": "колония"}
    )
    if actor == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    body = response.content.decode()
    expected = {"regional": 1, "liaison": 2, "other_liaison": 0}.get(actor, 2)
    assert body.count('name="institutions"') == expected


def test_picker_fields_keep_only_institutions_in_scope(make_institution, ref):
    inside = make_institution(name_ru="Колония Астана")
    outside = make_institution(name_ru="Колония Алматы", region=ref["almaty"])
    scope = Institution.objects.filter(pk=inside.pk)
    many = InstitutionsChoiceField(scope)
    assert many.clean([str(inside.public_id), "not-a-uuid", str(inside.public_id)]) == [inside]
    one = InstitutionChoiceField(scope)
    assert one.clean(str(inside.public_id)) == inside
    with pytest.raises(Exception, match="valid choice"):
        one.clean(str(outside.public_id))
    html = one.widget.render("institution", str(inside.public_id))
    assert "/registry/institution-options/" in html
    assert f'value="{inside.public_id}"' in html
