"""A plug-in's ``manifest.toml``: who it is and which plug-in API it was written for.

The manifest is read from the plug-in's package with ``importlib.resources`` *before* the plug-in's code is
imported, so a plug-in for another API version is refused without running any of it::

    name = "gprs"                 # the entry point's name
    version = "1.0.0"             # the plug-in's own version
    api = ["1.0"]                 # plug-in API versions it implements (see fieldtool.radio.base.API_VERSION)
    technologies = ["gprs"]       # what meters' comm_technology it serves
    description = "..."           # optional, shown in `fieldtool radio list`
    vendor = "..."                # optional
"""

from __future__ import annotations

import importlib.util
import re
import tomllib
from dataclasses import dataclass

from fieldtool.radio.errors import PluginError

MANIFEST = "manifest.toml"


@dataclass(frozen=True)
class Manifest:
    name: str
    version: str
    api: tuple[str, ...]
    technologies: tuple[str, ...]
    description: str = ""
    vendor: str = ""


def parse_manifest(text: str, where: str) -> Manifest:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise PluginError(f"{where} is not valid TOML: {e}.") from None

    def need(key: str, kind: type):
        value = data.get(key)
        if not isinstance(value, kind) or not value:
            raise PluginError(f"{where} lacks {key!r} (a {'list' if kind is list else 'text'}).")
        if kind is list and not all(isinstance(v, str) and v for v in value):
            raise PluginError(f"{where}: every entry of {key!r} must be text.")
        return value

    api = tuple(need("api", list))
    for v in api:
        if not re.fullmatch(r"\d+\.\d+", v):
            raise PluginError(f"{where}: API version {v!r} is not MAJOR.MINOR.")
    return Manifest(
        name=need("name", str),
        version=need("version", str),
        api=api,
        technologies=tuple(need("technologies", list)),
        description=str(data.get("description", "")),
        vendor=str(data.get("vendor", "")),
    )


def compatible(manifest: Manifest, host_api: str) -> bool:
    """Same major as the host, and a minor the host has (a 1.0 plug-in runs on a 1.3 host, not the reverse)."""
    host_major, host_minor = (int(p) for p in host_api.split("."))
    for v in manifest.api:
        major, minor = (int(p) for p in v.split("."))
        if major == host_major and minor <= host_minor:
            return True
    return False


def read_manifest(package: str) -> Manifest:
    """Read ``manifest.toml`` from ``package`` without importing the package itself.

    ``find_spec`` imports only the parents (``plugins`` for ``plugins.gprs``); the package's resource reader
    (``importlib.resources``' ``TraversableResources``) then opens the file from a folder or a zip.
    """
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError) as e:
        raise PluginError(f"the package {package} cannot be found ({e}).") from None
    if spec is None or spec.submodule_search_locations is None:
        raise PluginError(f"{package} is not an installed package, so it has no {MANIFEST}.")
    reader = spec.loader.get_resource_reader(spec.name) if hasattr(spec.loader, "get_resource_reader") else None
    if reader is None or not hasattr(reader, "files"):
        raise PluginError(f"the files of {package} cannot be read (loader {type(spec.loader).__name__}).")
    resource = reader.files() / MANIFEST
    if not resource.is_file():
        raise PluginError(f"{package} has no {MANIFEST}.")
    try:
        text = resource.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise PluginError(f"{package}/{MANIFEST} cannot be read ({e}).") from None
    return parse_manifest(text, f"{package}/{MANIFEST}")
