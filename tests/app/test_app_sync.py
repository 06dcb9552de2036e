"""The application starts background sync only when this laptop is signed in to a back office."""

from __future__ import annotations

from fieldtool.config import paths
from fieldtool.services.context import AppContext
from fieldtool.services.sync import SyncService
from fieldtool.ui.app import start_sync
from firmware_sim.backoffice.seed import DEMO_PASSWORD
from tests.sync.conftest import backoffice, server_clock  # noqa: F401 - fixtures

CONFIG = "[sync]\ninterval_s = 0.05\nbackoff_initial_s = 0.01\nbackoff_max_s = 0.05\n"


def test_not_signed_in_no_sync():
    ctx = AppContext.open()
    try:
        assert start_sync(ctx) is None and ctx.sync is None
    finally:
        ctx.close()


def test_signed_in_the_gui_syncs_in_the_background(qtbot, backoffice):  # noqa: F811
    paths().ensure().config_file.write_text(CONFIG, encoding="utf-8")
    ctx = AppContext.open()
    try:
        SyncService.from_context(ctx).login(backoffice.url, "inst-001", DEMO_PASSWORD)
        service = start_sync(ctx)
        assert service is ctx.sync and service is not None
        # the drain worker pulls the back office's work orders on its own
        qtbot.waitUntil(lambda: len(ctx.store.work_orders.list()) > 0, timeout=10_000)
    finally:
        ctx.close()
