"""The ``[sync]`` section of the configuration file (documented in docs/configuration.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SyncSettings:
    server: str = ""  # the back office's base URL (https://...; http only for a loopback demo)
    ca_bundle: str = ""  # a PEM file of CA certificates to trust instead of the system's ("" = system)
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 60.0
    batch_size: int = 200  # events per POST /v1/events (the contract allows up to 500)
    page_size: int = 1000  # work orders / verdicts per page of a pull
    photo_chunk_bytes: int = 262144  # bytes per photo chunk (the back office may ask for less)
    backoff_initial_s: float = 5.0  # first wait after a failed attempt
    backoff_max_s: float = 600.0  # the wait doubles up to this
    backoff_jitter: float = 0.3  # each wait is randomly shortened by up to this share
    interval_s: float = 60.0  # between sync cycles when nothing is queued
    refresh_margin_s: float = 60.0  # refresh the access token this long before it runs out
