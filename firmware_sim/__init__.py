"""The simulated world: meters, radios, HAN devices and a reference back office, built from our codecs.

``python -m firmware_sim <part> ...``: each subpackage with a ``cli`` module adds its own command
(``register(subparsers)``), so ``meter``, ``backoffice``, ``world`` and the radio simulators share one entry.
"""
