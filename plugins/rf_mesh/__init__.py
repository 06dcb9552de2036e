"""Built-in radio plug-in: an RF-mesh field dongle on a serial port (``docs/radio-dongle-protocol.md``)."""

from fieldtool.radio.dongle import DongleDriver


class Driver(DongleDriver):
    """RSSI in dBm, LQI 0–255 and SNR per neighbour; collectors and relays of the 900 MHz mesh."""

    name = "rf_mesh"
    technologies = ("rf_mesh",)
    technology = "rf_mesh"


__all__ = ["Driver"]
