"""Planning use cases: read a plan and a stock file, schedule, forecast, export (UC134 steps 1-3, 5).

The GUI's planner view and ``fieldtool plan ...`` both call these. Long runs take ``progress(fraction)``
and ``cancel()`` callables; they are called on the caller's thread (the GUI runs this off its own thread).
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from fieldtool.config import Config, load_config
from fieldtool.domain.actuals import Actuals, parse_actuals, remaining_per_line
from fieldtool.domain.calendar import make_calendar
from fieldtool.domain.errors import InputError, UserCancelled
from fieldtool.domain.forecast import Forecast, forecast
from fieldtool.domain.planfile import Plan, PlanningPolicy, parse_plan
from fieldtool.domain.schedule import COLUMNS, Schedule, build_schedule
from fieldtool.domain.stockwatch import StockFlag, stock_flags

Progress = Callable[[float], None]
Cancel = Callable[[], bool]


@dataclass
class PlanRun:
    plan: Plan
    schedule: Schedule
    forecast: Forecast
    actuals: Actuals | None
    flags: list[StockFlag] | None


def read_json(path: str | Path, what: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise InputError(f"There is no {what} {path}.") from e
    except IsADirectoryError as e:
        raise InputError(f"The {what} {path} is a folder, not a file.") from e
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise InputError(f"The {what} {path} is not valid JSON: {e}") from e


def load_plan(path: str | Path) -> Plan:
    return parse_plan(read_json(path, "plan file"), where=f"The plan {path}")


def load_actuals(path: str | Path, plan: Plan) -> Actuals:
    return parse_actuals(read_json(path, "stock file"), plan, where=f"The stock file {path}")


def settings(config: Config | None = None) -> tuple[PlanningPolicy, int]:
    """The planning policy and the billing guard days (the ``checks`` section, as the install check)."""
    config = config or load_config()
    return config.section("planning"), config.section("checks").billing_guard_days


def run(plan: Plan, actuals: Actuals | None = None, *, config: Config | None = None, today: date | None = None,
        progress: Progress | None = None, cancel: Cancel | None = None) -> PlanRun:
    """Schedule what remains of the plan from the planning date and forecast its stock.

    The planning date is the stock file's ``as_of``, else the plan's ``as_of``, else ``today``.
    """
    policy, guard = settings(config)
    as_of = actuals.as_of if actuals else (plan.as_of or today or plan.window_start)
    if as_of > plan.window_end:
        raise InputError(f"The plan's window ended on {plan.window_end}, before the planning date {as_of}.")
    cal = make_calendar(plan, as_of)
    left = remaining_per_line(plan, actuals)

    def part(lo: float, hi: float) -> Progress | None:
        return (lambda f: progress(lo + (hi - lo) * f)) if progress else None

    schedule = build_schedule(plan, cal, guard, left, part(0.0, 0.6), cancel)
    fc = forecast(plan, schedule, policy, actuals, part(0.6, 0.95))
    flags = stock_flags(fc, actuals) if actuals else None
    if progress:
        progress(1.0)
    return PlanRun(plan, schedule, fc, actuals, flags)


def export_schedule(schedule: Schedule, out: str | Path, cancel: Cancel | None = None) -> dict[str, Any]:
    """Write the work orders for billing and customer notification (I1FR27); the format follows the
    extension (.csv or .json). Written to a temporary file and renamed, so a reader never sees half."""
    out = Path(out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("csv", "json"):
        raise InputError(f"Cannot tell the format of {out}: the name must end in .csv or .json.")
    if not out.parent.is_dir():
        raise InputError(f"The folder {out.parent} does not exist.")
    tmp = out.with_name(out.name + ".part")
    n, sep = 0, ""
    stopped = False
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        if fmt == "csv":
            writer = csv.writer(f)
            writer.writerow(COLUMNS)
        else:
            head = {"plan_id": schedule.plan.plan_id, "guard_days": schedule.guard_days,
                    "window": {"start": str(schedule.plan.window_start), "end": str(schedule.plan.window_end)}}
            f.write(json.dumps(head)[:-1] + ', "work_orders": [\n')
        for cols in schedule.columns():
            if cancel and cancel():
                stopped = True
                break
            values = [cols[c] for c in COLUMNS]
            if fmt == "csv":
                writer.writerows(zip(*values, strict=True))
            else:
                for row in zip(*values, strict=True):
                    f.write(sep + json.dumps(dict(zip(COLUMNS, row, strict=True))))
                    sep = ",\n"
            n += len(values[0])
        if fmt == "json":
            f.write("\n]}\n")
    if stopped:
        tmp.unlink(missing_ok=True)
        raise UserCancelled()
    os.replace(tmp, out)
    return {"path": str(out), "format": fmt, "work_orders": n}


def installs_done_from_store(store) -> dict[tuple[str, str], int]:
    """Completed jobs per (district, item): the planned meter type, and each planned HAN device's type."""
    from fieldtool.domain.model import WorkOrderStatus

    done: dict[tuple[str, str], int] = {}
    for wo in store.work_orders.list(status=WorkOrderStatus.COMPLETED):
        if wo.install is not None:
            key = (wo.district, wo.install.meter_type)
            done[key] = done.get(key, 0) + 1
        for han in wo.han_devices:
            key = (wo.district, han.device_type)
            done[key] = done.get(key, 0) + 1
    return done


def actuals_from_store(store, plan: Plan, as_of: date, assets=None) -> Actuals:
    """Actuals from this tool's store: installs done from the completed jobs; stock from the custody
    records (``domain.custody.Asset``; every asset the store tracks unless ``assets`` is given)."""
    from fieldtool.domain.actuals import actuals_from_records
    from fieldtool.store.custody import CustodyRepo

    if assets is None:
        assets = CustodyRepo(store).list(limit=10_000_000)
    return actuals_from_records(plan, as_of, assets, installs_done_from_store(store))
