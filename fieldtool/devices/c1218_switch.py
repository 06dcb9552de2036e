"""The service (disconnect) switch of a C12.18 meter: manufacturer procedure and switch-status table.

``operate_switch`` runs MP_SERVICE_SWITCH (``c1219.mfg``) through ST7/ST8, then reads the switch-status table
until the meter stops reporting ``in_progress`` (a latching relay takes its settle time to move), within
``[optical] switch_timeout_s``. A meter without a switch answers the procedure with result 6 (unrecognized
procedure), or has no switch-status table in its vendor's map: both are ``SwitchNotSupported``.

Thread rule: runs on MeterLink's port thread, like every session operation.
"""

from __future__ import annotations

from fieldtool.devices import meter_api as api
from fieldtool.domain.errors import UserFacingError
from fieldtool.protocols.c1219 import mfg
from fieldtool.protocols.c1219.procedures import ProcedureFailed

_ACTION = {"open": "open", "closed": "close", "armed": "arm"}
_VERB = {"open": "open", "closed": "close", "armed": "arm"}
POLL_S = 0.05  # between reads of the switch-status table while the relay moves


def _not_supported(session, why: str) -> api.SwitchNotSupported:
    maker = session.st1.manufacturer if session.st1 else "?"
    model = session.st1.model if session.st1 else ""
    return api.SwitchNotSupported(f"This meter ({maker} {model}".rstrip() + f") has no service switch: {why}.",
                                  hint="Meters without a switch skip the disconnect test (or drop it from "
                                  "[bench] required_tests for this kind of meter).")  # fmt: skip


def read_switch(session) -> api.SwitchStatus:
    if not session.map or session.map.table_id("switch_status") is None:
        raise _not_supported(session, "its vendor keeps no switch-status table")
    raw = session.read_mfg("switch_status")
    return api.SwitchStatus(
        state=mfg.SWITCH_STATES.get(raw["state"], f"unknown_{raw['state']}"),
        last_operation=mfg.SWITCH_OPERATIONS.get(raw["last_operation"], f"unknown_{raw['last_operation']}"),
        result=mfg.SWITCH_RESULTS.get(raw["result"], f"unknown_{raw['result']}"),
        load_voltage=bool(raw["load_voltage"]), operations=raw["operations"],
        last_operation_at=raw["last_operation_at"],
    )  # fmt: skip


def _wait_until_settled(session) -> api.SwitchStatus:
    clock = session.ctx.clock
    deadline = clock.monotonic() + clock.seconds(session.s.switch_timeout_s)
    while True:
        status = read_switch(session)
        if status.result != "in_progress":
            return status
        if clock.monotonic() >= deadline:
            raise UserFacingError(
                f"The meter's service switch was still moving after {session.s.switch_timeout_s:g} s.",
                hint="Read the switch state again in a moment; if it stays 'in progress' the relay is faulty.",
            )
        session.c._wait(POLL_S)


def operate_switch(session, state: str) -> api.SwitchStatus:
    """Command the switch to ``state`` (open, closed, armed) and wait for the relay; see the module doc."""
    for attempt in range(2):
        try:
            session.procedure(mfg.switch_procedure(_ACTION[state], session.next_seq()))
            break
        except ProcedureFailed as e:
            if e.result == 6:
                raise _not_supported(session, "it does not know the service-switch procedure") from None
            if e.result != 4 or attempt:
                raise
            _wait_until_settled(session)  # still moving from an earlier command: let it finish, then retry
    status = _wait_until_settled(session)
    if status.result == "succeeded" and status.state == state:
        return status
    voltage = "load-side voltage is still present" if status.load_voltage else "no load-side voltage"
    if status.result == "stuck":
        why = f"the meter reports its relay stuck {status.state} ({voltage})"
    else:
        why = f"the meter reports it {status.state} after '{status.result}' ({voltage})"
    raise api.SwitchFailed(f"The service switch did not {_VERB[state]}: {why}.", status,
                           hint="Do not install this meter: it fails the disconnect test; send it back.")  # fmt: skip
