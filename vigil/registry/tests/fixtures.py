"""Fixtures for institutions (registered for every app's tests by the root conftest)."""

from collections.abc import Callable
from typing import Any

import pytest

from vigil.registry.models import Institution
from vigil.registry.search import institution_search_text


@pytest.fixture
def make_institution(ref: dict[str, Any]) -> Callable[..., Institution]:
    counter = iter(range(1, 100_000))

    def make(**overrides: Any) -> Institution:
        n = next(counter)
        data: dict[str, Any] = {
            "external_code": f"T-{n:05d}",
            "name_ru": f"Учреждение № {n}",
            "name_kk": f"№ {n} мекеме",
            "name_en": f"Institution No. {n}",
            "type": ref["colony"],
            "agency": ref["kuis_71"],
            "region": ref["astana"],
            "capacity": 100 + n,
        }
        data.update(overrides)
        inst = Institution(**data)
        inst.search_text = institution_search_text(
            inst.name_kk, inst.name_ru, inst.name_en, inst.external_code
        )
        inst.save()
        return inst

    return make
