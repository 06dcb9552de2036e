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
    start = time.monotonic()
    with Camera(str(path), pace="realtime") as cam:
        while (f := cam.next_frame(timeout=2)) is not None:
            taken.append((f.seq, time.monotonic() - f.captured_at))
            time.sleep(0.1)  # a consumer three frames slow
        dropped, captured = cam.dropped, cam.captured
    took = time.monotonic() - start
    assert captured == 45
    assert dropped > 20 and len(taken) + dropped == 45
    assert [s for s, _ in taken] == sorted({s for s, _ in taken})
    # A queue would have made the consumer 3 s late by the end (45 frames at 10 a second for 1.5 s of
    # video); latest-frame-wins keeps every frame it gets fresh and ends with the video.
    assert max(age for _, age in taken) < 0.3 and took < 2.8


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


def test_live_linear_reads_from_recovery_need_a_second_frame():
    from fieldtool.clock import Clock
    from fieldtool.devices.scanning.backends import Symbol
    from fieldtool.devices.scanning.camera import CapturedFrame
    from fieldtool.devices.scanning.pipeline import DecodeResult

    pos = ((0, 0), (1, 0), (1, 1), (0, 1))
    per_frame = [
        [Symbol("Code128", "1AL0000000010222R", b"", False, pos, found_by="regions_profile")],  # once only
        [],
        [Symbol("Code128", "SN00000042", b"", False, pos, found_by="regions_otsu")],
        [Symbol("Code128", "SN00000042", b"", False, pos, found_by="regions_otsu")],  # confirmed here
        [Symbol("DataMatrix", "MFG:LG", b"", False, pos, found_by="regions")],  # Reed-Solomon: at once
        [Symbol("Code39", "SN12345678", b"", False, pos)],  # first pass: at once
    ]

    class FakeCamera:
        clock = Clock()
        frames = iter(CapturedFrame(i + 1, np.zeros((4, 4, 3), np.uint8), 0.0, i / 30) for i in range(len(per_frame)))

        def next_frame(self, timeout):
            return next(self.frames, None)

    class FakeDecoder:
        def with_steps(self, steps):
            return self

        def decode(self, image, budget_s, first_step):
            return DecodeResult(per_frame.pop(0))

    scans = list(live_scans(FakeCamera(), FakeDecoder(), budget_s=0.02))
    assert [(s.symbol.text, s.frame) for s in scans] == [("SN00000042", 4), ("MFG:LG", 5), ("SN12345678", 6)]
