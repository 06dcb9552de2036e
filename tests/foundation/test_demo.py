"""``make demo`` runs headless, walks three jobs through the workflow and the checks, and ends by itself."""

from __future__ import annotations

from fieldtool import demo


def test_demo_walks_the_morning_and_exits(capsys):
    assert demo.main() == 0
    out = capsys.readouterr().out
    assert "imported 14 work orders and 14 issued meters for INS-042" in out
    assert "! BLOCK meter-not-issued" in out and "supervisor SUP-7 overrides program-id" in out
    assert "-> complete;" in out and "manual reading route: no" in out
    # the new meters answered on the optical port of a simulated meter
    assert 'meter (optical port): identify_meter {"meter_number": "72600101", "form": "2S"' in out
    assert "meter (optical port): registered after" in out and "the meter did not register in 120 s" in out
    assert 'radio (rf_mesh plug-in): network_tested {"technology": "rf_mesh"' in out
    assert "[7.1A.6] Queue the soft-registration" in out and "-> awaiting_verification;" in out
    assert "[-] Cannot complete: a go-back was created" in out
    assert "1 go_back" in out and "2 soft_registration" in out and "coverage_report" in out
    assert out.rstrip().endswith("demo finished.")
