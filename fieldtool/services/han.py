"""HAN provisioning and testing as use cases (UC134 3.1.1 7.1.1/7.1.1A, 3.2, 3.3 7.4-7.4.7, 3.4).

``HanService`` is what the GUI and the CLI call. It walks each device up the readiness ladder
(``protocols.han.readiness``) through a ``HanTransport`` (optical ESI or head-end), logs every interaction
with the job (I1FR47: ``on_log`` shows it live, ``store.han`` keeps it), keeps link keys in the vault only
(I1FR46), records the outcome per device as a ``han_provisioning`` outbox event for the MMS/CSS (3.2 step
14, 7.4.7), and ends every failure in guidance (I1FR43) -- never in a hang: every wait is bounded by the
configured timeout (I1NFR4/I1NFR5) read through the injected clock, and honours ``cancel``.

Threading: methods block (the GUI runs them through its op helper); ``progress(step, fraction)`` and
``on_log(entry)`` are called on the calling thread.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from fieldtool.clock import SYSTEM_CLOCK, Clock
from fieldtool.devices.han import HanDeviceStatus, HanTransport
from fieldtool.devices.han_settings import HanSettings
from fieldtool.domain.errors import UserCancelled, UserFacingError
from fieldtool.protocols.han import se
from fieldtool.protocols.han.install_code import InstallCodeError, derive_link_key, normalise_eui64
from fieldtool.protocols.han.readiness import Failure, Readiness, Rung
from fieldtool.services import han_programs as programs
from fieldtool.store.han import HanLog, LogEntry
from fieldtool.store.outbox import OutboxEvent

JOIN_FAILURES = {"wrong_key": Failure.WRONG_KEY, "window_closed": Failure.WINDOW_CLOSED,
                 "key_establishment_failed": Failure.KEY_ESTABLISHMENT_FAILED, "out_of_range": Failure.OUT_OF_RANGE,
                 "incompatible": Failure.INCOMPATIBLE, "esi_refused": Failure.ESI_REFUSED}  # fmt: skip
PUSH_FAILURES = {"no_ack": Failure.NO_ACKNOWLEDGEMENT, "asleep": Failure.ASLEEP, "waiting_for_poll": Failure.ASLEEP,
                 "out_of_range": Failure.OUT_OF_RANGE, "not_joined": Failure.WINDOW_CLOSED,
                 "refused": Failure.INCOMPATIBLE, "queued": Failure.TIMEOUT}  # fmt: skip


@dataclass(frozen=True)
class DeviceRequest:
    """One device the customer chose (3.2 steps 9-11) or the MMS instructed (7.4.2)."""

    eui64: str
    install_code: str | None = None  # None: the device is already on the HAN
    programs: tuple[str, ...] = ()  # load_control, price, messaging
    name: str = ""
    location: str = ""


@dataclass
class DeviceOutcome:
    eui64: str
    readiness: Readiness
    status: HanDeviceStatus | None = None
    acknowledgements: list[dict] = field(default_factory=list)
    install_code_crc_ok: bool | None = None
    name: str = ""
    location: str = ""

    def to_json(self) -> dict:
        r = self.readiness
        return {"eui64": self.eui64, "rung": r.rung.value, "failure": r.failure.value if r.failure else None,
                "failed_at": r.failed_from.value if r.failed_from else None, "guidance": r.guidance or None,
                "progress": round(r.progress, 2), "device": self.status.to_json() if self.status else None,
                "acknowledgements": self.acknowledgements, "name": self.name, "location": self.location}  # fmt: skip


class HanService:
    def __init__(self, store, *, settings: HanSettings | None = None, clock: Clock = SYSTEM_CLOCK, vault=None,
                 on_log: Callable[[LogEntry], None] | None = None):  # fmt: skip
        self.store = store
        self.settings = settings or HanSettings()
        self.clock = clock
        self.vault = vault
        self.log = HanLog(store)
        self.on_log = on_log or (lambda entry: None)

    # -- the log ---------------------------------------------------------------------------------------
    def _log(self, job_id: str, path: str, kind: str, text: str, eui64: str | None = None, **data) -> None:
        self.on_log(self.log.add(job_id, self.clock.now(), path, kind, text, eui64=eui64, data=data))

    def history(self, job_id: str) -> list[dict]:
        """The full log of the job's HAN interactions (I1FR47), oldest first."""
        return [e.to_json() for e in self.log.entries(job_id)]

    # -- discovery and the test tool (3.2 step 7, 3.4 steps 2-3) --------------------------------------------
    def discover(self, job_id: str, transport: HanTransport) -> dict:
        interfaces = transport.interfaces()
        for i in interfaces:
            self._log(job_id, transport.path, "stage", f"HAN interface on channel {i.channel}, PAN {i.pan_id:04X}: "
                      f"{i.state}, {i.devices} of {i.max_devices} devices", esi=i.esi_eui64, counters=i.counters)
        devices = transport.devices()
        for d in devices:
            self._log(job_id, transport.path, "received", f"{d.eui64}: {d.state}, {d.device_type}, LQI {d.lqi}",
                      d.eui64, device=d.to_json())
        return {"interfaces": [vars(i) for i in interfaces], "devices": [d.to_json() for d in devices]}

    def diagnose(self, job_id: str, transport: HanTransport) -> dict:
        """The HAN test tool (3.4, I1FR42/I1FR43): interfaces, devices, connectivity, reliability and what to
        do about each problem found. ``ok`` is true when nothing needs the installer's attention."""
        found = self.discover(job_id, transport)
        findings = []
        if not found["interfaces"] or any(i["state"] != "up" for i in found["interfaces"]):
            findings.append({"eui64": None, "problem": "han_down", "guidance": "The meter's HAN radio is not up. "
                             "Check the meter's HAN status (HAN Initialization at the head-end), then test again."})
        for d in transport.devices():
            if d.state == "seen":
                text = ("This device asks to join but the meter does not have its credentials. Scan its install-code "
                        "label and provision it (or leave it out if the customer does not want it enrolled).")
                findings.append({"eui64": d.eui64, "problem": "not_provisioned", "guidance": text})
                self._log(job_id, transport.path, "guidance", text, d.eui64, problem="not_provisioned")
                continue
            if d.state == "listed" and d.window_left_s > 0:
                text = ("The meter has this device's credentials but has not heard it. Put the device in pairing "
                        f"mode (button or power cycle) within the next {d.window_left_s} s and keep it within about "
                        "75 ft / 20 m of the meter; if it still does not join, check the install code is its own.")
                findings.append({"eui64": d.eui64, "problem": "not_heard", "guidance": text})
                self._log(job_id, transport.path, "guidance", text, d.eui64, problem="not_heard")
                continue
            problem = diagnose_device(d, self.settings)
            if problem:
                findings.append({"eui64": d.eui64, "problem": problem.value, "guidance": guidance(problem)})
                self._log(job_id, transport.path, "guidance", guidance(problem), d.eui64, problem=problem.value)
        return {**found, "findings": findings, "ok": not findings}

    # -- provisioning (7.1.1, 3.2 steps 12-14, 7.4.5-7.4.7) --------------------------------------------------
    def provision(self, job_id: str, transport: HanTransport, requests: list[DeviceRequest], *, meter_number: str,
                  progress: Callable[[str, float], None] | None = None,
                  cancel: threading.Event | None = None) -> list[DeviceOutcome]:  # fmt: skip
        progress = progress or (lambda step, fraction: None)
        cancel = cancel or threading.Event()
        outcomes = [DeviceOutcome(normalise_eui64(r.eui64), Readiness(normalise_eui64(r.eui64)), name=r.name,
                                  location=r.location) for r in requests]  # fmt: skip
        try:
            self._next_id = max([c.command_id for c in transport.command_status()] + [0])
        except UserFacingError:  # offline on the remote path: ids from the clock, the ESI keeps them apart by device
            self._next_id = int(self.clock.now().timestamp()) % 0xFFFF
        for n, (req, out) in enumerate(zip(requests, outcomes, strict=True)):
            progress(f"device {out.eui64}", n / max(1, len(requests)))
            try:
                self._one(job_id, transport, req, out, cancel)
            except UserCancelled:
                self._log(job_id, transport.path, "note", "cancelled by the user", out.eui64)
                raise
            except UserFacingError as e:  # the path failed (probe off, network down): this device waits
                self._fail(job_id, transport, out, Failure.TIMEOUT, str(e))
            self._record(job_id, meter_number, transport, out)
        progress("done", 1.0)
        return outcomes

    def _one(self, job_id: str, t: HanTransport, req: DeviceRequest, out: DeviceOutcome, cancel) -> None:
        r, at = out.readiness, self._at
        if req.install_code is not None:
            r.advance(Rung.LABEL_SCANNED, at())
            try:
                key = derive_link_key(req.install_code)
            except InstallCodeError as e:
                out.install_code_crc_ok = False
                self._fail(job_id, t, out, Failure.BAD_CRC, str(e))
                return
            out.install_code_crc_ok = True
            r.advance(Rung.CRC_OK, at(), f"{len(key.install_code.code)}-byte code")
            self._log(job_id, t.path, "stage", "install code CRC correct", out.eui64, code_bytes=len(key.install_code.code))
            if self.vault is not None:
                self.vault.set(f"han/{out.eui64}/link_key", key.hex)  # I1FR46: never in the store or the log
            if t.hand_credentials(out.eui64, key.key, self.settings.join_window_s) == "queued":
                r.advance(Rung.CREDENTIALS_QUEUED, at(), t.path)  # offline: the outbox carries it later (I1FR45)
                self._log(job_id, t.path, "stage", "credentials queued for the head-end (offline)", out.eui64)
                return
            r.advance(Rung.CREDENTIALS_HANDED, at(), t.path)
            self._log(job_id, t.path, "sent", f"credentials handed to the ESI, join window {self.settings.join_window_s} s",
                      out.eui64)  # fmt: skip
            r.advance(Rung.JOIN_WINDOW_OPEN, at())
            status = self._wait(lambda: _final_join(_find(t.devices(), out.eui64)), t.join_timeout_s, cancel)
        else:
            status = _find(t.devices(), out.eui64)
            if status is None or status.state == "seen":
                self._fail(job_id, t, out, Failure.WINDOW_CLOSED, "the device is not on the meter's HAN yet and no "
                           "install code was given")
                return
        out.status = status
        if status is None or status.state not in ("interviewed", "failed"):
            why = Failure.OUT_OF_RANGE if status is None or status.state in ("listed", "seen") else Failure.TIMEOUT
            self._fail(job_id, t, out, why, f"no join within {t.join_timeout_s:.0f} s")
            return
        if status.state == "failed":
            self._fail(job_id, t, out, JOIN_FAILURES.get(status.failure, Failure.ESI_REFUSED), status.failure)
            return
        for rung in (Rung.JOINED, Rung.KEY_ESTABLISHED, Rung.INTERVIEWED):
            if r.rung in (Rung.JOIN_WINDOW_OPEN, Rung.NEW, Rung.JOINED, Rung.KEY_ESTABLISHED):
                r.advance(rung, at(), f"NWK {status.nwk:04X}" if rung is Rung.JOINED else "")
        self._log(job_id, t.path, "stage", f"joined and interviewed: {status.device_type}, programs "
                  f"{', '.join(status.programs) or 'none'}", out.eui64, device=status.to_json())
        if not status.smart_energy:
            r.exclude(at(), "not a Smart Energy device")
            self._log(job_id, t.path, "note", "not a Smart Energy device: it stays out of the programs", out.eui64)
            return
        unsupported = [p for p in req.programs if p not in status.programs]
        if unsupported:
            self._fail(job_id, t, out, Failure.INCOMPATIBLE, f"no client cluster for {', '.join(unsupported)}")
            return
        self._push(job_id, t, req, out, cancel)

    def _push(self, job_id: str, t: HanTransport, req: DeviceRequest, out: DeviceOutcome, cancel) -> None:
        r = out.readiness
        pending = []
        for program in req.programs:
            message = programs.message(program, self.settings, self.clock.now())
            self._next_id = (self._next_id % 0xFFFF) + 1
            t.queue(out.eui64, message, self._next_id)
            pending.append((program, self._next_id))
            self._log(job_id, t.path, "sent", f"{programs.NAMES[program]} queued", out.eui64, command_id=self._next_id,
                      frame=se.encode(message, 0).hex().upper())  # fmt: skip
        if r.rung is Rung.INTERVIEWED:
            r.advance(Rung.PROGRAM_PUSHED, self._at(), ", ".join(req.programs))
        ids = {cid for _, cid in pending}
        done = self._wait(lambda: _all_final(t.command_status(), ids), t.timeout_s, cancel)
        latest = {c.command_id: c for c in (done or [c for c in t.command_status() if c.command_id in ids])}
        for program, cid in pending:
            c = latest.get(cid)
            status = c.status if c else "queued"
            try:
                reply = c.reply_message() if c else None
            except se.HanProtocolError as e:  # a garbled reply frame is no acknowledgement; say what was wrong
                self._log(job_id, t.path, "received", f"{programs.NAMES[program]}: unreadable reply ({e})", out.eui64)
                status, reply = "no_ack", None
            out.acknowledgements.append({"program": program, "command_id": cid, "status": status,
                                         "reply": programs.describe_reply(reply)})  # fmt: skip
            self._log(job_id, t.path, "received", f"{programs.NAMES[program]}: {status}", out.eui64,
                      reply=c.reply.hex().upper() if c and c.reply else None)  # fmt: skip
            if status not in ("acknowledged", "delivered") or (reply is not None and not programs.positive(reply)):
                self._fail(job_id, t, out, PUSH_FAILURES.get(status, Failure.NO_ACKNOWLEDGEMENT),
                           f"{program}: {status}")  # fmt: skip
                return
        r.advance(Rung.ACKNOWLEDGED, self._at())
        r.advance(Rung.PARTICIPATING, self._at(), ", ".join(req.programs))
        self._log(job_id, t.path, "stage", f"participating in {', '.join(req.programs) or 'no program'}", out.eui64)

    def with_installation(self, job_id: str, transport: HanTransport, planned, *, meter_number: str,
                          labels: dict[str, str] | None = None, cancel: threading.Event | None = None) -> dict:
        """HAN with the meter installation (7.1.1, 7.4.3-7.4.7): find the devices, match them to the MMS
        instructions (``planned``: ``PlannedHanDevice``s), provision the instructed ones that are there (install
        codes from the instructions or from scanned ``labels`` {EUI-64: code}), and when any fails, run the
        test tool (7.1.1A.2-A.5) so the installer has the guidance. ``device_ids`` is what the exchange's
        ``HanDevicesFound`` event takes."""
        from fieldtool.services.han_match import match_planned

        labels = {normalise_eui64(k): v for k, v in (labels or {}).items()}
        self._log(job_id, transport.path, "stage", f"HAN with the installation: {len(planned)} device(s) instructed")
        found = transport.devices()
        match = match_planned(planned, found)
        present = {m["eui64"] for m in match["matched"]}
        requests = [DeviceRequest(normalise_eui64(p.eui64), labels.get(normalise_eui64(p.eui64), p.install_code),
                                  (p.program,) if p.program else ()) for p in planned
                    if normalise_eui64(p.eui64) in present or labels.get(normalise_eui64(p.eui64), p.install_code)]
        outcomes = self.provision(job_id, transport, requests, meter_number=meter_number, cancel=cancel)
        ok = all(o.readiness.rung in (Rung.PARTICIPATING, Rung.EXCLUDED) for o in outcomes) and not match["missing"]
        findings = [] if ok else self.diagnose(job_id, transport)["findings"]
        joined = [o.eui64 for o in outcomes if o.readiness.rung in (Rung.PARTICIPATING, Rung.ACKNOWLEDGED)]
        return {"match": match, "devices": [o.to_json() for o in outcomes], "findings": findings,
                "device_ids": joined, "ok": ok}  # fmt: skip

    def retry(self, job_id: str, transport: HanTransport, request: DeviceRequest, *, meter_number: str,
              cancel: threading.Event | None = None) -> DeviceOutcome:  # fmt: skip
        """Run one device again from the start (3.4 step 5: upon failure, back to step 2)."""
        self._log(job_id, transport.path, "note", "retry", normalise_eui64(request.eui64))
        return self.provision(job_id, transport, [request], meter_number=meter_number, cancel=cancel)[0]

    # -- helpers -------------------------------------------------------------------------------------------
    def _at(self) -> str:
        return self.clock.now().isoformat()

    def _fail(self, job_id: str, t: HanTransport, out: DeviceOutcome, reason: Failure, detail: str) -> None:
        out.readiness.fail(reason, self._at(), detail)
        self._log(job_id, t.path, "failure", f"{reason.value}: {detail}", out.eui64)
        self._log(job_id, t.path, "guidance", guidance(reason), out.eui64)

    def _wait(self, probe, timeout_s: float, cancel: threading.Event):
        """Poll ``probe`` until it returns something or the (clock-scaled) timeout passes; None then."""
        deadline = self.clock.monotonic() + self.clock.seconds(timeout_s)
        while True:
            if cancel.is_set():
                raise UserCancelled("HAN provisioning cancelled.")
            found = probe()
            if found:
                return found
            if self.clock.monotonic() >= deadline:
                return None
            self.clock.sleep(self.settings.poll_interval_s)

    def _record(self, job_id: str, meter_number: str, t: HanTransport, out: DeviceOutcome) -> None:
        r = out.readiness
        outcome = ("joined" if r.rung in (Rung.PARTICIPATING, Rung.ACKNOWLEDGED, Rung.INTERVIEWED, Rung.EXCLUDED)
                   else "failed" if r.rung is Rung.FAILED else "pending")  # fmt: skip
        s = out.status
        payload = {"meter_number": meter_number, "eui64": out.eui64, "device_type": s.device_type if s else None,
                   "install_code_crc_ok": out.install_code_crc_ok, "outcome": outcome,
                   "program": ",".join(a["program"] for a in out.acknowledgements) or None,
                   "detail": f"{r.rung.value}" + (f": {r.failure.value}" if r.failure else "")}  # fmt: skip
        now = self.clock.now()
        with self.store.transaction():
            self.log.set_device(job_id, out.eui64, r.rung.value, r.failure.value if r.failure else None, now,
                                out.to_json())  # fmt: skip
            # A customer representative's session (3.2) has no work order: its record goes without a job.
            known = self.store.work_orders.get(job_id) is not None
            self.store.outbox.enqueue([OutboxEvent(str(uuid.uuid4()), "han_provisioning", 1, payload,
                                                   job_id if known else None, str(uuid.uuid4()), now)])  # fmt: skip


