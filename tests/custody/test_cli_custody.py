"""Custody and bench from the command line, as a warehouse or meter-shop script would run them."""

from __future__ import annotations

import json

from tests.conftest import cli_json, run_cli
from tests.custody.helpers import meter


def write_documents(tmp_path, n=20):
    order = {"document": "PO-9", "vendor": "Acme", "lines": [{"asset_type": "2S-CL200", "quantity": n,
                                                             "unit_price": 88.0}]}
    units = [{"asset_id": meter(i), "asset_type": "2S-CL200", "container": f"PAL-{i // 10}",
              "components": {"comm_module": f"CM{i:04d}"}} for i in range(n)]
    notice = {"document": "ASN-9", "po_number": "PO-9", "vendor": "Acme", "lot_number": "LOT-9", "units": units}
    (tmp_path / "po.json").write_text(json.dumps(order))
    (tmp_path / "asn.json").write_text(json.dumps(notice))


def received_in_store(n: int) -> None:
    """Notice LOT-9 (ASN-9) of ``n`` meters received at the warehouse, written straight to the profile's store."""
    from fieldtool.domain.receipt import ExpectedUnit, ScannedUnit, ShipNotice
    from fieldtool.services.custody import CustodyService
    from fieldtool.store.db import open_store

    with open_store() as store:
        custody = CustodyService(store)
        units = tuple(ExpectedUnit(meter(i), "2S-CL200") for i in range(n))
        custody.import_notice(ShipNotice("ASN-9", units, lot_number="LOT-9"), actor="edi")
        custody.receive("ASN-9", [ScannedUnit(meter(i)) for i in range(n)], actor="wh-1")


def test_custody_from_the_command_line(tmp_path):
    write_documents(tmp_path)
    assert cli_json("custody", "order", "import", str(tmp_path / "po.json")) == {
        "document": "PO-9", "lines": 1, "quantity": 20}
    out = cli_json("custody", "notice", "import", str(tmp_path / "asn.json"), "--actor", "edi")
    assert len(out["moved"]) == 20
    scans = tmp_path / "scans.txt"
    scans.write_text("\n".join([meter(i) + ",2S-CL200" for i in range(19)] + [meter(0), "XX1", "# end"]))
    rec = cli_json("custody", "receive", "ASN-9", "--scans", str(scans), "--actor", "wh-1")
    assert rec["missing"] == [meter(19)] and rec["extra"] == ["XX1"] and not rec["clean"]
    assert rec["duplicates"] == [{"asset_id": meter(0), "times": 2}] and len(rec["received"]) == 19
    assert rec["by_type"] == [{"asset_type": "2S-CL200", "ordered": 20, "received": 19}]

    # the missing meter arrives later, its carton label scanned (key:value packing label), with a bad label
    labels = tmp_path / "labels.txt"
    labels.write_text(f"CLASS: 200; QTY: 1; METERS: {meter(19)}; PO: PO-9\nsmudged\n")
    rec = cli_json("custody", "receive", "ASN-9", "--labels", str(labels), "--actor", "wh-1")
    assert rec["received"] == [meter(19)] and "'smudged'" in rec["label_problems"][0] and not rec["clean"]

    # a pallet, with one exception scanned
    out = cli_json("custody", "move", "release", "--container", "PAL-0", "--except", meter(4), "--actor", "wh-1",
                   "--location", "warehouse", "--document", "REL-1")
    assert out["excepted"] == [meter(4)] and len(out["moved"]) == 9

    out = cli_json("custody", "move", "release", "--packing-label", f"CLASS: 200; QTY: 2; METERS: {meter(10)} "
                   f"{meter(11)}", "--actor", "wh-1", "--location", "warehouse", "--document", "REL-2")
    assert out["moved"] == [meter(10), meter(11)]

    r = run_cli("custody", "move", "install", meter(4), "--actor", "x", "--location", "ISP1", "--document", "WO-1",
                "--json")
    assert r.returncode == 1 and "received at warehouse" in json.loads(r.stdout)["error"]

    h = cli_json("custody", "history", meter(1))
    assert h["asset"]["state"] == "released" and h["asset"]["value"] == 88.0
    assert [m["move"] for m in h["moves"]] == ["ship_by_vendor", "receive_at_warehouse", "release"]
    assert h["moves"][2]["document"] == "REL-1" and h["moves"][2]["action_taken"] == "PlacedIntoInventory"
    r = run_cli("custody", "history", "NOPE", "--json")
    assert r.returncode == 1 and "not known" in json.loads(r.stdout)["error"]

    table = cli_json("custody", "moves")
    assert {"move": "salvage", "from": ["returned"], "to": "salvaged", "action_taken": "Retired",
            "other_kind": None} in table


