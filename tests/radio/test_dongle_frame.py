"""The dongle line protocol's framing: golden lines, resynchronisation, damaged lines, garbage."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtool.protocols.dongle import BadLine, LineDecoder, Message, encode, version_compatible
from fieldtool.protocols.dongle.frame import checksum


def test_golden_lines():
    # the examples of docs/radio-dongle-protocol.md
    assert encode(Message("1", "HELLO", {"proto": "1.0", "host": "fieldtool"})) == b"$1 HELLO proto=1.0 host=fieldtool*70\r\n"
    assert encode(Message("7", "PING", {"target": "ami", "count": "3"})) == b"$7 PING target=ami count=3*23\r\n"
    assert encode(Message("!", "EVT", {"kind": "boot"})) == b"$! EVT kind=boot*45\r\n"
    # spaces, '=', '*', '$', '%' and non-ASCII are percent-encoded
    line = encode(Message("12", "ERR", {"code": "503", "text": "no collector in range; 100% *sure* $x=y é"}))
    assert b" " not in line.split(b"text=")[1] and line.count(b"*") == 1 and line.count(b"$") == 1
    assert LineDecoder().feed(line) == [Message("12", "ERR", {"code": "503", "text": "no collector in range; 100% *sure* $x=y é"})]


def test_checksum_is_xor_between_dollar_and_star():
    body = b"1 HELLO proto=1.0 host=fieldtool"
    assert checksum(body) == 0x70


def test_resync_after_noise_and_cut_off_lines():
    d = LineDecoder()
    good = encode(Message("3", "OK", {"count": "2"}))
    out = d.feed(b"\x00\xffnoise" + b"$3 NODE id=C-1" + good + b"junk\r\n" + good[:5])
    assert out[0] == BadLine("line cut off", b"$3 NODE id=C-1")
    assert out[1] == Message("3", "OK", {"count": "2"})
    assert d.skipped_bytes > 0
    assert d.feed(good[5:]) == [Message("3", "OK", {"count": "2"})]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [(b"$3 OK count=2*00\r\n", "checksum mismatch"), (b"$3 OK count=2\r\n", "no checksum"),
     (b"$" + b"3 OK x=" + b"a" * 300 + b"*00\r\n", "line too long")],
)
def test_damaged_lines_are_reported_not_raised(raw, reason):
    (item,) = LineDecoder().feed(raw)
    assert isinstance(item, BadLine) and item.reason == reason


def test_bad_fields_and_versions():
    body = b"3 OK count"
    assert LineDecoder().feed(b"$" + body + b"*" + f"{checksum(body):02X}".encode() + b"\r\n")[0].reason.startswith("bad field")
    assert version_compatible("1.3") and not version_compatible("2.0") and not version_compatible("x")
    with pytest.raises(ValueError):
        encode(Message("12345", "OK"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=120), max_size=10))
def test_garbage_never_raises(chunks):
    d = LineDecoder()
    for c in chunks:
        for item in d.feed(c):
            assert isinstance(item, Message | BadLine)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True), st.text(max_size=20), max_size=4))
def test_round_trip(fields):
    msg = Message("42", "NODE", fields)
    try:
        line = encode(msg)
    except ValueError:  # longer than a line may be: refused before it reaches the wire
        return
    assert LineDecoder().feed(line) == [msg]


def test_every_example_line_of_the_protocol_document_is_valid():
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2] / "docs" / "radio-dongle-protocol.md"
    lines = [ln[ln.index("$"):].strip() for ln in doc.read_text(encoding="utf-8").splitlines()
             if ln.startswith(("host   →", "dongle ←"))]
    assert len(lines) == 8
    for line in lines:
        (item,) = LineDecoder().feed(line.encode("ascii") + b"\r\n")
        assert isinstance(item, Message), (line, item)
        assert encode(item) == line.encode("ascii") + b"\r\n"
