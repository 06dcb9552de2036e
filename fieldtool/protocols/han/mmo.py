"""The AES-MMO hash of Zigbee (spec Annex B.6): the preconfigured link key from an install code.

Matyas-Meyer-Oseas with AES-128: H0 = 0; Hi = AES_ECB(key=H(i-1), Mi) XOR Mi over the padded message
(0x80, zeros to 14 mod 16, then the length in bits as 16-bit big-endian). The link key is the hash of the
whole install code *including* its CRC, exactly as printed.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 16


def _pad(message: bytes) -> bytes:
    bits = len(message) * 8
    if bits >= 2**16:
        raise ValueError("AES-MMO messages of 8 KiB or more are not used for install codes")
    padded = message + b"\x80"
    while len(padded) % BLOCK != BLOCK - 2:
        padded += b"\x00"
    return padded + bits.to_bytes(2, "big")


def aes_mmo_hash(message: bytes) -> bytes:
    h = bytes(BLOCK)
    data = _pad(message)
    for i in range(0, len(data), BLOCK):
        block = data[i : i + BLOCK]
        enc = Cipher(algorithms.AES(h), modes.ECB()).encryptor()
        e = enc.update(block) + enc.finalize()
        h = bytes(a ^ b for a, b in zip(e, block, strict=True))
    return h
