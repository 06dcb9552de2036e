"""Starting the registration watch for this laptop (I1NFR3): the GUI calls ``start_watching`` after log-in and
``AppContext.close`` stops it.

How the watcher asks depends on what this laptop has: signed in to a back office, it asks the head-end through
the back-office client (works after the installer has left the premise); otherwise it asks the meter over the
air through the radio configured for the watch's technology (``[radio] <technology>_port``), opening the port
only for each question so the network test can use the radio in between. With neither, the watcher still runs:
it cannot ask, but a watch that runs out of time still ends and the back office is still told.

Thread rule: the check runs on the watcher's thread; it opens its own client or radio each time and closes it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from fieldtool.clock import Clock
from fieldtool.domain.coverage import RadioSettings
from fieldtool.domain.errors import UserFacingError
from fieldtool.services.registration_watch import (
    Check,
    RegistrationWatcher,
    Watch,
    headend_check,
    radio_check,
)

LOGGER = logging.getLogger(__name__)
TECHNOLOGIES = ("rf_mesh", "plc", "gprs")


def head_end_lookup(sync) -> Callable[[str], dict]:
    """``registration(meter_number)`` through a fresh client of the signed-in ``SyncService``."""
    def lookup(meter_number: str) -> dict:
        client = sync.client()
        try:
            return client.registration(meter_number)
        finally:
            client.close()
    return lookup


def radio_port_check(settings: RadioSettings, clock: Clock, open_driver=None) -> Check:
    """A ``Check`` through the configured radio of the watch's technology (the first configured one when the
    watch names none); None (could not ask) when no radio is configured or it cannot be opened now."""
    if open_driver is None:
        from fieldtool.services.network_test import open_driver

    def check(w: Watch) -> object:
        tech = w.technology or next((t for t in TECHNOLOGIES if settings.port_for(t)), None)
        if tech is None or not settings.port_for(tech):
            return None
        try:
            _, driver = open_driver(tech, settings=settings, clock=clock)
            with driver:
                return radio_check(driver)(w)
        except (UserFacingError, OSError) as e:  # the port is busy or gone: ask again next round
            LOGGER.info("radio check of %s could not run: %s", w.meter_number, e)
            return None
    return check


def choose_check(ctx, *, sync=None) -> tuple[str, Check]:
    """The check for this laptop: ``("head-end", ...)`` when signed in, else ``("radio", ...)``."""
    if sync is None:
        from fieldtool.services.sync import SyncService

        sync = ctx.sync or SyncService.from_context(ctx)
    if sync.session() is not None:
        return "head-end", headend_check(head_end_lookup(sync))
    return "radio", radio_port_check(ctx.config.section("radio"), ctx.clock)


def start_watching(ctx, *, sync=None) -> RegistrationWatcher:
    """Build the watcher for this laptop, start its thread and keep it on ``ctx`` (stopped by ``ctx.close``)."""
    source, check = choose_check(ctx, sync=sync)
    watcher = RegistrationWatcher(ctx.store, settings=ctx.config.section("radio"), check=check, clock=ctx.clock)
    watcher.source = source
    watcher.start()
    ctx.registration_watcher = watcher
    LOGGER.info("registration watch started (asks the %s)", source)
    return watcher
