"""Immersion records (records/immersions/): the typed records the loader gives, the rules'
edges the case folders do not pin (the 3-year window's bounds, counting days once and only
accepted periods, month arithmetic, offers not read), and the demo generators' immersions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from coachdir.loader import Loaded
from coachdir.offerings.immersions import load_immersions
from coachdir.programme import Programme, load_programme
from coachdir.records.files import Records, load_records
from coachdir.records.immersions import Answer, ImmersionRecord
from coachdir.records.rules import RecordContext
from coachdir.records.rules import immersion as rule
from conftest import ROOT

TODAY = date(2026, 11, 22)


def _programme() -> Programme:
    programme, _, problems = load_programme(ROOT)
    assert programme is not None, problems
    return programme


def _record(
    rid: str, days: list[str], *, client: str = "C-AAAAAAAAAA", decision: str = "accepted"
) -> tuple[Loaded, ImmersionRecord]:
    data = {"days": days}  # positions: days[i] of this little document
    loaded = Loaded(f"records/immersions/{rid}.yml", data)
    record = ImmersionRecord(
        id=rid,
        offer="phare-ouessant",
        client=client,
        contract_type="civil-servant",
        unit="U2/U7",
        requested="2020-01-06",
        days=tuple(days),
        answer=Answer("2020-01-10", decision, None if decision == "accepted" else "other"),
    )
    return loaded, record


def _cap(*records: tuple[Loaded, ImmersionRecord]) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in rule._cap(Records(immersions=list(records)))]


def _weekdays(start: str, count: int) -> list[str]:
    day, out = date.fromisoformat(start), []
    while len(out) < count:
        if day.weekday() < 5:
            out.append(day.isoformat())
        day = date.fromordinal(day.toordinal() + 1)
    return out


def test_the_sample_records_load_typed() -> None:
    programme = _programme()
    coach_ids = sorted(p.stem for p in (ROOT / "coaches").glob("*.yml"))
    records = load_records(ROOT / "records", ROOT, programme, coach_ids)
    assert not records.problems
    assert [r.id for _, r in records.immersions] == ["2026-0001", "2026-0002", "2026-0003"]
    first = records.immersions[0][1]
    assert first.offer == "balisage-lorient" and first.accepted
    assert first.answer is not None and first.answer.reason is None
    postponed = records.immersions[1][1]
    assert not postponed.accepted and postponed.answer is not None
    assert postponed.answer.reason in programme.immersion_reasons
    # every immersion record is also read by the PII scan
    assert {loaded.path for loaded, _ in records.immersions} <= {s.path for s in records.scanned}


def test_the_cap_window_is_three_years_half_open() -> None:
    first = _weekdays("2020-01-06", 10)
    second = _weekdays("2021-01-04", 10)
    # the 21st day exactly 3 years after the first day: outside [d, d + 3 years)
    assert (
        _cap(
            _record("2020-0001", first),
            _record("2021-0001", second),
            _record("2023-0001", ["2023-01-06", "2023-01-09"]),
        )
        == []
    )
    # one day earlier: inside, and reported at that day
    found = _cap(
        _record("2020-0001", first),
        _record("2021-0001", second),
        _record("2023-0001", ["2023-01-05", "2023-01-09"]),
    )
    assert found == [
        (
            "records/immersions/2023-0001.yml",
            "days[0]: day 21 of this agent's immersions within 3 years (at most 20)",
        )
    ]


def test_the_cap_counts_accepted_days_once_per_client() -> None:
    first = _weekdays("2020-01-06", 10)
    second = _weekdays("2021-01-04", 10)
    # the same days twice (two records) count once; another client's days do not count
    assert (
        _cap(
            _record("2020-0001", first),
            _record("2020-0002", first),
            _record("2021-0001", second),
            _record("2021-0002", ["2021-03-01", "2021-03-02"], client="C-BBBBBBBBBB"),
        )
        == []
    )
    # a refused or postponed period does not count
    assert (
        _cap(
            _record("2020-0001", first),
            _record("2021-0001", second),
            _record("2021-0002", ["2021-03-01", "2021-03-02"], decision="refused"),
            _record("2021-0003", ["2021-03-03", "2021-03-04"], decision="postponed"),
        )
        == []
    )
    # 22 days: reported once, at the 21st
    found = _cap(
        _record("2020-0001", first),
        _record("2021-0001", second),
        _record("2021-0002", ["2021-03-01", "2021-03-02"]),
    )
    assert len(found) == 1 and found[0][1].startswith("days[0]: day 21")


def test_months_after_keeps_the_day_or_the_month_end() -> None:
    assert rule.months_after(date(2026, 9, 14), 3) == date(2026, 12, 14)
    assert rule.months_after(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert rule.months_after(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert rule.months_after(date(2026, 12, 31), 1) == date(2027, 1, 31)
    assert rule.months_after(date(2027, 1, 31), 1) == date(2027, 2, 28)


def test_notice_of_exactly_three_months_is_enough() -> None:
    loaded = Loaded("records/immersions/2026-0001.yml", {"requested": "2026-09-14"})
    base = _record("2026-0001", ["2026-12-14", "2026-12-15"])[1]
    ok = ImmersionRecord(**{**_fields(base), "requested": "2026-09-14"})
    assert list(rule._notice(loaded, ok)) == []
    late = ImmersionRecord(**{**_fields(base), "requested": "2026-09-15"})
    assert [p.rule for p in rule._notice(loaded, late)] == ["immersion.notice"]
    agreed = ImmersionRecord(**{**_fields(late), "short_notice_agreed": True})
    assert list(rule._notice(loaded, agreed)) == []


def _fields(record: ImmersionRecord) -> dict[str, object]:
    return {name: getattr(record, name) for name in ImmersionRecord.__slots__}


def test_offer_rules_are_skipped_when_the_offers_were_not_read() -> None:
    programme = _programme()
    loaded, record = _record("2026-0001", ["2027-04-13", "2027-04-14", "2027-04-15"])
    unknown = ImmersionRecord(
        **{
            **_fields(record),
            "offer": "no-such-offer",
            "requested": "2026-10-05",
            "answer": Answer("2026-10-10", "accepted"),
        }
    )
    records = Records(immersions=[(loaded, unknown)])
    not_read = RecordContext(programme, TODAY, ())
    assert [p.rule for p in rule.check(records, not_read)] == []
    offers, _ = load_immersions(ROOT, programme)
    read = RecordContext(programme, TODAY, (), {}, {o.id: o for o in offers})
    assert [p.rule for p in rule.check(records, read)] == ["immersion.outside-offer"]


def test_scaled_demo_generates_valid_immersions(tmp_path: Path) -> None:
    from coachdir.tools.demorecords import generate_scaled_records, write_records
    from coachdir.validation.engine import validate

    programme = _programme()
    files = generate_scaled_records(ROOT, programme, 400)
    immersions = {rel: text for rel, text in files.items() if rel.startswith("immersions/")}
    assert len(immersions) == 20
    offers = set()
    decisions = set()
    for text in immersions.values():
        data = yaml.safe_load(text)
        offers.add(data["offer"])
        decisions.add(data["answer"]["decision"])
        assert 2 <= len(data["days"]) <= 10
    assert offers == {p.stem for p in (ROOT / "immersions").glob("*.yml")}
    assert decisions == {"accepted", "postponed"}
    write_records(tmp_path / "records", files)
    report = validate(ROOT, today=TODAY, records=tmp_path / "records")
    assert not [p for p in report.problems if "immersions/" in p.path], [
        (p.path, p.rule, p.message) for p in report.problems if "immersions/" in p.path
    ][:5]
