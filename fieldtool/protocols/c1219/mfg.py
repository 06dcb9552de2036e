"""Manufacturer tables shared by MeterLink and the simulated meters (documented in docs/manufacturer-tables.md).

C12.19 leaves these to each vendor; real meters put nameplate, installation record, radio status and logs in
manufacturer tables (MT n = table id 2048 + n) at vendor-specific numbers. Here every table is a record of
typed fields, encoded with the meter's ST0 ``Format`` (byte order, character format, time format, id form),
and each vendor profile places the tables at its own MT numbers (``MFG_MAPS``, chosen by the ST1
manufacturer code). Field types: ``s:N`` STRING(N), ``id:N`` STRING(N) or BCD(N/2) by ID_FORM, ``b:N``
BINARY(N), ``u8``/``u16``/``u32`` unsigned, ``i8``/``i32`` signed, ``lt`` LTIME_DATE, ``ni`` NI_FMAT1.
A table with ``entry`` fields is a count (``u16``) followed by that many entries.
"""

from __future__ import annotations

from dataclasses import dataclass

from fieldtool.protocols.c1218.errors import ProtocolError
from fieldtool.protocols.c1219.datatypes import Format
from fieldtool.protocols.c1219.procedures import ProcedureInitiate


@dataclass(frozen=True)
class RecordSpec:
    name: str
    fields: tuple[tuple[str, str], ...]  # the fixed part
    entry: tuple[tuple[str, str], ...] = ()  # repeated part after a u16 count

    def size(self, fmt: Format, n_entries: int = 0) -> int:
        fixed = sum(field_size(t, fmt) for _, t in self.fields)
        if not self.entry:
            return fixed
        return fixed + 2 + n_entries * sum(field_size(t, fmt) for _, t in self.entry)

    def encode(self, values: dict, fmt: Format) -> bytes:
        out = b"".join(pack_field(t, values.get(n), fmt) for n, t in self.fields)
        if self.entry:
            entries = values.get("entries", [])
            out += fmt.pack_uint(len(entries), 2)
            for e in entries:
                out += b"".join(pack_field(t, e.get(n), fmt) for n, t in self.entry)
        return out

    def decode(self, raw: bytes, fmt: Format) -> dict:
        at = 0

        def take(t: str):
            nonlocal at
            n = field_size(t, fmt)
            if at + n > len(raw):
                raise ProtocolError(f"The meter's {self.name} table is {len(raw)} bytes, shorter than its layout.")
            at += n
            return unpack_field(t, raw[at - n : at], fmt)

        out = {n: take(t) for n, t in self.fields}
        if self.entry:
            count = take("u16")
            out["entries"] = [{n: take(t) for n, t in self.entry} for _ in range(count)]
        return out


def field_size(t: str, fmt: Format) -> int:
    kind, _, n = t.partition(":")
    if kind in ("s", "b"):
        return int(n)
    if kind == "id":
        return fmt.ident_len(int(n))
    return {"u8": 1, "i8": 1, "u16": 2, "u32": 4, "i32": 4, "lt": fmt.ltime_len, "ni": fmt.ni_len(1)}[kind]


def pack_field(t: str, v, fmt: Format) -> bytes:
    kind, _, n = t.partition(":")
    size = field_size(t, fmt)
    if kind == "s":
        return fmt.pack_string(v or "", size)
    if kind == "id":
        return fmt.pack_ident(v or "", int(n))
    if kind == "b":
        return bytes(v or b"")[:size].ljust(size, b"\x00")
    if kind in ("u8", "u16", "u32"):
        return fmt.pack_uint(int(v or 0), size)
    if kind in ("i8", "i32"):
        return fmt.pack_int(int(v or 0), size)
    if kind == "lt":
        return fmt.pack_ltime(v) if v else bytes(size)
    return fmt.pack_ni(float(v or 0.0), 1)


def unpack_field(t: str, b: bytes, fmt: Format):
    kind = t.partition(":")[0]
    if kind == "s":
        return fmt.string(b)
    if kind == "id":
        return fmt.ident(b)
    if kind == "b":
        return bytes(b)
    if kind in ("u8", "u16", "u32"):
        return fmt.uint(b)
    if kind in ("i8", "i32"):
        return fmt.int(b)
    if kind == "lt":
        return None if not any(b) else fmt.ltime(b)
    return fmt.ni(b, 1)


