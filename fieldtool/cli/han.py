"""``fieldtool han``: install codes, and the customer's HAN through the meter's ESI on the optical port
(discover, test, provision, match to the MMS instructions) with the job's HAN log."""

from __future__ import annotations

import sys
from contextlib import contextmanager

from fieldtool.cli._common import command, group
from fieldtool.domain.errors import InputError

PROGRAMS = ("load_control", "price", "messaging")


def register(sub) -> None:
    g = group(sub, "han", "HAN devices: install codes, discovery, provisioning, the HAN test tool and its log")
    p = command(g, "link-key", _link_key, "check an install code's length and CRC and derive its link key")
    p.add_argument("install_code", help="code + CRC as printed (16, 20, 28 or 36 hex digits; spaces allowed)")
    p = command(g, "discover", _discover, "the meter ESI's HAN interfaces and every device it knows or sees")
    _port_args(p)
    p = command(g, "test", _test, "the HAN test tool: interfaces, devices, connectivity, guidance for each problem")
    _port_args(p)
    p = command(g, "provision", _provision, "hand devices' credentials to the ESI, wait for the join, push programs")
    _port_args(p)
    p.add_argument("--meter", required=True, help="the meter number (for the record to the MMS/CSS)")
    p.add_argument("--device", action="append", default=[], required=True, metavar="EUI64[,code=HEX][,programs=A+B]",
                   help=f"a device the customer chose; programs from {', '.join(PROGRAMS)}; name=, location= optional")
    p = command(g, "match", _match, "match the devices found on the HAN to the work order's HAN instructions (7.4.4)")
    _port_args(p)
    p = command(g, "install", _install, "HAN with the meter installation: match the work order's HAN instructions, "
                "provision them, test and guide when one fails (7.1.1, 7.1.1A, 7.4)")
    _port_args(p)
    p.add_argument("--meter", required=True, help="the new meter's number")
    p.add_argument("--label", action="append", default=[], metavar="EUI64=INSTALL_CODE",
                   help="an install code scanned from a device label (when the instructions have none)")
    p = command(g, "log", _log, "every HAN interaction kept with a job (I1FR47)")
    p.add_argument("job", help="the job (work order id) the HAN work was done under")


def _port_args(p) -> None:
    p.add_argument("--port", required=True, help="the optical probe: COM3, /dev/ttyUSB0, a pty or socket://HOST:PORT")
    p.add_argument("--job", default="han-adhoc", help="the job to keep the HAN log under (default: han-adhoc)")
    p.add_argument("--progress", action="store_true", help="print the log live on standard error")


def _link_key(args):
    from fieldtool.protocols.han.install_code import derive_link_key

    k = derive_link_key(args.install_code)
    return {"install_code": k.install_code.hex, "crc_ok": True, "link_key": k.hex,
            "code_bytes": len(k.install_code.code)}  # fmt: skip


@contextmanager
def _han(args):
    """The service and an optical transport, opened for one command."""
    from fieldtool.config import load_config, paths
    from fieldtool.devices.han import OpticalHanTransport
    from fieldtool.devices.meter import MeterLink, meter_password
    from fieldtool.services.han import HanService
    from fieldtool.store.db import open_store

    p = paths().ensure()
    config = load_config(p)
    optical, settings = config.section("optical"), config.section("han")
    store = open_store(p.database)
    link = None
    try:
        link = MeterLink(args.port, settings=optical, password=meter_password(optical))
        vault = _vault(store)
        show = (lambda e: print(f"{e.at} {e.eui64 or '':16} {e.kind:9} {e.text}", file=sys.stderr, flush=True)) \
            if getattr(args, "progress", False) else None  # fmt: skip
        yield HanService(store, settings=settings, vault=vault, on_log=show), OpticalHanTransport(link, settings)
    finally:
        if link is not None:
            link.close()
        store.close()


def _vault(store):
    from fieldtool.store.vault import open_vault

    return open_vault(store)


def _discover(args):
    with _han(args) as (svc, t):
        return svc.discover(args.job, t)


def _test(args):
    with _han(args) as (svc, t):
        return svc.diagnose(args.job, t)


def parse_device(text: str):
    from fieldtool.protocols.han.install_code import normalise_eui64
    from fieldtool.services.han import DeviceRequest

    head, *rest = [part.strip() for part in text.split(",")]
    fields = {}
    for part in rest:
        key, sep, value = part.partition("=")
        if not sep or key not in ("code", "programs", "name", "location"):
            raise InputError(f"--device {text!r}: '{part}' is not code=, programs=, name= or location=.")
        fields[key] = value
    programs = tuple(p for p in fields.get("programs", "").split("+") if p)
    bad = [p for p in programs if p not in PROGRAMS]
    if bad:
        raise InputError(f"--device {text!r}: unknown program {', '.join(bad)}.", hint=f"Programs: {', '.join(PROGRAMS)}.")
    return DeviceRequest(normalise_eui64(head), fields.get("code"), programs, fields.get("name", ""),
                         fields.get("location", ""))  # fmt: skip


def _provision(args):
    requests = [parse_device(d) for d in args.device]
    with _han(args) as (svc, t):
        outcomes = svc.provision(args.job, t, requests, meter_number=args.meter)
    return {"job": args.job, "devices": [o.to_json() for o in outcomes],
            "all_participating": all(o.readiness.rung.value in ("participating", "excluded") for o in outcomes)}


def _match(args):
    from fieldtool.services.han_match import match_planned

    with _han(args) as (svc, t):
        order = svc.store.work_orders.get(args.job)
        if order is None:
            raise InputError(f"There is no work order {args.job} in the local store.", hint="Sync, then try again.")
        result = match_planned(order.han_devices, t.devices())
        svc._log(args.job, t.path, "stage", f"matched {len(result['matched'])} of {len(order.han_devices)} "
                 f"instructed devices; {len(result['missing'])} missing, {len(result['not_instructed'])} not instructed")
    return result


def _install(args):
    labels = {}
    for text in args.label:
        eui, sep, code = text.partition("=")
        if not sep:
            raise InputError(f"--label {text!r} is not EUI64=INSTALL_CODE.")
        labels[eui] = code
    with _han(args) as (svc, t):
        order = svc.store.work_orders.get(args.job)
        if order is None:
            raise InputError(f"There is no work order {args.job} in the local store.", hint="Sync, then try again.")
        result = svc.with_installation(args.job, t, order.han_devices, meter_number=args.meter, labels=labels)
    result["exchange"] = _feed_exchange(args.job, result["device_ids"])
    return result


def _feed_exchange(job: str, device_ids: list[str]) -> str:
    """Tell the job's exchange which HAN devices were found (its I1FR15 checks and soft-registration use them)."""
    from fieldtool.cli._install_service import install_service
    from fieldtool.domain.errors import UserFacingError
    from fieldtool.domain.exchange_events import HanDevicesFound

    with install_service() as svc:
        if svc.job(job) is None:
            return "not started"
        try:
            svc.feed(job, HanDevicesFound(tuple(device_ids)))
        except UserFacingError as e:
            return f"not recorded: {e}"
    return "recorded"


def _log(args):
    from fieldtool.config import paths
    from fieldtool.services.han import HanService
    from fieldtool.store.db import open_store

    store = open_store(paths().ensure().database)
    try:
        svc = HanService(store)
        entries = svc.history(args.job)
        return {"job": args.job, "entries": entries, "devices": svc.log.devices(args.job)}
    finally:
        store.close()
