"""Production keeps its cache in the database: the migrations make the table, so the public
form's rate limits count across every web process from the first request."""

from types import SimpleNamespace

from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "vigil_cache_test",
    }
}


def test_the_migration_step_makes_the_cache_table(db) -> None:  # type: ignore[no-untyped-def]
    from importlib import import_module

    step = import_module("vigil.core.migrations.0004_cache_table")
    with override_settings(CACHES=DATABASE_CACHE):
        step.create_cache_table(None, SimpleNamespace(connection=connection))
        assert "vigil_cache_test" in connection.introspection.table_names()
        cache = caches.create_connection("default")
        cache.set("rate:203.0.113.9", 3, 60)
        assert cache.get("rate:203.0.113.9") == 3
        call_command("createcachetable", verbosity=0)  # idempotent
