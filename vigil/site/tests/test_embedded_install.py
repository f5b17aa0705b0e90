"""The embedded install (`make run`) as a user runs it: `manage.py` and gunicorn in subprocesses
with the embedded settings, DEBUG unset, a throwaway home folder and a data folder.

- The keys are made in the user's config folder, apart from the data: a copy of the data
  folder alone decrypts nothing, and holds no key material.
- `manage.py new_key_version` puts a fresh key first; what was encrypted before still reads.
- Served by gunicorn, a 404 and a 500 show no settings, URL lists or data, as pages and as
  the API's JSON; static files are served (whitenoise) and the start says where the keys are.
"""

import base64
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from vigil.core.tests.commands import ROOT
from vigil.core.tests.embedded import EmbeddedManagePy, gunicorn

NAME = "Асқаров Ерлан"
WROTE = "Күзетші мені ұрды"
APPEALS_CSV = (
    "source_id,received_on,channel,subject,summary,content,anonymous,name,contact,region\n"
    + "".join(
        f"EMB-{n},2023-03-0{n + 1},letter,torture,Case {n},{WROTE} {n},no,{NAME},70155{n},KZ-75\n"
        for n in range(3)
    )
)
# Decrypts every appeal's content and sealed identity with the keys it was started with.
DECRYPT_ALL = """
from vigil.appeals.models import Appeal
from vigil.appeals.services.appeals import content_associated_data, identity_associated_data
from vigil.core.crypto import DecryptionError, keyring
from vigil.core.sealing import identity_fingerprint
read = failed = 0
for appeal in Appeal.objects.select_related("identity"):
    for blob, data in (
        (appeal.content_ciphertext, content_associated_data(appeal)),
        (appeal.identity.ciphertext, identity_associated_data(appeal)),
    ):
        try:
            keyring().decrypt(bytes(blob), data)
            read += 1
        except DecryptionError:
            failed += 1
matches = Appeal.objects.filter(identity__fingerprint=identity_fingerprint(NAME)).count()
print(f"read={read} failed={failed} fingerprint_matches={matches}")
""".replace("NAME", repr(NAME))


