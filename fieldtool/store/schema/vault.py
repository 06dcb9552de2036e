"""The vault: secrets encrypted with AES-GCM under a data key that is itself wrapped (store/vault.py)."""

MIGRATIONS = [
    # 1: the wrapped data key (one row per way of unwrapping it: 'keyring' or 'passphrase') and the
    # encrypted secrets. Nothing here is readable without the key-encryption key.
    """
    CREATE TABLE vault_keys (
        method TEXT PRIMARY KEY CHECK (method IN ('keyring', 'passphrase')),
        key_id TEXT NOT NULL,
        kdf TEXT,
        salt BLOB,
        scrypt_n INTEGER,
        scrypt_r INTEGER,
        scrypt_p INTEGER,
        nonce BLOB NOT NULL,
        wrapped_key BLOB NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE vault_secrets (
        name TEXT PRIMARY KEY,
        nonce BLOB NOT NULL,
        ciphertext BLOB NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
]
