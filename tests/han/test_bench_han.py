"""The HAN device bench test (I1FR39): devices joined and configured through the bench meter's ESI over the
optical port, recorded as the unit's ``han`` bench test."""

from __future__ import annotations

import pytest

from fieldtool.devices.han import OpticalHanTransport
from fieldtool.devices.meter import MeterLink
from fieldtool.domain.bench import BenchSettings, BenchTest, Outcome
from fieldtool.domain.errors import InputError
from fieldtool.domain.receipt import ScannedUnit
from fieldtool.services.bench import BenchService
from fieldtool.services.bench_han import parse_device
from fieldtool.services.custody import CustodyService
from fieldtool.services.han import HanService
from fieldtool.store.db import open_store
from tests.custody.helpers import SteppingClock, meter, notice, order
from tests.han.conftest import CLOCK, INSTALLER, OPTICAL, SETTINGS
from tests.han.test_provisioning import LCS, LCS_CODE, PCT, FakeVault

LOT = "LOT-H"


@pytest.fixture
def bench_env(tmp_path, han_meter):
    store = open_store(tmp_path / "ft.db")
    custody = CustodyService(store, clock=SteppingClock())
    bench = BenchService(store, custody=custody, clock=SteppingClock(), settings=BenchSettings(switch_settle_s=0.5))
    custody.import_order(order(3))
    custody.import_notice(notice(3, lot=LOT), actor="edi")
    custody.receive("ASN-1", [ScannedUnit(meter(i)) for i in range(3)], actor="wh-1")
    bench.receive_lot(LOT, None, document="ASN-1", actor="wh-1")
    sample = bench.plan(LOT, actor="shop-1", seed=7)["pick_list"]
    bench.pick(LOT, sample, actor="wh-1")
    bench.check_in(LOT, sample, actor="shop-1")
    links = []

    def transport():
        _, url = han_meter()
        link = MeterLink(url, settings=OPTICAL, password=INSTALLER)
        links.append(link)
        return OpticalHanTransport(link, SETTINGS)

    vault = FakeVault()
    yield bench, HanService(store, settings=SETTINGS, clock=CLOCK, vault=vault), transport, sample, vault
    for link in links:
        link.close()
    store.close()


def test_a_han_device_is_joined_configured_and_recorded_as_passed(bench_env):
    bench, han, transport, sample, vault = bench_env
    unit = sample[0]
    out = bench.run_han(LOT, unit, han, transport(), [parse_device(f"{LCS}:{LCS_CODE}", ("load_control",))],
                        actor="shop-1")
    assert out["test"] == "han" and out["outcome"] == "passed"
    assert bench.outcomes(LOT, unit)[BenchTest.HAN] is Outcome.PASSED
    (row,) = [s for s in bench.status(LOT)["samples"] if s["asset_id"] == unit]
    han_result = row["tests"]["han"]
    assert han_result["outcome"] == "passed" and han_result["reasons"] == []
    assert han_result["devices"][0]["rung"] == "participating" and han_result["han_job"] == f"bench-{LOT}"
    assert f"han/{LCS}/link_key" in vault.secrets  # the key went to the vault, not into the result
    assert all(LCS_CODE not in str(v) for v in han_result.values())
    log = han.history(f"bench-{LOT}")
    assert any(e["kind"] == "sent" and e["eui64"] == LCS for e in log)


def test_a_device_that_does_not_join_fails_the_unit_with_guidance(bench_env):
    bench, han, transport, sample, _ = bench_env
    wrong = "1122334455667788" + "4AF7"  # a valid code, but not this switch's
    out = bench.run_han(LOT, sample[0], han, transport(), [parse_device(f"{LCS}:{wrong}")], actor="shop-1")
    assert out["outcome"] == "failed"
    (row,) = [s for s in bench.status(LOT)["samples"] if s["asset_id"] == sample[0]]
    assert "wrong_key" in row["tests"]["han"]["reasons"][0]


def test_without_devices_the_esi_is_tested_alone(bench_env):
    bench, han, transport, sample, _ = bench_env
    # the demo premises have devices asking to join that the meter has no credentials for: findings
    out = bench.run_han(LOT, sample[1], han, transport(), [], actor="shop-1")
    assert out["outcome"] == "failed"
    (row,) = [s for s in bench.status(LOT)["samples"] if s["asset_id"] == sample[1]]
    assert any("not_provisioned" in r for r in row["tests"]["han"]["reasons"])
    assert any(d["eui64"] == PCT for d in row["tests"]["han"]["devices"])


def test_device_text_is_checked():
    assert parse_device(PCT).install_code is None
    with pytest.raises(InputError):
        parse_device(":ABC")


def test_bench_lot_han_test_command(han_meter, fieldtool_home):
    from tests.conftest import cli_json, run_cli
    from tests.han.test_cli_han import _config

    _config(fieldtool_home)
    _, url = han_meter()
    with open_store() as store:
        custody = CustodyService(store)
        bench = BenchService(store, custody=custody)
        custody.import_notice(notice(2, lot=LOT), actor="edi")
        custody.receive("ASN-1", [ScannedUnit(meter(0)), ScannedUnit(meter(1))], actor="wh")
        bench.receive_lot(LOT, None, document="ASN-1", actor="wh")
        sample = bench.plan(LOT, actor="shop", seed=5)["pick_list"]
        bench.pick(LOT, sample, actor="wh")
        bench.check_in(LOT, sample, actor="shop")
    out = cli_json("bench", "lot", "han-test", LOT, sample[0], "--port", url, "--device", f"{LCS}:{LCS_CODE}",
                   "--program", "load_control", "--actor", "shop")
    assert (out["test"], out["outcome"]) == ("han", "passed")
    status = cli_json("bench", "lot", "status", LOT)
    (row,) = [s for s in status["samples"] if s["asset_id"] == sample[0]]
    assert row["tests"]["han"]["devices"][0]["eui64"] == LCS
    refused = run_cli("bench", "lot", "han-test", "NO-LOT", sample[0], "--port", url, "--actor", "shop")
    assert refused.returncode == 1 and "NO-LOT" in refused.stderr
