"""What radio operations return: plain frozen dataclasses, JSON-able through ``fieldtool.domain.codec``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


@dataclass(frozen=True)
class DeviceInfo:
    """The radio's identity as it reported it."""

    technology: str
    vendor: str
    model: str
    firmware: str
    address: str | None = None  # the radio's own network address (EUI-64, IMEI ...)
    protocol_version: str | None = None


@dataclass(frozen=True)
class Neighbour:
    """One collector, relay, concentrator or cell heard during a survey.

    RF mesh reports ``rssi_dbm``/``lqi``/``snr_db``; PLC reports ``snr_db`` (and a level in ``rssi_dbm`` where
    the dongle gives one); cellular reports ``rsrp_dbm``/``rsrq_db`` (LTE) or ``rssi_dbm`` (GSM/UTRAN).
    """

    id: str
    role: str  # collector, relay, concentrator, repeater, cell
    rssi_dbm: float | None = None
    lqi: int | None = None  # 0..255, vendor link quality indicator
    snr_db: float | None = None
    rsrp_dbm: float | None = None
    rsrq_db: float | None = None
    hops: int | None = None  # hops from this neighbour to the AMI head-end
    operator: str | None = None


@dataclass(frozen=True)
class SurveyResult:
    technology: str
    at: datetime
    neighbours: tuple[Neighbour, ...]
    signal_dbm: float | None = None  # the best signal heard (RSSI; RSRP for LTE)
    registration: str | None = None  # the radio's own registration state, in words (cellular)
    registered: bool | None = None
    operator: str | None = None
    access_technology: str | None = None
    attached: bool | None = None  # packet domain attach (cellular)
    details: dict[str, Any] = field(default_factory=dict)  # raw decoded values, per technology

    @property
    def best(self) -> Neighbour | None:
        def key(n: Neighbour) -> float:
            for v in (n.rsrp_dbm, n.rssi_dbm, n.snr_db):
                if v is not None:
                    return v
            return float("-inf")

        return max(self.neighbours, key=key, default=None)


@dataclass(frozen=True)
class LinkTestResult:
    target: str
    sent: int
    received: int
    rtt_ms: tuple[float, ...]  # one per answered packet
    signal_dbm: float | None = None  # mean signal of the answers
    snr_db: float | None = None
    via: str | None = None  # the collector or cell the packets went through

    @property
    def loss_pct(self) -> float:
        return 100.0 if self.sent == 0 else round(100.0 * (self.sent - self.received) / self.sent, 1)

    @property
    def rtt_summary(self) -> dict[str, float | None]:
        if not self.rtt_ms:
            return {"min": None, "avg": None, "max": None}
        return {
            "min": min(self.rtt_ms),
            "avg": round(sum(self.rtt_ms) / len(self.rtt_ms), 1),
            "max": max(self.rtt_ms),
        }


class RegistrationState(StrEnum):
    REGISTERED = "registered"
    JOINING = "joining"  # heard the network, registration under way
    NOT_REGISTERED = "not_registered"
    DENIED = "denied"
    NO_ANSWER = "no_answer"  # the meter's radio did not answer
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class RegistrationStatus:
    target: str
    state: RegistrationState
    detail: str = ""  # words: "registered with collector C-12"
    via: str | None = None


@dataclass(frozen=True)
class SoftRegistrationReceipt:
    accepted: bool
    reference: str | None
    via: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class NetworkTime:
    utc: datetime
    source: str  # "collector C-12", "cellular network (NITZ)"
    offset_s: float  # network time minus the tool's clock
