"""Commands that read the records for one coach, one engagement or one immersion and publish
nothing: ``activity``, ``hours`` (practice log and supervision evidence), ``contract`` and
``convention``."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import click

from coachdir.cli.app import cli
from coachdir.cli.records import existing_records_folder, records_option, valid_records
from coachdir.cliopts import root_option as _root_option
from coachdir.cliopts import today_option as _today_option
from coachdir.problems import InvalidInput, UsageError
from coachdir.records.files import ENGAGEMENT_ID
from coachdir.text import ID_PATTERN


def _load(root: Path, records_dir: Path | None, today: date | None) -> tuple[Any, Any, list[str]]:
    """(the validation report, the records, the coach ids) after a full validation."""
    folder = existing_records_folder(root, records_dir)
    report, records = valid_records(root, folder, today or date.today())
    coach_ids = sorted(p.path.rsplit("/", 1)[-1].removesuffix(".yml") for p in report.profiles)
    return report, records, coach_ids


def _known_coach(coach: str, coach_ids: list[str], records: Any) -> list[Any]:
    """The engagements of ``coach``; refuses an unknown coach or one without engagements. Only
    an id of the coach id form is repeated in a message."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.reports.activity import coach_engagements

    if len(coach) > 80 or not ID_PATTERN.fullmatch(coach):
        raise UsageError(
            "the COACH argument is not a coach id (lower-case letters, digits and hyphens, "
            "the name of a file in coaches/ without .yml)."
        )
    if coach not in coach_ids:
        raise UsageError(
            f"no coach '{coach}' in coaches/; give the id of a coach profile (its file name "
            "without .yml)."
        )
    mine = coach_engagements(coach, (e for _, e in records.engagements))
    if not mine:
        raise InvalidInput(
            f"coach '{coach}' has no engagement in the records; there is nothing to report. "
            "Check the coach id and the --records folder."
        )
    return mine


def _write(target: Path, text: str) -> str:
    """Write ``text`` whole (through a partial file); "Replaced" when ``target`` existed, so
    replacing a file is never silent, else "Wrote"."""
    existed = target.exists()
    partial = target.with_name(f".{target.name}.partial")
    with open(partial, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    os.replace(partial, target)
    return "Replaced" if existed else "Wrote"


@cli.command()
@click.argument("coach")
@_root_option
@records_option
@_today_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option(
    "--shared",
    is_flag=True,
    help="For a report handed to others: counts below the threshold are hidden (with one more "
    "where a single hidden count could be recomputed).",
)
def activity(
    coach: str, root: Path, records_dir: Path | None, today: date | None, fmt: str, shared: bool
) -> None:
    """One coach's volume, population reached (by entity and offer) and completion, from the
    records. Nothing is published."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.reports.activity import activity as compute
    from coachdir.reports.activity import activity_text

    report, records, coach_ids = _load(root, records_dir, today)
    _known_coach(coach, coach_ids, records)
    doc = compute(
        coach,
        [e for _, e in records.engagements],
        report.programme,
        shared=shared,
        facilitation=_facilitation(coach, report, records),
    )
    if fmt == "json":
        click.echo(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        click.echo(activity_text(doc), nl=False)


def _facilitation(coach: str, report: Any, records: Any) -> Any:
    """The held sessions of the groups ``coach`` facilitates (reports/facilitation.py)."""
    # imported here, not at the top, for start-up time: only activity and hours load it
    from coachdir.reports.facilitation import facilitated

    groups = report.offerings.groups if report.offerings is not None else []
    return facilitated(coach, groups, records.groups.attendance)


@cli.command()
@click.argument("coach")
@_root_option
@records_option
@_today_option
@click.option("--format", "fmt", type=click.Choice(["csv", "md"]), default="md", show_default=True)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="md: the file to write (default: print it). csv: the folder to write practice.csv "
    "and supervision.csv in (required).",
)
def hours(
    coach: str,
    root: Path,
    records_dir: Path | None,
    today: date | None,
    fmt: str,
    out: Path | None,
) -> None:
    """A coach's practice log (one row per engagement) and supervision evidence (hours per
    quarter, practice to supervision ratio), as credential bodies ask for them."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.reports.hours import hours_log, hours_markdown, practice_csv, supervision_csv

    if fmt == "csv" and out is None:
        raise UsageError("--format csv writes two files; pass --out FOLDER.")
    report, records, coach_ids = _load(root, records_dir, today)
    mine = _known_coach(coach, coach_ids, records)
    supervision = records.supervision.get(coach, (None, ()))[1]
    profile = next(p.data for p in report.profiles if p.path == f"coaches/{coach}.yml")
    log = hours_log(
        coach,
        mine,
        supervision,
        paid=report.programme.coaching_hours_paid,
        profile_last=((profile or {}).get("supervision") or {}).get("last"),
        facilitation=_facilitation(coach, report, records),
        coaching=lambda e: report.programme.offer_kind(e.offer) != "mentoring",
    )
    if fmt == "md":
        text = hours_markdown(log)
        if out is None:
            click.echo(text, nl=False)
            return
        verb = _write(out, text)
        click.echo(f"{verb} the practice log of {coach} in {out}.")
        return
    if out is None:  # checked above; says so to the type checker without an assert
        raise UsageError("--format csv writes two files; pass --out FOLDER.")
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} is a file; --format csv needs --out FOLDER.")
    out.mkdir(parents=True, exist_ok=True)
    for name, text in (
        ("practice.csv", practice_csv(log)),
        ("supervision.csv", supervision_csv(log)),
    ):
        verb = _write(out / name, text)
        click.echo(f"{verb} {out / name} ({coach}).")


