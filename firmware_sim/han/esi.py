"""The meter's Energy Services Interface as a simulation: the Smart Energy trust center of the customer's HAN.

It keeps the join list (EUI64, link key, join window) and the device table (state, NWK address, LQI/RSSI,
clusters, counters), queues commands to devices and records their acknowledgements. Devices join only with
the right key inside the join window; key establishment (CBKE) is an outcome of the ESI, not computed.
Time is handed in (seconds of the simulation), so tests step it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fieldtool.protocols.han import interview as iv
from fieldtool.protocols.han import se
from firmware_sim.han.devices import SimDevice

MAX_DEVICES = 10


@dataclass
class JoinEntry:
    eui64: str
    link_key: bytes
    window_until: float


@dataclass
class TableEntry:
    eui64: str
    nwk: int
    state: str  # joined, key_established, interviewed, failed
    lqi: int = 0
    rssi_dbm: float = 0.0
    device_type: str = ""
    smart_energy: bool = False
    sleepy: bool = False
    server_clusters: tuple[int, ...] = ()
    client_clusters: tuple[int, ...] = ()
    last_seen: float = 0.0
    failure: str = ""  # wrong_key, window_closed, key_establishment_failed
    tx_ok: int = 0
    tx_failed: int = 0


@dataclass
class CommandResult:
    command_id: int
    eui64: str
    message: str  # publish_price, load_control_event, display_message
    status: str  # acknowledged, delivered (no ack expected), no_ack, asleep, out_of_range, not_joined
    ack_hex: str = ""
    at: float = 0.0


@dataclass
class Esi:
    devices: dict[str, SimDevice] = field(default_factory=dict)  # what is physically there
    join_list: dict[str, JoinEntry] = field(default_factory=dict)
    table: dict[str, TableEntry] = field(default_factory=dict)
    results: list[CommandResult] = field(default_factory=list)
    log: list[tuple[float, str]] = field(default_factory=list)
    cbke_enabled: bool = True
    _next_nwk: int = 0x1A00
    _next_cmd: int = 1
    _seq: int = 0

    # --- provisioning ------------------------------------------------------------------------------------
    def add_to_join_list(self, eui64: str, link_key: bytes, window_s: float, now: float) -> None:
        """Credentials handed to the ESI: the device may join with this key until the window closes."""
        if len(link_key) != 16:
            raise ValueError("a link key is 16 bytes")
        if eui64 not in self.join_list and len(self.table) + len(self.join_list) >= MAX_DEVICES:
            raise OverflowError(f"the meter takes at most {MAX_DEVICES} HAN devices")
        self.join_list[eui64] = JoinEntry(eui64, link_key, now + window_s)
        self._note(now, f"join window open for {eui64} for {window_s:.0f} s")

    def remove(self, eui64: str, now: float) -> None:
        self.join_list.pop(eui64, None)
        self.table.pop(eui64, None)
        self._note(now, f"{eui64} removed")

    # --- the radio world ---------------------------------------------------------------------------------
    def tick(self, now: float) -> None:
        """Devices in pairing mode and in range try to join; joined devices get interviewed."""
        for eui, dev in self.devices.items():
            entry = self.table.get(eui)
            if entry and entry.state != "failed":
                entry.lqi, entry.rssi_dbm = dev.lqi, round(dev.rssi_dbm, 1)
                if dev.in_range and dev.awake:
                    entry.last_seen = now
                continue
            if not (dev.pairing_mode and dev.in_range and dev.awake):
                continue
            listed = self.join_list.get(eui)
            if listed is None:
                continue  # the ESI does not permit it
            if now > listed.window_until:
                self._fail(eui, dev, "window_closed", now)
            elif listed.link_key != dev.link_key:
                self._fail(eui, dev, "wrong_key", now)
            else:
                self._join(eui, dev, now)

    def _fail(self, eui: str, dev: SimDevice, reason: str, now: float) -> None:
        prev = self.table.get(eui)
        if prev and prev.failure == reason:
            return
        self.table[eui] = TableEntry(eui, 0, "failed", dev.lqi, round(dev.rssi_dbm, 1), failure=reason, last_seen=now)
        self._note(now, f"{eui} join refused: {reason}")

    def _join(self, eui: str, dev: SimDevice, now: float) -> None:
        self._next_nwk += 1
        dev.joined, dev.nwk = True, self._next_nwk
        self.join_list.pop(eui, None)
        entry = TableEntry(eui, dev.nwk, "joined", dev.lqi, round(dev.rssi_dbm, 1), last_seen=now)
        self.table[eui] = entry
        self._note(now, f"{eui} joined as 0x{dev.nwk:04X}")
        if not (self.cbke_enabled and dev.cbke_ok) and dev.smart_energy:
            entry.state, entry.failure = "failed", "key_establishment_failed"
            self._note(now, f"{eui} key establishment failed")
            return
        entry.state = "key_established"
        self._interview(entry, dev, now)

    def _interview(self, entry: TableEntry, dev: SimDevice, now: float) -> None:
        """The ZDO interview, through the same descriptor bytes a real device sends."""
        node = iv.parse_node_desc_rsp(iv.node_desc_rsp(1, dev.nwk, dev.node))
        sd = iv.parse_simple_desc_rsp(iv.simple_desc_rsp(2, dev.nwk, dev.descriptor))
        result = iv.InterviewResult(node, (sd,))
        entry.state = "interviewed"
        entry.device_type = result.device_type
        entry.smart_energy = result.smart_energy
        entry.sleepy = node.sleepy
        entry.server_clusters, entry.client_clusters = sd.server_clusters, sd.client_clusters
        self._note(now, f"{entry.eui64} interviewed: {entry.device_type}")

    def place_existing(self, dev: SimDevice, now: float) -> None:
        """A device already on the customer's HAN (scenario 3.3) — e.g. a door sensor joined long ago."""
        self.devices[dev.eui64] = dev
        self._next_nwk += 1
        dev.joined, dev.nwk = True, self._next_nwk
        entry = TableEntry(dev.eui64, dev.nwk, "key_established", dev.lqi, round(dev.rssi_dbm, 1), last_seen=now)
        self.table[dev.eui64] = entry
        self._interview(entry, dev, now)

    # --- commands ----------------------------------------------------------------------------------------
    def send(self, eui64: str, message, now: float) -> CommandResult:
        """Deliver a Smart Energy message to a joined device and record what came back."""
        cmd_id = self._next_cmd
        self._next_cmd += 1
        name = {se.PublishPrice: "publish_price", se.LoadControlEvent: "load_control_event",
                se.DisplayMessage: "display_message"}[type(message)]
        entry, dev = self.table.get(eui64), self.devices.get(eui64)
        if entry is None or entry.state != "interviewed" or dev is None:
            result = CommandResult(cmd_id, eui64, name, "not_joined", at=now)
        elif (why := dev.reachable()) is not None:
            entry.tx_failed += 1
            result = CommandResult(cmd_id, eui64, name, why, at=now)
        else:
            self._seq = (self._seq + 1) & 0xFF
            frame = se.encode(message, self._seq)
            _, delivered = se.decode(message.CLUSTER, frame)  # over the air as bytes
            ack = dev.take(delivered, self._seq, int(now))
            entry.tx_ok += 1
            entry.last_seen = now
            if ack is None:
                expects_ack = (isinstance(message, se.PublishPrice) and message.ack_required) or isinstance(
                    message, se.LoadControlEvent) or (isinstance(message, se.DisplayMessage)
                                                      and message.confirmation_required)
                result = CommandResult(cmd_id, eui64, name, "no_ack" if expects_ack else "delivered", at=now)
            else:
                result = CommandResult(cmd_id, eui64, name, "acknowledged", ack.hex().upper(), now)
        self.results.append(result)
        self._note(now, f"{name} to {eui64}: {result.status}")
        return result

    def _note(self, now: float, text: str) -> None:
        self.log.append((now, text))
