"""``fieldtool plan``: the planner's forecast, stock watch and billing-aware schedule (UC134 steps 1-3, 5)."""

from __future__ import annotations

from fieldtool.cli._common import command, group
from fieldtool.clock import SYSTEM_CLOCK


def register(sub) -> None:
    g = group(sub, "plan", "deployment planning: forecast, stock levels, orders and the install schedule")
    p = command(g, "forecast", _forecast,
                "meters needed, stock projected, min/max/safety stock and purchase orders per district and week")
    p.add_argument("--plan", required=True, metavar="FILE", help="the roll-out plan (docs/planning.md)")
    stock = p.add_mutually_exclusive_group()
    stock.add_argument("--stock", metavar="FILE", help="actuals: stock on hand and in transit, installs done")
    stock.add_argument("--from-store", action="store_true",
                       help="actuals from this laptop's store: custody records and completed jobs")
    p.add_argument("--district", help="only this district's series")
    p.add_argument("--item", help="only this meter or HAN device type's series")
    p.add_argument("--no-series", action="store_true", help="leave the weekly series out")
    p = command(g, "schedule", _schedule,
                "dated work orders kept off billing read dates, for billing and customer notification")
    p.add_argument("--plan", required=True, metavar="FILE", help="the roll-out plan (docs/planning.md)")
    stock = p.add_mutually_exclusive_group()
    stock.add_argument("--stock", metavar="FILE", help="actuals: schedule only what is not installed yet")
    stock.add_argument("--from-store", action="store_true", help="actuals from this laptop's store")
    p.add_argument("--out", required=True, metavar="FILE", help="FILE.csv or FILE.json")


def _run(args):
    from fieldtool.services import planning

    plan = planning.load_plan(args.plan)
    today = SYSTEM_CLOCK.now().date()
    actuals = planning.load_actuals(args.stock, plan) if args.stock else None
    if args.from_store:
        from fieldtool.store.db import open_store

        with open_store() as store:
            actuals = planning.actuals_from_store(store, plan, today)
    return planning.run(plan, actuals, today=today)


def _forecast(args):
    from fieldtool.domain.planreport import forecast_report

    result = _run(args)
    return forecast_report(result.forecast, result.flags, district=args.district, item=args.item,
                           with_series=not args.no_series)


def _schedule(args):
    from fieldtool.services import planning

    result = _run(args)
    out = planning.export_schedule(result.schedule, args.out)
    s = result.schedule
    days = s.day_of
    out.update({
        "plan_id": result.plan.plan_id,
        "guard_days": s.guard_days,
        "first_date": s.calendar.date(days.min()) if len(days) else None,
        "last_date": s.calendar.date(days.max()) if len(days) else None,
        "districts": len({ln.district for ln in result.plan.service_points if ln.count}),
    })
    return out
