"""What the custody and bench commands share: opening the store with the services, reading scan lists."""

from __future__ import annotations

import sys
from pathlib import Path

from fieldtool.clock import SYSTEM_CLOCK
from fieldtool.config import load_config
from fieldtool.domain.errors import InputError
from fieldtool.domain.receipt import ScannedUnit


def open_services():
    """(store, custody service, bench service) on the profile's store and configuration."""
    from fieldtool.domain.bench import required_tests
    from fieldtool.services.bench import BenchService
    from fieldtool.services.custody import CustodyService
    from fieldtool.store.db import open_store

    cfg = load_config()
    bench_settings = cfg.section("bench")
    required_tests(bench_settings.required_tests)  # refuse a bad list before anything is opened
    bench_settings.limits()
    store = open_store()
    custody = CustodyService(store, settings=cfg.section("custody"), clock=SYSTEM_CLOCK)
    return store, custody, BenchService(store, custody=custody, settings=bench_settings, clock=SYSTEM_CLOCK)


def read_lines(path: str) -> list[str]:
    """Non-empty lines of a file (``-`` = standard input), without ``#`` comments."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as e:
        raise InputError(f"There is no file {path}.") from e
    except (UnicodeDecodeError, OSError) as e:
        raise InputError(f"{path} cannot be read as text: {e}") from e
    return [line.split("#", 1)[0].strip() for line in text.splitlines() if line.split("#", 1)[0].strip()]


def scanned_units(path: str | None, singles: list[str] | None) -> list[ScannedUnit]:
    """Scans from ``--scans FILE`` (lines ``METER`` or ``METER,TYPE``) and repeated ``--scan METER[,TYPE]``."""
    lines = (read_lines(path) if path else []) + list(singles or [])
    out = []
    for line in lines:
        parts = [p.strip() for p in line.split(",")]
        if not parts[0] or len(parts) > 2:
            raise InputError(f"Cannot read the scan {line!r}: expected METER or METER,TYPE.")
        out.append(ScannedUnit(parts[0], parts[1] if len(parts) == 2 and parts[1] else None))
    if not out:
        raise InputError("No scans given.", hint="Use --scans FILE (one meter per line) or --scan METER.")
    return out


def unit_ids(path: str | None, singles: list[str] | None) -> list[str]:
    return [s.asset_id for s in scanned_units(path, singles)]


def label_scans(path: str) -> tuple[list[ScannedUnit], list[str]]:
    """Scans from a file of raw label texts, one per line, read with the utility's label rules."""
    from fieldtool.domain.labels import parse_label
    from fieldtool.domain.receipt import scans_from_labels

    rules = load_config().section("scanning").label_rules()
    return scans_from_labels([parse_label(line, rules=rules) for line in read_lines(path)])


def packing_contents(text: str) -> tuple[str | None, list[str]]:
    """(container id, meter numbers) of a packing or pallet label's text."""
    from fieldtool.domain.labels import parse_label

    label = parse_label(text, rules=load_config().section("scanning").label_rules())
    numbers = label.fields.get("meter_numbers") if label.kind == "packing" else None
    if not numbers:
        why = label.reason or f"it reads as a {label.kind.replace('_', ' ')} label"
        raise InputError(f"The packing label lists no meter numbers ({why}).",
                         hint="Scan the units one by one, or use --container with the pallet id.")
    return label.fields.get("sscc"), list(numbers)
