from vigil.audit.templatetags.audit_tags import audit_details


def test_changes_render_as_old_to_new():
    assert audit_details({"changes": {"capacity": [10, 12], "address": [None, "ул. 1"]}}) == [
        ("capacity", "10 → 12"),
        ("address", "— → ул. 1"),
    ]


def test_created_fields_skip_empty_values():
    assert audit_details({"fields": {"name_ru": "ИВС", "address": "", "capacity": None}}) == [
        ("name_ru", "ИВС")
    ]


def test_other_data_is_key_value():
    assert audit_details({"email": "x@y.kz", "counts": {"created": 1}}) == [
        ("email", "x@y.kz"),
        ("counts", '{"created": 1}'),
    ]
    assert audit_details(None) == []
