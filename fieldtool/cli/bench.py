"""``fieldtool bench``: the sample plan for a lot size, and a whole lot run from the command line."""

from __future__ import annotations

import threading

from fieldtool.cli._common import command, group
from fieldtool.cli._custody_env import open_services, unit_ids
from fieldtool.clock import SYSTEM_CLOCK
from fieldtool.config import load_config
from fieldtool.domain.bench import BenchTest, LoadPoint, Outcome, parse_test_board_csv
from fieldtool.domain.errors import InputError
from fieldtool.domain.sampling import plan_for


def register(sub) -> None:
    g = group(sub, "bench", "meter-shop bench mode: lot sampling and acceptance")
    p = command(g, "plan", _plan, "the sample plan for a lot size (Level II, normal, AQL 1.0, double)")
    p.add_argument("--lot-size", type=int, required=True)

    lot = group(g, "lot", "run a lot: receive, plan, pick, check in, test, decide, report")
    p = command(lot, "receive", _receive, "open a lot of units received at the warehouse")
    p.add_argument("lot")
    p.add_argument("--document", required=True, help="the ship notice or PO the lot came under")
    p.add_argument("--units", help="file of the lot's meter numbers (default: every received unit of lot LOT)")
    p.add_argument("--actor", required=True)
    p = command(lot, "plan", _lot_plan, "choose the plan, record the seed, draw the first sample")
    p.add_argument("lot")
    p.add_argument("--seed", type=int, help="the random seed (default: a fresh one, recorded)")
    p.add_argument("--actor", required=True)
    p = command(lot, "pick-list", _pick_list, "the units of the open sample and where they are")
    p.add_argument("lot")
    for name, handler, text in (("pick", _pick, "scan sampled units out to the meter shop (step 4.1)"),
                                ("check-in", _check_in, "scan sampled units in at the meter shop (step 4.2)")):
        p = command(lot, name, handler, text)
        p.add_argument("lot")
        p.add_argument("--scans", help="file of meter numbers, one per line")
        p.add_argument("--scan", action="append", help="one meter number (repeat)")
        p.add_argument("--actor", required=True)
    p = command(lot, "test", _test, "communications and disconnect-switch tests through the optical port")
    p.add_argument("lot")
    p.add_argument("meter")
    p.add_argument("--port", required=True, help="optical probe: COM3, /dev/ttyUSB0, socket://host:port")
    p.add_argument("--only", choices=["comms", "disconnect"], help="run one of the two tests")
    p.add_argument("--actor", required=True)
    p = command(lot, "han-test", _han_test, "the HAN device bench test through the bench meter's ESI")
    p.add_argument("lot")
    p.add_argument("meter", help="the bench meter (the unit whose HAN test this is)")
    p.add_argument("--port", required=True, help="optical probe: COM3, /dev/ttyUSB0, socket://host:port")
    p.add_argument("--device", action="append", default=[],
                   help="EUI64:INSTALL_CODE of a device to join and configure, or EUI64 of one already on (repeat)")
    p.add_argument("--program", action="append", default=[], choices=["load_control", "price", "messaging"],
                   help="a program to configure on every device (repeat)")
    p.add_argument("--actor", required=True)
    p = command(lot, "accuracy", _accuracy, "accuracy at FL, LL and PF: typed in, or a test-board CSV")
    p.add_argument("lot")
    p.add_argument("meter", nargs="?", help="the meter (not with --csv)")
    p.add_argument("--full-load", type=float, help="% registration at full load, unity PF")
    p.add_argument("--light-load", type=float, help="% registration at light load, unity PF")
    p.add_argument("--power-factor", type=float, help="% registration at full load, 0.5 PF lagging")
    p.add_argument("--csv", help="test-board file: meter_number,full_load_pct,light_load_pct,power_factor_pct")
    p.add_argument("--actor", required=True)
    p = command(lot, "result", _result, "fail a unit on a test, or mark a test not run (with the reason)")
    p.add_argument("lot")
    p.add_argument("meter")
    p.add_argument("--test", required=True, choices=[t.value for t in BenchTest])
    p.add_argument("--outcome", required=True, choices=[Outcome.FAILED.value, Outcome.NOT_RUN.value])
    p.add_argument("--reason", required=True)
    p.add_argument("--actor", required=True)
    p = command(lot, "decide", _decide, "accept, reject or draw the second sample")
    p.add_argument("lot")
    p.add_argument("--actor", required=True)
    p = command(lot, "return-samples", _return_samples, "ship passed samples back to the warehouse (step 4.5)")
    p.add_argument("lot")
    p.add_argument("--document", help="the transfer document (default: the lot id)")
    p.add_argument("--actor", required=True)
    p = command(lot, "return-to-vendor", _return_to_vendor, "ship failed units / the rejected lot back")
    p.add_argument("lot")
    p.add_argument("--document", required=True, help="the vendor's RMA number")
    p.add_argument("--reason", default="")
    p.add_argument("--actor", required=True)
    p = command(lot, "status", _status, "the lot: plan, seed, samples, results, decisions")
    p.add_argument("lot")
    p = command(lot, "report", _report, "write the printable lot report (HTML, or PDF for a .pdf path)")
    p.add_argument("lot")
    p.add_argument("--out", required=True, help="report.html or report.pdf")
    command(lot, "list", _list, "every lot with its status")


