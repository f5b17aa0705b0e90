"""core.stamps: the data stamp changes with the records (at most every `seconds`), and a kept
value is computed once per key."""

import pytest
from django.core.cache import cache

from vigil.core.stamps import data_stamp, forget_kept, kept
from vigil.reference.models import Region

pytestmark = pytest.mark.django_db


def _region(code: str) -> Region:
    return Region.objects.create(code=code, name_en=code, name_ru=code, name_kk=code)


def test_the_stamp_changes_when_a_record_is_added_changed_or_removed():
    region = _region("ZZ-0")
    first = data_stamp("t", [Region], 0)
    _region("ZZ-1")
    added = data_stamp("t", [Region], 0)
    region.name_en = "Renamed"
    region.save()
    changed = data_stamp("t", [Region], 0)
    region.delete()  # not the last one changed nor the highest id: the count tells
    removed = data_stamp("t", [Region], 0)
    assert len({first, added, changed, removed}) == 4


def test_a_stamp_kept_for_some_seconds_is_not_read_again_until_then():
    kept_stamp = data_stamp("t", [Region], 60)
    _region("ZZ-2")
    assert data_stamp("t", [Region], 60) == kept_stamp  # read again only after 60 s
    cache.delete("stamp:t")  # (as when the 60 s are over)
    assert data_stamp("t", [Region], 60) != kept_stamp


def test_a_kept_value_is_computed_once_and_then_read_from_memory_or_the_cache():
    calls: list[int] = []

    def compute() -> list[int]:
        calls.append(1)
        return [len(calls)]

    assert kept("k", compute, 60) == [1]
    assert kept("k", compute, 60) == [1]  # this process's memory
    forget_kept()
    assert kept("k", compute, 60) == [1]  # the shared cache (another process's view)
    cache.clear()
    forget_kept()
    assert kept("k", compute, 60) == [2]
    assert len(calls) == 2
