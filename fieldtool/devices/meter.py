"""MeterLink: the installer's conversation with a meter through the optical probe.

Threading: each MeterLink owns one worker thread for its port; every operation is queued to it and the
caller blocks on the result (the GUI calls these from its op helper, never from the GUI thread). While a
session is open and idle the worker keeps it alive (C12.18 Wait) inside the channel-traffic timeout.
``cancel()`` may be called from any thread; the running operation raises ``UserCancelled``.

Protocol detection goes through the ``fieldtool.meter_protocols`` entry points: C12.18 Identify first, then
the others (IEC 62056-21 sign-on), unless a protocol is named.
"""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import Future
from datetime import datetime
from pathlib import Path

from fieldtool.clock import SYSTEM_CLOCK, Clock
from fieldtool.devices import meter_api as api
from fieldtool.devices import programs
from fieldtool.devices.meter_settings import OpticalSettings
from fieldtool.devices.ports import PortError, close_port, open_port, set_line
from fieldtool.devices.transcript import Transcript
from fieldtool.domain.errors import InputError, UserCancelled, UserFacingError
from fieldtool.protocols.c1218.errors import ProtocolError, ResponseError

log = logging.getLogger("fieldtool.devices.meter")


def secret_text(name: str, fallback: str = "") -> str | None:
    """A secret from the vault when the tool has one, else the clearly named clear-text setting ``fallback``."""
    try:
        from fieldtool.store.db import open_store  # noqa: PLC0415 - late: the CLI's --version needs no store
        from fieldtool.store.vault import open_vault  # noqa: PLC0415

        vault = open_vault(open_store())
        if name in vault.names():
            return vault.get(name)
    except ImportError:
        pass
    except UserFacingError as e:
        log.info("secret %s not taken from the vault: %s", name, e)
    return fallback or None


def meter_password(settings: OpticalSettings, secret_name: str | None = None) -> bytes | None:
    """The C12.18 meter password: from the vault, else ``[optical] password_unprotected``; exactly 20 bytes."""
    text = secret_text(secret_name or settings.password_secret, settings.password_unprotected)
    if text is None:
        return None
    if text.startswith("hex:"):
        raw = bytes.fromhex(text[4:])
    else:
        raw = text.encode("latin-1", "replace")
    if len(raw) != 20:
        raise InputError(
            f"The meter password must be exactly 20 bytes; the one configured has {len(raw)}.",
            hint="C12.18 meters compare 20 raw bytes: write it out in full (or as hex:...), padding included.",
        )
    return raw


