"""The custody transition matrix: every allowed move and every refused one, and what each move records."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from fieldtool.domain.custody import (
    TRANSITIONS,
    Asset,
    Move,
    MoveRequest,
    State,
    allowed_moves,
    apply_move,
    container_split,
)
from fieldtool.domain.errors import InputError, NotAllowed

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

# The matrix written out by hand from the issue (source states -> target), independent of TRANSITIONS.
S = State
EXPECTED = {
    Move.ORDER: ({None}, S.ORDERED),
    Move.SHIP_BY_VENDOR: ({None, S.ORDERED, S.REPAIRED}, S.SHIPPED_BY_VENDOR),
    Move.RECEIVE_AT_WAREHOUSE: ({S.ORDERED, S.SHIPPED_BY_VENDOR}, S.RECEIVED_AT_WAREHOUSE),
    Move.SEND_TO_SHOP: ({S.RECEIVED_AT_WAREHOUSE}, S.SENT_TO_METER_SHOP),
    Move.RECEIVE_AT_SHOP: ({S.SENT_TO_METER_SHOP}, S.RECEIVED_AT_SHOP),
    Move.PASS_TEST: ({S.RECEIVED_AT_SHOP}, S.TESTED_PASSED),
    Move.FAIL_TEST: ({S.RECEIVED_AT_SHOP}, S.TESTED_FAILED),
    Move.RETURN_TO_WAREHOUSE: ({S.TESTED_PASSED}, S.RETURNED_TO_WAREHOUSE),
    Move.RELEASE: ({S.RECEIVED_AT_WAREHOUSE, S.RETURNED_TO_WAREHOUSE}, S.RELEASED),
    Move.SHIP_TO_DISTRICT: ({S.RELEASED}, S.SHIPPED_TO_DISTRICT),
    Move.RECEIVE_AT_DISTRICT: ({S.SHIPPED_TO_DISTRICT}, S.RECEIVED_AT_DISTRICT),
    Move.ISSUE_TO_INSTALLER: ({S.RECEIVED_AT_DISTRICT}, S.ISSUED_TO_INSTALLER),
    Move.RETURN_FROM_INSTALLER: ({S.ISSUED_TO_INSTALLER}, S.RECEIVED_AT_DISTRICT),
    Move.INSTALL: ({S.ISSUED_TO_INSTALLER}, S.INSTALLED),
    Move.REMOVE: ({None, S.INSTALLED}, S.REMOVED),
    Move.RETURN_REMOVED: ({S.REMOVED}, S.RETURNED),
    Move.SALVAGE: ({S.RETURNED}, S.SALVAGED),
    Move.E_WASTE: ({S.RETURNED}, S.E_WASTE),
    Move.REJECT_LOT: ({S.RECEIVED_AT_WAREHOUSE, S.SENT_TO_METER_SHOP, S.RECEIVED_AT_SHOP, S.TESTED_PASSED,
                       S.RETURNED_TO_WAREHOUSE}, S.LOT_REJECTED),
    Move.RETURN_TO_VENDOR: ({S.TESTED_FAILED, S.LOT_REJECTED}, S.RETURNED_TO_VENDOR),
    Move.REPAIR: ({S.RETURNED_TO_VENDOR}, S.REPAIRED),
    Move.REPLACE: ({S.RETURNED_TO_VENDOR}, S.REPLACED),
    Move.PAIR_COMPONENT: (set(State) - {S.SALVAGED, S.E_WASTE, S.REPLACED}, None),
}
ALL_STATES = [None, *State]


def request(move: Move, **kw) -> MoveRequest:
    base = dict(asset_id="M1", move=move, actor="tech-7", at=AT, location="warehouse:central", document="ASN-9")
    if move in (Move.FAIL_TEST, Move.REJECT_LOT, Move.RETURN_TO_VENDOR, Move.PAIR_COMPONENT):
        base["reason"] = "test"
    if move is Move.ISSUE_TO_INSTALLER:
        base["holder"] = "inst-3"
    if move in (Move.SALVAGE, Move.E_WASTE):
        base.update(disposal_method="e_waste_recycler", disposal_cost=4.5)
    if move is Move.PAIR_COMPONENT:
        base["observed_components"] = {"comm_module": "CM-NEW"}
    base.update(kw)
    return MoveRequest(**base)


def test_table_matches_the_issue():
    assert set(TRANSITIONS) == set(Move)
    for move, (sources, target) in EXPECTED.items():
        assert set(TRANSITIONS[move].sources) == sources, move
        assert TRANSITIONS[move].target == target, move


@pytest.mark.parametrize("move", list(Move))
@pytest.mark.parametrize("state", ALL_STATES, ids=lambda s: str(s))
def test_every_cell_of_the_matrix(state, move):
    sources, target = EXPECTED[move]
    asset = Asset("M1", state=state, components={"comm_module": "CM-OLD"})
    req = request(move)
    if state in sources:
        after, rec = apply_move(asset, req, "id-1")
        assert after.state == (target or state)
        assert rec.from_state == state and rec.to_state == after.state
        assert (rec.actor, rec.at, rec.location, rec.document) == ("tech-7", AT, "warehouse:central", "ASN-9")
        assert rec.action_taken and rec.asset_status
        assert move in allowed_moves(state)
    else:
        with pytest.raises(NotAllowed) as e:
            apply_move(asset, req, "id-1")
        assert "cannot be moved" in str(e.value) and "Allowed from there" in str(e.value)
        assert move not in allowed_moves(state)


def test_refusal_names_the_state_and_the_allowed_moves():
    with pytest.raises(NotAllowed) as e:
        apply_move(Asset("M9", state=S.ISSUED_TO_INSTALLER), request(Move.SEND_TO_SHOP, asset_id="M9"), "x")
    text = str(e.value)
    assert "M9 is issued to installer" in text
    assert "return_from_installer" in text and "install" in text


def test_terminal_states_allow_nothing():
    for s in (S.SALVAGED, S.E_WASTE, S.REPLACED):
        assert allowed_moves(s) == []
        with pytest.raises(NotAllowed, match="custody has ended"):
            apply_move(Asset("M1", state=s), request(Move.RETURN_REMOVED), "x")


@pytest.mark.parametrize("missing", ["actor", "location", "document"])
def test_who_where_document_are_required(missing):
    with pytest.raises(InputError, match=missing):
        apply_move(Asset("M1", state=S.SHIPPED_BY_VENDOR), request(Move.RECEIVE_AT_WAREHOUSE, **{missing: " "}), "x")


def test_naive_time_refused():
    with pytest.raises(InputError, match="time zone"):
        apply_move(Asset("M1", state=S.SHIPPED_BY_VENDOR),
                   request(Move.RECEIVE_AT_WAREHOUSE, at=AT.replace(tzinfo=None)), "x")


def test_disposal_needs_method_and_cost():
    returned = Asset("M1", state=S.RETURNED, value=120.0)
    with pytest.raises(InputError, match="method"):
        apply_move(returned, request(Move.SALVAGE, disposal_method=None), "x")
    with pytest.raises(InputError, match="cost"):
        apply_move(returned, request(Move.E_WASTE, disposal_cost=None), "x")
    with pytest.raises(InputError, match="cost"):
        apply_move(returned, request(Move.E_WASTE, disposal_cost=-1.0), "x")
    with pytest.raises(InputError, match="not a configured disposal method"):
        apply_move(returned, request(Move.SALVAGE, disposal_method="river"), "x",
                   disposal_methods=frozenset({"scrap_metal", "e_waste_recycler"}))
    after, rec = apply_move(returned, request(Move.E_WASTE), "x", disposal_methods=frozenset({"e_waste_recycler"}))
    assert (rec.disposal_method, rec.disposal_cost, rec.action_taken) == ("e_waste_recycler", 4.5, "Destroyed")
    assert after.value == 120.0  # the asset keeps its value for the cost analysis


def test_reason_and_installer_required():
    with pytest.raises(InputError, match="reason"):
        apply_move(Asset("M1", state=S.RECEIVED_AT_SHOP), request(Move.FAIL_TEST, reason=""), "x")
    with pytest.raises(InputError, match="installer"):
        apply_move(Asset("M1", state=S.RECEIVED_AT_DISTRICT), request(Move.ISSUE_TO_INSTALLER, holder=None), "x")


def test_issue_sets_holder_and_install_clears_it():
    a = Asset("M1", state=S.RECEIVED_AT_DISTRICT)
    a, rec = apply_move(a, request(Move.ISSUE_TO_INSTALLER), "1")
    assert a.holder == "inst-3" and rec.holder == "inst-3" and rec.action_taken == "CheckedOut"
    a, _ = apply_move(a, request(Move.INSTALL, location="ISP 4471", document="WO-17"), "2")
    assert a.holder is None and a.location == "ISP 4471"


def test_swapped_module_is_caught():
    a = Asset("M1", state=S.RECEIVED_AT_SHOP, components={"comm_module": "CM-1"})
    with pytest.raises(NotAllowed, match="swapped"):
        apply_move(a, request(Move.PASS_TEST, observed_components={"comm_module": "CM-2"}), "x")
    after, rec = apply_move(a, request(Move.PASS_TEST, observed_components={"comm_module": "CM-1"}), "x")
    assert after.components == {"comm_module": "CM-1"}


def test_stale_pairing_is_caught():
    a = Asset("M1", state=S.RECEIVED_AT_SHOP)
    with pytest.raises(NotAllowed, match="recorded on M7"):
        apply_move(a, request(Move.PASS_TEST, observed_components={"comm_module": "CM-9"}), "x",
                   paired_elsewhere={"CM-9": "M7"})
    after, rec = apply_move(a, request(Move.PASS_TEST, observed_components={"comm_module": "CM-9"}), "x",
                            paired_elsewhere={"CM-9": "M1"})
    assert after.components["comm_module"] == "CM-9" and rec.components == {"comm_module": "CM-9"}


def test_pair_component_records_a_genuine_change_without_moving():
    a = Asset("M1", state=S.RELEASED, components={"comm_module": "CM-1"})
    after, rec = apply_move(a, request(Move.PAIR_COMPONENT, observed_components={"comm_module": "CM-5"}), "x")
    assert after.state is S.RELEASED and after.components["comm_module"] == "CM-5"
    assert rec.from_state is rec.to_state is S.RELEASED and rec.other_kind == "ComponentPaired"
    assert rec.asset_status == "InInventory"


def test_container_split():
    moved, excepted = container_split(["A", "B", "C", "D"], ["C"])
    assert moved == ["A", "B", "D"] and excepted == ["C"]
    with pytest.raises(InputError, match="Not in this container: Z"):
        container_split(["A"], ["Z"])


def test_move_for_wrong_asset_refused():
    with pytest.raises(InputError):
        apply_move(Asset("M2", state=S.ORDERED), request(Move.RECEIVE_AT_WAREHOUSE), "x")


def test_records_are_frozen():
    _, rec = apply_move(Asset("M1", state=S.ORDERED), request(Move.RECEIVE_AT_WAREHOUSE), "x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        rec.actor = "someone else"
