"""Lot acceptance sampling: MIL-STD-105E / ANSI Z1.4, General Inspection Level II, normal inspection, AQL 1.0.

The tables are the ones in ``docs/field-data.md`` §C2 (Table I, lot size -> code letter) and §C3 (Table III-A,
double sampling, AQL 1.0 column, with its arrows and the ``*`` single plan). This is the plan the utility's
meter specification calls "Edison's Double Sampling Plan for 1 % AQL" (UC134 I1BR3).

Pure: the random sample is drawn from a seed that the caller records and passes in.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from fieldtool.domain.errors import InputError

# Table I, Level II: (smallest lot, largest lot, code letter). The last row is open-ended.
CODE_LETTERS: tuple[tuple[int, int | None, str], ...] = (
    (2, 8, "A"),
    (9, 15, "B"),
    (16, 25, "C"),
    (26, 50, "D"),
    (51, 90, "E"),
    (91, 150, "F"),
    (151, 280, "G"),
    (281, 500, "H"),
    (501, 1200, "J"),
    (1201, 3200, "K"),
    (3201, 10000, "L"),
    (10001, 35000, "M"),
    (35001, 150000, "N"),
    (150001, 500000, "P"),
    (500001, None, "Q"),
)


@dataclass(frozen=True)
class DoublePlan:
    """One row of Table III-A. ``n2`` is the second sample's own size (not the cumulative one)."""

    n1: int
    n2: int
    ac1: int
    re1: int
    ac2: int
    re2: int


@dataclass(frozen=True)
class SinglePlan:
    n: int
    ac: int
    re: int


# Table III-A, normal inspection, AQL 1.0. Arrows point at the letter whose plan is used;
# "*" means the single plan of that letter (Table II-A: E, n 13, Ac 0, Re 1).
_SINGLE_FOR_STAR = {"E": SinglePlan(13, 0, 1)}
DOUBLE_PLANS: dict[str, DoublePlan] = {
    "H": DoublePlan(32, 32, 0, 2, 1, 2),
    "J": DoublePlan(50, 50, 0, 3, 3, 4),
    "K": DoublePlan(80, 80, 1, 4, 4, 5),
    "L": DoublePlan(125, 125, 2, 5, 6, 7),
    "M": DoublePlan(200, 200, 3, 7, 8, 9),
    "N": DoublePlan(315, 315, 5, 9, 12, 13),
    "P": DoublePlan(500, 500, 7, 11, 18, 19),
    "Q": DoublePlan(800, 800, 11, 16, 26, 27),
}
# Letter of the lot -> letter whose entry is used (↓ first plan below, ↑ first plan above, * single plan).
PLAN_LETTER: dict[str, str] = {
    "A": "E",  # ↓
    "B": "E",  # ↓
    "C": "E",  # ↓
    "D": "E",  # ↓
    "E": "E",  # *
    "F": "E",  # ↑
    "G": "H",  # ↓
    **{letter: letter for letter in DOUBLE_PLANS},
    "R": "Q",  # ↑ (Level III only; kept so a Level III letter never falls through)
}


class Scheme(StrEnum):
    DOUBLE = "double"
    SINGLE = "single"
    FULL = "100%"


