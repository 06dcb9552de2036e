"""The ``[optical]`` configuration section (documented in docs/configuration.md)."""

from __future__ import annotations

from dataclasses import dataclass, field

from fieldtool.protocols.c1218.session import RetryPolicy, Timeouts


@dataclass(frozen=True)
class OpticalSettings:
    response_timeout_s: float = 2.0
    interchar_timeout_s: float = 0.5
    channel_traffic_timeout_s: float = 6.0
    link_retries: int = 3
    busy_retries: int = 20
    busy_retry_delay_s: float = 2.0
    baud: int = 9600
    negotiate: bool = True
    preferred_bauds: list[int] = field(default_factory=lambda: [57600, 38400, 19200, 14400, 9600])
    packet_size: int = 1024
    nbr_packets: int = 8
    user_id: int = 2
    user: str = "FIELDTOOL"
    password_secret: str = "meter:c1218:password"
    password_unprotected: str = ""
    programs_file: str = ""
    iec_password_secret: str = "meter:iec62056:password"
    iec_password_unprotected: str = ""
    iec_bauds: list[int] = field(default_factory=lambda: [9600, 4800, 2400, 1200, 300])
    keep_transcripts: int = 50
    switch_timeout_s: float = 10.0  # how long a service-switch operation may take before the tool gives up

    @property
    def timeouts(self) -> Timeouts:
        return Timeouts(self.response_timeout_s, self.interchar_timeout_s, self.channel_traffic_timeout_s,
                        self.link_retries)  # fmt: skip

    @property
    def retry(self) -> RetryPolicy:
        return RetryPolicy(self.busy_retries, self.busy_retry_delay_s)
