"""Scan lists from files and the command line: bad input gets our error, never a crash."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldtool.cli._custody_env import scanned_units
from fieldtool.domain.errors import InputError
from fieldtool.domain.receipt import ScannedUnit


def test_scan_file(tmp_path):
    f = tmp_path / "scans.txt"
    f.write_text("\ufeffM1\nM2,2S-CL200   # second\n\n# comment only\nM3,\n", encoding="utf-8")
    assert scanned_units(str(f), ["M4,12S"]) == [ScannedUnit("M1"), ScannedUnit("M2", "2S-CL200"),
                                                 ScannedUnit("M3"), ScannedUnit("M4", "12S")]


@pytest.mark.parametrize("bad", ["a,b,c", ",2S"])
def test_bad_scan_lines(bad):
    with pytest.raises(InputError, match="Cannot read the scan"):
        scanned_units(None, [bad])


def test_missing_file_and_nothing_given(tmp_path):
    with pytest.raises(InputError, match="no file"):
        scanned_units(str(tmp_path / "nope.txt"), None)
    with pytest.raises(InputError, match="No scans"):
        scanned_units(None, [])


@given(st.binary(max_size=200))
def test_random_bytes_give_only_our_error(tmp_path_factory, data):
    f = tmp_path_factory.mktemp("scan") / "scans.txt"
    f.write_bytes(data)
    with contextlib.suppress(InputError):
        for s in scanned_units(str(f), None):
            assert s.asset_id and "," not in s.asset_id
