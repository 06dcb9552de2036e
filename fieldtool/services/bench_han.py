"""The HAN device bench test (UC134 step 4, I1FR39): a HAN device on the bench is joined to the bench meter
through the meter's ESI over the optical port, given its initial parameters and keys (its install-code link
key, then the programs asked for), and the result is recorded as the unit's ``han`` bench test.

The provisioning itself is ``HanService.provision`` (the readiness ladder, keys from the vault, every
interaction in the HAN log under the job ``bench-<lot>``, a ``han_provisioning`` outbox event per device
without a job id). A device passes when it reached the interviewed rung or above (interviewed, acknowledged,
participating); the unit's HAN test passes when every device on the bench passed. With no device named the
test is the HAN test tool on the meter's ESI alone: it passes when the ESI is up and nothing needs attention.

Threading: blocks on the optical port; ``cancel`` stops between and within device steps (nothing is recorded).
"""

from __future__ import annotations

import threading

from fieldtool.domain.bench import BenchTest, Outcome
from fieldtool.domain.errors import InputError
from fieldtool.protocols.han.readiness import Rung
from fieldtool.services.han import DeviceRequest, HanService

PASSED_RUNGS = frozenset({Rung.INTERVIEWED, Rung.ACKNOWLEDGED, Rung.PARTICIPATING})
HAN_NOT_RUN = "no HAN device was tested with this unit (fieldtool bench lot han-test)"


def parse_device(text: str, programs: tuple[str, ...] = ()) -> DeviceRequest:
    """``EUI64`` (a device already on the meter's HAN) or ``EUI64:INSTALL_CODE`` as the label gives them."""
    eui64, _, code = text.strip().partition(":")
    if not eui64:
        raise InputError(f"{text!r} names no HAN device.", hint="Give EUI64 or EUI64:INSTALL_CODE.")
    return DeviceRequest(eui64, code.strip() or None, programs)


def run_han(bench, han: HanService, lot_id: str, asset_id: str, transport, requests: list[DeviceRequest], *,
            actor: str, progress=None, cancel: threading.Event | None = None) -> dict:
    """Test (and provision) the bench's HAN devices through ``transport`` and record the unit's HAN result."""
    lot = bench.lot(lot_id)  # refuse an unknown lot before any device work
    job = f"bench-{lot.lot_id}"
    if requests:
        outcomes = han.provision(job, transport, requests, meter_number=asset_id, progress=progress, cancel=cancel)
        devices = [o.to_json() for o in outcomes]
        reasons = [f"{o.eui64}: {o.readiness.failure.value if o.readiness.failure else o.readiness.rung.value}"
                   + (f" — {o.readiness.guidance}" if o.readiness.guidance else "")
                   for o in outcomes if o.readiness.rung not in PASSED_RUNGS]
    else:
        found = han.diagnose(job, transport)
        devices = found["devices"]
        reasons = [f"{f['eui64'] or 'ESI'}: {f['problem']} — {f['guidance']}" for f in found["findings"]]
        if not found["interfaces"]:
            reasons.append("the meter reports no HAN interface")
    if cancel is not None and cancel.is_set():
        from fieldtool.domain.errors import UserCancelled

        raise UserCancelled()
    outcome = Outcome.FAILED if reasons else Outcome.PASSED
    detail = {"devices": devices, "reasons": reasons, "han_job": job}
    return bench.record(lot_id, asset_id, BenchTest.HAN, outcome, detail, actor=actor)
