"""The published tables as CSV, JSON and a Frictionless Data Package (Table Schema).

A table's CSV has a header of codes: the row dimension, the column codes and `total`; one line
per row member, then the `total` line. A list's CSV has two columns: the member's code and
`count`, then the `total` line. A count from 1 to 4 is written `<5`, a count of 5 or more
hidden to protect a small one `x` (`.suppression`); the Table Schema declares the count fields
as integers with `missingValues: ["<5", "x"]`, so a Frictionless reader reads a hidden count as
a missing value (it is one: only its range is known). A withheld table (`.suppression`) has
every count empty, and its schema declares `""` missing too.
"""

import csv
import io
from typing import Any

from django.utils.translation import gettext as _

from .datasets import DATASETS, TOTAL, Dataset, Member, Table
from .suppression import HIDDEN, SMALL, THRESHOLD, Cell, SuppressedList, SuppressedTable

COUNT = "count"
"""The count column of a list's CSV."""
PACKAGE_NAME = "vigil-open-data"


def _member(member: Member) -> dict[str, Any]:
    return {"code": member.code, "name": dict(member.names)}


def lines(table: Table) -> list[list[str | Cell]]:
    """The table as the CSV's lines, header first."""
    dataset = DATASETS[table.dataset]
    values = table.values
    if isinstance(values, SuppressedTable):
        return [
            [table.row_key, *(m.code for m in table.columns), TOTAL],
            *(
                [m.code, *cells, total]
                for m, cells, total in zip(
                    table.rows or (), values.cells, values.row_totals, strict=True
                )
            ),
            [TOTAL, *values.column_totals, values.total],
        ]
    return [
        [dataset.columns.key, COUNT],
        *([m.code, v] for m, v in zip(table.columns, values.values, strict=True)),
        [TOTAL, values.total],
    ]


def as_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(lines(table))
    return out.getvalue()


def as_json(table: Table) -> dict[str, Any]:
    """The table with its dimensions' codes and names in each language."""
    dataset = DATASETS[table.dataset]
    data: dict[str, Any] = {
        "dataset": table.dataset,
        "year": table.year,
        "markers": {
            SMALL: {"minimum": 1, "maximum": THRESHOLD - 1},
            HIDDEN: {"minimum": THRESHOLD, "maximum": None},
        },
        "withheld": table.values.withheld,
        "columns": {
            "dimension": dataset.columns.key,
            "members": [_member(m) for m in table.columns],
        },
    }
    values = table.values
    if isinstance(values, SuppressedList):
        return data | {"rows": None, "values": list(values.values), "total": values.total}
    return data | {
        "rows": {"dimension": table.row_key, "members": [_member(m) for m in table.rows or ()]},
        "cells": [list(row) for row in values.cells],
        "row_totals": list(values.row_totals),
        "column_totals": list(values.column_totals),
        "total": values.total,
    }


def _count_field(name: str, title: str) -> dict[str, Any]:
    return {"name": name, "title": title, "type": "integer", "constraints": {"minimum": 0}}


def table_schema(dataset: Dataset, table: Table) -> dict[str, Any]:
    """The Frictionless Table Schema of the table's CSV."""
    if dataset.rows is None or table.rows is None:
        key_field = dataset.columns.key
        title = str(dataset.columns.title)
        codes = [m.code for m in table.columns]
        counts = [_count_field(COUNT, str(dataset.unit))]
    else:
        key_field = dataset.rows.key
        title = str(dataset.rows.title)
        codes = [m.code for m in table.rows]
        counts = [_count_field(m.code, m.name()) for m in table.columns]
        counts.append(_count_field(TOTAL, _("Total")))
    key = {
        "name": key_field,
        "title": title,
        "type": "string",
        "constraints": {"required": True, "unique": True, "enum": [*codes, TOTAL]},
    }
    missing = [SMALL, HIDDEN, *([""] if table.values.withheld else [])]
    return {"fields": [key, *counts], "primaryKey": [key_field], "missingValues": missing}


def resource_name(table: Table) -> str:
    return f"{table.dataset}-{table.year}"


def datapackage(tables: list[Table]) -> dict[str, Any]:
    """The Data Package describing every published table (paths relative to the descriptor)."""
    resources = []
    for table in tables:
        dataset = DATASETS[table.dataset]
        resources.append(
            {
                "profile": "tabular-data-resource",
                "name": resource_name(table),
                "path": f"{table.dataset}/{table.year}.csv",
                "title": f"{dataset.title}, {table.year}",
                "description": str(dataset.description),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table_schema(dataset, table),
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": _("Open data of the National Preventive Mechanism"),
        "description": _(
            "Counts by year of the visits made, the institutions visited, the "
            "recommendations issued, the appeals received and the officials held "
            "accountable. A count from 1 to 4 is shown as <5. A count of 5 or more is shown "
            "as x where it is hidden to protect a small count elsewhere in the table. A "
            "table whose small counts cannot be protected is withheld: its counts are empty."
        ),
        "resources": resources,
    }
