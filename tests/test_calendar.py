"""Calendar files (issue 15, part 3): every generated ``.ics`` is parsed back with icalendar.

One VEVENT per session, UIDs stable across runs and distinct across sessions, DTSTAMP from the
commit time of a real git repository, a VTIMEZONE for every TZID (whose rules give the right
offsets), METHOD:PUBLISH, the same bytes twice; the sample groups; ``coachdir calendar``; and
the records rule ``calendar.no-timezone``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from coachdir.calendar import (
    FALLBACK_EPOCH,
    PlannedSession,
    commit_time,
    engagement_calendar,
    engagement_session_uid,
    group_calendar,
    group_session_uid,
)
from coachdir.offerings.groups import Group, GroupSession, load_groups
from coachdir.problems import InvalidInput
from coachdir.programme import load_programme
from conftest import ROOT, copy_programme, run_cli

STAMP = datetime(2026, 11, 2, 9, 15, 30, tzinfo=UTC)
#: 2026-01-02T03:04:05Z, the committer date of the temporary repositories below
EPOCH = 1767323045


def _sample_groups() -> list[Group]:
    programme, _, problems = load_programme(ROOT)
    assert programme is not None, problems
    coach_ids = sorted(p.stem for p in (ROOT / "coaches").glob("*.yml"))
    groups, problems = load_groups(ROOT, programme, coach_ids)
    assert problems == []
    assert len(groups) >= 2
    return groups


SAMPLE = _sample_groups()


def _group(**changes: object) -> Group:
    base = Group(
        id="codev-test",
        path="groups/codev-test.yml",
        title={"fr": "Groupe, essai ; un", "en": "Group, test; one"},
        scheme="codevelopment",
        facilitators=("alice-martin",),
        audience={"fr": "Tous", "en": "All"},
        languages=("fr",),
        modality="in-person",
        location="Brest, salle 2",
        places_min=5,
        places_max=8,
        join="approval",
        status="open",
        timezone="Europe/Paris",
        sessions=(
            GroupSession("s1", "2026-10-06", "09:30", 120),
            GroupSession("s2", "2026-11-03", "09:30", 120),
            GroupSession("s3", "2027-07-01", "14:00", 150),
        ),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _parse(data: bytes) -> Calendar:
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert data.endswith(b"END:VCALENDAR\r\n")
    return Calendar.from_ical(data)


def _text(value: object) -> str:
    """A TEXT value unescaped as RFC 5545 3.3.11 says (icalendar leaves NAME, a property of
    RFC 7986 it does not type, as written)."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], str(value))


def _tzids(cal: Calendar) -> set[str]:
    """Every TZID parameter used anywhere in the calendar's events."""
    found: set[str] = set()
    for event in cal.walk("VEVENT"):
        for _name, value in event.property_items(sorted=False):
            tzid = getattr(value, "params", {}).get("TZID")
            if tzid:
                found.add(str(tzid))
    return found


def _check_calendar(cal: Calendar, stamp: datetime) -> list[Event]:
    """What every file coachdir writes holds; its events."""
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]).startswith("-//coachdir//")
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert _text(cal["NAME"]) == _text(cal["X-WR-CALNAME"])
    events = list(cal.walk("VEVENT"))
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids), "two events share a UID"
    for event in events:
        assert re.fullmatch(r"[0-9a-f-]{36}@coachdir", str(event["UID"]))
        assert event.decoded("DTSTAMP") == stamp
        assert event.to_ical().count(b"DTSTAMP:") == 1
        assert b"DTSTAMP:" + stamp.strftime("%Y%m%dT%H%M%SZ").encode() in event.to_ical()
        assert int(event["SEQUENCE"]) == 0
    zones = {tz.tz_name: tz for tz in cal.walk("VTIMEZONE")}
    assert set(zones) == _tzids(cal), "a VTIMEZONE for every TZID, and no other"
    assert cal.get_missing_tzids() == set()
    # the VTIMEZONE's own rules (not the machine's database) give each time its offset
    for event in events:
        for name in ("DTSTART", "DTEND"):
            value = event.decoded(name)
            if isinstance(value, datetime) and "TZID" in event[name].params:
                key = str(event[name].params["TZID"])
                own = zones[key].to_tz(lookup_tzid=False)
                naive = value.replace(tzinfo=None)
                assert naive.replace(tzinfo=own).utcoffset() == value.utcoffset(), (key, value)
    return events


