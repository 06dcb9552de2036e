"""``fieldtool gps``: read a GNSS receiver, or replay an NMEA log."""

from __future__ import annotations

from fieldtool.cli._common import command, group
from fieldtool.config import load_config
from fieldtool.domain.errors import InputError
from fieldtool.protocols.nmea import ERROR_KINDS


def register(sub) -> None:
    g = group(sub, "gps", "the GNSS receiver: live fixes, averaging, log replay")
    p = command(g, "read", _read, "read a receiver for a while and report its fixes")
    p.add_argument("--port", help="serial port or socket://host:port (default: [gps] port)")
    p.add_argument("--seconds", type=float, default=10.0, help="how long to read (default 10)")
    p.add_argument("--baudrate", type=int)
    p = command(g, "replay", _replay, "decode an NMEA log file")
    p.add_argument("file")


def _summary(decoder, fixes, avg) -> dict:
    usable = [g for g in fixes if g.usable]
    last = usable[-1] if usable else None
    return {
        "sentences": decoder.counts["sentences"],
        "fixes": len(fixes),
        "usable_fixes": len(usable),
        "errors": decoder.errors,
        "error_kinds": {k: decoder.counts[k] for k in ERROR_KINDS if decoder.counts[k]},
        "last": None if last is None else {"lat": round(last.fix.lat, 7), "lon": round(last.fix.lon, 7),
                                           "accuracy_m": last.accuracy_m, "time": last.fix.time},  # fmt: skip
        "average": None if avg is None else {"lat": round(avg.lat, 7), "lon": round(avg.lon, 7), "accuracy_m": avg.accuracy_m,
                                             "time": avg.time, "used": avg.used, "rejected": avg.rejected,
                                             "spread_m": avg.spread_m},  # fmt: skip
    }


def _replay(args):
    from fieldtool.devices.gps import replay

    r = replay(args.file, load_config().section("gps"))
    return _summary(r.decoder, r.fixes, r.average)


def _read(args):
    import dataclasses
    import threading

    from fieldtool.devices.gps import GpsReceiver, average_fixes

    settings = load_config().section("gps")
    url = args.port or settings.port
    if not url:
        raise InputError("No GPS port given.", hint="Use --port or set [gps] port in the configuration.")
    if args.baudrate:
        settings = dataclasses.replace(settings, baudrate=args.baudrate)
    with GpsReceiver(url, settings) as rx:
        threading.Event().wait(max(0.0, args.seconds))
        fixes = rx.history()
        status = rx.status()
    usable = [g for g in fixes if g.usable][-settings.average_fixes :]
    out = _summary(rx.decoder, fixes, average_fixes(usable, settings))
    out["state"] = status["state"]
    out["satellites_in_view"] = status["satellites_in_view"]
    if status["error"]:
        out["error_detail"] = status["error"]
    return out
