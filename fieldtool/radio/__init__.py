"""The radio plug-in contract and its registry; the drivers live in ``plugins/`` (or a vendor's package).

``base.RadioDriver`` is the contract, ``results`` its data, ``registry.discover()`` finds the plug-ins through
the ``fieldtool.radios`` entry points after checking each ``manifest.toml``.
"""

from fieldtool.radio.base import API_VERSION, Capability, Progress, RadioDriver
from fieldtool.radio.errors import PluginError, RadioError, RadioNotSupported, RadioReplyError, RadioTimeout
from fieldtool.radio.results import (
    DeviceInfo,
    LinkTestResult,
    Neighbour,
    NetworkTime,
    RegistrationState,
    RegistrationStatus,
    SoftRegistrationReceipt,
    SurveyResult,
)

__all__ = [
    "API_VERSION", "Capability", "DeviceInfo", "LinkTestResult", "Neighbour", "NetworkTime", "PluginError",
    "Progress", "RadioDriver", "RadioError", "RadioNotSupported", "RadioReplyError", "RadioTimeout",
    "RegistrationState", "RegistrationStatus", "SoftRegistrationReceipt", "SurveyResult",
]
