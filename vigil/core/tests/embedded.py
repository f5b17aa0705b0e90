"""The embedded install (config.settings.dev) run as a user runs it, for the tests of its keys
and its server: `manage.py` and gunicorn in subprocesses with a throwaway home folder (where
the keys go by default), a data folder holding the SQLite file, and no key in the environment."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .commands import ROOT, ManagePy

KEY_VARIABLES = (
    "SECRET_KEY",
    "FIELD_ENCRYPTION_KEYS",
    "IDENTITY_FINGERPRINT_KEY",
    "VIGIL_KEY_DIR",
    "XDG_CONFIG_HOME",
    "DJANGO_DEBUG",
)


@dataclass(frozen=True)
class EmbeddedManagePy(ManagePy):
    """`manage.py` of the embedded install: data in `database`'s folder, keys under `home`."""

    home: Path = Path()
    static_root: Path | None = None

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in super().env().items() if k not in KEY_VARIABLES}
        env.update(DJANGO_SETTINGS_MODULE="config.settings.dev", HOME=str(self.home))
        if self.static_root is not None:
            env["STATIC_ROOT"] = str(self.static_root)
        return env

    @property
    def key_dir(self) -> Path:
        return self.home / ".config" / "vigil"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Served:
    url: str
    process: subprocess.Popen[str]

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
        """(status, content type, body) of a GET."""
        request = urllib.request.Request(self.url + path, headers=headers or {})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return response.status, response.headers["Content-Type"], response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers["Content-Type"], error.read().decode()


@contextmanager
def gunicorn(manage: EmbeddedManagePy, log: Path) -> Iterator[Served]:
    """gunicorn with `make run`'s configuration (config/gunicorn.conf.py) on a free port,
    stopped afterwards; its output goes to `log`."""
    env = manage.env()
    env["VIGIL_BIND"] = f"127.0.0.1:{_free_port()}"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
    served = Served(f"http://{env['VIGIL_BIND']}", process)
    try:
        for _ in range(600):  # until it answers, or it stopped
            if process.poll() is not None:
                raise AssertionError(log.read_text())
            try:
                served.get("/healthz")
                break
            except OSError:
                time.sleep(0.1)
        yield served
    finally:
        process.terminate()
        process.wait(timeout=60)
