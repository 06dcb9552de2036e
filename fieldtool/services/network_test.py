"""UC134 7.1A.2–7.1A.5: test the AMI network at the meter, judge the coverage, record and report it.

``run_network_test`` measures through the radio plug-in for the meter's technology (survey, link test, the
meter's registration over the air, network time) and judges the coverage against the ``[radio]``
thresholds; ``record_coverage`` keeps the report and queues it for the back office in one transaction;
``RadioNetworkTester`` is the ``NetworkTester`` the exchange workflow asks at step 7.1A.2 and does both.
Everything here blocks (seconds): run it off the GUI thread; ``cancel`` stops it between packets.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from fieldtool.clock import SYSTEM_CLOCK, Clock
from fieldtool.domain.coverage import (
    CoverageReport,
    HeardNode,
    RadioSettings,
    SignalSample,
    judge,
    signal_metric,
)
from fieldtool.domain.errors import InputError, UserFacingError
from fieldtool.domain.exchange_events import NetworkTested
from fieldtool.domain.model import Position
from fieldtool.radio import Capability, RadioDriver, RadioError, SurveyResult
from fieldtool.radio.registry import Discovery, discover

LOGGER = logging.getLogger(__name__)
Progress = Callable[[float, str], None]  # fraction 0..1, words (the workflow's progress shape)


@dataclass(frozen=True)
class MeterAtHand:
    """Who and where the test is for."""

    technology: str
    meter_address: str | None = None  # the meter's network address (comm module id), if known
    meter_number: str | None = None
    job_id: str | None = None
    installer_id: str | None = None


def open_driver(technology: str, *, settings: RadioSettings, clock: Clock, port_url: str | None = None,
                discovery: Discovery | None = None) -> tuple[str, RadioDriver]:
    """The plug-in for a technology, instantiated on its configured port (not yet opened)."""
    plugin = (discovery or discover()).for_technology(technology)
    url = port_url or settings.port_for(technology)
    if not url:
        raise UserFacingError(
            f"No port is configured for the {technology} radio.",
            hint=f"Set {technology}_port in the [radio] section of the configuration, or give --port.",
        )
    return plugin.name, plugin.driver(url, clock=clock, settings=settings.driver_settings())


def _phase(progress: Progress | None, start: float, span: float):
    """Map a driver's (done, total, words) onto a share of the whole test."""
    def inner(done: int, total: int, words: str) -> None:
        if progress is not None:
            share = min(1.0, done / total) if total else 0.5
            progress(start + span * share, words)
    return inner


def _heard(survey: SurveyResult) -> tuple[HeardNode, ...]:
    return tuple(
        HeardNode(n.id, n.role, n.rsrp_dbm if n.rsrp_dbm is not None else n.rssi_dbm, n.snr_db, n.lqi, n.hops)
        for n in survey.neighbours
    )


