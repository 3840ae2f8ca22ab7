"""The ranked cascade (records/cascade.py): the first preference who can take the client today,
and for each earlier one the rule that rules them out; hand-built records, the sample's real
profiles."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

from coachdir.loader import Loaded, load_file
from coachdir.programme import load_programme
from coachdir.records.cascade import after_decline, cascade, declined_by
from coachdir.records.files import Records
from coachdir.records.model import Engagement, HistoryStep
from coachdir.records.rules.base import RecordContext

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 22)
PROGRAMME = load_programme(REPO)[0]
GOOD, OTHER = "oceane-guillou", "chloe-gagnon"
LAPSED = "mathis-rolland"  # supervision and credential lapsed on the demo's today
CHARTER = "lukas-hoffmann"  # signed an outdated charter version


def _profiles() -> dict[str, dict[str, Any]]:
    out = {}
    for path in sorted((REPO / "coaches").glob("*.yml")):
        data = load_file(str(path), f"coaches/{path.name}").data
        assert data is not None
        out[path.stem] = data
    return out


PROFILES = _profiles()


def _context(profiles: dict[str, dict[str, Any]] | None = None) -> RecordContext:
    assert PROGRAMME is not None
    found = profiles or PROFILES
    return RecordContext(PROGRAMME, TODAY, tuple(sorted(found)), found)


def _engagement(
    number: int,
    steps: list[HistoryStep],
    preferences: tuple[str, ...] = (),
    *,
    unit: str = "U2/U7/U3",
    manages: bool = False,
    client: str | None = None,
) -> Engagement:
    coaches = [s.coach for s in steps if s.coach]
    return Engagement(
        id=f"2026-{number:04d}",
        client=client or f"C-{chr(ord('A') + number) * 10}",
        contract_type="civil-servant",
        unit=unit,
        manages_unit=manages,
        cohort="cohort-2026",
        offer="coaching",
        expertise="career",
        language="fr",
        kind="individual",
        initiated_by="self",
        preferences=preferences,
        history=tuple(steps),
        coach=coaches[-1] if coaches else None,
    )


def _declined(number: int, by: str, preferences: tuple[str, ...], **kw: Any) -> Engagement:
    steps = [
        HistoryStep("requested", "2026-11-01"),
        HistoryStep("reviewed", "2026-11-02"),
        HistoryStep("intro", "2026-11-03", coach=by),
        HistoryStep("declined", "2026-11-20"),
    ]
    return _engagement(number, steps, preferences, **kw)


def _active(number: int, coach: str, **kw: Any) -> Engagement:
    steps = [
        HistoryStep("requested", "2026-09-01"),
        HistoryStep("reviewed", "2026-09-02"),
        HistoryStep("intro", "2026-09-03", coach=coach),
        HistoryStep("accepted", "2026-09-10"),
        HistoryStep("active", "2026-09-15"),
    ]
    return _engagement(number, steps, (coach,), **kw)


def _records(*engagements: Engagement) -> Records:
    return Records(
        engagements=[
            (Loaded(f"records/engagements/{e.id}.yml", {"id": e.id}), e) for e in engagements
        ]
    )


def _run(target: Engagement, *others: Engagement, profiles: Any = None) -> list[tuple[str, Any]]:
    records = _records(target, *others)
    loaded = records.engagements[0][0]
    found = cascade(loaded, target, records, _context(profiles))
    return [(c.coach, c.rule) for c in found.candidates]


def test_a_coach_who_declined_is_skipped_and_the_next_proposed() -> None:
    target = _declined(1, GOOD, (GOOD, OTHER, LAPSED))
    assert _run(target) == [(GOOD, "next.declined"), (OTHER, None)]


def test_an_expired_intro_rules_its_coach_out_too() -> None:
    steps = [
        HistoryStep("requested", "2026-11-01"),
        HistoryStep("reviewed", "2026-11-02"),
        HistoryStep("intro", "2026-11-03", coach=GOOD),
        HistoryStep("expired", "2026-11-20"),
    ]
    target = _engagement(1, steps, (GOOD, OTHER))
    assert declined_by(target) == {GOOD}
    assert _run(target) == [(GOOD, "next.declined"), (OTHER, None)]


def test_the_coach_of_the_intro_in_progress_is_not_proposed_again() -> None:
    steps = [HistoryStep("requested", "2026-11-01"), HistoryStep("intro", "2026-11-03", coach=GOOD)]
    assert _run(_engagement(1, steps, (GOOD, OTHER))) == [(GOOD, "next.current"), (OTHER, None)]


def test_standing_supervision_and_charter_rule_coaches_out() -> None:
    target = _declined(1, OTHER, (LAPSED, CHARTER, GOOD))
    assert _run(target) == [
        (LAPSED, "standing.supervision"),
        (CHARTER, "standing.charter"),
        (GOOD, None),
    ]


def test_a_full_coach_is_capacity_exceeded() -> None:
    profiles = copy.deepcopy(PROFILES)
    profiles[GOOD]["capacity"] = 1
    target = _declined(1, OTHER, (GOOD, "aminata-ndiaye"))
    busy = _active(2, GOOD, unit="U9/U1")
    assert _run(target, busy, profiles=profiles)[0] == (GOOD, "capacity.exceeded")
    # with a second place the same coach is proposed
    assert _run(target, busy)[0] == (GOOD, None)


def test_a_coach_not_accepting_is_ruled_out() -> None:
    profiles = copy.deepcopy(PROFILES)
    profiles[GOOD]["status"] = "paused"
    target = _declined(1, OTHER, (GOOD,))
    assert _run(target, profiles=profiles) == [(GOOD, "next.not-accepting")]


def test_a_conflict_of_line_rules_the_coach_out() -> None:
    manager = _active(2, GOOD, unit="U2/U7", manages=True)
    target = _declined(1, OTHER, (GOOD, "aminata-ndiaye"), unit="U2/U7/U3")
    assert _run(target, manager)[0] == (GOOD, "conflict.line")
    # a client elsewhere in the organisation is no conflict
    assert _run(_declined(1, OTHER, (GOOD,), unit="U5/U1"), manager) == [(GOOD, None)]


def test_no_preference_left() -> None:
    target = _declined(1, GOOD, (GOOD, LAPSED))
    records = _records(target)
    found = cascade(records.engagements[0][0], target, records, _context())
    assert found.proposed is None
    assert [c.rule for c in found.candidates] == ["next.declined", "standing.supervision"]


def test_after_decline_lists_declined_and_recently_expired_only() -> None:
    declined = _declined(1, GOOD, (GOOD, OTHER))
    old_expiry = [
        HistoryStep("requested", "2026-09-01"),
        HistoryStep("intro", "2026-09-03", coach=GOOD),
        HistoryStep("expired", "2026-10-01"),
    ]
    fresh = [*old_expiry[:2], HistoryStep("expired", "2026-11-20")]
    records = _records(
        declined,
        _engagement(2, old_expiry, (GOOD, OTHER)),
        _engagement(3, fresh, (GOOD,)),
        _active(4, OTHER),
    )
    found = after_decline(records, _context(), within_days=7)
    assert [(c.engagement, c.proposed) for c in found] == [
        ("2026-0001", OTHER),
        ("2026-0003", None),
    ]
