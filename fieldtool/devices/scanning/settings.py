"""The ``[scanning]`` configuration section (documented in docs/configuration.md). No heavy imports here:
``fieldtool.config`` imports this module."""

from __future__ import annotations

from dataclasses import dataclass, field

from fieldtool.domain.labels import DEFAULT_METER_CODES, DEFAULT_METER_PATTERN, DEFAULT_SERIAL_PATTERN
from fieldtool.domain.packing import DEFAULT_INTERNAL_AIS

LABEL_SYMBOLOGIES = ("QRCode", "DataMatrix", "Code128", "Code39", "ITF", "EAN13", "EAN8", "UPCA", "UPCE")


@dataclass(frozen=True)
class ScanningSettings:
    backend: str = "zxing"  # zxing or zbar
    # What meter, carton and HAN labels carry; fewer formats make the first pass several times faster.
    # Empty: every symbology the backend reads.
    symbologies: list[str] = field(default_factory=lambda: list(LABEL_SYMBOLOGIES))
    recovery_budget_ms: float = 250.0  # time allowed for recovery steps after the first pass (a still image)
    live_budget_ms: float = 20.0  # ... per camera frame, so the live path keeps up with the camera
    min_linear_length: int = 8  # shorter ITF / Code 39 / Codabar / Code 93 reads are taken as misreads
    itf_lengths: list[int] = field(default_factory=lambda: [14])  # ITF lengths accepted (empty: any)
    dedup_hold_s: float = 1.0  # the same code seen again within this time is the same scan
    camera_device: int = 0
    camera_width: int = 1280
    camera_height: int = 720
    camera_fps: float = 30.0
    wedge_min_length: int = 4  # a wedge burst shorter than this is typing, not a scan
    wedge_max_gap_ms: float = 50.0  # largest gap between the keystrokes of one scan
    wedge_prefix: str = ""
    wedge_suffix: str = ""
    serial_port: str = ""  # e.g. /dev/ttyACM0, COM4, socket://host:port; empty: no serial scanner
    serial_baudrate: int = 9600
    serial_prefix: str = ""
    serial_suffix: str = "\r"
    meter_number_pattern: str = DEFAULT_METER_PATTERN
    meter_number_codes: dict[str, dict[str, str]] = field(default_factory=lambda: {k: dict(v) for k, v in DEFAULT_METER_CODES.items()})
    manufacturer_serial_pattern: str = DEFAULT_SERIAL_PATTERN
    gs1_internal_ais: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_INTERNAL_AIS))

    def label_rules(self):
        """The label-parsing rules (``fieldtool.domain.labels.LabelRules``) this configuration sets."""
        from fieldtool.domain.labels import LabelRules

        return LabelRules.build(
            meter_number_pattern=self.meter_number_pattern,
            meter_number_codes=self.meter_number_codes,
            manufacturer_serial_pattern=self.manufacturer_serial_pattern,
            gs1_internal_ais=self.gs1_internal_ais,
        )
