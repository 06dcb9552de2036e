"""MeterLink's worker thread: progress callback, cancel from another thread, transcript without secrets,
protocol detection; and the simulator's world part."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest

from fieldtool.devices.meter_api import load_protocols
from fieldtool.domain.errors import UserCancelled, UserFacingError
from firmware_sim.meter import world_part

from .conftest import MASTER


def test_progress_and_transcript_hide_the_password(meter, link):
    _, url = meter("acme-r1")
    lk = link(url)
    steps = []
    lk.progress = lambda step, fraction: steps.append((step, fraction))
    lk.identify_and_check_health()
    assert ("identify", 0.05) in steps and steps[-1] == ("identify and health check", 1.0)
    lines = lk.transcript.lines()
    assert any(x.direction == "tx" for x in lines) and any(x.direction == "rx" for x in lines)
    text = "\n".join(str(x) for x in lines)
    assert MASTER.hex(" ") not in text and "password hidden" in text
    assert lines[0].at.tzinfo is not None


def test_cancel_from_another_thread_stops_a_busy_wait(meter, link):
    _, url = meter("acme-r1", faults={"busy": 1000})
    lk = link(url, busy_retries=10_000, busy_retry_delay_s=0.05)
    threading.Timer(0.3, lk.cancel).start()
    t0 = time.monotonic()
    with pytest.raises(UserCancelled):
        lk.identify_and_check_health()
    assert time.monotonic() - t0 < 2


def test_no_meter_on_the_port_is_said_in_words(meter, link):
    import socket

    srv = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    try:
        lk = link(f"socket://127.0.0.1:{srv.getsockname()[1]}")
        with pytest.raises(UserFacingError, match="No meter answered"):
            lk.open()
    finally:
        srv.close()


def test_c1218_is_tried_first():
    names = [p.name for p in load_protocols()]
    assert names and names[0] == "c1218"


def test_world_part_starts_meters_of_every_profile(tmp_path):
    stops = []
    ctx = SimpleNamespace(base_dir=tmp_path, meters=4, backoffice_url=None, on_stop=stops.append, host="127.0.0.1")
    out = world_part.start(ctx)
    try:
        assert [m["profile"] for m in out["meters"]][:3] == ["acme-r1", "borealis-rx", "cirrus-ct"]
        assert out["meters"][0]["meter_id"] == "72600101" and out["meters"][3]["meter_id"] == "72600104"
        assert all(m["url"].startswith("socket://127.0.0.1:") for m in out["meters"]) and len(out["meters"]) == 4
    finally:
        for s in stops:
            s()


def test_transcript_is_kept_on_close_and_pruned(meter, tmp_path):
    from fieldtool.devices.meter import MeterLink

    from .conftest import SETTINGS

    _, url = meter("acme-r1")
    folder = tmp_path / "optical"
    for _ in range(3):
        lk = MeterLink(url, settings=SETTINGS.__class__(**{**SETTINGS.__dict__, "keep_transcripts": 2}),
                       password=MASTER, transcript_dir=folder)  # fmt: skip
        lk.identify()
        lk.close()
    files = sorted(folder.glob("*.log"))
    assert len(files) == 2 and files[-1] == lk.transcript_file
    text = files[-1].read_text()
    assert " tx ee 00" in text and " rx 06" in text and "password hidden" in text and MASTER.hex() not in text
