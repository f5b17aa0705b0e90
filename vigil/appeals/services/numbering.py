"""Reference numbers of appeals, referrals, cases and incidents: "A-2026-00042", a letter for
the kind, the year and a number that runs through the year (fixed width, so the text order is
the number order)."""

import datetime
from collections.abc import Callable, Iterable

from django.db import IntegrityError, models, transaction

WIDTH = 5


def next_reference(model: type[models.Model], letter: str, day: datetime.date) -> str:
    prefix = f"{letter}-{day.year}-"
    last = (
        model._default_manager.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    tail = str(last or "")[len(prefix) :]
    number = int(tail) + 1 if tail.isdigit() else 1
    return f"{prefix}{number:0{WIDTH}d}"


def save_with_reference(
    obj: models.Model, letter: str, day: datetime.date, attempts: int = 5
) -> None:
    """Give `obj` the next reference and insert it; two writers taking the same number at
    once: the second takes the next one (inside a savepoint, the caller's transaction goes on)."""
    for attempt in range(attempts):
        obj.reference = next_reference(type(obj), letter, day)  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                obj.save(force_insert=True)
            return
        except IntegrityError:
            if attempt == attempts - 1:
                raise
            obj.pk = None


def allocate_references(
    model: type[models.Model], letter: str, years: Iterable[int]
) -> Callable[[int], str]:
    """A function giving the next free reference of `model` for a year ("C-2023-00042"), for
    rows written in bulk inside one transaction (the historical imports)."""
    next_number: dict[int, int] = {}
    for year in set(years):
        prefix = f"{letter}-{year}-"
        last = (
            model._default_manager.filter(reference__startswith=prefix)
            .order_by("-reference")
            .values_list("reference", flat=True)
            .first()
        )
        tail = str(last or "")[len(prefix) :]
        next_number[year] = int(tail) + 1 if tail.isdigit() else 1

    def take(year: int) -> str:
        number = next_number[year]
        next_number[year] = number + 1
        return f"{letter}-{year}-{number:05d}"

    return take
