"""A form for one workflow event, built from the event's own fields (the transition table is the only source).

Text and numbers are line edits (a keyboard-wedge scanner types into them like a keyboard), enums are drop
downs, lists of enums are check boxes, yes/no is a check box, a position is latitude / longitude / accuracy.
Fields only a machine fills (verdict ids, the meter's event log) are not shown. ``values()`` returns the
JSON the service takes; the service checks it and says in words what is wrong.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from enum import Enum
from typing import Any, get_type_hints

from fieldtool.domain.model import Position
from fieldtool.ui.qt import (
    QCheckBox,
    QComboBox,
    QCoreApplication,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QWidget,
)
from fieldtool.ui.workflow_words import workflow_text

HIDDEN = {"verdict_ids", "log", "channels"}


def _plain(tp):
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else tp
    return tp


def _words(name: str) -> str:
    return name.replace("_", " ").capitalize()


class EventForm(QGroupBox):
    def __init__(self, spec, event_cls: type, parent: QWidget | None = None):
        super().__init__(workflow_text(spec.label), parent)
        self.spec = spec
        self.setAccessibleName(workflow_text(spec.label))
        self.form = QFormLayout(self)
        self.getters: dict[str, typing.Callable[[], Any]] = {}
        self.edits: dict[str, QLineEdit] = {}  # text fields by input name (a scan or a photo id lands here)
        hints = get_type_hints(event_cls)
        for f in dataclasses.fields(event_cls):
            if f.name in HIDDEN:
                continue
            self._add(f.name, _plain(hints[f.name]))

    def _add(self, name: str, tp) -> None:
        label = workflow_text(_words(name))
        origin = typing.get_origin(tp)
        if tp is bool:
            box = QCheckBox(label)
            box.setAccessibleName(label)
            self.form.addRow(box)
            self.getters[name] = box.isChecked
        elif isinstance(tp, type) and issubclass(tp, Enum):
            combo = QComboBox()
            combo.setAccessibleName(label)
            combo.addItems([str(m.value) for m in tp])
            self.form.addRow(label, combo)
            self.getters[name] = combo.currentText
        elif origin in (tuple, list) and isinstance(typing.get_args(tp)[0], type) and issubclass(
                typing.get_args(tp)[0], Enum):
            row, boxes = QHBoxLayout(), []
            for m in typing.get_args(tp)[0]:
                box = QCheckBox(_words(str(m.value)))
                box.setAccessibleName(f"{label}: {m.value}")
                box.setProperty("value", str(m.value))
                row.addWidget(box)
                boxes.append(box)
            self.form.addRow(label, row)
            self.getters[name] = lambda boxes=boxes: [b.property("value") for b in boxes if b.isChecked()]
        elif tp is Position:
            edits = {k: self._line(f"{label} {k}") for k in ("lat", "lon", "accuracy_m")}
            row = QHBoxLayout()
            for e in edits.values():
                row.addWidget(e)
            self.form.addRow(label, row)
            self.getters[name] = lambda edits=edits: self._position(edits)
        elif origin in (tuple, list):
            edit = self._line(QCoreApplication.translate("EventForm", "{label} (separate with commas)").format(
                label=label))
            self.edits[name] = edit
            self.form.addRow(label, edit)
            self.getters[name] = lambda edit=edit: [p.strip() for p in edit.text().split(",") if p.strip()]
        else:
            edit = self._line(label)
            self.edits[name] = edit
            if tp is datetime:
                edit.setPlaceholderText(QCoreApplication.translate("EventForm", "now, or 2026-11-26T09:30:00Z"))
            self.form.addRow(label, edit)
            self.getters[name] = lambda edit=edit, tp=tp: self._scalar(edit.text().strip(), tp)

    @staticmethod
    def _line(name: str) -> QLineEdit:
        e = QLineEdit()
        e.setAccessibleName(name)
        e.setPlaceholderText(name)
        return e

    @staticmethod
    def _scalar(text: str, tp) -> Any:
        if text == "":
            return None
        if tp in (float, int):
            try:
                return tp(text) if tp is int else float(text.replace(",", "."))
            except ValueError:
                return text  # the service names the field and says it must be a number
        return text

    @staticmethod
    def _position(edits: dict[str, QLineEdit]) -> dict | None:
        values = {k: e.text().strip() for k, e in edits.items()}
        if not values["lat"] and not values["lon"]:
            return None
        out: dict[str, Any] = {"source": "manual"}
        for k, v in values.items():
            if v:
                try:
                    out[k] = float(v.replace(",", "."))
                except ValueError:
                    out[k] = v
        return out

    def set_value(self, name: str, text: str) -> bool:
        """Fill a text field (a scan lands here); False when the event has no such text field."""
        edit = self.edits.get(name)
        if edit is None:
            return False
        edit.setText(text)
        return True

    def values(self) -> dict[str, Any]:
        out = {}
        for name, get in self.getters.items():
            v = get()
            if v is None or v == [] or (v is False and not self._required(name)):
                continue
            out[name] = v
        return out

    def _required(self, name: str) -> bool:
        return any(i.name == name and i.required for i in self.spec.inputs)
