import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from vigil.core.crypto import DecryptionError, KeyRing, new_key_spec

RING = KeyRing.parse(new_key_spec(1))
ZERO_KEY = "A" * 43 + "="  # 32 zero bytes in base64


def test_zero_key_parses():
    assert KeyRing.parse(f"7:{ZERO_KEY}").current_version == 7


@given(st.binary(max_size=2000), st.binary(max_size=50))
def test_round_trip(plaintext, aad):
    blob = RING.encrypt(plaintext, aad)
    assert RING.decrypt(blob, aad) == plaintext
    assert plaintext not in blob or len(plaintext) < 4


def test_tampering_and_wrong_context_are_detected():
    blob = bytearray(RING.encrypt(b"secret interview", b"row-1"))
    with pytest.raises(DecryptionError):
        RING.decrypt(bytes(blob), b"row-2")
    blob[-1] ^= 1
    with pytest.raises(DecryptionError):
        RING.decrypt(bytes(blob), b"row-1")


def test_rotation_keeps_old_ciphertexts_readable():
    old_spec = new_key_spec(1)
    old = KeyRing.parse(old_spec)
    blob = old.encrypt(b"kept")
    rotated = KeyRing.parse(f"{new_key_spec(2)},{old_spec}")
    assert rotated.decrypt(blob) == b"kept"
    new_blob = rotated.encrypt(b"new")
    assert KeyRing.version_of(new_blob) == 2
    with pytest.raises(DecryptionError, match="version 2"):
        old.decrypt(new_blob)


@pytest.mark.parametrize(
    "spec",
    ["", "abc", "1:notbase64!", f"0:{ZERO_KEY}", "1:QUJD", f"1:{ZERO_KEY},1:{ZERO_KEY}"],
)
def test_bad_key_specs_are_refused(spec):
    with pytest.raises(ImproperlyConfigured):
        KeyRing.parse(spec)
