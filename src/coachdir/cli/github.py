"""Commands for the GitHub side: parse-form, intake, intake-push, pr-check, forms, codeowners."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from coachdir import dates
from coachdir.cli.app import (
    EXIT_INVALID,
    EXIT_OK,
    _programme_or_fail,
    cli,
)
from coachdir.cliopts import records_folder
from coachdir.cliopts import root_option as _root_option
from coachdir.cliopts import today_option as _today_option
from coachdir.github.vocabulary import COACH_FORMS, FORMS_DIR, RECORD_FORMS
from coachdir.layout import DIRECTORY, RECORDS, role_of
from coachdir.problems import (
    CoachdirError,
    Problem,
    format_text,
)
from coachdir.schema import read_schema, schema_dir
from coachdir.writefile import write_whole


def _parse_received(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    day = dates.parse(value)
    if day is None:
        raise click.BadParameter(f"not a date from {dates.range_text()}; write YYYY-MM-DD.")
    return day


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
@click.option(
    "--sender",
    help="Record forms sent by e-mail: the sender's address (hashed into the client code): "
    "addr, <addr>, Name <addr> or mailto:addr; default: the From: of a pasted whole message.",
)
@click.option(
    "--received",
    callback=_parse_received,
    metavar="YYYY-MM-DD",
    help="Record forms sent by e-mail: the day the e-mail was sent, which dates the request "
    "or the end (default: the Date: of a pasted whole message, else today).",
)
@click.option(
    "--records",
    "records_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Record forms: the records folder (default: records/ under the root).",
)
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
    sender: str | None,
    records_dir: Path | None,
    comment_path: Path | None,
    received: date | None,
    today: date | None,
) -> None:
    """Turn an issue-form submission into a validated profile change (exit 0), or explain
    why not without quoting it back (exit 1). A record form sent by e-mail (--sender, or a
    pasted whole message) may be the text as the mail client sent it: headers, quoted-printable,
    format=flowed, wrapped lines, a signature or a quoted reply are read."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.github import intake as intake_mod
    from coachdir.github.formread import read_body

    if form_name in COACH_FORMS and not author:
        raise click.UsageError(f"--author is required for the {form_name} form.")
    if form_name in COACH_FORMS and (sender is not None or received is not None):
        raise click.UsageError(
            f"--sender and --received are for record forms sent by e-mail, not {form_name}."
        )
    body = read_body(body_path)
    where = root
    if form_name in RECORD_FORMS:
        result = _record_intake(root, records_dir, form_name, body, author, sender, received, today)
        from coachdir.records.files import under_root

        # a record change is named relative to the root when the records folder is inside
        # it, else relative to the current folder (a records repository beside or around it)
        folder = records_dir if records_dir is not None else root / "records"
        if not under_root(folder, root):
            where = Path()
    else:
        result = intake_mod.intake(
            root, form_name, body, author=author or "", today=today or date.today()
        )
    for rel, text in result.changes.items():
        write_whole(where / rel, text)
    if comment_path is not None:
        comment_path.write_text(result.comment, encoding="utf-8")
        # the comment went to a file: the log says why (file:line:col lines)
        if result.problems:
            click.echo(format_text(result.problems), err=True)
    else:
        # the comment printed here already lists every refusal: printing the problems too
        # would show each of them twice in a terminal
        click.echo(result.comment)
    if result.team_problems:
        # the records were already invalid: the team's to fix, shown only in its own log
        click.echo(
            "The records already have problems (not the sender's); fix them, then run "
            "intake again on the same submission:",
            err=True,
        )
        click.echo(format_text(result.team_problems), err=True)
    sys.exit(EXIT_OK if result.accepted else EXIT_INVALID)


