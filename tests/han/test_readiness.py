import pytest

from fieldtool.protocols.han.readiness import LADDER, Failure, Readiness, Rung


def test_the_whole_ladder_in_order():
    r = Readiness("000D6FFFFE63CCA0")
    for rung in LADDER:
        r.advance(rung, "2026-11-26T10:00:00Z")
    assert r.rung is Rung.PARTICIPATING and r.progress == 1.0
    assert [s.rung for s in r.history] == LADDER


def test_queued_credentials_then_handed():
    r = Readiness("X")
    r.advance(Rung.LABEL_SCANNED, "t")
    r.advance(Rung.CRC_OK, "t")
    r.advance(Rung.CREDENTIALS_QUEUED, "t")
    r.advance(Rung.CREDENTIALS_HANDED, "t")
    assert r.rung is Rung.CREDENTIALS_HANDED


def test_skipping_a_rung_is_refused():
    r = Readiness("X")
    with pytest.raises(ValueError, match="cannot go from new to crc_ok"):
        r.advance(Rung.CRC_OK, "t")


@pytest.mark.parametrize("failure", list(Failure))
def test_every_failure_has_guidance_and_retry_returns_to_the_rung(failure):
    r = Readiness("X")
    r.advance(Rung.LABEL_SCANNED, "t")
    r.advance(Rung.CRC_OK, "t")
    r.fail(failure, "t", "detail")
    assert r.rung is Rung.FAILED and len(r.guidance) > 20
    r.retry("t2")
    assert r.rung is Rung.CRC_OK and r.failure is None
