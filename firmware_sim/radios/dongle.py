"""A simulated field radio dongle (RF mesh or PLC) speaking our line protocol, built from our own codec.

It answers HELLO, SURVEY, PING, STATUS, SOFTREG, TIME and CANCEL as ``docs/radio-dongle-protocol.md`` says,
with values from the ``RadioWorld``: what it hears depends on where the installer stands. SURVEY and PING
stream their records over time (dwell, per-packet round trips, timeouts for lost packets); CANCEL ends them.
Faults: silent (never answers), garbage on the line, a damaged checksum now and then, another protocol
version, meters whose radio is dead, not joined or denied, a join delay, sites out of service (world faults).
"""

from __future__ import annotations

import random
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, timedelta

from fieldtool.clock import Clock
from fieldtool.protocols.dongle import BadLine, LineDecoder, Message, encode
from fieldtool.protocols.dongle.commands import COMMANDS, ERRORS
from firmware_sim.radios.device import SimDevice
from firmware_sim.radios.world import RadioWorld


@dataclass
class DongleConfig:
    technology: str = "rf_mesh"  # rf_mesh or plc
    vendor: str = "Fieldtool Labs"
    model: str = "FD-900"
    firmware: str = "1.4.2"
    address: str = "00124B0001F00D01"
    protocol: str = "1.0"
    silent: bool = False
    garbage: bool = False  # noise between lines
    corrupt_every: int = 0  # damage the checksum of every Nth line (0: never)
    meters: dict[str, str] = field(default_factory=dict)  # address -> ok | dead | unjoined | denied
    join_delay_s: float = 0.0  # a meter joins this long after it is first asked about
    clock_offset_s: float = 0.0


