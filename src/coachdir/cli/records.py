"""Commands that read the private records: availability (the free places per coach, for the
public site) and ``records purge`` (retention)."""

from __future__ import annotations

import os
import shlex
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from coachdir import dates
from coachdir.cli.app import cli
from coachdir.cliopts import records_folder
from coachdir.cliopts import root_option as _root_option
from coachdir.cliopts import today_option as _today_option
from coachdir.problems import CoachdirError, InvalidInput

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
    from coachdir.offerings.groups import load_groups
    from coachdir.records.availability import (
        CoachPlaces,
        GroupPlaces,
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
    groups = [
        GroupPlaces(g.id, g.places_max, g.status == "open")
        for g in load_groups(root, report.programme, sorted(c.id for c in coaches))[0]
    ]
    memberships = (m for _, m in records.groups.memberships)
    text = availability_json(
        compute_availability(
            coaches, (e for _, e in records.engagements), today, groups, memberships
        )
    )
    target = out if out is not None else root / AVAILABILITY_FILE
    partial = target.with_name(f".{target.name}.partial")
    with open(partial, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    os.replace(partial, target)
    click.echo(
        f"Wrote the free places of {len(coaches)} coaches"
        + (f" and {len(groups)} groups" if groups else "")
        + f" on {today} to {target}."
    )


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
    day = dates.parse(value)
    if day is None:
        raise click.BadParameter(
            f"'{value}' is not a date from {dates.range_text()}; write YYYY-MM-DD."
        )
    return day


def _programme_records(
    root: Path, records_dir: Path | None, today: date | None
) -> tuple[Any, Any, Any, date]:
    """(validation report, records, records folder, today) of a programme whose records are
    valid (refused otherwise, as every records command is)."""
    folder = existing_records_folder(root, records_dir)
    day = today or date.today()
    report, loaded = valid_records(root, folder, day)
    return report, loaded, folder, day


def _context(report: Any, today: date) -> Any:
    # imported here, not at the top, for start-up time: only these commands load it
    from coachdir.records.rules import RecordContext

    profiles = {
        p.path.rsplit("/", 1)[-1].removesuffix(".yml"): p.data or {} for p in report.profiles
    }
    return RecordContext(report.programme, today, tuple(sorted(profiles)), profiles)


@records.command()
@click.argument("engagement")
@click.argument("state")
@click.option("--coach", default=None, help="The coach of an intro step (sets the record's coach).")
@click.option(
    "--reason",
    default=None,
    help="The reason of an ended step: an id (or label) of programme.yml vocabularies.end_reasons.",
)
@click.option(
    "--date",
    "day",
    callback=lambda _c, _p, v: None if v is None else _date(v),
    metavar="YYYY-MM-DD",
    help="The day the state was reached (default: today; never after today).",
)
@_root_option
@records_option
@_today_option
def step(
    engagement: str,
    state: str,
    coach: str | None,
    reason: str | None,
    day: date | None,
    root: Path,
    records_dir: Path | None,
    today: date | None,
) -> None:
    """Append one step (STATE: reviewed, intro, accepted, declined, active, expired,
    withdrawn, closed, completed, ended) to the history of ENGAGEMENT. The programme and its
    records are validated with the change first; nothing is written on a refusal. Comments,
    key order and every other line of the record are kept."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.records.step import Step, plan_step, reason_id, state_id, write_atomically

    report, _records, folder, today = _programme_records(root, records_dir, today)
    wanted = Step(
        state_id(state),
        day or today,
        coach.strip() if coach is not None else None,
        reason_id(report.programme, reason) if reason is not None else None,
    )
    path, text = plan_step(root, folder, report.programme, engagement, wanted, today)
    write_atomically(path, text)
    click.echo(f"{engagement}: '{wanted.state}' on {wanted.day} recorded in {path}.")


@records.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@_root_option
@records_option
@_today_option
def queue(fmt: str, root: Path, records_dir: Path | None, today: date | None) -> None:
    """The team's work list: every open engagement, oldest request first, with its state,
    days since the request and since its last step, and the steps allowed next. Ids, states
    and days only: no client code, unit or date."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.records.queue import queue_json, queue_text, work_queue

    report, loaded, _folder, today = _programme_records(root, records_dir, today)
    items = work_queue(
        (e for _, e in loaded.engagements), today, review=report.programme.programme_review
    )
    click.echo(queue_json(items, today) if fmt == "json" else queue_text(items, today), nl=False)


@records.command()
@click.argument("engagement")
@_root_option
@records_option
@_today_option
def show(engagement: str, root: Path, records_dir: Path | None, today: date | None) -> None:
    """One engagement's record: its steps, sessions, coach, preferences and offer. For the
    programme team's terminal only: it shows the client code (and nothing that is not in the
    record); never paste it into an issue, a chat or a log."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.records.cascade import find
    from coachdir.records.show import show_text
    from coachdir.records.step import record_file

    _report, loaded, folder, _today = _programme_records(root, records_dir, today)
    record_file(folder, engagement)
    found = find(loaded, engagement)
    if found is None:
        raise InvalidInput("ENGAGEMENT: no such engagement; 'coachdir records queue' lists them.")
    click.echo(show_text(found[1]), nl=False)


@records.command(name="feedback-mail")
@click.argument("engagement")
@_root_option
@records_option
@_today_option
def feedback_mail(
    engagement: str, root: Path, records_dir: Path | None, today: date | None
) -> None:
    """Print the e-mail that asks the client of a completed or ended engagement for their
    feedback (subject, then body, prefilled with the engagement id and nothing else), for the
    team to send as a reply to the client's request. The client's answer goes through
    'coachdir intake --form client-feedback --sender ADDRESS'."""
    # imported here, not at the top, for start-up time: only this command loads them
    from coachdir.github.prefill import mail_body, record_form_templates
    from coachdir.github.vocabulary import FEEDBACK_FORM
    from coachdir.records.cascade import find
    from coachdir.records.model import COMPLETED_OR_ENDED
    from coachdir.records.step import record_file
    from coachdir.site.render import ui_strings

    report, loaded, folder, _today = _programme_records(root, records_dir, today)
    record_file(folder, engagement)
    found = find(loaded, engagement)
    if found is None:
        raise InvalidInput("ENGAGEMENT: no such engagement; 'coachdir records queue' lists them.")
    record = found[1]
    if record.state not in COMPLETED_OR_ENDED:
        raise InvalidInput(
            f"{engagement} is '{record.state}': the client's feedback is asked once the "
            "engagement is completed or ended."
        )
    if record.satisfaction is not None:
        raise InvalidInput(
            f"{engagement}: the client has given their feedback already (a score is never "
            "replaced)."
        )
    form = record_form_templates(report.programme, root)[FEEDBACK_FORM]
    strings = ui_strings()
    subject = " / ".join(
        strings[lang]["feedback_mail_subject"].replace("{engagement}", engagement)
        for lang in ("fr", "en")
    )
    click.echo(f"Subject: {subject}\n")
    click.echo(mail_body(form, {"engagement": engagement}), nl=False)


@records.command(name="next")
@click.argument("engagement")
@_root_option
@records_option
@_today_option
def next_coach(engagement: str, root: Path, records_dir: Path | None, today: date | None) -> None:
    """Propose the first of the client's ranked preferences who can take them today (a free
    place, standing, no conflict of line), with the rule that rules out each earlier one."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.records.cascade import NEXT_IDS, cascade, find
    from coachdir.records.step import record_file

    report, loaded, folder, today = _programme_records(root, records_dir, today)
    record_file(folder, engagement)
    found = find(loaded, engagement)
    if found is None:
        raise InvalidInput("ENGAGEMENT: no such engagement; 'coachdir records queue' lists them.")
    result = cascade(*found, loaded, _context(report, today))
    click.echo(f"{engagement} ({found[1].state}) on {today}, preferences in the client's order:")
    for number, candidate in enumerate(result.candidates, 1):
        if candidate.rule is None:
            click.echo(f"  {number}. {candidate.coach}: can take the client today")
        else:
            meaning = NEXT_IDS.get(candidate.rule, "ruled out by this records rule")
            click.echo(f"  {number}. {candidate.coach}: no [{candidate.rule}] {meaning}")
    if result.proposed is None:
        click.echo(
            "No preference left: none of the client's preferred coaches can take them today. "
            "Look further (other coaches of the directory) with the client."
        )
    else:
        where = _where(root, records_dir)
        click.echo(_next_hint(engagement, found[1].state, result.proposed, report, where))


def _where(root: Path, records_dir: Path | None) -> str:
    """The ``--root`` and ``--records`` options as given (none when left to their defaults),
    so that a command printed for the team to run next works from where they are."""
    parts = [] if root == Path(".") else ["--root", shlex.quote(str(root))]
    if records_dir is not None:
        parts += ["--records", shlex.quote(str(records_dir))]
    return "".join(f" {part}" for part in parts)


def _next_hint(engagement: str, state: str, coach: str, report: Any, where: str = "") -> str:
    """The command that proposes ``coach``, from where the engagement stands."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.records.model import FINAL_STATES, next_states

    intro = f"coachdir records step {engagement} intro --coach {coach}{where}"
    if "intro" in next_states(state, review=report.programme.programme_review):
        return f"Next: {intro}"
    if state == "intro":
        return (
            f"Next, once the intro in progress ends: coachdir records step {engagement} "
            f"declined{where}, then {intro}"
        )
    if state in FINAL_STATES:
        return (
            f"Next: propose {coach}; nothing may follow '{state}', so the request is recorded "
            "again as a new engagement."
        )
    return f"The engagement is '{state}' with its coach; {coach} is the next preference."
