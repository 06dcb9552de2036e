"""``python -m firmware_sim backoffice --listen 127.0.0.1:PORT --db PATH [--plain-http]``.

Runs the reference back office until SIGINT/SIGTERM. When it accepts connections it prints one JSON line:
``{"url", "ca_file", "headend_key", "db", "demo"}`` (``demo``: the seeded users and password).
"""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path

from firmware_sim.backoffice.app import BackOffice
from firmware_sim.backoffice.db import BackOfficeDb
from firmware_sim.backoffice.seed import seed
from firmware_sim.backoffice.server import serve_forever


def parse_listen(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit():
        raise SystemExit(f"--listen wants HOST:PORT, not {text!r}")
    return host.strip("[]") or "127.0.0.1", int(port)


def register(sub) -> None:
    p = sub.add_parser("backoffice", help="the reference back office (HTTPS, SQLite)",
                       description="Run the reference back office that implements fieldtool/sync/openapi.yaml.")
    p.add_argument("--listen", default="127.0.0.1:8443", help="HOST:PORT (port 0 picks a free one)")
    p.add_argument("--db", default="backoffice.db", help="the SQLite file (created when missing; kept across runs)")
    p.add_argument("--plain-http", action="store_true", help="serve plain HTTP (local demo on loopback only)")
    p.add_argument("--headend-key", default=None, help="key the head-end uses to report registrations")
    p.add_argument("--access-ttl", type=float, default=3600.0, help="access token lifetime, seconds")
    p.add_argument("--no-seed", action="store_true", help="do not add the demo day to an empty database")
    p.add_argument("--work-orders", type=int, default=None,
                   help="generate this many demo jobs for the demo installer instead of the shared demo day")
    p.set_defaults(run=run)


def run(args) -> int:
    host, port = parse_listen(args.listen)
    if args.plain_http and host not in ("127.0.0.1", "::1", "localhost"):
        print("--plain-http is only for a loopback address", file=sys.stderr)
        return 2
    db = BackOfficeDb(args.db)
    if args.no_seed:
        demo = None
    elif args.work_orders is not None:
        demo = seed(db, work_orders=args.work_orders, demo_file=None)
    else:
        demo = seed(db)
    key = args.headend_key or secrets.token_urlsafe(24)
    bo = BackOffice(db, access_ttl=args.access_ttl, headend_key=key)
    tls_dir = None if args.plain_http else Path(args.db).resolve().with_name(Path(args.db).stem + "-tls")

    def ready(url, cert):
        print(json.dumps({"url": url, "ca_file": str(cert) if cert else None, "headend_key": key,
                          "db": str(Path(args.db).resolve()), "demo": demo}), flush=True)

    try:
        serve_forever(bo, host, port, tls_dir, on_ready=ready)
    finally:
        db.close()
    return 0
