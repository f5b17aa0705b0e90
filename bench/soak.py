"""The soak test (`make soak`, not part of `make test`): Vigil under load, with faults.

A PostgreSQL cluster of its own (initdb in a temporary folder, port SOAK_PG_PORT: restarting
it disturbs no other database on the machine) holds the demo data (migrate,
seed_reference_data, generate_demo_data at demo scale). Vigil runs as `make run` runs it:
gunicorn with 2 workers and DEBUG off (config/gunicorn.conf.py, config.settings.dev), and the
task worker (`manage.py db_worker`). Then 50 simulated users (bench/soak_users.py: a role mix
reading pages and the API and writing institutions and visit notes, with think time) for
SOAK_SECONDS (600 by default), while the faults are injected:

- at 30% of the run, kill -9 of one gunicorn worker (the master starts another);
- at 60%, a restart of PostgreSQL (requests meanwhile answer 503 with Retry-After; Vigil
  recovers without a restart).

A request whose connection is aborted before any answer (a kept-alive connection that
gunicorn closed meanwhile, or the killed worker's) is sent once more on a new connection, as
browsers do; those are counted, inside and outside the fault windows.

Afterwards every write answered 2xx is looked up in the database. The results go to
bench/results/soak-postgresql.json and .md (committed): requests, answers by kind, p50/p95,
writes acknowledged and found, the faults, machine, commit and load average. The run fails
(exit 1) on a server error (5xx other than the 503s of the restart window), a 503 outside it,
or a lost write.
"""

import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SECONDS = int(os.environ.get("SOAK_SECONDS", "600"))
USERS = int(os.environ.get("SOAK_USERS", "50"))
PG_PORT = int(os.environ.get("SOAK_PG_PORT", "55432"))
WEB_PORT = int(os.environ.get("SOAK_WEB_PORT", "8765"))
DATABASE = "vigil_soak"
DATABASE_URL = f"postgres://vigil@127.0.0.1:{PG_PORT}/{DATABASE}"
RESULTS = ROOT / "bench" / "results"
LOGS = ROOT / "var" / "soak"
PY = sys.executable

os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": DATABASE_URL,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # The keys of this run only, apart from the data as the embedded install keeps them.
        "VIGIL_KEY_DIR": tempfile.mkdtemp(prefix="vigil-soak-keys-"),
        # Fifty users share the six demo accounts, and an authenticator's code is accepted once
        # per 30 s: two-factor sign-in is off here (its own tests cover it).
        "VIGIL_TWO_FACTOR_REQUIRED_ROLES": "",
    }
)

import django  # noqa: E402

from bench.load_setup import wait_until_healthy  # noqa: E402
from bench.soak_report import summary, write_report  # noqa: E402
from bench.soak_users import (  # noqa: E402
    EMAILS,
    ROLE_MIX,
    Recorder,
    Scenario,
    SimulatedUser,
)


class Cluster:
    """A private PostgreSQL cluster (run as the postgres user when this runs as root)."""

    def __init__(self) -> None:
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
        self.bin = bins[-1]
        self.data = Path(tempfile.mkdtemp(prefix="vigil-soak-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")

    def run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 (ours)

    def pg_ctl(self, action: str) -> None:
        options = f"-p {PG_PORT} -k {self.data} -c listen_addresses=127.0.0.1"
        self.run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.data / "log"), "-o", options,
            "-m", "fast", "-w", action,
        )  # fmt: skip

    def start(self) -> None:
        self.run("initdb", "-D", str(self.data), "-U", "vigil", "--auth=trust", "-E", "UTF8")
        self.pg_ctl("start")
        self.run("createdb", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "vigil", DATABASE)

    def remove(self) -> None:
        try:
            self.pg_ctl("stop")
        finally:
            shutil.rmtree(self.data, ignore_errors=True)


def prepare_data() -> None:
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    call_command("createcachetable")
    call_command("seed_reference_data", verbosity=0)
    call_command("generate_demo_data", seed=1, scale="demo", verbosity=0)
    from vigil.accounts.models import AuthenticatorDevice

    AuthenticatorDevice.objects.all().delete()  # see VIGIL_TWO_FACTOR_REQUIRED_ROLES above
    call_command("collectstatic", interactive=False, verbosity=0)
    connections.close_all()


