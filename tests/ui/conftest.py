import pytest

from fieldtool.config import load_config, paths
from fieldtool.domain.model import (
    PlannedInstall,
    PlannedRemoval,
    ServicePoint,
    WorkOrder,
    WorkOrderKind,
    WorkOrderStatus,
)
from fieldtool.domain.roles import Role
from fieldtool.services.context import AppContext
from fieldtool.services.users import LocalUser
from fieldtool.store.db import open_store

STREETS = ["Maple Street", "Oak Avenue", "Pine Road", "Cedar Lane", "Elm Court"]


def make_work_orders(n: int, routes: int = 10) -> list[WorkOrder]:
    out = []
    for i in range(n):
        sp = ServicePoint(f"ISP{i:07d}", f"ACCT{i:08d}", f"Customer {i}", f"{i % 900 + 1} {STREETS[i % 5]}",
                          30.0 + i * 1e-5, -97.0 - i * 1e-5)
        out.append(WorkOrder(
            id=f"WO-{i:06d}", kind=WorkOrderKind.EXCHANGE,
            status=WorkOrderStatus.OPEN if i % 3 else WorkOrderStatus.COMPLETED,
            service_point=sp, district="North", route=f"R{i % routes:02d}", schedule_order=i,
            removal=PlannedRemoval(f"OLD{i:08d}", "2S", 5, 1.0, 1000.0 + i),
            install=PlannedInstall("AMI-2S-RF", "2S", "PRG-TOU1", "TOU", "rf_mesh"), installer_id="inst1"))
    return out


@pytest.fixture
def ctx(fieldtool_home):
    p = paths().ensure()
    store = open_store(p.database)
    c = AppContext(p, load_config(p), store, user=LocalUser("inst1", Role.INSTALLER))
    yield c
    store.close()
