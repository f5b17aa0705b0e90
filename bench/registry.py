"""Registry reads as a coordinator sees them, its exports and the import check."""

import io
from typing import Any

from django.test import Client
from openpyxl import load_workbook

from vigil.registry.importing import institutions_import_check
from vigil.registry.models import Institution

from .harness import measure, shown_count


def _xlsx_rows(content: bytes) -> int:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))


def registry_measures(client: Client) -> list[dict[str, Any]]:
    total = Institution.objects.count()
    exported: dict[str, bytes] = {}

    def get(path: str, **params: str) -> Any:
        return client.get(path, params)

    def export() -> Any:
        response = client.get("/registry/institutions/?export=csv")
        exported["csv"] = response.content
        return response

    return [
        measure(
            "registry list, first page",
            300,
            lambda: get("/registry/institutions/"),
            lambda r: r.status_code == 200 and shown_count(r) == total,
        ),
        measure(
            "registry list, Cyrillic search",
            400,
            lambda: get("/registry/institutions/", search="изолятор"),
            lambda r: r.status_code == 200,
        ),
        measure(
            "registry list, region + category filter",
            300,
            lambda: get("/registry/institutions/", region="KZ-35", category="police"),
            lambda r: r.status_code == 200,
        ),
        measure(
            "registry list, last page sorted by capacity",
            300,
            lambda: get(
                "/registry/institutions/", ordering="-capacity", page=str((total + 49) // 50)
            ),
            lambda r: r.status_code == 200,
        ),
        measure(
            "API institutions list (50)",
            300,
            lambda: get("/api/v1/institutions/"),
            lambda r: r.status_code == 200 and r.json()["count"] == total,
        ),
        measure(
            "export CSV, whole registry",
            1500,
            export,
            lambda r: r.status_code == 200 and r.content.count(b"\n") >= total,
        ),
        measure(
            "export XLSX, whole registry",
            1500,
            lambda: get("/registry/institutions/?export=xlsx"),
            lambda r: r.status_code == 200 and _xlsx_rows(r.content) == total + 1,
        ),
        measure(
            "import check of the exported file",
            6000,
            lambda: institutions_import_check(content=exported["csv"], file_name="registry.csv"),
            lambda plan: plan.is_valid and plan.counts["unchanged"] == total,
        ),
    ]
