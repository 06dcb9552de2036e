"""GS1 element strings (GS1-128, GS1 DataMatrix, GS1 QR): application identifiers and their data. Pure.

Three spellings reach the tool: a decoder's raw data (FNC1 as the GS character 0x1D between fields,
optionally led by a symbology identifier ``]C1``/``]d2``/``]Q3``), the human-readable form with the AIs
in brackets (``(01)09501101530008(10)LOT1``), and typed text. Fixed-length AIs need no separator;
variable-length ones end at a GS or at the end of the data. Check digits of GTIN and SSCC, and dates,
are verified; a problem is reported, never repaired.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

GS = "\x1d"


@dataclass(frozen=True)
class AI:
    code: str
    title: str
    kind: str  # "n" numeric, "an" alphanumeric (GS1 character set 82), "date" (YYMMDD)
    length: int  # fixed length, or the maximum when variable
    fixed: bool
    check_digit: bool = False


def _ai(code, title, kind, length, fixed, check=False):
    return code, AI(code, title, kind, length, fixed, check)


# The AIs shipping, packing and asset labels use (GS1 General Specifications, section 3).
AIS: dict[str, AI] = dict(
    [
        _ai("00", "SSCC", "n", 18, True, True),
        _ai("01", "GTIN", "n", 14, True, True),
        _ai("02", "CONTENT", "n", 14, True, True),
        _ai("10", "BATCH/LOT", "an", 20, False),
        _ai("11", "PROD DATE", "date", 6, True),
        _ai("12", "DUE DATE", "date", 6, True),
        _ai("13", "PACK DATE", "date", 6, True),
        _ai("15", "BEST BEFORE", "date", 6, True),
        _ai("16", "SELL BY", "date", 6, True),
        _ai("17", "USE BY", "date", 6, True),
        _ai("20", "VARIANT", "n", 2, True),
        _ai("21", "SERIAL", "an", 20, False),
        _ai("22", "CPV", "an", 20, False),
        _ai("240", "ADDITIONAL ID", "an", 30, False),
        _ai("241", "CUST. PART No.", "an", 30, False),
        _ai("250", "SECONDARY SERIAL", "an", 30, False),
        _ai("30", "VAR. COUNT", "n", 8, False),
        _ai("37", "COUNT", "n", 8, False),
        _ai("400", "ORDER NUMBER", "an", 30, False),
        _ai("401", "GINC", "an", 30, False),
        _ai("402", "GSIN", "n", 17, True, True),
        _ai("403", "ROUTE", "an", 30, False),
        _ai("410", "SHIP TO LOC", "n", 13, True, True),
        _ai("412", "PURCHASE FROM", "n", 13, True, True),
        _ai("414", "LOC No.", "n", 13, True, True),
        _ai("420", "SHIP TO POST", "an", 20, False),
        _ai("8003", "GRAI", "an", 30, False),
        _ai("8004", "GIAI", "an", 30, False),
        _ai("90", "INTERNAL", "an", 30, False),
    ]
    + [_ai(str(n), "INTERNAL", "an", 90, False) for n in range(91, 100)]
)

SYMBOLOGY_IDS = ("]C1", "]d2", "]Q3", "]e0", "]J1")
_HRI = re.compile(r"\((\d{2,4})\)([^()]*)")


class Gs1Error(ValueError):
    """The data is not a valid GS1 element string; the message says where and why."""


@dataclass(frozen=True)
class Element:
    ai: str
    value: str
    title: str


@dataclass(frozen=True)
class Gs1Data:
    elements: tuple[Element, ...]
    problems: tuple[str, ...] = ()  # check digits, dates: reported, the values kept as read

    def get(self, ai: str) -> str | None:
        return next((e.value for e in self.elements if e.ai == ai), None)

    def hri(self) -> str:
        """The human-readable interpretation: ``(01)09501101530008(10)LOT1``."""
        return "".join(f"({e.ai}){e.value}" for e in self.elements)


def looks_like_gs1(text: str) -> bool:
    """True for a symbology identifier of a GS1 symbol, an HRI string, or raw data with GS separators
    that starts with a known AI."""
    if text.startswith(SYMBOLOGY_IDS):
        return True
    if _HRI.match(text) and _HRI.sub("", text) == "":
        return True
    return GS in text and _lookup(text.lstrip(GS)) is not None


def parse_gs1(text: str) -> Gs1Data:
    """Parse a GS1 element string in any of its three spellings. Raises ``Gs1Error`` in words."""
    if text.startswith(SYMBOLOGY_IDS):
        text = text[3:]
    if text.startswith("("):
        pairs = _HRI.findall(text)
        if not pairs or _HRI.sub("", text):
            raise Gs1Error("The bracketed GS1 text is not (AI)value(AI)value...")
        elements = []
        for code, value in pairs:
            ai = AIS.get(code)
            if ai is None:
                raise Gs1Error(f"({code}) is not an application identifier this tool knows.")
            elements.append(_element(ai, value))
    else:
        elements = _parse_raw(text.lstrip(GS))
    problems = tuple(p for e in elements if (p := _check(AIS[e.ai], e.value)))
    return Gs1Data(tuple(elements), problems)


def _lookup(data: str) -> AI | None:
    for n in (2, 3, 4):
        ai = AIS.get(data[:n])
        if ai is not None:
            return ai
    return None


def _parse_raw(data: str) -> list[Element]:
    elements = []
    pos = 0
    while pos < len(data):
        ai = _lookup(data[pos:])
        if ai is None:
            raise Gs1Error(f"No known application identifier at position {pos + 1}: {data[pos:pos + 4]!r}.")
        start = pos + len(ai.code)
        if ai.fixed:
            end = start + ai.length
            if end > len(data):
                raise Gs1Error(f"({ai.code}) {ai.title} needs {ai.length} characters; the data ends early.")
            nxt = end + 1 if data[end : end + 1] == GS else end  # a superfluous separator is tolerated
        else:
            gs = data.find(GS, start)
            end = len(data) if gs < 0 else gs
            nxt = end + 1
        elements.append(_element(ai, data[start:end]))
        pos = nxt
    if not elements:
        raise Gs1Error("The GS1 data is empty.")
    return elements


def _element(ai: AI, value: str) -> Element:
    if not value:
        raise Gs1Error(f"({ai.code}) {ai.title} is empty.")
    if len(value) > ai.length or (ai.fixed and len(value) != ai.length):
        raise Gs1Error(f"({ai.code}) {ai.title} has {len(value)} characters; it takes "
                       f"{'exactly' if ai.fixed else 'at most'} {ai.length}.")  # fmt: skip
    if ai.kind in ("n", "date") and not value.isdigit():
        raise Gs1Error(f"({ai.code}) {ai.title} must be digits: {value!r}.")
    return Element(ai.code, value, ai.title)


def _check(ai: AI, value: str) -> str | None:
    if ai.check_digit and check_digit(value[:-1]) != value[-1]:
        return f"({ai.code}) {ai.title} {value}: the check digit is wrong (should be {check_digit(value[:-1])})."
    if ai.kind == "date" and gs1_date(value) is None:
        return f"({ai.code}) {ai.title} {value} is not a date (YYMMDD)."
    return None


def check_digit(digits: str) -> str:
    """The GS1 mod-10 check digit for ``digits`` (weights 3,1,3,... from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


def gs1_date(value: str) -> date | None:
    """YYMMDD as a date in 2000-2099 (labels on meters are recent); DD 00 means the month's last day."""
    try:
        yy, mm, dd = int(value[0:2]), int(value[2:4]), int(value[4:6])
        if dd == 0:
            dd = calendar.monthrange(2000 + yy, mm)[1]
        return date(2000 + yy, mm, dd)
    except (ValueError, IndexError):  # calendar.IllegalMonthError is a ValueError
        return None
