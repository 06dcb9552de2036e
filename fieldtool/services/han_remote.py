"""The HAN through the back office and head-end, over the AMI (I1FR45): ``HeadEndHanTransport``.

Requests (credentials, removals, Smart Energy messages) become ``han_request`` outbox events and go out
with the ordinary drain, so they wait in the outbox while the laptop is offline and are delivered exactly
once; the link key in them is sealed to the head-end's public key (``sync.han_seal``), fetched while online
and kept in the vault for offline use. What the meter's ESI reports comes back through
``GET /v1/meters/{meter}/han``. Timeouts are the remote ones of I1NFR4 (``[han] remote_*``).

Threading: blocking calls on the caller's thread (the GUI's op helper); the drain runs on this thread too.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import datetime

from fieldtool.clock import SYSTEM_CLOCK, Clock
from fieldtool.devices.han import CommandStatus, HanDeviceStatus, HanInterface, HanTransport
from fieldtool.devices.han_settings import HanSettings
from fieldtool.domain.errors import UserFacingError
from fieldtool.protocols.han import se
from fieldtool.protocols.han.install_code import normalise_eui64
from fieldtool.store.outbox import OutboxEvent
from fieldtool.sync import han_seal
from fieldtool.sync.client import BackOfficeClient, Offline
from fieldtool.sync.drain import OutboxDrain

SEALING_KEY_SECRET = "han/headend_sealing_key"


class HeadEndHanTransport(HanTransport):
    path = "remote"

    def __init__(self, client: BackOfficeClient, store, meter_number: str, *, settings: HanSettings | None = None,
                 vault=None, clock: Clock = SYSTEM_CLOCK, job_id: str | None = None,
                 flush: Callable[[], object] | None = None):  # fmt: skip
        s = settings or HanSettings()
        self.timeout_s, self.join_timeout_s = s.remote_timeout_s, s.remote_join_timeout_s
        self.client, self.store, self.meter_number, self.vault, self.clock = client, store, meter_number, vault, clock
        self.job_id = job_id
        self.flush = flush or OutboxDrain(store.outbox, store.transaction, lambda: client, clock=clock).drain_once

    # -- requests ---------------------------------------------------------------------------------------
    def _request(self, payload: dict) -> str:
        """Queue one ``han_request`` and try to send it now: 'handed' when the back office took it, 'queued'
        when it waits in the outbox (offline, or the back office in trouble)."""
        payload = {"request_id": str(uuid.uuid4()), "meter_number": self.meter_number, "window_s": None,
                   "device_type": None, "sealed_link_key": None, "command_id": None, "cluster": None, "frame": None,
                   **payload}  # fmt: skip
        ev = OutboxEvent(payload["request_id"], "han_request", 1, payload, self.job_id, payload["request_id"],
                         self.clock.now())  # fmt: skip
        self.store.outbox.enqueue([ev])
        try:
            self.flush()
        except UserFacingError:
            pass  # the event stays queued; the drain retries it
        row = self.store.outbox.get(ev.id)
        if row is not None and row.state == "rejected":
            raise UserFacingError(f"The back office refused the HAN request: {row.reject_reason}.")
        return "handed" if row is not None and row.state == "delivered" else "queued"

    def _sealing_key(self) -> dict:
        try:
            key = self.client.request("GET", "/v1/han/sealing-key", schema="HanSealingKey")
            if self.vault is not None:
                self.vault.set(SEALING_KEY_SECRET, json.dumps(key))
            return key
        except Offline:
            if self.vault is not None and SEALING_KEY_SECRET in self.vault.names():
                return json.loads(self.vault.get(SEALING_KEY_SECRET))
            raise UserFacingError("The back office cannot be reached and the head-end's sealing key is not known yet.",
                                  hint="Connect once (fieldtool sync) so HAN requests can be queued offline.") from None

    def hand_credentials(self, eui64: str, link_key: bytes, window_s: int, device_type: int = 0) -> str:
        eui = normalise_eui64(eui64)
        key = self._sealing_key()
        sealed = han_seal.seal(key["key_id"], key["public_key"], link_key, han_seal.aad(self.meter_number, eui))
        return self._request({"action": "provision", "eui64": eui, "window_s": window_s, "device_type": device_type,
                              "sealed_link_key": sealed})  # fmt: skip

    def remove(self, eui64: str) -> None:
        self._request({"action": "remove", "eui64": normalise_eui64(eui64)})

    def queue(self, eui64: str, message, command_id: int) -> None:
        frame = se.encode(message, command_id & 0xFF).hex().upper()
        self._request({"action": "message", "eui64": normalise_eui64(eui64), "command_id": command_id,
                       "cluster": int(message.CLUSTER), "frame": frame})  # fmt: skip

    # -- status ------------------------------------------------------------------------------------------
    def _status(self) -> dict:
        return self.client.request("GET", f"/v1/meters/{self.meter_number}/han", schema="HanStatus")

    def interfaces(self) -> list[HanInterface]:
        n = self._status()["network"]
        if n is None:
            return []
        return [HanInterface("remote", n["esi_eui64"], n["channel"], n["pan_id"], n.get("extended_pan_id", ""),
                             n["state"], n["permit_join_s"], n["max_devices"], n["devices"], n.get("counters", {}))]

    def devices(self) -> list[HanDeviceStatus]:
        return [device_from_wire(d) for d in self._status()["devices"]]

    def command_status(self) -> list[CommandStatus]:
        return [CommandStatus(c["command_id"], c["eui64"], c["cluster"], c["status"], _time(c.get("at")),
                              bytes.fromhex(c.get("reply") or "")) for c in self._status()["commands"]]  # fmt: skip


def device_to_wire(d: HanDeviceStatus) -> dict:
    return {"eui64": d.eui64, "state": d.state, "failure": d.failure, "nwk": d.nwk, "profile": d.profile,
            "device_id": d.device_id, "sleepy": d.sleepy, "lqi": d.lqi, "rssi_dbm": d.rssi_dbm,
            "last_seen": d.last_seen.isoformat() if d.last_seen else None, "window_left_s": d.window_left_s,
            "tx_ok": d.tx_ok, "tx_failed": d.tx_failed, "rx": d.rx, "server_clusters": list(d.server_clusters),
            "client_clusters": list(d.client_clusters)}  # fmt: skip


def device_from_wire(w: dict) -> HanDeviceStatus:
    return HanDeviceStatus(w["eui64"], w["state"], w.get("failure", ""), w.get("nwk", 0), w.get("profile", 0),
                           w.get("device_id", 0), w.get("sleepy", False), w.get("lqi", 0), w.get("rssi_dbm", 0),
                           _time(w.get("last_seen")), w.get("window_left_s", 0), w.get("tx_ok", 0),
                           w.get("tx_failed", 0), w.get("rx", 0), tuple(w.get("server_clusters", ())),
                           tuple(w.get("client_clusters", ())))  # fmt: skip


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
