"""``[han]``: timeouts and defaults of HAN provisioning and testing (documented in docs/configuration.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HanSettings:
    # I1NFR5: local (optical-port) HAN messages to authenticated devices answer within 10 s, 30 s before
    # authentication (joining); I1NFR4: remote (head-end over the AMI) within 60 s, 90 s before.
    local_timeout_s: float = 10.0
    local_join_timeout_s: float = 30.0
    remote_timeout_s: float = 60.0
    remote_join_timeout_s: float = 90.0
    poll_interval_s: float = 0.5  # how often the tool reads the ESI's tables while it waits
    join_window_s: int = 600  # how long the meter admits a device after the credentials are handed over
    weak_lqi: int = 80  # below this a device is reported as marginal (7.1.1A.3, 7.1.1A.6)
    price_provider_id: int = 1
    price_rate_label: str = "TOU"
    price_currency: int = 840  # ISO 4217 numeric
    enrollment_group: int = 1
    message_text: str = "Welcome to the utility's energy programs"
