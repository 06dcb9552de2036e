"""The meter programs the tool can load (I1FR23, I1FR37): a JSON catalog, the utility's own file when
``[optical] programs_file`` names one, else the one shipped with the tool."""

from __future__ import annotations

import json
from pathlib import Path

from fieldtool.domain.errors import InputError

BUILT_IN = Path(__file__).with_name("meter_programs.json")


def load_catalog(path: str = "") -> dict[str, dict]:
    f = Path(path) if path else BUILT_IN
    try:
        data = json.loads(f.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise InputError(f"The program catalog {f} cannot be read: {e}") from e
    return data


def program(program_id: str, path: str = "") -> dict:
    """The program as the protocol loads it: id, intervals and TOU switch points (start minute, tier)."""
    catalog = load_catalog(path)
    if program_id not in catalog:
        raise InputError(f"There is no program {program_id!r} in the catalog.",
                         hint=f"Known programs: {', '.join(sorted(catalog))}.")  # fmt: skip
    p = catalog[program_id]
    try:
        return {
            "program_id": program_id,
            "demand_interval_min": int(p["demand_interval_min"]),
            "subintervals": int(p.get("subintervals", 1)),
            "lp_interval_min": int(p["lp_interval_min"]),
            "entries": [{"start_minute": int(m), "tier": int(t)} for m, t in p.get("tou", [])],
        }
    except (KeyError, TypeError, ValueError) as e:
        raise InputError(f"Program {program_id!r} in the catalog is not valid: {e!r}") from e
