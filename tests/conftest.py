"""Every test runs in its own FIELDTOOL_HOME, with the vault unlocked by a test passphrase and no keyring."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

# Qt's application object is session-wide and made before any per-test fixture: choose the platform now.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def fieldtool_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("FIELDTOOL_HOME", str(home))
    monkeypatch.setenv("FIELDTOOL_PASSPHRASE", "test passphrase")
    monkeypatch.setenv("FIELDTOOL_KEYRING", "off")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    return home


def run_cli(*args: str, input: str | None = None, env: dict | None = None, timeout: float = 60):
    """Run ``python -m fieldtool ...`` in a child process, as a user or a script would."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "fieldtool", *args],
        input=input,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
    )


def cli_json(*args: str, **kw):
    """Run a ``--json`` command that must succeed and return its parsed output."""
    r = run_cli(*args, "--json", **kw)
    assert r.returncode == 0, f"exit {r.returncode}\nstdout: {r.stdout}\nstderr: {r.stderr}"
    return json.loads(r.stdout)
