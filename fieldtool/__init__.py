"""fieldtool: the offline-first field tool for AMI meter roll-outs."""

__version__ = "0.1.0"
