"""Schema migrations, one module per area.

Each module here (not starting with ``_``) is an *area*: it holds ``MIGRATIONS: list[str]``, SQL scripts
whose version is their index + 1, and optionally ``REQUIRES: tuple[str, ...]``, the areas whose tables it
refers to (they are migrated first). Versions are tracked per area in the ``schema_versions`` table, so
areas grow independently. To add tables for an area, add a module; to change them, append a script to
that area's list. Never edit or reorder a script that has shipped: databases in the field have run it.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    name: str
    migrations: tuple[str, ...]
    requires: tuple[str, ...] = ()

    @property
    def version(self) -> int:
        """The version this code brings the area to."""
        return len(self.migrations)


def discover() -> list[Area]:
    """Every area of this package, ordered so that an area comes after the areas it requires."""
    found: dict[str, Area] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found[info.name] = Area(
            info.name, tuple(module.MIGRATIONS), tuple(getattr(module, "REQUIRES", ()))
        )
    ordered: list[Area] = []
    visiting: set[str] = set()

    def visit(name: str, needed_by: str) -> None:
        if any(a.name == name for a in ordered):
            return
        if name not in found:
            raise RuntimeError(f"schema area {needed_by!r} requires unknown area {name!r}")
        if name in visiting:
            raise RuntimeError(f"schema areas require each other in a cycle through {name!r}")
        visiting.add(name)
        for dep in found[name].requires:
            visit(dep, name)
        visiting.discard(name)
        ordered.append(found[name])

    for name in found:
        visit(name, name)
    return ordered
