"""Network coverage at the meter (UC134 7.1A.2–7.1A.5): the thresholds, the verdict, the report.

Pure: the service measures through a radio plug-in and hands the values here. The verdict is the worse of
two judgements: the signal (the metric that matters for the technology) and the packet loss of the link test.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fieldtool.domain.exchange_events import Coverage
from fieldtool.domain.model import Position

Verdict = Coverage  # adequate / marginal / none: the exchange workflow's own verdict type (7.1A.3)

_ORDER = [Verdict.ADEQUATE, Verdict.MARGINAL, Verdict.NONE]


@dataclass(frozen=True)
class RadioSettings:
    """Configuration section ``[radio]`` (documented in docs/configuration.md)."""

    rf_adequate_rssi_dbm: float = -90.0
    rf_marginal_rssi_dbm: float = -100.0
    plc_adequate_snr_db: float = 10.0
    plc_marginal_snr_db: float = 4.0
    cellular_adequate_rsrp_dbm: float = -105.0
    cellular_marginal_rsrp_dbm: float = -115.0
    cellular_adequate_rssi_dbm: float = -85.0  # GSM/UTRAN, where there is no RSRP
    cellular_marginal_rssi_dbm: float = -101.0
    adequate_max_loss_pct: float = 10.0
    marginal_max_loss_pct: float = 40.0
    link_test_packets: int = 10
    link_test_target: str = "ami"  # RF mesh / PLC: "ami" (best collector) or a collector id
    cellular_ping_host: str = "headend.ami.example"  # what the modem pings for cellular
    command_timeout_s: float = 3.0
    ping_timeout_s: float = 2.0
    survey_dwell_s: float = 2.0
    registration_retry_interval_s: float = 900.0  # I1NFR3: 15 minutes
    registration_watch_hours: float = 72.0  # stop watching (and tell the back office) after this
    rf_mesh_port: str = ""  # port URL of each technology's radio on this tool ("" = none fitted)
    plc_port: str = ""
    gprs_port: str = ""

    def port_for(self, technology: str) -> str:
        return {"rf_mesh": self.rf_mesh_port, "plc": self.plc_port, "gprs": self.gprs_port}.get(technology, "")

    def driver_settings(self) -> dict[str, float]:
        return {"command_timeout_s": self.command_timeout_s, "ping_timeout_s": self.ping_timeout_s,
                "survey_dwell_s": self.survey_dwell_s}


@dataclass(frozen=True)
class HeardNode:
    """A collector, relay, concentrator, repeater or cell heard at the meter."""

    id: str
    role: str
    signal: float | None  # dBm (RF RSSI, cellular RSRP/RSSI) or dBµV (PLC level)
    snr_db: float | None = None
    lqi: int | None = None
    hops: int | None = None


@dataclass(frozen=True)
class SignalSample:
    """One entry of the meter's own signal-strength log (I1FR34), read through the optical port."""

    at: datetime | None  # None: the meter logged no time for the entry
    signal_dbm: float
    link_quality: int | None = None


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    metric: str  # rssi_dbm, snr_db, rsrp_dbm
    value: float | None
    reasons: tuple[str, ...]


def signal_metric(technology: str, *, rssi: float | None, snr: float | None, rsrp: float | None) -> tuple[str, float | None]:
    """The metric the verdict uses for a technology."""
    if technology == "plc":
        return "snr_db", snr
    if technology in ("gprs", "cellular"):
        return ("rsrp_dbm", rsrp) if rsrp is not None else ("rssi_dbm", rssi)
    return "rssi_dbm", rssi


def _thresholds(technology: str, metric: str, s: RadioSettings) -> tuple[float, float, str]:
    if technology == "plc":
        return s.plc_adequate_snr_db, s.plc_marginal_snr_db, "dB SNR"
    if technology in ("gprs", "cellular"):
        if metric == "rsrp_dbm":
            return s.cellular_adequate_rsrp_dbm, s.cellular_marginal_rsrp_dbm, "dBm RSRP"
        return s.cellular_adequate_rssi_dbm, s.cellular_marginal_rssi_dbm, "dBm RSSI"
    return s.rf_adequate_rssi_dbm, s.rf_marginal_rssi_dbm, "dBm RSSI"


def judge(technology: str, *, metric: str, value: float | None, loss_pct: float | None,
          settings: RadioSettings) -> Judgement:
    """Adequate / marginal / none: the worse of the signal's class and the link test's loss class."""
    adequate, marginal, unit = _thresholds(technology, metric, settings)
    reasons: list[str] = []
    if value is None:
        signal = Verdict.NONE
        reasons.append("no network heard at the meter")
    elif value >= adequate:
        signal = Verdict.ADEQUATE
        reasons.append(f"signal {value:g} {unit} is at or above {adequate:g}")
    elif value >= marginal:
        signal = Verdict.MARGINAL
        reasons.append(f"signal {value:g} {unit} is below {adequate:g} but at or above {marginal:g}")
    else:
        signal = Verdict.NONE
        reasons.append(f"signal {value:g} {unit} is below {marginal:g}")
    loss = Verdict.ADEQUATE
    if loss_pct is not None:
        if loss_pct <= settings.adequate_max_loss_pct:
            reasons.append(f"{loss_pct:g} % of test packets lost (at most {settings.adequate_max_loss_pct:g} % is adequate)")
        elif loss_pct <= settings.marginal_max_loss_pct and loss_pct < 100:
            loss = Verdict.MARGINAL
            reasons.append(f"{loss_pct:g} % of test packets lost (more than {settings.adequate_max_loss_pct:g} %)")
        else:
            loss = Verdict.NONE
            reasons.append(f"{loss_pct:g} % of test packets lost (more than {settings.marginal_max_loss_pct:g} %)")
    verdict = max(signal, loss, key=_ORDER.index)
    return Judgement(verdict, metric, value, tuple(reasons))


@dataclass(frozen=True)
class CoverageReport:
    """What the installer measured at the meter: kept in the store and sent to the back office
    (I1FR33, I1FR36). ``id`` is the client UUID that also identifies the outbox event."""

    id: str
    technology: str
    verdict: Verdict
    measured_at: datetime
    metric: str
    value: float | None
    reasons: tuple[str, ...]
    position: Position | None = None
    loss_pct: float | None = None
    rtt_avg_ms: float | None = None
    link_target: str | None = None
    via: str | None = None
    heard: tuple[HeardNode, ...] = ()
    operator: str | None = None  # cellular
    network_registration: str | None = None  # the radio's own registration (cellular), in words
    meter_registration: str | None = None  # the meter's state asked over the air (RegistrationState value)
    network_time_offset_s: float | None = None
    meter_signal_log: tuple[SignalSample, ...] = ()
    plugin: str = ""
    radio: str = ""  # vendor model firmware of the radio used
    job_id: str | None = None
    meter_number: str | None = None
    meter_address: str | None = None
    installer_id: str | None = None