def test_bench_plan_shape_and_refusal():
    assert cli_json("bench", "plan", "--lot-size", "60") == {
        "lot_size": 60, "code_letter": "E", "plan_letter": "E", "scheme": "single", "n": 13, "ac": 0, "re": 1}
    assert cli_json("bench", "plan", "--lot-size", "8") == {
        "lot_size": 8, "code_letter": "A", "plan_letter": "E", "scheme": "100%"}
    r = run_cli("bench", "plan", "--lot-size", "1", "--json")
    assert r.returncode == 1 and "cannot be sampled" in json.loads(r.stdout)["error"]


def test_bench_lot_from_the_command_line(tmp_path, fieldtool_home):
    # This utility samples on accuracy alone (meters without a service switch, comms checked elsewhere).
    (fieldtool_home / "config").mkdir(parents=True)
    (fieldtool_home / "config" / "fieldtool.toml").write_text(
        '[bench]\nrequired_tests = ["accuracy"]\naccuracy_class = 0.5\n')
    received_in_store(20)  # the custody commands have their own test above

    assert cli_json("bench", "lot", "receive", "LOT-9", "--document", "ASN-9", "--actor", "wh-1")["lot_size"] == 20
    plan = cli_json("bench", "lot", "plan", "LOT-9", "--seed", "2026", "--actor", "shop-1")
    assert plan["plan"]["scheme"] == "single" and plan["seed"] == 2026
    picks = plan["pick_list"]
    (tmp_path / "picks.txt").write_text("\n".join(picks))
    assert len(cli_json("bench", "lot", "pick", "LOT-9", "--scans", str(tmp_path / "picks.txt"),
                        "--actor", "wh-1")["moved"]) == 13
    cli_json("bench", "lot", "check-in", "LOT-9", "--scans", str(tmp_path / "picks.txt"), "--actor", "shop-1")
    board = tmp_path / "board.csv"
    board.write_text("meter_number,full_load_pct,light_load_pct,power_factor_pct\n" + "".join(
        f"{m},100.01,{99.2 if k == 0 else 99.95},100.2\n" for k, m in enumerate(picks)))
    results = cli_json("bench", "lot", "accuracy", "LOT-9", "--csv", str(board), "--actor", "shop-1")
    assert [r["verdict"] for r in results] == ["failed"] + ["passed"] * 12
    d = cli_json("bench", "lot", "decide", "LOT-9", "--actor", "lead")
    assert (d["decision"], d["defects"], d["status"]) == ("reject", 1, "rejected")
    status = cli_json("bench", "lot", "status", "LOT-9")
    assert status["samples"][0]["tests"]["han"]["outcome"] == "not_run"
    assert status["samples"][0]["tests"]["accuracy"]["reasons"] == ["light_load error -0.800 % beyond ±0.5 %"]
    back = cli_json("bench", "lot", "return-to-vendor", "LOT-9", "--document", "RMA-3", "--actor", "wh-1")
    assert len(back["moved"]) == 20
    html = cli_json("bench", "lot", "report", "LOT-9", "--out", str(tmp_path / "lot.html"))
    text = (tmp_path / "lot.html").read_text()
    assert html["bytes"] > 1000 and "REJECTED" in text and "2026" in text and picks[0] in text
    pdf = cli_json("bench", "lot", "report", "LOT-9", "--out", str(tmp_path / "lot.pdf"))
    assert (tmp_path / "lot.pdf").read_bytes().startswith(b"%PDF") and pdf["bytes"] > 1000
