"""Test settings: fast hashing, in-memory mail, throwaway keys made per run."""

import secrets

from vigil.core.crypto import new_fingerprint_key, new_key_spec

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = secrets.token_urlsafe(50)
FIELD_ENCRYPTION_KEYS = new_key_spec(1)
IDENTITY_FINGERPRINT_KEY = new_fingerprint_key()
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
WHITENOISE_AUTOREFRESH = True
LANGUAGE_CODE = "en"  # tests assert English texts; kk/ru are tested explicitly
# The suite signs users in with force_login; the two-factor tests require it explicitly.
VIGIL_TWO_FACTOR_REQUIRED_ROLES = ()
# A change to the data shows at once on the analyses kept under its stamp (core.stamps).
VIGIL_ANALYSIS_STAMP_SECONDS = 0
