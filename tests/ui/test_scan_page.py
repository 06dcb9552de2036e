"""Scanning in the GUI: a video through the camera path shows a preview and lists what it read; a wedge
scanner's burst anywhere lands in the current screen; a scan goes into the job's current step."""

from fieldtool.domain.roles import Role
from fieldtool.services.users import LocalUser
from fieldtool.ui.main_window import MainWindow
from fieldtool.ui.qt import QApplication, Qt
from fieldtool.ui.scan_page import ScanPage, describe
from tests.scanning.videos import scan_video


def test_camera_video_preview_and_scans(qtbot, ctx, tmp_path):
    video = tmp_path / "labels.avi"
    texts = scan_video(video, [("QRCode", 20), (None, 10), ("Code128", 20)])
    ctx.user = LocalUser("ana", Role.WAREHOUSE)
    w = MainWindow(ctx, [ScanPage])
    qtbot.addWidget(w)
    w.show()
    page = w.page(ScanPage)
    page.source.setText(str(video))
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.ops.op is not None and not page.ops.op.running, timeout=30000)
    listed = [page.scans.item(i).text() for i in range(page.scans.count())]
    for t in texts:
        assert any(t in line for line in listed), (t, listed)
    assert page.preview.pixmap() is not None and not page.preview.pixmap().isNull()


def test_wedge_burst_is_a_scan_wherever_the_focus_is(qtbot, ctx):
    ctx.user = LocalUser("ana", Role.WAREHOUSE)
    w = MainWindow(ctx, [ScanPage])
    qtbot.addWidget(w)
    w.show()
    page = w.page(ScanPage)
    page.manual.setFocus()
    QApplication.processEvents()
    qtbot.keyClicks(page.manual, "72600101")  # QTest types far faster than a person: a burst
    qtbot.keyClick(page.manual, Qt.Key.Key_Return)
    assert any("72600101" in page.scans.item(i).text() for i in range(page.scans.count()))


def test_labels_are_described_in_words():
    assert "not recognised" in describe("hello world")
    assert "install_code" in describe("Z:943469FFFE05CE55$I:FC5ECD1E8DFD3E0603E3689F8D0226BBF80B")
