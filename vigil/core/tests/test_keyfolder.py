"""The embedded install's key folder (vigil.core.keyfolder): apart from the data, private,
written safely, and an older install's var/secrets/ moved there once without losing a key."""

import stat
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from vigil.core.keyfolder import KeyFolder, default_key_dir


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_secret_is_made_once_private_and_read_back(tmp_path: Path) -> None:
    keys = KeyFolder(tmp_path / "keys", data_dirs=[tmp_path / "var"])
    first = keys.secret("secret_key", lambda: "one")
    again = keys.secret("secret_key", lambda: "two")
    assert (first, again) == ("one", "one")
    assert _mode(tmp_path / "keys") == 0o700
    assert _mode(tmp_path / "keys" / "secret_key") == 0o600
    assert [p.name for p in (tmp_path / "keys").iterdir()] == ["secret_key"]  # no temporary


@pytest.mark.parametrize("inside", ["var", "var/keys", "var/media/x"])
def test_a_key_folder_inside_the_data_is_refused(tmp_path: Path, inside: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="inside the data folder"):
        KeyFolder(tmp_path / inside, data_dirs=[tmp_path / "elsewhere", tmp_path / "var"])


def test_the_default_is_the_users_config_folder(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_key_dir() == tmp_path / ".config" / "vigil"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert default_key_dir() == tmp_path / "xdg" / "vigil"


def test_replace_writes_the_new_value(tmp_path: Path) -> None:
    keys = KeyFolder(tmp_path / "keys", data_dirs=[])
    keys.secret("field_encryption_keys", lambda: "1:old")
    keys.replace("field_encryption_keys", "2:new,1:old")
    assert keys.read("field_encryption_keys") == "2:new,1:old"
    assert _mode(keys.file("field_encryption_keys")) == 0o600


def test_an_older_installs_keys_are_moved_once(tmp_path: Path, capsys) -> None:
    old = tmp_path / "var" / "secrets"
    old.mkdir(parents=True)
    (old / "field_encryption_keys").write_text("1:abc\n")
    (old / "secret_key").write_text("s3cret")
    keys = KeyFolder(tmp_path / "keys", data_dirs=[tmp_path / "var"])

    keys.adopt(old)

    assert keys.read("field_encryption_keys") == "1:abc"
    assert keys.read("secret_key") == "s3cret"
    assert not old.exists()
    assert f"moved the keys from {old} to {keys.path}" in capsys.readouterr().err
    keys.adopt(old)  # nothing left to move, nothing said
    assert capsys.readouterr().err == ""


def test_two_different_keys_stop_the_start_and_lose_nothing(tmp_path: Path) -> None:
    old = tmp_path / "var" / "secrets"
    old.mkdir(parents=True)
    (old / "field_encryption_keys").write_text("1:old")
    keys = KeyFolder(tmp_path / "keys", data_dirs=[tmp_path / "var"])
    keys.secret("field_encryption_keys", lambda: "1:new")

    with pytest.raises(ImproperlyConfigured, match="different keys"):
        keys.adopt(old)

    assert (old / "field_encryption_keys").read_text() == "1:old"
    assert keys.read("field_encryption_keys") == "1:new"
