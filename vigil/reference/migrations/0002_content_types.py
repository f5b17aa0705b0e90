"""The content types of the moved models follow them: `registry.region` becomes
`reference.region` (and so for agencies and institution types), so that permissions and
anything else keyed on a content type keep pointing at the same rows.

Audit rows are left alone: they are append-only, they store a target's type as a string
(`registry.region`), no code looks reference rows up by it, and the loader's events name no
target.
"""

from django.db import migrations

MODELS = ("region", "agency", "institutiontype")


def _move(apps, schema_editor, source, target):  # type: ignore[no-untyped-def]
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        old = content_type.objects.using(db).filter(app_label=source, model=model).first()
        if old is None:
            continue
        # A row for the new label exists only if content types were created in between
        # (a partial migrate); it is new and unused, so the old row, which may be referred
        # to, takes its place.
        content_type.objects.using(db).filter(app_label=target, model=model).delete()
        old.app_label = target
        old.save(update_fields=["app_label"])


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    _move(apps, schema_editor, "registry", "reference")


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    _move(apps, schema_editor, "reference", "registry")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("reference", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
