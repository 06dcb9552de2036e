"""The simulated meter's service (disconnect) switch: a latching relay that takes its time to move.

MP_SERVICE_SWITCH (``fieldtool.protocols.c1219.mfg``) starts an operation: the meter answers ST8 at once
(result 0, the relay is being driven) and the switch-status table reports ``in_progress`` until the
profile's settle time (scaled by ``time_scale``) has passed; then the contacts are where they were told to
be, or, with the ``switch-stuck`` fault, still where they were (result ``stuck``). ``arm`` leaves the load
off until the customer presses the button on the meter (``press_button``). The relay's position, the last
operation and the count are kept in the state file (``MeterState.switch``) so a restart finds them again.

Thread rule: called with the shared state's lock held (the responder takes it for every request).
"""

from __future__ import annotations

from fieldtool.protocols.c1219 import mfg

_STATE_CODE = {v: k for k, v in mfg.SWITCH_STATES.items()}
_OPERATION_CODE = {v: k for k, v in mfg.SWITCH_OPERATIONS.items()}
_RESULT_CODE = {v: k for k, v in mfg.SWITCH_RESULTS.items()}
_TARGET = {"open": "open", "close": "closed", "arm": "armed"}

EVENT_SWITCH_OPERATED = 11  # event-log code (argument: operation code, +0x100 when the relay stuck)

# ST8 results of the procedure (C12.19 PROC_RESPONSE codes)
COMPLETED, INVALID_PARAMETER, TIMING, NO_AUTHORIZATION, UNRECOGNIZED = 0, 2, 4, 5, 6


def fresh_switch() -> dict:
    """A switch as it leaves the factory: closed, never operated."""
    return {"state": "closed", "operation": "none", "result": "none", "operations": 0, "target": None,
            "started": None, "at": None}  # fmt: skip


class ServiceSwitch:
    def __init__(self, shared, settle_s: float | None, time_scale: float = 1.0):
        self.shared = shared
        self.settle_s = settle_s  # None: this meter has no switch
        self.time_scale = time_scale
        self.stuck = False

    @property
    def present(self) -> bool:
        return self.settle_s is not None

    @property
    def _sw(self) -> dict:
        s = self.shared.state
        if not s.switch:
            s.switch = fresh_switch()
        return s.switch

    def operate(self, params: bytes, level: int, now: float) -> int:
        """Run MP_SERVICE_SWITCH; the ST8 result code."""
        if not self.present:
            return UNRECOGNIZED
        if level < 2:
            return NO_AUTHORIZATION
        action = mfg.parse_switch_procedure(params)
        if action is None:
            return INVALID_PARAMETER
        sw = self.settle(now)
        if sw["result"] == "in_progress":
            return TIMING  # the relay is still moving from the last command
        sw.update(operation=action, result="in_progress", target=_TARGET[action], started=now, at=now)
        self.shared.save()
        return COMPLETED

    def settle(self, now: float) -> dict:
        """The switch record with a finished move applied (the relay's settle time has passed)."""
        sw = self._sw
        if sw["result"] == "in_progress" and now - sw["started"] >= self.settle_s * self.time_scale:
            moved = not self.stuck
            if moved:
                sw["state"] = sw["target"]
            sw.update(result="succeeded" if moved else "stuck", target=None, operations=sw["operations"] + 1)
            self.shared.state.log(now, EVENT_SWITCH_OPERATED,
                                  _OPERATION_CODE[sw["operation"]] | (0 if moved else 0x100))  # fmt: skip
            self.shared.save()
        return sw

    def press_button(self, now: float) -> None:
        """The customer presses the meter's button: an armed switch closes."""
        sw = self.settle(now)
        if sw["state"] == "armed" and not self.stuck:
            sw.update(state="closed", operations=sw["operations"] + 1, at=now)
            self.shared.save()

    def values(self, now: float, meter_time) -> dict:
        """The switch-status table as the meter reports it now."""
        sw = self.settle(now)
        return {"state": _STATE_CODE[sw["state"]], "last_operation": _OPERATION_CODE[sw["operation"]],
                "result": _RESULT_CODE[sw["result"]], "load_voltage": int(sw["state"] == "closed"),
                "operations": sw["operations"], "last_operation_at": meter_time(sw["at"]) if sw["at"] else None}  # fmt: skip