# --- groups ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("group", SAMPLE, ids=lambda g: g.id)
def test_every_sample_group_gives_a_valid_calendar(group: Group, lang: str) -> None:
    data = group_calendar(group, STAMP, lang)
    cal = _parse(data)
    events = _check_calendar(cal, STAMP)
    assert _text(cal["NAME"]) == group.title[lang]
    assert cal["NAME"].params["LANGUAGE"] == lang
    assert len(events) == len(group.sessions)
    assert [str(e["UID"]) for e in events] == [
        group_session_uid(group.id, s.id) for s in group.sessions
    ]
    tz = ZoneInfo(group.timezone)
    for event, session in zip(events, group.sessions, strict=True):
        assert event["DTSTART"].params["TZID"] == group.timezone
        assert event["DTEND"].params["TZID"] == group.timezone
        assert event.decoded("DTSTART") == session.starts(tz)
        elapsed = event.decoded("DTEND") - event.decoded("DTSTART")
        assert elapsed == timedelta(minutes=session.minutes)
        assert str(event["LOCATION"]) == group.location
        assert group.title[lang] in str(event["SUMMARY"])
    assert _tzids(cal) == {group.timezone}


def test_the_same_group_gives_the_same_bytes() -> None:
    group = SAMPLE[0]
    assert group_calendar(group, STAMP, "fr") == group_calendar(group, STAMP, "fr")
    # a fresh interpreter (another hash seed, nothing cached) gives them too
    code = (
        "import sys; from tests.test_calendar import SAMPLE, STAMP; "
        "from coachdir.calendar import group_calendar; "
        "sys.stdout.buffer.write(group_calendar(SAMPLE[0], STAMP, 'fr'))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": f"{ROOT}:{ROOT / 'tests'}"}
    other = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, check=True
    )
    assert other.stdout == group_calendar(group, STAMP, "fr")


def test_uids_depend_on_the_group_and_session_ids_only() -> None:
    group = _group()
    before = [str(e["UID"]) for e in _parse(group_calendar(group, STAMP, "fr")).walk("VEVENT")]
    moved = _group(
        title={"fr": "Autre titre", "en": "Other title"},
        location="Quimper",
        sessions=(
            GroupSession("s1", "2026-10-13", "10:00", 90),  # moved a week, same id
            GroupSession("s2", "2026-11-03", "09:30", 120),
            GroupSession("s3", "2027-07-01", "14:00", 150),
        ),
    )
    later = _parse(group_calendar(moved, STAMP + timedelta(days=3), "en"))
    assert [str(e["UID"]) for e in later.walk("VEVENT")] == before
    other = _parse(group_calendar(_group(id="codev-other"), STAMP, "fr"))
    assert not {str(e["UID"]) for e in other.walk("VEVENT")} & set(before)
    # pinned: a change of the namespace or of the name would duplicate every subscriber's
    # events, so it must show here
    assert group_session_uid("codev-brest-2027", "s1") == (
        "f71ed8d7-bb4d-568d-9487-397a01e00ff8@coachdir"
    )
    assert engagement_session_uid("2026-0001", 0) == (
        "7e94d379-752d-589c-85b2-22867dcac8c2@coachdir"
    )