@cli.command()
@click.argument("engagement")
@_root_option
@records_option
@_today_option
@click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default=None,
    help="The contract's language (default: the engagement's language, fr or en).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The HTML file to write (default: contract-<ENGAGEMENT>.html here).",
)
@click.option(
    "--pdf",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also print it to this PDF file with headless Chromium ($COACHDIR_CHROMIUM or "
    "/usr/bin/chromium).",
)
def contract(
    engagement: str,
    root: Path,
    records_dir: Path | None,
    today: date | None,
    lang: str | None,
    out: Path | None,
    pdf: Path | None,
) -> None:
    """Write the printable tripartite contract of one engagement (HTML with print CSS; PDF
    with --pdf), in the engagement's language."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.reports.contract import (
        contract_html,
        contract_language,
        print_pdf,
    )

    if not ENGAGEMENT_ID.fullmatch(engagement):
        raise UsageError("the ENGAGEMENT argument is not an engagement id (YYYY-NNNN).")
    report, records, _ = _load(root, records_dir, today)
    found = next((e for _, e in records.engagements if e.id == engagement), None)
    if found is None:
        raise UsageError(
            f"no engagement '{engagement}' in the records; give the id of a file of "
            "engagements/ (YYYY-NNNN, without .yml)."
        )
    if found.coach is None:
        raise InvalidInput(
            f"engagement '{engagement}' has no coach yet (no intro); a contract needs the "
            "three parties."
        )
    language = lang or contract_language(found)
    if language is None:
        raise UsageError(
            f"engagement '{engagement}' is in a language the contract has no text for; "
            "pass --lang fr or --lang en."
        )
    html = contract_html(found, report.programme, language)
    target = out if out is not None else Path(f"contract-{engagement}.html")
    verb = _write(target, html)
    click.echo(f"{verb} the {language} contract of {engagement} in {target}.")
    if pdf is None:
        return
    print_pdf(target, pdf)  # ChromiumMissing, PrintFailed: exit 1 with what to do instead
    click.echo(f"Wrote {pdf}.")


@cli.command()
@click.argument("immersion")
@_root_option
@records_option
@_today_option
@click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default="fr",
    show_default=True,
    help="The convention's language.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The HTML file to write (default: convention-<IMMERSION>.html here).",
)
@click.option(
    "--pdf",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also print it to this PDF file with headless Chromium ($COACHDIR_CHROMIUM or "
    "/usr/bin/chromium).",
)
def convention(
    immersion: str,
    root: Path,
    records_dir: Path | None,
    today: date | None,
    lang: str,
    out: Path | None,
    pdf: Path | None,
) -> None:
    """Write the printable tripartite convention of one accepted immersion period (the agent,
    the employing administration, the host; HTML with print CSS, PDF with --pdf)."""
    # imported here, not at the top, for start-up time: only this command loads them
    from coachdir.offerings.immersions import load_immersions
    from coachdir.reports.contract import print_pdf
    from coachdir.reports.convention import convention_html

    if not ENGAGEMENT_ID.fullmatch(immersion):
        raise UsageError("the IMMERSION argument is not an immersion id (YYYY-NNNN).")
    report, records, _ = _load(root, records_dir, today)
    found = next((r for _, r in records.immersions if r.id == immersion), None)
    if found is None:
        raise UsageError(
            f"no immersion '{immersion}' in the records; give the id of a file of "
            "immersions/ (YYYY-NNNN, without .yml)."
        )
    if not found.accepted:
        raise InvalidInput(
            f"immersion '{immersion}' is not accepted; a convention is signed for an accepted "
            "request only."
        )
    offers, _ = load_immersions(root, report.programme)
    offer = next((o for o in offers if o.id == found.offer), None)
    if offer is None:  # the records' validation refuses an unknown offer; kept for safety
        raise InvalidInput(
            f"immersion '{immersion}' names an offer the directory does not have; run "
            "coachdir validate."
        )
    html = convention_html(found, offer, report.programme, lang)
    target = out if out is not None else Path(f"convention-{immersion}.html")
    verb = _write(target, html)
    click.echo(f"{verb} the {lang} convention of {immersion} in {target}.")
    if pdf is None:
        return
    print_pdf(target, pdf)  # ChromiumMissing, PrintFailed: exit 1 with what to do instead
    click.echo(f"Wrote {pdf}.")
