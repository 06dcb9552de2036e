"""The readiness ladder of one HAN device, as a transition table (dlms-cosem style).

label scanned → CRC ok → credentials handed to the ESI (or queued while offline) → join window open →
joined → key established (CBKE, done by the meter and the device) → interviewed → program pushed →
acknowledged → participating. Any rung can fail; a failure names its reason and the guidance for the
person in front of the device, and a retry goes back to the rung that failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Rung(StrEnum):
    NEW = "new"
    LABEL_SCANNED = "label_scanned"
    CRC_OK = "crc_ok"
    CREDENTIALS_QUEUED = "credentials_queued"  # offline: waits for the back office / head-end
    CREDENTIALS_HANDED = "credentials_handed"
    JOIN_WINDOW_OPEN = "join_window_open"
    JOINED = "joined"
    KEY_ESTABLISHED = "key_established"
    INTERVIEWED = "interviewed"
    PROGRAM_PUSHED = "program_pushed"
    ACKNOWLEDGED = "acknowledged"
    PARTICIPATING = "participating"
    FAILED = "failed"
    EXCLUDED = "excluded"  # not Smart Energy, or the customer chose to leave it out


LADDER = [Rung.LABEL_SCANNED, Rung.CRC_OK, Rung.CREDENTIALS_HANDED, Rung.JOIN_WINDOW_OPEN, Rung.JOINED,
          Rung.KEY_ESTABLISHED, Rung.INTERVIEWED, Rung.PROGRAM_PUSHED, Rung.ACKNOWLEDGED, Rung.PARTICIPATING]


class Failure(StrEnum):
    BAD_CRC = "bad_crc"
    WRONG_KEY = "wrong_key"
    WINDOW_CLOSED = "window_closed"
    NO_ACKNOWLEDGEMENT = "no_acknowledgement"
    ASLEEP = "asleep"
    OUT_OF_RANGE = "out_of_range"
    INCOMPATIBLE = "incompatible"
    KEY_ESTABLISHMENT_FAILED = "key_establishment_failed"
    ESI_REFUSED = "esi_refused"
    TIMEOUT = "timeout"


GUIDANCE = {
    Failure.BAD_CRC: "The install code does not check out: a digit is wrong. Read the label again (0 and O, "
                     "1 and I look alike) or scan it.",
    Failure.WRONG_KEY: "The device tried to join with a different key. Check that the install code belongs to "
                       "this device (compare the MAC/EUI64 on the same label), then send it again.",
    Failure.WINDOW_CLOSED: "The join window closed before the device joined. Open the window again, then put "
                           "the device in pairing mode (usually a button press or power cycle).",
    Failure.NO_ACKNOWLEDGEMENT: "The device did not acknowledge the program message. Check it is powered and "
                                "within range, then push the program again.",
    Failure.ASLEEP: "The device is asleep (battery powered). Wake it (press a button) and retry; it picks up "
                    "messages when it next polls.",
    Failure.OUT_OF_RANGE: "The device is too far from the meter (weak link). Move it closer (within about 75 ft "
                          "/ 20 m, fewer walls) and retry.",
    Failure.INCOMPATIBLE: "The device is not a Smart Energy device the meter can take. It cannot be enrolled; "
                          "tell the customer which devices are supported.",
    Failure.KEY_ESTABLISHMENT_FAILED: "Key establishment with the meter failed (device certificate). Reset the "
                                      "device to factory settings and join again; if it fails twice, the device "
                                      "needs replacing.",
    Failure.ESI_REFUSED: "The meter refused the device (its device table is full or the HAN is off). Check the "
                         "meter's HAN status and the number of devices already joined.",
    Failure.TIMEOUT: "No answer in time. Check the optical probe or the network and retry.",
}


@dataclass(frozen=True)
class Step:
    rung: Rung
    at: str  # ISO time, handed in
    detail: str = ""


@dataclass
class Readiness:
    """One device's place on the ladder with its history. Pure: times are handed in."""

    eui64: str
    rung: Rung = Rung.NEW
    failure: Failure | None = None
    failed_from: Rung | None = None
    history: list[Step] = field(default_factory=list)

    def advance(self, to: Rung, at: str, detail: str = "") -> None:
        if to not in _NEXT.get(self.rung, set()):
            raise ValueError(f"device {self.eui64}: cannot go from {self.rung.value} to {to.value}")
        self.rung, self.failure, self.failed_from = to, None, None
        self.history.append(Step(to, at, detail))

    def fail(self, reason: Failure, at: str, detail: str = "") -> None:
        if self.rung in (Rung.FAILED, Rung.EXCLUDED, Rung.PARTICIPATING):
            raise ValueError(f"device {self.eui64}: cannot fail from {self.rung.value}")
        self.failed_from, self.failure, self.rung = self.rung, reason, Rung.FAILED
        self.history.append(Step(Rung.FAILED, at, f"{reason.value}: {detail}".rstrip(": ")))

    def retry(self, at: str) -> None:
        """Back to the rung before the one that failed, so the failed step can run again."""
        if self.rung is not Rung.FAILED or self.failed_from is None:
            raise ValueError(f"device {self.eui64}: nothing to retry")
        self.rung, self.failure = self.failed_from, None
        self.history.append(Step(self.rung, at, "retry"))

    def exclude(self, at: str, reason: str) -> None:
        self.rung = Rung.EXCLUDED
        self.history.append(Step(Rung.EXCLUDED, at, reason))

    @property
    def guidance(self) -> str:
        return GUIDANCE[self.failure] if self.failure else ""

    @property
    def progress(self) -> float:
        """0..1 along the ladder (for a progress bar in the device list)."""
        rung = Rung.CREDENTIALS_HANDED if self.rung is Rung.CREDENTIALS_QUEUED else self.rung
        rung = self.failed_from if rung is Rung.FAILED and self.failed_from else rung
        return (LADDER.index(rung) + 1) / len(LADDER) if rung in LADDER else 0.0


_NEXT: dict[Rung, set[Rung]] = {
    Rung.NEW: {Rung.LABEL_SCANNED, Rung.JOINED},  # JOINED: a device found already on the customer's HAN
    Rung.LABEL_SCANNED: {Rung.CRC_OK},
    Rung.CRC_OK: {Rung.CREDENTIALS_HANDED, Rung.CREDENTIALS_QUEUED},
    Rung.CREDENTIALS_QUEUED: {Rung.CREDENTIALS_HANDED},
    Rung.CREDENTIALS_HANDED: {Rung.JOIN_WINDOW_OPEN},
    Rung.JOIN_WINDOW_OPEN: {Rung.JOINED},
    Rung.JOINED: {Rung.KEY_ESTABLISHED},
    Rung.KEY_ESTABLISHED: {Rung.INTERVIEWED},
    Rung.INTERVIEWED: {Rung.PROGRAM_PUSHED},
    Rung.PROGRAM_PUSHED: {Rung.ACKNOWLEDGED},
    Rung.ACKNOWLEDGED: {Rung.PARTICIPATING},
}