def test_text_is_escaped_and_round_trips() -> None:
    data = group_calendar(_group(), STAMP, "fr")
    assert b"NAME;LANGUAGE=fr:Groupe\\, essai \\; un\r\n" in data
    assert b"X-WR-CALNAME:Groupe\\, essai \\; un\r\n" in data
    assert b"LOCATION:Brest\\, salle 2\r\n" in data
    cal = _parse(data)
    assert _text(cal["NAME"]) == "Groupe, essai ; un"
    assert str(next(iter(cal.walk("VEVENT")))["LOCATION"]) == "Brest, salle 2"
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line  # RFC 5545 3.1: lines folded at 75 octets


def test_a_session_across_a_change_of_the_clocks_lasts_its_minutes() -> None:
    # 2026-10-25 03:00 CEST becomes 02:00 CET in Paris: 01:30 + 120 min of elapsed time
    group = _group(sessions=(GroupSession("s1", "2026-10-25", "01:30", 120),))
    event = next(iter(_check_calendar(_parse(group_calendar(group, STAMP, "en")), STAMP)))
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(minutes=120)
    # 02:30 occurs twice that night: the second one is written in UTC, as RFC 5545 reads a
    # local time that occurs twice as the first
    assert b"DTEND:20261025T013000Z" in event.to_ical()
    assert b"DTSTART;TZID=Europe/Paris:20261025T013000" in event.to_ical()
    # an end at a time that occurs once stays in the group's time zone
    group = _group(sessions=(GroupSession("s1", "2026-10-25", "01:30", 30),))
    event = next(iter(_check_calendar(_parse(group_calendar(group, STAMP, "en")), STAMP)))
    assert b"DTEND;TZID=Europe/Paris:20261025T020000" in event.to_ical()


def test_vtimezone_for_an_overseas_zone_without_summer_time() -> None:
    group = _group(timezone="America/Cayenne")
    cal = _parse(group_calendar(group, STAMP, "fr"))
    _check_calendar(cal, STAMP)
    assert _tzids(cal) == {"America/Cayenne"}
    start = next(iter(cal.walk("VEVENT"))).decoded("DTSTART")
    assert start.utcoffset() == timedelta(hours=-3)


def test_the_stamp_is_utc_and_aware() -> None:
    paris = STAMP.astimezone(ZoneInfo("Europe/Paris"))
    assert group_calendar(_group(), paris, "fr") == group_calendar(_group(), STAMP, "fr")
    with pytest.raises(ValueError, match="aware"):
        group_calendar(_group(), STAMP.replace(tzinfo=None), "fr")


# --- engagements ----------------------------------------------------------------------------

SESSIONS = [
    PlannedSession(0, "2026-09-08", None, 30, "intro"),
    PlannedSession(1, "2026-10-20", "10:30", 45),
    PlannedSession(2, "2026-11-17", "10:30", 45, cancelled=True),
    PlannedSession(3, "2026-12-15", None, 45),
]


def test_engagement_calendar_timed_and_all_day_events() -> None:
    data = engagement_calendar("2026-0007", SESSIONS, "Europe/Paris", STAMP, "fr")
    assert data == engagement_calendar("2026-0007", SESSIONS, "Europe/Paris", STAMP, "fr")
    cal = _parse(data)
    events = _check_calendar(cal, STAMP)
    assert len(events) == len(SESSIONS)
    assert [str(e["UID"]) for e in events] == [
        engagement_session_uid("2026-0007", s.index) for s in SESSIONS
    ]
    intro, first, cancelled, undated = events
    assert intro.decoded("DTSTART") == date(2026, 9, 8)
    assert intro["DTSTART"].params["VALUE"] == "DATE"
    assert intro.decoded("DTEND") == date(2026, 9, 9)
    assert str(intro["TRANSP"]) == "TRANSPARENT"
    assert "30 min" in str(intro["DESCRIPTION"])
    assert first.decoded("DTSTART") == datetime(
        2026, 10, 20, 10, 30, tzinfo=ZoneInfo("Europe/Paris")
    )
    assert first.decoded("DTEND") - first.decoded("DTSTART") == timedelta(minutes=45)
    assert str(first["STATUS"]) == "CONFIRMED"
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert isinstance(undated.decoded("DTSTART"), date)
    assert not isinstance(undated.decoded("DTSTART"), datetime)
    assert _tzids(cal) == {"Europe/Paris"}
    assert [str(e["SUMMARY"]) for e in events] == [
        "Entretien préalable (2026-0007)",
        "Séance 1 (2026-0007)",
        "Séance 2 (2026-0007)",
        "Séance 3 (2026-0007)",
    ]
    assert _text(cal["NAME"]) == "Accompagnement 2026-0007"


