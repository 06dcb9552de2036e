"""``fieldtool self-test``: is this installation (a source checkout or the packaged bundle) whole?

Each check exercises a real part end to end, in a temporary FIELDTOOL_HOME so the installer's own store,
vault and logs are never touched: the store (schema migrations, a transaction), the radio plug-ins (entry
points and manifests, which a bundle loses when its metadata is not packed), the label decoder (a Code 128
label drawn with zxing-cpp's writer at run time, decoded through the scanning pipeline), the optical stack
(an in-process simulated C12.18 meter on a loopback socket: identify and health through ``MeterLink``) and
the desktop application (the main window built with every page and rendered offscreen).

A failing check does not stop the others; the result lists every check with ``ok`` and, when it failed, why.
"""

from __future__ import annotations

import os
import tempfile
import time
import traceback
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

RADIO_PLUGINS = ("gprs", "plc", "rf_mesh")
LABEL_TEXT = "72600101"
SIM_PASSWORD = b"MASTER".ljust(20, b"0")  # the simulated meter's full-access password


@contextmanager
def _temporary_home():
    keep = {k: os.environ.get(k) for k in ("FIELDTOOL_HOME", "FIELDTOOL_KEYRING", "FIELDTOOL_PASSPHRASE")}
    with tempfile.TemporaryDirectory(prefix="fieldtool-self-test-") as tmp:
        os.environ.update(FIELDTOOL_HOME=tmp, FIELDTOOL_KEYRING="off", FIELDTOOL_PASSPHRASE="self-test")
        try:
            yield Path(tmp)
        finally:
            for k, v in keep.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


def check_store(home: Path) -> str:
    from fieldtool.store.db import open_store

    with open_store(home / "self-test.db") as store:
        with store.transaction() as tx:
            tx.execute("SELECT 1")
        counts = store.outbox.counts()
    return f"store opened and migrated; outbox {dict(counts) or 'empty'}"


def check_radio_plugins(home: Path) -> str:
    from fieldtool.radio.registry import discover

    found = discover()
    missing = [n for n in RADIO_PLUGINS if n not in found.plugins]
    if missing or found.errors:
        why = "; ".join(f"{e.plugin}: {e.message}" for e in found.errors)
        raise RuntimeError(f"radio plug-ins missing: {', '.join(missing) or 'none'}{'; ' + why if why else ''}")
    return "radio plug-ins loaded: " + ", ".join(sorted(found.plugins))


def check_label_decode(home: Path) -> str:
    import numpy as np
    import zxingcpp

    from fieldtool.config import load_config, paths
    from fieldtool.devices.scanning.factory import decoder_from_settings

    label = zxingcpp.create_barcode(LABEL_TEXT, zxingcpp.BarcodeFormat.Code128)
    gray = np.asarray(zxingcpp.write_barcode_to_image(label, scale=3, add_quiet_zones=True))
    decoder = decoder_from_settings(load_config(paths()).section("scanning"))
    result = decoder.decode(gray)
    texts = [s.text for s in result.symbols]
    if LABEL_TEXT not in texts:
        raise RuntimeError(f"the sample label was not decoded (got {texts or 'nothing'})")
    return f"sample Code 128 label decoded: {LABEL_TEXT}"


def check_meter(home: Path) -> str:
    from fieldtool.devices.meter import MeterLink
    from firmware_sim.meter import profiles
    from firmware_sim.meter.server import MeterOptions, MeterServer

    server = MeterServer(profiles.get("acme-r1"), None, MeterOptions(pacing=False, meter_id=LABEL_TEXT))
    link = None
    try:
        link = MeterLink(server.listen_socket(), password=SIM_PASSWORD)
        ident = link.identify()
        health = link.health()
    finally:
        if link is not None:
            link.close()
        server.stop()
    if ident.meter_id != LABEL_TEXT:
        raise RuntimeError(f"the simulated meter identified as {ident.meter_id!r}, not {LABEL_TEXT!r}")
    return (f"simulated meter identified ({ident.manufacturer} {ident.model}, meter {ident.meter_id}, form "
            f"{ident.form}); health {'ok' if health.ok else 'critical: ' + ', '.join(health.critical)}")


def check_main_window(home: Path) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from fieldtool.domain.roles import Role
    from fieldtool.services.context import AppContext
    from fieldtool.services.users import LocalUser
    from fieldtool.ui.main_window import MainWindow, UiState
    from fieldtool.ui.pages import PAGES
    from fieldtool.ui.qt import QApplication
    from fieldtool.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(["fieldtool-self-test"])
    apply_theme(app, "normal", 12)
    ctx = AppContext.open()
    ctx.user = LocalUser("self-test", Role.SUPERVISOR)
    try:
        window = MainWindow(ctx, PAGES, UiState())
        window.resize(1280, 800)
        image = window.grab().toImage()
        pages = len(window.pages)
        window.close()
        window.deleteLater()
        app.processEvents()
    finally:
        ctx.close()
    if image.isNull() or image.width() < 100:
        raise RuntimeError("the main window did not render")
    return f"main window rendered offscreen with {pages} pages ({image.width()}x{image.height()})"


CHECKS: list[tuple[str, Callable[[Path], str]]] = [
    ("store", check_store),
    ("radio_plugins", check_radio_plugins),
    ("label_decode", check_label_decode),
    ("meter", check_meter),
    ("main_window", check_main_window),
]


def run_self_test(progress: Callable[[str], None] | None = None) -> dict:
    """Run every check; ``{"ok", "checks": [{"name", "ok", "detail", "seconds"}], "failed": [names]}``."""
    checks = []
    with _temporary_home() as home:
        for name, fn in CHECKS:
            started = time.monotonic()
            try:
                detail, ok = fn(home), True
            except Exception as e:  # a self-test reports every failure in words and goes on
                detail, ok = f"{type(e).__name__}: {e}", False
                if os.environ.get("FIELDTOOL_SELF_TEST_TRACE"):
                    traceback.print_exc()
            checks.append({"name": name, "ok": ok, "detail": detail, "seconds": round(time.monotonic() - started, 3)})
            if progress:
                progress(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")
    failed = [c["name"] for c in checks if not c["ok"]]
    return {"ok": not failed, "checks": checks, "failed": failed}