def _plan(args):
    return plan_for(args.lot_size).as_dict()


def _receive(args):
    units = unit_ids(args.units, None) if args.units else None
    _, _, bench = open_services()
    lot = bench.receive_lot(args.lot, units, document=args.document, actor=args.actor)
    return {"lot_id": lot.lot_id, "lot_size": lot.lot_size, "asset_type": lot.asset_type, "status": lot.status}


def _lot_plan(args):
    _, _, bench = open_services()
    return bench.plan(args.lot, actor=args.actor, seed=args.seed)


def _pick_list(args):
    _, _, bench = open_services()
    return bench.pick_list(args.lot)


def _pick(args):
    ids = unit_ids(args.scans, args.scan)
    _, _, bench = open_services()
    return bench.pick(args.lot, ids, actor=args.actor).as_dict()


def _check_in(args):
    ids = unit_ids(args.scans, args.scan)
    _, _, bench = open_services()
    return bench.check_in(args.lot, ids, actor=args.actor).as_dict()


def _test(args):
    from fieldtool.services.bench_meter import open_bench_meter

    _, _, bench = open_services()
    bench.lot(args.lot)  # refuse an unknown lot before the port is opened
    meter = open_bench_meter(args.port, clock=SYSTEM_CLOCK)
    cancel = threading.Event()
    out = []
    try:
        if args.only in (None, "comms"):
            out.append(bench.run_comms(args.lot, args.meter, meter, actor=args.actor, cancel=cancel))
        if args.only in (None, "disconnect"):
            out.append(bench.run_disconnect(args.lot, args.meter, meter, actor=args.actor, cancel=cancel))
    finally:
        meter.close()
    return out


def _han_test(args):
    from fieldtool.devices.han import OpticalHanTransport
    from fieldtool.devices.meter import MeterLink, meter_password
    from fieldtool.services.bench_han import parse_device
    from fieldtool.services.han import HanService
    from fieldtool.store.vault import open_vault

    requests = [parse_device(d, tuple(args.program)) for d in args.device]
    store, _, bench = open_services()
    bench.lot(args.lot)  # refuse an unknown lot before the port is opened
    cfg = load_config()
    optical, han_settings = cfg.section("optical"), cfg.section("han")
    vault = open_vault(store) if requests else None  # link keys go to the vault (I1FR46)
    link = MeterLink(args.port, settings=optical, password=meter_password(optical))
    try:
        han = HanService(store, settings=han_settings, clock=SYSTEM_CLOCK, vault=vault)
        return bench.run_han(args.lot, args.meter, han, OpticalHanTransport(link, han_settings), requests,
                             actor=args.actor, cancel=threading.Event())
    finally:
        link.close()


def _accuracy(args):
    points = {LoadPoint.FULL_LOAD: args.full_load, LoadPoint.LIGHT_LOAD: args.light_load,
              LoadPoint.POWER_FACTOR: args.power_factor}
    typed = {k: v for k, v in points.items() if v is not None}
    if args.csv:
        if args.meter or typed:
            raise InputError("Give either --csv or one meter with its three readings, not both.")
        try:
            with open(args.csv, encoding="utf-8", newline="") as f:
                rows = parse_test_board_csv(f.read())
        except FileNotFoundError as e:
            raise InputError(f"There is no file {args.csv}.") from e
        except UnicodeDecodeError as e:
            raise InputError(f"{args.csv} is not UTF-8 text.") from e
        _, _, bench = open_services()
        return bench.import_accuracy(args.lot, rows, actor=args.actor, source=f"csv:{args.csv}")
    if not args.meter or len(typed) != 3:
        raise InputError("Give the meter and all three readings: --full-load, --light-load, --power-factor.")
    _, _, bench = open_services()
    return bench.record_accuracy(args.lot, args.meter, typed, actor=args.actor)


def _result(args):
    _, _, bench = open_services()
    return bench.record_manual(args.lot, args.meter, BenchTest(args.test), Outcome(args.outcome), args.reason,
                               actor=args.actor)


def _decide(args):
    _, _, bench = open_services()
    return bench.decide(args.lot, actor=args.actor)


def _return_samples(args):
    _, _, bench = open_services()
    return bench.return_samples(args.lot, actor=args.actor, document=args.document)


def _return_to_vendor(args):
    _, _, bench = open_services()
    return bench.return_to_vendor(args.lot, actor=args.actor, document=args.document, reason=args.reason)


def _status(args):
    _, _, bench = open_services()
    return bench.status(args.lot)


def _report(args):
    from fieldtool.services.report import write_lot_report

    _, _, bench = open_services()
    path = write_lot_report(bench.status(args.lot), args.out, generated_at=SYSTEM_CLOCK.now().isoformat())
    return {"lot_id": args.lot, "written": str(path), "bytes": path.stat().st_size}


def _list(args):
    _, _, bench = open_services()
    return [{"lot_id": lot.lot_id, "lot_size": lot.lot_size, "status": lot.status, "decision": lot.decision,
             "document": lot.document} for lot in bench.repo.lots()]
