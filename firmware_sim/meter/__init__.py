"""Simulated optical-port meters built from fieldtool's own C12.18/C12.19 codecs."""
