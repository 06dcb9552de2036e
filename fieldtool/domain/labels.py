"""What a scanned or typed label says: the utility meter number (I1FR4), the manufacturer serial, packing
and pallet labels (I1FR3), Zigbee install-code labels. Pure: text in, a ``Label`` out, never an exception
for outside text -- what is not understood comes back as ``unrecognised`` with the reason.

The utility meter number follows a pattern each utility sets (a regular expression with named groups)
and code tables that say what each coded group means: which manufacturer, configuration, voltage and
communication type (I1FR4). The default is a 17-character AEP-style layout (docs/field-data.md A3):
``CC M SSSSSSSSS KK F V T`` = configuration (test-setup code), manufacturer, 9-digit manufacturer serial,
capabilities, form, voltage, communication type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fieldtool.domain.gs1 import Gs1Error, check_digit, looks_like_gs1, parse_gs1
from fieldtool.domain.packing import DEFAULT_INTERNAL_AIS, from_gs1, normalise, parse_key_values
from fieldtool.domain.zigbee_labels import InstallCodeError, parse_zigbee_label
from fieldtool.protocols.han.install_code import parse_install_code

DEFAULT_METER_PATTERN = (
    r"^(?P<configuration>[0-9A-Z]{2})(?P<manufacturer>[A-Z])(?P<serial>[0-9]{9})"
    r"(?P<capabilities>[0-9A-Z]{2})(?P<form>[0-9A-Z])(?P<voltage>[0-9A-Z])(?P<comm_type>[0-9A-Z])$"
)
DEFAULT_METER_CODES: dict[str, dict[str, str]] = {
    "manufacturer": {"L": "Landis+Gyr", "I": "Itron", "E": "Elster (Honeywell)", "S": "Sensus (Xylem)",
                     "G": "GE", "A": "Aclara", "K": "Kamstrup"},
    "configuration": {"1A": "Form 2S CL200 240 V self-contained", "1B": "Form 1S CL100 120 V",
                      "2A": "Form 12S CL200 120 V network", "3A": "Form 16S CL200 3-phase 4-wire wye",
                      "4A": "Form 9S CL20 transformer-rated 3-phase 4-wire wye"},
    "capabilities": {"00": "energy only", "01": "time of use", "02": "time of use + load profile",
                     "03": "time of use + load profile + demand", "04": "time of use + load profile + kvar"},
    "form": {"1": "1S", "2": "2S", "C": "12S", "G": "16S", "9": "9S"},
    "voltage": {"1": "120 V", "2": "240 V", "3": "120-480 V autoranging", "4": "277 V", "5": "480 V"},
    "comm_type": {"R": "RF mesh", "P": "power-line carrier", "G": "cellular (GPRS)", "N": "none (non-AMI)"},
}  # fmt: skip
DEFAULT_SERIAL_PATTERN = r"^(?:SN|S/N)?[ :]?(?P<serial>[0-9]{6,12})$"

KINDS = ("meter_number", "manufacturer_serial", "packing", "install_code", "unrecognised")


@dataclass(frozen=True)
class LabelRules:
    """A utility's label conventions (from the ``[scanning]`` configuration section)."""

    meter_number: re.Pattern
    meter_codes: dict[str, dict[str, str]]
    manufacturer_serial: re.Pattern
    gs1_internal_ais: dict[str, str]

    @classmethod
    def build(cls, *, meter_number_pattern: str = DEFAULT_METER_PATTERN,
              meter_number_codes: dict[str, dict[str, str]] | None = None,
              manufacturer_serial_pattern: str = DEFAULT_SERIAL_PATTERN,
              gs1_internal_ais: dict[str, str] | None = None) -> LabelRules:  # fmt: skip
        """Compile the patterns; a pattern that is not a valid regular expression raises ValueError."""
        try:
            meter = re.compile(meter_number_pattern)
            serial = re.compile(manufacturer_serial_pattern)
        except re.error as e:
            raise ValueError(f"A label pattern in the configuration is not a valid regular expression: {e}") from e
        codes = DEFAULT_METER_CODES if meter_number_codes is None else meter_number_codes
        ais = DEFAULT_INTERNAL_AIS if gs1_internal_ais is None else gs1_internal_ais
        return cls(meter, codes, serial, ais)


DEFAULT_RULES = LabelRules.build()


@dataclass(frozen=True)
class Label:
    """The reading of one label. ``fields`` holds plain values; ``meanings`` what coded fields stand for;
    ``problems`` what is wrong with a label that was recognised; ``reason`` why one was not."""

    kind: str
    text: str
    fields: dict = field(default_factory=dict)
    meanings: dict[str, str] = field(default_factory=dict)
    problems: tuple[str, ...] = ()
    reason: str | None = None

    @property
    def valid(self) -> bool:
        """Usable as it stands: recognised, and (for an install code) its CRC matches."""
        if self.kind == "unrecognised":
            return False
        if self.kind == "install_code":
            return self.fields.get("crc_ok") is not False and "install_code_error" not in self.fields
        return True

    def to_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text, "valid": self.valid, "fields": self.fields,
                "meanings": self.meanings, "problems": list(self.problems), "reason": self.reason}  # fmt: skip


