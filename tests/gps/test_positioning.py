"""Accuracy estimates, averaging with outlier rejection, staleness."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldtool.domain.positioning import Sample, average, distance_m, estimate_accuracy, is_stale


def test_accuracy_from_quality_hdop_and_gst():
    assert estimate_accuracy(1, 1.0) == 7.0  # autonomous GPS: 2 x 3.5 m x HDOP
    assert estimate_accuracy(2, 1.0) == 2.0  # SBAS/DGPS
    assert estimate_accuracy(4, 1.0) == 0.04  # RTK fixed
    assert estimate_accuracy(1, 2.5) > estimate_accuracy(1, 1.0)
    assert estimate_accuracy(1, None) == 14.0  # no HDOP known: assume a mediocre 2
    assert estimate_accuracy(1, 1.0, sigma_m=1.5) == 3.0  # the receiver's own estimate wins
    assert estimate_accuracy(0, 1.0) is None and estimate_accuracy(8, 1.0) is None


def test_distance():
    assert distance_m(45.5, -73.57, 45.5, -73.57) == 0
    assert distance_m(45.5, -73.57, 45.501, -73.57) == pytest.approx(111.2, abs=0.2)


def test_average_rejects_a_multipath_jump():
    rng = random.Random(3)
    base = (45.5012, -73.5731)
    samples = [Sample(base[0] + rng.gauss(0, 2e-5), base[1] + rng.gauss(0, 2e-5), 3.0) for _ in range(9)]
    samples.insert(4, Sample(base[0] + 40 / 111_320, base[1], 3.0))  # 40 m north
    avg = average(samples)
    assert avg.used == 9 and avg.rejected == 1
    assert distance_m(avg.lat, avg.lon, *base) < 3.0
    assert avg.accuracy_m >= 3.0  # never better than the best single fix: errors are correlated


def test_average_weights_better_fixes_and_reports_spread():
    a = Sample(45.0, -73.0, 1.0)
    b = Sample(45.0 + 4 / 111_320, -73.0, 10.0)
    avg = average([a, b], min_reject_m=50)
    assert distance_m(avg.lat, avg.lon, 45.0, -73.0) < 0.1  # 1/1 against 1/100
    assert avg.accuracy_m >= 1.0 and avg.spread_m > 0
    assert average([]) is None


def test_staleness():
    assert is_stale(None, 5) and is_stale(5.1, 5) and not is_stale(4.9, 5)


@given(st.lists(st.tuples(st.floats(-80, 80), st.floats(-179, 179), st.one_of(st.none(), st.floats(0.01, 100))),
                min_size=1, max_size=20))
def test_average_of_anything_stays_in_range(points):
    avg = average([Sample(lat, lon, acc) for lat, lon, acc in points])
    assert -90 <= avg.lat <= 90 and -180 <= avg.lon <= 180
    assert avg.used >= 1 and avg.accuracy_m > 0