class DongleSim(SimDevice):
    def __init__(self, world: RadioWorld, config: DongleConfig | None = None, *, clock: Clock | None = None):
        cfg = config or DongleConfig()
        super().__init__(clock=clock or world.clock, baudrate=57600 if cfg.technology == "rf_mesh" else 38400)
        self.world = world
        self.cfg = cfg
        self._decoder = LineDecoder()
        self._job: tuple[str, deque[tuple[float, Message]]] | None = None
        self._rng = random.Random(f"{world.seed}:{cfg.address}")
        self._first_asked: dict[str, float] = {}
        self._parts: dict[str, list[str]] = {}
        self._delivered: dict[str, tuple[str, str]] = {}
        self._lines_out = 0
        self._booted = False

    # -- output ---------------------------------------------------------------------------------
    def emit(self, msg: Message, after_s: float = 0.0) -> None:
        line = encode(msg)
        self._lines_out += 1
        if self.cfg.corrupt_every and self._lines_out % self.cfg.corrupt_every == 0:
            line = line[:-4] + (b"00" if line[-4:-2] != b"00" else b"FF") + b"\r\n"
        if self.cfg.garbage:
            line = bytes(self._rng.randrange(0, 256) for _ in range(5)).replace(b"$", b"#") + line
        self.send(line, after_s)

    def error(self, tag: str, code: int, text: str | None = None) -> None:
        self.emit(Message(tag, "ERR", {"code": str(code), "text": text or ERRORS[code]}), 0.005)

    # -- input ----------------------------------------------------------------------------------
    def on_bytes(self, data: bytes) -> None:
        for item in self._decoder.feed(data):
            if self.cfg.silent:
                continue
            if isinstance(item, BadLine):
                tag = item.raw.split(b" ", 1)[0].decode("ascii", "replace")
                tag = tag if tag.isdigit() and len(tag) <= 4 else "0"
                self.error(tag, 413 if item.reason == "line too long" else 401 if "checksum" in item.reason else 400)
                continue
            self._request(item)

    def _request(self, m: Message) -> None:
        spec = COMMANDS.get(m.verb)
        if spec is None:
            return self.error(m.tag, 404, f"unknown command {m.verb}")
        if m.verb == "CANCEL":
            if self._job is not None:
                self.error(self._job[0], 499)
                self._job = None
            return self.emit(Message(m.tag, "OK"), 0.005)
        if self._job is not None:
            return self.error(m.tag, 409)
        missing = [k for k in spec.required if k not in m.fields]
        if missing:
            return self.error(m.tag, 400, f"missing {','.join(missing)}")
        try:
            getattr(self, f"do_{m.verb.lower()}")(m)
        except ValueError as e:
            self.error(m.tag, 400, str(e))

    def tick(self) -> None:
        if not self._booted and not self.cfg.silent:
            self._booted = True
            self.emit(Message("!", "EVT", {"kind": "boot", "proto": self.cfg.protocol}))
        if self._job is None:
            return
        tag, steps = self._job
        now = self.clock.monotonic()
        while steps and steps[0][0] <= now:
            self.emit(steps.popleft()[1])
        if not steps:
            self._job = None

    def _start_job(self, tag: str, steps: list[tuple[float, Message]]) -> None:
        """Records and the final line, each at its own device time from now."""
        now = self.clock.monotonic()
        self._job = (tag, deque((now + self.clock.seconds(t), msg) for t, msg in steps))

    # -- commands -------------------------------------------------------------------------------
    def do_hello(self, m: Message) -> None:
        self.emit(Message(m.tag, "OK", {
            "proto": self.cfg.protocol, "tech": self.cfg.technology, "vendor": self.cfg.vendor,
            "model": self.cfg.model, "fw": self.cfg.firmware, "addr": self.cfg.address}), 0.01)

    def do_survey(self, m: Message) -> None:
        dwell = int(m.get("dwell", "2000")) / 1000.0
        if not 0.05 <= dwell <= 60:
            raise ValueError("dwell must be 50..60000 ms")
        steps = []
        heard = [k for k in self.world.links(self.cfg.technology) if k.snr_db > -3]
        for i, link in enumerate(heard):
            fields = {"id": link.site.id, "role": link.site.role, "snr": f"{link.snr_db + self._rng.gauss(0, 0.5):.1f}",
                      "hops": str(link.site.hops_to_ami)}
            fields["rssi"] = f"{link.rssi_dbm + self._rng.gauss(0, 1.0):.1f}"
            if self.cfg.technology == "rf_mesh":
                fields["lqi"] = str(link.lqi)
            steps.append((dwell * (i + 1) / (len(heard) + 1), Message(m.tag, "NODE", fields)))
        steps.append((dwell, Message(m.tag, "OK", {"count": str(len(heard))})))
        self._start_job(m.tag, steps)

    def _hop_ms(self) -> float:
        return self._rng.gauss(70, 12) if self.cfg.technology == "rf_mesh" else self._rng.gauss(320, 50)

    def do_ping(self, m: Message) -> None:
        count = int(m.get("count", "10"))
        timeout = int(m.get("timeout", "2000")) / 1000.0
        if not (1 <= count <= 100 and 0.05 <= timeout <= 30):
            raise ValueError("count must be 1..100 and timeout 50..30000 ms")
        target = m.fields["target"]
        site = self.world.site(target)
        if target == "ami" or (site is not None and site.role in ("collector", "concentrator")):
            path, ok = self.world.path_to_ami(self.cfg.technology)
            if target != "ami":
                link = next((k for k in self.world.links(self.cfg.technology) if k.site.id == target), None)
                path, ok = ([link], 1 - link.loss_probability) if link else ([], 0.0)
            if not path:
                return self.error(m.tag, 503, "no collector in range")
            first, via = path[0], path[-1].site.id
        elif site is not None:  # a relay or repeater: one hop
            link = next((k for k in self.world.links(self.cfg.technology) if k.site.id == target), None)
            if link is None:
                return self.error(m.tag, 503, f"{target} is out of service")
            first, ok, via, path = link, 1 - link.loss_probability, target, [link]
        else:  # a meter beside the installer
            state = self.cfg.meters.get(target, "ok")
            first, ok, via, path = None, (0.0 if state == "dead" else 0.995), target, [None]
        steps, at, received = [], 0.0, 0
        for seq in range(1, count + 1):
            if self._rng.random() < ok:
                rtt = sum(max(15.0, self._hop_ms()) for _ in path)
                at += rtt / 1000
                fields = {"seq": str(seq), "rtt": f"{rtt:.0f}"}
                rssi = first.rssi_dbm if first else (-38.0 if self.cfg.technology == "rf_mesh" else 108.0)
                snr = first.snr_db if first else 60.0
                fields.update(rssi=f"{rssi + self._rng.gauss(0, 2):.1f}", snr=f"{snr + self._rng.gauss(0, 1):.1f}")
                steps.append((at, Message(m.tag, "ECHO", fields)))
                received += 1
            else:
                at += timeout
                steps.append((at, Message(m.tag, "LOST", {"seq": str(seq)})))
            at += 0.05  # inter-packet gap
        steps.append((at, Message(m.tag, "OK", {"sent": str(count), "received": str(received), "via": via})))
        self._start_job(m.tag, steps)

    def do_status(self, m: Message) -> None:
        target = m.fields["target"]
        state = self.cfg.meters.get(target, "ok")
        if state == "dead":
            return self._start_job(m.tag, [(1.0, Message(m.tag, "ERR", {"code": "408", "text": "no reply from meter"}))])
        first = self._first_asked.setdefault(target, self.clock.monotonic())
        path, ok = self.world.path_to_ami(self.cfg.technology)
        via = path[-1].site.id if path else ""
        if state == "denied":
            out = {"state": "denied", "detail": "the head-end refused the meter's credentials"}
        elif state == "unjoined" or ok < 0.5:
            out = {"state": "not_registered", "detail": "no collector answers the meter" if ok < 0.5 else "not joined"}
        elif (self.clock.monotonic() - first) < self.clock.seconds(self.cfg.join_delay_s):
            out = {"state": "joining", "detail": f"joining through {via}"}
        else:
            out = {"state": "registered", "detail": f"registered through {via}"}
        out["via"] = via if out["state"] != "not_registered" else ""
        self.emit(Message(m.tag, "OK", {k: v for k, v in out.items() if v}), 0.15)

    def do_softreg(self, m: Message) -> None:
        ident, part, parts = m.fields["id"], int(m.fields["part"]), int(m.fields["parts"])
        if not (1 <= part <= parts <= 64):
            raise ValueError("part must be 1..parts, parts at most 64")
        if ident in self._delivered:  # the host repeats a part whose OK it never got: answer the same
            ref, via = self._delivered[ident]
            return self.emit(Message(m.tag, "OK", {"part": str(part), "ref": ref, "via": via}), 0.01)
        got = self._parts.setdefault(ident, [])
        if part == len(got) and got:
            return self.emit(Message(m.tag, "OK", {"part": str(part)}), 0.01)
        if part != len(got) + 1:
            self._parts.pop(ident, None)
            raise ValueError(f"part {part} out of order; start again with part 1")
        got.append(m.fields["data"])
        if part < parts:
            return self.emit(Message(m.tag, "OK", {"part": str(part)}), 0.01)
        data = "".join(self._parts.pop(ident))
        path, ok = self.world.path_to_ami(self.cfg.technology)
        if not path or ok < 0.3:
            return self.error(m.tag, 503, "no collector in range; try again nearer the network")
        import base64
        import binascii
        import json

        try:
            record = json.loads(base64.urlsafe_b64decode(data.encode()))
        except (binascii.Error, ValueError):
            raise ValueError("data is not base64url JSON") from None
        ref = uuid.UUID(int=self._rng.getrandbits(128)).hex[:12]
        self._delivered[ident] = (ref, path[-1].site.id)
        self.world.receive_soft_registration({"ref": ref, "via": path[-1].site.id, "record": record,
                                              "technology": self.cfg.technology})
        self.emit(Message(m.tag, "OK", {"part": str(part), "ref": ref, "via": path[-1].site.id}), 0.3)

    def do_time(self, m: Message) -> None:
        path, ok = self.world.path_to_ami(self.cfg.technology)
        if not path or ok < 0.3:
            return self.error(m.tag, 503, "no collector in range")
        t = (self.clock.now() + timedelta(seconds=self.cfg.clock_offset_s)).astimezone(UTC)
        self.emit(Message(m.tag, "OK", {"utc": t.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                                        "source": f"{path[-1].site.role} {path[-1].site.id}"}), 0.1)
