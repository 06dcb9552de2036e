"""``fieldtool meter``: the optical port from the command line (identify, read, write-install, set-clock,
load-program). Each command opens one session on ``--port`` (COM3, /dev/ttyUSB0, a pty, socket://...),
does its work and ends the session with Logoff and Terminate."""

from __future__ import annotations

import sys
from contextlib import contextmanager

from fieldtool.cli._common import command, group
from fieldtool.domain.errors import InputError, UserFacingError


def register(sub) -> None:
    g = group(sub, "meter", "talk to a meter through the optical probe (ANSI C12.18 or IEC 62056-21)")
    p = command(g, "identify", _identify, "identity, health check, registration and clock of the meter")
    _port_args(p)
    p = command(g, "read", _read, "read one table (ST n or MT n) and decode it where the tool knows it")
    _port_args(p)
    p.add_argument("--table", required=True, help="table number: 6, ST6, MT1 or 2049")
    p = command(g, "registers", _registers, "energy (delivered and received), demand and power-quality registers")
    _port_args(p)
    p = command(g, "write-install", _write_install, "write the work order's installation data into the meter")
    _port_args(p)
    p.add_argument("--work-order", required=True, help="work order id (from the local store)")
    p.add_argument("--removed-meter", help="the meter number actually removed (default: the planned one)")
    p.add_argument("--final-read", type=float, help="the removed meter's final read")
    p.add_argument("--installer", default="", help="installer id")
    p = command(g, "set-clock", _set_clock, "set the meter clock from this computer's clock (SP10)")
    _port_args(p)
    p = command(g, "load-program", _load_program, "load a program (tariff) and read its id back")
    _port_args(p)
    p.add_argument("--program", required=True, help="program id from the program catalog")
    p = command(g, "self-test", _self_test, "run the meter's self-test (SP11) and report its health")
    _port_args(p)
    p.add_argument("--clear", action="store_true", help="then clear the standard status flags (SP7)")
    p = command(g, "signal-log", _signal_log, "the meter's logged AMI signal strength (I1FR34)")
    _port_args(p)


def _port_args(p) -> None:
    p.add_argument("--port", required=True, help="COM3, /dev/ttyUSB0, a pty path or socket://HOST:PORT")
    p.add_argument("--protocol", choices=("c1218", "iec62056-21"), help="skip detection")
    p.add_argument("--transcript", action="store_true", help="also print the session transcript (hex)")
    p.add_argument("--progress", action="store_true", help="print progress on standard error")


@contextmanager
def _link(args):
    from fieldtool.config import load_config, paths
    from fieldtool.devices.meter import MeterLink, meter_password

    settings = load_config().section("optical")
    link = MeterLink(args.port, settings=settings, password=meter_password(settings), protocol=args.protocol,
                     transcript_dir=paths().log_dir / "optical")  # fmt: skip
    if args.progress:
        link.progress = lambda step, f: print(f"{int(f * 100):3d}% {step}", file=sys.stderr, flush=True)
    try:
        yield link
    finally:
        link.close()
        if args.transcript:
            for line in link.transcript.lines():
                print(line, file=sys.stderr)


def _identify(args):
    with _link(args) as link:
        r = link.identify_and_check_health()
    ident, health, reg, clock = r["identity"], r["health"], r["registration"], r["clock"]
    return {
        "protocol": ident.protocol,
        "manufacturer": ident.manufacturer,
        "model": ident.model,
        "serial": ident.serial,
        "meter_id": ident.meter_id,
        "fw_version": ident.fw_version,
        "form": ident.form,
        "health": {"ok": health.ok, "critical": health.critical, "non_critical": health.non_critical,
                   "not_monitored": health.not_monitored},  # fmt: skip
        "registration": {"state": reg.state, "comm_address": reg.comm_address, "rssi_dbm": reg.rssi_dbm,
                         "since": reg.since},  # fmt: skip
        "clock": {"meter": clock.meter, "tool": clock.tool, "drift_s": clock.drift_s},
    }


def parse_table(text: str) -> int:
    t = text.strip().upper()
    try:
        if t.startswith("MT"):
            return 2048 + int(t[2:])
        if t.startswith("ST"):
            return int(t[2:])
        n = int(t)
    except ValueError:
        raise InputError(f"{text!r} is not a table number.", hint="Use 6, ST6, MT1 or 2049.") from None
    if not 0 <= n <= 0xFFFF:
        raise InputError(f"Table {n} is out of range (0 to 65535).")
    return n


def _read(args):
    table = parse_table(args.table)
    with _link(args) as link:
        raw, decoded = link.read_table(table)
    return {"table": table, "hex": raw.hex().upper(), "decoded": decoded}


def _registers(args):
    with _link(args) as link:
        regs = link.read_registers()
    return {"registers": [{"register": r.register, "value": r.value, "unit": r.unit} for r in regs]}


def _write_install(args):
    from fieldtool.devices.meter_api import InstallInfo
    from fieldtool.store.db import open_store

    with open_store() as store:
        order = store.work_orders.get(args.work_order)
    if order is None:
        raise UserFacingError(f"There is no work order {args.work_order} on this computer.",
                              hint="Sync to download your work orders, then try again.")  # fmt: skip
    sp = order.service_point
    removed = args.removed_meter or (order.removal.meter_number if order.removal else "")
    info = InstallInfo(
        service_point_id=sp.isp_number, work_order_id=order.id, removed_meter_id=removed,
        removed_final_read=args.final_read, customer_id=sp.account_number, installer_id=args.installer,
        latitude=sp.lat, longitude=sp.lon,
    )  # fmt: skip
    with _link(args) as link:
        out = link.write_install_info(info)
    return {"work_order": order.id, **out}


def _set_clock(args):
    with _link(args) as link:
        before = link.clock_check()
        after = link.set_clock()
    return {"before": {"meter": before.meter, "drift_s": before.drift_s},
            "after": {"meter": after.meter, "tool": after.tool, "drift_s": after.drift_s}}  # fmt: skip


def _load_program(args):
    with _link(args) as link:
        r = link.load_program(args.program)
    return {"requested": r.requested, "program_id": r.program_id, "loaded_at": r.loaded_at, "verified": r.verified}


def _signal_log(args):
    with _link(args) as link:
        samples = link.signal_log()
    return {"samples": [{"at": s.at, "rssi_dbm": s.rssi_dbm, "link_quality": s.link_quality} for s in samples]}


def _health(h) -> dict:
    return {"ok": h.ok, "critical": h.critical, "non_critical": h.non_critical, "not_monitored": h.not_monitored,
            "modes": h.modes}  # fmt: skip


def _self_test(args):
    with _link(args) as link:
        health = link.self_test()
        after = link.clear_status() if args.clear else None
    return {"health": _health(health), "after_clear": _health(after) if after else None}
