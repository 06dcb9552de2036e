"""HAN provisioning through the GUI (scenario 3.2): a customer representative scans a thermostat's label,
provisions it over the meter's ESI, and watches the ladder and the live log; discovery shows the door sensor
as not Smart Energy."""

from fieldtool.clock import Clock
from fieldtool.config import Config
from fieldtool.domain.roles import Role
from fieldtool.services.users import LocalUser
from fieldtool.ui.han_page import HanPage
from fieldtool.ui.main_window import MainWindow
from firmware_sim.han import devices as d
from firmware_sim.meter import profiles
from firmware_sim.meter.behaviour import Behaviour
from firmware_sim.meter.server import MeterOptions, MeterServer


def test_customer_representative_provisions_a_thermostat(qtbot, ctx):
    srv = MeterServer(profiles.get("acme-r1"), None, MeterOptions(
        pacing=False, behaviour=Behaviour(time_scale=0.01), time_scale=0.1, turnaround_s=0.0, han=d.demo_premises()))
    url = srv.listen_socket()
    try:
        ctx.clock = Clock(scale=0.03)
        ctx.config = Config({
            "optical": {"response_timeout_s": 0.2, "interchar_timeout_s": 0.05, "channel_traffic_timeout_s": 0.6,
                        "password_unprotected": "INSTALLER".ljust(20, "0")},
            "han": {"local_timeout_s": 20.0, "local_join_timeout_s": 30.0, "poll_interval_s": 0.5}})
        ctx.user = LocalUser("rep", Role.CSR)
        w = MainWindow(ctx, [HanPage])
        qtbot.addWidget(w)
        w.show()
        page = w.page(HanPage)
        page.job.setText("ACCT-8001234567")
        page.meter_number.setText("72600101")
        page.meter.port.setEditText(url)
        qtbot.keyClicks(page.code, "1122 3344 5566 7788 4AF8")
        assert "check digits do not match" in page.code_state.text() and page.code_state.property("severity") == "warn"
        page.code.clear()
        page.label.setText("00137A0000A1B201")
        qtbot.keyClicks(page.code, "1122 3344 5566 7788 4AF7")
        assert page.code_state.property("severity") == "ok"
        next(b for b in page.program_boxes if b.property("program") == "load_control").setChecked(True)
        page.provision()
        qtbot.waitUntil(lambda: page.ops.op is not None and not page.ops.op.running, timeout=30000)
        assert page.table.rowCount() == 1
        assert page.table.item(0, 2).text() in ("participating", "acknowledged"), page.banner.text()
        assert "credentials handed" in page.log.toPlainText()
        assert "1122334455667788" not in page.log.toPlainText()  # the code and key never reach the log
        page.discover()
        qtbot.waitUntil(lambda: not page.ops.op.running, timeout=30000)
        types = {page.table.item(r, 0).text(): page.table.item(r, 1).text() for r in range(page.table.rowCount())}
        assert types.get("00137A0000A1B201") == "pct"
    finally:
        for link in getattr(ctx, "meter_links", {}).values():
            link.close()
        srv.stop()
