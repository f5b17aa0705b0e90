"""Production: refuses to start without its secrets; secure cookies and HSTS.

The secrets come only from the environment, or from a mounted secret file named by the same
variable with `_FILE` appended (e.g. `FIELD_ENCRYPTION_KEYS_FILE=/run/secrets/vigil_keys`);
nothing is ever generated here.
"""

import environ
from django.core.exceptions import ImproperlyConfigured

from vigil.core.crypto import KeyRing, fingerprint_key_check

from .base import *  # noqa: F403
from .base import env

DEBUG = False

_secrets = environ.FileAwareEnv()
_SECRET_NAMES = ("SECRET_KEY", "DATABASE_URL", "FIELD_ENCRYPTION_KEYS", "IDENTITY_FINGERPRINT_KEY")
_values = {name: _secrets.str(name, default="").strip() for name in _SECRET_NAMES}
_missing = [name for name, value in _values.items() if not value]
if _missing:
    raise ImproperlyConfigured(
        "Production settings need these environment variables (or NAME_FILE naming a file "
        "that holds the value): " + ", ".join(_missing)
    )

# PostgreSQL (docs/operations.md), from DATABASE_URL or DATABASE_URL_FILE.
DATABASES = {
    "default": {
        **env.db_url_config(_values["DATABASE_URL"]),
        "ATOMIC_REQUESTS": False,
        "CONN_MAX_AGE": env.int("CONN_MAX_AGE", default=60),
        "CONN_HEALTH_CHECKS": True,
    }
}
SECRET_KEY = _values["SECRET_KEY"]
FIELD_ENCRYPTION_KEYS = _values["FIELD_ENCRYPTION_KEYS"]
KeyRing.parse(FIELD_ENCRYPTION_KEYS)  # a malformed key stops the start-up here
IDENTITY_FINGERPRINT_KEY = _values["IDENTITY_FINGERPRINT_KEY"]
fingerprint_key_check(IDENTITY_FINGERPRINT_KEY)  # a malformed key stops the start-up here

# One cache shared by every web process (the public form's rate limits count per client
# address across processes): a table in the database, made by the migrations.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": env.str("VIGIL_CACHE_TABLE", default="vigil_cache"),
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
MAILERS = {
    "default": {
        "BACKEND": env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {
            "host": env.str("EMAIL_HOST", default="localhost"),
            "port": env.int("EMAIL_PORT", default=25),
            "username": env.str("EMAIL_HOST_USER", default=""),
            "password": env.str("EMAIL_HOST_PASSWORD", default=""),
            "use_tls": env.bool("EMAIL_USE_TLS", default=False),
        },
    }
}
