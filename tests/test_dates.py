"""coachdir.dates: the one range of stored dates (1950-01-01 to 2099-12-31), its parser that
never raises, the planning horizons; and, end to end, that a date out of the range or a held
session after today is a problem (exit 1) for every command that reads it, never a crash
(exit 3), and never counted by ``hours``."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coachdir import dates
from coachdir.loader import load_text
from coachdir.schema import SchemaChecker
from conftest import ROOT, TODAY, copy_programme, run_cli

_STORED = st.dates(min_value=dates.EARLIEST, max_value=dates.LATEST)
_OUTSIDE = st.one_of(
    st.dates(max_value=dates.EARLIEST - timedelta(days=1)),
    st.dates(min_value=dates.LATEST + timedelta(days=1)),
)
#: strings near the YYYY-MM-DD form: digits and hyphens in its shape, and anything else
_NEAR = st.one_of(
    st.text(),
    st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"),
    st.from_regex(r"\A[0-9٠-٩]{4}-[0-9]{1,3}-[0-9]{1,3}\n?\Z"),
)


def test_the_range() -> None:
    assert date(1950, 1, 1) == dates.EARLIEST
    assert date(2099, 12, 31) == dates.LATEST
    assert dates.parse("1950-01-01") == date(1950, 1, 1)
    assert dates.parse("2099-12-31") == date(2099, 12, 31)
    for outside in ("1949-12-31", "2100-01-01", "0000-01-01", "0001-01-01", "9999-12-31"):
        assert dates.parse(outside) is None, outside
        assert not dates.is_stored(outside)


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-29",  # not a leap year
        "2026-13-01",
        "2026-00-10",
        "2026-04-31",
        "20261122",  # date.fromisoformat accepts it; the stored form does not
        "2026-11-22\n",
        "2026-11-22T10:00",
        "٢٠٢٦-١١-٢٢",  # Arabic-Indic digits are digits to int(), not to the form
        " 2026-11-22",
        "",
    ],
)
def test_not_a_day(text: str) -> None:
    assert dates.parse_day(text) is None
    assert dates.parse(text) is None
    assert dates.out_of_range(text) is None


def test_not_text() -> None:
    for value in (None, 20261122, date(2026, 11, 22), ["2026-11-22"]):
        assert dates.parse(value) is None
        assert dates.out_of_range(value) is None


def test_out_of_range_says_which_side_without_the_value() -> None:
    assert dates.out_of_range("0000-01-01") == "is before 1950"
    assert dates.out_of_range("0000-02-29") == "is before 1950"  # ISO year 0 is a leap year
    assert dates.out_of_range("1949-12-31") == "is before 1950"
    assert dates.out_of_range("2100-01-01") == "is after 2099"
    assert dates.out_of_range("9999-12-31") == "is after 2099"
    assert dates.out_of_range("1900-02-29") is None  # no such day: a form problem
    assert dates.out_of_range("2026-11-22") is None


def test_horizons() -> None:
    today = date(2026, 11, 22)
    assert dates.horizon(today) == date(2028, 11, 22)
    assert dates.expiry_limit(today) == date(2036, 11, 22)
    assert dates.horizon(date(2028, 2, 29)) == date(2030, 2, 28)
    assert dates.horizon(date(2099, 6, 1)) == dates.LATEST
    assert dates.expiry_limit(date(2095, 1, 1)) == dates.LATEST


@given(_NEAR)
def test_no_string_raises(text: str) -> None:
    day = dates.parse(text)
    assert day is None or dates.EARLIEST <= day <= dates.LATEST
    assert dates.is_stored(text) == (day is not None)
    wrong = dates.out_of_range(text)
    assert wrong is None or day is None  # never both a stored date and out of range


@given(_STORED)
def test_every_stored_day_round_trips(day: date) -> None:
    assert dates.parse(day.isoformat()) == day
    assert dates.out_of_range(day.isoformat()) is None
    assert dates.horizon(day) >= day


@given(_OUTSIDE)
def test_every_day_outside_is_refused_and_named(day: date) -> None:
    text = f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
    assert dates.parse(text) is None
    assert dates.out_of_range(text) == (
        "is before 1950" if day < dates.EARLIEST else "is after 2099"
    )


@given(st.one_of(_STORED, _OUTSIDE).map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}"))
def test_the_schema_layer_uses_the_range(text: str) -> None:
    """format: date in any schema is this module's check: a real day out of the range is
    date.range, at the field, for a schema that quotes values and one that does not."""
    schema = {"type": "object", "properties": {"day": {"type": "string", "format": "date"}}}
    loaded = load_text("x.yml", f'day: "{text}"\n')
    for echo in (True, False):
        found = SchemaChecker(schema, name="x", echo=echo).check(loaded)
        if dates.is_stored(text):
            assert found == []
        else:
            assert [(p.rule, p.line, p.col) for p in found] == [("date.range", 1, 6)]
            assert (text in found[0].message) == echo


# -- end to end: the sample programme with its demo records, one date changed --------------


def _sample(tmp_path: Path) -> Path:
    root = copy_programme(tmp_path / "p")
    shutil.copytree(ROOT / "records", root / "records")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root


def _change(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _crash_free(result: object) -> str:
    out = str(getattr(result, "stdout", "")) + str(getattr(result, "stderr", ""))
    assert "Traceback" not in out and "internal error" not in out, out
    return out


#: what each case changes: (file, old text, new text, the problem id and its culprit)
YEAR_ZERO = {
    "profile": (
        "coaches/zoe-nguyen.yml",
        'last: "2026-09-22"',
        'last: "0000-09-22"',
        "coaches/zoe-nguyen.yml:44:9: error: supervision.last: '0000-09-22' is before 1950",
    ),
    "engagement": (
        "records/engagements/2026-0019.yml",
        'date: "2026-07-27"',
        'date: "0000-07-27"',
        "records/engagements/2026-0019.yml:35:11: error: sessions[1].date: the date is before "
        "1950 [date.range]",
    ),
    "supervision": (
        "records/supervision/zoe-nguyen.yml",
        'date: "2026-09-22"',
        'date: "0000-09-22"',
        "records/supervision/zoe-nguyen.yml:33:11: error: sessions[9].date: the date is before "
        "1950 [date.range]",
    ),
}
#: commands that read the profiles and the records (build reads only the profiles)
COMMANDS = {
    "validate": ["validate", "--no-cache"],
    "hours": ["hours", "zoe-nguyen"],
    "availability": ["availability", "--out", "availability-out.json"],
    "indicators": ["indicators", "--out", "releases"],
    "purge": ["records", "purge"],
}


@pytest.mark.parametrize("where", sorted(YEAR_ZERO))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_year_zero_is_a_problem_for_every_command(tmp_path: Path, where: str, command: str) -> None:
    root = _sample(tmp_path)
    rel, old, new, expected = YEAR_ZERO[where]
    _change(root / rel, old, new)
    result = run_cli(*COMMANDS[command], "--root", str(root), "--today", TODAY, cwd=root)
    out = _crash_free(result)
    assert result.returncode == 1, out
    assert expected in out, out
    assert not (root / "availability-out.json").exists()
    assert not (root / "releases").exists()


def test_build_refuses_a_year_zero_profile(tmp_path: Path) -> None:
    root = _sample(tmp_path)
    _change(root / "coaches/zoe-nguyen.yml", 'signed: "', 'signed: "0000-01-01" #')
    result = run_cli("build", "--root", str(root), "--today", TODAY, cwd=root)
    out = _crash_free(result)
    assert result.returncode == 1, out
    assert "charter.signed: '0000-01-01' is before 1950 [date.range]" in out
    assert not (root / "site" / "index.html").exists()


@pytest.mark.parametrize("where", sorted(YEAR_ZERO))
def test_reminders_report_year_zero_without_a_crash(tmp_path: Path, where: str) -> None:
    """reminders prints what it can remind and counts the errors that block CI (exit 0, as
    for any invalid file); it never crashes on a date out of the range."""
    root = _sample(tmp_path)
    rel, old, new, _ = YEAR_ZERO[where]
    _change(root / rel, old, new)
    result = run_cli("reminders", "--root", str(root), "--today", TODAY, cwd=root)
    out = _crash_free(result)
    assert result.returncode == 0, out
    assert "error(s)" in out and "block" in out, out


@pytest.mark.parametrize(
    ("rel", "old", "new", "expected"),
    [
        (
            "records/engagements/2026-0019.yml",
            'date: "2026-10-28"',
            'date: "2027-02-01"',
            "records/engagements/2026-0019.yml:47:11: error: sessions[4]: a session marked held "
            "is dated after today (2026-11-22) [session.future]",
        ),
        (
            "records/engagements/2026-0019.yml",
            'date: "2026-10-28"',
            'date: "9999-12-31"',
            "records/engagements/2026-0019.yml:47:11: error: sessions[4].date: the date is after "
            "2099 [date.range]",
        ),
        (
            "records/supervision/zoe-nguyen.yml",
            'date: "2026-09-22"',
            'date: "2099-12-31"',
            "records/supervision/zoe-nguyen.yml:33:11: error: sessions[9]: a supervision session "
            "is dated after today (2026-11-22) [session.future]",
        ),
    ],
    ids=["held-2027", "held-9999", "supervision-2099"],
)
def test_hours_refuses_what_has_not_happened(
    tmp_path: Path, rel: str, old: str, new: str, expected: str
) -> None:
    root = _sample(tmp_path)
    before = run_cli("hours", "zoe-nguyen", "--root", str(root), "--today", TODAY, cwd=root)
    assert before.returncode == 0, before.stdout + before.stderr
    _change(root / rel, old, new)
    for fmt in (["--format", "md"], ["--format", "csv", "--out", "log"]):
        result = run_cli(
            "hours", "zoe-nguyen", *fmt, "--root", str(root), "--today", TODAY, cwd=root
        )
        out = _crash_free(result)
        assert result.returncode == 1, out
        assert expected in out, out
        assert "8.25" not in out and "total" not in out  # no log printed
        assert not (root / "log").exists()


@pytest.mark.parametrize("day", ["0000-01-01", "0001-01-01", "1949-12-31", "9999-12-31"])
def test_today_outside_the_range_is_a_usage_error(tmp_path: Path, day: str) -> None:
    result = run_cli("validate", "--root", str(ROOT), "--today", day, cwd=tmp_path)
    out = _crash_free(result)
    assert result.returncode == 2, out
    assert "is not a date from 1950-01-01 to 2099-12-31" in out
