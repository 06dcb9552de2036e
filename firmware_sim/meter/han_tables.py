"""The simulated meter's HAN manufacturer tables, backed by the embedded ESI (``firmware_sim.han.esi``).

Reads tick the ESI first, so what the tool sees has moved on with time (joins after their delay, windows
closing, sleepy devices polling). Time is the simulator's elapsed seconds divided by ``time_scale``, so a
test that runs the meter at ``time_scale=0.01`` sees a 2 s join delay after 20 ms. Link keys are write-only:
the join list reads back with the keys zeroed, as a trust center never discloses them.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from fieldtool.protocols.c1219 import mfg
from firmware_sim.han.devices import SimDevice
from firmware_sim.han.esi import Esi, TableEntry

STATE_CODES = {v: k for k, v in mfg.HAN_DEVICE_STATES.items()}
FAILURE_CODES = {v: k for k, v in mfg.HAN_FAILURES.items()}
COMMAND_CODES = {v: k for k, v in mfg.HAN_COMMAND_STATES.items()}
NAMES = ("han_network", "han_join_list", "han_devices", "han_commands", "han_command_status")


class HanTables:
    def __init__(self, devices: list[SimDevice], *, time_scale: float = 1.0, commissioned: bool = True):
        self.esi = Esi()
        self.scale = max(time_scale, 1e-6)
        self.started = time.time()
        self.lock = threading.RLock()
        for d in devices:
            if d.commissioned and commissioned:
                self.esi.place_existing(d, 0.0)
            else:
                self.esi.devices[d.eui64] = d

    def now(self) -> float:
        return (time.time() - self.started) / self.scale

    def wall(self, sim_t: float) -> datetime | None:
        return datetime.fromtimestamp(self.started + sim_t * self.scale, UTC).replace(microsecond=0) if sim_t else None

    def values(self, name: str) -> dict:
        with self.lock:
            now = self.now()
            self.esi.tick(now)
            return getattr(self, f"_{name}")(now)

    def _han_network(self, now: float) -> dict:
        e = self.esi
        return {"esi_eui64": bytes.fromhex(e.esi_eui64), "channel": e.channel, "pan_id": e.pan_id,
                "extended_pan_id": bytes.fromhex(e.extended_pan_id), "state": 2,
                "permit_join_s": int(e.permit_join_left(now)), "max_devices": 10, "devices": len(e.joined()),
                "tx_packets": e.tx_packets, "rx_packets": e.rx_packets, "tx_failures": e.tx_failures,
                "mac_retries": e.mac_retries}  # fmt: skip

    def _han_join_list(self, now: float) -> dict:
        return {"entries": [{"eui64": bytes.fromhex(j.eui64), "link_key": bytes(16),
                             "window_s": int(max(0.0, j.window_until - now)), "device_type": j.device_type}
                            for j in self.esi.join_list.values()]}  # fmt: skip

    def _han_devices(self, now: float) -> dict:
        out = []
        for t in self.esi.table.values():
            out.append({"eui64": bytes.fromhex(t.eui64), "nwk": t.nwk, "state": STATE_CODES[t.state],
                        "failure": FAILURE_CODES.get(t.failure, 0), "profile": t.profile, "device_type": t.device_id,
                        "sleepy": int(t.sleepy), "lqi": t.lqi, "rssi_dbm": int(round(t.rssi_dbm)),
                        "last_seen": self.wall(t.last_seen), "window_left_s": 0, "tx_ok": t.tx_ok,
                        "tx_failed": t.tx_failed, "rx": t.rx, "server_clusters": mfg.pack_clusters(t.server_clusters),
                        "client_clusters": mfg.pack_clusters(t.client_clusters)})  # fmt: skip
        for j in self.esi.join_list.values():
            if j.eui64 not in self.esi.table or self.esi.table[j.eui64].state == "seen":
                out = [o for o in out if o["eui64"] != bytes.fromhex(j.eui64)]
                out.append({"eui64": bytes.fromhex(j.eui64), "state": STATE_CODES["listed"], "device_type": j.device_type,
                            "window_left_s": int(max(0.0, j.window_until - now)),
                            "server_clusters": mfg.pack_clusters(()), "client_clusters": mfg.pack_clusters(())})
        return {"entries": out}

    def _han_commands(self, now: float) -> dict:
        return {"entries": [{"command_id": r.command_id, "eui64": bytes.fromhex(r.eui64), "cluster": r.cluster,
                             "frame_len": len(r.frame), "frame": r.frame}
                            for r in self.esi.results if r.status in ("queued", "waiting_for_poll")]}  # fmt: skip

    def _han_command_status(self, now: float) -> dict:
        out = []
        for r in self.esi.results:
            reply = bytes.fromhex(r.ack_hex) if r.ack_hex else b""
            out.append({"command_id": r.command_id, "eui64": bytes.fromhex(r.eui64), "cluster": r.cluster,
                        "status": COMMAND_CODES[r.status], "at": self.wall(r.at), "reply_cluster": r.reply_cluster,
                        "reply_len": len(reply), "reply": reply})  # fmt: skip
        return {"entries": out}

    def write(self, name: str, values: dict) -> None:
        """A write of ``han_join_list`` (credentials; window 0 removes the device) or ``han_commands``."""
        with self.lock:
            now = self.now()
            for e in values["entries"]:
                eui = e["eui64"].hex().upper()
                if name == "han_join_list":
                    if e["window_s"] == 0:
                        self.esi.remove(eui, now)
                        continue
                    try:
                        self.esi.add_to_join_list(eui, e["link_key"], e["window_s"], now, e["device_type"])
                    except OverflowError:
                        self.esi.table[eui] = TableEntry(eui, 0, "failed", failure="esi_refused", last_seen=now)
                elif name == "han_commands":
                    frame = bytes(e["frame"][: e["frame_len"]])
                    self.esi.enqueue(eui, e["cluster"], frame, now, e["command_id"])
            self.esi.tick(now)

    # -- the head-end's view (firmware_sim.han.headend reports it to the back office) ---------------------
    def wire(self) -> dict:
        """Network, devices and commands as ``HanStatusReport`` carries them."""
        with self.lock:
            now = self.now()
            self.esi.tick(now)
            n = self._han_network(now)
            network = {**n, "esi_eui64": self.esi.esi_eui64, "extended_pan_id": self.esi.extended_pan_id,
                       "state": "up", "counters": {k: n.pop(k) for k in ("tx_packets", "rx_packets", "tx_failures",
                                                                         "mac_retries")}}  # fmt: skip
            devices = [{"eui64": t.eui64, "state": t.state, "failure": t.failure, "nwk": t.nwk, "profile": t.profile,
                        "device_id": t.device_id, "sleepy": t.sleepy, "lqi": t.lqi, "rssi_dbm": int(round(t.rssi_dbm)),
                        "last_seen": _iso(self.wall(t.last_seen)), "window_left_s": 0, "tx_ok": t.tx_ok,
                        "tx_failed": t.tx_failed, "rx": t.rx, "server_clusters": list(t.server_clusters),
                        "client_clusters": list(t.client_clusters)} for t in self.esi.table.values()]  # fmt: skip
            for j in self.esi.join_list.values():
                devices = [d for d in devices if d["eui64"] != j.eui64]
                devices.append({"eui64": j.eui64, "state": "listed", "window_left_s": int(max(0.0, j.window_until - now))})
            commands = [{"command_id": r.command_id, "eui64": r.eui64, "cluster": r.cluster, "status": r.status,
                         "at": _iso(self.wall(r.at)), "reply": r.ack_hex} for r in self.esi.results]  # fmt: skip
            return {"network": network, "devices": devices, "commands": commands}

    def apply(self, request: dict) -> None:
        """A request the head-end carries to this meter (``HanHeadEndRequests`` item)."""
        eui = request["eui64"]
        if request["action"] == "provision" and request.get("link_key"):
            self.write("han_join_list", {"entries": [{"eui64": bytes.fromhex(eui), "window_s": request["window_s"] or 0,
                                                      "link_key": bytes.fromhex(request["link_key"]),
                                                      "device_type": request.get("device_type") or 0}]})
        elif request["action"] == "remove":
            self.write("han_join_list", {"entries": [{"eui64": bytes.fromhex(eui), "window_s": 0, "link_key": bytes(16),
                                                      "device_type": 0}]})
        elif request["action"] == "message" and request.get("frame"):
            frame = bytes.fromhex(request["frame"])
            self.write("han_commands", {"entries": [{"eui64": bytes.fromhex(eui), "command_id": request["command_id"],
                                                     "cluster": request["cluster"], "frame_len": len(frame),
                                                     "frame": frame}]})


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t else None
