"""ANSI C12.18 optical-port protocol, sans-IO: CRC, packets, the link layer, services and session rules.

Nothing here opens a port, reads a clock or sleeps; ``fieldtool.devices.c1218_meter`` and
``firmware_sim.meter`` drive these codecs.
"""
