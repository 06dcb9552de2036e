"""``fieldtool self-test``: every check passes in a source checkout and in the PyInstaller bundle; a broken
part is named and makes the command exit non-zero."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fieldtool.services import self_test
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[2]
NAMES = ["store", "radio_plugins", "label_decode", "meter", "main_window"]


def test_self_test_in_process_passes_every_check(qapp):
    home = os.environ["FIELDTOOL_HOME"]
    result = self_test.run_self_test()
    assert result["ok"] and result["failed"] == [], result
    assert [c["name"] for c in result["checks"]] == NAMES
    by = {c["name"]: c["detail"] for c in result["checks"]}
    assert by["radio_plugins"] == "radio plug-ins loaded: gprs, plc, rf_mesh"
    assert "72600101" in by["label_decode"] and "meter 72600101" in by["meter"]
    assert os.environ["FIELDTOOL_HOME"] == home  # the temporary home is undone


def test_a_failing_check_is_named_and_the_others_still_run(monkeypatch):
    def broken(home):
        raise RuntimeError("no radio plug-ins in this bundle")

    checks = [(n, broken if n == "radio_plugins" else fn) for n, fn in self_test.CHECKS if n != "main_window"]
    monkeypatch.setattr(self_test, "CHECKS", checks)
    lines = []
    result = self_test.run_self_test(lines.append)
    assert not result["ok"] and result["failed"] == ["radio_plugins"]
    assert [c["ok"] for c in result["checks"]] == [True, False, True, True]
    assert "FAIL radio_plugins: RuntimeError: no radio plug-ins in this bundle" in lines


def test_self_test_command_json():
    r = run_cli("self-test", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["ok"] and [c["name"] for c in out["checks"]] == NAMES


def _sources_digest() -> str:
    h = hashlib.sha256()
    for top in ("fieldtool", "plugins", "firmware_sim", "resources"):
        for p in sorted((ROOT / top).rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(str(p.relative_to(ROOT)).encode() + p.read_bytes())
    h.update((ROOT / "build.spec").read_bytes() + (ROOT / "pyproject.toml").read_bytes())
    return h.hexdigest()[:16]


@pytest.fixture(scope="session")
def bundle() -> Path:
    """``dist/fieldtool`` built once per test session (and reused while the sources are unchanged)."""
    if shutil.which("pyinstaller", path=str(Path(sys.executable).parent)) is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "pyinstaller>=6.6"], check=True)
    out = ROOT / "build" / "test-bundle"
    digest = _sources_digest()
    exe = out / "dist" / "fieldtool" / ("fieldtool.exe" if os.name == "nt" else "fieldtool")
    stamp = out / "sources.sha256"
    if not (exe.exists() and stamp.exists() and stamp.read_text() == digest):
        shutil.rmtree(out, ignore_errors=True)
        r = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath",
                            str(out / "dist"), "--workpath", str(out / "work"), str(ROOT / "build.spec")],
                           cwd=ROOT, capture_output=True, text=True)  # fmt: skip
        assert r.returncode == 0, r.stderr[-4000:]
        stamp.write_text(digest)
    return exe


@pytest.mark.timeout(900)
def test_the_bundle_passes_its_self_test(bundle):
    r = subprocess.run([str(bundle), "self-test", "--json"], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    out = json.loads(r.stdout)
    assert r.returncode == 0 and out["ok"], out
    assert [c["name"] for c in out["checks"]] == NAMES
