"""A whole meter exchange without a screen: the workflow of ``InstallService`` driven to its end, the meter's
steps done through the optical port and the installer's answers taken from a file.

Meter steps (through ``devices.exchange_meter.OpticalMeter``): 6.5.1 self-check, 6.6 identify, 8.2 the program
id the meter reports compared with the work order's program and 8.3 the program loaded when they differ (then the
meter is identified again), 6.7 write installation data and set the clock (I1FR26), 7.1 registration (polled
until it registers or the configured time is up).
Everything else (scans, arrival, final read, as-found conditions, the report, and the network test when the
meter does not register) comes from the answers (format in docs/cli.md). The run stops at the first step the
answers do not cover, at the back office's verification (step 8), or at cannot-complete; each transition is
committed by the service before the next step starts, so a stopped run resumes where it stood.
"""

from __future__ import annotations

import threading
from typing import Any

from fieldtool.devices.exchange_meter import OpticalMeter
from fieldtool.domain import exchange
from fieldtool.domain.codec import to_data
from fieldtool.domain.errors import InputError
from fieldtool.domain.exchange import Step
from fieldtool.domain.findings import as_json as finding_json

METER_STEPS = {Step.SELF_CHECK, Step.IDENTIFY_METER, Step.WRITE_METER}  # device_step does these
END = {Step.AWAITING_VERIFICATION, Step.COMPLETE, Step.CANNOT_COMPLETE}
ANSWER_KEYS = {"installer", "events", "as_found", "load_program"}


def check_answers(answers: Any) -> dict:
    if not isinstance(answers, dict):
        raise InputError("The answers file must hold a JSON object.", hint="See docs/cli.md, 'exchange run'.")
    unknown = sorted(set(answers) - ANSWER_KEYS)
    if unknown:
        raise InputError(f"The answers file has unknown key(s): {', '.join(unknown)}.",
                         hint=f"Known keys: {', '.join(sorted(ANSWER_KEYS))}.")  # fmt: skip
    events = answers.get("events", {})
    if not isinstance(events, dict) or not all(isinstance(v, dict) for v in events.values()):
        raise InputError('"events" must map event names to objects of their inputs.')
    return answers


def run_exchange(svc, work_order_id: str, link, answers: dict, *, progress=lambda f, s: None, cancel=None,
                 self_test_wait_s: float = 120.0, poll_s: float = 0.5) -> dict:
    """Drive the job as far as the meter (``link``: an open ``devices.meter.MeterLink``) and the answers take
    it; returns what happened, step by step."""
    answers = check_answers(answers)
    cancel = cancel or threading.Event()
    link.external_cancel = cancel  # cancel also cuts a running optical exchange short
    try:
        return _run(svc, work_order_id, link, answers, progress, cancel, self_test_wait_s, poll_s)
    finally:
        link.external_cancel = None


def _run(svc, work_order_id, link, answers, progress, cancel, self_test_wait_s, poll_s) -> dict:
    events: dict = answers.get("events", {})
    order = svc.work_order(work_order_id)
    tech = order.install.comm_technology if order.install else None
    meter = OpticalMeter(link, clock=svc.clock, technology=tech, self_test_wait_s=self_test_wait_s, poll_s=poll_s)
    job = svc.job(work_order_id) or svc.start(work_order_id, answers.get("installer"))
    steps: list[dict] = []
    extra: dict = {}
    as_found_done = job.as_found.conditions or not answers.get("as_found")

    def record(source: str, t) -> None:
        if t is None:
            return
        steps.append({"from": t.from_state, "to": t.to_state, "event": t.event.name, "source": source,
                      "findings": [finding_json(f) for f in t.new_findings]})  # fmt: skip

    stopped = None
    for _ in range(60):  # a bound: the workflow has ~20 steps; a loop here would be a bug
        state = Step(svc.job(work_order_id).state)
        if state in END:
            break
        allowed = [s.name for s in exchange.allowed(state, order.kind)]
        if not as_found_done and "record_as_found" in allowed and state is not Step.SCAN_METER:
            record("answers", svc.feed_named(work_order_id, "record_as_found", answers["as_found"]))
            as_found_done = True
            continue
        if state is Step.WRITE_METER and "program" not in extra:
            # 8.2/8.3 at the meter, while the probe is on: a wrong program is a blocking finding of 6.6,
            # cured by loading the intended program and identifying the meter again.
            extra["program"], t = check_program(svc, work_order_id, meter, progress, cancel,
                                                load=answers.get("load_program", True))
            record("meter", t)
            continue
        if state in METER_STEPS:
            record("meter", svc.device_step(work_order_id, meter=meter, progress=progress, cancel=cancel))
            continue
        if state is Step.REGISTRATION:
            record("meter", svc.await_registration(work_order_id, meter, progress, cancel))
            c = link.clock_check()  # set at 6.7 (I1FR26); what it reads now
            extra["clock"] = {"meter": c.meter, "tool": c.tool, "drift_s": c.drift_s}
            continue
        primary = allowed[0] if allowed else None
        if state is Step.SELF_CHECK_FAILED:
            primary = "replace_meter" if "replace_meter" in events else None
        if primary is None or primary not in events:
            stopped = {"step": state.value, "needs": primary,
                       "reason": f"the answers give no '{primary}' for step {exchange.STEP_LABELS[state][0]} "
                                 f"({exchange.STEP_LABELS[state][1]})"}  # fmt: skip
            break
        record("answers", svc.feed_named(work_order_id, primary, events[primary]))
    final = svc.job(work_order_id)
    return {
        "work_order_id": work_order_id,
        "state": final.state,
        "steps": steps,
        "stopped": stopped,
        "findings": [finding_json(f) for f in final.findings],
        "identified": to_data(final.identified),
        "registration": to_data(final.registration),
        **extra,
    }


def check_program(svc, work_order_id: str, meter, progress, cancel, *, load: bool = True):
    """Steps 8.2 and 8.3 at the meter while the probe is still on: the program id the meter reports against
    the work order's; when they differ (a blocking finding of 6.6) load the intended program and identify the
    meter again, which clears the finding. Returns (what was seen and done, the identify transition or None)."""
    order = svc.work_order(work_order_id)
    intended = order.install.program_id if order.install else None
    reported = meter.program_id(progress, cancel)
    out = {"intended": intended, "reported": reported, "loaded": False, "matches": reported == intended}
    if intended and reported != intended and load:
        result = meter.load_program(intended, progress, cancel)
        out.update(loaded=True, reported=result.program_id, matches=result.program_id == intended,
                   loaded_at=result.loaded_at)  # fmt: skip
        return out, svc.feed(work_order_id, meter.identify(progress, cancel))
    return out, None
