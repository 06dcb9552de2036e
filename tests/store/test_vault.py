"""The vault: secrets encrypted at rest, keyring or passphrase, and never in clear in the files we write."""

from __future__ import annotations

import base64
import codecs
import json
import os
import secrets
import sqlite3
import subprocess
import sys
import urllib.parse

import keyring
import pytest
from keyring.backend import KeyringBackend

from fieldtool.config import paths
from fieldtool.domain.errors import InputError
from fieldtool.store.db import open_store
from fieldtool.store.vault import open_vault
from tests.conftest import cli_json, run_cli


class MemoryKeyring(KeyringBackend):
    """A working OS keyring, as the keyring library sees one, kept in memory."""

    priority = 10

    def __init__(self):
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password

    def delete_password(self, service, username):
        del self.entries[(service, username)]


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "s.db")
    yield s
    s.close()


@pytest.fixture
def memory_keyring(monkeypatch):
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    monkeypatch.delenv("FIELDTOOL_KEYRING")
    yield ring
    keyring.set_keyring(previous)


def test_secrets_round_trip_with_the_passphrase(store):
    vault = open_vault(store)
    assert vault.method == "passphrase"
    vault.set("meter:AMI-17:password", "0123456789ABCDEF0123")
    vault.set("backoffice:token", "eyJhbGciOi.ü-ß")
    assert open_vault(store).get("backoffice:token") == "eyJhbGciOi.ü-ß"
    assert vault.names() == ["backoffice:token", "meter:AMI-17:password"]
    vault.set("backoffice:token", "rotated")
    assert open_vault(store).get("backoffice:token") == "rotated"
    assert vault.delete("backoffice:token") and not vault.delete("backoffice:token")
    assert "backoffice:token" not in vault


def test_a_wrong_passphrase_is_refused_in_words(store, monkeypatch):
    open_vault(store).set("han:0013A20040B5F1C2:link_key", "66B6900981E1EE3CA4206B6B861C02BB")
    monkeypatch.setenv("FIELDTOOL_PASSPHRASE", "not the passphrase")
    with pytest.raises(InputError, match="The passphrase is wrong"):
        open_vault(store)
    assert open_vault(store, passphrase="test passphrase").get("han:0013A20040B5F1C2:link_key") == (
        "66B6900981E1EE3CA4206B6B861C02BB")


def test_without_a_passphrase_or_terminal_the_vault_says_what_to_do(monkeypatch):
    env = {k: v for k, v in os.environ.items() if k != "FIELDTOOL_PASSPHRASE"}
    # a new session has no controlling terminal, like CI or a service
    r = subprocess.run([sys.executable, "-m", "fieldtool", "secrets", "list", "--json"], env=env,
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, start_new_session=True,
                       timeout=60)
    assert r.returncode == 1
    assert json.loads(r.stdout)["error"].startswith("The vault needs its passphrase and there is no terminal")
    assert "FIELDTOOL_PASSPHRASE" in r.stderr
    r = run_cli("secrets", "list", "--json", env={"FIELDTOOL_PASSPHRASE": ""})
    assert r.returncode == 1 and "passphrase is empty" in r.stderr


def test_the_passphrase_is_asked_twice_when_the_vault_is_created(store, monkeypatch):
    monkeypatch.delenv("FIELDTOOL_PASSPHRASE")
    answers = iter(["correct horse", "correct hors"])
    with pytest.raises(InputError, match="differ"):
        open_vault(store, prompt=lambda _: next(answers))
    answers = iter(["correct horse", "correct horse"])
    open_vault(store, prompt=lambda _: next(answers)).set("a", "b")
    assert open_vault(store, prompt=lambda _: "correct horse").get("a") == "b"


def test_the_keyring_holds_the_key_when_one_works(store, memory_keyring, monkeypatch):
    vault = open_vault(store)
    assert vault.method == "keyring"
    vault.set("backoffice:token", "tok-123456")
    assert list(memory_keyring.entries)[0][0] == "fieldtool"
    monkeypatch.setenv("FIELDTOOL_PASSPHRASE", "anything")  # not needed, not used
    assert open_vault(store).get("backoffice:token") == "tok-123456"
    with pytest.raises(InputError, match="OS keyring, which is switched off"):
        open_vault(store, use_keyring=False)
    memory_keyring.entries.clear()
    with pytest.raises(InputError, match="no longer in the OS keyring"):
        open_vault(store)


def test_a_ciphertext_moved_to_another_name_does_not_decrypt(store):
    vault = open_vault(store)
    vault.set("a", "secret-a")
    vault.set("b", "secret-b")
    with store.transaction() as c:
        row = c.execute("SELECT nonce, ciphertext FROM vault_secrets WHERE name = 'a'").fetchone()
        c.execute("UPDATE vault_secrets SET nonce = ?, ciphertext = ? WHERE name = 'b'", row)
    with pytest.raises(InputError, match="damaged"):
        vault.get("b")


