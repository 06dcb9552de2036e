"""Sealing a HAN link key to the head-end's public key before it is queued (I1FR46, I1FR45).

A ``han_request`` waits in the outbox until the back office is reachable, and the outbox is plain SQLite:
so the link key in it is sealed -- X25519 with an ephemeral key, HKDF-SHA256, AES-256-GCM with the meter
number and EUI-64 as associated data (a sealed key moved to another device does not open). Only the
head-end holds the private key. Pure functions; the reference back office opens with ``open_sealed``.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fieldtool.domain.errors import InputError

INFO = b"fieldtool han link key v1"


def aad(meter_number: str, eui64: str) -> bytes:
    return f"han:{meter_number}:{eui64}".encode()


def _kek(shared: bytes, epk: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=epk, info=INFO).derive(shared)


def _raw(pub) -> bytes:
    return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def seal(key_id: str, public_key_b64: str, plaintext: bytes, associated: bytes) -> dict:
    try:
        peer = X25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64))
    except ValueError as e:
        raise InputError(f"The head-end's sealing key is not an X25519 key: {e}") from None
    eph = X25519PrivateKey.generate()
    epk = _raw(eph.public_key())
    nonce = os.urandom(12)
    ct = AESGCM(_kek(eph.exchange(peer), epk)).encrypt(nonce, plaintext, associated)
    b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
    return {"key_id": key_id, "epk": b64(epk), "nonce": b64(nonce), "ct": b64(ct)}


def open_sealed(private_key: X25519PrivateKey, sealed: dict, associated: bytes) -> bytes:
    epk = base64.b64decode(sealed["epk"])
    try:
        shared = private_key.exchange(X25519PublicKey.from_public_bytes(epk))
        return AESGCM(_kek(shared, epk)).decrypt(base64.b64decode(sealed["nonce"]), base64.b64decode(sealed["ct"]),
                                                 associated)  # fmt: skip
    except (InvalidTag, ValueError) as e:
        raise InputError("The sealed link key does not open (wrong key or altered).") from e


def new_key_pair() -> tuple[X25519PrivateKey, str]:
    k = X25519PrivateKey.generate()
    return k, base64.b64encode(_raw(k.public_key())).decode()


def private_from_hex(text: str) -> X25519PrivateKey:
    return X25519PrivateKey.from_private_bytes(bytes.fromhex(text))


def private_to_hex(k: X25519PrivateKey) -> str:
    return k.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                           serialization.NoEncryption()).hex()  # fmt: skip
