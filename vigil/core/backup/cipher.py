"""The encryption of a backup archive: AES-256-GCM in chunks, with the backup key.

Layout: magic (8 bytes) | salt (16) | nonce prefix (7), then records of a 4-byte length and a
sealed chunk. Each chunk's nonce is the prefix, its index (4 bytes) and a last-chunk flag, and
the header is its associated data, so a chunk removed, moved, or cut off at the end does not
decrypt. The chunk key is derived (HKDF-SHA-256) from the backup key and the archive's salt.
"""

import base64
import binascii
import os
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from ..crypto import keyring

MAGIC = b"VIGILBK1"
SALT_BYTES = 16
PREFIX_BYTES = 7
HEADER_BYTES = len(MAGIC) + SALT_BYTES + PREFIX_BYTES
CHUNK_BYTES = 1 << 20
TAG_BYTES = 16


class BackupError(Exception):
    """The archive cannot be written, read or restored; the message says why."""


def new_backup_key() -> str:
    """A fresh backup key (`VIGIL_BACKUP_KEY`: base64 of 32 bytes)."""
    return base64.b64encode(os.urandom(32)).decode()


def backup_key() -> bytes:
    """The backup key from `VIGIL_BACKUP_KEY`, or the file named by `VIGIL_BACKUP_KEY_FILE`;
    refused when missing, malformed, or equal to a field encryption key."""
    spec = settings.VIGIL_BACKUP_KEY
    if not spec and settings.VIGIL_BACKUP_KEY_FILE:
        try:
            spec = Path(settings.VIGIL_BACKUP_KEY_FILE).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise BackupError(f"Cannot read VIGIL_BACKUP_KEY_FILE: {exc}") from exc
    if not spec:
        raise BackupError("Set VIGIL_BACKUP_KEY or VIGIL_BACKUP_KEY_FILE (the backup key).")
    try:
        key = base64.b64decode(spec, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BackupError("The backup key must be base64 of 32 bytes.") from exc
    if len(key) != 32:
        raise BackupError("The backup key must be base64 of 32 bytes.")
    if key in keyring().keys.values():
        raise BackupError("The backup key must not be a field encryption key.")
    return key


def _chunk_cipher(key: bytes, header: bytes) -> AESGCM:
    salt = header[len(MAGIC) : len(MAGIC) + SALT_BYTES]
    derived = HKDF(hashes.SHA256(), 32, salt, b"vigil backup archive v1").derive(key)
    return AESGCM(derived)


def _nonce(header: bytes, index: int, last: bool) -> bytes:
    return header[-PREFIX_BYTES:] + index.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


class EncryptingWriter:
    """A write-only stream that encrypts what is written into `target`; `close()` seals the
    last chunk (the target itself is left open)."""

    def __init__(self, target: BinaryIO, key: bytes) -> None:
        self._target = target
        self._header = MAGIC + os.urandom(SALT_BYTES) + os.urandom(PREFIX_BYTES)
        self._cipher = _chunk_cipher(key, self._header)
        self._buffer = bytearray()
        self._index = 0
        self.closed = False
        target.write(self._header)

    def _emit(self, chunk: bytes, *, last: bool) -> None:
        if self._index >= 2**32 - 1:
            raise BackupError("The archive is too large.")
        sealed = self._cipher.encrypt(_nonce(self._header, self._index, last), chunk, self._header)
        self._target.write(len(sealed).to_bytes(4, "big") + sealed)
        self._index += 1

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK_BYTES:  # keep something back for the last chunk
            self._emit(bytes(self._buffer[:CHUNK_BYTES]), last=False)
            del self._buffer[:CHUNK_BYTES]
        return len(data)

    def flush(self) -> None:
        """Nothing to do: chunks are written as they fill."""

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self._buffer), last=True)
            self._buffer.clear()
            self.closed = True


class DecryptingReader:
    """A read-only stream of what `source` holds, decrypted chunk by chunk; a wrong key, an
    altered or missing chunk, or a cut-off end raises `BackupError`."""

    def __init__(self, source: BinaryIO, key: bytes) -> None:
        self._source = source
        self._header = source.read(HEADER_BYTES)
        if len(self._header) != HEADER_BYTES or not self._header.startswith(MAGIC):
            raise BackupError("This is not a Vigil backup archive.")
        self._cipher = _chunk_cipher(key, self._header)
        self._buffer = bytearray()
        self._index = 0
        self._ended = False
        self._pending = self._record()

    def _record(self) -> bytes | None:
        length = self._source.read(4)
        if not length:
            return None
        if len(length) != 4:
            raise BackupError("The archive is cut off.")
        size = int.from_bytes(length, "big")
        if not TAG_BYTES <= size <= CHUNK_BYTES + TAG_BYTES:
            raise BackupError("The archive is damaged.")
        sealed = self._source.read(size)
        if len(sealed) != size:
            raise BackupError("The archive is cut off.")
        return sealed

    def _fill(self) -> None:
        if self._pending is None:
            raise BackupError("The archive is cut off.")
        sealed, self._pending = self._pending, self._record()
        last = self._pending is None
        try:
            chunk = self._cipher.decrypt(
                _nonce(self._header, self._index, last), sealed, self._header
            )
        except InvalidTag as exc:
            raise BackupError(
                "The archive does not decrypt: wrong backup key, or the archive was altered."
            ) from exc
        self._index += 1
        self._ended = last
        self._buffer += chunk

    def read(self, size: int = -1) -> bytes:
        while not self._ended and (size < 0 or len(self._buffer) < size):
            self._fill()
        if size < 0:
            size = len(self._buffer)
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data
