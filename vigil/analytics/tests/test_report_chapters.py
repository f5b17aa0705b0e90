"""The chapters of the annual report are data (`data/kz/report_chapters.json`): the NPM's
order, a title per language, the agencies and institution types each chapter counts, all of
them known to the reference data."""

import json
from pathlib import Path

import pytest

from vigil.reference.loader import reference_data_load
from vigil.reference.models import Agency, InstitutionType

from ..chapters import DATA_DIR, ChapterDataError, load_chapters

ORDER = [
    "penitentiary",
    "pretrial",
    "police",
    "national_security",
    "defence",
    "health",
    "social_protection",
    "education",
]


def test_the_chapters_in_the_npms_order_with_their_filters() -> None:
    chapters = load_chapters("kz")
    assert [c.code for c in chapters] == ORDER
    by_code = {c.code: c for c in chapters}
    assert by_code["penitentiary"].agencies == ("MVD-KUIS",)
    assert by_code["pretrial"].agencies == ()
    assert by_code["pretrial"].institution_types == ("SIZO", "KNB_SIZO")
    assert "also counted" in by_code["pretrial"].notes
    assert by_code["social_protection"].title("kk") == "Әлеуметтік қорғау ұйымдары"
    assert by_code["police"].title("ru") == "Органы внутренних дел (полиция)"
    for chapter in chapters:
        assert all(chapter.titles[lang] for lang in ("kk", "ru", "en"))


@pytest.mark.django_db
def test_every_code_is_in_the_reference_data() -> None:
    reference_data_load(country="kz")
    chapters = load_chapters("kz")
    agencies = {code for c in chapters for code in c.agencies}
    types = {code for c in chapters for code in c.institution_types}
    assert set(Agency.objects.filter(code__in=agencies).values_list("code", flat=True)) == agencies
    known = InstitutionType.objects.filter(code__in=types).values_list("code", flat=True)
    assert set(known) == types


def test_a_chapter_that_counts_nothing_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = json.loads((DATA_DIR / "kz" / "report_chapters.json").read_text(encoding="utf-8"))
    data["items"][0]["agencies"] = []
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / "report_chapters.json").write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr("vigil.analytics.chapters.DATA_DIR", tmp_path)
    load_chapters.cache_clear()
    try:
        with pytest.raises(ChapterDataError, match="counts nothing"):
            load_chapters("xx")
    finally:
        load_chapters.cache_clear()