def run_network_test(meter: MeterAtHand, *, settings: RadioSettings, clock: Clock = SYSTEM_CLOCK,
                     position: Position | None = None, port_url: str | None = None,
                     discovery: Discovery | None = None, driver: RadioDriver | None = None,
                     signal_log: Iterable[SignalSample] = (), progress: Progress | None = None,
                     cancel: threading.Event | None = None) -> CoverageReport:
    """Measure and judge (7.1A.2, 7.1A.3). The radio is opened and closed here unless ``driver`` is given open."""
    plugin_name = getattr(driver, "name", "")
    own = driver is None
    if own:
        plugin_name, driver = open_driver(meter.technology, settings=settings, clock=clock, port_url=port_url,
                                          discovery=discovery)
        if progress:
            progress(0.0, f"opening the {meter.technology} radio")
        driver.open()
    try:
        caps = driver.capabilities()
        info = driver.info
        survey = driver.survey(progress=_phase(progress, 0.05, 0.35), cancel=cancel) \
            if Capability.SURVEY in caps else None
        link, link_error = None, None
        if Capability.LINK_TEST in caps and (survey is None or survey.neighbours):
            target = settings.cellular_ping_host if meter.technology in ("gprs", "cellular") else settings.link_test_target
            try:
                link = driver.link_test(target, count=settings.link_test_packets,
                                        progress=_phase(progress, 0.4, 0.4), cancel=cancel)
            except RadioError as e:  # "no collector in range" is a measurement, not a failure of the test
                LOGGER.info("link test to %s failed: %s", target, e)
                link_error = f"link test to {target}: {e}"
        meter_state = None
        if meter.meter_address and Capability.METER_REGISTRATION in caps:
            if progress:
                progress(0.85, "asking the meter whether it has registered")
            meter_state = driver.registration_status(meter.meter_address).state.value
        offset = None
        if Capability.NETWORK_TIME in caps:
            try:
                offset = driver.network_time().offset_s
            except RadioError:
                offset = None  # no network, no network time: already told by the survey
    finally:
        if own:
            driver.close()
    rssi = survey.signal_dbm if survey else None
    best = survey.best if survey else None
    if link is not None and link.signal_dbm is not None and meter.technology == "rf_mesh":
        rssi = link.signal_dbm if rssi is None else max(rssi, link.signal_dbm)
    snr = best.snr_db if best else (link.snr_db if link else None)
    rsrp = survey.details.get("rsrp_dbm") if survey else None
    if meter.technology in ("gprs", "cellular") and survey is not None and not survey.neighbours:
        rssi = rsrp = None
    metric, value = signal_metric(meter.technology, rssi=rssi, snr=snr, rsrp=rsrp)
    loss = link.loss_pct if link else (100.0 if survey is not None and survey.neighbours and
                                       Capability.LINK_TEST in caps else None)
    verdict = judge(meter.technology, metric=metric, value=value, loss_pct=loss, settings=settings)
    if link_error:
        verdict = replace(verdict, reasons=(*verdict.reasons, link_error))
    if progress:
        progress(1.0, f"coverage {verdict.verdict.value}")
    return CoverageReport(
        id=str(uuid.uuid4()), technology=meter.technology, verdict=verdict.verdict, measured_at=clock.now(),
        metric=metric, value=value, reasons=verdict.reasons, position=position,
        loss_pct=loss, rtt_avg_ms=link.rtt_summary["avg"] if link else None,
        link_target=link.target if link else None, via=link.via if link else None,
        heard=_heard(survey) if survey else (), operator=survey.operator if survey else None,
        network_registration=survey.registration if survey else None, meter_registration=meter_state,
        network_time_offset_s=offset, meter_signal_log=tuple(signal_log), plugin=plugin_name,
        radio=" ".join(x for x in (info.vendor, info.model, info.firmware) if x) if info else "",
        job_id=meter.job_id, meter_number=meter.meter_number, meter_address=meter.meter_address,
        installer_id=meter.installer_id,
    )


def record_coverage(store, report: CoverageReport) -> bool:
    """Keep the report and queue it for the back office (7.1A.5; I1FR33, I1FR36) in one transaction.

    Returns whether it was queued: a report without a meter number is kept here only (the back office files
    coverage by meter).
    """
    from fieldtool.services.coverage_events import coverage_payload
    from fieldtool.store.coverage import CoverageReports

    queued = bool(report.meter_number)
    CoverageReports(store).add(report, event_payload=coverage_payload(report) if queued else None)
    return queued


def read_meter_signal_log(meter_link: Any, progress: Progress | None = None,
                          cancel: threading.Event | None = None) -> tuple[SignalSample, ...]:
    """The meter's own signal-strength log (I1FR34) through the optical port's ``MeterLink``.

    Uses ``MeterLink.signal_log()`` (``fieldtool.devices.meter``: entries with ``at``, ``rssi_dbm``,
    ``link_quality``); also accepts a link offering ``read_signal_log(progress, cancel)`` and entries that
    are ``SignalSample`` objects or dicts. A link with neither operation gives an empty log.
    """
    if hasattr(meter_link, "signal_log"):
        entries = meter_link.signal_log()
    elif hasattr(meter_link, "read_signal_log"):
        entries = meter_link.read_signal_log(progress or (lambda f, w: None), cancel or threading.Event())
    else:
        return ()
    out = []
    for i, entry in enumerate(entries):
        if isinstance(entry, SignalSample):
            out.append(entry)
            continue
        get = entry.get if isinstance(entry, dict) else (lambda k, e=entry: getattr(e, k, None))
        at = next((get(k) for k in ("at", "time", "timestamp") if get(k) is not None), None)
        level = next((get(k) for k in ("signal_dbm", "rssi_dbm", "rssi") if get(k) is not None), None)
        if (at is not None and not isinstance(at, datetime)) or not isinstance(level, int | float):
            raise InputError(f"Entry {i + 1} of the meter's signal-strength log has no usable level: {entry!r}.")
        quality = get("link_quality")
        out.append(SignalSample(at, float(level), int(quality) if isinstance(quality, int) else None))
    return tuple(out)


