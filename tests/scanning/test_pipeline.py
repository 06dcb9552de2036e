"""The decode pipeline on badly photographed labels: recovery, positions, several symbols, the budget."""

from __future__ import annotations

import random
import zlib

import cv2
import numpy as np
import pytest

from fieldtool.devices.scanning.backends import Symbol, make_backend
from fieldtool.devices.scanning.pipeline import Decoder, to_gray
from tests.scanning import labelsynth as ls

KINDS = list(ls.WRITERS)
SINGLE = ["rotation", "perspective", "blur", "noise", "low_contrast", "glare", "jpeg"]
COMBOS = [("rotation", "low_contrast", "noise"), ("perspective", "blur", "jpeg"), ("rotation", "glare", "jpeg")]


def _sample(kind, degradations, seed):
    rng = random.Random(zlib.crc32(repr((kind, degradations, seed)).encode()))  # stable across processes
    return ls.sample(kind, seed, rng, degradations=degradations)


@pytest.mark.parametrize("kind", KINDS)
def test_every_degradation_is_read_by_zxing(kind):
    decoder = Decoder("zxing", budget_s=3.0)
    misses = []
    for degradations in [(d,) for d in SINGLE] + COMBOS:
        s = _sample(kind, degradations, 3)
        result = decoder.decode(s.image)
        if [x.text for x in result.symbols] != [s.text]:
            misses.append((degradations, [x.text for x in result.symbols]))
        elif result.symbols[0].symbology != s.symbology:
            misses.append((degradations, result.symbols[0].symbology))
    assert misses == []


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "DataMatrix"])
def test_zbar_reads_through_the_same_pipeline(kind):
    decoder = Decoder("zbar", budget_s=3.0)
    read = 0
    for degradations in [("rotation",), ("perspective",), ("low_contrast",), ("jpeg",), ("noise",)]:
        s = _sample(kind, degradations, 5)
        read += [x.text for x in decoder.decode(s.image).symbols] == [s.text]
    assert read >= 4  # zbar is the weaker decoder (docs/field-data.md A2); it must still read most


def test_recovery_finds_what_the_first_pass_misses_and_maps_the_position_back():
    # A Code 128 at 35 degrees in poor light: zxing's row scans miss it, the straightened region reads.
    label = ls.label_image("Code128", "1AL0000000420222R")
    patch, mask = ls.pose(label, random.Random(1), 0.9, angle=35)
    frame, _ = ls.place(patch, mask, (1280, 720), random.Random(2))
    frame = ls.low_contrast(frame, 90, 150)
    decoder = Decoder("zxing", budget_s=3.0)
    assert decoder.first_pass(frame) == []
    result = decoder.decode(frame)
    assert [s.text for s in result.symbols] == ["1AL0000000420222R"]
    assert result.found_by not in (None, "first") and result.passes[0] == "first"
    # the corners lie on the label in frame coordinates: the label is darker-striped there
    pts = np.array(result.symbols[0].position, np.int32)
    region = np.zeros_like(frame)
    cv2.fillConvexPoly(region, pts, 255)
    inside = frame[region > 0]
    assert inside.size > 5000 and inside.std() > 15


def test_several_symbols_in_one_frame_pallet():
    rng = random.Random(7)
    frame = np.full((1080, 1920), 235, np.uint8)
    texts = []
    for i, (x, y) in enumerate([(60, 60), (1300, 60), (1300, 600), (60, 600)]):
        kind = ["Code128", "QRCode", "DataMatrix", "GS1-128"][i]
        payload = ls.WRITERS[kind][1](i + 10)
        texts.append(ls.expected_text(kind, payload))
        lab = ls.label_image(kind, payload, module_px=2)
        frame[y : y + lab.shape[0], x : x + lab.shape[1]] = lab
    frame = ls.jpeg(ls.noise(frame, rng, 5), 70)
    result = Decoder("zxing", budget_s=3.0).decode(frame, want=4)
    assert sorted(s.text for s in result.symbols) == sorted(texts)


class _SlowBackend:
    """A backend that finds nothing and costs a known time on a fake clock."""

    name = "fake"

    def __init__(self, clock, cost_s, results=()):
        self.clock, self.cost_s, self.results, self.calls = clock, cost_s, list(results), 0

    def decode(self, gray, *, fast=False):
        self.calls += 1
        self.clock.t += self.cost_s
        return list(self.results)


