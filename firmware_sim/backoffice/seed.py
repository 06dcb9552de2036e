"""A demo day for the reference back office: installers in two districts, programs, stock and work orders.

When ``resources/demo/work-orders.json`` exists (the demo data shared with the rest of the tool) its work
orders are used; otherwise a day is generated. Generated data is deterministic (seeded), so a demo and a
test see the same jobs every time. Seeding is idempotent: it only adds what the database does not hold.
"""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from firmware_sim.backoffice import auth, plan
from firmware_sim.backoffice.db import BackOfficeDb

DEMO_PASSWORD = "demo-password"
PROGRAMS = [
    ("RES-TOU", "PRG-RES-TOU-02", "residential time of use"),
    ("RES-FLAT", "PRG-RES-FLAT-01", "residential flat rate"),
    ("COM-DEMAND", "PRG-COM-DMD-03", "commercial with demand"),
]
STREETS = ["Oak Street", "Maple Avenue", "Birch Lane", "Cedar Road", "Elm Court", "Pine Way"]
NAMES = ["Ortiz", "Nguyen", "Smith", "Okafor", "Larsen", "Kowalski", "Haddad", "Murphy", "Tanaka", "Silva"]
DEMO_FILE = Path(__file__).resolve().parents[2] / "resources" / "demo" / "work-orders.json"


def work_order(i: int, installer: str, district: str, day: date, rng: random.Random) -> dict:
    """One exchange job in the contract's WorkOrder shape."""
    lat, lon = 45.50 + rng.uniform(-0.05, 0.05), -73.57 + rng.uniform(-0.05, 0.05)
    tariff = PROGRAMS[i % 2][0]
    start = datetime.combine(day, time(8, 0), UTC) + timedelta(minutes=40 * (i % 12))
    return {
        "id": f"WO-{district[:1].upper()}{i:05d}",
        "kind": "exchange",
        "status": "open",
        "service_point": {
            "isp_number": f"ISP-{district[:1].upper()}{i:06d}",
            "account_number": f"AC{district[:1].upper()}{100000 + i}",
            "customer_name": f"{rng.choice(NAMES)} household",
            "premise_address": f"{10 + i} {rng.choice(STREETS)}, {district.title()}ville",
            "lat": round(lat, 6),
            "lon": round(lon, 6),
            "location_id": None,
            "access_notes": "",
            "hazards": [],
        },
        "district": district,
        "route": f"{district.upper()}-R{1 + i // 25:02d}",
        "window_start": start.isoformat(),
        "window_end": (start + timedelta(hours=2)).isoformat(),
        "billing_cycle": f"C{1 + i % 20:02d}",
        "meter_read_date": (day + timedelta(days=5 + i % 20)).isoformat(),
        "removal": {
            "meter_number": f"L{district[:1].upper()}{700000 + i}",
            "form": "2S",
            "dials": 5,
            "multiplier": 1.0,
            "last_read": float(rng.randint(1000, 90000)),
            "last_read_date": (day - timedelta(days=20)).isoformat(),
            "avg_daily_usage": round(rng.uniform(10, 40), 1),
        },
        "install": {"meter_type": "AMI-2S-RF", "form": "2S", "program_id": None, "tariff": tariff,
                    "comm_technology": "rf_mesh"},
        "han_devices": [],
        "installer_id": installer,
        "schedule_order": i,
        "revision": 0,
    }


def demo_work_orders(count: int = 12, day: date | None = None) -> list[dict]:
    """A generated day: ``count`` jobs for inst-001 (north) and three for inst-002 (south)."""
    day = day or datetime.now(UTC).date()
    rng = random.Random(134)
    out = [work_order(i, "inst-001", "north", day, rng) for i in range(1, count + 1)]
    out += [work_order(i, "inst-002", "south", day, rng) for i in range(1, 4)]
    return out


def from_download(path: Path) -> tuple[str, str, list[dict], list[tuple[str, str]]]:
    """The shared demo download (``docs/work-orders.md`` format), checked by the tool's own parser:
    (installer id, district, work orders in the contract's shape, issued stock)."""
    from fieldtool.domain.codec import to_data
    from fieldtool.domain.model import Tolerances
    from fieldtool.domain.workorders import parse_download

    download = parse_download(json.loads(path.read_text(encoding="utf-8")), Tolerances(), str(path))
    installer = download.installer_id or "inst-001"
    orders = [to_data(replace(wo, installer_id=installer)) for wo in download.work_orders]
    district = orders[0]["district"] if orders else "north"
    stock = [(m.meter_number, m.meter_type) for m in download.issued_stock or ()]
    return installer, district, orders, stock


def seed(db: BackOfficeDb, *, work_orders: int = 12, meters: int = 20, now: datetime | None = None,
         demo_file: Path | None = DEMO_FILE) -> dict:
    """Fill an empty database with the demo day; returns what a demo needs to know (users, password).

    With ``demo_file`` present (the shared demo download) its installer, jobs and issued stock are used,
    plus a second district for authorization demos; otherwise a day is generated."""
    now = now or datetime.now(UTC)
    installer, district = "inst-001", "north"
    orders = demo_work_orders(work_orders, now.date())
    stock = [(f"AMI{900000 + i}", "AMI-2S-RF") for i in range(1, meters + 1)]
    issued = stock[: meters // 2]
    if demo_file is not None and demo_file.exists():
        installer, district, mine, issued = from_download(demo_file)
        orders = mine + [o for o in orders if o["district"] == "south"]
        stock = issued + stock
    users = [(installer, "Ana Installer", district, ["installer"]), ("inst-002", "Ben Installer", "south", ["installer"]),
             ("sup-001", "Sam Supervisor", district, ["supervisor", "installer"]),
             ("csr-001", "Cleo Representative", district, ["csr"])]
    programs = list(PROGRAMS) + sorted({(o["install"]["tariff"], o["install"]["program_id"], "from the demo plan")
                                        for o in orders if (o.get("install") or {}).get("tariff")
                                        and o["install"].get("program_id")})
    issued_numbers = {m for m, _ in issued}
    with db.tx() as c:
        if c.execute("SELECT value FROM meta WHERE key='seeded'").fetchone() is None:
            for uid, name, dist, roles in users:
                auth.add_installer(c, uid, name, dist, roles, DEMO_PASSWORD)
            c.executemany("INSERT OR REPLACE INTO programs(tariff, program_id, description) VALUES(?,?,?)", programs)
            for number, meter_type in stock:
                mine = number in issued_numbers
                c.execute("INSERT OR IGNORE INTO inventory(meter_number, meter_type, district, status, holder, location)"
                          " VALUES(?,?,?,?,?,?)", (number, meter_type, district, "CheckedOut" if mine else "InInventory",
                                                   installer if mine else None, f"{district}-depot"))
            for wo in orders:
                plan.put(db, c, wo, now)
            c.execute("INSERT INTO meta(key, value) VALUES('seeded', ?)", (now.isoformat(),))
    return {"users": [{"user": u, "district": d, "roles": r} for u, _, d, r in users],
            "password": DEMO_PASSWORD, "demo_installer": installer, "district": district,
            "issued_meters": sorted(issued_numbers)}
