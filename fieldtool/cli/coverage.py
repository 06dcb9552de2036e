"""``fieldtool coverage``: test the network at a meter and keep the report; list and export reports."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

from fieldtool.cli._common import command, group
from fieldtool.config import load_config
from fieldtool.domain.codec import to_data
from fieldtool.domain.errors import InputError


def register(sub) -> None:
    g = group(sub, "coverage", "network coverage reports measured at meters (7.1A)")
    p = command(g, "test", _test, "test the network at the meter, judge it, keep and queue the report")
    p.add_argument("--technology", required=True, help="rf_mesh, plc, gprs (the meter's technology)")
    p.add_argument("--port", help="the radio's port URL (default: [radio] <technology>_port)")
    p.add_argument("--meter-address", help="the meter's network address (asks it over the air)")
    p.add_argument("--meter-number")
    p.add_argument("--job-id")
    p.add_argument("--lat", type=float)
    p.add_argument("--lon", type=float)
    p.add_argument("--accuracy", type=float, help="the position's accuracy in metres")
    p = command(g, "list", _list, "coverage reports kept on this tool, oldest first")
    _filters(p)
    p = command(g, "export", _export, "coverage reports as GeoJSON or CSV (stdout without --out)")
    p.add_argument("--format", required=True, choices=("geojson", "csv"))
    p.add_argument("--out", help="write to this file instead of stdout")
    _filters(p)
    p = command(g, "plot", _plot, "coverage plot data: points in metres around the reports' centre")
    _filters(p)
    p = command(g, "watch", _watch, "watch an unregistered meter: retry every [radio] registration_retry_interval_s")
    p.add_argument("--job-id", required=True)
    p.add_argument("--meter-number", required=True)
    p.add_argument("--technology")
    p.add_argument("--meter-address", help="the meter's network address (to ask it over the air)")
    command(g, "watches", _watches, "the registration watches still running")
    p = command(g, "watch-run", _watch_run,
                "check every watch that is due: over the air through a radio, or through the back office's head-end view")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--plugin", help="the radio plug-in (with --port)")
    how.add_argument("--headend", action="store_true", help="ask the back office (after the installer has left)")
    p.add_argument("--port")


def _filters(p) -> None:
    p.add_argument("--job-id")
    p.add_argument("--technology")
    p.add_argument("--since", help="ISO 8601 time; only reports measured then or later")


def _reports(args):
    from fieldtool.store.coverage import CoverageReports
    from fieldtool.store.db import open_store

    since = None
    if args.since:
        try:
            since = datetime.fromisoformat(args.since)
        except ValueError:
            raise InputError(f"--since {args.since!r} is not an ISO 8601 time.") from None
        if since.tzinfo is None:
            raise InputError("--since needs a time zone (e.g. 2026-05-01T00:00:00+00:00).")
    with open_store() as store:
        return CoverageReports(store).list(job_id=args.job_id, technology=args.technology, since=since)


def _test(args):
    from fieldtool.domain.model import Position
    from fieldtool.services.network_test import MeterAtHand, record_coverage, run_network_test
    from fieldtool.store.db import open_store

    if (args.lat is None) != (args.lon is None):
        raise InputError("Give both --lat and --lon, or neither.")
    settings = load_config().section("radio")
    position = Position(args.lat, args.lon, args.accuracy, source="manual") if args.lat is not None else None
    meter = MeterAtHand(args.technology, args.meter_address, args.meter_number, args.job_id)
    progress = None if args.json else (lambda f, words: print(f"  {f:4.0%} {words}", file=sys.stderr, flush=True))
    report = run_network_test(meter, settings=settings, position=position, port_url=args.port, progress=progress)
    with open_store() as store:
        queued = record_coverage(store, report)
    return {**to_data(report), "queued": queued}


def _list(args):
    return [to_data(r) for r in _reports(args)]


def _export(args):
    from fieldtool.services.coverage_export import to_csv, to_geojson

    reports = _reports(args)
    text = json.dumps(to_geojson(reports), ensure_ascii=False) + "\n" if args.format == "geojson" else to_csv(reports)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8", newline="")
        return {"written": str(Path(args.out)), "format": args.format, "count": len(reports)}
    sys.stdout.write(text)
    return None


def _plot(args):
    from fieldtool.services.coverage_export import plot_data

    return plot_data(_reports(args))


def _watch_row(w) -> dict:
    return {"job_id": w.job_id, "meter_number": w.meter_number, "technology": w.technology,
            "meter_address": w.meter_address, "started_at": w.started_at, "next_check_at": w.next_check_at,
            "attempts": w.attempts, "last_state": w.last_state, "last_checked_at": w.last_checked_at,
            "installer_left_at": w.installer_left_at, "soft_registration_ref": w.soft_registration_ref,
            "ended_at": w.ended_at, "outcome": w.outcome}


def _watcher(store, check=lambda w: None, send_soft=None):
    from fieldtool.services.registration_watch import RegistrationWatcher

    return RegistrationWatcher(store, settings=load_config().section("radio"), check=check, send_soft=send_soft)


def _watch(args):
    from fieldtool.store.db import open_store

    with open_store() as store:
        return _watch_row(_watcher(store).watch(job_id=args.job_id, meter_number=args.meter_number,
                                                technology=args.technology, meter_address=args.meter_address))


def _watches(args):
    from fieldtool.store.db import open_store

    with open_store() as store:
        return [_watch_row(w) for w in _watcher(store).active()]


def _watch_run(args):
    from fieldtool.services.registration_watch import headend_check, radio_check, radio_soft_sender

    if args.headend:
        from fieldtool.cli.sync import service

        svc = service()
        try:
            client = svc.client()
            try:
                return [_watch_row(w) for w in _watcher(svc.store, headend_check(client.registration)).run_due()]
            finally:
                client.close()
        finally:
            svc.store.close()
    if not args.port:
        raise InputError("--plugin needs --port (the radio's port URL).")
    from fieldtool.radio.registry import discover
    from fieldtool.store.db import open_store

    settings = load_config().section("radio")
    with discover().get(args.plugin).driver(args.port, settings=settings.driver_settings()) as radio, \
            open_store() as store:
        done = _watcher(store, radio_check(radio), radio_soft_sender(radio)).run_due()
        return [_watch_row(w) for w in done]
