"""The database and the server of `make bench`'s load part (bench/load.py).

The database (BENCH_DATABASE_URL, by default vigil_bench_<scale> on 127.0.0.1:5432) is made
when absent, migrated, and given the reference data and the demo data at BENCH_SCALE once
(a marker file in var/bench/ written after a complete generation, and the institutions
counted). Its keys (field encryption, fingerprints, the
secret key) live beside it in var/bench/<database>.keys.json, since the demo data is
encrypted with them; they are made with the database.

Vigil is served as production serves it: gunicorn (config/gunicorn.conf.py, 2 workers) with
config.settings.production, whose secrets come from the environment. The load generators
speak plain HTTP on loopback and send `X-Forwarded-Proto: https`, as the TLS proxy in front
of a production install does (SECURE_PROXY_SSL_HEADER): secure cookies, no redirect to
https, HSTS, exactly the production code path.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SCALE = os.environ.get("BENCH_SCALE", "national")
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", f"postgres://vigil@127.0.0.1:5432/vigil_bench_{SCALE}"
)
STATE = ROOT / "var" / "bench"
# The smallest institution count taken to mean "this scale is loaded".
LOADED_AT = {"demo": 100, "national": 3000, "10x": 30000}


def database_name(url: str = DATABASE_URL) -> str:
    return urlsplit(url).path.lstrip("/")


def keys(url: str = DATABASE_URL) -> dict[str, str]:
    """The secrets of this database's data, made on first use (mode 600)."""
    import secrets

    from vigil.core.crypto import new_fingerprint_key, new_key_spec

    path = STATE / f"{database_name(url)}.keys.json"
    if not path.exists():
        STATE.mkdir(parents=True, exist_ok=True)
        made = {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "FIELD_ENCRYPTION_KEYS": new_key_spec(),
            "IDENTITY_FINGERPRINT_KEY": new_fingerprint_key(),
        }
        path.touch(mode=0o600)
        path.write_text(json.dumps(made))
    return dict(json.loads(path.read_text()))


def environment(url: str = DATABASE_URL) -> dict[str, str]:
    """The environment of the server and of the management commands: production settings."""
    return {
        **os.environ,
        **keys(url),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
        # Many simulated users share each demo account; two-factor sign-in has its own tests.
        "VIGIL_TWO_FACTOR_REQUIRED_ROLES": "",
        "PYTHONPATH": str(ROOT),
    }


def create_database(url: str = DATABASE_URL) -> bool:
    """CREATE DATABASE when absent (as the postgres superuser); True when it was made."""
    parts = urlsplit(url)
    host, port, name = parts.hostname or "127.0.0.1", str(parts.port or 5432), database_name(url)
    owner = parts.username or "vigil"

    # psql quotes the name itself (:'name' in a script read from stdin).
    found = subprocess.run(  # noqa: S603
        ["psql", "-h", host, "-p", port, "-U", "postgres", "-qtA", "-v", f"name={name}"],  # noqa: S607
        input="SELECT 1 FROM pg_database WHERE datname = :'name';",
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if found == "1":
        return False
    subprocess.run(  # noqa: S603
        ["createdb", "-h", host, "-p", port, "-U", "postgres", "-O", owner, name],  # noqa: S607
        check=True,
    )
    return True


def manage(*args: str, url: str = DATABASE_URL) -> str:
    done = subprocess.run(  # noqa: S603 (our interpreter)
        [PY, "manage.py", *args], cwd=ROOT, env=environment(url), capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def prepare(url: str = DATABASE_URL, scale: str = SCALE) -> dict[str, object]:
    """Database, schema, reference data, the demo data at `scale` once, static files."""
    created = create_database(url)
    started = time.monotonic()
    manage("migrate", "--no-input", "-v0", url=url)
    manage("createcachetable", url=url)
    # Loaded: the marker written after a complete generation, and the institutions there.
    marker = STATE / f"{database_name(url)}.{scale}.loaded"
    if created:
        marker.unlink(missing_ok=True)
    count = "from vigil.registry.models import Institution as I; print(I.objects.count())"
    institutions = int(manage("shell", "-c", count, url=url).strip().splitlines()[-1])
    loaded = marker.exists() and institutions >= LOADED_AT.get(scale, 1)
    if not loaded:
        manage("seed_reference_data", "-v0", url=url)
        # The demo accounts' documented password is refused under production settings
        # unless the server is a throwaway one, which this is.
        manage("generate_demo_data", "--seed", "1", "--scale", scale, "--allow-production", url=url)
        marker.write_text(time.strftime("%Y-%m-%d %H:%M:%S\n"))
    manage("collectstatic", "--no-input", "-v0", url=url)
    return {
        "database_created": created,
        "data_generated": not loaded,
        "prepare_s": round(time.monotonic() - started, 1),
    }


def authenticators_removed(url: str = DATABASE_URL) -> None:
    """The demo accounts' authenticators removed (generate_demo_data enrols some under other
    settings, bench/run.py's): fifty users share six accounts, and a code is accepted once per
    30 s, so two-factor sign-in is off for the run (as in `make soak`)."""
    manage(
        "shell", "-c",
        "from vigil.accounts.models import AuthenticatorDevice as D; "
        "D.objects.filter(user__email__endswith='@demo.vigil').delete()",
        url=url,
    )  # fmt: skip


def wait_until_healthy(
    base: str, process: subprocess.Popen[bytes], log: Path, headers: dict[str, str] | None = None
) -> None:
    """Wait (2 minutes at most) until the server started as `process` answers /healthz; it
    did not start if it exits or does not answer meanwhile (its output is in `log`)."""
    import requests

    for _ in range(120):
        if process.poll() is not None:
            break
        try:
            if requests.get(f"{base}/healthz", headers=headers, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise RuntimeError(f"Vigil did not start ({log})")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """gunicorn with config/gunicorn.conf.py on a free loopback port (2 workers)."""

    def __init__(self, url: str = DATABASE_URL) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        STATE.mkdir(parents=True, exist_ok=True)
        self.log_path = STATE / "server.log"
        self.log = self.log_path.open("ab")
        env = {**environment(url), "VIGIL_BIND": f"127.0.0.1:{self.port}"}
        env.setdefault("VIGIL_WEB_WORKERS", "2")
        # The access log of a load run would be millions of lines.
        self.process = subprocess.Popen(  # noqa: S603 (our interpreter)
            [PY, "-m", "gunicorn", "--config", "config/gunicorn.conf.py", "--access-logfile", "/dev/null"],
            cwd=ROOT, env=env, stdout=self.log, stderr=self.log,
        )  # fmt: skip

    def wait_until_up(self) -> None:
        wait_until_healthy(self.base, self.process, self.log_path, {"X-Forwarded-Proto": "https"})

    def drained(self, within_s: float = 300) -> None:
        """Wait until /healthz answers within a second: wrk stops sending at its deadline,
        but the requests queued before it are still being served."""
        import requests

        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            try:
                requests.get(
                    f"{self.base}/healthz", headers={"X-Forwarded-Proto": "https"}, timeout=1
                )
                return
            except requests.RequestException:
                time.sleep(1)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(PY).parent))
    if not found:
        raise RuntimeError(f"{name} is missing (make bench installs it)")
    return found