def parse_label(text: str, *, gs1: bool | None = None, symbology: str | None = None,
                rules: LabelRules = DEFAULT_RULES) -> Label:  # fmt: skip
    """Read a label's text. ``gs1``: the decoder said the symbol is GS1 (True), not GS1 (False) or cannot
    tell (None); ``symbology`` as the decoder named it (an ITF-14 is read as a carton's GTIN)."""
    t = text.strip().strip("\x00")
    if not t:
        return Label("unrecognised", text, reason="The label is empty.")
    if not t.isprintable() and "\x1d" not in t and "\n" not in t:
        shown = t.encode("unicode_escape").decode("ascii")[:60]
        return Label("unrecognised", text, reason=f"The label contains control characters: {shown}")

    try:
        zigbee = parse_zigbee_label(t)
    except InstallCodeError as e:
        return Label("install_code", text, {"install_code_error": str(e)}, problems=(str(e),))
    if zigbee is not None:
        f = {"format": zigbee.format, "eui64": zigbee.eui64, "install_code": zigbee.install_code,
             "crc_ok": zigbee.crc_ok}  # fmt: skip
        if zigbee.link_key:
            f["link_key"] = zigbee.link_key
        return Label("install_code", text, f, problems=zigbee.problems)

    if gs1 or (gs1 is None and looks_like_gs1(t)) or (gs1 is False and t.startswith("(")):
        return _gs1_label(text, t, rules)

    kv = parse_key_values(t)
    if kv is not None:
        known, unknown = kv
        fields, problems = normalise(known)
        if unknown:
            fields["other"] = unknown
        return Label("packing", text, fields, problems=tuple(problems))

    m = rules.meter_number.match(t)
    if m:
        return _meter_number(text, t, m, rules)

    if symbology == "ITF" and len(t) == 14 and t.isdigit():
        problems = () if check_digit(t[:-1]) == t[-1] else (f"ITF-14 {t}: the check digit is wrong.",)
        return Label("packing", text, {"gtin": t}, problems=problems)

    m = rules.manufacturer_serial.match(t)
    if m:
        serial = m.groupdict().get("serial") or t
        return Label("manufacturer_serial", text, {"manufacturer_serial": serial})

    bare = _bare_install_code(t)
    if bare is not None:
        return bare
    return Label("unrecognised", text, reason=_why_not(t, rules))


def _gs1_label(text: str, t: str, rules: LabelRules) -> Label:
    try:
        data = parse_gs1(t)
    except Gs1Error as e:
        return Label("unrecognised", text, reason=f"GS1 data that cannot be read: {e}")
    fields, other, problems = from_gs1(data, rules.gs1_internal_ais)
    if other:
        fields["other_ais"] = other
    fields["gs1"] = data.hri()
    keys = set(fields) - {"gs1", "other_ais"}
    if keys == {"meter_number"}:
        m = rules.meter_number.match(fields["meter_number"])
        if m:
            label = _meter_number(text, fields["meter_number"], m, rules)
            return Label("meter_number", text, {**label.fields, "gs1": fields["gs1"]}, label.meanings,
                         label.problems + tuple(problems))  # fmt: skip
        return Label("meter_number", text, fields, problems=tuple(problems))
    if keys <= {"gtin", "manufacturer_serial"} and "manufacturer_serial" in keys:
        return Label("manufacturer_serial", text, fields, problems=tuple(problems))
    return Label("packing", text, fields, problems=tuple(problems))


def _meter_number(text: str, t: str, m: re.Match, rules: LabelRules) -> Label:
    groups = {k: v for k, v in m.groupdict().items() if v is not None}
    fields = {"meter_number": t, **groups}
    meanings: dict[str, str] = {}
    problems = []
    for name, value in groups.items():
        table = rules.meter_codes.get(name)
        if table is None:
            continue
        if value in table:
            meanings[name] = table[value]
        else:
            problems.append(f"The {name.replace('_', ' ')} code {value!r} is not in the utility's table.")
    return Label("meter_number", text, fields, meanings, tuple(problems))


def _bare_install_code(t: str) -> Label | None:
    """An install code alone (no EUI-64), or ``<EUI-64> <install code>``: only when the CRC matches,
    since bare hex could be anything."""
    parts = t.split()
    candidates = [(None, t)]
    if len(parts) == 2 and len(parts[0]) == 16:
        candidates.append((parts[0].upper(), parts[1]))
    for eui, code in candidates:
        try:
            ic = parse_install_code(code)
        except InstallCodeError:
            continue
        if ic.crc_ok:
            return Label("install_code", t, {"format": "bare", "eui64": eui, "install_code": ic.hex, "crc_ok": True})
    return None


def _why_not(t: str, rules: LabelRules) -> str:
    fixed = _fixed_length(rules.meter_number.pattern)
    detail = f" (the utility meter number has {fixed} characters; this has {len(t)})" if fixed and fixed != len(t) else ""
    return (f"Not a utility meter number{detail}, manufacturer serial, packing label (GS1 or key:value) or "
            f"install-code label.")  # fmt: skip


def _fixed_length(pattern: str) -> int | None:
    """The length every match of a simple pattern has (counted from its {n} quantifiers), if it is fixed."""
    body = re.sub(r"\(\?P<\w+>", "(", pattern).strip("^$")
    if re.search(r"[*+?]|\{\d+,", body):
        return None
    total = 0
    for m in re.finditer(r"(\[[^\]]*\]|\\.|[^()\[\]{}\\])(\{(\d+)\})?", body):
        total += int(m.group(3)) if m.group(3) else 1
    return total
