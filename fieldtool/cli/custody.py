"""``fieldtool custody``: ship notices and orders, receipt, moves (one unit or a pallet), history."""

from __future__ import annotations

import dataclasses

from fieldtool.cli._common import command, group, read_json_file
from fieldtool.cli._custody_env import (
    label_scans,
    open_services,
    packing_contents,
    read_lines,
    scanned_units,
    unit_ids,
)
from fieldtool.clock import SYSTEM_CLOCK
from fieldtool.domain.codec import from_data, to_data
from fieldtool.domain.custody import TRANSITIONS, Move, MoveRequest, State
from fieldtool.domain.errors import InputError
from fieldtool.domain.receipt import PurchaseOrder, ShipNotice
from fieldtool.services.custody import history_dict, receipt_dict


def register(sub) -> None:
    g = group(sub, "custody", "asset custody from the vendor to disposal")
    n = group(g, "notice", "advance ship notices")
    p = command(n, "import", _notice_import, "import a ship notice (JSON) and start tracking its units")
    p.add_argument("file")
    p.add_argument("--actor", required=True, help="who imports it")
    o = group(g, "order", "purchase orders")
    p = command(o, "import", _order_import, "import a purchase order (JSON)")
    p.add_argument("file")

    p = command(g, "receive", _receive, "receive a shipment against its ship notice or purchase order")
    p.add_argument("document", help="the ship notice or purchase order number")
    _scan_args(p)
    p.add_argument("--actor", required=True)
    p.add_argument("--location", help="where (default: the configured warehouse)")

    p = command(g, "move", _move, "move one or more units, or a whole pallet or box")
    p.add_argument("move", choices=[m.value for m in Move])
    p.add_argument("assets", nargs="*", help="meter numbers (or use --scans / --container)")
    p.add_argument("--scans", help="file of meter numbers, one per line (- for standard input)")
    p.add_argument("--container", help="pallet or box label id: moves every unit packed in it")
    p.add_argument("--contents", help="file listing the container's units (from its packing label)")
    p.add_argument("--packing-label", help="the packing or pallet label's text: moves every meter it lists")
    p.add_argument("--except", dest="exceptions", action="append", default=[],
                   help="a unit of the container to leave where it is (repeat)")
    p.add_argument("--actor", required=True, help="who makes the move")
    p.add_argument("--location", required=True, help="where the unit is after the move")
    p.add_argument("--document", required=True, help="PO, notice, transfer, lot, work order or RMA number")
    p.add_argument("--reason", default="")
    p.add_argument("--holder", help="the installer, for issue_to_installer")
    p.add_argument("--disposal-method")
    p.add_argument("--disposal-cost", type=float)
    p.add_argument("--module", help="the comm module serial seen on the unit (checked against the record)")
    p.add_argument("--job", help="the work order this move belongs to (install, remove)")

    p = command(g, "history", _history, "a unit's whole custody history")
    p.add_argument("asset")
    p = command(g, "list", _list, "tracked units, filtered")
    p.add_argument("--state", choices=[s.value for s in State])
    p.add_argument("--lot")
    p.add_argument("--holder")
    p.add_argument("--container")
    command(g, "moves", _moves, "the moves and the states each is allowed from")


def _scan_args(p) -> None:
    p.add_argument("--scans", help="file of scans: METER or METER,TYPE per line (- for standard input)")
    p.add_argument("--scan", action="append", help="one scan METER or METER,TYPE (repeat)")
    p.add_argument("--labels", help="file of raw label texts, one per line (meter, packing or HAN labels)")


def _notice_import(args):
    notice = from_data(ShipNotice, read_json_file(args.file), f"ship notice {args.file}")
    _, custody, _ = open_services()
    return {"document": notice.document, **custody.import_notice(notice, actor=args.actor)}


def _order_import(args):
    order = from_data(PurchaseOrder, read_json_file(args.file), f"purchase order {args.file}")
    _, custody, _ = open_services()
    return custody.import_order(order)


def _receive(args):
    scans, label_problems = label_scans(args.labels) if args.labels else ([], [])
    if args.scans or args.scan or not args.labels:
        scans += scanned_units(args.scans, args.scan)
    _, custody, _ = open_services()
    rec, batch = custody.receive(args.document, scans, actor=args.actor, location=args.location)
    out = {"document": args.document, **receipt_dict(rec, batch), "label_problems": label_problems}
    out["clean"] = out["clean"] and not label_problems
    return out


def _move(args):
    move = Move(args.move)
    template = MoveRequest(
        "", move, actor=args.actor, at=SYSTEM_CLOCK.now(), location=args.location, document=args.document,
        reason=args.reason, holder=args.holder, disposal_method=args.disposal_method,
        disposal_cost=args.disposal_cost,
        observed_components={"comm_module": args.module} if args.module else {},
    )
    _, custody, _ = open_services()
    if args.container or args.contents or args.packing_label:
        if args.assets or args.scans:
            raise InputError("Give either a container or units, not both.")
        container, contents = args.container, read_lines(args.contents) if args.contents else None
        if args.packing_label:
            sscc, contents = packing_contents(args.packing_label)
            container = container or sscc or "packing label"
        result = custody.move_container(container, template, contents=contents, exceptions=args.exceptions)
    else:
        if args.exceptions:
            raise InputError("--except applies to a container (--container or --contents).")
        ids = list(args.assets) + (unit_ids(args.scans, None) if args.scans else [])
        if not ids:
            raise InputError("Name the unit(s) to move, or a container.")
        if len(ids) == 1:  # one unit: a refusal is the command's refusal
            record = custody.move(dataclasses.replace(template, asset_id=ids[0]), job_id=args.job)
            return {"moved": [ids[0]], "excepted": [], "refused": [], "record": to_data(record)}
        result = custody.move_many(ids, template)
    out = result.as_dict()
    if result.refused and not result.moved:
        raise InputError("Nothing was moved: " + "; ".join(f"{r['asset_id']}: {r['reason']}" for r in result.refused))
    return out


def _history(args):
    _, custody, _ = open_services()
    return history_dict(custody.history(args.asset))


def _list(args):
    _, custody, _ = open_services()
    assets = custody.repo.list(state=State(args.state) if args.state else None, lot_number=args.lot,
                               holder=args.holder, container=args.container)
    return [to_data(a) for a in assets]


def _moves(args):
    return [{"move": m.value, "from": sorted(s.value if s else "untracked" for s in rule.sources),
             "to": rule.target.value if rule.target else "unchanged", "action_taken": rule.action_taken,
             "other_kind": rule.other_kind} for m, rule in TRANSITIONS.items()]
