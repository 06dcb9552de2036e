"""``fieldtool exchange run ID --port URL --answers FILE.json``: a whole exchange headless (see
``services.exchange_run``); registered by ``cli/exchange.py``."""

from __future__ import annotations

import sys

from fieldtool.cli._common import read_json_file
from fieldtool.cli._install_service import install_service


def add_run(g, command) -> None:
    p = command(g, "run", run, "do the whole exchange: the meter's steps over the optical port, the rest from answers")
    p.add_argument("id")
    p.add_argument("--port", required=True, help="the optical probe: COM3, /dev/ttyUSB0, a pty or socket://HOST:PORT")
    p.add_argument("--answers", required=True, metavar="FILE.json", help="what the installer would enter")
    p.add_argument("--progress", action="store_true", help="print progress on standard error")


def run(args):
    from fieldtool.config import load_config, paths
    from fieldtool.devices.meter import MeterLink, meter_password
    from fieldtool.services.exchange_run import check_answers, run_exchange

    answers = check_answers(read_json_file(args.answers))
    settings = load_config().section("optical")
    progress = (lambda f, s: print(f"{int(f * 100):3d}% {s}", file=sys.stderr, flush=True)) if args.progress else (
        lambda f, s: None)  # fmt: skip
    with install_service() as svc:
        order = svc.work_order(args.id)
        link = MeterLink(args.port, settings=settings, password=meter_password(settings),
                         transcript_dir=paths().log_dir / "optical")  # fmt: skip
        try:
            return run_exchange(svc, order.id, link, answers, progress=progress)
        finally:
            link.close()
