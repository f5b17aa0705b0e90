"""The columns of an import file, and the formula guard shared with the exports."""

from typing import Any

from vigil.reference.models import Agency, InstitutionType, Region

REQUIRED_COLUMNS: tuple[str, ...] = (
    "external_code",
    "name_kk",
    "name_ru",
    "name_en",
    "type",
    "agency",
    "region",
    "address",
    "capacity",
)
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "status",
    "security_level",
    "population_men",
    "population_women",
    "population_boys",
    "population_girls",
    "population_date",
)
IMPORT_COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# Written by the export for reading; accepted on import and ignored without a warning.
EXPORT_ONLY_COLUMNS: tuple[str, ...] = ("last_visited_on",)

NAME_COLUMNS = ("name_kk", "name_ru", "name_en")
TEXT_COLUMNS = (*NAME_COLUMNS, "address")
INTEGER_COLUMNS = (
    "capacity",
    "population_men",
    "population_women",
    "population_boys",
    "population_girls",
)
REFERENCE_COLUMNS = {"type": InstitutionType, "agency": Agency, "region": Region}

# Text starting with these is run as a formula by spreadsheets (CSV/formula injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: Any) -> Any:
    """Give text a spreadsheet would run as a formula a leading apostrophe (for exports).

    Text that already starts with apostrophes before a trigger gets one more, so that
    `unneutralize` gives back exactly the original.
    """
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unneutralize(text: str) -> str:
    """Undo `neutralize` on an imported cell: '=SUM(1) → =SUM(1)."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text
