"""`fieldtool radio ...` and `fieldtool coverage ...` end to end: a child process against the simulators."""

from __future__ import annotations

import csv
import io
import json

import pytest

from fieldtool.cli import main
from tests.conftest import cli_json, run_cli


@pytest.fixture
def cli(capsys):
    """The same commands in this process (a child process per command costs a second on a loaded machine;
    the child-process path is covered by the tests that use ``cli_json``/``run_cli``)."""
    def run(*args: str):
        capsys.readouterr()
        code = main([*args, "--json"])
        out = capsys.readouterr().out
        assert code == 0, out
        return json.loads(out)
    return run


@pytest.fixture
def refused(capsys):
    """Run a command in this process that must be refused: exit 1, reason on stderr, {"error"} on stdout."""
    def run(*args: str) -> str:
        capsys.readouterr()
        code = main([*args, "--json"])
        captured = capsys.readouterr()
        assert code == 1 and "error" in json.loads(captured.out), captured
        return captured.err
    return run


def test_radio_survey_cellular(modem_url):
    out = cli_json("radio", "survey", "--plugin", "gprs", "--port", modem_url())
    assert out["plugin"] == "gprs" and out["technology"] == "gprs"
    assert out["registration"] == "registered, home network" and out["operator"] == "Northwind Mobile"
    assert -110 < out["signal_dbm"] < -85 and out["device"]["vendor"] == "Quectel"
    assert out["neighbours"][0]["role"] == "cell"


def test_radio_survey_and_link_test_rf_mesh(cli, dongle_url):
    url = dongle_url("rf_mesh")
    survey = cli("radio", "survey", "--plugin", "rf_mesh", "--port", url)
    assert [n["id"] for n in survey["neighbours"]][:1] == ["C-101"]
    link = cli("radio", "link-test", "--plugin", "rf_mesh", "--port", url, "--target", "ami", "--count", "4")
    assert (link["target"], link["sent"], link["via"]) == ("ami", 4, "C-101")
    assert link["loss_pct"] <= 25 and link["rtt_ms"]["avg"] > 15
    status = cli("radio", "meter-status", "--plugin", "rf_mesh", "--port", url, "--target", "00124B00AABBCCDD")
    assert status["state"] == "registered"


def test_radio_link_test_cellular_and_time(cli, modem_url):
    url = modem_url()
    link = cli("radio", "link-test", "--plugin", "gprs", "--port", url, "--target", "headend.ami.example",
                    "--count", "3")
    assert link["received"] == 3 and link["via"] == "cellular"
    t = cli("radio", "time", "--plugin", "gprs", "--port", url)
    assert t["source"] == "cellular network (NITZ)" and abs(t["offset_s"]) < 3


def test_radio_refusals_in_words(modem_url, refused):
    r = run_cli("radio", "survey", "--plugin", "gprs", "--port", modem_url(sim="absent"), "--json")
    assert r.returncode == 1 and "SIM not inserted" in r.stderr and "error" in json.loads(r.stdout)
    assert "no radio plug-in called 'zigbee'" in refused("radio", "survey", "--plugin", "zigbee", "--port", "loop://")
    assert "cannot run a link test" in refused("radio", "link-test", "--plugin", "gprs", "--port",
                                               modem_url(supports_qping=False), "--target", "x")


def test_coverage_test_then_export_geojson_and_csv(cli, dongle_url, tmp_path):
    url = dongle_url("plc")
    report = cli("coverage", "test", "--technology", "plc", "--port", url, "--meter-address", "00124B00AABBCCDD",
                      "--meter-number", "AMI0000001", "--job-id", "WO-9", "--lat", "45.5017", "--lon", "-73.5673",
                      "--accuracy", "4.5")
    assert report["verdict"] == "adequate" and report["metric"] == "snr_db" and report["via"] == "DC-7"
    geo = cli("coverage", "export", "--format", "geojson")
    (feature,) = geo["features"]
    assert geo["type"] == "FeatureCollection" and feature["id"] == report["id"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [-73.5673, 45.5017]}
    assert feature["properties"]["verdict"] == "adequate" and feature["properties"]["accuracy_m"] == 4.5
    r = run_cli("coverage", "export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert r.returncode == 0 and len(rows) == 1 and rows[0]["job_id"] == "WO-9" and rows[0]["technology"] == "plc"
    out = tmp_path / "cov.csv"
    written = cli("coverage", "export", "--format", "csv", "--out", str(out), "--job-id", "WO-9")
    assert written == {"written": str(out), "format": "csv", "count": 1}
    assert out.read_text().startswith("id,measured_at,job_id")
    assert cli("coverage", "export", "--format", "geojson", "--job-id", "other")["features"] == []
    listed = cli("coverage", "list", "--technology", "plc")
    assert [x["id"] for x in listed] == [report["id"]]
    plot = cli("coverage", "plot")
    assert plot["counts"] == {"adequate": 1} and plot["points"][0]["x_m"] == 0.0


def test_coverage_refusals(refused):
    assert "No port is configured for the rf_mesh radio" in refused("coverage", "test", "--technology", "rf_mesh")
    assert "both --lat and --lon" in refused("coverage", "test", "--technology", "rf_mesh", "--port", "loop://",
                                             "--lat", "1")
    assert "not an ISO 8601 time" in refused("coverage", "export", "--format", "csv", "--since", "yesterday")


def test_watch_commands(cli, dongle_url):
    started = cli("coverage", "watch", "--job-id", "WO-5", "--meter-number", "AMI5", "--technology", "rf_mesh",
                       "--meter-address", "00124B00AABBCCDD")
    assert started["attempts"] == 0 and started["outcome"] is None
    assert [w["job_id"] for w in cli("coverage", "watches")] == ["WO-5"]
    # not due for 15 minutes: nothing is checked yet
    assert cli("coverage", "watch-run", "--plugin", "rf_mesh", "--port", dongle_url()) == []


def test_watch_run_checks_a_due_meter_over_the_air(cli, dongle_url, fieldtool_home):
    (fieldtool_home / "config").mkdir(parents=True)
    (fieldtool_home / "config" / "fieldtool.toml").write_text("[radio]\nregistration_retry_interval_s = 0\n")
    cli("coverage", "watch", "--job-id", "WO-6", "--meter-number", "AMI6", "--meter-address", "00124B00AABBCCDD")
    (done,) = cli("coverage", "watch-run", "--plugin", "rf_mesh", "--port", dongle_url())
    assert (done["attempts"], done["last_state"], done["outcome"]) == (1, "registered", "registered")
    assert cli("coverage", "watches") == []


def test_radio_probe_finds_the_plugin_for_each_radio(cli, refused, modem_url, dongle_url, clock):
    from fieldtool.radio.registry import probe_port

    found = cli("radio", "probe", "--port", dongle_url("plc"))
    assert found["plugin"] == "plc" and found["device"]["technology"] == "plc"
    plugin, info = probe_port(modem_url(), clock=clock)  # the dongle drivers say "no" first
    assert plugin.name == "gprs" and info.model == "BG96"
    assert "cannot be opened" in refused("radio", "survey", "--plugin", "gprs", "--port", "socket://127.0.0.1:1")
