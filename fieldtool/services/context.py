"""What every screen and command needs, opened once: paths, configuration, the store, the clock, the vault,
and who is logged in. The GUI and the CLI build it the same way."""

from __future__ import annotations

from dataclasses import dataclass, field

from fieldtool.clock import SYSTEM_CLOCK, Clock
from fieldtool.config import Config, Paths, load_config, paths
from fieldtool.services.users import LocalUser
from fieldtool.store.db import Store, open_store


@dataclass
class AppContext:
    paths: Paths
    config: Config
    store: Store
    clock: Clock = SYSTEM_CLOCK
    user: LocalUser | None = None
    sync: object | None = None  # services.sync.SyncService once the laptop is signed in (the GUI starts it)
    registration_watcher: object | None = None  # services.watch_start.start_watching (the GUI starts it)
    _vault: object | None = field(default=None, repr=False)

    @classmethod
    def open(cls, *, clock: Clock = SYSTEM_CLOCK) -> AppContext:
        p = paths().ensure()
        config = load_config(p)
        return cls(p, config, open_store(p.database, clock=clock), clock)

    @property
    def vault(self):
        """The vault, unlocked on first use (keyring, FIELDTOOL_PASSPHRASE, or a prompt)."""
        if self._vault is None:
            from fieldtool.store.vault import open_vault

            self._vault = open_vault(self.store)
        return self._vault

    def close(self) -> None:
        if self.registration_watcher is not None:
            self.registration_watcher.stop()
        if self.sync is not None:
            self.sync.stop()
        for link in getattr(self, "meter_links", {}).values():
            link.close()
        self.store.close()
