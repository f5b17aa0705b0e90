"""Development and the embedded single-machine install (`make run`)."""

import secrets

from vigil.core.crypto import new_fingerprint_key, new_key_spec

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)


def _local_secret(name: str, factory) -> str:  # type: ignore[no-untyped-def]
    """A secret generated once on this machine and kept under var/ (never in the repo)."""
    path = VAR_DIR / "secrets" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(factory())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or _local_secret(
    "secret_key", lambda: secrets.token_urlsafe(50)
)
FIELD_ENCRYPTION_KEYS = env.str("FIELD_ENCRYPTION_KEYS", default="") or _local_secret(
    "field_encryption_keys", new_key_spec
)
IDENTITY_FINGERPRINT_KEY = env.str("IDENTITY_FINGERPRINT_KEY", default="") or _local_secret(
    "identity_fingerprint_key", new_fingerprint_key
)

WHITENOISE_AUTOREFRESH = DEBUG
