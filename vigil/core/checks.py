from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from .crypto import keyring


@checks.register(checks.Tags.security, deploy=False)
def check_field_encryption_keys(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        keyring()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="vigil.E001")]
    return []
