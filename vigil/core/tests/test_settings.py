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
