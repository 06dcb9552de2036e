"""Plain work orders for domain tests (a realistic exchange at a known place and date)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from fieldtool.domain.model import (
    IssuedMeter,
    PlannedHanDevice,
    PlannedInstall,
    PlannedRemoval,
    ServicePoint,
    Tolerances,
    WorkOrder,
    WorkOrderKind,
    WorkOrderStatus,
)

NOW = datetime(2026, 3, 12, 9, 30, tzinfo=UTC)
SP = ServicePoint(
    isp_number="ISP-4471902",
    account_number="8001234567",
    customer_name="R. Alvarez",
    premise_address="1418 W Olive Ave, Fresno CA",
    lat=36.7578,
    lon=-119.8163,
)
REMOVAL = PlannedRemoval(
    meter_number="V123456",
    form="2S",
    dials=5,
    last_read=41250.0,
    last_read_date=date(2026, 2, 10),  # 30 days before NOW
    avg_daily_usage=20.0,  # so 600 expected, band max(150, 50) = 150
)
INSTALL = PlannedInstall(meter_type="AMI-R2S-240", form="2S", program_id="RES-TOU-D", comm_technology="rf_mesh")
HAN = (
    PlannedHanDevice(eui64="00124B0001A2B3C4", device_type="thermostat", install_code="83FED3407A939723A5C639B26916D505C3B5"),
    PlannedHanDevice(eui64="00124B0001A2B3C5", device_type="in_home_display"),
)


def order(**changes) -> WorkOrder:
    base = WorkOrder(
        id="WO-1001",
        kind=WorkOrderKind.EXCHANGE,
        status=WorkOrderStatus.OPEN,
        service_point=SP,
        district="Fresno",
        route="R-07",
        meter_read_date=date(2026, 3, 20),
        removal=REMOVAL,
        install=INSTALL,
        han_devices=HAN,
        installer_id="INS-042",
        tolerances=Tolerances(),
    )
    return replace(base, **changes)


STOCK = [
    IssuedMeter("AMI0000001", "AMI-R2S-240", "INS-042"),
    IssuedMeter("AMI0000002", "AMI-R2S-240", "INS-042"),
    IssuedMeter("AMI0000003", "AMI-C12S-480", "INS-042"),
]
