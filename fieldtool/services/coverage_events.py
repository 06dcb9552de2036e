"""The outbox events of this area, shaped as the back-office contract says (``fieldtool/sync/openapi.yaml``).

- ``coverage_report`` (I1FR33, I1FR36): ``CoverageReportPayload`` — ``meter_number``, ``technology``,
  ``verdict`` (the contract's ``good``/``marginal``/``none``; ``good`` is UC134's *adequate*), ``position``,
  ``samples`` (the measurement at the meter, then the meter's own signal-strength log, I1FR34) — plus the
  whole report's other fields for later analysis.
- The registration watch (I1NFR3) has no kind of its own in the contract: each observation travels as a
  ``transition`` of a ``registration_watch`` pseudo-step (``from_state``/``to_state`` say where the watch
  stood, ``event`` what happened, ``data`` the details), which the back office keeps in the job's history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fieldtool.domain.codec import to_data
from fieldtool.domain.coverage import CoverageReport

WATCH_STEP = "registration_watch"


def coverage_payload(report: CoverageReport) -> dict[str, Any]:
    data = to_data(report)
    best = max(report.heard, key=lambda h: h.signal if h.signal is not None else -1e9, default=None)
    measured = {
        "measured_at": data["measured_at"],
        "rssi_dbm": report.value if report.metric != "snr_db" else (best.signal if best else None),
        "snr_db": report.value if report.metric == "snr_db" else (best.snr_db if best else None),
        "link_quality": best.lqi if best else None,
        "neighbours": len(report.heard),
    }
    log = [{"measured_at": s.at.isoformat(), "rssi_dbm": s.signal_dbm, "snr_db": None,
            "link_quality": s.link_quality, "neighbours": None, "source": "meter_log"}
           for s in report.meter_signal_log if s.at is not None]
    position = data.pop("position")
    if position is not None:
        position = {k: v for k, v in position.items() if v is not None or k in ("accuracy_m", "fix_time")}
    data.update(
        meter_number=report.meter_number or "",
        verdict=str(report.verdict),
        position=position,
        samples=[{**measured, "source": "field_tool"}, *log],
        report_id=report.id,
    )
    return data


def watch_payload(*, event: str, from_state: str, to_state: str, at: datetime, data: dict[str, Any]) -> dict[str, Any]:
    return {"from_state": f"{WATCH_STEP}:{from_state}", "to_state": f"{WATCH_STEP}:{to_state}", "event": event,
            "actor": "fieldtool", "at": at.isoformat(), "data": data}
