"""``fieldtool scan decode`` and ``fieldtool label`` end to end, both backends."""

from __future__ import annotations

import json
import random

import cv2
import pytest

from tests.conftest import cli_json, run_cli
from tests.scanning import labelsynth as ls


@pytest.fixture(scope="module")
def pictures(tmp_path_factory):
    d = tmp_path_factory.mktemp("pics")
    rng = random.Random(11)
    out = []
    for kind in ("Code128", "QRCode", "GS1-128"):
        s = ls.sample(kind, 3, rng, size=(1280, 720), degradations=("rotation", "jpeg"))
        path = d / f"{kind}.jpg"
        cv2.imwrite(str(path), s.image)
        out.append((path, s))
    blank = d / "blank.png"
    cv2.imwrite(str(blank), s.image[:40, :40] * 0 + 200)
    return out, blank


@pytest.mark.parametrize("backend", ["zxing", "zbar"])
def test_scan_decode_json(pictures, backend):
    pics, blank = pictures
    out = cli_json("scan", "decode", *[str(p) for p, _ in pics], str(blank), "--backend", backend)
    assert [o["file"] for o in out] == [str(p) for p, _ in pics] + [str(blank)]
    for (_, sample), o in zip(pics, out, strict=False):
        assert [(s["symbology"], s["text"]) for s in o["symbols"]] == [(sample.symbology, sample.text)]
        assert {"symbology", "text", "gs1"} <= set(o["symbols"][0])
    assert out[2]["symbols"][0]["gs1"] is (True if backend == "zxing" else None)
    assert out[3]["symbols"] == []


def test_scan_decode_refuses_what_is_not_a_picture(tmp_path, pictures):
    r = run_cli("scan", "decode", str(tmp_path / "missing.jpg"), "--json")
    assert r.returncode == 1 and "missing or not a picture" in json.loads(r.stdout)["error"]
    pics, _ = pictures
    out = cli_json("scan", "decode", str(pics[0][0]), str(tmp_path / "missing.jpg"))
    assert out[1]["symbols"] == [] and "missing" in out[1]["error"]


def test_label_parse_and_install_code_cli():
    out = cli_json("label", "parse", "1AL0000004210222R")
    assert out["kind"] == "meter_number" and out["meanings"]["manufacturer"] == "Landis+Gyr"
    out = cli_json("label", "parse", "0109501101530003\\x1d10LOT7", "--gs1")
    assert out["kind"] == "packing" and out["fields"]["lot_number"] == "LOT7"
    out = cli_json("label", "parse", "Z:943469FFFE05CE55$I:FC5ECD1E8DFD3E0603E3689F8D0226BBF80C")
    assert out["kind"] == "install_code" and out["valid"] is False and out["fields"]["crc_ok"] is False
    out = cli_json("label", "install-code", "83fe d340 7a93 9723 a5c6 39b2 6916 d505 c3b5")
    assert out["crc_ok"] is True and out["grouped"].startswith("83FE D340")


def test_label_rules_come_from_the_configuration(fieldtool_home):
    (fieldtool_home / "config").mkdir(parents=True)
    (fieldtool_home / "config" / "fieldtool.toml").write_text(
        '[scanning]\nmeter_number_pattern = "^(?P<manufacturer>[A-Z]{2})(?P<serial>\\\\d{8})$"\n'
        '[scanning.meter_number_codes.manufacturer]\nIT = "Itron"\n', encoding="utf-8")  # fmt: skip
    out = cli_json("label", "parse", "IT12345678")
    assert out["kind"] == "meter_number" and out["meanings"] == {"manufacturer": "Itron"}


def test_scan_decode_with_the_label_parsed(pictures):
    pics, _ = pictures
    out = cli_json("scan", "decode", str(pics[2][0]), "--parse")
    label = out[0]["symbols"][0]["label"]
    assert label["kind"] == "packing" and label["fields"]["gtin"] == "09501101530003"


def test_scan_serial_streams_each_code_from_a_tcp_scanner():
    import socket
    import threading

    srv = socket.create_server(("127.0.0.1", 0))

    def serve():
        conn, _ = srv.accept()
        with conn:
            threading.Event().wait(0.5)  # the trigger is pulled after the port is open
            conn.sendall(b"1AL0000004210222R\r\nSN12345678\r")
            threading.Event().wait(5)

    threading.Thread(target=serve, daemon=True).start()
    try:
        r = run_cli("scan", "serial", "--port", f"socket://127.0.0.1:{srv.getsockname()[1]}", "--seconds", "1.5",
                    "--parse", "--json")  # fmt: skip
    finally:
        srv.close()
    assert r.returncode == 0, r.stderr
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert [(x["text"], x["source"], x["label"]["kind"]) for x in lines] == [
        ("1AL0000004210222R", "serial", "meter_number"), ("SN12345678", "serial", "manufacturer_serial")]
    r = run_cli("scan", "serial", "--json")
    assert r.returncode == 1 and "No serial scanner is configured" in r.stderr