def meter_at_hand(order, job, meter_link: Any = None) -> MeterAtHand:
    """Who the test is for, from the work order and the job; the meter's network address from the meter
    itself (``MeterLink.registration_status().comm_address``) when the optical link is given."""
    address = None
    if meter_link is not None and hasattr(meter_link, "registration_status"):
        try:
            address = getattr(meter_link.registration_status(), "comm_address", None)
        except UserFacingError as e:
            LOGGER.info("the meter's network address could not be read: %s", e)
    if address is None and job.registration is not None:
        address = job.registration.comms_address
    technology = (order.install.comm_technology if order.install else None) or ""
    return MeterAtHand(technology, address, job.actual.new_meter_number, job.work_order_id, job.installer_id)


class RadioNetworkTester:
    """The workflow's ``NetworkTester`` (domain.exchange_devices) at one job: test, judge, record, queue.

    ``last_report`` keeps the latest report so the screen can show the verdict it proposes (7.1A.3).
    ``position`` is a ``Position``, or a callable asked at each test (a GPS receiver's ``position``, which
    gives the latest usable fix with its accuracy) so the report carries where the installer stood.
    """

    def __init__(self, store, *, settings: RadioSettings, meter: MeterAtHand, clock: Clock = SYSTEM_CLOCK,
                 position: Callable[[], Position | None] | Position | None = None, discovery: Discovery | None = None,
                 meter_link: Any = None):
        self.store = store
        self.settings = settings
        self.meter = meter
        self.clock = clock
        self._position = position
        self._discovery = discovery
        self.meter_link = meter_link
        self.last_report: CoverageReport | None = None

    @property
    def discovery(self) -> Discovery:
        if self._discovery is None:
            self._discovery = discover()
        return self._discovery

    def technologies(self) -> list[str]:
        techs = {t for p in self.discovery.plugins.values() for t in p.technologies}
        return sorted(t for t in techs if self.settings.port_for(t))

    def test(self, technology: str, progress: Progress, cancel) -> NetworkTested:
        position = self._position() if callable(self._position) else self._position
        log: tuple[SignalSample, ...] = ()
        if self.meter_link is not None:
            try:
                log = read_meter_signal_log(self.meter_link, progress, cancel)
            except UserFacingError as e:  # the log is extra evidence; its absence must not stop the test
                LOGGER.warning("the meter's signal-strength log could not be read: %s", e)
        meter = replace(self.meter, technology=technology)
        report = run_network_test(meter, settings=self.settings, clock=self.clock, position=position,
                                  discovery=self.discovery, signal_log=log, progress=progress, cancel=cancel)
        record_coverage(self.store, report)
        self.last_report = report
        unit = "dB" if report.metric == "snr_db" else "dBm"
        shown = f"{report.value:g} {unit}" if report.value is not None else "no signal"
        return NetworkTested(
            technology=technology,
            reachable=report.verdict.value != "none",
            signal_dbm=report.value if report.metric != "snr_db" else None,
            detail=f"coverage {report.verdict.value} ({shown}); " + "; ".join(report.reasons),
        )


def network_tester_for(store, order, job, *, config, clock: Clock = SYSTEM_CLOCK, meter_link: Any = None,
                       discovery: Discovery | None = None) -> RadioNetworkTester:
    """The ``NetworkTester`` for ``InstallService.device_step`` at step 7.1A.2 of this job.

    ``config`` is the loaded ``Config`` (section ``[radio]``); ``meter_link`` the optical ``MeterLink`` of
    the new meter when the probe is on it (its network address and signal-strength log are read through it).
    The position is the one the job took on arrival (step 6.2).
    """
    return RadioNetworkTester(
        store, settings=config.section("radio"), meter=meter_at_hand(order, job, meter_link), clock=clock,
        position=job.actual.position, discovery=discovery, meter_link=meter_link,
    )
