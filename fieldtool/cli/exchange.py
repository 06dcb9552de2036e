"""``fieldtool exchange``: walk a job through the meter-exchange workflow (UC134 3.1.1, steps 6.1-9)."""

from __future__ import annotations

import json

from fieldtool.cli._common import command, group, read_json_file
from fieldtool.cli._exchange_run import add_run
from fieldtool.cli._install_service import install_service
from fieldtool.domain import exchange
from fieldtool.domain.codec import to_data
from fieldtool.domain.errors import InputError
from fieldtool.domain.exchange_events import EVENTS
from fieldtool.domain.findings import as_json as finding_json


def register(sub) -> None:
    g = group(sub, "exchange", "the meter-exchange workflow of a job")
    p = command(g, "start", _start, "start (or resume) the exchange of a work order")
    p.add_argument("id")
    p.add_argument("--installer", help="who does the job (default: the work order's installer)")
    p = command(g, "event", _event, "feed one workflow event; prints the new state, the findings and what may come next")
    p.add_argument("id")
    p.add_argument("event", choices=list(EVENTS), metavar="EVENT")
    p.add_argument("--data", help="the event's inputs as a JSON object, or @FILE.json")
    p.add_argument("--by", help="who gives the event (default: the job's installer)")
    p = command(g, "ack", _ack, "acknowledge a warning with a reason")
    p.add_argument("id")
    p.add_argument("rule")
    p.add_argument("--reason", required=True)
    p.add_argument("--by")
    p = command(g, "override", _override, "a supervisor overrides a block")
    p.add_argument("id")
    p.add_argument("rule")
    p.add_argument("--supervisor", required=True, metavar="CODE")
    p.add_argument("--reason", required=True)
    p.add_argument("--by")
    p = command(g, "show", _show, "where the job stands, what was captured and found, and its audit trail")
    p.add_argument("id")
    command(g, "table", _table, "the workflow table: every step with its events and their inputs")
    p = command(g, "device", _device, "do the current step's device work: the meter on the optical port "
                                      "(self-check, identify, write step 6.7, registration) or the network test")
    p.add_argument("id")
    p.add_argument("--port", help="the optical probe: COM3, /dev/ttyUSB0, a pty path or socket://HOST:PORT")
    p.add_argument("--protocol", choices=("c1218", "iec62056-21"), help="skip protocol detection")
    p.add_argument("--wait", action="store_true", help="at registration: wait until the meter registers or "
                                                       "[exchange] registration_timeout_s has passed")
    p.add_argument("--radio-port", help="at the network test: the radio's port (default: [radio] <technology>_port)")
    p.add_argument("--technology", help="at the network test: rf_mesh, plc or gprs (default: the planned one)")
    add_run(g, command)  # exchange run: the whole exchange headless over the optical port (optical issue)


def _state(job) -> dict:
    return {
        "state": job.state,
        "findings": [finding_json(f) for f in job.findings],
        "next": [s.name for s in exchange.allowed(job.state, job.kind)],
    }


def _start(args):
    with install_service() as svc:
        job = svc.start(args.id, args.installer)
    return {"work_order_id": job.work_order_id, "installer_id": job.installer_id, **_state(job)}


def _event(args):
    data = _data(args.data)
    with install_service() as svc:
        t = svc.feed_named(args.id, args.event, data, args.by)
    return _state(t.job)


def _data(text: str | None) -> dict:
    if not text:
        return {}
    if text.startswith("@"):
        data = read_json_file(text[1:])
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise InputError(f"--data is not valid JSON: {e}", hint='Example: --data \'{"value": 41850}\'') from None
    if not isinstance(data, dict):
        raise InputError("--data must be a JSON object of the event's inputs.")
    return data


def _ack(args):
    with install_service() as svc:
        before = len(svc._job(args.id).acknowledgements)
        job = svc.acknowledge(args.id, args.rule, args.reason, args.by)
    return {**_state(job), "acknowledged": to_data(job.acknowledgements[before:])}


def _override(args):
    with install_service() as svc:
        before = len(svc._job(args.id).overrides)
        job = svc.override(args.id, args.rule, args.supervisor, args.reason, args.by)
    return {**_state(job), "overridden": to_data(job.overrides[before:])}


def _show(args):
    with install_service() as svc:
        return svc.show(args.id)


def _device(args):
    from fieldtool.domain.exchange import Step

    with install_service() as svc:
        job = svc._job(args.id)
        state = Step(job.state)
        if state in (Step.NETWORK_TEST, Step.COVERAGE):
            t = svc.device_step(args.id, network=_radio(svc, job, args), technology=args.technology)
        elif state not in _METER_STEPS:
            t = svc.device_step(args.id)  # refuses in words: this step is the installer's
        else:
            if not args.port:
                raise InputError(f"Step {state.value!r} needs the meter on the optical port: give --port.")
            with _optical(svc, args) as meter:
                if state is Step.REGISTRATION and args.wait:
                    t = svc.await_registration(args.id, meter)
                else:
                    t = svc.device_step(args.id, meter=meter)
        job = t.job if t is not None else svc._job(args.id)
    return {**_state(job), "event": {"name": t.event.name, **to_data(t.event)} if t is not None else None}


_METER_STEPS = ("self_check", "self_check_failed", "identify_meter", "write_meter", "registration")


def _optical(svc, args):
    from contextlib import contextmanager

    from fieldtool.config import load_config
    from fieldtool.devices.exchange_meter import OpticalMeter
    from fieldtool.devices.meter import MeterLink, meter_password

    @contextmanager
    def opened():
        settings = load_config().section("optical")
        link = MeterLink(args.port, settings=settings, password=meter_password(settings), protocol=args.protocol)
        job = svc._job(args.id)
        try:
            yield OpticalMeter(link, work_order_id=args.id, installer_id=job.installer_id)
        finally:
            link.close()

    return opened()


def _radio(svc, job, args):
    from dataclasses import replace

    from fieldtool.config import load_config
    from fieldtool.services.network_test import MeterAtHand, RadioNetworkTester

    order = svc.work_order(args.id)
    tech = args.technology or (order.install.comm_technology if order.install else None) or "rf_mesh"
    settings = load_config().section("radio")
    if args.radio_port:
        settings = replace(settings, **{f"{tech}_port": args.radio_port})
    meter = MeterAtHand(tech, job.registration.comms_address if job.registration else None,
                        job.actual.new_meter_number, job.work_order_id, job.installer_id)
    return RadioNetworkTester(svc.store, settings=settings, meter=meter, clock=svc.clock, position=job.actual.position)


def _table(args):
    return {
        "steps": [
            {**exchange.step_label(step), "events": {
                kind.value: [to_data(s) for s in exchange.allowed(step, kind)] for kind in exchange.START
            }}
            for step in exchange.Step
        ]
    }
