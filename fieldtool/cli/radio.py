"""``fieldtool radio``: the radio plug-ins found, and a survey, link test, meter status or network time
through one of them on a port."""

from __future__ import annotations

import sys
import threading

from fieldtool.cli._common import command, group
from fieldtool.config import load_config
from fieldtool.domain.codec import to_data
from fieldtool.radio import API_VERSION, Capability
from fieldtool.radio.registry import discover


def register(sub) -> None:
    g = group(sub, "radio", "radio plug-ins (RF mesh, PLC, cellular): list, survey, link test")
    command(g, "list", _list, "the radio plug-ins found, with their technologies and load errors")
    p = command(g, "probe", _probe, "which plug-in's radio is on a port (each plug-in asked in turn)")
    p.add_argument("--port", required=True, help="port URL: /dev/ttyUSB0, COM4, socket://HOST:PORT")
    p = command(g, "survey", _survey, "listen for collectors, relays or cells through a radio")
    _radio_args(p)
    p = command(g, "link-test", _link_test, "send test packets to an address: loss, round trip, signal")
    _radio_args(p)
    p.add_argument("--target", required=True, help="meter network address, collector id, 'ami', or a host (cellular)")
    p.add_argument("--count", type=int, help="packets to send (default [radio] link_test_packets)")
    p = command(g, "meter-status", _meter_status, "ask a meter over the air whether it has registered")
    _radio_args(p)
    p.add_argument("--target", required=True, help="the meter's network address")
    p = command(g, "time", _time, "the network's time through a radio")
    _radio_args(p)


def _radio_args(p) -> None:
    p.add_argument("--plugin", required=True, help="plug-in name (see `fieldtool radio list`)")
    p.add_argument("--port", required=True, help="port URL: /dev/ttyUSB0, COM4, socket://HOST:PORT")


def _list(args):
    found = discover()
    return {
        "api_version": API_VERSION,
        "plugins": [
            {"name": p.name, "version": p.manifest.version, "api": list(p.manifest.api),
             "technologies": list(p.technologies), "description": p.manifest.description,
             "vendor": p.manifest.vendor, "entry_point": p.entry_point}
            for p in found.plugins.values()
        ],
        "errors": [{"plugin": e.plugin, "entry_point": e.entry_point, "error": e.message} for e in found.errors],
    }


def _probe(args):
    from fieldtool.radio import RadioError
    from fieldtool.radio.registry import probe_port

    hit = probe_port(args.port)
    if hit is None:
        raise RadioError(f"No radio plug-in recognises the device on {args.port}.",
                         hint="Check the port and the device's power; `fieldtool radio list` shows the plug-ins.")
    plugin, info = hit
    return {"plugin": plugin.name, "port": args.port, "device": to_data(info)}


def _open(args):
    settings = load_config().section("radio")
    plugin = discover().get(args.plugin)
    driver = plugin.driver(args.port, settings=settings.driver_settings())
    driver.open()
    return plugin, driver, settings


def _progress(args):
    if args.json:
        return None
    return lambda done, total, words: print(f"  {words}", file=sys.stderr, flush=True)


def _head(plugin, driver, args) -> dict:
    return {"plugin": plugin.name, "port": args.port, "device": to_data(driver.info),
            "capabilities": sorted(c.value for c in driver.capabilities())}


def _survey(args):
    plugin, driver, _ = _open(args)
    try:
        result = driver.survey(progress=_progress(args), cancel=threading.Event())
        out = _head(plugin, driver, args)
    finally:
        driver.close()
    data = to_data(result)
    data["neighbours"] = [{k: v for k, v in n.items() if v is not None} for n in data["neighbours"]]
    return {**out, **data}


def _link_test(args):
    plugin, driver, settings = _open(args)
    try:
        if Capability.LINK_TEST not in driver.capabilities():
            from fieldtool.radio import RadioNotSupported

            raise RadioNotSupported(f"The {plugin.name} radio on {args.port} cannot run a link test.")
        r = driver.link_test(args.target, count=args.count or settings.link_test_packets, progress=_progress(args))
        out = _head(plugin, driver, args)
    finally:
        driver.close()
    return {**out, "target": r.target, "sent": r.sent, "received": r.received, "loss_pct": r.loss_pct,
            "rtt_ms": r.rtt_summary, "signal_dbm": r.signal_dbm, "snr_db": r.snr_db, "via": r.via}


def _meter_status(args):
    plugin, driver, _ = _open(args)
    try:
        s = driver.registration_status(args.target)
    finally:
        driver.close()
    return {"plugin": plugin.name, "target": s.target, "state": s.state.value, "detail": s.detail, "via": s.via}


def _time(args):
    plugin, driver, _ = _open(args)
    try:
        t = driver.network_time()
    finally:
        driver.close()
    return {"plugin": plugin.name, "utc": t.utc, "source": t.source, "offset_s": t.offset_s}
