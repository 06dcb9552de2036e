"""English and Spanish through Qt's translation tools.

Screens mark their words with ``self.tr("...")`` (or ``QCoreApplication.translate``); ``make translations``
runs ``pyside6-lupdate`` over ``fieldtool/ui`` into ``resources/translations/fieldtool_es.ts`` and
``pyside6-lrelease`` into the ``.qm`` file the application loads.
"""

from __future__ import annotations

from importlib import resources

from fieldtool.domain.errors import InputError
from fieldtool.ui.qt import QLibraryInfo, QTranslator

LANGUAGES = ("en", "es")
_installed: list[QTranslator] = []


def install_translator(app, language: str) -> bool:
    """Load the language's translations; English needs none. Returns whether a translation was loaded.
    An unknown language is refused with ``InputError`` (the start-up shows it in words)."""
    if language not in LANGUAGES:
        raise InputError(f"[ui] language {language!r} is not available; choose one of {', '.join(LANGUAGES)}.",
                         hint="Set [ui] language in config.toml to en or es.")
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    if language == "en":
        return False
    qm = resources.files("resources.translations").joinpath(f"fieldtool_{language}.qm")
    translator = QTranslator(app)
    if not translator.load(str(qm)):
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    # Qt's own words (standard dialog buttons, the file dialog, context menus) from the binding's catalogue
    qt_own = QTranslator(app)
    if qt_own.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    return True