NAMEPLATE = RecordSpec("nameplate", (
    ("form", "s:4"), ("meter_class", "u16"), ("voltage_min", "u16"), ("voltage_max", "u16"), ("wiring", "u8"),
    ("frequency_hz", "u8"), ("test_amps_x10", "u16"), ("kh_x100", "u16"), ("elements", "u8"), ("ct_rated", "u8"),
    ("status_monitored", "u16"),
))  # fmt: skip
WIRING = {0: "1-phase 2-wire", 1: "1-phase 3-wire", 2: "network", 3: "3-phase 4-wire wye", 4: "3-phase 3-wire delta",
          5: "3-phase 4-wire delta"}  # fmt: skip

INSTALL_RECORD = RecordSpec("installation record", (
    ("service_point_id", "s:20"), ("work_order_id", "s:20"), ("removed_meter_id", "s:20"),
    ("removed_final_read_milli", "i32"), ("installer_id", "s:12"), ("installed_at", "lt"), ("latitude_e7", "i32"),
    ("longitude_e7", "i32"), ("customer_id", "s:20"),
))  # fmt: skip

REGISTRATION_STATES = {0: "not_started", 1: "scanning", 2: "joining", 3: "registered", 4: "failed", 5: "lost"}
NETWORK_STATUS = RecordSpec("network interface status", (
    ("state", "u8"), ("comm_address", "b:8"), ("rssi_dbm", "i8"), ("neighbours", "u8"), ("last_attempt", "lt"),
    ("registered_since", "lt"), ("attempts", "u16"),
))  # fmt: skip

PROGRAM_ID = RecordSpec("program id", (
    ("program_id", "s:16"), ("program_crc", "u16"), ("factory_default", "u8"), ("loaded_at", "lt"),
))  # fmt: skip
# Program load: the tool writes the image, then runs manufacturer procedure MP_ACTIVATE_PROGRAM.
PROGRAM_LOAD = RecordSpec("program load", (
    ("program_id", "s:16"), ("program_crc", "u16"), ("demand_interval_min", "u8"), ("subintervals", "u8"),
    ("lp_interval_min", "u8"),
), entry=(("start_minute", "u16"), ("tier", "u8")))  # fmt: skip
MP_ACTIVATE_PROGRAM = 1

EVENT_LOG = RecordSpec("event log", (), entry=(("time", "lt"), ("code", "u16"), ("argument", "u16")))
EVENT_CODES = {1: "power_up", 2: "power_down", 3: "clock_set", 4: "program_loaded", 5: "install_info_written",
               6: "status_cleared", 7: "tamper", 8: "registered", 9: "registration_lost", 10: "self_test",
               11: "switch_operated"}  # fmt: skip

SIGNAL_LOG = RecordSpec("signal-strength log", (), entry=(("time", "lt"), ("rssi_dbm", "i8"), ("link_quality", "u8")))

# The meter's HAN ESI (Zigbee Smart Energy trust center). The tool hands credentials over in the join list
# (EUI-64 as printed, the AES-MMO link key of the install code, the join window); the ESI reports its radio
# in ``han_network`` and every device it knows in ``han_devices``; Smart Energy messages go through a
# command queue: the tool writes ZCL frames (real bytes) to ``han_commands`` and reads what became of them,
# with the device's reply frame, from ``han_command_status``. EUI-64s are 8 bytes OUI first; cluster lists
# are 8 little-endian cluster ids padded with 0xFFFF (Zigbee order, whatever the meter's data order).
HAN_JOIN_LIST = RecordSpec("HAN ESI join list", (), entry=(
    ("eui64", "b:8"), ("link_key", "b:16"), ("window_s", "u32"), ("device_type", "u16"),
))  # fmt: skip
HAN_DEVICES = RecordSpec("HAN ESI device table", (), entry=(
    ("eui64", "b:8"), ("nwk", "u16"), ("state", "u8"), ("failure", "u8"), ("profile", "u16"),
    ("device_type", "u16"), ("sleepy", "u8"), ("lqi", "u8"), ("rssi_dbm", "i8"), ("last_seen", "lt"),
    ("window_left_s", "u32"), ("tx_ok", "u16"), ("tx_failed", "u16"), ("rx", "u16"),
    ("server_clusters", "b:16"), ("client_clusters", "b:16"),
))  # fmt: skip
HAN_DEVICE_STATES = {0: "listed", 1: "joined", 2: "key_established", 3: "interviewed", 4: "failed", 5: "left",
                     6: "seen"}  # seen: asks to join, not on the join list
