"""The sampling tables of docs/field-data.md §C2-C3, row by row and boundary by boundary."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldtool.domain.errors import InputError
from fieldtool.domain.sampling import (
    Decision,
    Scheme,
    code_letter,
    decide_first,
    decide_second,
    draw,
    plan_for,
    sample_order,
)

# Table I, Level II, as printed in field-data.md §C2 (written out again here, not imported).
BOUNDARIES = [
    (2, 8, "A"), (9, 15, "B"), (16, 25, "C"), (26, 50, "D"), (51, 90, "E"), (91, 150, "F"),
    (151, 280, "G"), (281, 500, "H"), (501, 1200, "J"), (1201, 3200, "K"), (3201, 10000, "L"),
    (10001, 35000, "M"), (35001, 150000, "N"), (150001, 500000, "P"),
]


@pytest.mark.parametrize("low,high,letter", BOUNDARIES)
def test_code_letter_at_both_ends_of_every_row(low, high, letter):
    assert code_letter(low) == letter
    assert code_letter(high) == letter
    assert code_letter(high + 1) != letter


def test_open_ended_last_row():
    assert code_letter(500001) == "Q"
    assert code_letter(500000) == "P"
    assert code_letter(10**9) == "Q"


@pytest.mark.parametrize("bad", [1, 0, -5])
def test_lot_below_two_is_refused(bad):
    with pytest.raises(InputError, match="cannot be sampled"):
        plan_for(bad)


@pytest.mark.parametrize("bad", [2.5, "10", True])
def test_lot_size_must_be_whole_number(bad):
    with pytest.raises(InputError):
        code_letter(bad)


DOUBLE = {  # §C3: letter -> (n1, n2, ac1, re1, ac2, re2)
    "H": (32, 32, 0, 2, 1, 2),
    "J": (50, 50, 0, 3, 3, 4),
    "K": (80, 80, 1, 4, 4, 5),
    "L": (125, 125, 2, 5, 6, 7),
    "M": (200, 200, 3, 7, 8, 9),
    "N": (315, 315, 5, 9, 12, 13),
    "P": (500, 500, 7, 11, 18, 19),
    "Q": (800, 800, 11, 16, 26, 27),
}


@pytest.mark.parametrize(
    "lot,letter,plan_letter",
    [(281, "H", "H"), (500, "H", "H"), (501, "J", "J"), (1200, "J", "J"), (1201, "K", "K"),
     (3200, "K", "K"), (3201, "L", "L"), (10000, "L", "L"), (10001, "M", "M"), (35000, "M", "M"),
     (35001, "N", "N"), (150000, "N", "N"), (150001, "P", "P"), (500000, "P", "P"), (500001, "Q", "Q"),
     (151, "G", "H"), (280, "G", "H")],
)
def test_every_double_plan_row(lot, letter, plan_letter):
    n1, n2, ac1, re1, ac2, re2 = DOUBLE[plan_letter]
    assert plan_for(lot).as_dict() == {
        "lot_size": lot, "code_letter": letter, "plan_letter": plan_letter, "scheme": "double",
        "n1": n1, "n2": n2, "ac1": ac1, "re1": re1, "ac2": ac2, "re2": re2,
    }


@pytest.mark.parametrize("lot,letter", [(14, "B"), (15, "B"), (16, "C"), (25, "C"), (26, "D"), (50, "D"),
                                        (51, "E"), (90, "E"), (91, "F"), (150, "F")])
def test_arrows_and_star_lead_to_the_single_plan_of_e(lot, letter):
    assert plan_for(lot).as_dict() == {
        "lot_size": lot, "code_letter": letter, "plan_letter": "E", "scheme": "single",
        "n": 13, "ac": 0, "re": 1,
    }


@pytest.mark.parametrize("lot,letter", [(2, "A"), (8, "A"), (9, "B"), (12, "B"), (13, "B")])
def test_sample_as_large_as_the_lot_means_100_percent(lot, letter):
    plan = plan_for(lot)
    assert plan.as_dict() == {"lot_size": lot, "code_letter": letter, "plan_letter": "E", "scheme": "100%"}
    assert plan.first_sample_size == lot


def test_first_stage_decisions_double():
    plan = plan_for(1000)  # J: 50/50, 0 3 / 3 4
    assert decide_first(plan, 0, 50) is Decision.ACCEPT
    assert decide_first(plan, 1, 50) is Decision.SECOND_SAMPLE
    assert decide_first(plan, 2, 50) is Decision.SECOND_SAMPLE
    assert decide_first(plan, 3, 50) is Decision.REJECT
    assert decide_first(plan, 9, 50) is Decision.REJECT


@pytest.mark.parametrize("letter", sorted(DOUBLE))
def test_both_stages_for_every_plan_row(letter):
    n1, n2, ac1, re1, ac2, re2 = DOUBLE[letter]
    lot = {"H": 400, "J": 800, "K": 2000, "L": 5000, "M": 20000, "N": 100000, "P": 300000, "Q": 600000}[letter]
    plan = plan_for(lot)
    assert decide_first(plan, ac1, n1) is Decision.ACCEPT
    assert decide_first(plan, re1, n1) is Decision.REJECT
    for d1 in range(ac1 + 1, re1):
        assert decide_first(plan, d1, n1) is Decision.SECOND_SAMPLE
        assert decide_second(plan, d1, ac2 - d1, n2) is Decision.ACCEPT
        assert decide_second(plan, d1, re2 - d1, n2) is Decision.REJECT


def test_single_plan_decisions():
    plan = plan_for(60)
    assert decide_first(plan, 0, 13) is Decision.ACCEPT
    assert decide_first(plan, 1, 13) is Decision.REJECT
    with pytest.raises(InputError, match="no second sample"):
        decide_second(plan, 1, 0, 13)


def test_incomplete_sample_is_not_decided():
    plan = plan_for(400)
    with pytest.raises(InputError, match="31 of its 32"):
        decide_first(plan, 0, 31)
    with pytest.raises(InputError, match="already decided"):
        decide_second(plan, 0, 0, 32)
    with pytest.raises(InputError, match="judged"):
        decide_second(plan, 1, 0, 10)


def test_full_inspection_has_no_lot_decision():
    with pytest.raises(InputError, match="100 %"):
        decide_first(plan_for(5), 0, 5)


def test_draw_is_reproducible_disjoint_and_sized():
    units = [f"M{i:05d}" for i in range(400)]
    plan = plan_for(400)
    first = draw(units, plan, seed=1234, stage=1)
    second = draw(units, plan, seed=1234, stage=2)
    assert len(first) == 32 and len(second) == 32
    assert not set(first) & set(second)
    assert draw(list(reversed(units)), plan, seed=1234, stage=1) == first  # scan order does not matter
    assert draw(units, plan, seed=1235, stage=1) != first
    with pytest.raises(InputError):
        draw(units[:60], plan_for(60), 1, 2)  # a single plan has no second sample


def test_draw_refuses_a_list_of_another_size_and_duplicates():
    with pytest.raises(InputError, match="plan is for a lot of 400"):
        draw(["A", "B"], plan_for(400), 1, 1)
    with pytest.raises(InputError, match="twice"):
        sample_order(["A", "A", "B"], 1)


@given(st.integers(min_value=2, max_value=2_000_000))
def test_every_lot_size_gets_a_plan_smaller_than_the_lot(lot):
    plan = plan_for(lot)
    if plan.scheme is Scheme.FULL:
        assert lot <= 13
    else:
        assert plan.first_sample_size + plan.second_sample_size < lot


@pytest.mark.parametrize("lot", [5, 60, 400, 600000])
def test_recorded_plan_round_trips(lot):
    from fieldtool.domain.sampling import SamplePlan

    plan = plan_for(lot)
    assert SamplePlan.from_dict(plan.as_dict()) == plan
