"""Sans-IO codecs: bytes in, events out. Nothing here opens a port or sleeps."""
