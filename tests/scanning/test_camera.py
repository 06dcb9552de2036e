"""The camera path fed by video files: every frame, latest-frame-wins, de-duplicated live scans, the CLI."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

from fieldtool.devices.scanning.camera import Camera
from fieldtool.devices.scanning.dedup import ScanDeduplicator
from fieldtool.devices.scanning.live import LiveStats, live_scans
from fieldtool.devices.scanning.pipeline import Decoder
from fieldtool.domain.errors import InputError
from tests.conftest import run_cli
from tests.scanning.videos import scan_video, write_video


@pytest.fixture(scope="module")
def video(tmp_path_factory):
    path = tmp_path_factory.mktemp("video") / "walk.avi"
    texts = scan_video(path, [(None, 8), ("QRCode", 12), (None, 10), ("Code128", 12), (None, 6), ("QRCode", 10)])
    return path, texts


def test_every_frame_pace_hands_over_each_frame_once(video):
    path, _ = video
    seqs = []
    with Camera(str(path), pace="every_frame") as cam:
        while (f := cam.next_frame(timeout=2)) is not None:
            seqs.append(f.seq)
            assert f.image.shape == (360, 640, 3)
        assert cam.ended and cam.dropped == 0
    assert seqs == list(range(1, 59))


def test_live_scans_give_one_scan_per_label_and_stop_at_the_end(video):
    path, texts = video
    stats = LiveStats()
    with Camera(str(path), pace="every_frame") as cam:
        scans = list(live_scans(cam, Decoder("zxing"), budget_s=0.02, dedup=ScanDeduplicator(0.5), stats=stats))
    assert [s.symbol.text for s in scans] == texts
    assert stats.frames == 58
    assert scans[0].frame > 8  # the first label appears in frame 9


def test_a_slow_consumer_gets_the_newest_frame_never_a_backlog(tmp_path):
    frames = [np.full((120, 160, 3), i * 4, np.uint8) for i in range(45)]
    path = write_video(tmp_path / "count.avi", frames, fps=30)
    taken = []
    with Camera(str(path), pace="realtime") as cam:
        while (f := cam.next_frame(timeout=2)) is not None:
            taken.append((f.seq, time.monotonic() - f.captured_at))
            time.sleep(0.1)  # a consumer three frames slow
        dropped, captured = cam.dropped, cam.captured
    assert captured == 45
    assert dropped > 20 and len(taken) + dropped == 45
    assert max(age for _, age in taken) < 0.1  # what the consumer gets is at most one frame old


def test_a_missing_camera_or_file_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="Cannot open"):
        Camera(str(tmp_path / "nothing.avi")).start()


def test_controls_say_what_a_file_does_not_have(video):
    path, _ = video
    with Camera(str(path), pace="every_frame") as cam:
        assert cam.set_torch(True) is False
        c = cam.controls()
        assert c["width"] == 640 and c["height"] == 360


def test_cli_scan_camera_streams_json_lines_and_stops_at_the_end_of_the_video(video):
    path, texts = video
    r = run_cli("scan", "camera", "--video", str(path), "--every-frame", "--json", timeout=60)
    assert r.returncode == 0, r.stderr
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert [x["text"] for x in lines] == texts
    assert {"symbology", "text", "gs1", "frame"} <= set(lines[0])