class MeterLink:
    def __init__(self, url: str, *, settings: OpticalSettings | None = None, clock: Clock = SYSTEM_CLOCK,
                 password: bytes | None = None, protocol: str | None = None,
                 transcript_dir: Path | None = None):  # fmt: skip
        self.url = url
        self.settings = settings or OpticalSettings()
        self.clock = clock
        self.password = password
        self.protocol_name = protocol
        self.transcript_dir = transcript_dir  # where the session transcript is kept on close (None: not kept)
        self.transcript_file: Path | None = None
        self.transcript = Transcript(clock)
        self.cancel_event = threading.Event()
        self.external_cancel = None  # a caller's flag with is_set() (the workflow's), also honoured
        self.progress: api.Progress = lambda step, fraction: None
        self.session: api.MeterSession | None = None
        self._port = None
        self._jobs: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._work, name=f"meterlink {url}", daemon=True)
        self._closed = False
        self._thread.start()

    # -- the worker ------------------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            try:
                job = self._jobs.get(timeout=0.2)
            except queue.Empty:
                self._idle()
                continue
            if job is None:
                return
            fn, fut = job
            if not fut.set_running_or_notify_cancel():
                continue
            try:
                fut.set_result(fn())
            except BaseException as e:  # handed to the caller's thread
                fut.set_exception(e)

    def _idle(self) -> None:
        if self.session is not None:
            try:
                self.session.keep_alive()
            except Exception as e:  # a dead session is reported by the next operation
                log.info("keep-alive failed: %s", e)

    def _call(self, fn):
        if self._closed:
            raise UserFacingError("The optical session is closed.")
        self.cancel_event.clear()
        fut: Future = Future()
        self._jobs.put((fn, fut))
        return fut.result()

    def cancel(self) -> None:
        self.cancel_event.set()

    # -- session ---------------------------------------------------------------------------------
    def _ctx(self) -> api.SessionContext:
        return api.SessionContext(self.settings, self.password, self.clock, self.transcript,
                                  lambda s, f: self.progress(s, f), _Cancel(self))  # fmt: skip

    def _ensure_session(self) -> api.MeterSession:
        if self.session is not None:
            return self.session
        if self._port is None:
            self._port = open_port(self.url, baudrate=self.settings.baud)
        protocols = api.load_protocols()
        if self.protocol_name:
            protocols = [p for p in protocols if p.name == self.protocol_name]
        tried = []
        for proto in protocols:
            self.transcript.note(f"trying {proto.name}")
            # Each protocol starts from the optical-port default (another may have left 300 baud 7E1).
            set_line(self._port, baudrate=self.settings.baud, bytesize=8, parity="N")
            try:
                self.session = proto.open(self._port, self._ctx())
                return self.session
            except api.NotDetected as e:
                tried.append(f"{proto.name}: {e}")
                self._port.reset_input_buffer()
        raise UserFacingError(
            f"No meter answered on {self.url} ({'; '.join(tried) or 'no protocol installed'}).",
            hint="Check that the probe sits on the meter's optical port and the meter has power.",
        )

    def open(self, progress: api.Progress | None = None) -> str:
        """Detect the protocol and start the session; returns the protocol name."""
        if progress:
            self.progress = progress
        return self._call(lambda: self._ensure_session().protocol)

    def _op(self, name: str, fn):
        def run():
            s = self._ensure_session()
            self.progress(name, 0.0)
            try:
                out = fn(s)
            except (ProtocolError, PortError, UserCancelled) as e:
                # A refusal (isc, onp, sns ...) leaves the session as it was. Anything else may leave it dead
                # or out of step (the meter dropped it, the link failed, an exchange was cut short): forget
                # it, so trying again starts a new one.
                if not isinstance(e, ResponseError) or e.code in (0x09, 0x0A):
                    self.transcript.note(f"{name} failed; the next operation starts a new session")
                    self.session = None
                raise
            self.progress(name, 1.0)
            return out

        return self._call(run)

    # -- installer operations --------------------------------------------------------------------
    def identify(self) -> api.MeterIdentity:
        return self._op("identify", lambda s: s.identify())

    def identify_and_check_health(self) -> dict:
        """Identity, health (ST3 flags in three classes), registration and clock in one go."""

        def run(s: api.MeterSession) -> dict:
            ident = s.identify()
            health = s.health()
            try:
                reg = s.registration_status()
            except UserFacingError:
                reg = api.Registration("unknown", None, None, None)
            return {"identity": ident, "health": health, "registration": reg, "clock": s.clock_check()}

        return self._op("identify and health check", run)

    def health(self) -> api.Health:
        return self._op("health check", lambda s: s.health())

    def self_test(self) -> api.Health:
        return self._op("self-test", lambda s: s.self_test())

    def clear_status(self) -> api.Health:
        return self._op("clear status flags", lambda s: s.clear_status())

    def read_registers(self) -> list[api.RegisterValue]:
        return self._op("read registers", lambda s: s.read_registers())

    def read_table(self, table: int):
        return self._op(f"read table {table}", lambda s: s.read_table(table))

    def write_install_info(self, info: api.InstallInfo) -> dict:
        return self._op("write installation information", lambda s: s.write_install_info(info))

    def set_clock(self, when: datetime | None = None) -> api.ClockCheck:
        """Set the meter clock from the tool's clock (I1FR26, I1FR35)."""
        return self._op("set clock", lambda s: s.set_clock(when or self.clock.now()))

    def clock_check(self) -> api.ClockCheck:
        return self._op("clock check", lambda s: s.clock_check())

    def load_program(self, program_id: str) -> api.ProgramResult:
        prog = programs.program(program_id, self.settings.programs_file)
        return self._op("load program", lambda s: s.load_program(prog))

    def registration_status(self) -> api.Registration:
        return self._op("registration status", lambda s: s.registration_status())

    def program_id(self) -> str | None:
        return self._op("program id", lambda s: s.program_id())

    def event_log(self) -> list[api.LogEntry]:
        return self._op("event log", lambda s: s.event_log())

    def signal_log(self) -> list[api.SignalSample]:
        return self._op("signal-strength log", lambda s: s.signal_log())

    def switch(self, state: str) -> api.SwitchStatus:
        """Operate the service (disconnect) switch: ``open``, ``closed`` or ``armed``; returns once the meter
        reports the switch moved. ``api.SwitchFailed`` (in words) when it did not move, ``api.SwitchNotSupported``
        when the meter has no switch."""
        if state not in ("open", "closed", "armed"):
            raise InputError(f"The service switch can be open, closed or armed, not '{state}'.")
        return self._op(f"switch {state}", lambda s: s.switch(state))

    def switch_state(self) -> api.SwitchStatus:
        return self._op("switch state", lambda s: s.switch_state())

    def read_mfg(self, name: str) -> dict:
        """A shared manufacturer table by name, decoded (the HAN path reads the ESI's tables with it)."""
        return self._op(f"read {name}", lambda s: s.read_mfg(name))

    def write_mfg(self, name: str, values: dict) -> None:
        return self._op(f"write {name}", lambda s: s.write_mfg(name, values))

    def close(self) -> None:
        """End the session (Logoff, Terminate), close the port and stop the worker. Never raises."""
        if self._closed:
            return

        def run():
            if self.session is not None:
                self.session.close()
                self.session = None
            if self._port is not None:
                close_port(self._port)
                self._port = None

        try:
            self._call(run)
        except Exception as e:
            log.info("closing the optical session: %s", e)
        self._closed = True
        self._jobs.put(None)
        self._thread.join(timeout=5)
        if self.transcript_dir is not None:
            try:
                self.transcript_file = self.transcript.save(self.transcript_dir, self.url,
                                                            self.settings.keep_transcripts)  # fmt: skip
            except OSError as e:
                log.info("the session transcript was not kept: %s", e)

    def __enter__(self) -> MeterLink:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Cancel:
    """The cancel flag a session sees: MeterLink.cancel() or the caller's own flag, whichever is set."""

    def __init__(self, link: MeterLink):
        self.link = link

    def is_set(self) -> bool:
        ext = self.link.external_cancel
        return self.link.cancel_event.is_set() or bool(ext is not None and ext.is_set())
