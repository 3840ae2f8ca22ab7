"""Commands for a programme's directory: validate, reminders, new, demo, init, build, serve."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from coachdir.cli.app import (
    EXIT_INVALID,
    EXIT_OK,
    _default_format,
    _emit,
    _programme_or_fail,
    _progress,
    cli,
)
from coachdir.cliopts import records_folder
from coachdir.cliopts import root_option as _root_option
from coachdir.cliopts import today_option as _today_option
from coachdir.github.vocabulary import DECLARATIONS
from coachdir.layout import site_sources_text
from coachdir.problems import (
    Problem,
    format_text,
)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_root_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github", "json"]),
    default=None,
    help="Output format (default: github under GitHub Actions, else text).",
)
@_today_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Worker processes (default: one per core).",
)
@click.option(
    "--records",
    "records_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="The records folder to validate too (default: records/ under the root, if any).",
)
def validate(
    paths: tuple[Path, ...],
    root: Path,
    fmt: str | None,
    today: date | None,
    strict: bool,
    no_cache: bool,
    jobs: int | None,
    records_dir: Path | None,
) -> None:
    """Validate programme.yml, every coach profile and the records (--records).

    With PATHS, only problems in those files are reported (all profiles are still read,
    because some rules compare them).
    """
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.validation.cache import default_cache_dir
    from coachdir.validation.engine import discover
    from coachdir.validation.engine import validate as run

    fmt = fmt or _default_format()
    only = None
    if paths:
        only = []
        for path in paths:
            if not path.exists():
                raise click.UsageError(f"{path}: no such file")
            try:
                only.append(path.resolve().relative_to(root.resolve()).as_posix())
            except ValueError:
                raise click.UsageError(f"{path} is not inside the programme root {root}") from None
    if not (root / "programme.yml").is_file():
        raise click.UsageError(
            f"{root.resolve()} has no programme.yml; "
            "run from the programme repository or pass --root."
        )
    if records_dir is None:
        default = records_folder(root, None)
        records_dir = default if default.is_dir() else None
    elif not records_dir.is_dir():
        raise click.UsageError(f"{records_dir}: no such records folder")
    with _progress(lambda: len(discover(root)[0]), "Validating") as progress:
        report = run(
            root,
            only,
            today=today,
            cache_dir=None if no_cache else default_cache_dir(),
            jobs=jobs,
            progress=progress,
            records=records_dir,
        )
    _emit(report.problems, fmt, report.files)
    failed = not report.ok or (strict and bool(report.problems))
    sys.exit(EXIT_INVALID if failed else EXIT_OK)


@cli.command()
@_root_option
@_today_option
@click.option(
    "--link-base",
    default="",
    metavar="URL",
    help="Prefix for links to file lines, e.g. https://github.com/org/repo/blob/SHA.",
)
@click.option(
    "--records",
    "records_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="The records folder: also list stale requests and lapsed standing (default: records/ "
    "under the root, if any).",
)
def reminders(root: Path, today: date | None, link_base: str, records_dir: Path | None) -> None:
    """Print the weekly reminders (lapsed supervision, expired credentials, outdated charter
    signatures; with records, stale requests and coaches whose standing has lapsed, by id only)
    as Markdown for a tracking issue; nothing when there is nothing to remind."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.reports.reminders import reminders_markdown
    from coachdir.validation.engine import validate as run

    if records_dir is None:
        default = records_folder(root, None)
        records_dir = default if default.is_dir() else None
    elif not records_dir.is_dir():
        raise click.UsageError(f"{records_dir}: no such records folder")
    today = today or date.today()
    report = run(root, today=today, full=records_dir is not None)
    text = reminders_markdown(report.problems, report.files, link_base.rstrip("/"))
    if records_dir is not None and report.programme is not None:
        from coachdir.records.files import load_records
        from coachdir.records.rules import RecordContext
        from coachdir.reports.reminders import record_reminders, records_markdown

        profiles = {
            p.path.rsplit("/", 1)[-1].removesuffix(".yml"): p.data or {} for p in report.profiles
        }
        coach_ids = sorted(profiles)
        records = load_records(records_dir, root, report.programme, coach_ids)
        context = RecordContext(report.programme, today, tuple(coach_ids), profiles)
        extra = records_markdown(record_reminders(records, context))
        text = "\n".join(t for t in (text, extra) if t)
    if text:
        click.echo(text)


