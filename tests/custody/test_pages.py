"""The custody scan screen and the bench screen, driven as a technician would (offscreen Qt)."""

from __future__ import annotations

import pytest

from fieldtool.config import load_config, paths
from fieldtool.domain.bench import BenchSettings
from fieldtool.domain.receipt import ScannedUnit
from fieldtool.domain.roles import Role
from fieldtool.services.context import AppContext
from fieldtool.services.custody import CustodyService
from fieldtool.services.users import LocalUser
from fieldtool.store.db import open_store
from fieldtool.ui.bench_page import BenchPage
from fieldtool.ui.custody_page import CustodyPage
from fieldtool.ui.main_window import MainWindow
from tests.custody.helpers import meter, notice, order


@pytest.fixture
def ctx(fieldtool_home):
    p = paths().ensure()
    store = open_store(p.database)
    c = AppContext(p, load_config(p), store, user=LocalUser("tech-1", Role.TECHNICIAN))
    custody = CustodyService(store)
    custody.import_order(order(20))
    custody.import_notice(notice(20), actor="edi")
    custody.receive("ASN-1", [ScannedUnit(meter(i)) for i in range(20)], actor="wh")
    yield c
    store.close()


def _page(qtbot, ctx, cls):
    w = MainWindow(ctx, [CustodyPage, BenchPage])
    qtbot.addWidget(w)
    w.show()
    return w.page(cls)


def _wait(qtbot, page):
    qtbot.waitUntil(lambda: page.ops.op is not None and not page.ops.op.running, timeout=10000)


def test_pallet_scan_with_an_exception_and_history(qtbot, ctx):
    page = _page(qtbot, ctx, CustodyPage)
    page.move.setCurrentText("release")
    page.location.setText("warehouse")
    page.document.setText("REL-7")
    page.container.setChecked(True)
    qtbot.keyClicks(page.scan, "BOX-0")
    qtbot.keyPress(page.scan, "\r")
    page.exceptions.setText(meter(2))
    page.apply_button.click()
    _wait(qtbot, page)
    assert len(page.last_result["moved"]) == 9 and page.last_result["excepted"] == [meter(2)]
    assert page.results.rowCount() == 10
    page.history_unit.setText(meter(1))
    page.show_history()
    _wait(qtbot, page)
    assert page.history.rowCount() == 3 and page.history.item(2, 1).text() == "release"


def test_refusals_are_listed_with_their_reason(qtbot, ctx):
    page = _page(qtbot, ctx, CustodyPage)
    page.move.setCurrentText("install")
    page.location.setText("ISP1")
    page.document.setText("WO-1")
    qtbot.keyClicks(page.scan, f"CLASS: 200; QTY: 2; METERS: {meter(0)} {meter(1)}")  # a carton label
    qtbot.keyPress(page.scan, "\r")
    assert [page.scans.item(i).text() for i in range(page.scans.count())] == [meter(0), meter(1)]
    page.apply()
    _wait(qtbot, page)
    assert page.last_result["moved"] == [] and len(page.last_result["refused"]) == 2
    assert "REFUSED" in page.results.item(0, 1).text() and page.scans.count() == 2


def test_bench_screen_runs_a_lot(qtbot, ctx, tmp_path):
    ctx.config.data["bench"] = {"required_tests": ["accuracy"]}
    assert ctx.config.section("bench") == BenchSettings(required_tests=["accuracy"])
    page = _page(qtbot, ctx, BenchPage)
    page.lot.setText("LOT-1")
    page.document.setText("ASN-1")
    page.open_lot()
    _wait(qtbot, page)
    page.plan()
    _wait(qtbot, page)
    page.refresh()
    _wait(qtbot, page)
    picks = [s["asset_id"] for s in page.status["samples"]]
    assert len(picks) == 13 and page.samples.rowCount() == 13
    page.scan.setText(" ".join(picks))
    page.pick()
    _wait(qtbot, page)
    page.check_in()
    _wait(qtbot, page)
    board = tmp_path / "board.csv"
    board.write_text("meter_number,full_load_pct,light_load_pct,power_factor_pct\n"
                     + "".join(f"{m},100.0,100.1,99.9\n" for m in picks))
    page.csv.setText(str(board))
    page.import_csv()
    _wait(qtbot, page)
    page.refresh()
    _wait(qtbot, page)
    assert {s["verdict"] for s in page.status["samples"]} == {"passed"}
    page.decide()
    _wait(qtbot, page)
    page.refresh()
    _wait(qtbot, page)
    assert page.status["decision"] == "accept" and "decision accept" in page.summary.text()
    page.report_path.setText(str(tmp_path / "lot.pdf"))
    page.write_report()
    assert (tmp_path / "lot.pdf").read_bytes().startswith(b"%PDF")


def test_screens_follow_the_role(qtbot, ctx):
    ctx.user = LocalUser("wh", Role.WAREHOUSE)
    w = MainWindow(ctx, [CustodyPage, BenchPage])
    qtbot.addWidget(w)
    assert w.page(CustodyPage) is not None and w.page(BenchPage) is None
