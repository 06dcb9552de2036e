"""Custody follows the exchange (I1FR14): the install service moves the meters in the transition's transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fieldtool.config import Config
from fieldtool.domain.custody import Move, MoveRequest, State
from fieldtool.domain.exchange_events import (
    Arrive,
    FinalRead,
    InstallMeter,
    RemoveOldMeter,
    ReplaceMeter,
    ScanMeter,
    SelfCheck,
    VerifyOldMeter,
)
from fieldtool.services.custody import CustodyService
from fieldtool.services.install import InstallService
from fieldtool.store.db import open_store
from tests.foundation.test_install_service import DEMO, HERE, JOB, T0, FakeClock

INSTALLER = "INS-042"
ISP = "ISP-4471902"
TO_INSTALLER = [Move.SHIP_BY_VENDOR, Move.RECEIVE_AT_WAREHOUSE, Move.RELEASE, Move.SHIP_TO_DISTRICT,
                Move.RECEIVE_AT_DISTRICT, Move.ISSUE_TO_INSTALLER]


@pytest.fixture
def clock():
    return FakeClock(T0)


@pytest.fixture
def svc(tmp_path, clock):
    store = open_store(tmp_path / "t.db", clock=clock)
    service = InstallService(store, clock, Config({}))
    service.import_download(DEMO)
    yield service
    store.close()


def issue(svc, meter: str) -> None:
    custody = CustodyService(svc.store)
    for move in TO_INSTALLER:
        custody.move(MoveRequest(meter, move, actor="warehouse", at=T0 - timedelta(days=1), location="district",
                                 document="T-1", holder=INSTALLER if move is Move.ISSUE_TO_INSTALLER else None))


def feed_all(svc, clock, events):
    for e in events:
        clock.at += timedelta(seconds=30)
        svc.feed(JOB, e)


TO_INSTALL = [ScanMeter("72600101"), Arrive(HERE), VerifyOldMeter("V123456", "2S"), FinalRead(41_862.0, T0),
              RemoveOldMeter(), InstallMeter()]


def test_the_exchange_installs_the_new_meter_and_removes_the_old_one(svc, clock):
    issue(svc, "72600101")
    svc.start(JOB)
    feed_all(svc, clock, TO_INSTALL)
    custody = CustodyService(svc.store)
    new, old = custody.history("72600101"), custody.history("V123456")
    assert new["asset"].state is State.INSTALLED and new["asset"].location == ISP
    assert old["asset"].state is State.REMOVED and old["asset"].location == ISP  # a legacy meter, untracked so far
    install, remove = new["moves"][-1], old["moves"][-1]
    assert (install.move, install.actor, install.document) == (Move.INSTALL, INSTALLER, JOB)
    assert (remove.move, remove.actor, remove.document) == (Move.REMOVE, INSTALLER, JOB)
    assert remove.at == T0 + timedelta(seconds=150) and install.at == T0 + timedelta(seconds=180)
    rows = svc.store.outbox.list(job_id=JOB)
    custody_rows = [r.payload for r in rows if r.kind == "custody"]
    assert [(p["asset_ids"], p["action"]) for p in custody_rows] == [(["V123456"], "Removed"),
                                                                      (["72600101"], "Installed")]
    assert svc.job(JOB).custody_notes == ()
    assert svc.store.stock.issued(INSTALLER) is not None


def test_a_replaced_meter_comes_off_and_the_next_one_goes_in(svc, clock):
    issue(svc, "72600101")
    issue(svc, "72600102")
    svc.start(JOB)
    feed_all(svc, clock, [*TO_INSTALL, SelfCheck(False, errors=("metrology",)),
                          ReplaceMeter("72600102", reason="failed self-check"), InstallMeter()])
    custody = CustodyService(svc.store)
    taken_out = custody.history("72600101")
    assert taken_out["asset"].state is State.REMOVED
    assert taken_out["moves"][-1].reason == "failed self-check"
    assert custody.history("72600102")["asset"].state is State.INSTALLED
    assert svc.job(JOB).custody_notes == ()


def test_a_custody_refusal_keeps_the_transition_and_tells_the_installer(svc, clock):
    # 72600101 is on the issued-stock list but custody never saw it: the install is refused by custody
    svc.start(JOB)
    feed_all(svc, clock, TO_INSTALL)
    job = svc.job(JOB)
    assert job.state == "self_check"  # the meter is in the socket whatever custody said
    assert len(job.custody_notes) == 1 and "72600101" in job.custody_notes[0]
    assert "not known to custody" in job.custody_notes[0]
    assert svc.show(JOB)["custody_notes"] == list(job.custody_notes)
    assert [a.event for a in svc.store.exchanges.audit(JOB)][-1] == "install_meter"
    kinds = [(r.kind, r.payload.get("asset_ids")) for r in svc.store.outbox.list(job_id=JOB) if r.kind == "custody"]
    assert kinds == [("custody", ["V123456"])]  # the refused move left nothing behind
    assert CustodyService(svc.store).repo.get("72600101") is None
