"""The guided exchange: one job, its plan, the step it is at, the findings as they happen, what to do next.

Every step and its inputs come from the workflow's transition table (``domain.exchange.allowed``); the
screen adds nothing of its own. Installer answers go to ``InstallService.feed_named`` on the store worker;
meter steps (self-check, identify, write, registration) run through the optical port on an io worker with
progress and Cancel. Findings can be acknowledged (warn, with a reason) or overridden by a supervisor
(block: the supervisor types their name and password on this laptop).
"""

from __future__ import annotations

from fieldtool.domain import exchange
from fieldtool.domain.exchange import Step
from fieldtool.services import users
from fieldtool.services.install import InstallService
from fieldtool.ui.event_form import EventForm
from fieldtool.ui.main_window import Page
from fieldtool.ui.meter_panel import MeterPanel
from fieldtool.ui.qt import (
    QT_TRANSLATE_NOOP,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from fieldtool.ui.widgets import big_button, title
from fieldtool.ui.workflow_words import workflow_text

METER_STEPS = {Step.SELF_CHECK, Step.SELF_CHECK_FAILED, Step.IDENTIFY_METER, Step.WRITE_METER, Step.REGISTRATION}
RADIO_STEPS = {Step.NETWORK_TEST}  # 7.1A.2: the network test through the radio plug-in
INSTALL_TARGET_S = 15 * 60  # I1NFR2


class ExchangePage(Page):
    title = QT_TRANSLATE_NOOP("ExchangePage", "Exchange")
    capability = "jobs"

    def __init__(self, window):
        super().__init__(window)
        self.service = InstallService(self.ctx.store, self.ctx.clock, self.ctx.config)
        self.job_id: str | None = None
        self.shown: dict | None = None
        self.photo_ids: list[str] = []
        outer = QVBoxLayout(self)
        self.heading = title(self.tr("No job open"))
        self.step = QLabel(self.tr("Open a job from the job list (Alt+1)."))
        self.step.setAccessibleName(self.tr("current step"))
        self.step.setWordWrap(True)
        self.clock_label = QLabel("")
        self.clock_label.setAccessibleName(self.tr("time on site"))
        top = QHBoxLayout()
        top.addWidget(self.step, 3)
        top.addWidget(self.clock_label, 1)
        outer.addWidget(self.heading)
        outer.addLayout(top)
        outer.addWidget(self.banner)
        outer.addWidget(self.ops)
        body = QHBoxLayout()
        left = QVBoxLayout()
        self.findings_box = QVBoxLayout()
        left.addLayout(self.findings_box)
        self.start_button = big_button(self.tr("Start the exchange"), self.start_job, primary=True)
        self.start_button.hide()
        left.addWidget(self.start_button)
        self.meter_button = big_button(self.tr("Do this step with the meter / radio"), self.meter_step, primary=True,
                                       name=self.tr("do this step with the meter"))
        self.meter_button.hide()
        left.addWidget(self.meter_button)
        photos = QHBoxLayout()
        self.photo_kind = QComboBox()
        self.photo_kind.setAccessibleName(self.tr("what the photo shows"))
        self.photo_kind.addItems(["as_found", "before", "after", "meter", "seal", "premise", "other"])  # codes the service takes
        photos.addWidget(QLabel(self.tr("Photo of")))
        photos.addWidget(self.photo_kind)
        photos.addWidget(big_button(self.tr("From camera"), self.photo_from_camera, name=self.tr("take a photo with the camera")))
        photos.addWidget(big_button(self.tr("From file…"), self.photo_from_file, name=self.tr("attach a photo from a file")))
        self.photos_label = QLabel("")
        self.photos_label.setAccessibleName(self.tr("photos taken"))
        photos.addWidget(self.photos_label, 1)
        left.addLayout(photos)
        self.verification = QLabel("")
        self.verification.setWordWrap(True)
        self.verification.setAccessibleName(self.tr("back-office verification"))
        self.verification.hide()
        left.addWidget(self.verification)
        self.forms_holder = QWidget()
        self.forms = QVBoxLayout(self.forms_holder)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.forms_holder)
        scroll.setAccessibleName(self.tr("what to do next"))
        left.addWidget(scroll, 1)
        body.addLayout(left, 3)
        right = QVBoxLayout()
        self.meter = MeterPanel(self.ctx)
        right.addWidget(self.meter)
        self.history = QPlainTextEdit()
        self.history.setReadOnly(True)
        self.history.setAccessibleName(self.tr("job history"))
        right.addWidget(QLabel(self.tr("History")))
        right.addWidget(self.history, 1)
        body.addLayout(right, 2)
        outer.addLayout(body, 1)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    # -- loading -------------------------------------------------------------------------------------------
    def open_job(self, job_id: str) -> None:
        self.job_id = job_id
        self.photo_ids: list[str] = []
        self.photos_label.setText("")
        self.banner.clear_message()
        self.refresh()

    def refresh(self) -> None:
        if not self.job_id:
            return
        svc, job_id = self.service, self.job_id

        def load(op):
            order = svc.work_order(job_id)
            return order, (svc.show(job_id) if svc.job(job_id) else None)

        self.ops.start(self.tr("Loading the job"), load, kind="store", on_success=self._render)

    def _render(self, result) -> None:
        order, shown = result
        self.shown = shown
        sp = order.service_point
        self.heading.setText(f"{order.id} — {sp.premise_address} — {sp.customer_name}")
        self._clear(self.forms)
        self._clear(self.findings_box)
        if shown is None:
            plan = order.removal.meter_number if order.removal else self.tr("none")
            self.step.setText(self.tr("Not started. Old meter {old}; new meter type {new}.").format(
                old=plan, new=order.install.meter_type if order.install else self.tr("none")))
            self.start_button.show()
            self.meter_button.hide()
            return
        self.start_button.hide()
        step = shown["step"]
        self.step.setText(self.tr("Step {step}: {label}").format(step=step["uc_step"], label=workflow_text(step["label"])))
        for f in shown["findings"]:
            if f["open"] or f["severity"] == "info":
                self.findings_box.addWidget(self._finding(f))
        self.meter_button.setVisible(Step(shown["state"]) in METER_STEPS | RADIO_STEPS)
        specs = exchange.allowed(shown["state"], order.kind)
        for spec in specs:
            self.forms.addWidget(self._event_box(spec))
        self.forms.addStretch(1)
        v = shown.get("verification")
        if v:
            problems = "; ".join(v.get("discrepancies") or []) or self.tr("none")
            verdict = self.tr("accepted") if v.get("accepted") else self.tr("NOT accepted")
            self.verification.setText(self.tr("Back office: {verdict} — discrepancies: {problems}").format(
                verdict=verdict, problems=problems))
            self.verification.setProperty("severity", "ok" if v.get("accepted") else "block")
        else:
            self.verification.setText(self.tr("Back office: not verified yet.") if step["uc_step"] in ("8", "8.1") else "")
            self.verification.setProperty("severity", "info")
        self.verification.setVisible(bool(self.verification.text()))
        self.verification.style().unpolish(self.verification)
        self.verification.style().polish(self.verification)
        self.history.setPlainText("\n".join(
            f"{a['at']:%H:%M:%S} {a['actor']}: {a['event']} → {a['to_state']}" if hasattr(a["at"], "strftime")
            else f"{a['at']} {a['actor']}: {a['event']} → {a['to_state']}" for a in shown["audit"]))
        self._tick()

    @staticmethod
    def _clear(layout) -> None:
        while layout.count():
            item = layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()

    # -- findings ------------------------------------------------------------------------------------------
    def _finding(self, f: dict) -> QFrame:
        frame = QFrame()
        frame.setProperty("severity", f["severity"])
        frame.setAccessibleName(self.tr("finding {rule}").format(rule=f["rule"]))
        lay = QVBoxLayout(frame)
        text = QLabel(f"{f['severity'].upper()} · {f['rule']}: {f['message']}\n" + self.tr(
            "planned: {planned}   actual: {actual}").format(planned=f.get("planned"), actual=f.get("actual")))
        text.setWordWrap(True)
        text.setAccessibleName(f"{f['rule']}: {f['message']}")
        lay.addWidget(text)
        if not f["open"]:
            return frame
        row = QHBoxLayout()
        reason = QLineEdit()
        reason.setPlaceholderText(self.tr("Reason"))
        reason.setAccessibleName(self.tr("reason for {rule}").format(rule=f["rule"]))
        row.addWidget(reason, 2)
        if f["severity"] == "warn":
            row.addWidget(big_button(self.tr("Acknowledge"), lambda: self.acknowledge(f["rule"], reason.text()),
                                     name=self.tr("acknowledge {rule}").format(rule=f["rule"])))
        elif f["severity"] == "block":
            sup = QLineEdit()
            sup.setPlaceholderText(self.tr("Supervisor name"))
            sup.setAccessibleName(self.tr("supervisor name"))
            pw = QLineEdit()
            pw.setEchoMode(QLineEdit.EchoMode.Password)
            pw.setPlaceholderText(self.tr("Supervisor password"))
            pw.setAccessibleName(self.tr("supervisor password"))
            row.addWidget(sup, 1)
            row.addWidget(pw, 1)
            row.addWidget(big_button(self.tr("Override"), lambda: self.override(f["rule"], sup.text(), pw.text(), reason.text()),
                                     name=self.tr("override {rule}").format(rule=f["rule"])))
        lay.addLayout(row)
        return frame

    def acknowledge(self, rule: str, reason: str) -> None:
        svc, job_id, who = self.service, self.job_id, self.ctx.user.name
        self.ops.start(self.tr("Recording the acknowledgement"), lambda op: svc.acknowledge(job_id, rule, reason, by=who),
                       kind="store", on_success=lambda _: self.refresh())

    def override(self, rule: str, supervisor: str, password: str, reason: str) -> None:
        svc, job_id, who, vault = self.service, self.job_id, self.ctx.user.name, self.ctx.vault

        def work(op):
            sup = users.log_in(vault, supervisor.strip(), password)
            if sup.role != "supervisor":
                from fieldtool.domain.errors import NotAllowed

                raise NotAllowed(f"{sup.name} is not a supervisor.", hint="Ask a supervisor to type their name.")
            return svc.override(job_id, rule, supervisor=sup.name, reason=reason, by=who)

        self.ops.start(self.tr("Recording the override"), work, kind="store", on_success=lambda _: self.refresh())

    # -- events --------------------------------------------------------------------------------------------
    def _event_box(self, spec) -> QWidget:
        form = EventForm(spec, exchange.event_class(spec.name))
        label = workflow_text(spec.label)
        button = big_button(label, lambda: self.submit(spec.name, form.values()),
                            primary=spec.name != "cannot_complete", name=self.tr("do: {label}").format(label=label))
        form.form.addRow(button)
        return form

    def submit(self, name: str, data: dict) -> None:
        svc, job_id, who = self.service, self.job_id, self.ctx.user.name
        self.banner.clear_message()
        self.ops.start(f"{name.replace('_', ' ')}", lambda op: svc.feed_named(job_id, name, data, by=who),
                       kind="store", on_success=self._after)

    # -- photos (as-found evidence, before / after) ------------------------------------------------------------
    def photo_from_file(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Attach a photo"), "", self.tr("Images (*.jpg *.jpeg *.png)"))
            if not path:
                return
        from fieldtool.devices.photos import load_still

        self._attach(lambda: load_still(path))

    def photo_from_camera(self) -> None:
        settings = self.ctx.config.section("scanning")

        def grab():
            from fieldtool.devices.photos import capture_frame
            from fieldtool.devices.scanning.camera import Camera

            camera = Camera(settings.camera_device, width=settings.camera_width, height=settings.camera_height).start()
            try:
                return capture_frame(camera)
            finally:
                camera.stop()

        self._attach(grab)

    def _attach(self, image_source) -> None:
        if not self.job_id:
            self.banner.show_message(self.tr("Open a job first."), "warn")
            return
        from fieldtool.services.photos import PhotoService

        svc = PhotoService(self.ctx.store, self.ctx.paths.data_dir / "photos", self.ctx.clock)
        job_id, kind = self.job_id, self.photo_kind.currentText()
        position = None
        if self.shown and self.shown["captured"].get("position"):
            from fieldtool.domain.codec import from_data
            from fieldtool.domain.model import Position

            position = from_data(Position, self.shown["captured"]["position"])

        def work(op):
            return svc.attach_image(job_id, image_source(), position=position, attached_to=kind)

        self.ops.start(self.tr("Saving the photo"), work, on_success=self._attached)

    def _attached(self, attached) -> None:
        self.photo_ids.append(attached.photo.id)
        self.photos_label.setText(self.tr("{n} photo(s); last {id} (SHA-256 {sha}…)").format(
            n=len(self.photo_ids), id=attached.photo.id[:8], sha=attached.photo.sha256[:12]))
        for i in range(self.forms.count()):
            form = self.forms.itemAt(i).widget()
            if isinstance(form, EventForm) and "photo_ids" in form.getters:
                form.set_value("photo_ids", ", ".join(self.photo_ids))

    def take_scan(self, text: str) -> bool:
        """Put a scanned meter number into the current step's form (scan the new meter, verify the old one,
        replace the meter); False when the step takes none."""
        for i in range(self.forms.count()):
            form = self.forms.itemAt(i).widget()
            if isinstance(form, EventForm) and form.set_value("meter_number", text):
                return True
        return False

    def on_scan(self, text: str) -> None:
        if self.shown and not self.take_scan(text):
            self.banner.show_message(self.tr("Scanned {text}; this step takes no meter number.").format(text=text), "info")

    def start_job(self) -> None:
        svc, job_id, who = self.service, self.job_id, self.ctx.user.name
        self.ops.start(self.tr("Starting the exchange"), lambda op: svc.start(job_id, who), kind="store",
                       on_success=lambda _: self.refresh())

    def _after(self, transition) -> None:
        findings = [f for f in getattr(transition, "findings", ()) if str(f.severity) in ("warn", "block")]
        if findings:
            self.banner.show_message("; ".join(f.message for f in findings), str(findings[0].severity))
        self.refresh()

    def meter_step(self) -> None:
        """The current step's device work through the optical port, off the GUI thread, with Cancel."""
        url = self.meter.url()
        state = Step(self.shown["state"])
        if not url and state not in RADIO_STEPS:
            self.banner.show_message(self.tr("Choose the optical port first (right), then try again."), "warn")
            return
        from fieldtool.devices.exchange_meter import OpticalMeter
        from fieldtool.services.exchange_run import check_program

        svc, job_id, shown, panel = self.service, self.job_id, self.shown, self.meter

        program_open = any(f["rule"] == "program-id" and f["open"] for f in shown["findings"])

        store, config = self.ctx.store, self.ctx.config

        def work(op):
            progress, cancel = op.progress, op.cancel_event
            link = panel.link_for(url) if url else None
            if state in RADIO_STEPS:
                from fieldtool.services.network_test import network_tester_for

                tester = network_tester_for(store, svc.work_order(job_id), svc.job(job_id), config=config,
                                            clock=svc.clock, meter_link=link)
                return svc.device_step(job_id, network=tester, progress=progress, cancel=cancel)
            meter = OpticalMeter(link, work_order_id=job_id, installer_id=shown["installer_id"], clock=svc.clock)
            if state is Step.REGISTRATION:
                return svc.await_registration(job_id, meter, progress, cancel)
            if state is Step.WRITE_METER and program_open:  # 8.2/8.3 while the probe is on
                return check_program(svc, job_id, meter, progress, cancel)[1]
            return svc.device_step(job_id, meter=meter, progress=progress, cancel=cancel)

        self.ops.start(self.tr("Talking to the meter"), work, on_success=self._after)

    # -- time on site (I1NFR2) -------------------------------------------------------------------------------
    def _tick(self) -> None:
        shown = self.shown
        if not shown or not shown.get("arrived_at"):
            self.clock_label.setText("")
            return
        arrived = shown["arrived_at"]
        end = shown.get("left_at") or self.ctx.clock.now()
        seconds = int((end - arrived).total_seconds()) if hasattr(arrived, "tzinfo") else 0
        over = seconds > INSTALL_TARGET_S
        self.clock_label.setText(self.tr("On site {time} of 15:00").format(time=f"{seconds // 60:02d}:{seconds % 60:02d}"))
        self.clock_label.setProperty("severity", "warn" if over else "ok")
        self.clock_label.style().unpolish(self.clock_label)
        self.clock_label.style().polish(self.clock_label)
