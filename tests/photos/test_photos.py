"""Photos: JPEG with EXIF time and GPS, SHA-256, attached to a job with its outbox event in one transaction."""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fieldtool.devices.photos import capture_frame, encode_jpeg, load_still, read_exif
from fieldtool.devices.scanning.camera import Camera
from fieldtool.domain.errors import InputError
from fieldtool.domain.model import Position
from fieldtool.services.photos import PhotoService
from fieldtool.store.db import open_store
from fieldtool.sync.contract import problems
from tests.scanning import labelsynth as ls
from tests.scanning.videos import write_video

TAKEN = datetime(2026, 11, 26, 14, 7, 31, tzinfo=UTC)
POS = Position(45.5012345, -73.5731234, 3.2, datetime(2026, 11, 26, 14, 7, 30, tzinfo=UTC))


def meter_photo() -> np.ndarray:
    rng = random.Random(4)
    patch, mask = ls.pose(ls.label_image("Code128", "1AL0000000010222R"), rng, 0.6, angle=5)
    frame, _ = ls.place(patch, mask, (800, 600), rng)
    return np.dstack([frame, frame, frame])


def test_jpeg_carries_time_position_and_accuracy():
    jpeg = encode_jpeg(meter_photo(), taken_at=TAKEN, position=POS)
    assert jpeg.sha256 == hashlib.sha256(jpeg.data).hexdigest() and jpeg.data[:2] == b"\xff\xd8"
    exif = read_exif(jpeg.data)
    assert exif["taken_at"] == "2026:11:26 14:07:31" and exif["offset"] == "+00:00"
    assert exif["lat"] == pytest.approx(45.5012345, abs=1e-6) and exif["lon"] == pytest.approx(-73.5731234, abs=1e-6)
    assert exif["accuracy_m"] == pytest.approx(3.2) and exif["gps_date"] == "2026:11:26"


def test_jpeg_without_position_and_from_a_still_and_shrunk(tmp_path):
    p = tmp_path / "still.png"
    Image.fromarray(meter_photo()).save(p)
    jpeg = encode_jpeg(load_still(p), taken_at=TAKEN, max_side=400)
    assert (jpeg.width, jpeg.height) == (400, 300)
    assert "lat" not in read_exif(jpeg.data)
    with pytest.raises(ValueError):
        encode_jpeg(meter_photo(), taken_at=datetime(2026, 1, 1))  # a time without a zone is a bug
    with pytest.raises(InputError, match="not a picture"):
        load_still(Path(__file__))


def test_capture_from_the_camera_path(tmp_path):
    video = write_video(tmp_path / "cam.avi", [meter_photo()] * 3)
    with Camera(str(video), pace="every_frame") as cam:
        frame = capture_frame(cam)
    assert frame.shape == (600, 800, 3)
    assert encode_jpeg(frame, taken_at=TAKEN).size > 1000


class _Clock:
    def now(self):
        return TAKEN


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "store.db")
    yield s
    s.conn.close()


def test_attach_commits_row_file_and_outbox_event_together(store, tmp_path):
    service = PhotoService(store, tmp_path / "photos", clock=_Clock())
    attached = service.attach_image("WO-N00001", meter_photo(), position=POS, caption="seal broken", attached_to="as_found")
    photo = attached.photo
    data = Path(photo.path).read_bytes()
    assert hashlib.sha256(data).hexdigest() == photo.sha256 and len(data) == attached.size
    assert service.photos.get(photo.id) == photo
    assert [p.id for p in service.photos.for_job("WO-N00001")] == [photo.id]
    events = store.outbox.list(job_id="WO-N00001")
    assert [e.kind for e in events] == ["photo"] and events[0].id == attached.event_id
    payload = events[0].payload
    assert problems("PhotoPayload", payload) == []  # what the back-office contract expects
    assert payload["sha256"] == photo.sha256 and payload["attached_to"] == "as_found"
    assert payload["position"]["accuracy_m"] == 3.2 and payload["taken_at"] == TAKEN.isoformat()
    assert [p.name for p in (tmp_path / "photos").iterdir()] == [f"{photo.id}.jpg"]


def test_a_failed_commit_leaves_no_row_and_no_event(store, tmp_path, monkeypatch):
    service = PhotoService(store, tmp_path / "photos", clock=_Clock())

    def fail(events):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(store.outbox, "enqueue", fail)
    with pytest.raises(RuntimeError):
        service.attach_image("WO-1", meter_photo())
    assert service.photos.for_job("WO-1") == [] and store.outbox.list() == []


def test_refusals_in_words(store, tmp_path):
    service = PhotoService(store, tmp_path / "photos", clock=_Clock())
    with pytest.raises(InputError, match="cannot be attached to 'kitchen'"):
        service.attach_image("WO-1", meter_photo(), attached_to="kitchen")
    with pytest.raises(InputError, match="500 characters"):
        service.attach_image("WO-1", meter_photo(), caption="x" * 501)
    assert store.outbox.list() == []


def test_cli_photo_attach_and_list(tmp_path):
    from tests.conftest import cli_json, run_cli

    still = tmp_path / "meter.png"
    Image.fromarray(meter_photo()).save(still)
    out = cli_json("photo", "attach", "WO-N00007", "--image", str(still), "--attached-to", "before",
                   "--lat", "45.5", "--lon", "-73.57", "--accuracy", "4")  # fmt: skip
    assert hashlib.sha256(Path(out["path"]).read_bytes()).hexdigest() == out["sha256"]
    video = write_video(tmp_path / "cam.avi", [meter_photo()] * 2)
    cli_json("photo", "attach", "WO-N00007", "--video", str(video), "--caption", "after")
    listed = cli_json("photo", "list", "WO-N00007")
    assert len(listed) == 2 and listed[0]["position"] in ({"lat": 45.5, "lon": -73.57, "accuracy_m": 4.0}, None)
    r = run_cli("photo", "attach", "WO-1", "--image", str(still), "--lat", "45", "--json")
    assert r.returncode == 1 and "both --lat and --lon" in r.stderr
