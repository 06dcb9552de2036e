"""The meter's Energy Services Interface as a simulation: the Smart Energy trust center of the customer's HAN.

It keeps the join list (EUI64, link key, join window) and the device table (state, NWK address, LQI/RSSI,
clusters, counters), sees devices in pairing mode that are not on its list, queues Smart Energy commands as
ZCL frame bytes and records what became of each (acknowledged with the device's reply frame, delivered,
no acknowledgement, waiting for a sleepy device's poll, out of range). Devices join only with the right
key inside the join window, after their join delay; key establishment (CBKE) is an outcome of the ESI, not
computed. Time is handed in (seconds of the simulation), so tests step it; the meter simulator hands in
its own elapsed time.
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
    listed_at: float = 0.0
    device_type: int = 0


@dataclass
class TableEntry:
    eui64: str
    nwk: int
    state: str  # seen, listed, joined, key_established, interviewed, failed
    lqi: int = 0
    rssi_dbm: float = 0.0
    device_type: str = ""
    device_id: int = 0
    profile: int = 0
    smart_energy: bool = False
    sleepy: bool = False
    server_clusters: tuple[int, ...] = ()
    client_clusters: tuple[int, ...] = ()
    last_seen: float = 0.0
    failure: str = ""  # wrong_key, window_closed, key_establishment_failed
    tx_ok: int = 0
    tx_failed: int = 0
    rx: int = 0


@dataclass
class CommandResult:
    command_id: int
    eui64: str
    message: str  # publish_price, load_control_event, display_message
    status: str  # queued, waiting_for_poll, acknowledged, delivered, no_ack, asleep, out_of_range, not_joined
    ack_hex: str = ""
    at: float = 0.0
    cluster: int = 0
    frame: bytes = b""
    reply_cluster: int = 0
    queued_at: float = 0.0


NAMES = {se.PublishPrice: "publish_price", se.LoadControlEvent: "load_control_event",
         se.DisplayMessage: "display_message"}  # fmt: skip


def expects_ack(message) -> bool:
    return ((isinstance(message, se.PublishPrice) and message.ack_required)
            or isinstance(message, se.LoadControlEvent)
            or (isinstance(message, se.DisplayMessage) and message.confirmation_required))  # fmt: skip


@dataclass
class Esi:
    devices: dict[str, SimDevice] = field(default_factory=dict)  # what is physically there
    join_list: dict[str, JoinEntry] = field(default_factory=dict)
    table: dict[str, TableEntry] = field(default_factory=dict)
    results: list[CommandResult] = field(default_factory=list)
    log: list[tuple[float, str]] = field(default_factory=list)
    cbke_enabled: bool = True
    esi_eui64: str = "00137A00000E5100"
    channel: int = 20
    pan_id: int = 0x1A2B
    extended_pan_id: str = "00137A00000E5100"
    tx_packets: int = 0
    rx_packets: int = 0
    tx_failures: int = 0
    mac_retries: int = 0
    _next_nwk: int = 0x1A00
    _next_cmd: int = 1
    _seq: int = 0

    # --- provisioning ------------------------------------------------------------------------------------
    def add_to_join_list(self, eui64: str, link_key: bytes, window_s: float, now: float, device_type: int = 0) -> None:
        """Credentials handed to the ESI: the device may join with this key until the window closes."""
        if len(link_key) != 16:
            raise ValueError("a link key is 16 bytes")
        known = eui64 in self.join_list or (eui64 in self.table and self.table[eui64].state not in ("seen", "failed"))
        if not known and len(self.joined()) + len(self.join_list) >= MAX_DEVICES:
            raise OverflowError(f"the meter takes at most {MAX_DEVICES} HAN devices")
        entry = self.table.get(eui64)
        if entry and entry.state in ("seen", "failed"):
            del self.table[eui64]  # a new key and window: the device gets a fresh try
        self.join_list[eui64] = JoinEntry(eui64, link_key, now + window_s, now, device_type)
        self._note(now, f"join window open for {eui64} for {window_s:.0f} s")

    def joined(self) -> list[TableEntry]:
        return [e for e in self.table.values() if e.state in ("joined", "key_established", "interviewed")]

    def remove(self, eui64: str, now: float) -> None:
        self.join_list.pop(eui64, None)
        self.table.pop(eui64, None)
        self._note(now, f"{eui64} removed")

    def permit_join_left(self, now: float) -> float:
        return max([0.0] + [e.window_until - now for e in self.join_list.values()])

    # --- the radio world ---------------------------------------------------------------------------------
    def tick(self, now: float) -> None:
        """Devices in pairing mode and in range try to join; joined devices get interviewed; queued commands
        go out; windows that closed without a join are reported."""
        for eui, dev in self.devices.items():
            entry = self.table.get(eui)
            if entry and entry.state not in ("failed", "seen"):
                entry.lqi, entry.rssi_dbm = dev.lqi, round(dev.rssi_dbm, 1)
                if dev.in_range and (dev.awake or dev.poll_every_s):
                    entry.last_seen = now
                continue
            listed = self.join_list.get(eui)
            if listed is not None and now > listed.window_until:
                self.join_list.pop(eui)
                self._fail(eui, dev, "window_closed", now)
                continue
            if not (dev.pairing_mode and dev.in_range and dev.awake):
                continue
            if listed is None:
                if entry is None:  # a beacon request / association attempt from a device not on the list
                    self.table[eui] = TableEntry(eui, 0, "seen", dev.lqi, round(dev.rssi_dbm, 1), last_seen=now)
                    self._note(now, f"{eui} asks to join but is not on the join list")
                continue
            if now < listed.listed_at + dev.join_delay_s:
                continue
            if listed.link_key != dev.link_key:
                self.join_list.pop(eui)
                self._fail(eui, dev, "wrong_key", now)
            else:
                self._join(eui, dev, now)
        for r in self.results:
            if r.status in ("queued", "waiting_for_poll"):
                self._process(r, now, wait_for_poll=True)

    def _fail(self, eui: str, dev: SimDevice, reason: str, now: float) -> None:
        self.table[eui] = TableEntry(eui, 0, "failed", dev.lqi, round(dev.rssi_dbm, 1), failure=reason, last_seen=now)
        self._note(now, f"{eui} join refused: {reason}")

    def _join(self, eui: str, dev: SimDevice, now: float) -> None:
        self._next_nwk += 1
        dev.joined, dev.nwk = True, self._next_nwk
        self.join_list.pop(eui, None)
        entry = TableEntry(eui, dev.nwk, "joined", dev.lqi, round(dev.rssi_dbm, 1), last_seen=now)
        self.table[eui] = entry
        self.rx_packets += 4  # association, transport key, device announce, key establishment
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
        self.tx_packets += 2
        self.rx_packets += 2
        entry.state = "interviewed"
        entry.device_type, entry.device_id, entry.profile = result.device_type, sd.device_id, sd.profile
        entry.smart_energy = result.smart_energy
        entry.sleepy = node.sleepy
        entry.server_clusters, entry.client_clusters = sd.server_clusters, sd.client_clusters
        self._note(now, f"{entry.eui64} interviewed: {entry.device_type}")

    def place_existing(self, dev: SimDevice, now: float) -> None:
        """A device already on the customer's HAN (commissioned by the customer, or joined long ago)."""
        self.devices[dev.eui64] = dev
        self._next_nwk += 1
        dev.joined, dev.nwk = True, self._next_nwk
        entry = TableEntry(dev.eui64, dev.nwk, "key_established", dev.lqi, round(dev.rssi_dbm, 1), last_seen=now)
        self.table[dev.eui64] = entry
        self._interview(entry, dev, now)

    # --- commands ----------------------------------------------------------------------------------------
    def enqueue(self, eui64: str, cluster: int, frame: bytes, now: float, command_id: int | None = None) -> CommandResult:
        """A ZCL frame for a device, as the tool wrote it to the command queue. Idempotent by command id
        (the tool may write the same queue twice after a lost acknowledgement)."""
        if command_id is not None:
            for r in self.results:
                if r.command_id == command_id and r.eui64 == eui64:
                    return r
        else:
            command_id = self._next_cmd
        self._next_cmd = max(self._next_cmd, command_id) + 1
        try:
            _, message = se.decode(cluster, frame)
            name = NAMES.get(type(message), "unknown")
        except se.HanProtocolError as e:
            r = CommandResult(command_id, eui64, "unknown", "refused", at=now, cluster=cluster, frame=frame,
                              queued_at=now)  # fmt: skip
            self.results.append(r)
            self._note(now, f"command {command_id} refused: {e}")
            return r
        r = CommandResult(command_id, eui64, name, "queued", at=now, cluster=cluster, frame=frame, queued_at=now)
        self.results.append(r)
        del self.results[:-64]  # the status table keeps the newest commands
        return r

    def send(self, eui64: str, message, now: float) -> CommandResult:
        """Deliver a Smart Energy message now (no waiting for a sleepy device's poll) and record the outcome."""
        self._seq = (self._seq + 1) & 0xFF
        r = self.enqueue(eui64, int(message.CLUSTER), se.encode(message, self._seq), now)
        self._process(r, now, wait_for_poll=False)
        return r

    def _process(self, r: CommandResult, now: float, *, wait_for_poll: bool) -> None:
        entry, dev = self.table.get(r.eui64), self.devices.get(r.eui64)
        _, message = se.decode(r.cluster, r.frame)  # over the air as bytes
        if entry is None or entry.state != "interviewed" or dev is None:
            self._finish(r, "not_joined", now)
            return
        if not dev.in_range:
            entry.tx_failed += 1
            self.tx_failures += 1
            self.mac_retries += 3
            self._finish(r, "out_of_range", now)
            return
        if not dev.awake:
            polled = dev.poll_every_s is not None and now - r.queued_at >= dev.poll_every_s
            if not polled:
                if wait_for_poll:
                    r.status = "waiting_for_poll"  # held in the parent's indirect queue until the device polls
                else:
                    entry.tx_failed += 1
                    self._finish(r, "asleep", now)
                return
        self.tx_packets += 1
        ack = dev.take(message, r.frame[1] if r.frame else 0, int(now))
        entry.tx_ok += 1
        entry.last_seen = now
        if ack is None:
            self._finish(r, "no_ack" if expects_ack(message) else "delivered", now)
            return
        self.rx_packets += 1
        entry.rx += 1
        r.ack_hex, r.reply_cluster = ack.hex().upper(), r.cluster
        self._finish(r, "acknowledged", now)

    def _finish(self, r: CommandResult, status: str, now: float) -> None:
        r.status, r.at = status, now
        self._note(now, f"{r.message} to {r.eui64}: {status}")

    def _note(self, now: float, text: str) -> None:
        self.log.append((now, text))
        del self.log[:-500]
