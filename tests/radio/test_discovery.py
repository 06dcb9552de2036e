"""Plug-in discovery: manifest checked before import, broken and incompatible plug-ins reported and skipped."""

from __future__ import annotations

import logging
import sys
import uuid
from importlib.metadata import EntryPoint

import pytest

from fieldtool.radio import PluginError, RadioDriver
from fieldtool.radio.manifest import Manifest, compatible, parse_manifest
from fieldtool.radio.registry import GROUP, discover
from tests.conftest import cli_json

GOOD_CODE = '''
from fieldtool.radio.dongle import DongleDriver

class Driver(DongleDriver):
    name = "{name}"
    technologies = ("pager",)
    technology = "pager"
'''


def make_plugin(root, *, manifest: str | None, code: str = GOOD_CODE, name: str | None = None) -> tuple[str, str]:
    """A package on sys.path; returns (entry-point name, package name)."""
    ep_name = name or f"vendor_{uuid.uuid4().hex[:8]}"
    package = f"pkg_{ep_name}"
    folder = root / package
    folder.mkdir()
    (folder / "__init__.py").write_text(code.format(name=ep_name))
    if manifest is not None:
        (folder / "manifest.toml").write_text(manifest.format(name=ep_name))
    return ep_name, package


MANIFEST = 'name = "{name}"\nversion = "0.3.1"\napi = ["1.0"]\ntechnologies = ["pager"]\n'


@pytest.fixture
def plugin_root(tmp_path, monkeypatch):
    root = tmp_path / "site"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    return root


def ep(name: str, package: str, attr: str = "Driver") -> EntryPoint:
    return EntryPoint(name, f"{package}:{attr}", GROUP)


def test_built_in_plugins_are_found_through_the_entry_points():
    found = discover()
    assert {"gprs", "rf_mesh", "plc"} <= set(found.plugins)
    assert found.for_technology("gprs").name == "gprs"
    assert found.for_technology("plc").manifest.version == "1.0.0"
    assert issubclass(found.get("rf_mesh").driver, RadioDriver)


def test_a_good_vendor_plugin_loads(plugin_root):
    name, pkg = make_plugin(plugin_root, manifest=MANIFEST)
    found = discover([ep(name, pkg)])
    assert found.errors == []
    assert found.for_technology("pager").driver.__module__ == pkg


def test_incompatible_api_is_refused_before_import(plugin_root):
    name, pkg = make_plugin(plugin_root, manifest=MANIFEST.replace('["1.0"]', '["2.0"]'),
                            code="raise SystemExit('this plug-in must never be imported')\n")
    found = discover([ep(name, pkg)])
    assert name not in found.plugins
    (error,) = found.errors
    assert "written for plug-in API 2.0" in error.message and "offers 1.0" in error.message
    assert pkg not in sys.modules


def test_api_minor_versions(plugin_root):
    m = parse_manifest(MANIFEST.format(name="x").replace('["1.0"]', '["1.1"]'), "test")
    assert not compatible(m, "1.0") and compatible(m, "1.3")
    name, pkg = make_plugin(plugin_root, manifest=MANIFEST.replace('["1.0"]', '["1.2", "2.0"]'))
    assert name in discover([ep(name, pkg)], host_api="1.4").plugins


def test_broken_plugin_is_reported_once_in_words_and_the_others_still_load(plugin_root, caplog):
    broken, bpkg = make_plugin(plugin_root, manifest=MANIFEST, code="import no_such_radio_library\n")
    good, gpkg = make_plugin(plugin_root, manifest=MANIFEST)
    eps = [ep(broken, bpkg), ep(good, gpkg)]
    with caplog.at_level(logging.WARNING, logger="fieldtool.radio.registry"):
        first = discover(eps)
        second = discover(eps)
    assert good in first.plugins and good in second.plugins
    (error,) = first.errors
    assert error.plugin == broken
    assert "importing" in error.message and "No module named 'no_such_radio_library'" in error.message
    assert len([r for r in caplog.records if broken in r.getMessage()]) == 1
    with pytest.raises(PluginError, match="could not be loaded"):
        first.get(broken)


@pytest.mark.parametrize(
    ("manifest", "code", "words"),
    [
        (None, GOOD_CODE, "has no manifest.toml"),
        ("name = [", GOOD_CODE, "not valid TOML"),
        ('name = "other"\nversion = "1"\napi = ["1.0"]\ntechnologies = ["pager"]\n', GOOD_CODE, "its manifest calls it 'other'"),
        ('name = "{name}"\napi = ["1.0"]\ntechnologies = ["pager"]\n', GOOD_CODE, "lacks 'version'"),
        ('name = "{name}"\nversion = "1"\napi = ["one"]\ntechnologies = ["pager"]\n', GOOD_CODE, "not MAJOR.MINOR"),
        (MANIFEST, "Driver = 42\n", "is not a RadioDriver class"),
        (MANIFEST, "x = 1\n", "has no 'Driver'"),
        (MANIFEST.replace('["pager"]', '["pager", "zigbee"]'), GOOD_CODE, "does not declare"),
    ],
)
def test_each_kind_of_bad_plugin_is_skipped_with_a_reason(plugin_root, manifest, code, words):
    name, pkg = make_plugin(plugin_root, manifest=manifest, code=code)
    found = discover([ep(name, pkg)])
    assert found.plugins == {}
    assert words in found.errors[0].message


def test_missing_package_and_unknown_names():
    found = discover([EntryPoint("ghost", "no_such_package_xyz:Driver", GROUP)])
    assert "cannot be found" in found.errors[0].message or "not an installed package" in found.errors[0].message
    with pytest.raises(PluginError, match="no radio plug-in called 'nope'"):
        discover().get("nope")
    with pytest.raises(PluginError, match="No radio plug-in serves the technology 'pager'"):
        discover().for_technology("pager")


def test_manifest_fields():
    m = parse_manifest(MANIFEST.format(name="acme") + 'description = "Acme pager"\n', "x")
    assert m == Manifest("acme", "0.3.1", ("1.0",), ("pager",), "Acme pager", "")


def test_cli_lists_plugins_and_the_load_errors_of_installed_distributions(tmp_path):
    """A vendor's distribution installed beside fieldtool (a dist-info with entry points), one good, one
    for another API version: `radio list` shows both built-ins and the vendor's, and the error."""
    site = tmp_path / "vendor-site"
    site.mkdir()
    good, gpkg = make_plugin(site, manifest=MANIFEST, name="acme_pager")
    old, opkg = make_plugin(site, manifest=MANIFEST.replace('["1.0"]', '["0.9"]'), name="acme_legacy")
    dist = site / "acme_radios-0.3.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-radios\nVersion: 0.3.1\n")
    (dist / "entry_points.txt").write_text(f"[{GROUP}]\n{good} = {gpkg}:Driver\n{old} = {opkg}:Driver\n")
    out = cli_json("radio", "list", env={"PYTHONPATH": str(site)})
    names = {p["name"]: p for p in out["plugins"]}
    assert {"gprs", "rf_mesh", "plc", "acme_pager"} <= set(names)
    assert names["gprs"]["technologies"] == ["gprs", "cellular"]
    assert names["acme_pager"]["version"] == "0.3.1"
    (error,) = out["errors"]
    assert error["plugin"] == "acme_legacy" and "0.9" in error["error"]
