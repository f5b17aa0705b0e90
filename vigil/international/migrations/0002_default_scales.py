"""The default grading scales (data/scales.json): 1–3 with n/a, and the treaty bodies' A–E."""

import json
import uuid
from pathlib import Path

from django.db import migrations

SCALES = Path(__file__).resolve().parent.parent / "data" / "scales.json"


def load(apps, schema_editor):
    Scale = apps.get_model("international", "AssessmentScale")
    Grade = apps.get_model("international", "ScaleGrade")
    for item in json.loads(SCALES.read_text(encoding="utf-8"))["scales"]:
        names = {key: item[key] for key in ("name_en", "name_ru", "name_kk")}
        scale, _ = Scale.objects.get_or_create(
            code=item["code"], defaults={**names, "public_id": uuid.uuid4()}
        )
        for position, grade in enumerate(item["grades"], start=1):
            Grade.objects.get_or_create(
                scale=scale,
                code=grade["code"],
                defaults={
                    "name_en": grade["name_en"],
                    "name_ru": grade["name_ru"],
                    "name_kk": grade["name_kk"],
                    "position": position,
                    "not_applicable": grade.get("not_applicable", False),
                    "public_id": uuid.uuid4(),
                },
            )


class Migration(migrations.Migration):
    dependencies = [("international", "0001_documents_paragraphs")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
