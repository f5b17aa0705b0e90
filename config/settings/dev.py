"""The embedded single-machine install (`make run`) and development (`make dev`).

DEBUG stays off unless DJANGO_DEBUG=1 (`make dev`). The keys live in VIGIL_KEY_DIR, a folder
apart from the data (var/, the uploads, the SQLite file), made on first start
(vigil.core.keyfolder); a variable of the same name in the environment wins over its file.
"""

import secrets
from pathlib import Path

from vigil.core.backup.cipher import new_backup_key
from vigil.core.crypto import new_fingerprint_key, new_key_spec
from vigil.core.keyfolder import KeyFolder, default_key_dir

from .base import *  # noqa: F403
from .base import DATABASES, MEDIA_ROOT, VAR_DIR, VIGIL_KEY_DIR, env

_data_dirs = [VAR_DIR, MEDIA_ROOT]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _data_dirs.append(Path(DATABASES["default"]["NAME"]).parent)
    _data_dirs[-1].mkdir(parents=True, exist_ok=True)  # a fresh checkout has no var/ yet

_keys = KeyFolder(Path(VIGIL_KEY_DIR) if VIGIL_KEY_DIR else default_key_dir(), data_dirs=_data_dirs)
VIGIL_KEY_DIR = str(_keys.path)
_keys.adopt(VAR_DIR / "secrets")

SECRET_KEY = env.str("SECRET_KEY", default="") or _keys.secret(
    "secret_key", lambda: secrets.token_urlsafe(50)
)
FIELD_ENCRYPTION_KEYS = env.str("FIELD_ENCRYPTION_KEYS", default="") or _keys.secret(
    "field_encryption_keys", new_key_spec
)
IDENTITY_FINGERPRINT_KEY = env.str("IDENTITY_FINGERPRINT_KEY", default="") or _keys.secret(
    "identity_fingerprint_key", new_fingerprint_key
)
# The key of `manage.py backup` archives: never a field key, kept with them away from the data.
VIGIL_BACKUP_KEY = env.str("VIGIL_BACKUP_KEY", default="") or (
    ""
    if env.str("VIGIL_BACKUP_KEY_FILE", default="")
    else _keys.secret("backup_key", new_backup_key)
)
# The key file `manage.py new_key_version` adds a version to (none: the keys come from the
# environment, and the command prints the new entry instead).
VIGIL_FIELD_KEYS_FILE = (
    None if env.str("FIELD_ENCRYPTION_KEYS", default="") else _keys.file("field_encryption_keys")
)

# Several web processes (gunicorn) count the public form's rates together: a table in the
# database, made by the migrations, as in production.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": env.str("VIGIL_CACHE_TABLE", default="vigil_cache"),
    }
}
# Static files served by whitenoise from STATIC_ROOT (collectstatic in `make run`), with
# hashed names; with DEBUG (`make dev`) straight from the sources.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = DEBUG  # noqa: F405
WHITENOISE_USE_FINDERS = DEBUG  # noqa: F405
