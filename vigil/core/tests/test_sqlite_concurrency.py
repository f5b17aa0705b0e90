"""SQLite as the embedded default holds several writers at once (gunicorn's workers and the
task worker): WAL, IMMEDIATE transactions and a busy timeout make a writer wait for another
instead of failing with "database is locked". Several processes, started together, each read
then write through a service in its own transactions; every write is there afterwards."""

import subprocess
import sys
import time
from pathlib import Path

from .commands import ROOT, ManagePy, migrated

PROCESSES = 4
WRITES = 25
# Each writer says it is ready, waits for the go, then writes: in each transaction a read
# first (under deferred transactions the read-then-write that fails at once when another
# process writes), then an audit event through the audit service.
WRITER = """
import sys, time
from pathlib import Path
from django.db import connection, transaction
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.audit.services import audit_record
folder, name = Path(sys.argv[1]), sys.argv[2]
with connection.cursor() as cursor:
    cursor.execute("PRAGMA busy_timeout")
    timeout = cursor.fetchone()[0]
    cursor.execute("PRAGMA journal_mode")
    mode = cursor.fetchone()[0]
print(f"busy_timeout={timeout} journal_mode={mode}")
(folder / f"ready-{name}").touch()
while not (folder / "go").exists():
    time.sleep(0.01)
for n in range(WRITES):
    with transaction.atomic():
        AuditEvent.objects.count()
        audit_record(actor=None, action=AuditAction.INSTITUTION_CREATED, data={"writer": name, "n": n})
""".replace("WRITES", str(WRITES))


def test_concurrent_writers_all_wait_and_all_writes_land(tmp_path: Path) -> None:
    manage: ManagePy = migrated(tmp_path, seed=False)
    before = manage.count("audit_auditevent")
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    writers = [
        subprocess.Popen(  # noqa: S603 (our own interpreter and manage.py)
            [
                sys.executable,
                "manage.py",
                "shell",
                "-v0",
                "-c",
                f"import sys; sys.argv = ['', {str(tmp_path)!r}, 'w{n}']; "
                f"exec(open({str(script)!r}).read())",
            ],
            cwd=ROOT,
            env=manage.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(PROCESSES)
    ]
    while len(list(tmp_path.glob("ready-*"))) < PROCESSES:
        assert all(writer.poll() is None for writer in writers), [
            writer.communicate() for writer in writers if writer.poll() is not None
        ]
        time.sleep(0.05)
    (tmp_path / "go").touch()
    results = [writer.communicate(timeout=300) for writer in writers]

    for writer, (out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0, err
        assert "database is locked" not in err
        assert out.strip() == "busy_timeout=20000 journal_mode=wal"
    assert manage.count("audit_auditevent") == before + PROCESSES * WRITES
    for n in range(PROCESSES):
        assert (
            manage.count("audit_auditevent", "json_extract(data, '$.writer') = ?", (f"w{n}",))
            == WRITES
        )
