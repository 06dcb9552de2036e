"""Every outbox row the exchange writes is an ``Event`` the back-office contract accepts (openapi.yaml)."""

from __future__ import annotations

import json
from pathlib import Path

from fieldtool.config import Config
from fieldtool.domain.exchange_events import (
    Arrive,
    CannotComplete,
    Coverage,
    FinalRead,
    GoBackReason,
    IdentifyMeter,
    InstallMeter,
    JudgeCoverage,
    NetworkTested,
    RecordAsFound,
    RegistrationTimedOut,
    RemoveOldMeter,
    ReportMarginalCoverage,
    ScanMeter,
    SelfCheck,
    SoftRegister,
    VerifyOldMeter,
    WriteMeter,
)
from fieldtool.domain.model import AsFoundCondition, Position
from fieldtool.services.install import InstallService
from fieldtool.store.db import open_store
from fieldtool.sync import contract, wire
from tests.foundation.test_install_service import T0, FakeClock

DEMO = json.loads((Path(__file__).parents[2] / "resources/demo/work-orders.json").read_text())
HERE = Position(36.757815, -119.816310, 4.0, fix_time=T0)


def test_every_row_of_an_exchange_and_a_go_back_is_valid_on_the_wire(tmp_path):
    clock = FakeClock(T0)
    store = open_store(tmp_path / "w.db", clock=clock)
    svc = InstallService(store, clock, Config())
    svc.import_download(DEMO)
    job = "WO-260312-001"
    svc.start(job)
    for e in [ScanMeter("72600101"), Arrive(HERE),
              VerifyOldMeter("V123456", "2S", (AsFoundCondition.PANEL_DAMAGED,), "cracked base"),
              RecordAsFound((AsFoundCondition.HAZARD,), "wasp nest"), FinalRead(41_862.0, T0), RemoveOldMeter(),
              InstallMeter(), SelfCheck(True), IdentifyMeter("72600101", "2S", None, "RES-TOU-D-4", install_read=0.4),
              WriteMeter(HERE), RegistrationTimedOut(), NetworkTested("rf_mesh", True, -97.0, "1 neighbour"),
              JudgeCoverage(Coverage.MARGINAL), ReportMarginalCoverage("basement"), SoftRegister()]:
        svc.feed(job, e)
    svc.start("WO-260312-010")  # a removal that cannot be done
    svc.feed("WO-260312-010", Arrive())
    svc.feed("WO-260312-010", CannotComplete(GoBackReason.UNSAFE, "live wires hanging"))
    rows = store.outbox.list()
    kinds = {r.kind for r in rows}
    assert {"transition", "as_found", "coverage_report", "soft_registration", "go_back"} <= kinds
    for r in rows:
        assert contract.problems("Event", wire.to_wire(r)) == [], (r.kind, r.payload)
    store.close()