def test_an_engagement_without_times_has_no_vtimezone() -> None:
    undated = [s for s in SESSIONS if s.start is None]
    cal = _parse(engagement_calendar("2026-0007", undated, None, STAMP, "en"))
    assert len(_check_calendar(cal, STAMP)) == 2
    assert list(cal.walk("VTIMEZONE")) == []


def test_an_engagement_time_without_a_time_zone_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no timezone"):
        engagement_calendar("2026-0007", SESSIONS, None, STAMP)
    with pytest.raises(InvalidInput, match="not a known IANA time zone"):
        engagement_calendar("2026-0007", SESSIONS, "Europe/Brestt", STAMP)


# --- commit time ----------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_AUTHOR_DATE": "2025-06-01T12:00:00Z",
        "GIT_COMMITTER_DATE": f"@{EPOCH} +0000",
        "HOME": str(repo),
    }
    subprocess.run(["git", "-C", str(repo), *args], env=env, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    # git looks no higher than tmp_path for a repository
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    root = tmp_path / "repo"
    (root / "groups").mkdir(parents=True)
    (root / "groups" / "a.txt").write_text("a\n", encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "first")
    return root


def test_commit_time_is_the_last_commit(repo: Path) -> None:
    expected = datetime.fromtimestamp(EPOCH, UTC)
    assert expected == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert commit_time(repo) == expected
    assert commit_time(repo / "groups") == expected  # a folder inside the repository
    data = group_calendar(_group(), commit_time(repo), "fr")
    assert data.count(b"DTSTAMP:20260102T030405Z\r\n") == 3
    _check_calendar(_parse(data), expected)


def test_commit_time_ignores_the_wall_clock_and_a_new_commit_moves_it(repo: Path) -> None:
    first = commit_time(repo)
    (repo / "groups" / "b.txt").write_text("b\n", encoding="utf-8")
    assert commit_time(repo) == first  # uncommitted changes do not move it
    _git(repo, "add", "-A")
    subprocess.run(
        ["git", "-C", str(repo), "commit", "-q", "-m", "second"],
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
            "GIT_AUTHOR_NAME": "T",
            "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "T",
            "GIT_COMMITTER_EMAIL": "t@example.org",
            "GIT_COMMITTER_DATE": f"@{EPOCH + 3600} +0000",
            "HOME": str(repo),
        },
        check=True,
        capture_output=True,
    )
    assert commit_time(repo) == first + timedelta(hours=1)


