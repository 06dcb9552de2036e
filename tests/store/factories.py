"""Realistic work orders for store tests and the benchmark (deterministic from an index)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fieldtool.domain.model import (
    PlannedInstall,
    PlannedRemoval,
    ServicePoint,
    WorkOrder,
    WorkOrderKind,
    WorkOrderStatus,
)

STREETS = ["Maple Street", "Oak Avenue", "Harbour Road", "Mill Lane", "Church Street", "Station Road",
           "Birch Close", "Queen's Parade", "Rue de l'Église", "Kingsway"]
TOWNS = ["Northfield", "Eastbrook", "Westerly", "Southam"]
SURNAMES = ["Okafor", "Lindqvist", "Moreau", "Brennan", "Tanaka", "Silva", "Novak", "Haddad"]
BASE = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def old_meter_number(i: int) -> str:
    return f"{40_000_000 + i * 7:08d}"


def work_order(i: int, *, per_route: int = 100, installer: str | None = None) -> WorkOrder:
    route = f"R{i // per_route:04d}"
    return WorkOrder(
        id=f"WO-{i:06d}",
        kind=WorkOrderKind.EXCHANGE,
        status=WorkOrderStatus.OPEN,
        service_point=ServicePoint(
            isp_number=f"ISP{7_000_000 + i}",
            account_number=f"{9_100_000_000 + i * 13}",
            customer_name=f"{SURNAMES[i % len(SURNAMES)]} household {i}",
            premise_address=f"{1 + i % 397} {STREETS[(i // 397) % len(STREETS)]}, {TOWNS[i % len(TOWNS)]}",
            lat=52.0 + (i % 1000) * 0.0001,
            lon=-1.5 - (i // 1000) * 0.0001,
            access_notes="dog in yard" if i % 11 == 0 else "",
            hazards=("asbestos panel",) if i % 97 == 0 else (),
        ),
        district=f"D{i // (per_route * 10):03d}",
        route=route,
        window_start=BASE + timedelta(days=i // per_route),
        window_end=BASE + timedelta(days=i // per_route, hours=10),
        billing_cycle=f"C{i % 20:02d}",
        meter_read_date=date(2026, 3, 2) + timedelta(days=i % 28),
        removal=PlannedRemoval(
            meter_number=old_meter_number(i), form="2S", dials=5, multiplier=1.0,
            last_read=float(10_000 + i % 5000), last_read_date=date(2026, 2, 1), avg_daily_usage=24.5,
        ),
        install=PlannedInstall(meter_type="AMI-R2S-240", form="2S", program_id="TOU-3", tariff="RES-TOU",
                               comm_technology="rf_mesh"),
        installer_id=installer or f"INST-{i // (per_route * 5):03d}",
        schedule_order=i % per_route,
    )