class Vigil:
    """gunicorn (2 workers) and the task worker, as scripts/serve starts them."""

    def __init__(self) -> None:
        LOGS.mkdir(parents=True, exist_ok=True)
        self.log = (LOGS / "server.log").open("ab")
        self.web = self._start(
            "-m", "gunicorn", "--config", "config/gunicorn.conf.py",
            "--bind", f"127.0.0.1:{WEB_PORT}", "--workers", "2",
        )  # fmt: skip
        self.worker = self.start_worker()
        self.worker_exits: list[dict[str, Any]] = []

    def _start(self, *args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(  # noqa: S603 (our interpreter)
            [PY, *args], cwd=ROOT, stdout=self.log, stderr=self.log
        )

    def start_worker(self) -> subprocess.Popen[bytes]:
        return self._start("manage.py", "db_worker", "--no-reload", "--interval", "1", "-v0")

    def web_workers(self) -> list[int]:
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.web.pid:
                children.append(int(stat.parent.name))
        return sorted(children)

    def stop(self) -> None:
        for process in (self.worker, self.web):
            process.send_signal(signal.SIGTERM)
        for process in (self.worker, self.web):
            process.wait(timeout=60)


def scenario(base: str, run_id: str, password: str) -> Scenario:
    """Tokens per role, the scope of each role's reads and writes, checked by one probe each."""
    import requests

    from vigil.accounts.models import User
    from vigil.registry.models import Institution
    from vigil.visits.models import Visit
    from vigil.visits.permissions import can_work_on_visit

    tokens = {}
    for role, email in EMAILS.items():
        answer = requests.post(
            f"{base}/api/v1/auth/token/",
            json={"email": email, "password": password, "name": "soak"},
            timeout=60,
        )
        answer.raise_for_status()
        tokens[role] = answer.json()["token"]
    users = {role: User.objects.get(email=email) for role, email in EMAILS.items()}
    regional_regions = list(users["regional"].regions.values_list("code", flat=True))
    region = {role: regional_regions[0] for role in ROLE_MIX}
    templates = {}
    for role in ("coordinator", "regional"):
        institution = Institution.objects.filter(region__code__in=regional_regions).first()
        assert institution is not None
        templates[role] = {
            "type": institution.type.code,
            "agency": institution.agency.code,
            "region": institution.region.code,
        }
    note_visits: dict[str, list[str]] = {}
    for role in ("monitor", "regional"):
        candidates = [
            v for v in Visit.objects.order_by("-id")[:300] if can_work_on_visit(users[role], v)
        ]
        note_visits[role] = []
        for visit in candidates[:20]:  # the visits whose state takes notes
            probe = requests.post(
                f"{base}/api/v1/notes/",
                json={"visit": str(visit.public_id), "kind": "other", "text": "soak probe"},
                headers={"Authorization": f"Token {tokens[role]}"},
                timeout=60,
            )
            if probe.status_code == 201:
                note_visits[role].append(str(visit.public_id))
    details = {}
    for role, token in tokens.items():
        path = "/api/v1/institutions/" if role != "monitor" else "/api/v1/visits/"
        listed = requests.get(
            f"{base}{path}", headers={"Authorization": f"Token {token}"}, timeout=60
        ).json()
        details[role] = [row["html_url"] for row in listed.get("results", [])[:20]]
    return Scenario(base, run_id, tokens, region, templates, note_visits, details)


def inject_faults(vigil: Vigil, cluster: Cluster, started: float, faults: list[dict[str, Any]]):
    """The faults at 30% and 60% of the run; the worker restarted should it exit."""

    def at(fraction: float) -> None:
        time.sleep(max(0.0, started + SECONDS * fraction - time.monotonic()))

    def now() -> float:
        return round(time.monotonic() - started, 2)

    at(0.3)
    victim = vigil.web_workers()[0]
    os.kill(victim, signal.SIGKILL)
    fault: dict[str, Any] = {"fault": "kill -9 of a gunicorn worker", "pid": victim, "at": now()}
    while len(vigil.web_workers()) < 2 or victim in vigil.web_workers():
        time.sleep(0.1)
    fault["replaced_after_s"] = round(now() - fault["at"], 2)
    faults.append(fault)
    at(0.6)
    fault = {"fault": "PostgreSQL restart (pg_ctl restart -m fast)", "at": now()}
    cluster.pg_ctl("restart")
    fault["until"] = now()
    faults.append(fault)


def check_writes(recorder: Recorder) -> dict[str, Any]:
    from vigil.registry.models import Institution
    from vigil.visits.models import InternalNote

    models: dict[str, Any] = {"institution": Institution, "note": InternalNote}
    checked = {}
    for what, writes in recorder.writes.items():
        model = models[what]
        found = set(
            str(p)
            for p in model.objects.filter(public_id__in=writes.acknowledged).values_list(
                "public_id", flat=True
            )
        )
        checked[what] = {
            "acknowledged": len(writes.acknowledged),
            "found": len(found),
            "lost": sorted(set(writes.acknowledged) - found),
            "not_acknowledged": len(writes.unanswered),
        }
    marker = f"SOAK {recorder.run_id}"
    checked["institution"]["rows_with_marker"] = Institution.objects.filter(
        name_en__startswith=marker
    ).count()
    return checked


def main() -> int:
    cluster = Cluster()
    cluster.start()
    vigil = None
    try:
        django.setup()
        from vigil.demo.accounts import demo_password

        prepare_data()
        load_before = os.getloadavg()
        vigil = Vigil()
        base = f"http://127.0.0.1:{WEB_PORT}"
        wait_until_healthy(base, vigil.web, LOGS / "server.log")
        run_id = uuid.uuid4().hex[:8]
        password = demo_password()
        plan = scenario(base, run_id, password)
        from django.db import connections

        connections.close_all()
        started = time.monotonic()
        recorder = Recorder(started, run_id)
        # Interleaved, so that fewer users (SOAK_USERS) keep the mix.
        mix = [(i / n, role) for role, n in ROLE_MIX.items() for i in range(n)]
        roles = [role for _, role in sorted(mix)]
        roles = (roles * (USERS // len(roles) + 1))[:USERS]
        deadline = started + SECONDS
        users = [
            SimulatedUser(i, role, plan, recorder, password, deadline)
            for i, role in enumerate(roles)
        ]
        for user in users:
            user.start()
        faults: list[dict[str, Any]] = []
        injector = threading.Thread(
            target=inject_faults, args=(vigil, cluster, started, faults), daemon=True
        )
        injector.start()
        loads = []
        while time.monotonic() < deadline:
            time.sleep(min(15, max(0.1, deadline - time.monotonic())))
            loads.append(os.getloadavg()[0])
            if vigil.worker.poll() is not None:  # recorded, and started again
                vigil.worker_exits.append(
                    {"at": round(time.monotonic() - started, 2), "rc": vigil.worker.returncode}
                )
                vigil.worker = vigil.start_worker()
        for user in users:
            user.join(timeout=180)
        injector.join(timeout=60)
        writes = check_writes(recorder)
        facts = {
            "seconds": SECONDS,
            "users": USERS,
            "role_mix": dict(ROLE_MIX),
            "database": "postgresql",
            "commit": subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
                capture_output=True,
                text=True,
                cwd=ROOT,
            ).stdout.strip(),
            "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cpus",
            "python": platform.python_version(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_during_max": round(max(loads, default=0), 2),
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "task_worker_exits": vigil.worker_exits,
        }
        result = summary(recorder.answers, recorder.resends, faults, writes, facts)
        write_report(RESULTS / "soak-postgresql", result)
        print(json.dumps(result["verdict"], indent=2))
        return 0 if result["verdict"]["passed"] else 1
    finally:
        if vigil is not None:
            vigil.stop()
        cluster.remove()


if __name__ == "__main__":
    sys.exit(main())