def test_source_date_epoch_comes_first(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert commit_time(repo) == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(InvalidInput, match="SOURCE_DATE_EPOCH"):
        commit_time(repo)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")  # set but empty: as if unset
    assert commit_time(repo) == datetime.fromtimestamp(EPOCH, UTC)


def test_outside_a_repository_the_fixed_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    plain = tmp_path / "plain"
    plain.mkdir()
    assert commit_time(plain) == FALLBACK_EPOCH == datetime(1980, 1, 1, tzinfo=UTC)
    _git(plain, "init", "-q")  # a repository with no commit yet
    assert commit_time(plain) == FALLBACK_EPOCH
    # a GIT_DIR of the caller's (a hook's) does not point it at another repository
    monkeypatch.setenv("GIT_DIR", str(ROOT / ".git"))
    assert commit_time(plain) == FALLBACK_EPOCH


# --- the command line -----------------------------------------------------------------------


@pytest.fixture
def prog(tmp_path: Path) -> Path:
    root = copy_programme(tmp_path / "prog")
    shutil.copytree(ROOT / "groups", root / "groups", dirs_exist_ok=True)
    shutil.copytree(ROOT / "records", root / "records")
    return root


EPOCH_ENV = {"SOURCE_DATE_EPOCH": str(EPOCH)}


def test_cli_group_calendar(prog: Path, tmp_path: Path) -> None:
    group = SAMPLE[0]
    out = tmp_path / "out.ics"
    result = run_cli(
        "calendar", "--group", group.id, "--lang", "en", "--out", str(out), cwd=prog, env=EPOCH_ENV
    )
    assert result.returncode == 0, result.stderr
    assert f"Wrote the calendar of group {group.id} in {out}." in result.stdout
    data = out.read_bytes()
    assert data == group_calendar(group, datetime.fromtimestamp(EPOCH, UTC), "en")
    assert len(_check_calendar(_parse(data), datetime.fromtimestamp(EPOCH, UTC))) == len(
        group.sessions
    )
    again = run_cli(
        "calendar", "--group", group.id, "--lang", "en", "--out", str(out), cwd=prog, env=EPOCH_ENV
    )
    assert again.returncode == 0
    assert "Replaced" in again.stdout
    assert out.read_bytes() == data
    # default: <id>.ics in the current folder, in French; '-' prints it
    default = run_cli("calendar", "--group", group.id, cwd=prog, env=EPOCH_ENV)
    assert default.returncode == 0, default.stderr
    assert (prog / f"{group.id}.ics").read_bytes() == group_calendar(
        group, datetime.fromtimestamp(EPOCH, UTC), "fr"
    )
    printed = run_cli("calendar", "--group", group.id, "--out", "-", cwd=prog, env=EPOCH_ENV)
    assert printed.returncode == 0
    assert printed.stdout.startswith("BEGIN:VCALENDAR")


def test_cli_group_dtstamp_from_the_repository(prog: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.pop("SOURCE_DATE_EPOCH", None)
    _git(prog, "init", "-q")
    _git(prog, "add", "-A")
    _git(prog, "commit", "-q", "-m", "programme")
    out = prog / "out.ics"
    result = run_cli(
        "calendar",
        "--group",
        SAMPLE[1].id,
        "--out",
        str(out),
        cwd=prog,
        env={"SOURCE_DATE_EPOCH": ""},
    )
    assert result.returncode == 0, result.stderr
    cal = _parse(out.read_bytes())
    _check_calendar(cal, datetime.fromtimestamp(EPOCH, UTC))


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--group", "no-such-group"), 2, "no group 'no-such-group' in groups/"),
        (("--group", "../etc/passwd"), 2, "--group is not a group id"),
        ((), 2, "give either --group ID or --engagement YYYY-NNNN"),
        (("--group", "x", "--engagement", "2025-0001"), 2, "give either"),
        (("--engagement", "25-1"), 2, "--engagement is not an engagement id"),
        (("--engagement", "2025-9999"), 2, "no engagement '2025-9999'"),
    ],
)
def test_cli_refusals(prog: Path, args: tuple[str, ...], code: int, message: str) -> None:
    before = sorted(p.name for p in prog.iterdir())
    result = run_cli("calendar", *args, cwd=prog, env=EPOCH_ENV)
    assert result.returncode == code, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert sorted(p.name for p in prog.iterdir()) == before  # nothing written


def test_cli_unwritable_out_exits_1(prog: Path, tmp_path: Path) -> None:
    target = tmp_path / "missing-folder" / "x.ics"
    result = run_cli(
        "calendar", "--group", SAMPLE[0].id, "--out", str(target), cwd=prog, env=EPOCH_ENV
    )
    assert result.returncode == 1
    assert "missing-folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert not target.parent.exists()
    folder = run_cli(
        "calendar", "--group", SAMPLE[0].id, "--out", str(tmp_path), cwd=prog, env=EPOCH_ENV
    )
    assert folder.returncode == 2
    assert "is a folder" in folder.stderr


