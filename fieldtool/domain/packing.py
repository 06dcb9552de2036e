"""Packing and pallet labels (I1FR3): the fields a meter carton or pallet carries, from GS1 data or from
a key:value text label. Pure.

I1FR3 lists: class, voltage, wire, cycles, test amps, Kh, catalog number, PO number and release,
quantity, meter form, born-on date, lot number, the utility meter numbers in the box and the
manufacturer serial. GS1 has standard AIs for some (SSCC 00, GTIN 01, lot 10, born-on 11, serial 21,
catalog 240, count 37, PO 400, GIAI 8004 for an asset number); the meter-specific ones travel in the
company-internal AIs 91-99, whose meaning each utility agrees with its vendors (``gs1_internal_ais``).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from fieldtool.domain.gs1 import Gs1Data, gs1_date

# Standard AIs -> packing field
STANDARD_AIS = {
    "00": "sscc",
    "01": "gtin",
    "02": "gtin",
    "10": "lot_number",
    "11": "born_on_date",
    "13": "pack_date",
    "21": "manufacturer_serial",
    "240": "catalog_number",
    "241": "catalog_number",
    "30": "quantity",
    "37": "quantity",
    "400": "po_number",
    "8004": "meter_number",
}

DEFAULT_INTERNAL_AIS = {
    "91": "meter_class",
    "92": "voltage",
    "93": "wire",
    "94": "cycles",
    "95": "test_amps",
    "96": "kh",
    "97": "form",
    "98": "po_release",
    "99": "meter_numbers",
}

FIELDS = (
    "meter_class", "voltage", "wire", "cycles", "test_amps", "kh", "catalog_number", "po_number", "po_release",
    "quantity", "form", "born_on_date", "lot_number", "meter_numbers", "manufacturer_serial", "meter_number",
    "sscc", "gtin", "pack_date",
)  # fmt: skip

# key:value spellings seen on carton labels -> field (keys compared lower-case without spaces, dots, _ and -)
KEY_ALIASES = {
    "class": "meter_class", "cl": "meter_class", "meterclass": "meter_class",
    "voltage": "voltage", "volt": "voltage", "volts": "voltage", "v": "voltage",
    "wire": "wire", "wires": "wire", "w": "wire",
    "cycles": "cycles", "hz": "cycles", "frequency": "cycles", "freq": "cycles",
    "testamps": "test_amps", "ta": "test_amps", "testamperes": "test_amps", "testamp": "test_amps",
    "kh": "kh",
    "catalog": "catalog_number", "catalognumber": "catalog_number", "cat": "catalog_number",
    "catno": "catalog_number", "catalogno": "catalog_number",
    "po": "po_number", "ponumber": "po_number", "purchaseorder": "po_number", "pono": "po_number",
    "release": "po_release", "rel": "po_release", "porelease": "po_release",
    "quantity": "quantity", "qty": "quantity", "count": "quantity",
    "form": "form", "meterform": "form",
    "bornon": "born_on_date", "bornondate": "born_on_date", "borndate": "born_on_date",
    "mfgdate": "born_on_date", "manufactured": "born_on_date",
    "lot": "lot_number", "lotnumber": "lot_number", "lotno": "lot_number", "batch": "lot_number",
    "meters": "meter_numbers", "meternumbers": "meter_numbers", "utilitymeternumbers": "meter_numbers",
    "serial": "manufacturer_serial", "sn": "manufacturer_serial", "mfgserial": "manufacturer_serial",
    "manufacturerserial": "manufacturer_serial", "serialnumber": "manufacturer_serial",
    "sscc": "sscc", "gtin": "gtin",
}  # fmt: skip

_PAIR_SPLIT = re.compile(r"[;\n\r|]+")
_KEY_CLEAN = re.compile(r"[\s._\-#]")


def _number(value: str) -> float | None:
    try:
        return float(value.strip().rstrip("VvAa").replace(",", "."))
    except ValueError:
        return None


def _date(value: str) -> date | None:
    v = value.strip()
    if re.fullmatch(r"\d{6}", v):
        return gs1_date(v)
    for fmt in ("%Y-%m-%d", "%m/%d/%Y", "%Y%m%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(v, fmt).date()
        except ValueError:
            pass
    return None


def normalise(fields: dict[str, str]) -> tuple[dict, list[str]]:
    """Typed values for the known fields, and problems in words (the raw value is kept when unusable)."""
    out: dict = {}
    problems: list[str] = []
    for name, raw in fields.items():
        value: object = raw.strip()
        if name in ("voltage", "test_amps", "kh"):
            n = _number(raw)
            if n is None:
                problems.append(f"{name.replace('_', ' ')} {raw!r} is not a number.")
            else:
                value = n
        elif name in ("wire", "cycles", "quantity"):
            if raw.strip().isdigit():
                value = int(raw.strip())
            else:
                problems.append(f"{name} {raw!r} is not a whole number.")
        elif name in ("born_on_date", "pack_date"):
            d = _date(raw)
            if d is None:
                problems.append(f"{name.replace('_', ' ')} {raw!r} is not a date.")
            else:
                value = d
        elif name == "meter_numbers":
            value = [m for m in re.split(r"[,\s]+", raw.strip()) if m]
        out[name] = value
    numbers = out.get("meter_numbers")
    qty = out.get("quantity")
    if isinstance(numbers, list) and isinstance(qty, int) and numbers and len(numbers) != qty:
        problems.append(f"The label lists {len(numbers)} meter numbers but a quantity of {qty}.")
    return out, problems


def from_gs1(data: Gs1Data, internal_ais: dict[str, str]) -> tuple[dict, dict[str, str], list[str]]:
    """Packing fields from GS1 data: (fields, other AIs by code, problems)."""
    raw: dict[str, str] = {}
    other: dict[str, str] = {}
    for e in data.elements:
        name = STANDARD_AIS.get(e.ai) or internal_ais.get(e.ai)
        if name:
            raw[name] = e.value
        else:
            other[e.ai] = e.value
    fields, problems = normalise(raw)
    return fields, other, list(data.problems) + problems


def parse_key_values(text: str) -> tuple[dict[str, str], dict[str, str]] | None:
    """``CLASS: 200; VOLT: 240; ...`` (separators ; | or new lines; ``:`` or ``=``) -> (known fields, unknown
    keys). None when the text is not key:value or fewer than two keys are packing fields."""
    known: dict[str, str] = {}
    unknown: dict[str, str] = {}
    parts = [p for p in _PAIR_SPLIT.split(text) if p.strip()]
    if len(parts) < 2:
        return None
    for part in parts:
        m = re.match(r"\s*([^:=]+?)\s*[:=]\s*(.*?)\s*$", part)
        if not m:
            return None
        key = _KEY_CLEAN.sub("", m.group(1).lower())
        name = KEY_ALIASES.get(key)
        if name:
            known[name] = m.group(2)
        else:
            unknown[m.group(1).strip()] = m.group(2)
    if len(known) < 2:
        return None
    return known, unknown
