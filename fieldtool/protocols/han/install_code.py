"""Zigbee Smart Energy install codes: normalise, check the length, check the CRC. Pure.

An install code is 6, 8, 12 or 16 random bytes followed by a CRC-16/X-25 over those bytes, printed
least significant byte first (docs/han-zigbee-se.md §1). The CRC exists to catch a typo or a misread, so
a code whose CRC does not match is reported, never "corrected". Sixteen hex digits are ambiguous (a 6-byte
code with its CRC, or an 8-byte code printed without one): the CRC decides, and when it does not match
the code is not accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fieldtool.domain.errors import InputError
from fieldtool.protocols.han.mmo import aes_mmo_hash

CODE_LENGTHS = (6, 8, 12, 16)  # bytes of random code; +2 CRC bytes when printed with the CRC
_SEPARATORS = re.compile(r"[\s.:\-_]")  # spaces, periods (SDG&E labels), colons, dashes between groups


class InstallCodeError(InputError):
    """The text cannot be an install code (characters, length); says what is wrong in words."""


def crc16_x25(data: bytes) -> int:
    """CRC-16/X-25 (IBM-SDLC): poly 0x1021 reflected (0x8408), init 0xFFFF, xorout 0xFFFF."""
    crc = 0xFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x8408 if crc & 1 else crc >> 1
    return crc ^ 0xFFFF


def normalise_hex(text: str, what: str = "install code") -> str:
    """Upper-case hex digits with the separators people and labels use removed. Letters that are not
    hex are refused with a hint (O for 0 and I/L for 1 are the usual misreads) -- never replaced."""
    digits = _SEPARATORS.sub("", text).upper()
    bad = sorted({c for c in digits if c not in "0123456789ABCDEF"})
    if bad:
        hint = "An install code has only the digits 0-9 and the letters A-F."
        if "O" in bad:
            hint += " The letter O is probably the digit 0."
        if "I" in bad or "L" in bad:
            hint += " The letters I and L are probably the digit 1."
        raise InstallCodeError(f"The {what} contains {', '.join(repr(c) for c in bad)}.", hint=hint)
    return digits


@dataclass(frozen=True)
class InstallCode:
    """A parsed install code. ``code`` is the random part; ``printed_crc`` the CRC as printed (None when
    the label had none); ``crc`` the CRC computed over ``code``."""

    code: bytes
    printed_crc: int | None
    crc: int

    @property
    def crc_ok(self) -> bool:
        return self.printed_crc == self.crc

    @property
    def with_crc(self) -> bytes:
        """Code + CRC as transmitted and hashed (CRC little-endian)."""
        return self.code + self.crc.to_bytes(2, "little")

    @property
    def hex(self) -> str:
        return self.with_crc.hex().upper()

    def link_key(self) -> bytes:
        """The preconfigured TC link key: AES-MMO over code + CRC (§1.3). Only for a code whose CRC
        matched -- a key from a mistyped code would silently never join."""
        if not self.crc_ok:
            raise InstallCodeError(self.problem or "The install code's CRC does not match.")
        from fieldtool.protocols.han.mmo import aes_mmo_hash

        return aes_mmo_hash(self.with_crc)

    @property
    def problem(self) -> str | None:
        if self.printed_crc is None:
            return "The install code was given without its CRC, so a typo cannot be caught."
        if not self.crc_ok:
            printed = self.printed_crc.to_bytes(2, "little").hex().upper()
            expected = self.crc.to_bytes(2, "little").hex().upper()
            return (f"The install code's check digits do not match: it ends in {printed}, but the digits before "
                    f"give {expected}. A digit is wrong; scan or type it again.")  # fmt: skip
        return None


def parse_install_code(text: str, *, crc_included: bool = True) -> InstallCode:
    """Parse an install code as printed. ``crc_included=False`` takes 6/8/12/16 bytes without a CRC.

    Raises ``InstallCodeError`` when the text is not hex or has a length no install code has. A wrong
    CRC is *not* an exception: the result says ``crc_ok`` False, with ``problem`` in words.
    """
    digits = normalise_hex(text)
    if len(digits) % 2:
        raise InstallCodeError(f"The install code has {len(digits)} hex digits; it must be an even number.",
                               hint="A digit is missing or doubled.")  # fmt: skip
    raw = bytes.fromhex(digits)
    if not crc_included:
        if len(raw) not in CODE_LENGTHS:
            raise _length_error(len(digits), crc_included)
        return InstallCode(raw, None, crc16_x25(raw))
    if len(raw) - 2 not in CODE_LENGTHS:
        raise _length_error(len(digits), crc_included)
    code, printed = raw[:-2], int.from_bytes(raw[-2:], "little")
    return InstallCode(code, printed, crc16_x25(code))


def _length_error(n_digits: int, crc_included: bool) -> InstallCodeError:
    valid = [2 * (n + 2) for n in CODE_LENGTHS] if crc_included else [2 * n for n in CODE_LENGTHS]
    return InstallCodeError(
        f"The install code has {n_digits} hex digits; install codes have {', '.join(map(str, valid))}.",
        hint="Check for a missing or extra digit.",
    )


def group(digits: str, size: int = 4) -> str:
    """``83FED340...`` -> ``83FE D340 ...`` for reading back and typing."""
    return " ".join(digits[i : i + size] for i in range(0, len(digits), size))


@dataclass(frozen=True)
class EntryCheck:
    """What the manual-entry field shows while the installer types."""

    grouped: str  # the digits typed so far, grouped by four
    digits: int
    complete: bool  # a length an install code with its CRC has
    crc_ok: bool | None  # None until complete
    message: str


def check_entry(text: str) -> EntryCheck:
    """Live check of a partly typed install code (code + CRC). Never raises; bad characters are reported."""
    try:
        digits = normalise_hex(text)
    except InstallCodeError as e:
        raw = _SEPARATORS.sub("", text).upper()
        return EntryCheck(group(raw), len(raw), False, None, str(e))
    lengths = [2 * (n + 2) for n in CODE_LENGTHS]
    if len(digits) not in lengths:
        nxt = next((n for n in lengths if n > len(digits)), None)
        msg = f"{len(digits)} digits" + (f"; {nxt - len(digits)} more for a {nxt}-digit code." if nxt else
                                         "; that is longer than any install code.")  # fmt: skip
        return EntryCheck(group(digits), len(digits), False, None, msg)
    ic = parse_install_code(digits)
    if ic.crc_ok:
        return EntryCheck(group(digits), len(digits), True, True, f"CRC correct ({len(ic.code)}-byte code).")
    if len(digits) < max(lengths):
        nxt = next(n for n in lengths if n > len(digits))
        return EntryCheck(group(digits), len(digits), True, False,
                          f"{len(digits)} digits, but their check digits do not match. If the label has more "
                          f"digits, keep typing ({nxt} or more); otherwise a digit is wrong.")  # fmt: skip
    return EntryCheck(group(digits), len(digits), True, False, ic.problem or "")


def normalise_eui64(text: str) -> str:
    """16 upper-case hex digits, most significant (OUI) first, as printed; separators removed."""
    digits = normalise_hex(text, "EUI-64")
    if len(digits) != 16:
        raise InstallCodeError(f"An EUI-64 (MAC ID) has 16 hex digits; this has {len(digits)}.",
                               hint="Check for a missing or extra digit.")  # fmt: skip
    return digits


def eui64_to_wire(eui64: str) -> bytes:
    """The EUI-64 as printed (OUI first) -> the 8 bytes Zigbee sends (least significant first)."""
    return bytes.fromhex(normalise_eui64(eui64))[::-1]


def eui64_from_wire(raw: bytes) -> str:
    """8 bytes as Zigbee sends them -> 16 upper-case hex digits as printed (OUI first)."""
    if len(raw) != 8:
        raise InstallCodeError(f"An EUI-64 is 8 bytes; this has {len(raw)}.")
    return raw[::-1].hex().upper()


@dataclass(frozen=True)
class LinkKey:
    """The preconfigured trust-center link key of one install code (Zigbee AES-MMO of code + CRC)."""

    install_code: InstallCode
    key: bytes

    @property
    def hex(self) -> str:
        return self.key.hex().upper()


def derive_link_key(text: str) -> LinkKey:
    """The link key of an install code printed with its CRC. Refuses, in words, a code of the wrong length
    (``InstallCodeError``) and a code whose CRC does not match (``InstallCodeError`` naming the CRC): a key
    derived from a mistyped code would only make the device fail to join later, far from the typo."""
    ic = parse_install_code(text)
    if not ic.crc_ok:
        hint = "Read the code again from the device label, or scan it."
        if len(ic.code) == 6:  # 16 digits: 6-byte code + CRC, or an 8-byte code printed without its CRC
            hint += (" Sixteen digits are taken as a 6-byte code with its CRC; if the label really shows an "
                     "8-byte code without a CRC, enter the CRC printed next to it as well.")
        raise InstallCodeError(ic.problem or "The install code's CRC does not match.", hint=hint)
    return LinkKey(ic, aes_mmo_hash(ic.with_crc))
