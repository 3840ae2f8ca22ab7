"""The command line's frame: the command group, output helpers, and the one place where
errors become exit codes (main). Commands live in the modules beside it."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click

from coachdir import __version__
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


def _programme_or_fail(root: Path) -> Any:
    programme, _, problems = load_programme(root)
    if programme is None:
        raise CoachdirError(problems)
    return programme


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
