"""Commands that read the private records: availability (the free places per coach, for the
public site) and ``records purge`` (retention)."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from coachdir.cli.app import cli
from coachdir.cliopts import records_folder
from coachdir.cliopts import root_option as _root_option
from coachdir.cliopts import today_option as _today_option
from coachdir.problems import CoachdirError

AVAILABILITY_FILE = "availability.json"


def records_option(func: Any) -> Any:
    return click.option(
        "--records",
        "records_dir",
        type=click.Path(path_type=Path),
        default=None,
        help="The records folder (default: records/ under the root).",
    )(func)


def existing_records_folder(root: Path, records_dir: Path | None) -> Path:
    if not (root / "programme.yml").is_file():
        raise click.UsageError(
            f"{root.resolve()} has no programme.yml; "
            "run from the programme repository or pass --root."
        )
    folder = records_folder(root, records_dir)
    if not folder.is_dir():
        raise click.UsageError(f"{folder}: no such records folder; pass --records DIR.")
    return folder


def valid_records(root: Path, folder: Path, today: date) -> tuple[Any, Any]:
    """Validate the programme with its records (refusing on any error), then load them:
    (the validation report, the records)."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.records.files import load_records
    from coachdir.validation.engine import validate as run

    report = run(root, today=today, full=True, records=folder)
    if not report.ok or report.programme is None:
        raise CoachdirError(report.problems)
    if report.records is not None:  # validate loaded them already: never twice
        return report, report.records
    coach_ids = sorted(p.path.rsplit("/", 1)[-1].removesuffix(".yml") for p in report.profiles)
    return report, load_records(folder, root, report.programme, coach_ids)


@cli.command()
@_root_option
@records_option
@_today_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"Where to write the file (default: {AVAILABILITY_FILE} in --root).",
)
def availability(
    root: Path, records_dir: Path | None, today: date | None, out: Path | None
) -> None:
    """Write availability.json: the free places of each coach today, and the date; nothing
    else (no client code, no engagement id)."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.records.availability import (
        CoachPlaces,
        availability_json,
        compute_availability,
    )

    folder = existing_records_folder(root, records_dir)
    today = today or date.today()
    report, records = valid_records(root, folder, today)
    coaches = [
        CoachPlaces(
            loaded.path.rsplit("/", 1)[-1].removesuffix(".yml"),
            int((loaded.data or {})["capacity"]),
            (loaded.data or {})["status"] == "accepting",
        )
        for loaded in report.profiles
    ]
    text = availability_json(
        compute_availability(coaches, (e for _, e in records.engagements), today)
    )
    target = out if out is not None else root / AVAILABILITY_FILE
    partial = target.with_name(f".{target.name}.partial")
    with open(partial, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    os.replace(partial, target)
    click.echo(f"Wrote the free places of {len(coaches)} coaches on {today} to {target}.")


@cli.group()
def records() -> None:
    """Maintain the private records repository."""


@records.command()
@_root_option
@records_option
@_today_option
@click.option(
    "--before",
    callback=lambda _c, _p, v: None if v is None else _date(v),
    metavar="YYYY-MM-DD",
    help="Remove engagements closed before this day (default: today minus retention_months).",
)
@click.option("--yes", is_flag=True, help="Remove the listed records without asking.")
def purge(
    root: Path, records_dir: Path | None, today: date | None, before: date | None, yes: bool
) -> None:
    """List the closed engagements past retention, and remove them when confirmed (--yes, or
    an answer in a terminal). Only the listed files under engagements/ are removed."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.records.purge import months_before, past_retention, remove

    folder = existing_records_folder(root, records_dir)
    today = today or date.today()
    report, loaded = valid_records(root, folder, today)
    cutoff = before or months_before(today, report.programme.retention_months)
    expired = past_retention(folder, loaded.engagements, cutoff)
    if not expired:
        click.echo(f"No closed engagement before {cutoff}; nothing to remove.")
        return
    click.echo(f"{len(expired)} closed engagements before {cutoff}:")
    for item in expired:
        click.echo(f"  {item.id} (closed {item.closed})")
    if not yes:
        if not sys.stdin.isatty():
            click.echo("Nothing removed: run again with --yes to remove them.")
            return
        if not click.confirm(f"Remove these {len(expired)} files?", default=False):
            click.echo("Nothing removed.")
            return
    removed = remove(expired)
    click.echo(
        f"Removed {len(removed)} files. Git history still holds them until the yearly history "
        "rewrite (see README, Retention)."
    )


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; write YYYY-MM-DD.") from None