class Decision(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    SECOND_SAMPLE = "second_sample"  # draw and test the second sample


@dataclass(frozen=True)
class SamplePlan:
    """The plan for one lot. For ``Scheme.FULL`` every unit is tested and each is judged on its own."""

    lot_size: int
    code_letter: str
    plan_letter: str
    scheme: Scheme
    double: DoublePlan | None = None
    single: SinglePlan | None = None

    @property
    def first_sample_size(self) -> int:
        if self.scheme is Scheme.DOUBLE:
            return self.double.n1
        if self.scheme is Scheme.SINGLE:
            return self.single.n
        return self.lot_size

    @property
    def second_sample_size(self) -> int:
        return self.double.n2 if self.scheme is Scheme.DOUBLE else 0

    @classmethod
    def from_dict(cls, d: dict) -> SamplePlan:
        """The plan as recorded with a lot (``as_dict``): an open lot keeps the plan it was given."""
        scheme = Scheme(d["scheme"])
        double = DoublePlan(d["n1"], d["n2"], d["ac1"], d["re1"], d["ac2"], d["re2"]) \
            if scheme is Scheme.DOUBLE else None
        single = SinglePlan(d["n"], d["ac"], d["re"]) if scheme is Scheme.SINGLE else None
        return cls(d["lot_size"], d["code_letter"], d["plan_letter"], scheme, double, single)

    def as_dict(self) -> dict:
        """The shape ``fieldtool bench plan --json`` prints (fixed by issue 6)."""
        out: dict = {
            "lot_size": self.lot_size,
            "code_letter": self.code_letter,
            "plan_letter": self.plan_letter,
            "scheme": self.scheme.value,
        }
        if self.scheme is Scheme.DOUBLE:
            d = self.double
            out.update(n1=d.n1, n2=d.n2, ac1=d.ac1, re1=d.re1, ac2=d.ac2, re2=d.re2)
        elif self.scheme is Scheme.SINGLE:
            out.update(n=self.single.n, ac=self.single.ac, re=self.single.re)
        return out


def _check_lot_size(lot_size: int) -> None:
    if isinstance(lot_size, bool) or not isinstance(lot_size, int):
        raise InputError(f"The lot size must be a whole number, not {lot_size!r}.")
    if lot_size < 2:
        raise InputError(
            f"A lot of {lot_size} cannot be sampled: the sampling table starts at 2 units.",
            hint="Test a single meter on its own instead of as a lot.",
        )


def code_letter(lot_size: int) -> str:
    """Table I, General Inspection Level II."""
    _check_lot_size(lot_size)
    for low, high, letter in CODE_LETTERS:
        if low <= lot_size and (high is None or lot_size <= high):
            return letter
    raise AssertionError("unreachable: the table covers every lot size from 2 up")


def plan_for(lot_size: int) -> SamplePlan:
    """The plan for a lot: follow the arrows, use the ``*`` single plan, or inspect 100 %.

    100 % inspection applies when the sample would be as large as the lot or larger; for a double plan
    "the sample" is both samples together, since the second one may have to be drawn.
    """
    letter = code_letter(lot_size)
    used = PLAN_LETTER[letter]
    if used in DOUBLE_PLANS:
        d = DOUBLE_PLANS[used]
        if d.n1 + d.n2 >= lot_size:
            return SamplePlan(lot_size, letter, used, Scheme.FULL)
        return SamplePlan(lot_size, letter, used, Scheme.DOUBLE, double=d)
    s = _SINGLE_FOR_STAR[used]
    if s.n >= lot_size:
        return SamplePlan(lot_size, letter, used, Scheme.FULL)
    return SamplePlan(lot_size, letter, used, Scheme.SINGLE, single=s)


def _count(defects: int, tested: int, size: int, which: str) -> None:
    if defects < 0 or tested != size:
        raise InputError(
            f"The {which} sample has {tested} of its {size} units judged; "
            "every unit of the sample must pass or fail before the lot is decided."
        )


def decide_first(plan: SamplePlan, defects: int, tested: int) -> Decision:
    """The decision after the first sample: accept, reject or draw the second sample (double plans only).

    For 100 % inspection there is no lot decision: each unit stands on its own (see ``decide_units``).
    """
    if plan.scheme is Scheme.FULL:
        raise InputError("A lot inspected 100 % is not accepted or rejected as a whole; each unit is judged.")
    _count(defects, tested, plan.first_sample_size, "first")
    if plan.scheme is Scheme.SINGLE:
        return Decision.ACCEPT if defects <= plan.single.ac else Decision.REJECT
    d = plan.double
    if defects <= d.ac1:
        return Decision.ACCEPT
    if defects >= d.re1:
        return Decision.REJECT
    return Decision.SECOND_SAMPLE


def decide_second(plan: SamplePlan, first_defects: int, second_defects: int, tested: int) -> Decision:
    """The decision after the second sample, on the cumulative count of defective units."""
    if plan.scheme is not Scheme.DOUBLE:
        raise InputError(f"A {plan.scheme.value} plan has no second sample.")
    if decide_first(plan, first_defects, plan.double.n1) is not Decision.SECOND_SAMPLE:
        raise InputError(
            f"The first sample ({first_defects} defective) already decided the lot; no second sample is drawn."
        )
    _count(second_defects, tested, plan.double.n2, "second")
    total = first_defects + second_defects
    # Re2 = Ac2 + 1 in every row, so the two branches cover every count.
    return Decision.ACCEPT if total <= plan.double.ac2 else Decision.REJECT


def sample_order(units: Sequence[str], seed: int) -> list[str]:
    """Every unit of the lot in a random order fixed by ``seed``.

    The first sample is the first n1 units of this order and the second sample the next n2, so the two
    samples never overlap and anyone with the lot list and the recorded seed draws the same units again.
    The units are sorted first so the order does not depend on how the lot list was scanned.
    """
    ordered = sorted(set(units))
    if len(ordered) != len(units):
        raise InputError("The lot list has the same unit twice; each meter may be in a lot once.")
    random.Random(seed).shuffle(ordered)
    return ordered


def draw(units: Sequence[str], plan: SamplePlan, seed: int, stage: int) -> list[str]:
    """The units of sample ``stage`` (1 or 2) for ``plan``; for 100 % inspection stage 1 is the whole lot."""
    if len(units) != plan.lot_size:
        raise InputError(f"The lot list has {len(units)} units but the plan is for a lot of {plan.lot_size}.")
    order = sample_order(units, seed)
    n1 = plan.first_sample_size
    if stage == 1:
        return order[:n1]
    if stage == 2 and plan.scheme is Scheme.DOUBLE:
        return order[n1 : n1 + plan.second_sample_size]
    raise InputError(f"A {plan.scheme.value} plan has no sample {stage}.")
