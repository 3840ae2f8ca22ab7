"""The attacker's linear program: what can be worked out about each hidden cell from
everything published.

The variables are the finest cells (one per quarter and value of every dimension the tables
of one measure use), each at least 0 (less what an insider knows). Every published cell of
every release is a linear relation over them: an equality for an exact value, an interval
``[v-2, v+2]`` for a value rounded to base 5. Every hidden cell is at most the public bound
``U``. The minimum and maximum of each hidden cell are then two linear programs, solved by
HiGHS through ``scipy.optimize.linprog``.

Safety rule: a cell of 1 to T-1 people is safe when at least **two integer values** remain
possible (``floor(max) - ceil(min) >= 1``): then nobody can recompute it exactly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import linprog  # type: ignore[import-untyped]
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]

from coachdir.problems import InvalidInput

#: tolerance on the solver's floating-point bounds
EPSILON = 1e-6


@dataclass(frozen=True)
class Relation:
    """One published figure: the sum of the variables ``support`` lies in ``[low, high]``."""

    support: tuple[int, ...]
    low: float
    high: float


class Infeasible(InvalidInput):
    """The published figures and the bound admit no table (they do not match the records);
    release.py says what to do about it."""


def _matrix(rows: Sequence[tuple[int, ...]], size: int) -> csr_matrix:
    data: list[float] = []
    cols: list[int] = []
    pointers = [0]
    for support in rows:
        cols.extend(support)
        data.extend([1.0] * len(support))
        pointers.append(len(cols))
    return csr_matrix((data, cols, pointers), shape=(len(rows), size))


#: A_ub, b_ub, A_eq, b_eq for linprog (each None when empty)
_System = tuple[Any, Any, Any, Any]


def _system(
    size: int,
    published: Sequence[Relation],
    hidden: Sequence[tuple[int, ...]],
    upper: float | Sequence[float],
) -> _System:
    """The constraint matrices: every published relation, every hidden cell ``<= upper``."""
    uppers = [float(upper)] * len(hidden) if isinstance(upper, (int, float)) else list(upper)
    equal = [r for r in published if r.low == r.high]
    ranged = [r for r in published if r.low != r.high]
    a_eq = _matrix([r.support for r in equal], size) if equal else None
    b_eq = np.array([r.low for r in equal]) if equal else None
    ub_rows = [r.support for r in ranged] * 2 + list(hidden)
    b_ub_list = [r.high for r in ranged] + [-r.low for r in ranged] + uppers
    a_ub = None
    b_ub = None
    if ub_rows:
        a_ub = _matrix(ub_rows, size).tolil()
        for i in range(len(ranged), 2 * len(ranged)):
            a_ub[i, :] = -a_ub[i, :]
        a_ub = a_ub.tocsr()
        b_ub = np.array(b_ub_list)
    return a_ub, b_ub, a_eq, b_eq


def _extremes(
    system: _System, size: int, support: tuple[int, ...], floor: Any = None
) -> list[tuple[float, Any]]:
    """The min and the max of the sum over ``support`` (each with an optimal point), for
    variables ``x >= floor`` (0 when not given)."""
    a_ub, b_ub, a_eq, b_eq = system
    c = np.zeros(size)
    c[list(support)] = 1.0
    ends: list[tuple[float, Any]] = []
    for sign in (1.0, -1.0):
        result = linprog(
            sign * c,
            A_ub=a_ub,
            b_ub=b_ub,
            A_eq=a_eq,
            b_eq=b_eq,
            bounds=(0, None) if floor is None else [(f, None) for f in floor],
            method="highs",
        )
        if result.status == 2:
            raise Infeasible("the published figures admit no table")
        if result.status != 0:
            raise RuntimeError(f"the audit's linear program failed: {result.message}")
        ends.append((sign * float(result.fun), result.x))
    return ends


def cell_bounds(
    size: int,
    published: Sequence[Relation],
    hidden: Sequence[tuple[int, ...]],
    upper: float | Sequence[float],
    targets: Sequence[tuple[int, ...]],
) -> list[tuple[float, float]]:
    """The (min, max) of the sum over each target support, for variables ``x >= 0`` with
    every published relation holding and every hidden cell ``<= upper`` (one bound for all,
    or one per hidden cell)."""
    system = _system(size, published, hidden, upper)
    out: list[tuple[float, float]] = []
    for support in targets:
        (low, _), (high, _) = _extremes(system, size, support)
        out.append((low, high))
    return out


def joint_bounds(
    size: int,
    published: Sequence[Relation],
    hidden: Sequence[tuple[int, ...]],
    upper: float,
    targets: Sequence[tuple[int, ...]],
    insiders: Sequence[tuple[dict[int, float], Sequence[int]]],
    exact: bool = True,
) -> tuple[list[tuple[float, float]], list[list[tuple[float, float]]]]:
    """The outsider's (min, max) of each target, and each insider's of the targets it lists:
    an insider knows ``known[i]`` of variable i (a coach's own clients) and bounds what
    remains of each target, exactly as ``cell_bounds`` on ``insider(...)`` would.

    The insider's tables are the outsider's with ``x >= known``, less ``known``. So when an
    outsider's optimal point is already ``>= known``, it is the insider's optimum too, and the
    insider's bound is the outsider's less the known part, with no linear program of its own.
    Besides the outsider's own optimal points, one more is sought per target and direction:
    an optimum with ``x >=`` the known part of every insider with no part in the target, at
    once; when it reaches the outsider's bound, it settles them all. With ``exact`` false, its
    min and max also settle every one of those insiders for whom they are two integer values
    apart: that interval lies inside the insider's own (their tables include these), so the
    cell is safe for them, as their own LP would find; the bound given for them is then this
    narrower one. Only the insiders left get their own LPs."""
    system = _system(size, published, hidden, upper)
    outsider: list[tuple[float, float]] = []
    points: list[list[list[Any]]] = []
    inner: list[tuple[tuple[float, float], set[int]]] = []
    for support in targets:
        ends = _extremes(system, size, support)
        outsider.append((ends[0][0], ends[1][0]))
        candidates: list[list[Any]] = [[ends[0][1]], [ends[1][1]]]
        # the insiders with no part in the target itself (those with one need their own LP)
        inside = set(support)
        floor = [0.0] * size
        for known, _ in insiders:
            if not inside.intersection(known):
                for i, v in known.items():
                    floor[i] = max(floor[i], v)
        narrow = (math.inf, -math.inf)
        if any(floor):
            floored = _extremes(system, size, support, floor)
            narrow = (floored[0][0], floored[1][0])
            for side, (value, point) in enumerate(floored):
                if abs(value - ends[side][0]) <= EPSILON:
                    candidates[side].append(point)
        points.append(candidates)
        inner.append((narrow, inside))
    found: list[list[tuple[float, float]]] = []
    for known, wanted in insiders:
        rest: list[int] = []
        mine: dict[int, tuple[float, float]] = {}
        for t in wanted:
            part = sum(known.get(i, 0.0) for i in targets[t])
            if all(
                any(all(p[i] >= v - EPSILON for i, v in known.items()) for p in candidates)
                for candidates in points[t]
            ):
                mine[t] = (outsider[t][0] - part, outsider[t][1] - part)
            elif (
                not exact
                and not inner[t][1].intersection(known)
                and two_values(inner[t][0][0] - part, inner[t][0][1] - part)
            ):
                mine[t] = (inner[t][0][0] - part, inner[t][0][1] - part)
            else:
                rest.append(t)
        if rest:
            vector = [known.get(i, 0.0) for i in range(size)]
            rels, uppers = insider(published, hidden, upper, vector)
            solved = cell_bounds(size, rels, hidden, uppers, [targets[t] for t in rest])
            mine.update(zip(rest, solved, strict=True))
        found.append([mine[t] for t in wanted])
    return outsider, found


def two_values(low: float, high: float) -> bool:
    """The safety rule: at least two integer values in ``[low, high]``."""
    return math.floor(high + EPSILON) - math.ceil(low - EPSILON) >= 1


def insider(
    published: Sequence[Relation],
    hidden: Sequence[tuple[int, ...]],
    upper: float,
    known: Sequence[float],
) -> tuple[list[Relation], list[float]]:
    """An insider's problem: with ``known[i]`` of variable i known (a coach's own clients),
    what remains, ``y = x - known >= 0``, obeys every relation and bound less the known part."""
    rels = [
        Relation(
            r.support,
            r.low - sum(known[i] for i in r.support),
            r.high - sum(known[i] for i in r.support),
        )
        for r in published
    ]
    return rels, [upper - sum(known[i] for i in h) for h in hidden]
