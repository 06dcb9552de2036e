"""Finding radio plug-ins: the ``fieldtool.radios`` entry points, each checked by its manifest first.

For every entry point (``gprs = plugins.gprs:Driver``) discovery reads the package's ``manifest.toml``,
checks that its name matches the entry point and that its plug-in API fits ours, and only then imports the
module and checks the object is a ``RadioDriver`` subclass. A plug-in that fails any step is left out and
described in ``Discovery.errors`` — and logged once per process, however often discovery runs (Anki's
``loadAddons`` idea: the installer hears about a broken add-on once, the rest of the tool keeps working).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points

from fieldtool.radio.base import API_VERSION, RadioDriver
from fieldtool.radio.errors import PluginError
from fieldtool.radio.manifest import Manifest, compatible, read_manifest

GROUP = "fieldtool.radios"
LOGGER = logging.getLogger(__name__)
_reported: set[str] = set()


@dataclass(frozen=True)
class Plugin:
    name: str
    manifest: Manifest
    driver: type[RadioDriver]
    entry_point: str  # "gprs = plugins.gprs:Driver"

    @property
    def technologies(self) -> tuple[str, ...]:
        return self.manifest.technologies


@dataclass(frozen=True)
class LoadError:
    plugin: str
    entry_point: str
    message: str  # words: why it was skipped


@dataclass
class Discovery:
    plugins: dict[str, Plugin] = field(default_factory=dict)
    errors: list[LoadError] = field(default_factory=list)

    def get(self, name: str) -> Plugin:
        if name in self.plugins:
            return self.plugins[name]
        failed = next((e for e in self.errors if e.plugin == name), None)
        if failed:
            raise PluginError(f"The radio plug-in {name!r} could not be loaded: {failed.message}")
        known = ", ".join(sorted(self.plugins)) or "none"
        raise PluginError(f"There is no radio plug-in called {name!r}.", hint=f"Installed: {known}.")

    def for_technology(self, technology: str) -> Plugin:
        """The plug-in serving a meter's communication technology (``rf_mesh``, ``plc``, ``gprs`` ...)."""
        for plugin in sorted(self.plugins.values(), key=lambda p: p.name):
            if technology in plugin.technologies:
                return plugin
        known = ", ".join(sorted({t for p in self.plugins.values() for t in p.technologies})) or "none"
        raise PluginError(
            f"No radio plug-in serves the technology {technology!r}.", hint=f"Technologies served: {known}."
        )


def _describe(ep: EntryPoint) -> str:
    return f"{ep.name} = {ep.value}"


def load_entry_point(ep: EntryPoint, host_api: str = API_VERSION) -> Plugin:
    """Manifest first, then import; raises ``PluginError`` in words."""
    module_name, _, attr = ep.value.partition(":")
    package = module_name.strip()
    manifest = read_manifest(package)
    if manifest.name != ep.name:
        raise PluginError(f"its manifest calls it {manifest.name!r}, but its entry point is {ep.name!r}.")
    if not compatible(manifest, host_api):
        raise PluginError(
            f"it was written for plug-in API {', '.join(manifest.api)}, and this fieldtool offers {host_api}."
        )
    try:
        module = importlib.import_module(package)
    except Exception as e:  # a vendor's module may fail in any way; it must not take the tool down
        raise PluginError(f"importing {package} failed: {type(e).__name__}: {e}.") from None
    try:
        obj = module
        for part in (attr or "").split("."):
            if part:
                obj = getattr(obj, part)
    except AttributeError:
        raise PluginError(f"{package} has no {attr!r}.") from None
    if not (isinstance(obj, type) and issubclass(obj, RadioDriver)):
        raise PluginError(f"{ep.value} is not a RadioDriver class.")
    missing = sorted(set(manifest.technologies) - set(obj.technologies))
    if missing:
        raise PluginError(f"its manifest names technologies {missing} that its driver does not declare.")
    return Plugin(ep.name, manifest, obj, _describe(ep))


def discover(eps: Iterable[EntryPoint] | None = None, *, host_api: str = API_VERSION) -> Discovery:
    """Every plug-in of the ``fieldtool.radios`` group (or of ``eps``, for tests and vendors' checks)."""
    found = Discovery()
    for ep in sorted(entry_points(group=GROUP) if eps is None else eps, key=lambda e: e.name):
        if ep.name in found.plugins:
            found.errors.append(LoadError(ep.name, _describe(ep), "another plug-in already has this name."))
            continue
        try:
            found.plugins[ep.name] = load_entry_point(ep, host_api)
        except PluginError as e:
            error = LoadError(ep.name, _describe(ep), str(e))
            found.errors.append(error)
            if error.entry_point + error.message not in _reported:
                _reported.add(error.entry_point + error.message)
                LOGGER.warning("radio plug-in %s skipped: %s", error.entry_point, error.message)
    return found


def probe_port(url: str, *, clock=None, found: Discovery | None = None) -> tuple[Plugin, object] | None:
    """Which plug-in's radio is on ``url``: each driver's ``probe`` in turn (zigpy's way), dongles before
    modems (a modem ignores a dongle's line; a dongle would answer an ``AT`` with an error line).
    Returns (plug-in, ``DeviceInfo``) or None when none recognises it."""
    from fieldtool.clock import SYSTEM_CLOCK

    found = found or discover()
    ordered = sorted(found.plugins.values(), key=lambda p: ("gprs" in p.technologies, p.name))
    for plugin in ordered:
        info = plugin.driver.probe(url, clock=clock or SYSTEM_CLOCK)
        if info is not None:
            return plugin, info
    return None
