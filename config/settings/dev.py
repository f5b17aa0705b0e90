"""Development and the embedded single-machine install (`make run`)."""

import secrets

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


def _new_field_key() -> str:
    import base64

    return "1:" + base64.b64encode(secrets.token_bytes(32)).decode()


SECRET_KEY = env.str("SECRET_KEY", default="") or _local_secret(
    "secret_key", lambda: secrets.token_urlsafe(50)
)
FIELD_ENCRYPTION_KEYS = env.str("FIELD_ENCRYPTION_KEYS", default="") or _local_secret(
    "field_encryption_keys", _new_field_key
)

WHITENOISE_AUTOREFRESH = DEBUG
