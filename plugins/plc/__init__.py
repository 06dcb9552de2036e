"""Built-in radio plug-in: a power-line carrier field dongle (``docs/radio-dongle-protocol.md``)."""

from fieldtool.radio.dongle import DongleDriver


class Driver(DongleDriver):
    """SNR in dB and the carrier level (dBµV, in ``rssi_dbm``'s place) per concentrator or repeater.

    PLC frames are slow (a few kbit/s on the low-voltage network), so the per-packet wait is longer.
    """

    name = "plc"
    technologies = ("plc",)
    technology = "plc"
    baudrate = 38400

    def __init__(self, port_url, **kw):
        super().__init__(port_url, **kw)
        self.settings.setdefault("ping_timeout_s", 4.0)


__all__ = ["Driver"]
