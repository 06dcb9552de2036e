"""The HAN of ``python -m firmware_sim world``: every simulated meter carries a customer's premises behind
its ESI (``devices.demo_premises()``, embedded by the meter simulator and reached over its optical port).
This part reports what is on each premises: the labels an installer would find (EUI-64 + install code)."""

from __future__ import annotations

from firmware_sim.han.devices import demo_premises


def start(ctx) -> dict:
    """Also starts the HAN head-end between the back office and the meters, when the world has a back office."""
    devices = [{"eui64": d.eui64, "kind": d.kind, "install_code": d.install_code.hex().upper(),
                "on_the_han": d.commissioned, "smart_energy": d.smart_energy, "distance_m": d.distance_m}
               for d in demo_premises()]  # fmt: skip
    headend = None
    if getattr(ctx, "backoffice_url", None) and getattr(ctx, "headend_key", None):
        from firmware_sim.han.headend import HanHeadEnd

        headend = HanHeadEnd(ctx.backoffice_url, ctx.headend_key, lambda: list(getattr(ctx, "meter_servers", [])),
                             ca_file=getattr(ctx, "ca_file", None)).start()
        ctx.on_stop(headend.stop)
    return {"premises": "demo", "headend": headend is not None, "behind": "every meter's ESI (optical port tables han_*)", "devices": devices}
