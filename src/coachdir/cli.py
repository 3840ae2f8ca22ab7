"""The command line: parse arguments, call the library, print, exit. Nothing else prints."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click

from coachdir import __version__
from coachdir.cliopts import root_option as _root_option
from coachdir.cliopts import today_option as _today_option
from coachdir.github.vocabulary import COACH_FORMS, FORMS_DIR, RECORD_FORMS
from coachdir.layout import DIRECTORY, RECORDS, role_of
from coachdir.problems import (
    CoachdirError,
    InvalidInput,
    Problem,
    UsageError,
    format_github,
    format_json,
    format_text,
    summary_line,
)
from coachdir.programme import load_programme
from coachdir.schema import read_schema, schema_dir

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130


class _Command(click.Command):
    """A coachdir command: a CoachdirError raised while it runs ends it here, through
    :func:`_fail`, while the command's context (for a usage error's usage line) is known."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CoachdirError as exc:
            _fail(exc, ctx)


class _Group(click.Group):
    command_class = _Command


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", prog_name="coachdir")
def cli() -> None:
    """Run a coaching and mentoring programme from a git repository."""


def _default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _emit(problems: list[Problem], fmt: str, files: int) -> None:
    if fmt == "json":
        click.echo(format_json(problems, files=files))
        return
    if problems:
        click.echo(format_github(problems) if fmt == "github" else format_text(problems))
    click.echo(summary_line(problems, files=files), err=fmt == "github")


@contextmanager
def _progress(count: Callable[[], int], label: str) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on an interactive terminal (for 200 files or more), nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    total = count()
    if total < 200:
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


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
        default = root / "records"
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
def reminders(root: Path, today: date | None, link_base: str) -> None:
    """Print the weekly reminders (lapsed supervision, expired credentials, outdated charter
    signatures) as Markdown for a tracking issue; nothing when there is nothing to remind."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.reports.reminders import reminders_markdown
    from coachdir.validation.engine import validate as run

    report = run(root, today=today)
    text = reminders_markdown(report.problems, report.files, link_base.rstrip("/"))
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
@_today_option
def new(root: Path, today: date | None, **fields: Any) -> None:
    """Create a new coach profile, from options or by asking questions."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.tools.scaffold import Answers, create_profile

    interactive = sys.stdin.isatty()
    path = create_profile(
        root,
        Answers.from_options(fields),
        ask=_ask if interactive else None,
        today=today or date.today(),
    )
    click.echo(
        f"Created {path.relative_to(root)}. Review the bio and credentials, then open a "
        "pull request."
    )


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
@_root_option
def demo(coaches: int, out: Path, seed: int, root: Path, records: bool) -> None:
    """Write a synthetic programme of N coaches (or, with --records, demo records)."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.tools.demo import generate
    from coachdir.tools.sample import sample_root

    if records:
        from coachdir.tools.demorecords import write_demo_records

        files = write_demo_records(root, _programme_or_fail(root), out, seed)
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
    help="Write the skeleton of the private records repository instead.",
)
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
    sample_coaches: bool,
    coachdir_source: str | None,
    coachdir_ref: str | None,
) -> None:
    """Write a new programme repository into FOLDER (missing or empty; nothing is ever
    overwritten), or with --records the skeleton of its private records repository."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.tools import initrepo

    if records:
        if sample_coaches or coachdir_source or coachdir_ref:
            raise click.UsageError(
                "--records takes no --sample-coaches, --coachdir-source or --coachdir-ref."
            )
        written = initrepo.init_records(folder)
        what = "the records repository skeleton"
    else:
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


