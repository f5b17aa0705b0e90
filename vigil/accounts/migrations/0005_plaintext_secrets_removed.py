"""Data: no usable secret left behind by the old ways.

- DRF's `authtoken_token` table held every API token in plaintext, valid for ever: it is
  dropped (those tokens stop working; their owners issue new ones, docs/operations.md).
- `django_session` held each session's key (the cookie's value): the rows are deleted, so
  everyone signs in again; new sessions are kept under a hash of their key
  (vigil/accounts/session_store.py).
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def _drop_plaintext_tokens(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    connection = schema_editor.connection
    if "authtoken_token" in connection.introspection.table_names():
        schema_editor.execute("DROP TABLE authtoken_token")


def _end_sessions(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("sessions", "Session").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_api_tokens"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_drop_plaintext_tokens, migrations.RunPython.noop),
        migrations.RunPython(_end_sessions, migrations.RunPython.noop),
    ]
