"""The joint audit at scale: every coach is still audited as an insider, but a coach whose
known part an outsider's optimum already covers costs no linear program of their own, and
the bounds found are exactly those of a linear program per coach."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from coachdir.indicators import audit as audit_module
from coachdir.indicators.audit import Relation, cell_bounds, insider, joint_bounds, two_values
from coachdir.indicators.manifest import parse_release
from coachdir.indicators.measures import Observation
from coachdir.indicators.release import audit, make_release
from coachdir.programme import Programme


def _programme(offers: list[str], cohorts: list[str]) -> Programme:
    terms = [{"id": r, "fr": r, "en": r} for r in offers]
    raw = {
        "cohorts": [
            {"id": c, "fr": c, "en": c, "opens": "2025-01-01", "closes": "2026-12-31", "places": 1}
            for c in cohorts
        ],
        "vocabularies": {"offers": terms, "expertise": terms, "entities": terms},
        "session_plan": {"sessions": 5},
        "indicators": {
            "threshold": 10,
            "bound": 1000,
            "tables": [{"id": "t", "measure": "requests", "rows": "offer", "columns": "cohort"}],
        },
    }
    return Programme(raw, Path("."))


def _many_coaches(coaches: int) -> tuple[Any, list[Observation], dict[str, Any]]:
    """A 3x3 table with small cells; each coach has one client in a large cell."""
    q1 = parse_release("2025-Q1")
    assert q1 is not None
    offers, cohorts = ["o0", "o1", "o2"], ["c0", "c1", "c2"]
    grid = [[3, 40, 50], [45, 2, 60], [55, 70, 4]]
    obs = []
    n = 0
    for i, offer in enumerate(offers):
        for j, cohort in enumerate(cohorts):
            for k in range(grid[i][j]):
                coach = f"coach-{n % coaches}" if grid[i][j] > 10 else "coach-small"
                client = f"C-{offer}-{cohort}-{k}"
                obs.append(
                    Observation("requests", ("2025-Q1", offer, "x", "e", cohort), client, coach, 1)
                )
                n += 1
    doc = make_release(_programme(offers, cohorts), obs, q1, [])
    return q1, obs, doc


def test_the_insider_audit_does_not_solve_two_lps_per_coach_and_cell(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    q1, obs, doc = _many_coaches(200)
    calls = 0
    real = audit_module.linprog

    def counting(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(audit_module, "linprog", counting)
    assert audit([(q1, doc)], obs, 10, 1000, "requests") == []
    # two LPs per small cell and coach would be over 1,200; the outsider's optima and one
    # floored optimum per small cell settle almost every coach
    assert calls < 100, calls
    found: dict[Any, tuple[float, float]] = {}
    assert audit([(q1, doc)], obs, 10, 1000, "requests", bounds_out=found) == []
    small = {key[2] for key in found}
    coaches = {key[3] for key in found}
    assert len(small) >= 3 and len(coaches) > 150  # the outsider and most coaches


def _random_problem(
    rng: random.Random,
) -> tuple[int, list[Relation], list[tuple[int, ...]], list[float]]:
    """A random 2-D table (rows x cols finest cells) with its margins, some cells hidden."""
    rows, cols = rng.randint(1, 3), rng.randint(2, 3)
    truth = [float(rng.randint(0, 6)) for _ in range(rows * cols)]
    lines = [tuple(r * cols + c for c in range(cols)) for r in range(rows)]
    lines += [tuple(r * cols + c for r in range(rows)) for c in range(cols)]
    lines += [tuple(i for i in range(rows * cols))] + [(i,) for i in range(rows * cols)]
    published, hidden = [], []
    for support in lines:
        if rng.random() < 0.5:
            hidden.append(support)
        else:
            v = sum(truth[i] for i in support)
            published.append(Relation(support, v, v))
    return rows * cols, published, hidden, truth


@pytest.mark.parametrize("seed", range(40))
def test_joint_bounds_equal_one_lp_per_insider(seed: int) -> None:
    rng = random.Random(seed)
    size, published, hidden, truth = _random_problem(rng)
    if not hidden:
        return
    upper = max([12.0] + [sum(truth[i] for i in h) for h in hidden])
    knowns = []
    for _ in range(3):
        known = {
            i: float(rng.randint(0, int(truth[i])))
            for i in range(size)
            if truth[i] and rng.random() < 0.5
        }
        knowns.append((known, list(range(len(hidden)))))
    outsider, insiders = joint_bounds(size, published, hidden, upper, hidden, knowns)
    assert outsider == cell_bounds(size, published, hidden, upper, hidden)
    _, quick = joint_bounds(size, published, hidden, upper, hidden, knowns, exact=False)
    for (known, _), found, fast in zip(knowns, insiders, quick, strict=True):
        vector = [known.get(i, 0.0) for i in range(size)]
        rels, uppers = insider(published, hidden, upper, vector)
        expected = cell_bounds(size, rels, hidden, uppers, hidden)
        assert [(round(a, 6), round(b, 6)) for a, b in found] == [
            (round(a, 6), round(b, 6)) for a, b in expected
        ]
        # the quick mode's bounds lie inside the exact ones, with the same safety verdict
        for (low, high), (a, b) in zip(fast, found, strict=True):
            assert a - 1e-6 <= low and high <= b + 1e-6
            assert two_values(low, high) == two_values(a, b)
