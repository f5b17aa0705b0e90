"""The audit trail as people read it: action labels, kinds of record, readable data."""

import pytest
from django.utils import translation

from vigil.audit.display import event_details, target_kind_name
from vigil.audit.enums import ACTION_LABELS, AuditAction, action_label
from vigil.registry.models import Institution
from vigil.visits.models import Visit


def test_every_action_has_a_label_translated_in_each_language():
    assert set(ACTION_LABELS) == set(AuditAction)
    for action in AuditAction:
        with translation.override("en"):
            english = str(action.label)
        assert english
        assert english != action.value
        for language in ("ru", "kk"):
            with translation.override(language):
                assert str(action.label) != english, (language, action)


def test_an_unknown_stored_code_shows_as_itself():
    assert action_label("made.up") == "made.up"
    with translation.override("en"):
        assert action_label("institution.updated") == "Institution updated"


@pytest.mark.parametrize(
    ("language", "name"), [("en", "Institution"), ("ru", "Учреждение"), ("kk", "Мекеме")]
)
def test_kind_of_record_is_the_translated_model_name(language, name):
    with translation.override(language):
        assert target_kind_name("registry.institution") == name
    assert target_kind_name("") == ""
    assert target_kind_name("gone.model") == ""


def test_changes_show_field_names_and_old_to_new():
    with translation.override("en"):
        lines = event_details(
            {"changes": {"capacity": [10, 12], "address": [None, "ул. 1"]}}, Institution
        )
    assert lines == [("Capacity", "10 → 12"), ("Address", "— → ул. 1")]


def test_state_changes_show_labels_from_to():
    with translation.override("en"):
        lines = event_details({"from": "planned", "to": "on_site", "note": ""}, Visit)
    assert lines == [("State", "Scheduled → On site")]


def test_created_fields_skip_empty_values_and_dates_read_in_the_language():
    with translation.override("ru"):
        lines = event_details(
            {"fields": {"name_ru": "ИВС", "address": "", "population_date": "2027-01-20"}},
            Institution,
        )
    assert lines[0][1] == "ИВС"
    assert lines[1][1] == "20.01.2027"
    assert len(lines) == 2


def test_hidden_fields_are_left_out():
    data = {"changes": {"capacity": [1, 2], "last_visited_on": [None, "2026-01-01"]}}
    with translation.override("en"):
        assert event_details(data, Institution, hidden={"last_visited_on"}) == [
            ("Capacity", "1 → 2")
        ]


def test_other_data_is_key_value():
    with translation.override("en"):
        data = {"rows": 3, "counts": {"created": 1}, "flag": True, "added": ["a", "b"]}
        assert event_details(data, None) == [
            ("Rows", "3"),
            ("Counts", "created: 1"),
            ("flag", "yes"),
            ("Added", "a, b"),
        ]
    assert event_details(None, None) == []
