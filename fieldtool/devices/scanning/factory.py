"""The decoder as the configuration says (``[scanning]``): one place for the CLI, the GUI and the self-test."""

from __future__ import annotations

from fieldtool.devices.scanning.backends import make_backend
from fieldtool.devices.scanning.pipeline import Decoder


def decoder_from_settings(settings, backend: str | None = None) -> Decoder:
    b = make_backend(backend or settings.backend, settings.symbologies or None)
    return Decoder(b, budget_s=settings.recovery_budget_ms / 1000, min_linear_length=settings.min_linear_length,
                   itf_lengths=tuple(settings.itf_lengths))
