"""The roll-out plan a forecaster writes (UC134 step 1) and the planning policy (I1NFR1).

A plan names the items (meter types by material code and the HAN device types the utility supplies, each
with its vendor lead time), the districts (crews, installs per crew-day, opening stock, when the AMI network
there is ready), the billing cycles and their meter-read dates (I1FR25), the service-point lines to exchange
(district, billing cycle, meter type, count, HAN devices) and the other demand lines of I1FR1 (maintenance
orders, panel upgrades, route maintenance, incomplete installations, new accounts).

``parse_plan(data)`` checks all of it and refuses bad input with every problem found, each naming its entry
(``service_points[3] (district NORTH, type X)``) and why. The file format is documented in
``docs/planning.md``. Pure: no I/O, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from fieldtool.domain.errors import InputError
from fieldtool.domain.planparse import Reader

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_WINDOW_DAYS = 10 * 365  # a roll-out plan, not a century
MAX_LEAD_DAYS = 5 * 365


class ItemKind(StrEnum):
    METER = "meter"
    HAN = "han"


class DemandKind(StrEnum):
    """The demand lines of I1FR1 besides the roll-out itself."""

    MAINTENANCE = "maintenance"
    PANEL_UPGRADE = "panel_upgrade"
    ROUTE_MAINTENANCE = "route_maintenance"
    INCOMPLETE_INSTALLATION = "incomplete_installation"
    NEW_ACCOUNTS = "new_accounts"


@dataclass(frozen=True)
class PlanningPolicy:
    """Utility-wide planning defaults (configuration section ``planning``)."""

    safety_weeks: int = 13  # I1NFR1: three months of forward demand held as safety stock
    replenish_weeks: int = 4  # a district is topped up to cover this many weeks above its minimum
    transfer_days: int = 7  # warehouse to district, door to door
    test_days: int = 14  # meter-shop sample testing before a delivery may be shipped (steps 4.1-4.5)

    def __post_init__(self):
        for name in ("safety_weeks", "replenish_weeks", "transfer_days", "test_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InputError(f"The [planning] setting {name} must be a whole number of 0 or more, "
                                 f"not {value!r}.")


@dataclass(frozen=True)
class Item:
    """A meter type (material code) or a HAN device type the utility supplies."""

    code: str
    kind: ItemKind
    lead_time_days: int  # vendor: order placed -> delivered at the warehouse
    form: str | None = None  # ANSI form of a meter type
    order_multiple: int = 1  # the vendor ships in packs of this many (a pallet)
    description: str = ""


@dataclass(frozen=True)
class District:
    id: str
    crews: int
    installs_per_crew_day: int
    network_ready: date | None = None  # no installs before the AMI network there is in service
    opening_stock: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class BillingCycle:
    """A billing cycle; its meter-read dates are explicit or the same day of every month."""

    id: str
    read_day: int | None = None
    read_dates: tuple[date, ...] = ()


@dataclass(frozen=True)
class ServicePointLine:
    """``count`` service points of one district, billing cycle and meter type, installed in file order."""

    index: int
    district: str
    billing_cycle: str
    meter_type: str
    count: int
    route: str = ""
    not_before: date | None = None
    han_devices: dict[str, int] = field(default_factory=dict)  # HAN type -> devices for the whole line
    accounts: tuple[str, ...] = ()  # account numbers in install order, when known

    def label(self) -> str:
        return f"service_points[{self.index}] (district {self.district}, type {self.meter_type})"


@dataclass(frozen=True)
class DemandLine:
    """Meters used by work other than the roll-out: a steady weekly quantity or a share of installs."""

    index: int
    kind: DemandKind
    district: str
    item: str
    per_week: int = 0
    share_of_installs: float = 0.0  # e.g. 0.02: 2 % of the roll-out installs come back as go-backs
    lag_weeks: int = 0
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class Plan:
    plan_id: str
    window_start: date
    window_end: date
    items: tuple[Item, ...]
    districts: tuple[District, ...]
    billing_cycles: tuple[BillingCycle, ...]
    service_points: tuple[ServicePointLine, ...]
    demand: tuple[DemandLine, ...] = ()
    as_of: date | None = None  # the planning date: no order can be placed before it
    work_days: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday = 0
    holidays: frozenset[date] = frozenset()
    warehouse_stock: dict[str, int] = field(default_factory=dict)

    def item(self, code: str) -> Item:
        return next(i for i in self.items if i.code == code)

    def district(self, id: str) -> District:
        return next(d for d in self.districts if d.id == id)


def parse_plan(data: Any, where: str = "plan") -> Plan:
    """Check and build a plan from its JSON form; every problem is reported at once."""
    r = Reader(where)
    if not isinstance(data, dict):
        raise InputError(f"{where}: a plan must be a JSON object, not {type(data).__name__}.")
    r.known_keys(data, "plan", {"plan_id", "as_of", "window", "work_days", "holidays", "items", "districts",
                                "billing_cycles", "service_points", "demand", "warehouse_stock"})
    window = r.obj(data, "window", "plan")
    start = r.date(window, "start", "window")
    end = r.date(window, "end", "window")
    if start and end and end < start:
        r.error("window", f"ends ({end}) before it starts ({start})")
    if start and end and (end - start).days > MAX_WINDOW_DAYS:
        r.error("window", f"is {(end - start).days} days long; a plan covers at most {MAX_WINDOW_DAYS // 365} years")
    as_of = r.date(data, "as_of", "plan", required=False)
    if as_of and start and (start - as_of).days > MAX_LEAD_DAYS:
        r.error("plan", f"as_of {as_of} is more than {MAX_LEAD_DAYS // 365} years before the window starts")
    items = tuple(_item(r, i, e) for i, e in r.entries(data, "items"))
    codes = {i.code: i for i in items if i}
    r.unique([i.code for i in items if i], "items", "item code")
    districts = tuple(_district(r, i, e, codes) for i, e in r.entries(data, "districts"))
    ids = {d.id for d in districts if d}
    r.unique([d.id for d in districts if d], "districts", "district id")
    cycles = tuple(_cycle(r, i, e) for i, e in r.entries(data, "billing_cycles"))
    cycle_ids = {c.id for c in cycles if c}
    r.unique([c.id for c in cycles if c], "billing_cycles", "billing cycle id")
    lines = tuple(_line(r, i, e, ids, codes, cycle_ids) for i, e in r.entries(data, "service_points"))
    demand = tuple(_demand(r, i, e, ids, codes) for i, e in r.entries(data, "demand", required=False))
    work_days = _work_days(r, data.get("work_days", list(WEEKDAYS[:5])))
    holidays = frozenset(r.date_list(data, "holidays", "plan"))
    warehouse = r.stock(data.get("warehouse_stock", {}), "warehouse_stock", codes)
    plan = Plan(
        plan_id=r.str(data, "plan_id", "plan") or "",
        window_start=start or date.min,
        window_end=end or date.min,
        items=items,
        districts=districts,
        billing_cycles=cycles,
        service_points=lines,
        demand=demand,
        as_of=as_of,
        work_days=work_days,
        holidays=holidays,
        warehouse_stock=warehouse,
    )
    r.raise_if_any()
    return plan


def _item(r: Reader, i: int, e: dict) -> Item | None:
    at = f"items[{i}]"
    r.known_keys(e, at, {"code", "kind", "lead_time_days", "form", "order_multiple", "description"})
    kind = r.enum(e, "kind", at, ItemKind, default=ItemKind.METER)
    item = Item(
        code=r.str(e, "code", at),
        kind=kind,
        lead_time_days=r.int(e, "lead_time_days", at, minimum=0, maximum=MAX_LEAD_DAYS),
        form=r.str(e, "form", at, required=kind == ItemKind.METER),
        order_multiple=r.int(e, "order_multiple", at, default=1, minimum=1),
        description=r.str(e, "description", at, required=False) or "",
    )
    return item if item.code else None


def _district(r: Reader, i: int, e: dict, items: dict[str, Item]) -> District | None:
    at = f"districts[{i}]"
    r.known_keys(e, at, {"id", "crews", "installs_per_crew_day", "network_ready", "opening_stock"})
    d = District(
        id=r.str(e, "id", at),
        crews=r.int(e, "crews", at, minimum=0),
        installs_per_crew_day=r.int(e, "installs_per_crew_day", at, minimum=1),
        network_ready=r.date(e, "network_ready", at, required=False),
        opening_stock=r.stock(e.get("opening_stock", {}), f"{at}.opening_stock", items),
    )
    return d if d.id else None


def _cycle(r: Reader, i: int, e: dict) -> BillingCycle | None:
    at = f"billing_cycles[{i}]"
    r.known_keys(e, at, {"id", "read_day", "read_dates"})
    read_day = r.int(e, "read_day", at, required=False, minimum=1)
    if read_day is not None and read_day > 31:
        r.error(at, f"read_day {read_day} is not a day of the month")
    dates = tuple(r.date_list(e, "read_dates", at))
    if read_day is None and not dates:
        r.error(at, "needs a read_day (day of the month) or a list of read_dates")
    c = BillingCycle(id=r.str(e, "id", at), read_day=read_day, read_dates=dates)
    return c if c.id else None


def _line(r: Reader, i: int, e: dict, districts: set, items: dict, cycles: set) -> ServicePointLine | None:
    at = f"service_points[{i}]"
    r.known_keys(e, at, {"district", "billing_cycle", "meter_type", "count", "route", "not_before",
                         "han_devices", "accounts"})
    district, mtype = r.str(e, "district", at), r.str(e, "meter_type", at)
    at = f"{at} (district {district}, type {mtype})"
    cycle = r.str(e, "billing_cycle", at)
    if district and district not in districts:
        r.error(at, f"district {district!r} is not one of the plan's districts")
    if mtype and (mtype not in items or items[mtype].kind != ItemKind.METER):
        r.error(at, f"meter type {mtype!r} is not one of the plan's meter types")
    if cycle and cycle not in cycles:
        r.error(at, f"billing cycle {cycle!r} is not one of the plan's billing cycles")
    count = r.int(e, "count", at, minimum=0)
    han = r.stock(e.get("han_devices", {}), f"{at}.han_devices", items, kind=ItemKind.HAN)
    if count == 0 and any(han.values()):
        r.error(at, "has HAN devices but no service points to install them at")
    accounts = tuple(r.text_list(e, "accounts", at))
    if accounts and len(accounts) != count:
        r.error(at, f"lists {len(accounts)} accounts for a count of {count}")
    return ServicePointLine(i, district, cycle, mtype, count, route=r.str(e, "route", at, required=False) or "",
                            not_before=r.date(e, "not_before", at, required=False),
                            han_devices=han, accounts=accounts)


def _demand(r: Reader, i: int, e: dict, districts: set, items: dict) -> DemandLine | None:
    at = f"demand[{i}]"
    r.known_keys(e, at, {"kind", "district", "item", "per_week", "share_of_installs", "lag_weeks",
                         "start", "end"})
    district, item = r.str(e, "district", at), r.str(e, "item", at)
    at = f"{at} (district {district}, item {item})"
    if district and district not in districts:
        r.error(at, f"district {district!r} is not one of the plan's districts")
    if item and item not in items:
        r.error(at, f"item {item!r} is not one of the plan's meter or HAN device types")
    per_week = r.int(e, "per_week", at, default=0, minimum=0)
    share = r.float(e, "share_of_installs", at, default=0.0, minimum=0.0)
    if share > 1:
        r.error(at, f"share_of_installs {share} is more than 1 (100 %)")
    if not per_week and not share:
        r.error(at, "needs per_week or share_of_installs")
    return DemandLine(i, r.enum(e, "kind", at, DemandKind), district, item, per_week, share,
                      r.int(e, "lag_weeks", at, default=0, minimum=0),
                      r.date(e, "start", at, required=False), r.date(e, "end", at, required=False))


def _work_days(r: Reader, value: Any) -> tuple[int, ...]:
    if not isinstance(value, list) or not value:
        r.error("work_days", "must be a list of weekdays such as [\"mon\", \"tue\"]")
        return (0, 1, 2, 3, 4)
    out = []
    for v in value:
        if str(v).lower() not in WEEKDAYS:
            r.error("work_days", f"{v!r} is not a weekday (mon ... sun)")
        else:
            out.append(WEEKDAYS.index(str(v).lower()))
    return tuple(sorted(set(out)))
