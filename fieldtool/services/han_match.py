"""Matching the devices found on the customer's HAN to the MMS's HAN instructions (UC134 7.4.2-7.4.4).

Matched by EUI-64 (the identity the meter sees); a device type that differs from the instruction is flagged
for the installer to validate or correct. Devices found but not instructed (a door sensor, a neighbour's
thermostat) are listed and stay out unless the installer adds them.
"""

from __future__ import annotations

from fieldtool.devices.han import HanDeviceStatus
from fieldtool.domain.model import PlannedHanDevice
from fieldtool.protocols.han.install_code import normalise_eui64

TYPE_WORDS = {"thermostat": "pct", "pct": "pct", "in_home_display": "in_home_display", "ihd": "in_home_display",
              "load_control": "load_control_device", "load_control_device": "load_control_device"}  # fmt: skip


def match_planned(planned: tuple[PlannedHanDevice, ...] | list, found: list[HanDeviceStatus]) -> dict:
    by_eui = {d.eui64: d for d in found}
    matched, missing = [], []
    for p in planned:
        eui = normalise_eui64(p.eui64)
        d = by_eui.get(eui)
        if d is None:
            missing.append({"eui64": eui, "device_type": p.device_type, "program": p.program,
                            "has_install_code": p.install_code is not None})  # fmt: skip
            continue
        want = TYPE_WORDS.get(p.device_type, p.device_type)
        type_ok = d.device_type in ("unknown", want)
        matched.append({"eui64": eui, "planned_type": p.device_type, "found_type": d.device_type, "type_ok": type_ok,
                        "state": d.state, "program": p.program, "has_install_code": p.install_code is not None,
                        "program_supported": p.program is None or d.device_type == "unknown"
                        or p.program in d.programs})  # fmt: skip
    planned_euis = {normalise_eui64(p.eui64) for p in planned}
    extra = [{"eui64": d.eui64, "device_type": d.device_type, "state": d.state, "smart_energy": d.smart_energy}
             for d in found if d.eui64 not in planned_euis]  # fmt: skip
    return {"matched": matched, "missing": missing, "not_instructed": extra,
            "all_found": not missing and all(m["type_ok"] for m in matched)}  # fmt: skip
