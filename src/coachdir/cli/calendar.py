"""``coachdir calendar``: a group's schedule, or an engagement's sessions, as an ``.ics`` file
(iCalendar, RFC 5545, METHOD:PUBLISH), with DTSTAMP from the last commit."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import click

from coachdir.cli.app import cli
from coachdir.cli.records import existing_records_folder, records_option, valid_records
from coachdir.cliopts import root_option as _root_option
from coachdir.cliopts import today_option as _today_option
from coachdir.problems import CoachdirError, UsageError, has_errors
from coachdir.records.files import ENGAGEMENT_ID
from coachdir.text import ID_PATTERN

#: the line every engagement calendar is written with
PRIVATE_NOTE = (
    "This calendar is for the coach's and the client's own use: never publish it, never put "
    "it in the site or in an issue."
)


def write_bytes(target: Path, data: bytes) -> str:
    """Write ``data`` whole (through a partial file beside ``target``); "Replaced" when
    ``target`` existed, else "Wrote"."""
    existed = target.exists()
    partial = target.with_name(f".{target.name}.partial")
    try:
        with open(partial, "wb") as handle:
            handle.write(data)
        os.replace(partial, target)
    except OSError:
        partial.unlink(missing_ok=True)
        raise
    return "Replaced" if existed else "Wrote"


def _emit(data: bytes, out: Path | None, default: str, what: str) -> None:
    """``data`` to ``out`` (``-``: standard output; None: ``default`` in the current folder)."""
    if out is not None and str(out) == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = out if out is not None else Path(default)
    if target.is_dir():
        raise UsageError(f"--out {target} is a folder; give the .ics file to write.")
    verb = write_bytes(target, data)
    click.echo(f"{verb} {what} in {target}.")


def _group_ics(root: Path, group_id: str, lang: str, today: date) -> bytes:
    """The calendar of group ``group_id`` of a valid directory (refused otherwise)."""
    # imported here, not at the top, for start-up time: only this command loads them
    from coachdir.calendar import commit_time, group_calendar
    from coachdir.offerings.groups import GROUPS_DIR, load_groups
    from coachdir.validation.engine import validate as run

    if len(group_id) > 80 or not ID_PATTERN.fullmatch(group_id):
        raise UsageError(
            "--group is not a group id (lower-case letters, digits and hyphens, the name of a "
            "file in groups/ without .yml)."
        )
    if not (root / "programme.yml").is_file():
        raise UsageError(
            f"{root.resolve()} has no programme.yml; run from the programme repository or "
            "pass --root."
        )
    report = run(root, today=today)
    if not report.ok or report.programme is None:
        raise CoachdirError(report.problems)
    coach_ids = sorted(p.path.rsplit("/", 1)[-1].removesuffix(".yml") for p in report.profiles)
    # the facilitators' standing is the directory's concern (validate, build), not the
    # schedule's: a group's calendar is written whatever it is
    groups, problems = load_groups(root, report.programme, coach_ids)
    if has_errors(problems):
        raise CoachdirError(problems)
    found = next((g for g in groups if g.id == group_id), None)
    if found is None:
        known = ", ".join(sorted(g.id for g in groups)) or "none"
        raise UsageError(
            f"no group '{group_id}' in {GROUPS_DIR}/ (groups: {known}); give the name of a "
            f"file of {GROUPS_DIR}/ without .yml."
        )
    return group_calendar(found, commit_time(root), lang)


def _engagement_ics(
    root: Path, records_dir: Path | None, engagement: str, lang: str | None, today: date
) -> bytes:
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.calendar import PlannedSession, commit_time, engagement_calendar

    if not ENGAGEMENT_ID.fullmatch(engagement):
        raise UsageError("--engagement is not an engagement id (YYYY-NNNN).")
    folder = existing_records_folder(root, records_dir)
    _report, records = valid_records(root, folder, today)
    found = next((e for _, e in records.engagements if e.id == engagement), None)
    if found is None:
        raise UsageError(
            f"no engagement '{engagement}' in the records; give the id of a file of "
            "engagements/ (YYYY-NNNN, without .yml)."
        )
    sessions = [
        PlannedSession(i, s.date, s.start, s.minutes, s.kind, s.status == "cancelled")
        for i, s in enumerate(found.sessions)
    ]
    language = lang or (found.language if found.language in ("fr", "en") else "en")
    # the records were validated (calendar.no-timezone included): every start has a zone
    return engagement_calendar(engagement, sessions, found.timezone, commit_time(folder), language)


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


@cli.command()
@click.option("--group", "group_id", metavar="ID", help="A group id (a file of groups/).")
@click.option(
    "--engagement",
    metavar="YYYY-NNNN",
    help="An engagement id of the records (--records); its file is never published.",
)
@_root_option
@records_option
@_today_option
@click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default=None,
    help="The language of the names (default: fr for a group, the engagement's language).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, allow_dash=True),
    default=None,
    help="The .ics file to write, - for standard output (default: <ID>.ics here).",
)
def calendar(
    group_id: str | None,
    engagement: str | None,
    root: Path,
    records_dir: Path | None,
    today: date | None,
    lang: str | None,
    out: Path | None,
) -> None:
    """Write a calendar file (.ics, iCalendar): a group's schedule (--group), or an
    engagement's sessions for the coach's and the client's own use (--engagement). Each
    session is one event whose UID never changes, so a calendar that imports the file again
    updates its events; DTSTAMP is the time of the last commit ($SOURCE_DATE_EPOCH first)."""
    day = today or date.today()
    if group_id is not None and engagement is None:
        data = _group_ics(root, group_id, lang or "fr", day)
        _emit(data, out, f"{group_id}.ics", f"the calendar of group {group_id}")
        return
    if engagement is None or group_id is not None:
        raise UsageError("give either --group ID or --engagement YYYY-NNNN (one of them).")
    to_stdout = out is not None and str(out) == "-"
    if not to_stdout and _inside(out or Path(f"{engagement}.ics"), root / "site"):
        raise UsageError(
            "an engagement calendar is never published: write it outside the site folder "
            "(--out FILE)."
        )
    data = _engagement_ics(root, records_dir, engagement, lang, day)
    _emit(data, out, f"{engagement}.ics", f"the calendar of engagement {engagement}")
    click.echo(PRIVATE_NOTE, err=to_stdout)
