"""The local store: one SQLite file that survives any crash (see docs/store.md).

``open_store()`` (db.py) gives a ``Store`` with repositories ``outbox``, ``work_orders``, ``stock`` and
``exchanges`` and ``record_transition``; ``vault.py`` keeps secrets encrypted. Tables are created by
per-area migrations in ``schema/``.
"""
