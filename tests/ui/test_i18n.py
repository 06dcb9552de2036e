"""English and Spanish through Qt's translation tools: the catalogue is complete, in step with the code, and
the screens speak Spanish when ``[ui] language = "es"``."""

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from fieldtool.ui.exchange_page import ExchangePage
from fieldtool.ui.i18n import install_translator
from fieldtool.ui.jobs_page import JobsPage
from fieldtool.ui.main_window import MainWindow
from fieldtool.ui.pages import PAGES
from fieldtool.ui.qt import QApplication, QCoreApplication, Qt, QTranslator
from fieldtool.ui.sync_widgets import ConflictsPage

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "fieldtool_es.ts"
QM = ROOT / "resources" / "translations" / "fieldtool_es.qm"


def _messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(path).getroot()
    return {(c.findtext("name"), m.findtext("source")): m.find("translation")
            for c in root.iter("context") for m in c.iter("message")}


@pytest.fixture
def spanish(qtbot):
    assert install_translator(QApplication.instance(), "es")
    yield
    install_translator(QApplication.instance(), "en")


def test_every_message_has_a_finished_translation():
    messages = _messages(TS)
    assert len(messages) > 300
    unfinished = [src for (_, src), tr in messages.items()
                  if tr.get("type") in ("unfinished", "obsolete", "vanished") or not (tr.text or "").strip()]
    assert unfinished == []
    # the placeholders of .format() survive translation, or the Spanish screen would raise KeyError
    import string

    def fields(text):
        return sorted(f for _, f, _, _ in string.Formatter().parse(text) if f)

    wrong = [src for (_, src), tr in messages.items() if fields(src) != fields(tr.text)]
    assert wrong == []


def test_the_compiled_catalogue_matches_the_ts_file(qtbot):
    t = QTranslator()
    assert t.load(str(QM))
    stale = [(ctx, src) for (ctx, src), tr in _messages(TS).items() if t.translate(ctx, src) != tr.text]
    assert stale == [], "run `make translations`"


def test_the_ts_file_holds_every_marked_string_of_the_code(tmp_path):
    """lupdate over the screens into a fresh file: every string it finds must be in the committed catalogue."""
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    fresh = tmp_path / "fresh.ts"
    subprocess.run([str(lupdate), "-extensions", "py", str(ROOT / "fieldtool" / "ui"), "-ts", str(fresh)],
                   check=True, capture_output=True, timeout=120)
    found = set(_messages(fresh))
    assert len(found) > 300
    missing = sorted(found - set(_messages(TS)))
    assert missing == [], f"marked strings missing from {TS.name}; run `make translations` and translate them"


def test_unknown_language_is_refused(qtbot):
    from fieldtool.domain.errors import InputError

    with pytest.raises(InputError, match="choose one of en, es"):
        install_translator(QApplication.instance(), "fr")
    assert install_translator(QApplication.instance(), "en") is False


def test_the_main_window_speaks_spanish(qtbot, ctx, spanish):
    w = MainWindow(ctx, PAGES)
    qtbot.addWidget(w)
    w.show()
    jobs = w.page(JobsPage)
    qtbot.waitUntil(lambda: jobs.loaded, timeout=10000)
    labels = [w.buttons.button(i).text().split("\n")[0] for i in range(len(w.pages))]
    assert labels[:3] == ["Trabajos", "Cambio de medidor", "Escanear"]
    assert "Conflictos" in labels and "Cobertura" in labels
    assert w.buttons.button(0).accessibleName() == "Trabajos"
    assert jobs.search.placeholderText().startswith("Buscar: número de medidor")
    assert jobs.model.headerData(1, Qt.Orientation.Horizontal) == "Orden"
    assert "de 0 órdenes" in jobs.counts.text()
    exchange = w.page(ExchangePage)
    assert exchange.heading.text() == "Ninguna orden abierta"
    assert "lista de órdenes (Alt+1)" in exchange.step.text()
    w.show_page(w.pages.index(w.page(ConflictsPage)))
    conflicts = w.page(ConflictsPage)
    assert "oficina central" in conflicts.banner.text()
    assert QCoreApplication.translate("SyncBar", "{n} queued").format(n=3) == "3 en cola"


def test_the_workflow_words_cover_the_transition_table():
    """Every step label, event label and input name the guided exchange shows is marked for translation."""
    import dataclasses

    from fieldtool.domain import exchange
    from fieldtool.ui.event_form import HIDDEN, _words
    from fieldtool.ui.workflow_words import INPUT_NAMES, STEP_AND_EVENT_LABELS

    labels = {label for _, label in exchange.STEP_LABELS.values()} | {r.event.label for r in exchange.TABLE}
    inputs = {_words(f.name) for r in exchange.TABLE for f in dataclasses.fields(r.event) if f.name not in HIDDEN}
    assert labels - set(STEP_AND_EVENT_LABELS) == set()
    assert inputs - set(INPUT_NAMES) == set()


def test_an_event_form_speaks_spanish(qtbot, spanish):
    from fieldtool.domain import exchange
    from fieldtool.domain.model import WorkOrderKind
    from fieldtool.ui.event_form import EventForm
    from fieldtool.ui.qt import QLineEdit

    spec = next(s for s in exchange.allowed("final_read", WorkOrderKind.EXCHANGE) if s.name == "final_read")
    form = EventForm(spec, exchange.event_class(spec.name))
    qtbot.addWidget(form)
    assert form.title() == "Introduzca la lectura final del medidor antiguo"
    names = {e.accessibleName() for e in form.findChildren(QLineEdit)}
    assert "Valor" in names
    form.set_value("value", "12345.6")  # the values still go to the service under the workflow's own names
    assert form.values()["value"] == 12345.6


def test_qt_own_words_follow_the_language(qtbot, spanish):
    from fieldtool.ui.qt import QDialogButtonBox

    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == "Cancelar"