def _find(devices: list[HanDeviceStatus], eui64: str) -> HanDeviceStatus | None:
    return next((d for d in devices if d.eui64 == eui64), None)


def _final_join(d: HanDeviceStatus | None) -> HanDeviceStatus | None:
    return d if d is not None and d.state in ("interviewed", "failed") else None


def _all_final(statuses, ids: set[int]):
    mine = [c for c in statuses if c.command_id in ids]
    return mine if len(mine) == len(ids) and all(c.final for c in mine) else None


def diagnose_device(d: HanDeviceStatus, settings: HanSettings) -> Failure | None:
    if d.state == "failed":
        return JOIN_FAILURES.get(d.failure, Failure.ESI_REFUSED)
    if d.state == "interviewed" and not d.smart_energy:
        return Failure.INCOMPATIBLE
    if d.state in ("listed",) and d.window_left_s == 0:
        return Failure.WINDOW_CLOSED
    if d.state in ("joined", "key_established", "interviewed") and d.lqi < settings.weak_lqi:
        return Failure.OUT_OF_RANGE
    if d.tx_failed > d.tx_ok:
        return Failure.NO_ACKNOWLEDGEMENT
    return None


def guidance(reason: Failure) -> str:
    from fieldtool.protocols.han.readiness import GUIDANCE

    return GUIDANCE[reason]
