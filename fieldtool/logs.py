"""Logging to a file in the log folder. Secrets never reach a log: they live in the vault only."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from fieldtool.config import paths


def log_path() -> Path:
    return paths().log_dir / "fieldtool.log"


def setup_logging(level: int = logging.INFO) -> None:
    root = logging.getLogger()
    if any(getattr(h, "_fieldtool", False) for h in root.handlers):
        return
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=5_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
    handler._fieldtool = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
