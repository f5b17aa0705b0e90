"""`manage.py new_key_version`: a fresh field-encryption key, first in the key ring.

In the embedded install it is put first in the key file of VIGIL_KEY_DIR (restart the server
and the worker to use it); where the keys come from the environment or a mounted secret
(production), the new entry is printed to put first in FIELD_ENCRYPTION_KEYS. The older
versions stay, so everything encrypted before still reads; `manage.py rotate_keys`
re-encrypts it with the new one.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from vigil.core.crypto import KeyRing, keyring, new_key_spec
from vigil.core.keyfolder import KeyFolder


class Command(BaseCommand):
    help = "Add a new field-encryption key version, used for everything encrypted from now on."

    def handle(self, *args: Any, **options: Any) -> None:
        current = settings.FIELD_ENCRYPTION_KEYS
        entry = new_key_spec(max(keyring().keys) + 1)
        version = KeyRing.parse(entry).current_version
        key_file = settings.VIGIL_FIELD_KEYS_FILE
        if key_file is None:
            self.stdout.write(
                _(
                    "Put this entry first in FIELD_ENCRYPTION_KEYS (keep the others after it), "
                    "then restart the web processes and the worker:"
                )
            )
            self.stdout.write(entry)
            return
        path = Path(key_file)
        spec = f"{entry},{current}"
        KeyRing.parse(spec)
        KeyFolder(path.parent, data_dirs=()).replace(path.name, spec)
        self.stdout.write(
            _("Key version %(version)d added first in %(file)s; restart the server to use it.")
            % {"version": version, "file": path}
        )
