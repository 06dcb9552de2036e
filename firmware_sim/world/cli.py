"""``python -m firmware_sim world [--meters N] [--json]``: the simulated world until interrupted.

Starts the reference back office (seeded with a demo day) and then every part that has a
``firmware_sim/<part>/world_part.py`` with ``start(ctx) -> dict``; the meters parts list (``{"meters":
[{"profile", "url", "state_file"}]}``) are joined to the head-end by ``HeadEndBridge``; prints one JSON
object with every address; on SIGINT/SIGTERM stops the parts (their ``ctx.on_stop`` callbacks, newest first) and the back office.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import secrets
import signal
import sys
import tempfile
import threading
import traceback
from pathlib import Path

import firmware_sim
from firmware_sim.backoffice import server as bo_server
from firmware_sim.backoffice.app import BackOffice
from firmware_sim.backoffice.db import BackOfficeDb
from firmware_sim.backoffice.seed import seed
from firmware_sim.world.context import WorldContext
from firmware_sim.world.headend_bridge import HeadEndBridge

SKIP = {"backoffice", "world"}


def register(sub) -> None:
    p = sub.add_parser("world", help="the whole simulated world on loopback",
                       description="Start the back office and every simulator; print their addresses as JSON.")
    p.add_argument("--meters", type=int, default=3, help="how many simulated meters")
    p.add_argument("--json", action="store_true", help="print the addresses as one line of JSON")
    p.add_argument("--dir", help="folder for state (default: a new temporary folder)")
    p.add_argument("--plain-http", action="store_true", help="back office over plain HTTP (loopback demo)")
    p.add_argument("--port", type=int, default=0, help="the back office's port (default: a free one)")
    p.set_defaults(run=run)


def parts() -> list[str]:
    return [m.name for m in sorted(pkgutil.iter_modules(firmware_sim.__path__), key=lambda m: m.name)
            if m.ispkg and m.name not in SKIP]


def start_world(base: Path, meters: int, *, plain_http: bool = False, port: int = 0, host: str = "127.0.0.1"):
    """Start everything; returns ``(ctx, addresses, stop)``."""
    base.mkdir(parents=True, exist_ok=True)
    db = BackOfficeDb(base / "backoffice" / "backoffice.db")
    demo = seed(db, meters=max(20, meters * 2))
    key = secrets.token_urlsafe(24)
    running = bo_server.start(BackOffice(db, headend_key=key), host, port,
                              None if plain_http else base / "backoffice" / "tls")
    ctx = WorldContext(base, meters, running.url, host, str(running.ca_file) if running.ca_file else None, key)
    out: dict = {"backoffice": {"url": running.url, "ca_file": ctx.ca_file, "headend_key": key,
                                "db": str(db.path), "demo": demo}}
    for name in parts():
        try:
            mod = importlib.import_module(f"firmware_sim.{name}.world_part")
        except ModuleNotFoundError as e:
            if e.name == f"firmware_sim.{name}.world_part":
                continue
            raise
        try:
            out[name] = mod.start(ctx)
        except Exception as e:  # one broken simulator must not take the others down; say so
            traceback.print_exc()
            out[name] = {"error": f"{type(e).__name__}: {e}"}

    meters = [m for part in out.values() if isinstance(part, dict) for m in part.get("meters") or []
              if isinstance(m, dict)]
    if meters:
        out["backoffice"]["issued_simulated_meters"] = issue_to_demo_installer(db, demo, meters)
        ctx.on_stop(HeadEndBridge(ctx, meters).start().stop)
        out["backoffice"]["headend_bridge"] = {"meters": len(meters), "join_s": 2.0}

    def stop() -> None:
        for fn in reversed(ctx.stops):
            try:
                fn()
            except Exception:
                traceback.print_exc()
        running.stop()
        db.close()

    return ctx, out, stop


def issue_to_demo_installer(db: BackOfficeDb, demo: dict, meters: list[dict]) -> list[str]:
    """The simulated meters are in the demo installer's truck: issued to them in the back office's inventory
    (so the field tool's "meter not issued to you" check passes for them), typed like the demo plan's meters."""
    numbers = []
    with db.tx() as c:
        row = c.execute("SELECT json_extract(data, '$.install.meter_type') AS t, count(*) AS n FROM work_orders "
                        "WHERE installer_id=? GROUP BY t ORDER BY n DESC LIMIT 1", (demo["demo_installer"],)).fetchone()
        meter_type = (row["t"] if row and row["t"] else None) or "AMI-2S-RF"
        for m in meters:
            try:
                number = json.loads(Path(m["state_file"]).read_text(encoding="utf-8"))["meter_id"]
            except (OSError, ValueError, KeyError, TypeError):
                continue
            c.execute("INSERT OR REPLACE INTO inventory(meter_number, meter_type, district, status, holder, location) "
                      "VALUES(?,?,?,'CheckedOut',?,?)", (number, meter_type, demo["district"], demo["demo_installer"],
                                                          f"{demo['district']}-truck"))
            numbers.append(number)
    return numbers


def run(args) -> int:
    base = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="fieldtool-world-"))
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    _ctx, out, stop = start_world(base, args.meters, plain_http=args.plain_http, port=args.port)
    try:
        print(json.dumps(out) if args.json else json.dumps(out, indent=2), flush=True)
        if not args.json:
            print("The world is running; press Ctrl-C to stop it.", file=sys.stderr, flush=True)
        while not done.wait(0.5):
            pass
    finally:
        stop()
    return 0
