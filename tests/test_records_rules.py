"""Records rules on hand-built records: the capacity sweep against a brute-force count, one
test per conflict rule, and the PII scan never quoting what it found."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from coachdir.loader import Loaded
from coachdir.programme import Programme, load_programme
from coachdir.records.files import Records
from coachdir.records.model import CoachUnit, Engagement, HistoryStep
from coachdir.records.rules import capacity, conflict, pii
from coachdir.records.rules.base import RecordContext, interval

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 22)
START = date(2026, 9, 1)
COACHES = ("alice-martin", "bob-durand", "chloe-petit")


def _programme() -> Programme:
    programme, _, problems = load_programme(REPO)
    assert programme is not None, problems
    return programme


PROGRAMME = _programme()


def _day(offset: int) -> str:
    return (START + timedelta(days=offset)).isoformat()


def _engagement(
    number: int,
    *,
    coach: str = "alice-martin",
    client: str | None = None,
    unit: str = "U2/U7/U3",
    manages: bool = False,
    kind: str = "individual",
    accepted: int = 10,
    final: tuple[str, int] | None = None,
) -> Engagement:
    steps = [
        HistoryStep("requested", _day(0)),
        HistoryStep("intro", _day(1), coach=coach),
        HistoryStep("accepted", _day(accepted)),
    ]
    if final is not None:
        steps.append(HistoryStep(final[0], _day(final[1])))
    return Engagement(
        id=f"2026-{number:04d}",
        client=client or f"C-{chr(ord('A') + number % 26) * 10}",
        contract_type="civil-servant",
        unit=unit,
        manages_unit=manages,
        cohort="cohort-2026",
        offer="mentoring",
        expertise="career",
        language="fr",
        kind=kind,
        initiated_by="self",
        preferences=(coach,),
        history=tuple(steps),
        coach=coach,
    )


def _records(*engagements: Engagement, units: dict[str, CoachUnit] | None = None) -> Records:
    return Records(
        engagements=[
            (Loaded(f"records/engagements/{e.id}.yml", {"id": e.id}), e) for e in engagements
        ],
        coach_units=units or {},
    )


def _context(profiles: dict[str, dict[str, object]] | None = None) -> RecordContext:
    return RecordContext(PROGRAMME, TODAY, COACHES, profiles or {})


# --- capacity: the sweep agrees with a day-by-day count -------------------------------------

_history = st.lists(
    st.tuples(
        st.sampled_from(COACHES),
        st.integers(min_value=0, max_value=59),  # accepted, days after START
        st.one_of(st.none(), st.integers(min_value=0, max_value=59)),  # length, or still open
    ),
    max_size=8,
)


def _brute_force(engagements: list[Engagement], capacities: dict[str, int]) -> set[str]:
    """The engagements that take their coach above capacity, day by day: on the day an
    engagement starts, count the places held that day in the sweep's order (those started
    earlier, or the same day with a smaller id, and not yet ended)."""
    spans = {}
    for e in engagements:
        span = interval(e, TODAY)
        if span is not None and span[1] < span[2]:
            spans[e.id] = (e, span[1], span[2])
    over = set()
    for eid, (e, start, _end) in spans.items():
        held = sum(
            1
            for oid, (o, ostart, oend) in spans.items()
            if o.coach == e.coach and (ostart, oid) <= (start, eid) and oend > start
        )
        if held > capacities[str(e.coach)]:
            over.add(eid)
    return over


@settings(max_examples=200, deadline=None)
@given(_history, st.lists(st.integers(min_value=1, max_value=3), min_size=3, max_size=3))
def test_capacity_sweep_agrees_with_a_day_by_day_count(
    history: list[tuple[str, int, int | None]], caps: list[int]
) -> None:
    engagements = [
        _engagement(
            number + 1,
            coach=coach,
            accepted=accepted,
            final=None if length is None else ("completed", min(accepted + length, 60)),
        )
        for number, (coach, accepted, length) in enumerate(history)
    ]
    capacities = dict(zip(COACHES, caps, strict=True))
    profiles: dict[str, dict[str, object]] = {c: {"capacity": n} for c, n in capacities.items()}
    found = list(capacity.check(_records(*engagements), _context(profiles)))
    assert {p.rule for p in found} <= {"capacity.exceeded"}
    reported = {Path(p.path).stem for p in found}
    assert reported == _brute_force(engagements, capacities)
    # the sweep counts days: no day holds more than the capacity once the reported are removed
    kept = [e for e in engagements if e.id not in reported]
    for offset in range(62):
        day = _day(offset)
        for coach in COACHES:
            held = 0
            for e in kept:
                span = interval(e, TODAY)
                if e.coach == coach and span is not None and span[1] <= day < span[2]:
                    held += 1
            assert held <= capacities[coach]


def test_capacity_frees_the_place_on_the_day_of_the_final_state() -> None:
    first = _engagement(1, accepted=5, final=("completed", 20))
    second = _engagement(2, accepted=20)
    profiles: dict[str, dict[str, object]] = {"alice-martin": {"capacity": 1}}
    assert list(capacity.check(_records(first, second), _context(profiles))) == []
    third = _engagement(3, accepted=19)
    found = list(capacity.check(_records(first, second, third), _context(profiles)))
    # the third takes the only place from day 19; a reported engagement still holds its place,
    # so the second, from day 20, is over too
    assert [Path(p.path).stem for p in found] == ["2026-0003", "2026-0002"]


# --- conflicts of line ----------------------------------------------------------------------


def _conflicts(*engagements: Engagement, units: dict[str, CoachUnit] | None = None) -> list[str]:
    found = conflict.check(_records(*engagements, units=units), _context())
    return [f"{p.rule} {Path(p.path).stem} {p.severity}" for p in found]


def test_conflict_line_manager_and_member_at_the_same_time() -> None:
    manager = _engagement(1, unit="U2/U7", manages=True, accepted=5)
    member = _engagement(2, unit="U2/U7/U3", accepted=10)
    assert _conflicts(manager, member) == ["conflict.line 2026-0002 error"]
    # U2/U70 is not inside U2/U7
    assert _conflicts(manager, _engagement(3, unit="U2/U70", accepted=10)) == []


def test_conflict_line_window_one_after_the_other() -> None:
    manager = _engagement(1, unit="U2/U7", manages=True, accepted=5, final=("completed", 20))
    member = _engagement(2, unit="U2/U7/U3", accepted=30)
    assert _conflicts(manager, member) == ["conflict.line-window 2026-0002 warning"]


def test_conflict_peers_two_of_one_unit() -> None:
    one = _engagement(1, unit="U2/U7/U3", accepted=5)
    other = _engagement(2, unit="U2/U7/U3", accepted=10)
    assert _conflicts(one, other) == ["conflict.peers 2026-0002 warning"]
    # one after the other: no conflict
    done = _engagement(3, unit="U2/U7/U3", accepted=5, final=("completed", 8))
    assert _conflicts(done, other) == []


def test_conflict_own_line_of_the_coach() -> None:
    units = {"alice-martin": CoachUnit("alice-martin", "U1/U4", False)}
    assert _conflicts(_engagement(1, unit="U1/U4/U9"), units=units) == [
        "conflict.own-line 2026-0001 error"
    ]
    assert _conflicts(_engagement(1, unit="U1"), units=units) == [
        "conflict.own-line 2026-0001 error"
    ]
    assert _conflicts(_engagement(1, unit="U1/U5"), units=units) == []


def test_conflict_team_member_after_a_team_engagement() -> None:
    team = _engagement(
        1, unit="U2/U7", manages=True, kind="team", accepted=5, final=("completed", 20)
    )
    member = _engagement(2, unit="U2/U7/U3", accepted=30)
    assert _conflicts(team, member) == ["conflict.team-member 2026-0002 error"]
    # the unit's manager (the team engagement's client) may be coached individually
    manager = _engagement(3, client=team.client, unit="U2/U7", manages=True, accepted=30)
    assert _conflicts(team, manager) == []


# --- PII: what was found is never quoted ----------------------------------------------------

PII_VALUES = {
    "pii.email": [
        "jean.dupont@example.org",
        "jean.dupont\uff20example.org",
        "jean dot dupont at example dot org",
    ],
    "pii.phone": ["06 12 34 56 78", "+33 6 12 34 56 78", "07700 900123"],
    "pii.nir": ["2840675118042 70", "1 85 05 78 006 084 36"],
    "pii.nino": ["QQ 12 34 56 C", "qq123456c"],
    "pii.name": ["Alice Martin", "alice MARTIN"],
}


def test_pii_scan_finds_each_kind_and_never_quotes_it() -> None:
    profiles: dict[str, dict[str, object]] = {"alice-martin": {"name": "Alice Martin"}}
    for rule, values in PII_VALUES.items():
        for value in values:
            loaded = Loaded("records/engagements/2026-0001.yml", {"offer": value})
            records = Records(scanned=[loaded])
            found = list(pii.check(records, _context(profiles)))
            assert rule in {p.rule for p in found}, (rule, value)
            for p in found:
                text = f"{p.message} {p.hint}"
                assert value not in text
                assert value.casefold() not in text.casefold()
                for part in value.replace(".", " ").replace("@", " ").split():
                    if len(part) > 3 and part not in {"example"}:
                        assert part.casefold() not in text.casefold(), (value, text)


def test_pii_scan_leaves_codes_alone() -> None:
    data = {
        "id": "2026-0001",
        "client": "C-AAAAAAAAAA",
        "unit": "U2/U7/U3",
        "coach": "alice-martin",
        "history": [{"state": "requested", "date": "2026-09-01"}],
        "sessions": [{"date": "2026-09-08", "minutes": 30}],
    }
    loaded = Loaded("records/engagements/2026-0001.yml", data)
    profiles: dict[str, dict[str, object]] = {"alice-martin": {"name": "Alice Martin"}}
    assert list(pii.check(Records(scanned=[loaded]), _context(profiles))) == []
