"""The chapters of the consolidated annual report, read from `data/<country>/report_chapters.json`
(the NPM's order: penitentiary, pre-trial, police, national security, defence, health, social
protection, education). Each chapter names what it counts: agencies (each with its sub-units)
and institution types; the statistics of a chapter are those of its filters."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGES = ("kk", "ru", "en")


class ChapterDataError(ValueError):
    """The chapters file is missing or malformed."""


@dataclass(frozen=True)
class Chapter:
    code: str
    titles: dict[str, str]
    agencies: tuple[str, ...]
    institution_types: tuple[str, ...]
    notes: str

    def title(self, language: str | None = None) -> str:
        lang = (language or get_language() or "ru")[:2]
        return self.titles.get(lang) or self.titles["ru"]


def _chapter(entry: object) -> Chapter:
    if not isinstance(entry, dict) or not isinstance(entry.get("code"), str):
        raise ChapterDataError("report_chapters.json: every chapter needs a code.")
    titles = {lang: str(entry.get(f"title_{lang}") or "") for lang in LANGUAGES}
    if not all(titles.values()):
        raise ChapterDataError(f"report_chapters.json: {entry['code']} needs a title per language.")
    agencies = tuple(str(c) for c in entry.get("agencies") or ())
    types = tuple(str(c) for c in entry.get("institution_types") or ())
    if not agencies and not types:
        raise ChapterDataError(f"report_chapters.json: {entry['code']} counts nothing.")
    return Chapter(entry["code"], titles, agencies, types, str(entry.get("notes") or ""))


@cache
def load_chapters(country: str | None = None) -> tuple[Chapter, ...]:
    """The country's chapters in the report's order."""
    country = (country or settings.VIGIL_COUNTRY).lower()
    path = DATA_DIR / country / "report_chapters.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ChapterDataError(f"{path.name}: {exc}") from exc
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise ChapterDataError("report_chapters.json: no chapters.")
    chapters = tuple(_chapter(entry) for entry in items)
    if len({c.code for c in chapters}) != len(chapters):
        raise ChapterDataError("report_chapters.json: chapter codes must be unique.")
    return chapters
