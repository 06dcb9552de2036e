"""Adequate / marginal / none at the configured thresholds."""

from __future__ import annotations

import pytest

from fieldtool.config import Config
from fieldtool.domain.coverage import RadioSettings, Verdict, judge, signal_metric
from fieldtool.domain.errors import InputError

S = RadioSettings()


@pytest.mark.parametrize(
    ("technology", "metric", "value", "verdict"),
    [
        ("rf_mesh", "rssi_dbm", -90.0, Verdict.ADEQUATE),  # at the adequate threshold: adequate
        ("rf_mesh", "rssi_dbm", -90.1, Verdict.MARGINAL),
        ("rf_mesh", "rssi_dbm", -100.0, Verdict.MARGINAL),  # at the marginal threshold: marginal
        ("rf_mesh", "rssi_dbm", -100.1, Verdict.NONE),
        ("plc", "snr_db", 10.0, Verdict.ADEQUATE),
        ("plc", "snr_db", 9.9, Verdict.MARGINAL),
        ("plc", "snr_db", 4.0, Verdict.MARGINAL),
        ("plc", "snr_db", 3.9, Verdict.NONE),
        ("gprs", "rsrp_dbm", -105.0, Verdict.ADEQUATE),
        ("gprs", "rsrp_dbm", -115.0, Verdict.MARGINAL),
        ("gprs", "rsrp_dbm", -116.0, Verdict.NONE),
        ("gprs", "rssi_dbm", -85.0, Verdict.ADEQUATE),
        ("gprs", "rssi_dbm", -101.0, Verdict.MARGINAL),
        ("gprs", "rssi_dbm", -103.0, Verdict.NONE),
        ("rf_mesh", "rssi_dbm", None, Verdict.NONE),
    ],
)
def test_signal_thresholds(technology, metric, value, verdict):
    j = judge(technology, metric=metric, value=value, loss_pct=None, settings=S)
    assert j.verdict is verdict
    assert j.reasons and all(isinstance(r, str) for r in j.reasons)


@pytest.mark.parametrize(
    ("loss", "verdict"),
    [(0.0, Verdict.ADEQUATE), (10.0, Verdict.ADEQUATE), (10.1, Verdict.MARGINAL), (40.0, Verdict.MARGINAL),
     (40.1, Verdict.NONE), (100.0, Verdict.NONE)],
)
def test_loss_thresholds_with_a_strong_signal(loss, verdict):
    assert judge("rf_mesh", metric="rssi_dbm", value=-60.0, loss_pct=loss, settings=S).verdict is verdict


def test_the_worse_of_signal_and_loss_wins_and_reasons_say_why():
    j = judge("rf_mesh", metric="rssi_dbm", value=-95.0, loss_pct=50.0, settings=S)
    assert j.verdict is Verdict.NONE
    assert j.reasons == ("signal -95 dBm RSSI is below -90 but at or above -100",
                         "50 % of test packets lost (more than 40 %)")


def test_thresholds_come_from_the_configuration():
    cfg = Config({"radio": {"rf_adequate_rssi_dbm": -80, "rf_marginal_rssi_dbm": -85, "adequate_max_loss_pct": 0}})
    s = cfg.section("radio")
    assert judge("rf_mesh", metric="rssi_dbm", value=-84.0, loss_pct=0.0, settings=s).verdict is Verdict.MARGINAL
    assert judge("rf_mesh", metric="rssi_dbm", value=-70.0, loss_pct=5.0, settings=s).verdict is Verdict.MARGINAL
    assert s.registration_retry_interval_s == 900.0  # I1NFR3 default: 15 minutes
    with pytest.raises(InputError, match="rf_adequate_rssi"):
        Config({"radio": {"rf_adequate_rssi": -80}}).section("radio")


def test_metric_per_technology():
    assert signal_metric("plc", rssi=100.0, snr=12.0, rsrp=None) == ("snr_db", 12.0)
    assert signal_metric("gprs", rssi=-70.0, snr=None, rsrp=-96.0) == ("rsrp_dbm", -96.0)
    assert signal_metric("gprs", rssi=-70.0, snr=None, rsrp=None) == ("rssi_dbm", -70.0)
    assert signal_metric("rf_mesh", rssi=-80.0, snr=20.0, rsrp=None) == ("rssi_dbm", -80.0)
