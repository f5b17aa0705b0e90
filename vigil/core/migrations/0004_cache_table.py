"""The cache table, where the settings use the database cache (production: the rate limits of
the public appeal form and the cached analyses are shared by every web process). Nothing
happens with another cache backend (development and tests use memory)."""

from typing import Any

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps: Any, schema_editor: Any) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_formsubmission")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