class _FakeClock:
    t = 0.0

    def monotonic(self):
        return self.t


def test_recovery_stops_when_the_budget_is_spent():
    clock = _FakeClock()
    backend = _SlowBackend(clock, 0.05)
    result = Decoder(backend, budget_s=0.12, clock=clock).decode(np.full((200, 300), 255, np.uint8))
    assert result.symbols == [] and result.budget_spent
    assert backend.calls <= 4  # first pass + what fits in 120 ms at 50 ms a decode (one may overrun)
    assert result.elapsed_s == pytest.approx(backend.calls * 0.05)


def test_short_reads_of_weak_linear_symbologies_are_dropped():
    clock = _FakeClock()
    pos = ((0, 0), (1, 0), (1, 1), (0, 1))
    junk = [Symbol("ITF", "3706", b"3706", False, pos), Symbol("Code39", "AAAAAAAAAA", b"", False, pos),
            Symbol("ITF", "107350012300", b"", False, pos),  # a scan line across an ITF-14 at an angle
            Symbol("ITF", "10735001230016", b"", False, pos),  # ITF-14 with a wrong check digit
            Symbol("ITF", "10735001230015", b"", False, pos), Symbol("Code128", "A1", b"A1", False, pos)]  # fmt: skip
    result = Decoder(_SlowBackend(clock, 0.0, junk), budget_s=0.0, clock=clock).decode(np.zeros((10, 10), np.uint8))
    assert [s.text for s in result.symbols] == ["10735001230015", "A1"]  # Code 128 has a check character
    anything = Decoder(_SlowBackend(clock, 0.0, junk), budget_s=0.0, clock=clock, itf_lengths=())
    assert "107350012300" in [s.text for s in anything.decode(np.zeros((10, 10), np.uint8)).symbols]


@pytest.mark.parametrize("shape", [(480, 640), (480, 640, 3), (480, 640, 4)])
def test_blank_frames_of_any_layout_give_nothing_without_error(shape):
    assert Decoder("zxing", budget_s=0.05).decode(np.full(shape, 128, np.uint8)).symbols == []
    assert to_gray(np.zeros(shape, np.uint8)).ndim == 2


def test_recovery_pipeline_also_serves_zbar_with_positions():
    s = _sample("QRCode", ("rotation", "perspective"), 9)
    symbols = Decoder(make_backend("zbar"), budget_s=3.0).decode(s.image).symbols
    assert [x.text for x in symbols] == [s.text]
    assert all(0 <= x <= 1280 and 0 <= y <= 720 for x, y in symbols[0].position)


def test_recovery_resumes_where_the_last_frame_stopped():
    clock = _FakeClock()
    backend = _SlowBackend(clock, 0.01)
    d = Decoder(backend, budget_s=0.025, clock=clock)
    blank = np.full((100, 100), 255, np.uint8)
    first = d.decode(blank)
    assert first.passes[0] == "first" and first.budget_spent
    second = d.decode(blank, first_step=first.next_step)
    tried = first.passes[1:] + second.passes[1:]
    assert len(set(tried)) == len(tried)  # the second frame went on with new steps, it did not repeat
    assert second.passes[1] == d.steps[first.next_step][0]


def test_gs1_reads_with_a_wrong_key_check_digit_are_misreads():
    clock = _FakeClock()
    pos = ((0, 0), (1, 0), (1, 1), (0, 1))
    reads = [Symbol("Code128", "010950110114000310LOT0017\x1d2100000007", b"", True, pos),  # seen on the bench
             Symbol("Code128", "010950110153000310LOT0007\x1d2100000007", b"", True, pos),
             Symbol("Code128", "0109501101530003\x1d10X", b"", None, pos)]  # zbar: GS1 unknown, GS inside  # fmt: skip
    result = Decoder(_SlowBackend(clock, 0.0, reads), budget_s=0.0, clock=clock, steps=[]).decode(np.zeros((9, 9), np.uint8), want=9)
    assert [s.text[:16] for s in result.symbols] == ["0109501101530003", "0109501101530003"]
