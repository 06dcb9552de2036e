"""The host side of the field radio dongle protocol (``docs/radio-dongle-protocol.md``).

``DongleDriver`` implements the whole ``RadioDriver`` contract over the protocol; the ``rf_mesh`` and ``plc``
plug-ins are this class with their technology set, and a vendor whose dongle speaks the protocol needs no
more than that. Runs on the port's worker thread; one request at a time (tags count up per request).
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar

from fieldtool.protocols.dongle import (
    PROTOCOL_VERSION,
    BadLine,
    LineDecoder,
    Message,
    encode,
    version_compatible,
)
from fieldtool.protocols.dongle.commands import ERRORS
from fieldtool.radio.base import Capability, Progress, RadioDriver
from fieldtool.radio.errors import RadioError, RadioReplyError, RadioTimeout
from fieldtool.radio.results import (
    DeviceInfo,
    LinkTestResult,
    Neighbour,
    NetworkTime,
    RegistrationState,
    RegistrationStatus,
    SoftRegistrationReceipt,
    SurveyResult,
)
from fieldtool.radio.serial_link import SerialLink

CHUNK = 160  # base64 characters per SOFTREG part
MAX_BAD_LINES = 20  # more damaged lines than this in one request: the line is too noisy to trust


class DongleDriver(RadioDriver):
    technology: ClassVar[str] = ""
    baudrate: ClassVar[int] = 57600

    def __init__(self, port_url, **kw):
        super().__init__(port_url, **kw)
        self._link: SerialLink | None = None
        self._decoder = LineDecoder()
        self._tag = 0
        self.events: list[Message] = []  # unsolicited lines ($! ...), newest last

    # -- life cycle -------------------------------------------------------------------------------
    def open(self) -> DeviceInfo:
        self._link = SerialLink(self.port_url, baudrate=int(self.setting("baudrate", self.baudrate)), clock=self.clock)
        try:
            final, _ = self.request("HELLO", {"proto": PROTOCOL_VERSION, "host": "fieldtool"},
                                    retries=int(self.setting("hello_retries", 1)))
        except RadioTimeout:
            self.close()
            raise RadioTimeout(
                f"No radio dongle answers on {self.port_url}.", hint="Check the dongle's cable and power."
            ) from None
        except Exception:
            self.close()
            raise
        proto, tech = final.get("proto", ""), final.get("tech", "")
        if not version_compatible(proto):
            self.close()
            raise RadioError(f"The dongle speaks protocol {proto or '?'}; this fieldtool speaks {PROTOCOL_VERSION}.")
        if tech != self.technology:
            self.close()
            raise RadioError(f"The dongle on {self.port_url} is a {tech or 'unknown'} radio, not {self.technology}.")
        self.info = DeviceInfo(tech, final.get("vendor", "?"), final.get("model", "?"), final.get("fw", "?"),
                               final.get("addr"), proto)
        return self.info

    def close(self) -> None:
        if self._link is not None:
            self._link.close()
            self._link = None

    def capabilities(self) -> frozenset[Capability]:
        return frozenset(Capability)

    # -- one request --------------------------------------------------------------------------------
    def request(self, verb: str, fields: Mapping[str, Any] | None = None, *, timeout: float | None = None,
                on_record=None, cancel: threading.Event | None = None, retries: int = 0
                ) -> tuple[Message, list[Message]]:
        """Send one request; return its final OK line and its records. ``ERR`` raises ``RadioError``.

        ``retries``: how often to send the request again (with a new tag) when its final line never came —
        a damaged line is dropped by the framing, so only requests the dongle treats idempotently retry.
        """
        for attempt in range(retries + 1):
            try:
                return self._request_once(verb, fields, timeout, on_record, cancel)
            except RadioTimeout:
                if attempt == retries:
                    raise
        raise AssertionError("unreachable")

    def _request_once(self, verb, fields, timeout, on_record, cancel) -> tuple[Message, list[Message]]:
        if self._link is None:
            raise RadioError("The radio dongle is not open.")
        self._tag = self._tag % 9999 + 1
        tag = str(self._tag)
        self._link.write(encode(Message(tag, verb, {k: str(v) for k, v in (fields or {}).items()})))
        deadline = self._link.deadline(timeout if timeout is not None else self.setting("command_timeout_s", 3.0))
        records: list[Message] = []
        bad = 0
        cancel_sent = False
        while True:
            if cancel is not None and cancel.is_set() and not cancel_sent:
                self._link.write(encode(Message("0", "CANCEL")))
                cancel_sent = True
                deadline = self._link.deadline(self.setting("command_timeout_s", 3.0))
            if self._link.expired(deadline):
                raise RadioTimeout(f"The radio dongle did not finish {verb} in time.")
            for item in self._decoder.feed(self._link.read_some()):
                if isinstance(item, BadLine):
                    bad += 1
                    if bad > MAX_BAD_LINES:
                        raise RadioReplyError(f"The dongle's replies are garbled ({item.reason}); check the cable.")
                    continue
                if item.tag == "!":
                    self.events.append(item)
                    continue
                if item.tag != tag:
                    continue  # a late line of an earlier, abandoned request (or the CANCEL's own OK)
                if item.verb == "OK":
                    return item, records
                if item.verb == "ERR":
                    self._raise(verb, item)
                records.append(item)
                if on_record is not None:
                    on_record(item)

    def _raise(self, verb: str, err: Message) -> None:
        from fieldtool.domain.errors import UserCancelled

        code = int(err.get("code", "500")) if (err.get("code") or "").isdigit() else 500
        if code == 499:
            raise UserCancelled()
        words = err.get("text") or ERRORS.get(code, "error")
        if code == 408:
            raise RadioTimeout(f"{verb}: {words} (dongle error {code}).")
        raise RadioError(f"The radio dongle refused {verb}: {words} (error {code}).")

    # -- operations ---------------------------------------------------------------------------------
    def survey(self, *, progress: Progress | None = None, cancel: threading.Event | None = None) -> SurveyResult:
        dwell = self.setting("survey_dwell_s", 2.0)
        found: list[Neighbour] = []

        def on_record(m: Message) -> None:
            if m.verb == "NODE":
                found.append(self._neighbour(m))
                self.report(progress, len(found), 0, f"heard {m.get('role', 'node')} {m.get('id')}")

        self.report(progress, 0, 0, "listening")
        final, _ = self.request("SURVEY", {"dwell": round(dwell * 1000)}, timeout=dwell + self.setting(
            "command_timeout_s", 3.0), on_record=on_record, cancel=cancel)
        best = max((n.rssi_dbm for n in found if n.rssi_dbm is not None), default=None)
        return SurveyResult(self.technology, self.clock.now(), tuple(found), signal_dbm=best,
                            details={"count": int(final.get("count", len(found)) or 0)})

    def _neighbour(self, m: Message) -> Neighbour:
        try:
            return Neighbour(
                id=m.fields["id"], role=m.get("role", "unknown"),
                rssi_dbm=_num(m.get("rssi")), lqi=int(m.fields["lqi"]) if "lqi" in m.fields else None,
                snr_db=_num(m.get("snr")), hops=int(m.fields["hops"]) if "hops" in m.fields else None,
            )
        except (KeyError, ValueError) as e:
            raise RadioReplyError(f"The dongle's NODE line is not usable ({e}): {m.fields}.") from None

    def link_test(self, target, *, count=10, progress=None, cancel=None) -> LinkTestResult:
        timeout = self.setting("ping_timeout_s", 2.0)
        rtts: list[float] = []
        signals: list[float] = []
        snrs: list[float] = []
        seen = 0

        def on_record(m: Message) -> None:
            nonlocal seen
            seen += 1
            if m.verb == "ECHO":
                rtts.append(_num(m.get("rtt")) or 0.0)
                if m.get("rssi") is not None:
                    signals.append(_num(m.get("rssi")))
                if m.get("snr") is not None:
                    snrs.append(_num(m.get("snr")))
            self.report(progress, seen, count, f"packet {seen} of {count}: {'answered' if m.verb == 'ECHO' else 'lost'}")

        final, _ = self.request("PING", {"target": target, "count": count, "timeout": round(timeout * 1000)},
                                timeout=count * timeout + self.setting("command_timeout_s", 3.0),
                                on_record=on_record, cancel=cancel)
        sent, received = int(final.get("sent", count)), int(final.get("received", len(rtts)))
        return LinkTestResult(
            target, sent, received, tuple(rtts),
            round(sum(signals) / len(signals), 1) if signals else None,
            round(sum(snrs) / len(snrs), 1) if snrs else None,
            final.get("via"),
        )

    def registration_status(self, meter_address: str) -> RegistrationStatus:
        try:
            final, _ = self.request("STATUS", {"target": meter_address}, retries=1,
                                    timeout=self.setting("ping_timeout_s", 2.0) + self.setting("command_timeout_s", 3.0))
        except RadioTimeout:
            return RegistrationStatus(meter_address, RegistrationState.NO_ANSWER, "the meter's radio did not answer")
        try:
            state = RegistrationState(final.get("state", "unknown"))
        except ValueError:
            state = RegistrationState.UNKNOWN
        return RegistrationStatus(meter_address, state, final.get("detail", ""), final.get("via"))

    def send_soft_registration(self, payload: Mapping[str, Any]) -> SoftRegistrationReceipt:
        """Sent in numbered parts of at most ``CHUNK`` characters (a line holds 250 bytes); the dongle
        reassembles them and hands the whole record to the AMI after the last part."""
        data = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()).decode()
        parts = [data[i:i + CHUNK] for i in range(0, len(data), CHUNK)] or [""]
        ident = hashlib.sha256(data.encode()).hexdigest()[:8]
        final = None
        for n, part in enumerate(parts, 1):
            final, _ = self.request("SOFTREG", {"id": ident, "part": n, "parts": len(parts), "data": part},
                                    retries=2)
        assert final is not None
        return SoftRegistrationReceipt(True, final.get("ref"), final.get("via"), "accepted by the AMI")

    def network_time(self) -> NetworkTime:
        final, _ = self.request("TIME", retries=1)
        try:
            utc = datetime.fromisoformat(final.get("utc", "").replace("Z", "+00:00")).astimezone(UTC)
        except ValueError:
            raise RadioReplyError(f"The dongle's time {final.get('utc')!r} is not ISO 8601.") from None
        return NetworkTime(utc, final.get("source", "collector"), round((utc - self.clock.now()).total_seconds(), 3))


def _num(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        raise RadioReplyError(f"The dongle sent {value!r} where a number belongs.") from None
