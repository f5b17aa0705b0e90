"""The embedded install's keys, kept in a folder apart from its data (`VIGIL_KEY_DIR`).

A copy of the data folder (`var/`: the SQLite file, the uploaded files) decrypts nothing
without this folder. Each secret is one file (0600) in a folder (0700) outside the data
folder, made on first use; an older install's `var/secrets/` is moved here once. Files are
published with a hard link of a fully written temporary file, so a reader never sees a half
written key, two processes starting at once agree on one key, and a key is never overwritten.
Production settings use none of this: their keys come from the environment or a mounted file.
"""

import contextlib
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

SECRET_NAMES = ("secret_key", "field_encryption_keys", "identity_fingerprint_key")


def default_key_dir() -> Path:
    """`$XDG_CONFIG_HOME/vigil`, or `~/.config/vigil`."""
    config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config_home) / "vigil"


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


class KeyFolder:
    def __init__(self, path: Path, *, data_dirs: Iterable[Path]) -> None:
        self.path = Path(path).expanduser().resolve()
        for data_dir in data_dirs:
            if _inside(self.path, Path(data_dir).expanduser().resolve()):
                raise ImproperlyConfigured(
                    f"VIGIL_KEY_DIR ({self.path}) is inside the data folder {data_dir}: a copy "
                    "of the data would carry its keys. Choose a folder outside it."
                )

    def ensure(self) -> None:
        self.path.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.path.chmod(0o700)

    def file(self, name: str) -> Path:
        return self.path / name

    def read(self, name: str) -> str:
        return self.file(name).read_text().strip()

    def secret(self, name: str, factory: Callable[[], str]) -> str:
        """The secret `name`, made with `factory` the first time."""
        self.ensure()
        if not self.file(name).exists():
            self._publish(name, factory(), replace=False)
        return self.read(name)

    def replace(self, name: str, value: str) -> None:
        """Write `name` anew (e.g. a key file with one more version), atomically."""
        self.ensure()
        self._publish(name, value, replace=True)

    def _publish(self, name: str, value: str, *, replace: bool) -> None:
        target = self.file(name)
        temporary = self.path / f".{name}.{os.getpid()}.tmp"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(value.strip() + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            if temporary.read_text().strip() != value.strip():
                raise ImproperlyConfigured(f"Could not write the key file {target}.")
            if replace:
                temporary.replace(target)
            else:
                # Never overwrites: another process starting at once may have won.
                with contextlib.suppress(FileExistsError):
                    os.link(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)

    def adopt(self, old_dir: Path) -> None:
        """Move the secrets an older install kept in `old_dir` (var/secrets/) here, once:
        written here and read back before the old file is deleted."""
        if not old_dir.is_dir():
            return
        moved = []
        for name in SECRET_NAMES:
            old = old_dir / name
            try:
                value = old.read_text().strip()
            except FileNotFoundError:  # none, or another process starting at once moved it
                continue
            self.ensure()
            if not self.file(name).exists():
                self._publish(name, value, replace=False)
                moved.append(name)
            if self.read(name) != value:
                raise ImproperlyConfigured(
                    f"{old} and {self.file(name)} hold different keys; keep the one the data "
                    "was encrypted with and remove the other before starting."
                )
            old.unlink(missing_ok=True)
        if moved:
            sys.stderr.write(f"Vigil: moved the keys from {old_dir} to {self.path}\n")
        with contextlib.suppress(OSError):
            old_dir.rmdir()  # only when empty