@cli.command()
@_root_option
@_today_option
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
def serve(root: Path, today: date | None, port: int, host: str) -> None:
    """Build, serve the site locally and rebuild when coaches/, content/ or programme.yml change."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.site.serve import serve_forever

    def report(event: str, problems: list[Problem]) -> None:
        if problems:
            click.echo(format_text(problems), err=True)
        click.echo(event, err=True)

    serve_forever(root, host=host, port=port, today=today, report=report)


@cli.command("parse-form")
@click.option(
    "--template",
    "template_path",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The issue-form template (.github/ISSUE_TEMPLATE/*.yml).",
)
@click.option(
    "--body",
    "body_path",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The issue body, exactly as GitHub rendered it ('-' for stdin).",
)
def parse_form(template_path: Path, body_path: Path) -> None:
    """Parse an issue-form body and print its values by field id, as JSON."""
    import json

    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.github.formread import read_body, read_template
    from coachdir.github.issueform import FormError, parse_body

    template = read_template(template_path)
    body = read_body(body_path)
    try:
        values = parse_body(template, body)
    except FormError as exc:
        raise CoachdirError([_form_problem(body_path, exc)]) from None
    click.echo(json.dumps(values, ensure_ascii=False, indent=2))


@cli.command()
@_root_option
@click.option(
    "--form",
    "form_name",
    required=True,
    type=click.Choice([*COACH_FORMS, *RECORD_FORMS]),
    help="Which form the issue was made with.",
)
@click.option(
    "--body",
    "body_path",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The issue body as GitHub rendered it ('-' for stdin).",
)
@click.option("--author", help="GitHub login of the issue's author (required for coach forms).")
# --issue is accepted (the intake workflows pass it) but not used
@click.option("--issue", type=int, expose_value=False, help="Issue number (for the record only).")
@click.option(
    "--comment",
    "comment_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the Markdown comment for the issue here (default: print it).",
)
@_today_option
def intake(
    root: Path,
    form_name: str,
    body_path: Path,
    author: str | None,
    comment_path: Path | None,
    today: date | None,
) -> None:
    """Turn an issue-form submission into a validated profile change (exit 0), or explain
    why not without quoting it back (exit 1)."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.github import intake as intake_mod
    from coachdir.github.formread import read_body

    if form_name in COACH_FORMS and not author:
        raise click.UsageError(f"--author is required for the {form_name} form.")
    body = read_body(body_path)
    result = intake_mod.intake(
        root, form_name, body, author=author or "", today=today or date.today()
    )
    for rel, text in result.changes.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    if comment_path is not None:
        comment_path.write_text(result.comment, encoding="utf-8")
    else:
        click.echo(result.comment)
    if result.problems:
        click.echo(format_text(result.problems), err=True)
    sys.exit(EXIT_OK if result.accepted else EXIT_INVALID)


def _form_problem(body_path: Path, exc: Any) -> Problem:
    return Problem(
        str(body_path),
        exc.line or 1,
        1,
        exc.message,
        "form.body",
        "Create the issue again from the form, without editing its headings.",
    )


