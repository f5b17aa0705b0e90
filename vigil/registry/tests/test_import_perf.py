"""The bulk write behind the import: the guarantees of one-by-one writes, few queries."""

import dataclasses
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.audit.services import snapshot
from vigil.core.importing import ImportValidationError, kinds
from vigil.registry.importing import (
    INSTITUTIONS,
    institutions_import,
    institutions_import_check,
)
from vigil.registry.models import Institution
from vigil.registry.search import institution_search_text
from vigil.registry.services import (
    INSTITUTION_FIELDS,
    InstitutionsBulkError,
    institution_create,
    institutions_bulk_write,
)
from vigil.registry.tests.test_import import csv_bytes, make_rows


def _data(ref: dict[str, Any], n: int, **overrides: Any) -> dict[str, Any]:
    data = {
        "external_code": f"BULK-{n:05d}",
        "name_ru": f"Учреждение № {n}",
        "name_kk": f"№ {n} мекеме",
        "name_en": f"Institution No. {n}",
        "type": ref["colony"],
        "agency": ref["kuis_71"],
        "region": ref["astana"],
        "capacity": 100 + n,
    }
    return {**data, **overrides}


def _counts() -> tuple[int, int]:
    return Institution.objects.count(), AuditEvent.objects.count()


def test_bulk_create_writes_what_institution_create_writes(ref, users):
    coordinator = users["coordinator"]
    context = RequestContext(ip="10.0.0.1")
    one = institution_create(actor=coordinator, data=_data(ref, 1), context=context)
    result = institutions_bulk_write(
        actor=coordinator,
        creates=[_data(ref, 2), _data(ref, 3, external_code="")],
        context=context,
    )
    two, three = result.created
    assert result.changes == []

    stored = Institution.objects.get(pk=two.pk)
    assert stored.search_text == institution_search_text(
        stored.name_kk, stored.name_ru, stored.name_en, stored.external_code
    )
    assert stored.created_at is not None
    assert Institution.objects.get(pk=three.pk).external_code is None

    events = {
        e.target_id: e for e in AuditEvent.objects.filter(action=AuditAction.INSTITUTION_CREATED)
    }
    assert len(events) == 3
    single, bulk = events[str(one.public_id)], events[str(two.public_id)]
    assert bulk.data == {"fields": snapshot(stored, INSTITUTION_FIELDS)}
    for name in ("actor", "actor_label", "target_type", "request_id", "ip"):
        assert getattr(bulk, name) == getattr(single, name)
    assert bulk.target_label == str(stored)
    assert set(bulk.data["fields"]) == set(single.data["fields"])


def test_bulk_update_audits_the_changes_and_leaves_unchanged_rows_alone(ref, make_institution):
    moved, same = make_institution(), make_institution()
    old_name, stamp = moved.name_ru, same.updated_at

    result = institutions_bulk_write(
        actor=None,
        updates=[
            (moved, {"name_ru": "Новое имя", "region": ref["almaty"]}),
            (same, {"name_ru": same.name_ru, "capacity": same.capacity}),
        ],
    )

    assert result.created == []
    assert result.changes == [
        {
            "name_ru": [old_name, "Новое имя"],
            "region": [str(ref["astana"].public_id), str(ref["almaty"].public_id)],
        },
        {},
    ]
    stored = Institution.objects.get(pk=moved.pk)
    assert (stored.name_ru, stored.region_id) == ("Новое имя", ref["almaty"].pk)
    assert "новое имя" in stored.search_text
    assert stored.updated_at > stamp
    assert Institution.objects.get(pk=same.pk).updated_at == stamp
    event = AuditEvent.objects.get(action=AuditAction.INSTITUTION_UPDATED)
    assert event.target_id == str(moved.public_id)
    assert event.actor_label == "system"
    assert event.data == {"changes": result.changes[0]}


def test_codes_taken_in_the_database_or_twice_in_the_batch_write_nothing(ref, make_institution):
    make_institution(external_code="TAKEN")
    before = _counts()

    with pytest.raises(InstitutionsBulkError) as excinfo:
        institutions_bulk_write(
            actor=None,
            creates=[
                _data(ref, 1),
                _data(ref, 2, external_code="TAKEN"),
                _data(ref, 3, external_code="BULK-00001"),
            ],
        )

    assert excinfo.value.updates == {}
    assert sorted(excinfo.value.creates) == [1, 2]
    for errors in excinfo.value.creates.values():
        assert list(errors) == ["external_code"]
        assert "already exists" in errors["external_code"][0]
    assert _counts() == before


def test_update_errors_are_reported_by_position_and_nothing_is_written(ref, make_institution):
    first, second = make_institution(), make_institution()
    before = _counts()

    with pytest.raises(InstitutionsBulkError) as excinfo:
        institutions_bulk_write(
            actor=None,
            creates=[_data(ref, 1, name_kk="", name_ru="", name_en="")],
            updates=[
                (first, {"name_ru": "Fine"}),
                (second, {"external_code": first.external_code, "capacity": -1}),
            ],
        )

    assert list(excinfo.value.creates) == [0]
    assert "name_ru" in excinfo.value.creates[0]
    assert list(excinfo.value.updates) == [1]
    assert set(excinfo.value.updates[1]) == {"external_code", "capacity"}
    assert _counts() == before
    assert Institution.objects.get(pk=first.pk).name_ru != "Fine"


def test_permissions_are_checked_before_anything_is_written(ref, users, make_institution):
    regional = users["regional"]  # Astana only
    elsewhere = make_institution(region=ref["almaty"])
    own = make_institution(region=ref["astana"])
    before = _counts()

    denied: list[dict[str, Any]] = [
        {"creates": [_data(ref, 1), _data(ref, 2, region=ref["almaty"])]},
        {"updates": [(elsewhere, {"name_ru": "x"})]},
        {"updates": [(own, {"region": ref["almaty"]})]},
    ]
    for kwargs in denied:
        with pytest.raises(PermissionDenied):
            institutions_bulk_write(actor=regional, **kwargs)
    with pytest.raises(PermissionDenied):
        institutions_bulk_write(actor=users["liaison"], creates=[_data(ref, 1)])
    assert _counts() == before

    result = institutions_bulk_write(
        actor=regional, creates=[_data(ref, 1)], updates=[(own, {"name_ru": "Своё"})]
    )
    assert (len(result.created), result.changes[0]["name_ru"][1]) == (1, "Своё")


def test_import_of_new_rows_uses_a_constant_number_of_queries(ref):
    def queries(count: int, prefix: str) -> int:
        content = csv_bytes(make_rows(count, prefix=prefix))
        with CaptureQueriesContext(connection) as ctx:
            result = institutions_import(actor=None, content=content, file_name="new.csv")
        assert result.created == count
        return len(ctx.captured_queries)

    assert queries(5, "A") == queries(120, "B")


def test_import_reports_by_row_a_code_taken_after_the_check(ref, make_institution, monkeypatch):
    rows = make_rows(3)
    content = csv_bytes(rows)
    plan = institutions_import_check(content=content, file_name="x.csv")
    make_institution(external_code=rows[1]["external_code"])  # written meanwhile elsewhere
    before = _counts()
    stale = dataclasses.replace(INSTITUTIONS, plan=lambda *_args, **_kwargs: plan)
    monkeypatch.setitem(kinds._KINDS, INSTITUTIONS.name, stale)

    with pytest.raises(ImportValidationError) as excinfo:
        institutions_import(actor=None, content=content, file_name="x.csv")

    assert [(e.row, e.column) for e in excinfo.value.plan.errors] == [(3, "external_code")]
    assert _counts() == before
