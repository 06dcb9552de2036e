"""Receipt reconciliation against the ship notice and the purchase order."""

from __future__ import annotations

from fieldtool.domain.receipt import ExpectedUnit, OrderLine, ScannedUnit, TypeCount, WrongType, reconcile

NOTICE = [ExpectedUnit("M1", "2S-CL200"), ExpectedUnit("M2", "2S-CL200"), ExpectedUnit("M3", "12S-CL200")]


def scans(*items):
    return [ScannedUnit(*i) if isinstance(i, tuple) else ScannedUnit(i) for i in items]


def test_clean_receipt():
    r = reconcile(scans(("M1", "2S-CL200"), "M2", ("M3", "12S-CL200")), notice=NOTICE)
    assert r.clean and r.accepted == ("M1", "M2", "M3") and r.problems() == []
    assert (r.expected, r.scanned) == (3, 3)


def test_missing_extra_wrong_type_duplicate():
    r = reconcile(scans("M1", "M1", ("M3", "2S-CL200"), "X9", "M1"), notice=NOTICE)
    assert r.accepted == ("M1",)
    assert r.missing == ("M2",)
    assert r.extra == ("X9",)
    assert r.wrong_type == (WrongType("M3", "12S-CL200", "2S-CL200"),)
    assert r.duplicates == (("M1", 3),)
    assert not r.clean
    words = r.problems()
    assert "1 missing: M2" in words and "M1 scanned 3 times" in words
    assert "M3 is 2S-CL200, expected 12S-CL200" in words


def test_against_purchase_order_only():
    order = [OrderLine("2S-CL200", 2), OrderLine("12S-CL200", 1)]
    r = reconcile(scans(("A", "2S-CL200"), ("B", "2S-CL200"), ("C", "2S-CL200"), ("D", "1S-CL100"), "E"),
                  order=order)
    assert r.accepted == ("A", "B")
    assert r.extra == ("C", "E")  # over the ordered quantity; no type on the label
    assert r.wrong_type == (WrongType("D", None, "1S-CL100"),)
    assert r.by_type == (TypeCount("12S-CL200", 1, 0), TypeCount("2S-CL200", 2, 2))
    assert "12S-CL200: 1 short of the order (0 of 1)" in r.problems()
    assert "D is 1S-CL100, type not on the purchase order" in r.problems()


def test_notice_and_order_together_flag_an_overship():
    r = reconcile(scans("M1", "M2", "M3"), notice=NOTICE, order=[OrderLine("2S-CL200", 1),
                                                              OrderLine("12S-CL200", 1)])
    assert r.accepted == ("M1", "M2", "M3")
    assert TypeCount("2S-CL200", 1, 2) in r.by_type
    assert "2S-CL200: 1 more than ordered (2 of 1)" in r.problems()


def test_nothing_scanned():
    r = reconcile([], notice=NOTICE)
    assert r.missing == ("M1", "M2", "M3") and r.accepted == () and not r.clean


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

IDS = st.sampled_from([f"M{i}" for i in range(8)] + ["X1", "X2"])
TYPES = st.sampled_from([None, "2S-CL200", "12S-CL200"])


@given(st.lists(st.tuples(IDS, TYPES), max_size=25))
def test_every_notice_unit_is_accounted_for_once(raw):
    r = reconcile([ScannedUnit(i, t) for i, t in raw], notice=NOTICE + [ExpectedUnit(f"M{i}", "2S-CL200")
                                                                       for i in range(4, 8)])
    notice_ids = {"M1", "M2", "M3", "M4", "M5", "M6", "M7"}
    wrong = {w.asset_id for w in r.wrong_type}
    assert set(r.accepted) | set(r.missing) | wrong == notice_ids
    assert not (set(r.accepted) & set(r.missing)) and not (set(r.accepted) & wrong)
    assert set(r.extra) == {i for i, _ in raw} - notice_ids
    assert r.scanned == len({i for i, _ in raw})
    assert all(n > 1 for _, n in r.duplicates)


@given(st.lists(st.tuples(IDS, TYPES), max_size=25))
def test_order_quantities_are_never_exceeded(raw):
    order = [OrderLine("2S-CL200", 3), OrderLine("12S-CL200", 1)]
    r = reconcile([ScannedUnit(i, t) for i, t in raw], order=order)
    counts = {t.asset_type: t.received for t in r.by_type}
    assert counts["2S-CL200"] <= 3 and counts["12S-CL200"] <= 1
    assert len(r.accepted) == sum(counts.values())


def test_scans_from_labels():
    from fieldtool.domain.labels import parse_label
    from fieldtool.domain.receipt import scans_from_labels

    texts = ["1AL0000012340221R", "CLASS: 200; QTY: 2; METERS: M1 M2", "hello", "SN 123456789"]
    scans, problems = scans_from_labels([parse_label(t) for t in texts])
    assert scans == [ScannedUnit("1AL0000012340221R"), ScannedUnit("M1"), ScannedUnit("M2")]
    assert "'hello': Not a utility meter number" in problems[0]
    assert "manufacturer serial" in problems[1] and len(problems) == 2
