"""The foundation's documentation names every rule, step, event and input the code has."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from fieldtool.config import SECTIONS
from fieldtool.domain import exchange
from fieldtool.domain.checks import RULES
from fieldtool.domain.exchange_events import EVENTS

ROOT = Path(__file__).parents[2]
CLI = (ROOT / "docs/cli.md").read_text(encoding="utf-8")


def test_every_rule_step_event_and_input_is_in_cli_md():
    for rule in RULES:
        assert f"| `{rule}` |" in CLI, rule
    for step in exchange.Step:
        assert f"| `{step.value}` | {exchange.STEP_LABELS[step][0]} |" in CLI, step
    for name, cls in EVENTS.items():
        row = next(line for line in CLI.splitlines() if line.startswith(f"| `{name}` | {cls.label} |"))
        for i in exchange.inputs(cls):
            assert f"`{i.name}`" in row, (name, i.name)


def test_every_exchange_and_checks_key_is_documented():
    conf = (ROOT / "docs/configuration.md").read_text(encoding="utf-8")
    for section in ("checks", "exchange"):
        for f in dataclasses.fields(SECTIONS[section]):
            assert f"| `{f.name}` |" in conf, (section, f.name)


def test_soft_registration_doc_names_every_field():
    from fieldtool.domain import registration

    doc = (ROOT / "docs/soft-registration.md").read_text(encoding="utf-8")
    for f in dataclasses.fields(registration.SoftRegistration):
        assert f"`{f.name}" in doc, f.name
