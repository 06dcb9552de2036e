"""Paths to the customer's HAN behind one synchronous interface, ``HanTransport``.

The field tool is never the trust center: it hands credentials to the meter's ESI and observes. A transport
enumerates the HAN interfaces the ESI has (3.4 step 2), lists the devices it knows or sees (state, LQI/RSSI,
clusters, packet counters), hands over a device's EUI-64 + link key with a join window, queues Smart Energy
messages as ZCL frame bytes and reports what became of them with the device's reply frame.

``OpticalHanTransport`` reaches the ESI through the optical port (the HAN manufacturer tables of
``protocols.c1219.mfg`` over ``MeterLink``). Threading: calls block; MeterLink runs them on its port worker.
Timeouts (I1NFR4/I1NFR5) are the service's to apply with the injected clock; ``timeout_s`` and
``join_timeout_s`` say which apply to this path.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime

from fieldtool.devices.han_settings import HanSettings
from fieldtool.protocols.c1219 import mfg
from fieldtool.protocols.han import se
from fieldtool.protocols.han.install_code import normalise_eui64
from fieldtool.protocols.han.interview import PROGRAM_CLUSTERS


@dataclass(frozen=True)
class HanInterface:
    """One HAN network interface of the ESI (I1FR42: scan for HAN networks)."""

    path: str  # optical | remote
    esi_eui64: str
    channel: int
    pan_id: int
    extended_pan_id: str
    state: str  # off, forming, up
    permit_join_s: int
    max_devices: int
    devices: int
    counters: dict = field(default_factory=dict)  # tx_packets, rx_packets, tx_failures, mac_retries


@dataclass(frozen=True)
class HanDeviceStatus:
    """One device as the ESI knows it (I1FR42 discovery, I1FR44 data)."""

    eui64: str
    state: str  # seen, listed, joined, key_established, interviewed, failed, left
    failure: str = ""  # wrong_key, window_closed, key_establishment_failed, out_of_range, incompatible, esi_refused
    nwk: int = 0
    profile: int = 0
    device_id: int = 0
    sleepy: bool = False
    lqi: int = 0
    rssi_dbm: int = 0
    last_seen: datetime | None = None
    window_left_s: int = 0
    tx_ok: int = 0
    tx_failed: int = 0
    rx: int = 0
    server_clusters: tuple[int, ...] = ()
    client_clusters: tuple[int, ...] = ()

    @property
    def smart_energy(self) -> bool:
        return self.profile == se.PROFILE_SE

    @property
    def device_type(self) -> str:
        if self.state not in ("interviewed",):
            return "unknown"
        if not self.smart_energy:
            return "not smart energy"
        try:
            return se.DeviceType(self.device_id).name.lower()
        except ValueError:
            return f"0x{self.device_id:04X}"

    @property
    def programs(self) -> list[str]:
        """Programs it can take part in, by its Smart Energy client clusters (I1FR42 capabilities)."""
        if not self.smart_energy:
            return []
        return [p for p, c in PROGRAM_CLUSTERS.items() if c in self.client_clusters]

    def to_json(self) -> dict:
        return {"eui64": self.eui64, "state": self.state, "failure": self.failure or None, "nwk": f"{self.nwk:04X}",
                "device_type": self.device_type, "smart_energy": self.smart_energy, "sleepy": self.sleepy,
                "lqi": self.lqi, "rssi_dbm": self.rssi_dbm,
                "last_seen": self.last_seen.isoformat() if self.last_seen else None,
                "window_left_s": self.window_left_s, "programs": self.programs,
                "packets": {"tx_ok": self.tx_ok, "tx_failed": self.tx_failed, "rx": self.rx},
                "server_clusters": [f"{c:04X}" for c in self.server_clusters],
                "client_clusters": [f"{c:04X}" for c in self.client_clusters]}  # fmt: skip


@dataclass(frozen=True)
class CommandStatus:
    command_id: int
    eui64: str
    cluster: int
    status: str  # queued, waiting_for_poll, delivered, acknowledged, no_ack, asleep, out_of_range, not_joined, refused
    at: datetime | None
    reply: bytes = b""

    @property
    def final(self) -> bool:
        return self.status in mfg.HAN_COMMAND_FINAL

    def reply_message(self):
        """The device's reply (Price Acknowledgement, Report Event Status, Message Confirmation) decoded."""
        return se.decode(self.cluster, self.reply)[1] if self.reply else None


