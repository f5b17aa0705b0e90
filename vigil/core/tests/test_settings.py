"""Production settings refuse to start without their secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from vigil.core.crypto import new_fingerprint_key, new_key_spec

ROOT = Path(__file__).resolve().parents[3]
SECRETS = ("SECRET_KEY", "DATABASE_URL", "FIELD_ENCRYPTION_KEYS", "IDENTITY_FINGERPRINT_KEY")


def _load_production(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in SECRETS}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("missing", SECRETS)
def test_production_refuses_without_secret(missing):
    env = {
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": "postgres://u@127.0.0.1/db",
        "FIELD_ENCRYPTION_KEYS": new_key_spec(1),
        "IDENTITY_FINGERPRINT_KEY": new_fingerprint_key(),
    }
    del env[missing]
    result = _load_production(env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_starts_with_all_secrets():
    env = {
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": "postgres://u@127.0.0.1/db",
        "FIELD_ENCRYPTION_KEYS": new_key_spec(1),
        "IDENTITY_FINGERPRINT_KEY": new_fingerprint_key(),
    }
    result = _load_production(env)
    assert result.returncode == 0, result.stderr


def test_production_refuses_a_malformed_key():
    env = {
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": "postgres://u@127.0.0.1/db",
        "FIELD_ENCRYPTION_KEYS": "1:short",
        "IDENTITY_FINGERPRINT_KEY": new_fingerprint_key(),
    }
    result = _load_production(env)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr


@pytest.mark.parametrize("key", ["short", "c2hvcnQ="])
def test_production_refuses_a_malformed_fingerprint_key(key):
    env = {
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": "postgres://u@127.0.0.1/db",
        "FIELD_ENCRYPTION_KEYS": new_key_spec(1),
        "IDENTITY_FINGERPRINT_KEY": key,
    }
    result = _load_production(env)
    assert result.returncode != 0
    assert "IDENTITY_FINGERPRINT_KEY" in result.stderr


def test_production_reads_its_secrets_from_mounted_files(tmp_path):
    env = {"DATABASE_URL": "postgres://u@127.0.0.1/db"}
    values = {
        "SECRET_KEY": "x" * 50,
        "FIELD_ENCRYPTION_KEYS": new_key_spec(1),
        "IDENTITY_FINGERPRINT_KEY": new_fingerprint_key(),
    }
    for name, value in values.items():
        (tmp_path / name).write_text(value + "\n")  # as a mounted secret usually ends
        env[f"{name}_FILE"] = str(tmp_path / name)
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "from vigil.core.crypto import keyring; "
            "print(keyring().current_version, settings.SECRET_KEY == 'x' * 50)",
        ],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in SECRETS},
            **env,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.stdout.strip() == "1 True", check.stderr


def test_the_embedded_settings_keep_debug_off_unless_asked(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in (*SECRETS, "DJANGO_DEBUG", "VIGIL_KEY_DIR", "XDG_CONFIG_HOME")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        HOME=str(tmp_path / "home"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'var' / 'vigil.sqlite3'}",
    )
    show = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    for debug, expected in ((None, "False"), ("1", "True")):
        if debug:
            env["DJANGO_DEBUG"] = debug
        result = subprocess.run(  # noqa: S603 (our own interpreter)
            [sys.executable, "-c", show],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.stdout.strip() == expected, result.stderr
        assert "the keys are in" not in result.stderr  # only the server says it
