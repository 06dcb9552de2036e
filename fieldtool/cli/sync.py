"""``fieldtool login``, ``fieldtool sync``, ``fieldtool conflicts``: the back office (``outbox retry`` is in
``outbox.py`` with the other outbox commands and uses ``service`` from here)."""

from __future__ import annotations

import dataclasses
import getpass
import os
import sys

from fieldtool.cli._common import command, group
from fieldtool.domain.errors import InputError, UserFacingError


def register(sub) -> None:
    p = command(sub, "login", _login, "sign this laptop in to the back office (password from stdin or "
                                      "FIELDTOOL_PASSWORD)")
    p.add_argument("--server", required=True, help="the back office, https://... (http only for 127.0.0.1)")
    p.add_argument("--user", required=True, help="the installer's user name")
    p.add_argument("--ca-bundle", help="PEM file of CA certificates to trust (a private or test back office)")
    p = command(sub, "sync", _sync, "send the outbox and pull work orders and verdicts")
    p.add_argument("--server", help="the back office (default: the one logged in to)")
    p.add_argument("--once", action="store_true", help="one cycle, then exit (default: until interrupted)")
    p.add_argument("--ca-bundle", help="PEM file of CA certificates to trust")
    p = command(sub, "verifications", _verifications, "the back office's step-8 verdicts on this laptop's "
                                                       "installations (received by fieldtool sync)")
    p.add_argument("--job", help="only this work order's verdicts")
    g = group(sub, "conflicts", "jobs the back office changed while they were being worked here")
    command(g, "list", _conflicts, "open conflicts")
    p = command(g, "resolve", _resolve, "keep this laptop's version or accept the back office's")
    p.add_argument("job")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--keep-local", action="store_true")
    how.add_argument("--accept-server", action="store_true")


def service(server: str | None = None, ca_bundle: str | None = None):
    from fieldtool.config import load_config
    from fieldtool.logs import setup_logging
    from fieldtool.services.sync import SyncService
    from fieldtool.store.db import open_store
    from fieldtool.store.vault import open_vault

    setup_logging()
    settings = load_config().section("sync")
    if ca_bundle:
        settings = dataclasses.replace(settings, ca_bundle=ca_bundle)
    store = open_store()
    return SyncService(store, open_vault(store), settings=settings, server=server or settings.server or None)


def _password() -> str:
    pw = os.environ.get("FIELDTOOL_PASSWORD")
    if pw is None:
        pw = getpass.getpass("Password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\r\n")
    if not pw:
        raise InputError("No password was given.", hint="Type it, pipe it on standard input or set FIELDTOOL_PASSWORD.")
    return pw


def _login(args):
    svc = service(args.server, args.ca_bundle)
    installer = svc.login(args.server, args.user, _password())
    return {"server": svc.session().server, **installer}


def _sync(args):
    svc = service(args.server, args.ca_bundle)
    session = svc.session()
    if session is None:
        raise UserFacingError("This laptop is not signed in to the back office.", hint="Run fieldtool login first.")
    if svc.server and session.server != svc.server:
        raise UserFacingError(f"This laptop is signed in to {session.server}, not {svc.server}.",
                              hint=f"Run fieldtool login --server {svc.server} first.")
    if args.once:
        return _cycle(svc)
    return _forever(svc)


def _cycle(svc) -> dict:
    counts = svc.run_once()
    error = svc.status.snapshot().last_error
    if counts["errors"] and error:
        print(f"fieldtool: {error}", file=sys.stderr)
    return counts


def _forever(svc):
    while True:
        yield _cycle(svc)
        svc.clock.sleep(svc.settings.interval_s)


def _verifications(args):
    return service().verifications(args.job)


def _conflicts(args):
    return [_conflict(c) for c in service().conflicts()]


def _resolve(args):
    return _conflict(service().resolve(args.job, "keep_local" if args.keep_local else "accept_server"))


def _conflict(c) -> dict:
    return {"job_id": c.job_id, "change": c.change, "reason": c.reason, "server_revision": c.server_revision,
            "local_revision": c.local_revision, "local_status": c.local_status, "detected_at": c.detected_at,
            "resolved_at": c.resolved_at, "resolution": c.resolution}