@pytest.fixture(scope="module")
def install(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedManagePy:
    root = tmp_path_factory.mktemp("embedded")
    manage = EmbeddedManagePy(
        root / "var" / "vigil.sqlite3", home=root / "home", static_root=root / "static"
    )
    manage.ok("migrate", "--no-input")
    manage.ok("seed_reference_data")
    manage.ok("collectstatic", "--no-input", "-v0")
    appeals = root / "appeals.csv"
    appeals.write_text(APPEALS_CSV)
    manage.ok("import_appeals", str(appeals))
    return manage


def _decrypted(manage: EmbeddedManagePy) -> str:
    return manage.ok("shell", "-v0", "-c", DECRYPT_ALL).stdout.strip()


def _key_material(key_dir: Path) -> list[bytes]:
    """Every key in the folder, as written and as raw bytes."""
    found: list[bytes] = []
    for path in key_dir.iterdir():
        text = path.read_text().strip()
        found.append(text.encode())
        for entry in text.split(","):
            encoded = entry.partition(":")[2] or entry
            try:
                found.append(base64.b64decode(encoded, validate=True))
            except ValueError:
                continue
    return found


def test_the_keys_are_made_apart_from_the_data_and_private(install: EmbeddedManagePy) -> None:
    key_dir = install.key_dir
    assert sorted(p.name for p in key_dir.iterdir()) == [
        "backup_key",
        "field_encryption_keys",
        "identity_fingerprint_key",
        "secret_key",
    ]
    assert stat.S_IMODE(key_dir.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in key_dir.iterdir()} == {0o600}
    assert not (install.database.parent / "secrets").exists()


def test_a_copy_of_the_data_folder_alone_decrypts_nothing(
    install: EmbeddedManagePy, tmp_path: Path
) -> None:
    assert _decrypted(install) == ("read=6 failed=0 fingerprint_matches=3")
    copy = tmp_path / "copied-var"
    shutil.copytree(install.database.parent, copy)

    for path in copy.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert not any(key in content for key in _key_material(install.key_dir)), path

    thief = EmbeddedManagePy(copy / "vigil.sqlite3", home=tmp_path / "another-home")
    assert _decrypted(thief) == ("read=0 failed=6 fingerprint_matches=0")
    assert thief.key_dir.is_dir()  # it made keys of its own, which open nothing
    with sqlite3.connect(copy / "vigil.sqlite3") as db:
        rows = db.execute("SELECT content_ciphertext FROM appeals_appeal").fetchall()
    assert rows
    assert not any(WROTE.encode() in bytes(row[0]) for row in rows)

    owner = EmbeddedManagePy(copy / "vigil.sqlite3", home=install.home)
    assert _decrypted(owner).startswith("read=6 failed=0")


def test_new_key_version_puts_a_fresh_key_first(install: EmbeddedManagePy, tmp_path: Path) -> None:
    shutil.copytree(install.home, tmp_path / "home")
    manage = EmbeddedManagePy(install.database, home=tmp_path / "home")
    before = (manage.key_dir / "field_encryption_keys").read_text().strip()

    result = manage.ok("new_key_version")

    after = (manage.key_dir / "field_encryption_keys").read_text().strip()
    assert after.endswith("," + before)
    assert after.startswith("2:")
    assert str(manage.key_dir / "field_encryption_keys") in result.stdout  # said where
    assert _decrypted(manage).startswith("read=6 failed=0")
    assert "the keys are in" not in result.stderr  # said by the server only


def test_with_keys_from_the_environment_it_prints_the_entry(
    install: EmbeddedManagePy, tmp_path: Path
) -> None:
    manage = EmbeddedManagePy(install.database, home=tmp_path / "home")
    env = manage.env()
    env["FIELD_ENCRYPTION_KEYS"] = (install.key_dir / "field_encryption_keys").read_text()
    result = subprocess.run(
        [sys.executable, "manage.py", "new_key_version"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "FIELD_ENCRYPTION_KEYS" in result.stdout  # in the install's language
    assert result.stdout.strip().splitlines()[-1].startswith("2:")
    assert not (manage.key_dir / "field_encryption_keys").exists()


def test_the_server_shows_nothing_technical(install: EmbeddedManagePy, tmp_path: Path) -> None:
    log = tmp_path / "gunicorn.log"
    with gunicorn(install, log) as server:
        status, kind, login = server.get("/accounts/login/")
        assert status == 200
        stylesheet = login.split('href="/static/vigil/vigil.', 1)[1].split('"', 1)[0]
        assert server.get(f"/static/vigil/vigil.{stylesheet}")[0] == 200  # whitenoise, hashed

        status, kind, body = server.get("/no-such-page/", {"Accept-Language": "en"})
        assert (status, kind.split(";")[0]) == (404, "text/html")
        assert "Page not found" in body
        status, kind, body = server.get("/api/v1/no-such-thing/", {"Accept-Language": "en"})
        assert (status, kind, body) == (404, "application/json", '{"detail": "Not found."}')

        # A broken database (the sessions' table gone: SQLite says OperationalError, as for a
        # locked or missing file) fails every request that reads it, cleanly: 503, try again.
        with sqlite3.connect(install.database) as db:
            db.execute("ALTER TABLE django_session RENAME TO django_session_away")
        try:
            cookie = {"Cookie": "sessionid=" + "x" * 32, "Accept-Language": "en"}
            status, kind, page = server.get("/accounts/login/", cookie)
            assert (status, kind.split(";")[0]) == (503, "text/html")
            assert "Briefly unavailable" in page
            status, kind, api = server.get("/api/v1/regions/", cookie)
            assert (status, kind) == (503, "application/json")
            assert api == '{"detail": "The service is briefly unavailable. Try again in a moment."}'
        finally:
            with sqlite3.connect(install.database) as db:
                db.execute("ALTER TABLE django_session_away RENAME TO django_session")

    for body in (page, api, login):
        for leak in ("django_session", "Traceback", "SECRET_KEY", "DATABASES", "URLconf"):
            assert leak not in body
    output = log.read_text()
    assert output.count(f"Vigil: the keys are in {install.key_dir}") == 1
    assert "no such table: django_session" in output  # the details are in the log
