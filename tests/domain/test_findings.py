"""Acknowledging a warn, overriding a block: recorded with who and when, bound to the values answered."""

from __future__ import annotations

import pytest

from fieldtool.domain.errors import NotAllowed
from fieldtool.domain.findings import Finding, acknowledge, is_resolved, open_findings, override
from fieldtool.domain.model import Severity
from tests.domain.factories import NOW

WARN = Finding("final-read", Severity.WARN, "outside the band", {"last_read": 1.0}, 900.0)
BLOCK = Finding("meter-form", Severity.BLOCK, "form differs", "2S", "12S")
INFO = Finding("program-id", Severity.INFO, "no program in plan", None, "P")


def test_open_findings_ignore_info():
    assert open_findings([WARN, BLOCK, INFO], [], []) == [WARN, BLOCK]


def test_acknowledge_a_warn_records_who_when_why():
    (ack,) = acknowledge([WARN, BLOCK], [], [], "final-read", reason="customer has solar", by="INS-042", at=NOW)
    assert (ack.finding, ack.reason, ack.by, ack.at) == (WARN, "customer has solar", "INS-042", NOW)
    assert open_findings([WARN, BLOCK], [ack], []) == [BLOCK]


def test_a_block_cannot_be_acknowledged():
    with pytest.raises(NotAllowed, match="block"):
        acknowledge([BLOCK], [], [], "meter-form", reason="fits anyway", by="INS-042", at=NOW)


def test_acknowledge_needs_a_reason_and_an_open_warning():
    with pytest.raises(NotAllowed, match="why"):
        acknowledge([WARN], [], [], "final-read", reason="  ", by="INS-042", at=NOW)
    with pytest.raises(NotAllowed, match="no open warning"):
        acknowledge([WARN], [], [], "han-ids", reason="r", by="INS-042", at=NOW)


def test_override_a_block_by_a_supervisor():
    (ov,) = override([BLOCK], [], [], "meter-form", supervisor="SUP-7", reason="adapter fitted", by="INS-042", at=NOW)
    assert (ov.supervisor, ov.by, ov.at) == ("SUP-7", "INS-042", NOW)
    assert open_findings([BLOCK], [], [ov]) == []


def test_override_refuses_own_code_missing_code_missing_reason_and_nothing_open():
    for kwargs, words in [
        ({"supervisor": "INS-042", "reason": "r"}, "own job"),
        ({"supervisor": "", "reason": "r"}, "supervisor"),
        ({"supervisor": "SUP-7", "reason": ""}, "why"),
    ]:
        with pytest.raises(NotAllowed, match=words):
            override([BLOCK], [], [], "meter-form", by="INS-042", at=NOW, **kwargs)
    with pytest.raises(NotAllowed, match="no open finding"):
        override([BLOCK], [], [], "han-ids", supervisor="SUP-7", reason="r", by="INS-042", at=NOW)


def test_an_answer_covers_only_the_values_it_answered():
    (ack,) = acknowledge([WARN], [], [], "final-read", reason="re-read twice", by="INS-042", at=NOW)
    reread = Finding("final-read", Severity.WARN, "outside the band", {"last_read": 1.0}, 950.0)
    assert is_resolved(WARN, [ack], []) and not is_resolved(reread, [ack], [])
    reworded = Finding("final-read", Severity.WARN, "new words", {"last_read": 1.0}, 900.0)
    assert is_resolved(reworded, [ack], [])
