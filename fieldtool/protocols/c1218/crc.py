"""CRC-16/X-25 of C12.18 packets and the one-byte checksum of C12.19 table data.

The packet CRC is the reflected CCITT polynomial (0x1021 reflected = 0x8408), init 0xFFFF, xorout 0xFFFF,
computed from the STP byte through the last data byte and sent LOW byte first. ``binascii.crc_hqx`` is a
different (non-reflected) variant and must not be used.
"""

from __future__ import annotations


def _table() -> list[int]:
    out = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x8408 if crc & 1 else crc >> 1
        out.append(crc)
    return out


_TABLE = _table()


def crc16(data: bytes) -> int:
    """CRC-16/X-25 of ``data`` (``crc16(b"123456789") == 0x906E``); 0 for empty input."""
    crc = 0xFFFF
    for b in data:
        crc = (crc >> 8) ^ _TABLE[(crc ^ b) & 0xFF]
    return crc ^ 0xFFFF


def crc_bytes(data: bytes) -> bytes:
    """The two CRC bytes as they go on the wire (low byte first)."""
    return crc16(data).to_bytes(2, "little")


def table_checksum(data: bytes) -> int:
    """C12.19 table-data checksum: two's complement of the byte sum, modulo 256."""
    return (-sum(data)) & 0xFF
