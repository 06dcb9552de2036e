"""Zigbee install-code labels: the EUI-64 and install code in every printed and QR format of
docs/han-zigbee-se.md §2. Pure. The CRC is checked by ``protocols.han.install_code`` and a wrong CRC is
reported, never corrected.

Formats: ``Z:<eui64>$I:<code>`` (tag style, optional ``$D:``/``%M:``... suffix), Aqara ``G$M:..$A:<eui64>$I:<code>``,
pipe ``<eui64>|<code>``, Philips Hue ``HUE:Z:<code> M:<eui64> ...``, Bosch ``RB01SG<34 hex><eui64>DLK<code>``
(install code, 95 characters) or ``DLK<link key>`` (direct link key, 91 characters), and the printed
text of Smart Energy utility labels (``MAC ID``/``EUID`` with ``Install Code``/``IN Code``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fieldtool.protocols.han.install_code import InstallCodeError, normalise_eui64, parse_install_code

_H = "[0-9A-Fa-f]"
PATTERNS: list[tuple[str, re.Pattern]] = [
    ("z_tag", re.compile(rf"^Z:({_H}{{16}})\$I:({_H}{{16,36}})(?:[$%].*)?$", re.S)),
    ("aqara", re.compile(rf"^G\$M:.*\$A:({_H}{{16}})\$I:({_H}{{16,36}})$", re.S)),
    ("pipe", re.compile(rf"^({_H}{{16}})\|({_H}{{16,36}})$")),
    ("hue", re.compile(rf"^HUE:Z:({_H}{{16,36}}) M:({_H}{{16}})(?: .*)?$", re.S)),
    ("bosch", re.compile(rf"^RB01SG{_H}{{34}}({_H}{{16}})DLK({_H}{{36}}|{_H}{{32}})$")),
]
_TEXT_EUI = re.compile(r"(?:MAC\s*(?:ID|ADDRESS)?|EUI-?64|EUID|EUI)\s*[:#=]?\s*([0-9A-Za-z .:\-]{16,40}?)(?=\s*(?:[,;\n|]|INSTALL|IN\s*CODE|IC\b|$))", re.I)
_TEXT_IC = re.compile(r"(?:INSTALL(?:ATION)?\s*CODE|IN\s*CODE|\bIC)\s*[:#=]?\s*([0-9A-Za-z .:\-]{16,60}?)\s*$", re.I)


@dataclass(frozen=True)
class ZigbeeLabel:
    format: str
    eui64: str  # 16 hex digits, OUI first (as printed, byte-reversed labels put right)
    install_code: str | None  # code + CRC, hex (None for a direct link key)
    crc_ok: bool | None  # None when there is no CRC (link key)
    link_key: str | None = None  # Bosch direct-link-key labels carry the key itself
    problems: tuple[str, ...] = ()


def _eui(printed: str) -> tuple[str, list[str]]:
    eui = normalise_eui64(printed)
    # Atlantic heaters print the EUI-64 byte-reversed (zigpy corrects labels ending in 16A720).
    if eui.endswith("16A720"):
        return bytes.fromhex(eui)[::-1].hex().upper(), ["The EUI-64 was printed byte-reversed and was read in reverse."]
    return eui, []


def parse_zigbee_label(text: str) -> ZigbeeLabel | None:
    """The label, or None when the text is not in a Zigbee label format. Raises ``InstallCodeError`` when
    it is one but the install code cannot be (characters, length)."""
    t = text.strip()
    for name, pattern in PATTERNS:
        m = pattern.match(t)
        if not m:
            continue
        eui_txt, code_txt = (m.group(2), m.group(1)) if name == "hue" else (m.group(1), m.group(2))
        eui, notes = _eui(eui_txt)
        if name == "bosch" and len(code_txt) == 32:
            return ZigbeeLabel("bosch_link_key", eui, None, None, code_txt.upper(), tuple(notes))
        return _with_code(f"{name}", eui, code_txt, notes)
    eui_m, ic_m = _TEXT_EUI.search(t), _TEXT_IC.search(t)
    if eui_m and ic_m:
        eui, notes = _eui(eui_m.group(1))
        return _with_code("printed_text", eui, ic_m.group(1), notes)
    return None


def _with_code(fmt: str, eui: str, code_txt: str, notes: list[str]) -> ZigbeeLabel:
    ic = parse_install_code(code_txt)
    problems = [*notes, ic.problem] if ic.problem else notes
    return ZigbeeLabel(fmt, eui, ic.hex if ic.crc_ok else _as_printed(code_txt), ic.crc_ok, None, tuple(problems))


def _as_printed(code_txt: str) -> str:
    # A code whose CRC failed is kept exactly as read, so the installer sees what the label gave.
    return re.sub(r"[\s.:\-_]", "", code_txt).upper()


__all__ = ["ZigbeeLabel", "parse_zigbee_label", "InstallCodeError", "PATTERNS"]
