"""``python -m firmware_sim meter``: run one simulated meter on a socket or a pty."""

from __future__ import annotations

import contextlib
import json
import signal
import sys
import threading
from pathlib import Path

from firmware_sim.meter import profiles
from firmware_sim.meter.behaviour import Behaviour
from firmware_sim.meter.faults import DEFAULTS, parse_faults


def register(sub) -> None:
    p = sub.add_parser("meter", help="a simulated optical-port meter (ANSI C12.18/C12.19)",
                       description="A simulated meter speaking C12.18 on socket://HOST:PORT or a pty.")  # fmt: skip
    p.add_argument("--profile", default="acme-r1", help="vendor profile (see --list-profiles)")
    p.add_argument("--listen", default="socket://127.0.0.1:0", help="socket://127.0.0.1:PORT or pty")
    p.add_argument("--pacing", choices=("on", "off"), default="on", help="model wire time at the baud rate")
    p.add_argument("--state", help="JSON state file (created if missing; kept across runs)")
    p.add_argument("--fault", action="append", default=[], metavar="NAME[=N]",
                   help=f"inject a fault: {', '.join(sorted(DEFAULTS))}")  # fmt: skip
    p.add_argument("--self-test", default="clean", choices=("clean", "non-critical", "critical"))
    p.add_argument("--registration", default="default", help="default | after:SECONDS | never | flaps:SECONDS")
    p.add_argument("--time-scale", type=float, default=1.0, help="multiply every meter timeout and delay")
    p.add_argument("--turnaround-ms", type=float, help="override the profile's turnaround delay")
    p.add_argument("--serial", help="manufacturer serial number for a fresh state")
    p.add_argument("--meter-id", help="utility meter number (ST5) for a fresh state")
    p.add_argument("--power-up", choices=("start", "first-contact"), default="start",
                   help="when the meter is powered: at start, or at the first optical contact (when it is set)")
    p.add_argument("--han", default="demo", choices=("demo", "fresh", "none"),
                   help="the customer's HAN behind the ESI: demo (some devices already on it), fresh (all waiting "
                   "in pairing mode), none")
    p.add_argument("--list-profiles", action="store_true", help="list the profiles and exit")
    p.add_argument("--json", action="store_true", help="JSON output")
    p.set_defaults(run=run)


def run(args) -> int:
    if args.list_profiles:
        items = profiles.describe()
        print(json.dumps(items) if args.json else "\n".join(f"{i['name']}: {i['description']}" for i in items))
        return 0
    from firmware_sim.han.devices import premises_by_name
    from firmware_sim.meter.server import MeterOptions, MeterServer

    try:
        faults = parse_faults(args.fault)
        behaviour = Behaviour.parse(args.self_test, args.registration, args.time_scale)
    except ValueError as e:
        print(f"firmware_sim meter: {e}", file=sys.stderr)
        return 2
    opts = MeterOptions(pacing=args.pacing == "on", faults=faults, behaviour=behaviour, time_scale=args.time_scale,
                        turnaround_s=None if args.turnaround_ms is None else args.turnaround_ms / 1000,
                        serial=args.serial, meter_id=args.meter_id, power_up=args.power_up,
                        han=premises_by_name(args.han))  # fmt: skip
    server = MeterServer(profiles.get(args.profile), Path(args.state) if args.state else None, opts)
    if args.listen == "pty":
        url = server.listen_pty()
    elif args.listen.startswith("socket://"):
        host, _, port = args.listen[len("socket://") :].rpartition(":")
        url = server.listen_socket(host or "127.0.0.1", int(port or 0))
    else:
        print("firmware_sim meter: --listen takes socket://HOST:PORT or pty", file=sys.stderr)
        return 2
    info = {"profile": args.profile, "url": url, "faults": sorted(faults), "pacing": opts.pacing}
    print(json.dumps(info) if args.json else f"meter {args.profile} listening on {url}", flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    with contextlib.suppress(KeyboardInterrupt):
        done.wait()
    server.stop()
    return 0
