"""Field-level authenticated encryption (AES-256-GCM) with versioned keys.

Keys come from the environment (`FIELD_ENCRYPTION_KEYS`): comma-separated
`version:base64key` pairs, the first one is used to encrypt, all of them to decrypt,
so a key can be rotated by putting the new one first and re-encrypting.
Ciphertext layout: version (2 bytes, big-endian) | nonce (12 bytes) | ciphertext+tag.
"""

import base64
import binascii
import os
from dataclasses import dataclass
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12


class DecryptionError(Exception):
    pass


@dataclass(frozen=True)
class KeyRing:
    current_version: int
    keys: dict[int, bytes]

    @classmethod
    def parse(cls, spec: str) -> "KeyRing":
        keys: dict[int, bytes] = {}
        order: list[int] = []
        for part in (p.strip() for p in spec.split(",") if p.strip()):
            version_text, sep, key_text = part.partition(":")
            try:
                version = int(version_text)
                key = base64.b64decode(key_text, validate=True)
            except (ValueError, binascii.Error) as exc:
                raise ImproperlyConfigured(
                    "FIELD_ENCRYPTION_KEYS must be 'version:base64key' pairs separated by commas."
                ) from exc
            if not sep or not 0 < version < 65536 or len(key) != 32:
                raise ImproperlyConfigured(
                    "Each FIELD_ENCRYPTION_KEYS entry needs a version 1-65535 and a 32-byte key."
                )
            if version in keys:
                raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS repeats version {version}.")
            keys[version] = key
            order.append(version)
        if not order:
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty.")
        return cls(current_version=order[0], keys=keys)

    def encrypt(self, plaintext: bytes, associated_data: bytes = b"") -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[self.current_version]).encrypt(nonce, plaintext, associated_data)
        return self.current_version.to_bytes(2, "big") + nonce + sealed

    def decrypt(self, blob: bytes, associated_data: bytes = b"") -> bytes:
        if len(blob) < 2 + NONCE_BYTES + 16:
            raise DecryptionError("Ciphertext too short.")
        version = int.from_bytes(blob[:2], "big")
        key = self.keys.get(version)
        if key is None:
            raise DecryptionError(f"No key with version {version}.")
        nonce, sealed = blob[2 : 2 + NONCE_BYTES], blob[2 + NONCE_BYTES :]
        try:
            return AESGCM(key).decrypt(nonce, sealed, associated_data)
        except InvalidTag as exc:
            raise DecryptionError("Ciphertext was altered or the key is wrong.") from exc

    @staticmethod
    def version_of(blob: bytes) -> int:
        return int.from_bytes(blob[:2], "big")


@cache
def _ring_for(spec: str) -> KeyRing:
    return KeyRing.parse(spec)


def keyring() -> KeyRing:
    """The key ring configured in settings (parsed once per distinct setting)."""
    return _ring_for(settings.FIELD_ENCRYPTION_KEYS)


def new_key_spec(version: int = 1) -> str:
    """A fresh `version:base64key` entry, e.g. for `FIELD_ENCRYPTION_KEYS`."""
    return f"{version}:{base64.b64encode(os.urandom(32)).decode()}"


def new_fingerprint_key() -> str:
    """A fresh key for `IDENTITY_FINGERPRINT_KEY` (the fingerprints of sealed identities)."""
    return base64.b64encode(os.urandom(32)).decode()


def fingerprint_key_check(spec: str) -> bytes:
    """The fingerprint key (`IDENTITY_FINGERPRINT_KEY`: base64 of 32 bytes), or an error."""
    try:
        key = base64.b64decode(spec, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured("IDENTITY_FINGERPRINT_KEY must be base64 of 32 bytes.") from exc
    if len(key) != 32:
        raise ImproperlyConfigured("IDENTITY_FINGERPRINT_KEY must be base64 of 32 bytes.")
    return key