def _timed_record(prog: Path, *, timezone: str | None) -> Path:
    """Engagement 2025-0001 of the demo records with start times on its sessions."""
    path = prog / "records" / "engagements" / "2025-0001.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    minutes: 40\n", '    start: "09:00"\n    minutes: 40\n', 1)
    if timezone is not None:
        text = text.replace('language: "en"\n', f'language: "en"\ntimezone: "{timezone}"\n', 1)
    assert 'start: "09:00"' in text
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_engagement_calendar(prog: Path, tmp_path: Path) -> None:
    _timed_record(prog, timezone="Europe/Paris")
    out = tmp_path / "mine.ics"
    result = run_cli(
        "calendar",
        "--engagement",
        "2025-0001",
        "--records",
        str(prog / "records"),
        "--out",
        str(out),
        cwd=prog,
        env=EPOCH_ENV,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "never publish it" in result.stdout
    cal = _parse(out.read_bytes())
    events = _check_calendar(cal, datetime.fromtimestamp(EPOCH, UTC))
    record = (prog / "records" / "engagements" / "2025-0001.yml").read_text(encoding="utf-8")
    assert len(events) == record.count("  - date: ")
    timed = [e for e in events if isinstance(e.decoded("DTSTART"), datetime)]
    assert len(timed) == 1
    assert timed[0].decoded("DTSTART") == datetime(
        2025, 4, 16, 9, 0, tzinfo=ZoneInfo("Europe/Paris")
    )
    assert _tzids(cal) == {"Europe/Paris"}
    assert _text(cal["NAME"]) == "Engagement 2025-0001"  # the record's language, en
    # no client code, unit or coach in the file: the engagement id only
    text = out.read_text(encoding="utf-8")
    assert not re.search(r"C-[A-Z2-7]{10}|U\d+/U\d+|aminata", text)


def test_cli_engagement_calendar_is_refused_inside_the_site(prog: Path) -> None:
    (prog / "site").mkdir()
    result = run_cli(
        "calendar",
        "--engagement",
        "2025-0001",
        "--out",
        str(prog / "site" / "x.ics"),
        cwd=prog,
        env=EPOCH_ENV,
    )
    assert result.returncode == 2
    assert "never published" in result.stderr
    assert list((prog / "site").iterdir()) == []
    # the default file, <ID>.ics in the current folder, when that folder is the site
    default = run_cli(
        "calendar", "--engagement", "2025-0001", "--root", "..", cwd=prog / "site", env=EPOCH_ENV
    )
    assert default.returncode == 2
    assert "never published" in default.stderr
    assert list((prog / "site").iterdir()) == []


@pytest.mark.parametrize(
    ("timezone", "where", "message"),
    [
        (
            None,
            r"records/engagements/2025-0001\.yml:\d+:12: error: sessions\[1\]\.start",
            "no timezone",
        ),
        (
            "Europe/Brestt",
            r"records/engagements/2025-0001\.yml:13:11: error: timezone",
            "not a known IANA",
        ),
    ],
)
def test_a_time_without_a_time_zone_is_an_error(
    prog: Path, tmp_path: Path, timezone: str | None, where: str, message: str
) -> None:
    path = _timed_record(prog, timezone=timezone)
    out = tmp_path / "x.ics"
    result = run_cli(
        "calendar", "--engagement", "2025-0001", "--out", str(out), cwd=prog, env=EPOCH_ENV
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(where, result.stderr), result.stderr
    assert message in result.stderr
    assert "[calendar.no-timezone]" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    # validate reports it too, at the same place
    checked = run_cli("validate", "--records", "records", "--no-cache", cwd=prog)
    assert checked.returncode == 1
    assert re.search(where, checked.stdout), checked.stdout
    line = int(re.search(r"2025-0001\.yml:(\d+):", checked.stdout).group(1))  # type: ignore[union-attr]
    culprit = path.read_text(encoding="utf-8").splitlines()[line - 1]
    assert ("start:" if timezone is None else "timezone:") in culprit
