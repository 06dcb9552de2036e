"""The install service as the CLI commands open it: the profile's store, configuration and clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fieldtool.services.install import InstallService


@contextmanager
def install_service() -> Iterator[InstallService]:
    """Opened per command (imported late, so ``fieldtool --version`` does not load the store)."""
    from fieldtool.config import load_config, paths
    from fieldtool.logs import setup_logging
    from fieldtool.services.install import InstallService
    from fieldtool.store.db import open_store

    setup_logging()
    p = paths().ensure()
    config = load_config(p)
    store = open_store(p.database)
    try:
        yield InstallService(store, config=config)
    finally:
        store.close()
