"""What coach intake (``github/intake.py``) and record intake (``records/intake.py``) share:
the result, the refusal rows and the comment made of them, the phrase bank, and the form's
questions located in a body. Nothing here quotes what a person typed."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coachdir.github.issueform import FormError, fields_of
from coachdir.github.typedbody import HINT_MARKER, heading_key
from coachdir.loader import load_file
from coachdir.problems import Problem


@dataclass
class IntakeResult:
    """What intake decided: the files to write (path -> text), and a comment for the issue."""

    accepted: bool
    changes: dict[str, str]
    comment: str
    problems: list[Problem]
    #: problems that are not the submitter's but the programme team's (records that were
    #: already invalid before this change): for the team's log only, never in the comment
    team_problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Row:
    """One refusal reason, made only of the form's own labels, line numbers, a rule id and
    our fixed phrases: never of anything the person typed."""

    question: str | None
    """The label of the question concerned (from the form template), None if none."""
    line: int | None
    """The line inside that question's answer, when known."""
    what: str
    rule: str
    how: str
    body_line: int = 1
    """The line of the issue body, for the log."""

    def where(self) -> str:
        if self.question is None:
            return ""
        if self.line is None:
            return f"'{self.question}'"
        return f"line {self.line} of '{self.question}'"

    def problem(self) -> Problem:
        where = self.where()
        message = f"{where}: {self.what}" if where else self.what
        return Problem("(issue body)", self.body_line, 1, message, self.rule, self.how)


def form_error_row(template: Mapping[str, Any], body: str, exc: FormError, how: str) -> Row:
    """The refusal of a body that does not match its form. parse_body's messages are made of
    the template's labels and fixed phrases, never of what was typed."""
    return Row(
        Form(template, body).label(exc.field), None, exc.message, "form.body", how, exc.line or 1
    )


def reject(form: str, rows: Sequence[Row], why: str) -> IntakeResult:
    problems = [row.problem() for row in rows]
    return IntakeResult(False, {}, result_comment(form, False, why, rows), problems)


def result_comment(form: str, accepted: bool, summary: str, rows: Sequence[Row]) -> str:
    """A Markdown comment that never quotes what was submitted: the form's question labels,
    lines inside the answers, rule ids and our own phrases."""
    lines = [f"**{'✅' if accepted else '❌'} {summary}**", ""]
    if rows:
        lines.append("| Question | Problème / Problem | Comment corriger / How to fix |")
        lines.append("| --- | --- | --- |")
        for row in rows:
            question = _md_cell(row.question) if row.question else "—"
            if row.line is not None:
                question += f" (line {row.line} of the answer)"
            what = f"{_md_cell(row.what)} (`{_rule_id(row.rule)}`)"
            lines.append(f"| {question} | {what} | {_md_cell(row.how)} |")
        lines.append("")
    lines.append(f"_coachdir intake, formulaire / form `{form}`._")
    return "\n".join(lines) + "\n"


def _rule_id(rule: str) -> str:
    return rule if re.fullmatch(r"[A-Za-z0-9.-]{1,60}", rule) else "rule"


def _md_cell(text: str) -> str:
    text = re.sub(r"[\x00-\x1f]", " ", text)
    text = text.replace("|", "\\|").replace("@", "@\u200b").replace("<", "&lt;")
    text = text.replace("[", "\\[").replace("]", "\\]").replace("`", "\\`")
    return text[:1000]  # long enough for a question's list of valid answers


#: what a rule means and how to fix it, in our words (never the validator's message, which
#: may quote the value or the key that was typed): by rule id, by family, and for any other
PHRASES_FILE = Path(__file__).parent / "data" / "phrases.yml"
_Phrase = tuple[str, str]


@functools.cache
def phrase_bank() -> tuple[dict[str, _Phrase], dict[str, _Phrase], _Phrase]:
    """The phrase bank, read once with the strict loader; a broken file is a bug of coachdir."""
    loaded = load_file(str(PHRASES_FILE))
    if loaded.data is None or loaded.problems:
        detail = "; ".join(p.message for p in loaded.problems[:3]) or "it is empty"
        raise RuntimeError(f"intake's phrase bank {PHRASES_FILE} is broken: {detail}")
    data = loaded.data

    def table(entries: dict[str, dict[str, str]]) -> dict[str, _Phrase]:
        return {key: (value["what"], value["how"]) for key, value in entries.items()}

    return (
        table(data["rules"]),
        table(data["families"]),
        (data["other"]["what"], data["other"]["how"]),
    )


def phrase(rule: str) -> tuple[str, str]:
    rules, families, other = phrase_bank()
    return rules.get(rule) or families.get(rule.split(".", 1)[0], other)


class Form:
    """The form's questions and where their answers start in the body, to name them."""

    def __init__(self, template: Mapping[str, Any], body: str) -> None:
        self.fields = {f.id: f for f in fields_of(template)}
        self.lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    def label(self, fid: str | None) -> str | None:
        form_field = self.fields.get(fid or "")
        return form_field.label if form_field else None

    def answer_start(self, fid: str | None) -> int | None:
        """The body line of the first line of an answer (for a ``render:`` answer, the
        first line inside its code fence), None when not found."""
        form_field = self.fields.get(fid or "")
        if form_field is None:
            return None
        heading = heading_key(f"### {form_field.label}")
        for number, text in enumerate(self.lines, 1):
            if heading_key(text) == heading:
                for later in range(number, len(self.lines)):
                    answer = self.lines[later].strip()
                    if answer and not answer.startswith(HINT_MARKER):
                        return later + 1 + (1 if form_field.render else 0)
                return None
        return None

    def row(self, fid: str | None, line: int | None, what: str, rule: str, how: str) -> Row:
        start = self.answer_start(fid)
        body_line = 1 if start is None else start + (line - 1 if line else 0)
        return Row(self.label(fid), line, what, rule, how, body_line)

    def rule_row(self, fid: str | None, line: int | None, rule: str) -> Row:
        what, how = phrase(rule)
        return self.row(fid, line, what, rule, how)
