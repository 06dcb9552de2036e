"""The vault: meter passwords, HAN link keys and back-office tokens, never on disk or in a log in clear.

Each secret is encrypted with AES-256-GCM under a random *data key*, with the secret's name as associated
data (a ciphertext moved to another name does not decrypt). The data key is stored only wrapped
(AES-GCM again) by a *key-encryption key* that is never stored in the database:

- from the OS keyring (``keyring``: Windows Credential Locker, macOS Keychain, Secret Service) where one
  works and ``FIELDTOOL_KEYRING`` is not ``off``; or
- derived from a passphrase with scrypt (N=2**15, r=8, p=1, 16-byte salt), the passphrase read from
  ``FIELDTOOL_PASSPHRASE`` (unattended use, tests) or asked for at the terminal.

A wrong passphrase is refused in words; nothing is decrypted with a guess. Thread rule: a ``Vault`` is
as thread-safe as its store (each call is one store transaction).
"""

from __future__ import annotations

import getpass
import logging
import os
import re
import sys
import uuid
from collections.abc import Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from fieldtool.domain.errors import InputError
from fieldtool.store._rows import stamp

log = logging.getLogger(__name__)

KEYRING_SERVICE = "fieldtool"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
NAME = re.compile(r"^[A-Za-z0-9_.:/@+-]{1,128}$")
PASSPHRASE_HINT = "Set FIELDTOOL_PASSPHRASE for unattended use, or run the command at a terminal."


class Vault:
    """Secrets by name. ``set`` and ``get`` take and give ``str``; names are not secret."""

    def __init__(self, store, data_key: bytes, method: str):
        self.store = store
        self.method = method  # how this vault was unlocked: "keyring" or "passphrase"
        self._key = data_key
        self._aead = AESGCM(data_key)

    def set(self, name: str, value: str) -> None:
        _check_name(name)
        if not isinstance(value, str) or not value:
            raise InputError(f"The secret {name} needs a value (it was empty).")
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, value.encode("utf-8"), _aad(name))
        with self.store.transaction() as c:
            c.execute(
                "INSERT INTO vault_secrets (name, nonce, ciphertext, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET nonce = excluded.nonce, ciphertext = excluded.ciphertext, "
                "updated_at = excluded.updated_at",
                (name, nonce, sealed, stamp(self.store.clock.now())),
            )
        log.info("secret %s stored", name)

    def get(self, name: str) -> str:
        with self.store.reading() as c:
            row = c.execute("SELECT nonce, ciphertext FROM vault_secrets WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise InputError(f"There is no secret named {name} in the vault.",
                             hint="Store it with: fieldtool secrets set NAME")
        try:
            return self._aead.decrypt(row[0], row[1], _aad(name)).decode("utf-8")
        except InvalidTag:
            raise InputError(f"The secret {name} is damaged and cannot be read; store it again.") from None

    def names(self) -> list[str]:
        with self.store.reading() as c:
            return [r[0] for r in c.execute("SELECT name FROM vault_secrets ORDER BY name")]

    def delete(self, name: str) -> bool:
        with self.store.transaction() as c:
            gone = c.execute("DELETE FROM vault_secrets WHERE name = ?", (name,)).rowcount == 1
        if gone:
            log.info("secret %s deleted", name)
        return gone

    def set_passphrase(self, passphrase: str) -> None:
        """Wrap the data key under a new passphrase, replacing the old one (the secrets stay as they are).
        For a keyring vault this adds a passphrase that also unlocks it: the way back when the keyring
        entry is lost."""
        if not passphrase:
            raise InputError("The new vault passphrase is empty; nothing was changed.")
        salt, params = os.urandom(16), (SCRYPT_N, SCRYPT_R, SCRYPT_P)
        kek = _derive(passphrase, salt, *params)  # slow: before the transaction
        with self.store.transaction() as c:
            c.execute("DELETE FROM vault_keys WHERE method = 'passphrase'")
            _insert_key(c, self.store, "passphrase", kek, self._key, salt, params)
        log.info("vault passphrase set")

    def __contains__(self, name: str) -> bool:
        return name in self.names()


def open_vault(
    store,
    *,
    passphrase: str | None = None,
    use_keyring: bool | None = None,
    prompt: Callable[[str], str] | None = None,
) -> Vault:
    """Unlock the store's vault, creating it (and its data key) on first use.

    ``passphrase`` wins over ``FIELDTOOL_PASSPHRASE``, which wins over asking at the terminal
    (``prompt``, by default ``getpass``). ``use_keyring`` defaults to "unless FIELDTOOL_KEYRING=off".
    Raises ``InputError`` for a wrong passphrase, a missing keyring key, or no way to ask.
    """
    if use_keyring is None:
        use_keyring = os.environ.get("FIELDTOOL_KEYRING", "").strip().lower() != "off"
    ring = _keyring() if use_keyring else None
    rows = _key_rows(store)
    if not rows:
        vault = _create(store, ring, passphrase, prompt)
        if vault is not None:
            return vault
        rows = _key_rows(store)  # another process created it meanwhile: unlock theirs
    if "keyring" in rows and ring is not None:
        kek = _keyring_kek(ring, rows["keyring"][1])
        if kek is not None:
            return Vault(store, _unwrap(kek, rows["keyring"], "keyring"), "keyring")
        if "passphrase" not in rows:
            raise InputError("The vault's key is no longer in the OS keyring, so the secrets cannot be read.",
                             hint="Store the secrets again after moving the database aside.")
    if "passphrase" in rows:
        row = rows["passphrase"]
        secret = _passphrase(passphrase, prompt, confirm=False)
        kek = _derive(secret, row[2], row[3], row[4], row[5])
        try:
            return Vault(store, _unwrap(kek, row, "passphrase"), "passphrase")
        except InvalidTag:
            raise InputError("The passphrase is wrong: the vault could not be unlocked.",
                             hint="Check FIELDTOOL_PASSPHRASE or type it again.") from None
    raise InputError("The vault's key is kept in the OS keyring, which is switched off or not available.",
                     hint="Unset FIELDTOOL_KEYRING=off, or use the keyring of the account that created it.")


