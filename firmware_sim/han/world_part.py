"""The HAN of ``python -m firmware_sim world``: every simulated meter carries a customer's premises behind
its ESI (``devices.demo_premises()``, embedded by the meter simulator and reached over its optical port).
This part reports what is on each premises: the labels an installer would find (EUI-64 + install code)."""

from __future__ import annotations

from firmware_sim.han.devices import demo_premises


def start(ctx) -> dict:
    devices = [{"eui64": d.eui64, "kind": d.kind, "install_code": d.install_code.hex().upper(),
                "on_the_han": d.commissioned, "smart_energy": d.smart_energy, "distance_m": d.distance_m}
               for d in demo_premises()]  # fmt: skip
    return {"premises": "demo", "behind": "every meter's ESI (optical port tables han_*)", "devices": devices}
