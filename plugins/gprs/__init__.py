"""Built-in radio plug-in: a cellular modem speaking 3GPP TS 27.007 AT commands over a serial port."""

from plugins.gprs.driver import GprsDriver as Driver

__all__ = ["Driver"]