@cli.command()
@_root_option
@click.option("--id", "coach_id", help="Coach id and file name, e.g. helene-dubois.")
@click.option("--name", help="Name as shown in the directory.")
@click.option("--github", help="GitHub handle of the coach.")
@click.option("--email", help="Professional e-mail address.")
@click.option("--entity", help="Entity id from programme.yml.")
@click.option("--role", help="Current role or job title.")
@click.option("--location", help="Town or site.")
@click.option("--language", "languages", multiple=True, help="Language code (repeatable).")
@click.option("--offer", "offers", multiple=True, help="Offer id (repeatable).")
@click.option("--expertise", multiple=True, help="Expertise id (repeatable).")
@click.option("--modality", "modalities", multiple=True, help="Modality id (repeatable).")
@click.option("--capacity", type=int, help="Clients at once (1 to the programme maximum).")
@click.option(
    "--external",
    "provider",
    metavar="PROVIDER",
    help="External coach: the referenced provider's name.",
)
@click.option(
    "--sign-charter",
    is_flag=True,
    help="The coach has read and signs the charter in force (asked in a terminal).",
)
@click.option(
    "--declare",
    multiple=True,
    type=click.Choice([*DECLARATIONS, "all"]),
    help="A declaration the coach makes (repeatable; 'all' for every one; asked in a terminal).",
)
@_today_option
def new(root: Path, today: date | None, **fields: Any) -> None:
    """Create a new coach profile, from options or by asking questions. The bios are
    placeholders and, unless signed and made, the charter and declarations are left out:
    validation refuses the profile until the coach finishes it."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.tools.scaffold import Answers, create_profile

    interactive = sys.stdin.isatty()
    created = create_profile(
        root,
        Answers.from_options(fields),
        ask=_ask if interactive else None,
        today=today or date.today(),
    )
    click.echo(f"Created {created.path.relative_to(root)}.")
    if created.to_do:
        click.echo("Before you open a pull request, finish it (coachdir validate says the same):")
        click.echo(format_text(created.to_do))
    else:
        click.echo("Review the credentials, then open a pull request.")


def _ask(question: str, choices: list[str] | None, default: str | None) -> str:
    kind = click.Choice(choices) if choices else str
    return str(click.prompt(question, type=kind, default=default, show_choices=bool(choices)))


@cli.command()
@click.option(
    "--coaches",
    type=click.IntRange(1, 100000),
    default=24,
    show_default=True,
    help="Number of synthetic coaches.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="New folder to write the programme into (must not exist or be empty).",
)
@click.option("--seed", type=int, default=2026, show_default=True)
@click.option("--records", is_flag=True, help="Write the demo records of --root into --out.")
@click.option(
    "--engagements",
    type=click.IntRange(1, 200000),
    default=None,
    help="With --records: N synthetic engagements over --root's coaches (for benchmarks).",
)
@_root_option
def demo(
    coaches: int, out: Path, seed: int, root: Path, records: bool, engagements: int | None
) -> None:
    """Write a synthetic programme of N coaches (or, with --records, demo records)."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.tools.demo import generate
    from coachdir.tools.sample import sample_root

    if records:
        from coachdir.tools.demorecords import write_demo_records

        files = write_demo_records(root, _programme_or_fail(root), out, seed, engagements)
        click.echo(f"Wrote {len(files)} demo record files to {out}.")
        return

    source = root if (root / "programme.yml").is_file() else sample_root()
    written = generate(out, coaches, source=source, seed=seed)
    click.echo(f"Wrote {len(written)} coach profiles to {out}.")


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--records",
    is_flag=True,
    help="Write the private records repository instead (record forms from --directory).",
)
@click.option(
    "--directory",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="With --records: the directory repository's checkout whose programme.yml and schemas "
    "the record forms are generated from (default: --root).",
)
@_root_option
@click.option(
    "--sample-coaches",
    is_flag=True,
    help="Copy the sample's fictional coach profiles too (default: an empty coaches/).",
)
@click.option(
    "--coachdir-source",
    default=None,
    metavar="URL",
    help="The git repository the workflows install coachdir from "
    "(default: a placeholder to replace, see README).",
)
@click.option(
    "--coachdir-ref",
    default=None,
    metavar="REF",
    help="The tag or commit of coachdir to pin (default: this version's tag).",
)
def init(
    folder: Path,
    records: bool,
    directory: Path | None,
    root: Path,
    sample_coaches: bool,
    coachdir_source: str | None,
    coachdir_ref: str | None,
) -> None:
    """Write a new programme repository into FOLDER (missing or empty; nothing is ever
    overwritten), or with --records its private records repository."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.tools import initrepo

    if records:
        if sample_coaches:
            raise click.UsageError("--records takes no --sample-coaches.")
        written = initrepo.init_records(
            folder,
            directory if directory is not None else root,
            coachdir_source=coachdir_source or initrepo.DEFAULT_SOURCE,
            coachdir_ref=coachdir_ref,
        )
        what = "a records repository"
    else:
        if directory is not None:
            raise click.UsageError("--directory goes with --records only.")
        written = initrepo.init_programme(
            folder,
            sample_coaches=sample_coaches,
            coachdir_source=coachdir_source or initrepo.DEFAULT_SOURCE,
            coachdir_ref=coachdir_ref,
        )
        what = "a programme repository"
    click.echo(
        f"Wrote {what} ({len(written)} files) in {folder}. Read its README.md, then "
        "'git init' it and push it to a new repository."
    )


@cli.command()
@_root_option
@_today_option
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the site (default: ROOT/site).",
)
def build(root: Path, today: date | None, site_dir: Path | None) -> None:
    """Validate, then build the static site into site/ (nothing is written if invalid)."""
    import time

    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.site.build import build_site

    start = time.perf_counter()
    result = build_site(root, site_dir=site_dir, today=today)
    if result.warnings:
        click.echo(format_text(result.warnings), err=True)
    click.echo(
        f"Built {result.site_dir} with {result.coaches} coaches in "
        f"{time.perf_counter() - start:.1f} s. Open {result.site_dir / 'index.html'} "
        "or run 'coachdir serve'."
    )


@cli.command(
    help="Build, serve the site locally and rebuild when one of its sources changes: "
    f"{site_sources_text()}."
)
@_root_option
@_today_option
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
def serve(root: Path, today: date | None, port: int, host: str) -> None:
    # the help (above) lists the watched sources from coachdir.layout.SITE_SOURCES
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.site.serve import serve_forever

    def report(event: str, problems: list[Problem]) -> None:
        if problems:
            click.echo(format_text(problems), err=True)
        click.echo(event, err=True)

    serve_forever(root, host=host, port=port, today=today, report=report)