HAN_FAILURES = {0: "", 1: "wrong_key", 2: "window_closed", 3: "key_establishment_failed", 4: "out_of_range",
                5: "incompatible", 6: "esi_refused"}  # fmt: skip
HAN_NETWORK = RecordSpec("HAN ESI network", (
    ("esi_eui64", "b:8"), ("channel", "u8"), ("pan_id", "u16"), ("extended_pan_id", "b:8"), ("state", "u8"),
    ("permit_join_s", "u32"), ("max_devices", "u8"), ("devices", "u8"), ("tx_packets", "u32"),
    ("rx_packets", "u32"), ("tx_failures", "u32"), ("mac_retries", "u32"),
))  # fmt: skip
HAN_NETWORK_STATES = {0: "off", 1: "forming", 2: "up"}
HAN_FRAME_MAX = 80  # a Publish Price is 49 bytes, a Display Message at most 71
HAN_COMMANDS = RecordSpec("HAN ESI command queue", (), entry=(
    ("command_id", "u16"), ("eui64", "b:8"), ("cluster", "u16"), ("frame_len", "u8"), ("frame", f"b:{HAN_FRAME_MAX}"),
))  # fmt: skip
HAN_COMMAND_STATUS = RecordSpec("HAN ESI command status", (), entry=(
    ("command_id", "u16"), ("eui64", "b:8"), ("cluster", "u16"), ("status", "u8"), ("at", "lt"),
    ("reply_cluster", "u16"), ("reply_len", "u8"), ("reply", f"b:{HAN_FRAME_MAX}"),
))  # fmt: skip
HAN_COMMAND_STATES = {0: "queued", 1: "waiting_for_poll", 2: "delivered", 3: "acknowledged", 4: "no_ack",
                      5: "asleep", 6: "out_of_range", 7: "not_joined", 8: "refused"}  # fmt: skip
HAN_COMMAND_FINAL = {"delivered", "acknowledged", "no_ack", "asleep", "out_of_range", "not_joined", "refused"}


def pack_clusters(clusters) -> bytes:
    ids = list(clusters)[:8]
    return b"".join(int(c).to_bytes(2, "little") for c in ids) + b"\xff\xff" * (8 - len(ids))


def unpack_clusters(raw: bytes) -> list[int]:
    ids = [int.from_bytes(raw[i : i + 2], "little") for i in range(0, len(raw) - 1, 2)]
    return [c for c in ids if c != 0xFFFF]


PULSE_OUTPUTS = RecordSpec("pulse outputs", (), entry=(
    ("source_index", "u8"), ("wh_per_pulse_x100", "u16"), ("enabled", "u8"),
))  # fmt: skip
INSTANTANEOUS = RecordSpec("instantaneous values", (
    ("kw", "ni"), ("kvar", "ni"), ("kva", "ni"), ("power_factor", "ni"), ("voltage_a", "ni"), ("voltage_b", "ni"),
    ("voltage_c", "ni"), ("current_a", "ni"), ("current_b", "ni"), ("current_c", "ni"),
))  # fmt: skip
INTERVAL_DATA = RecordSpec("interval data", (
    ("interval_min", "u8"), ("channels", "u8"), ("last_end", "lt"),
), entry=(("wh_delivered", "i32"), ("wh_received", "i32")))  # fmt: skip