def _key_rows(store) -> dict[str, tuple]:
    with store.reading() as c:
        return {r[0]: r for r in c.execute(
            "SELECT method, key_id, salt, scrypt_n, scrypt_r, scrypt_p, nonce, wrapped_key FROM vault_keys")}


def _create(store, ring, passphrase, prompt) -> Vault | None:
    """A new data key, wrapped; None if another process created the vault first. The prompt and the
    slow key derivation happen before the write transaction, which therefore stays short."""
    data_key = AESGCM.generate_key(bit_length=256)
    if ring is not None:
        kek = AESGCM.generate_key(bit_length=256)
        key_id = uuid.uuid4().hex
        ring.set_password(KEYRING_SERVICE, f"vault:{key_id}", kek.hex())
        method, salt, params = "keyring", None, (None, None, None)
    else:
        method, key_id, salt, params = "passphrase", None, os.urandom(16), (SCRYPT_N, SCRYPT_R, SCRYPT_P)
        kek = _derive(_passphrase(passphrase, prompt, confirm=True), salt, *params)
    with store.transaction() as c:
        if c.execute("SELECT 1 FROM vault_keys").fetchone():
            return None
        _insert_key(c, store, method, kek, data_key, salt, params, key_id)
    log.info("vault created; its key is protected by the %s", method)
    return Vault(store, data_key, method)


def _insert_key(c, store, method: str, kek: bytes, data_key: bytes, salt: bytes | None, params: tuple,
                key_id: str | None = None) -> None:
    """Store the data key wrapped by ``kek`` (AES-GCM; the key id and method are its associated data)."""
    key_id = key_id or uuid.uuid4().hex
    nonce = os.urandom(12)
    wrapped = AESGCM(kek).encrypt(nonce, data_key, _wrap_aad(key_id, method))
    c.execute(
        "INSERT INTO vault_keys (method, key_id, kdf, salt, scrypt_n, scrypt_r, scrypt_p, nonce, wrapped_key, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (method, key_id, "scrypt" if salt else None, salt, *params, nonce, wrapped, stamp(store.clock.now())),
    )


def _unwrap(kek: bytes, row, method: str) -> bytes:
    return AESGCM(kek).decrypt(row[6], row[7], _wrap_aad(row[1], method))


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _aad(name: str) -> bytes:
    return b"fieldtool secret:" + name.encode("utf-8")


def _wrap_aad(key_id: str, method: str) -> bytes:
    return f"fieldtool vault key:{key_id}:{method}".encode()


def _check_name(name: str) -> None:
    if not NAME.match(name or ""):
        raise InputError(f"{name!r} is not a usable secret name.",
                         hint="Use up to 128 letters, digits and . _ : / @ + - (e.g. meter:AMI-17:password).")


def _passphrase(given: str | None, prompt: Callable[[str], str] | None, *, confirm: bool) -> str:
    secret = given if given is not None else os.environ.get("FIELDTOOL_PASSPHRASE")
    if secret is None:
        ask = prompt or _terminal_prompt()
        secret = ask("Vault passphrase: ")
        if confirm and ask("The same passphrase again: ") != secret:
            raise InputError("The two passphrases differ; the vault was not created.")
    if not secret:
        raise InputError("The vault passphrase is empty.", hint=PASSPHRASE_HINT)
    return secret


def new_passphrase(prompt: Callable[[str], str] | None = None) -> str:
    """A new passphrase: ``FIELDTOOL_NEW_PASSPHRASE`` (unattended use), else asked twice at the terminal."""
    given = os.environ.get("FIELDTOOL_NEW_PASSPHRASE")
    if given is not None:
        return given
    ask = prompt or _terminal_prompt()
    first = ask("New vault passphrase: ")
    if ask("The same passphrase again: ") != first:
        raise InputError("The two passphrases differ; nothing was changed.")
    return first


def _terminal_prompt() -> Callable[[str], str]:
    """getpass at the controlling terminal; refused when there is none (CI, services, pipes)."""
    if sys.platform != "win32":
        try:
            with open("/dev/tty", "rb"):
                pass
        except OSError:
            raise InputError("The vault needs its passphrase and there is no terminal to ask at.",
                             hint=PASSPHRASE_HINT) from None
    return getpass.getpass


def _keyring():
    """The OS keyring backend when a real one works, else None (CI and servers have none)."""
    try:
        import keyring

        ring = keyring.get_keyring()
        if ring.priority <= 0 or type(ring).__module__.startswith(("keyring.backends.fail",
                                                                  "keyring.backends.null")):
            return None
        return ring
    except Exception as e:  # noqa: BLE001 - a broken keyring means: use the passphrase
        log.warning("OS keyring not usable (%s); the vault uses a passphrase", type(e).__name__)
        return None


def _keyring_kek(ring, key_id: str) -> bytes | None:
    try:
        stored = ring.get_password(KEYRING_SERVICE, f"vault:{key_id}")
    except Exception as e:  # noqa: BLE001 - a locked or broken keyring: fall back if we can
        log.warning("OS keyring could not be read (%s)", type(e).__name__)
        return None
    return bytes.fromhex(stored) if stored else None
