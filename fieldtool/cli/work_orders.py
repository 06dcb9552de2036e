"""``fieldtool work-orders``: import the day's download, list and show the jobs."""

from __future__ import annotations

from fieldtool.cli._common import command, group, read_json_file
from fieldtool.cli._install_service import install_service
from fieldtool.domain.codec import to_data
from fieldtool.domain.model import WorkOrderStatus


def register(sub) -> None:
    g = group(sub, "work-orders", "the work orders downloaded into the field tool")
    p = command(g, "import", _import, "import a work-order download (all or nothing; see docs/work-orders.md)")
    p.add_argument("file", metavar="FILE.json")
    p = command(g, "list", _list, "the jobs in route and schedule order")
    p.add_argument("--route")
    p.add_argument("--status", choices=[s.value for s in WorkOrderStatus])
    p.add_argument("--installer", help="only this installer's jobs")
    p.add_argument("--text", help="search id, address, customer, ISP, account and old meter number")
    p = command(g, "show", _show, "one work order with the plan and its exchange state")
    p.add_argument("id")


def _import(args):
    data = read_json_file(args.file)
    with install_service() as svc:
        r = svc.import_download(data, source=args.file)
    return {
        "imported": r.imported,
        "installer_id": r.installer_id,
        "issued_stock": r.issued_stock,
        "work_orders": list(r.work_order_ids),
        "kept_local_status": list(r.kept_local_status),
    }


def _list(args):
    with install_service() as svc:
        orders = svc.store.work_orders.list(route=args.route, status=args.status, text=args.text,
                                            installer_id=args.installer)
        states = svc.store.exchanges.states()
    return {"work_orders": [_summary(o, states.get(o.id)) for o in orders]}


def _summary(o, state):
    sp = o.service_point
    return {
        "id": o.id,
        "kind": o.kind,
        "status": o.status,
        "route": o.route,
        "schedule_order": o.schedule_order,
        "customer_name": sp.customer_name,
        "premise_address": sp.premise_address,
        "old_meter_number": o.removal.meter_number if o.removal else None,
        "window_start": o.window_start,
        "window_end": o.window_end,
        "installer_id": o.installer_id,
        "exchange_state": state,
    }


def _show(args):
    with install_service() as svc:
        order = svc.work_order(args.id)
        state = svc.store.exchanges.state(args.id)
    return to_data(order) | {"exchange_state": state}