class HanTransport(ABC):
    """The interface every path to the HAN implements. Every method may raise ``UserFacingError``."""

    path = ""
    timeout_s = 10.0
    join_timeout_s = 30.0

    @abstractmethod
    def interfaces(self) -> list[HanInterface]:
        """Implemented by each path."""

    @abstractmethod
    def devices(self) -> list[HanDeviceStatus]:
        """Implemented by each path."""

    @abstractmethod
    def hand_credentials(self, eui64: str, link_key: bytes, window_s: int, device_type: int = 0) -> str:
        """Give the ESI a device's EUI-64 and link key with a join window. Returns 'handed', or 'queued' when
        the path is offline and the request waits to be delivered."""
        """Implemented by each path."""

    @abstractmethod
    def remove(self, eui64: str) -> None:
        """Implemented by each path."""

    @abstractmethod
    def queue(self, eui64: str, message, command_id: int) -> None:
        """Queue a Smart Energy message (``protocols.han.se``) for a device under the tool's command id."""
        """Implemented by each path."""

    @abstractmethod
    def command_status(self) -> list[CommandStatus]:
        """Implemented by each path."""

    def close(self) -> None:  # noqa: B027 - optional: a path that holds nothing open has nothing to close
        pass


class OpticalHanTransport(HanTransport):
    """The meter's ESI through the optical probe (a ``MeterLink``, owned by the caller unless ``owns``)."""

    path = "optical"

    def __init__(self, link, settings: HanSettings | None = None, *, owns: bool = False):
        self.link = link
        s = settings or HanSettings()
        self.timeout_s, self.join_timeout_s = s.local_timeout_s, s.local_join_timeout_s
        self.owns = owns
        self._seq = 0

    def interfaces(self) -> list[HanInterface]:
        n = self.link.read_mfg("han_network")
        return [HanInterface("optical", n["esi_eui64"].hex().upper(), n["channel"], n["pan_id"],
                             n["extended_pan_id"].hex().upper(), mfg.HAN_NETWORK_STATES.get(n["state"], "unknown"),
                             n["permit_join_s"], n["max_devices"], n["devices"],
                             {k: n[k] for k in ("tx_packets", "rx_packets", "tx_failures", "mac_retries")})]  # fmt: skip

    def devices(self) -> list[HanDeviceStatus]:
        out = []
        for e in self.link.read_mfg("han_devices")["entries"]:
            out.append(HanDeviceStatus(
                e["eui64"].hex().upper(), mfg.HAN_DEVICE_STATES.get(e["state"], "unknown"),
                mfg.HAN_FAILURES.get(e["failure"], f"code {e['failure']}"), e["nwk"], e["profile"], e["device_type"],
                bool(e["sleepy"]), e["lqi"], e["rssi_dbm"], e["last_seen"], e["window_left_s"], e["tx_ok"],
                e["tx_failed"], e["rx"], tuple(mfg.unpack_clusters(e["server_clusters"])),
                tuple(mfg.unpack_clusters(e["client_clusters"]))))  # fmt: skip
        return out

    def hand_credentials(self, eui64: str, link_key: bytes, window_s: int, device_type: int = 0) -> str:
        entry = {"eui64": bytes.fromhex(normalise_eui64(eui64)), "link_key": link_key, "window_s": window_s,
                 "device_type": device_type}  # fmt: skip
        self.link.write_mfg("han_join_list", {"entries": [entry]})
        return "handed"

    def remove(self, eui64: str) -> None:
        entry = {"eui64": bytes.fromhex(normalise_eui64(eui64)), "link_key": bytes(16), "window_s": 0, "device_type": 0}
        self.link.write_mfg("han_join_list", {"entries": [entry]})

    def queue(self, eui64: str, message, command_id: int) -> None:
        self._seq = (self._seq + 1) & 0xFF
        frame = se.encode(message, self._seq)
        entry = {"command_id": command_id, "eui64": bytes.fromhex(normalise_eui64(eui64)),
                 "cluster": int(message.CLUSTER), "frame_len": len(frame), "frame": frame}  # fmt: skip
        self.link.write_mfg("han_commands", {"entries": [entry]})

    def command_status(self) -> list[CommandStatus]:
        return [CommandStatus(e["command_id"], e["eui64"].hex().upper(), e["cluster"],
                              mfg.HAN_COMMAND_STATES.get(e["status"], "unknown"), e["at"],
                              bytes(e["reply"][: e["reply_len"]]))
                for e in self.link.read_mfg("han_command_status")["entries"]]  # fmt: skip

    def close(self) -> None:
        if self.owns:
            self.link.close()
