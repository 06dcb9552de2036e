import json

from fieldtool import __version__
from tests.conftest import cli_json, run_cli


def test_version():
    r = run_cli("--version")
    assert r.returncode == 0
    assert __version__ in r.stdout


def test_config_init_then_show(fieldtool_home):
    out = cli_json("config", "init")
    assert out["written"].startswith(str(fieldtool_home))
    shown = cli_json("config", "show")
    assert shown["checks"]["gps_distance_m"] == 100.0


def test_unknown_config_key_is_refused_in_words(fieldtool_home):
    (fieldtool_home / "config").mkdir(parents=True)
    (fieldtool_home / "config" / "fieldtool.toml").write_text("[checks]\ngps_distnce_m = 3\n")
    r = run_cli("config", "show", "--json")
    assert r.returncode == 1
    assert "gps_distnce_m" in r.stderr
    assert "error" in json.loads(r.stdout)
