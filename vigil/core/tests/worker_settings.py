"""Settings for the subprocesses of the kill tests (vigil/site/tests/test_killed_midway.py):
the test settings with a real task queue (the database backend, run by `manage.py db_worker`)
and files written to disk under VIGIL_TEST_MEDIA_ROOT, so that what a killed process left
behind can be looked at from outside."""

import os
from pathlib import Path

from config.settings.test import *  # noqa: F403
from config.settings.test import STORAGES

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
STORAGES = {**STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
MEDIA_ROOT = Path(os.environ["VIGIL_TEST_MEDIA_ROOT"])