@cli.command("pr-check")
@_root_option
@click.option("--base", required=True, help="The pull request's base revision (e.g. origin/main).")
@click.option("--head", default="HEAD", show_default=True, help="The pull request's head.")
@click.option("--author", required=True, help="GitHub login of the pull request's author.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)
@click.option(
    "--exit-code", is_flag=True, help="Exit 1 when the programme team's approval is needed."
)
def pr_check(root: Path, base: str, head: str, author: str, fmt: str, exit_code: bool) -> None:
    """Say which changes of a pull request the author may make alone, and which need the
    programme team's approval (protected fields, other people's profiles, settings...)."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.github import prcheck, prreport

    protected = prcheck.protected_fields_at(root, base)
    report = prcheck.check_pr(root, base, head, author, protected=protected)
    formatter = {
        "text": prreport.format_text,
        "json": prreport.format_json,
        "markdown": prreport.format_markdown,
    }[fmt]
    click.echo(formatter(report))
    sys.exit(EXIT_INVALID if exit_code and report.needs_team else EXIT_OK)


@cli.command("intake-push")
@_root_option
@click.option("--issue", type=click.IntRange(min=1), required=True, help="The issue's number.")
@click.option(
    "--form",
    "form_name",
    required=True,
    type=click.Choice([*COACH_FORMS, *RECORD_FORMS]),
    help="Which form the issue was made with (names the commit).",
)
@click.option("--remote", default="origin", show_default=True, help="The git remote to push to.")
@click.option(
    "--outcome-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append 'outcome=pushed|unchanged|refused' here (for $GITHUB_OUTPUT).",
)
def intake_push(
    root: Path, issue: int, form_name: str, remote: str, outcome_file: Path | None
) -> None:
    """Commit intake's change to coaches/ on the branch intake/issue-N and push it, replacing
    only intake's own last commit there (exit 0); when someone else has pushed to the branch,
    leave it alone and say so (exit 1)."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.github import intakebranch

    done = intakebranch.publish(root, issue, f"{form_name} from #{issue}", ["coaches/"], remote)
    if outcome_file is not None:
        with open(outcome_file, "a", encoding="utf-8") as handle:
            handle.write(f"outcome={done.outcome}\nbranch={done.branch}\n")
    click.echo(done.message)
    sys.exit(EXIT_INVALID if done.outcome == "refused" else EXIT_OK)


def _programme_or_fail(root: Path) -> Any:
    programme, _, problems = load_programme(root)
    if programme is None:
        raise CoachdirError(problems)
    return programme


@cli.command()
@_root_option
@click.option("--check", is_flag=True, help="Fail if the committed forms are out of date.")
def forms(root: Path, check: bool) -> None:
    """Generate the GitHub issue forms (.github/ISSUE_TEMPLATE/) that belong to this
    repository from the schemas and programme.yml."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.github import formfiles as issue_forms

    if role_of(root) is RECORDS:
        raise CoachdirError(
            [
                Problem(
                    RECORDS.marker,
                    1,
                    1,
                    f"this is a {RECORDS.role}: its record forms are not generated here yet "
                    "(they are built from the directory repository's programme.yml)",
                    "forms.records",
                    f"Run 'coachdir forms' in the {DIRECTORY.role} (it writes the coach forms "
                    "only); the record forms come with a later coachdir version.",
                )
            ]
        )
    programme = _programme_or_fail(root)
    schema = read_schema(schema_dir(root) / "coach.schema.json")
    if check:
        problems = issue_forms.check_forms(root, programme, schema, DIRECTORY)
        if problems:
            diff = issue_forms.diff_forms(root, programme, schema, DIRECTORY)
            if diff:
                click.echo(diff, err=True)
            raise CoachdirError(problems)
        click.echo("The issue forms are up to date.")
        return
    changed = issue_forms.write_forms(root, programme, schema, DIRECTORY)
    removed = [path for path in changed if not path.exists()]
    written = len(changed) - len(removed)
    if removed:
        click.echo(
            f"Wrote {written} form(s) and removed {len(removed)} generated form(s) that belong "
            f"to another repository or are no longer produced, in {FORMS_DIR}/."
        )
        return
    click.echo(
        f"Wrote {written} form(s) in {FORMS_DIR}/."
        if written
        else "The issue forms were already up to date."
    )


@cli.command()
@_root_option
@click.option("--check", is_flag=True, help="Fail if the committed CODEOWNERS is out of date.")
def codeowners(root: Path, check: bool) -> None:
    """Generate .github/CODEOWNERS (the programme team owns the protected paths)."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.github import codeowners as owners

    programme = _programme_or_fail(root)
    if check:
        problems = owners.check_codeowners(root, programme)
        if problems:
            raise CoachdirError(problems)
        click.echo(".github/CODEOWNERS is up to date.")
        return
    path = owners.write_codeowners(root, programme)
    click.echo(f"Wrote {path.relative_to(root.resolve()) if path.is_absolute() else path}.")


def _fail(exc: CoachdirError, ctx: click.Context | None = None) -> NoReturn:
    """The one place where a CoachdirError becomes what the user reads and the exit code: its
    problems as file:line:col lines, or its message (a usage error with the command's usage
    line, as click shows its own); then the exit code of its class."""
    if isinstance(exc, UsageError):
        click.UsageError(str(exc), ctx).show()
    elif isinstance(exc, InvalidInput):
        click.ClickException(str(exc)).show()
    else:
        click.echo(format_text(exc.problems), err=True)
    sys.exit(exc.exit_code)


def _os_error(exc: OSError) -> str:
    """The path(s) and the system's reason, e.g. 'site: Read-only file system'."""
    paths = [str(p) for p in (exc.filename, exc.filename2) if p is not None]
    reason = exc.strerror or str(exc) or type(exc).__name__
    where = " -> ".join(paths)
    return (
        f"{where}: {reason}. Check that this path exists, is writable and is not in use, "
        "then run the command again."
        if where
        else f"{reason}. Check the folders the command reads and writes, then run it again."
    )


def main(argv: list[str] | None = None) -> None:
    """Console entry point: never lets a traceback reach the user."""
    try:
        cli.main(args=argv, prog_name="coachdir", standalone_mode=False)
    except click.exceptions.Abort as exc:
        # click raises Abort from (or, in prompts, while handling) the KeyboardInterrupt
        if isinstance(exc.__cause__ or exc.__context__, KeyboardInterrupt):
            click.echo("Interrupted.", err=True)
            sys.exit(EXIT_INTERRUPTED)
        click.echo("Aborted.", err=True)
        sys.exit(EXIT_USAGE)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE if isinstance(exc, click.UsageError) else EXIT_INVALID)
    except CoachdirError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except SystemExit:
        raise
    except OSError as exc:  # the machine's state (a path, a permission, a full disk), not a bug
        click.echo(f"coachdir: {_os_error(exc)}", err=True)
        sys.exit(EXIT_INVALID)
    except Exception as exc:  # the last line of defence
        if os.environ.get("COACHDIR_DEBUG"):
            raise
        click.echo(
            f"coachdir: internal error ({type(exc).__name__}: {exc}). This is a bug in coachdir, "
            "not in your files; please report it with the command you ran "
            "(set COACHDIR_DEBUG=1 to see details).",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
    sys.exit(EXIT_OK)
