"""Where the tool keeps things, and the one configuration file.

``FIELDTOOL_HOME`` moves config, data and logs together (tests, portable installs); otherwise the
platform folders from platformdirs are used. The configuration is one TOML file, ``fieldtool.toml`` in
the config folder; each section maps onto a dataclass of defaults listed in ``SECTIONS`` and documented
in ``docs/configuration.md``. A key the file sets that the section does not know is refused in words.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import platformdirs

from fieldtool.devices.gps import GpsSettings
from fieldtool.devices.han_settings import HanSettings
from fieldtool.devices.meter_settings import OpticalSettings
from fieldtool.devices.scanning.settings import ScanningSettings
from fieldtool.domain.bench import BenchSettings
from fieldtool.domain.coverage import RadioSettings
from fieldtool.domain.custody import CustodySettings
from fieldtool.domain.errors import InputError
from fieldtool.domain.exchange import ExchangeSettings
from fieldtool.domain.model import Tolerances
from fieldtool.domain.planfile import PlanningPolicy
from fieldtool.sync.settings import SyncSettings

APP = "fieldtool"
T = TypeVar("T")


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    data_dir: Path
    log_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "fieldtool.toml"

    @property
    def database(self) -> Path:
        return self.data_dir / "fieldtool.db"

    def ensure(self) -> Paths:
        for p in (self.config_dir, self.data_dir, self.log_dir):
            p.mkdir(parents=True, exist_ok=True)
        return self


def paths() -> Paths:
    home = os.environ.get("FIELDTOOL_HOME")
    if home:
        base = Path(home)
        return Paths(base / "config", base / "data", base / "logs")
    return Paths(
        Path(platformdirs.user_config_dir(APP)),
        Path(platformdirs.user_data_dir(APP)),
        Path(platformdirs.user_log_dir(APP)),
    )


@dataclass(frozen=True)
class UiSettings:
    """``[ui]``: how the application looks on this laptop."""

    theme: str = "normal"  # normal, sunlight (high contrast), night
    font_pt: int = 12
    language: str = "en"  # en, es


# Section name -> dataclass of defaults. Each issue adds its own sections here.
SECTIONS: dict[str, type] = {
    "checks": Tolerances,
    "exchange": ExchangeSettings,
    "optical": OpticalSettings,
    "planning": PlanningPolicy,
    "ui": UiSettings,
    "sync": SyncSettings,
    "radio": RadioSettings,
    "scanning": ScanningSettings,
    "gps": GpsSettings,
    "han": HanSettings,
    "custody": CustodySettings,
    "bench": BenchSettings,
}


class Config:
    """The parsed configuration file; ``section(name)`` gives that section's dataclass with defaults."""

    def __init__(self, data: dict[str, Any] | None = None, source: Path | None = None):
        self.data = data or {}
        self.source = source

    def section(self, name: str, cls: type[T] | None = None) -> T:
        cls = cls or SECTIONS[name]
        values = self.data.get(name, {})
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise InputError(
                f"The configuration file {self.source or ''} has unknown key(s) in [{name}]: "
                f"{', '.join(unknown)}.",
                hint=f"Known keys: {', '.join(sorted(known))}. See docs/configuration.md.",
            )
        try:
            return cls(**values)
        except TypeError as e:
            raise InputError(f"The configuration section [{name}] is not valid: {e}") from e


def load_config(p: Paths | None = None) -> Config:
    """Read the configuration file; a missing file means every default."""
    p = p or paths()
    f = p.config_file
    if not f.exists():
        return Config({}, f)
    try:
        return Config(tomllib.loads(f.read_text(encoding="utf-8")), f)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise InputError(f"The configuration file {f} is not valid TOML: {e}", hint="Fix or remove it.") from e


def defaults() -> dict[str, dict[str, Any]]:
    """Every section with its default values, as written by ``fieldtool config init``."""
    out: dict[str, dict[str, Any]] = {}
    for name, cls in SECTIONS.items():
        values = dataclasses.asdict(cls())
        out[name] = {k: v for k, v in values.items() if v is not None}
    return out
