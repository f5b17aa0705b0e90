"""The visit lists' default order, newest first with empty dates last (`core.listing.nulls_last`):
the NPM's by the planned start, an agency liaison's by the actual one. On PostgreSQL a page is
then read along an index instead of sorting every visit; SQLite's indexes cannot say NULLS
LAST, so nothing is made there."""

from django.db import migrations, models

INDEXES = (
    models.Index(
        models.F("planned_start").desc(nulls_last=True),
        models.F("id").desc(),
        name="visit_newest_planned",
    ),
    models.Index(
        models.F("started_at").desc(nulls_last=True),
        models.F("id").desc(),
        name="visit_newest_started",
    ),
)


def create_indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        visit = apps.get_model("visits", "Visit")
        for index in INDEXES:
            schema_editor.add_index(visit, index)


def drop_indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        visit = apps.get_model("visits", "Visit")
        for index in INDEXES:
            schema_editor.remove_index(visit, index)


class Migration(migrations.Migration):
    dependencies = [("visits", "0009_devicesubmission")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
