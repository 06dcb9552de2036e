"""A whole exchange through the GUI against the simulated meter: every answer typed into the forms the
transition table draws, every meter step through the optical port on a worker, findings acknowledged."""

import json
from pathlib import Path

from fieldtool.config import Config
from fieldtool.domain.roles import Role
from fieldtool.services.install import InstallService
from fieldtool.services.users import LocalUser
from fieldtool.ui.event_form import EventForm
from fieldtool.ui.exchange_page import ExchangePage
from fieldtool.ui.jobs_page import JobsPage
from fieldtool.ui.main_window import MainWindow
from fieldtool.ui.qt import QCheckBox, QLineEdit, QPushButton, Qt
from firmware_sim.meter import profiles
from firmware_sim.meter.behaviour import Behaviour
from firmware_sim.meter.server import MeterOptions, MeterServer

DEMO = Path(__file__).parents[2] / "resources/demo/work-orders.json"
JOB = "WO-260312-001"
SCALE = 0.1


def _form(page, event) -> EventForm:
    forms = [page.forms.itemAt(i).widget() for i in range(page.forms.count())]
    found = [f for f in forms if isinstance(f, EventForm) and f.spec.name == event]
    assert found, f"no form for {event} at {page.shown['state']}: {[f.spec.name for f in forms if f]}"
    return found[0]


def _do(qtbot, page, event, **fields):
    form = _form(page, event)
    for name, value in fields.items():
        if isinstance(value, bool):
            box = next(w for w in form.findChildren(QCheckBox) if w.accessibleName() == name.replace("_", " ").capitalize())
            box.setChecked(value)
        else:
            assert form.set_value(name, str(value)), f"{event} has no field {name}"
    before = page.shown["state"]
    button = [b for b in form.findChildren(type(page.start_button)) if b.accessibleName().startswith("do:")][0]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.ops.op.running and page.shown and page.shown["state"] != before
                    or page.banner.isVisible(), timeout=10000)
    return page.shown["state"]


def test_a_whole_exchange_through_the_gui(qtbot, ctx):
    srv = MeterServer(profiles.get("acme-r1"), None, MeterOptions(
        pacing=False, meter_id="72600101", time_scale=SCALE, behaviour=Behaviour(registration="after:1", time_scale=SCALE)))
    url = srv.listen_socket()
    try:
        ctx.config = Config({
            "optical": {"response_timeout_s": 0.2, "interchar_timeout_s": 0.05, "channel_traffic_timeout_s": 0.6,
                        "password_unprotected": "MASTER".ljust(20, "0")},
            "exchange": {"registration_poll_s": 0.05}})
        ctx.user = LocalUser("INS-042", Role.INSTALLER)
        InstallService(ctx.store, config=ctx.config).import_download(json.loads(DEMO.read_text()))
        w = MainWindow(ctx, [JobsPage, ExchangePage])
        qtbot.addWidget(w)
        w.show()
        jobs = w.page(JobsPage)
        page = w.page(ExchangePage)
        qtbot.waitUntil(lambda: jobs.loaded, timeout=10000)
        qtbot.keyClicks(jobs.search, JOB)
        qtbot.keyPress(jobs.search, "\r")  # Enter opens the job in the exchange screen
        qtbot.waitUntil(lambda: page.start_button.isVisible(), timeout=10000)
        assert w.stack.currentWidget() is page
        qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.shown is not None, timeout=10000)
        assert _do(qtbot, page, "scan_meter", meter_number="72600101") == "travel"
        assert _do(qtbot, page, "arrive", location_id="") == "verify_old_meter"
        assert _do(qtbot, page, "verify_old_meter", meter_number="V123456", form="2S") == "final_read"
        assert _do(qtbot, page, "final_read", value="41870") == "remove_old_meter"
        # Read today, the plan's last read was months ago: the final read is a warning to acknowledge.
        assert _do(qtbot, page, "remove_old_meter") == "remove_old_meter" and page.banner.isVisible()
        frame = next(page.findings_box.itemAt(i).widget() for i in range(page.findings_box.count())
                     if page.findings_box.itemAt(i).widget().accessibleName() == "finding final-read")
        reason = next(e for e in frame.findChildren(QLineEdit) if e.accessibleName() == "reason for final-read")
        qtbot.keyClicks(reason, "customer confirms the meter was read in March")
        ack = next(b for b in frame.findChildren(QPushButton) if b.accessibleName() == "acknowledge final-read")
        qtbot.mouseClick(ack, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.findings_box.count() == 0 or not any(
            f["open"] for f in page.shown["findings"] if f["rule"] == "final-read"), timeout=10000)
        assert _do(qtbot, page, "remove_old_meter") == "install_meter"
        assert _do(qtbot, page, "install_meter") == "self_check"
        page.meter.port.setEditText(url)
        for expected in ("identify_meter", "write_meter"):
            assert page.meter_button.isVisible()
            qtbot.mouseClick(page.meter_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda e=expected: page.shown["state"] == e or page.banner.isVisible(), timeout=15000)
            assert page.shown["state"] == expected, page.banner.text()
        # the panel polls the link's transcript every 300 ms: wait for the poll rather than race it
        qtbot.waitUntil(lambda: bool(page.meter.transcript.toPlainText()), timeout=5000)
        assert {f["rule"] for f in page.shown["findings"] if f["open"]} == {"program-id"}
        for expected in ("write_meter", "registration", "registration", "report"):  # load program, write, wait
            qtbot.mouseClick(page.meter_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: not page.ops.op.running, timeout=15000)
            qtbot.waitUntil(lambda e=expected: page.shown["state"] in (e, "report") or page.banner.isVisible(),
                            timeout=15000)
            if page.shown["state"] == "report":
                break
        assert page.shown["state"] == "report", page.banner.text()
        assert not any(f["open"] for f in page.shown["findings"] if f["rule"] == "program-id")
        assert _do(qtbot, page, "report") == "awaiting_verification"
    finally:
        page.meter.link_for(url).close() if page.meter._link else None
        srv.stop()


def test_photo_evidence_and_the_as_found_record(qtbot, ctx, tmp_path):
    from PIL import Image

    ctx.user = LocalUser("INS-042", Role.INSTALLER)
    svc = InstallService(ctx.store, config=ctx.config)
    svc.import_download(json.loads(DEMO.read_text()))
    svc.start(JOB, "INS-042")
    w = MainWindow(ctx, [ExchangePage])
    qtbot.addWidget(w)
    page = w.page(ExchangePage)
    page.open_job(JOB)
    qtbot.waitUntil(lambda: page.shown is not None, timeout=10000)
    assert _do(qtbot, page, "scan_meter", meter_number="72600101") == "travel"
    assert _do(qtbot, page, "arrive") == "verify_old_meter"
    picture = tmp_path / "panel.png"
    Image.new("RGB", (64, 48), (200, 30, 30)).save(picture)
    page.photo_from_file(str(picture))
    qtbot.waitUntil(lambda: len(page.photo_ids) == 1, timeout=10000)
    form = _form(page, "record_as_found")
    assert form.edits["photo_ids"].text() == page.photo_ids[0]
    next(b for b in form.findChildren(QCheckBox) if b.accessibleName().endswith("panel_damaged")).setChecked(True)
    button = [b for b in form.findChildren(QPushButton) if b.accessibleName().startswith("do:")][0]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.shown["as_found"]["photo_ids"] == page.photo_ids, timeout=10000)
    assert page.shown["as_found"]["conditions"] == ["panel_damaged"]
    kinds = {e.kind for e in ctx.store.outbox.list()}
    assert "photo" in kinds