def _record_intake(
    root: Path,
    records_dir: Path | None,
    form_name: str,
    body: str,
    author: str | None,
    sender: str | None,
    received: date | None,
    today: date | None,
) -> Any:
    """A record form: who sent it (exactly one of --author and --sender, or the From: of a
    pasted message), the day it was sent, the pseudonym key from the environment, then
    records/intake.py. Usage problems (exit 2) never show the address."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.github.mailtext import read_mail, sender_address
    from coachdir.records import intake as records_intake
    from coachdir.records.pseudonym import key_from_environment

    day = today or date.today()
    if author and (sender is not None or received is not None):
        raise click.UsageError(
            f"--author is for a {form_name} form filed on GitHub; --sender and --received are "
            "for one that came by e-mail: give one or the other."
        )
    if not author:
        mail = read_mail(body)
        body = mail.body
        address = sender_address(sender) if sender is not None else mail.sender
        if address is None and mail.sender_refused:
            raise click.UsageError(
                "the pasted message's From: header is not exactly one e-mail address; give "
                "the address the e-mail came from with --sender."
            )
        if address is None:
            raise click.UsageError(
                f"give exactly one of --author and --sender for {form_name} (or paste the "
                "whole message, with its From: header)."
            )
        if mail.sender is not None and address.lower() != mail.sender.lower():
            raise click.UsageError(
                "--sender is not the address of the pasted message's From: header; give the "
                "address the e-mail came from, or leave --sender out."
            )
        if received is not None and mail.sent is not None and received != mail.sent:
            raise click.UsageError(
                "--received is not the day of the pasted message's Date: header; leave "
                "--received out, or check the day."
            )
        received = received or mail.sent
        sender = address
    if received is not None and received > day:
        raise click.UsageError(
            f"the e-mail's received day {received.isoformat()} is after today "
            f"({day.isoformat()}); an e-mail cannot arrive in the future: check --received, "
            "the message's Date: header or --today."
        )
    folder = records_folder(root, records_dir)
    if not folder.is_dir():
        raise click.UsageError(f"the records folder {folder} does not exist (see --records).")
    programme = _programme_or_fail(root)
    who = records_intake.Requester(login=author or None, email=sender or None)
    result, _ = records_intake.record_intake(
        root,
        programme,
        folder,
        form_name,
        body,
        who=who,
        key=key_from_environment(),
        today=day,
        received=received,
    )
    return result


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
@click.option(
    "--records",
    "records_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Judge a pull request of this records repository instead; --root is then the "
    "directory repository's checkout, whose profiles say which coach the author is.",
)
def pr_check(
    root: Path,
    base: str,
    head: str,
    author: str,
    fmt: str,
    exit_code: bool,
    records_dir: Path | None,
) -> None:
    """Say which changes of a pull request the author may make alone, and which need the
    programme team's approval (protected fields, other people's profiles, settings...; in
    the records repository, anything but a coach's decisions and sessions on their own
    engagements)."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.github import prcheck, prreport

    if records_dir is not None:
        # imported here: only a records pull request loads the records package
        from coachdir.github import recordcheck

        report = recordcheck.check_records_pr(records_dir, root, base, head, author)
    else:
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
    leave it alone and say so (exit 1). For a record form, --root is the records repository:
    the one changed engagement goes to intake/<engagement id>, named by that id only."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.github import intakebranch

    if form_name in RECORD_FORMS:
        done = intakebranch.publish_record(root, form_name, issue, remote)
    else:
        done = intakebranch.publish(root, issue, f"{form_name} from #{issue}", ["coaches/"], remote)
    if outcome_file is not None:
        with open(outcome_file, "a", encoding="utf-8") as handle:
            handle.write(f"outcome={done.outcome}\nbranch={done.branch}\n")
            if done.title:
                handle.write(f"title={done.title}\n")
    click.echo(done.message)
    sys.exit(EXIT_INVALID if done.outcome == "refused" else EXIT_OK)


@cli.command()
@_root_option
@click.option("--check", is_flag=True, help="Fail if the committed forms are out of date.")
@click.option(
    "--records",
    "records_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write (or --check) the record forms in this records repository instead, generated "
    "from --root's programme.yml and schemas.",
)
def forms(root: Path, check: bool, records_dir: Path | None) -> None:
    """Generate the GitHub issue forms (.github/ISSUE_TEMPLATE/) that belong to a repository
    from the schemas and programme.yml: the coach forms in the directory repository (--root),
    the record forms in the records repository (--records)."""
    # imported here, not at the top, for start-up time: only this command loads it
    from coachdir.github import formfiles as issue_forms

    if records_dir is None and role_of(root) is RECORDS:
        raise CoachdirError(
            [
                Problem(
                    RECORDS.marker,
                    1,
                    1,
                    f"this is a {RECORDS.role}: its record forms are generated from the "
                    f"{DIRECTORY.role}'s programme.yml",
                    "forms.records",
                    "Run 'coachdir forms --root DIRECTORY --records .' with the directory "
                    "repository's checkout as DIRECTORY.",
                )
            ]
        )
    layout, target = DIRECTORY, root
    if records_dir is not None:
        if role_of(records_dir) is not RECORDS:
            raise click.UsageError(
                f"{records_dir} has no {RECORDS.marker}, so it is not a {RECORDS.role} "
                "(coachdir init --records writes one)."
            )
        layout, target = RECORDS, records_dir
    programme = _programme_or_fail(root)
    schema = read_schema(schema_dir(root) / "coach.schema.json")
    if check:
        problems = issue_forms.check_forms(target, programme, schema, layout)
        if problems:
            diff = issue_forms.diff_forms(target, programme, schema, layout)
            if diff:
                click.echo(diff, err=True)
            raise CoachdirError(problems)
        click.echo("The issue forms are up to date.")
        return
    changed = issue_forms.write_forms(target, programme, schema, layout)
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
