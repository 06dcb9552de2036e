"""Property: whatever bytes are in the store's place, opening it succeeds or refuses in words (InputError)
and never writes to a file it refuses."""

from __future__ import annotations

import functools
import hashlib
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldtool.domain.errors import InputError
from fieldtool.store.db import open_store
from tests.store.factories import work_order


@functools.cache
def pristine() -> bytes:
    """A small, sound store (checkpointed: everything in the main file)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fieldtool.db"
        with open_store(path) as store:
            store.work_orders.upsert_many([work_order(i) for i in range(60)])
        return path.read_bytes()


def try_everything(path) -> None:
    """Open and use the store as a day's work would; only InputError may come out."""
    before = hashlib.sha256(path.read_bytes()).digest()
    try:
        with open_store(path) as store:
            store.work_orders.list(route="R0000")
            store.work_orders.find_by_meter("40000007")
            store.outbox.counts()
    except InputError:
        assert hashlib.sha256(path.read_bytes()).digest() == before, "a refused file was written to"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.integers(min_value=0), st.binary(min_size=1, max_size=64)),
                      min_size=1, max_size=4))
def test_scribbled_stores_open_or_are_refused_in_words(tmp_path, edits):
    data = bytearray(pristine())
    for offset, chunk in edits:
        at = offset % len(data)
        data[at:at + len(chunk)] = chunk
    path = tmp_path / "scribbled.db"
    for extra in ("-wal", "-shm"):
        (tmp_path / f"scribbled.db{extra}").unlink(missing_ok=True)
    path.write_bytes(bytes(data[: len(pristine())]))
    try_everything(path)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blob=st.binary(min_size=1, max_size=9000))
def test_any_bytes_are_refused_in_words(tmp_path, blob):
    path = tmp_path / "random.db"
    for extra in ("", "-wal", "-shm"):
        (tmp_path / f"random.db{extra}").unlink(missing_ok=True)
    path.write_bytes(blob)
    with pytest.raises(InputError):
        open_store(path)
    assert path.read_bytes() == blob


def test_damaged_json_in_a_sound_file_is_told_in_words(tmp_path):
    from fieldtool.store.outbox import OutboxEvent
    from tests.store.test_outbox import T0

    with open_store(tmp_path / "s.db") as store:
        store.work_orders.upsert_many([work_order(1)])
        store.outbox.enqueue([OutboxEvent.new("k", {"a": 1}, at=T0)])
        with store.transaction() as c:  # as a bad sector inside a value would leave it
            c.execute("UPDATE work_orders SET data = substr(data, 1, 40)")
            c.execute("UPDATE outbox SET payload = '{\"a\": '")
        with pytest.raises(InputError, match="A stored work order is damaged"):
            store.work_orders.get("WO-000001")
        with pytest.raises(InputError, match="damaged"):
            store.outbox.list()