@pytest.mark.parametrize("name", ["", "has space", "x" * 129, "semi;colon"])
def test_unusable_names_are_refused(store, name):
    with pytest.raises(InputError, match="not a usable secret name"):
        open_vault(store).set(name, "v")


def test_missing_secret(store):
    with pytest.raises(InputError, match="no secret named nope"):
        open_vault(store).get("nope")


def encodings(value: str) -> list[bytes]:
    raw = value.encode()
    forms = [raw, value.encode("utf-16-le"), value.encode("utf-16-be"), raw.hex().encode(),
             raw.hex().upper().encode(), urllib.parse.quote(value).encode(), json.dumps(value).encode(),
             codecs.encode(value, "rot13").encode()]
    for pad in range(3):  # base64 of the value wherever it sits in a longer blob
        for enc in (base64.b64encode, base64.urlsafe_b64encode):
            forms.append(enc(b"\0" * pad + raw)[4:-4])
    return forms


def test_secrets_are_nowhere_in_clear_in_the_database_wal_or_logs(monkeypatch):
    values = {f"meter:AMI-{n}:password": f"PW-{secrets.token_hex(12)}" for n in range(3)}
    values["backoffice:token"] = "tok_" + secrets.token_urlsafe(24)
    for name, value in values.items():
        out = cli_json("secrets", "set", name, input=value + "\n")
        assert out == {"name": name, "stored": True}
    assert cli_json("secrets", "list") == {"names": sorted(values)}
    bad = run_cli("secrets", "list", "--json", env={"FIELDTOOL_PASSPHRASE": "wrong"})
    assert bad.returncode == 1 and "passphrase is wrong" in bad.stderr
    # keep a connection open with a fresh write so the WAL file exists while we look
    store = open_store()
    open_vault(store).set("han:0013A20040B5F1C2:link_key", values["backoffice:token"][::-1])
    values["han"] = values["backoffice:token"][::-1]
    values["the passphrase itself"] = os.environ["FIELDTOOL_PASSPHRASE"]
    p = paths()
    files = [p.database, p.database.with_name(p.database.name + "-wal"), *p.log_dir.glob("*")]
    assert files[1].exists() and files[1].stat().st_size > 0
    assert any(f.name.startswith("fieldtool.log") for f in p.log_dir.iterdir())
    for f in files:
        blob = f.read_bytes()
        for value in values.values():
            for form in encodings(value):
                assert form not in blob, f"{value!r} found in {f.name}"
    assert b"meter:AMI-0:password" in p.database.read_bytes() + files[1].read_bytes()  # names are not secret
    assert "secret meter:AMI-0:password stored" in (p.log_dir / "fieldtool.log").read_text()
    assert open_vault(store).get("meter:AMI-1:password") == values["meter:AMI-1:password"]
    assert sqlite3.connect(p.database).execute("SELECT count(*) FROM vault_secrets").fetchone()[0] == 5
    store.close()


def test_cli_set_refuses_an_empty_value():
    r = run_cli("secrets", "set", "backoffice:token", "--json", input="")
    assert r.returncode == 1 and json.loads(r.stdout)["error"].startswith("No value for backoffice:token")


def test_a_new_passphrase_replaces_the_old_one_and_the_secrets_stay(store, monkeypatch):
    open_vault(store).set("backoffice:token", "tok-1")
    open_vault(store).set_passphrase("a much longer passphrase")
    with pytest.raises(InputError, match="The passphrase is wrong"):
        open_vault(store)  # FIELDTOOL_PASSPHRASE still holds the old one
    assert open_vault(store, passphrase="a much longer passphrase").get("backoffice:token") == "tok-1"
    with pytest.raises(InputError, match="empty"):
        open_vault(store, passphrase="a much longer passphrase").set_passphrase("")


def test_a_keyring_vault_with_a_passphrase_survives_losing_the_keyring(store, memory_keyring):
    vault = open_vault(store)
    assert vault.method == "keyring"
    vault.set("han:0013A20040B5F1C2:link_key", "66B6900981E1EE3CA4206B6B861C02BB")
    vault.set_passphrase("recovery words")
    memory_keyring.entries.clear()  # a new OS account, a reset keyring
    again = open_vault(store, passphrase="recovery words")
    assert again.method == "passphrase"
    assert again.get("han:0013A20040B5F1C2:link_key") == "66B6900981E1EE3CA4206B6B861C02BB"


def test_cli_passphrase_change(monkeypatch):
    cli_json("secrets", "set", "backoffice:token", input="tok-9")
    out = cli_json("secrets", "passphrase", env={"FIELDTOOL_NEW_PASSPHRASE": "rotated passphrase"})
    assert out == {"passphrase_set": True, "unlocked_with": "passphrase"}
    assert run_cli("secrets", "list", "--json").returncode == 1  # the old one no longer opens it
    assert cli_json("secrets", "list", env={"FIELDTOOL_PASSPHRASE": "rotated passphrase"}) == {
        "names": ["backoffice:token"]}