# The service (disconnect) switch of residential meters: the tool runs manufacturer procedure
# MP_SERVICE_SWITCH through ST7/ST8 with one parameter byte (the action); ST8 result 0 means the meter took
# the command and drives the relay, which takes its settle time to move; the outcome is then read from the
# switch-status table (``result`` in_progress until the relay has moved or is found stuck). A meter without a
# switch answers the procedure with result 6 (unrecognized procedure).
MP_SERVICE_SWITCH = 2
SWITCH_ACTIONS = {"open": 0, "close": 1, "arm": 2}
SWITCH_STATES = {0: "closed", 1: "open", 2: "armed"}
SWITCH_OPERATIONS = {0: "none", 1: "open", 2: "close", 3: "arm"}
SWITCH_RESULTS = {0: "none", 1: "in_progress", 2: "succeeded", 3: "stuck", 4: "refused_load_voltage"}
SWITCH_STATUS = RecordSpec("service switch status", (
    ("state", "u8"), ("last_operation", "u8"), ("result", "u8"), ("load_voltage", "u8"), ("operations", "u32"),
    ("last_operation_at", "lt"),
))  # fmt: skip


def switch_procedure(action: str, seq: int) -> ProcedureInitiate:
    """MP_SERVICE_SWITCH with its action byte (``open``, ``close`` or ``arm``)."""
    if action not in SWITCH_ACTIONS:
        raise ValueError(f"service switch action must be one of {sorted(SWITCH_ACTIONS)}, not {action!r}")
    return ProcedureInitiate(MP_SERVICE_SWITCH, seq, bytes([SWITCH_ACTIONS[action]]), mfg=True)


def parse_switch_procedure(params: bytes) -> str | None:
    """The action of MP_SERVICE_SWITCH parameters (the meter's side); None when absent or unknown."""
    if len(params) != 1:
        return None
    return {v: k for k, v in SWITCH_ACTIONS.items()}.get(params[0])


SPECS = {
    "nameplate": NAMEPLATE, "install_record": INSTALL_RECORD, "network_status": NETWORK_STATUS,
    "program_id": PROGRAM_ID, "program_load": PROGRAM_LOAD, "event_log": EVENT_LOG, "signal_log": SIGNAL_LOG,
    "han_join_list": HAN_JOIN_LIST, "han_devices": HAN_DEVICES, "pulse_outputs": PULSE_OUTPUTS,
    "han_network": HAN_NETWORK, "han_commands": HAN_COMMANDS, "han_command_status": HAN_COMMAND_STATUS,
    "instantaneous": INSTANTANEOUS, "interval_data": INTERVAL_DATA, "switch_status": SWITCH_STATUS,
}  # fmt: skip


@dataclass(frozen=True)
class MfgMap:
    """Where one vendor keeps each shared manufacturer table (MT numbers, local: the id is 2048 + n)."""

    tables: dict[str, int]

    def table_id(self, name: str) -> int | None:
        n = self.tables.get(name)
        return None if n is None else 2048 + n

    def name_of(self, table_id: int) -> str | None:
        return next((k for k, v in self.tables.items() if 2048 + v == table_id), None)


_BASE = ("nameplate", "install_record", "network_status", "program_id", "program_load", "event_log",
         "signal_log", "han_join_list", "han_devices", "interval_data", "han_network", "han_commands",
         "han_command_status")  # fmt: skip
# The CIRR commercial CT meter has no service switch (its load is switched by the customer's breakers).
MFG_MAPS: dict[str, MfgMap] = {
    "ACME": MfgMap({**{n: i for i, n in enumerate(_BASE)}, "switch_status": 13}),
    "BORX": MfgMap({**{n: 64 + i for i, n in enumerate(_BASE)}, "switch_status": 77}),
    "CIRR": MfgMap({**{n: 110 + 2 * i for i, n in enumerate(_BASE)}, "pulse_outputs": 140, "instantaneous": 141}),
}


def mfg_map(manufacturer: str) -> MfgMap:
    try:
        return MFG_MAPS[manufacturer.strip().upper()]
    except KeyError:
        raise ProtocolError(
            f"The tool does not know where manufacturer '{manufacturer}' keeps its installation tables.",
            hint="Only standard tables can be read from this meter; ask for a vendor profile to be added.",
        ) from None


def decode(name: str, raw: bytes, fmt: Format) -> dict:
    return SPECS[name].decode(raw, fmt)


def encode(name: str, values: dict, fmt: Format) -> bytes:
    return SPECS[name].encode(values, fmt)
