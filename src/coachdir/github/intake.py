"""Intake: a parsed issue-form submission becomes a validated YAML change and a comment."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from coachdir.emit import emit_profile
from coachdir.github.answers import option_to_id, options_to_ids, parse_credentials
from coachdir.github.formread import read_template
from coachdir.github.issueform import FormError, fields_of, parse_body
from coachdir.github.roundtrip import RoundTripError, update_yaml
from coachdir.github.vocabulary import FORMS_DIR
from coachdir.loader import load_file, load_text
from coachdir.problems import Problem
from coachdir.programme import load_programme
from coachdir.text import ID_PATTERN, coach_id_for
from coachdir.tools.scaffold import new_profile_defaults
from coachdir.validation.engine import validate

# --- intake: a parsed submission becomes a YAML change ------------------------------------


@dataclass
class IntakeResult:
    """What intake decided: the files to write (path -> text), and a comment for the issue."""

    accepted: bool
    changes: dict[str, str]
    comment: str
    problems: list[Problem]


@dataclass(frozen=True)
class _Row:
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


def form_error_row(template: Mapping[str, Any], body: str, exc: FormError, how: str) -> _Row:
    """The refusal of a body that does not match its form. parse_body's messages are made of
    the template's labels and fixed phrases, never of what was typed."""
    return _Row(
        _Form(template, body).label(exc.field), None, exc.message, "form.body", how, exc.line or 1
    )


def _reject(form: str, rows: Sequence[_Row], why: str) -> IntakeResult:
    problems = [row.problem() for row in rows]
    return IntakeResult(False, {}, _comment(form, False, why, rows), problems)


def _comment(form: str, accepted: bool, summary: str, rows: Sequence[_Row]) -> str:
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
    return text[:300]


#: what a rule means and how to fix it, in our words (never the validator's message, which
#: may quote the value or the key that was typed): by rule id, by family, and for any other
PHRASES_FILE = Path(__file__).parent / "data" / "phrases.yml"
_Phrase = tuple[str, str]


@functools.cache
def _phrase_bank() -> tuple[dict[str, _Phrase], dict[str, _Phrase], _Phrase]:
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


#: validator rules not tied to a field named in their message: the profile field they are about
_RULE_FIELDS = {"identity.duplicate-github": "github", "identity.duplicate-email": "contact"}


def _phrase(rule: str) -> tuple[str, str]:
    rules, families, other = _phrase_bank()
    return rules.get(rule) or families.get(rule.split(".", 1)[0], other)


def _top_field(problem: Problem, known: Sequence[str]) -> tuple[str | None, str | None]:
    """The profile field a problem is about, and for ``bio`` its language: only names that
    the schema lists (the message is matched, never copied)."""
    if problem.rule in _RULE_FIELDS:
        return _RULE_FIELDS[problem.rule], None
    found = re.match(r"([A-Za-z_][A-Za-z0-9_]*)(?:\.([a-z]{2}))?[.\[:]", problem.message)
    if found is None or found.group(1) not in known:
        family = problem.rule.split(".", 1)[0]
        return (family, None) if family in known else (None, None)
    language = found.group(2) if found.group(2) in ("fr", "en") else None
    return found.group(1), language


class _Form:
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
        heading = f"### {form_field.label}"
        for number, text in enumerate(self.lines, 1):
            if text.rstrip() == heading:
                for later in range(number, len(self.lines)):
                    if self.lines[later].strip():
                        return later + 1 + (1 if form_field.render else 0)
                return None
        return None

    def row(self, fid: str | None, line: int | None, what: str, rule: str, how: str) -> _Row:
        start = self.answer_start(fid)
        body_line = 1 if start is None else start + (line - 1 if line else 0)
        return _Row(self.label(fid), line, what, rule, how, body_line)

    def rule_row(self, fid: str | None, line: int | None, rule: str) -> _Row:
        what, how = _phrase(rule)
        return self.row(fid, line, what, rule, how)


def _form_template(root: Path, form: str) -> dict[str, Any]:
    return read_template(root / FORMS_DIR / f"{form}.yml")


def intake(root: Path, form: str, body: str, *, author: str, today: date) -> IntakeResult:
    """Parse ``body`` against the committed form ``form`` and work out the change.

    The comment and the problems name the form's questions, lines inside the answers and
    rule ids, never a key or a value that was submitted (refused or not)."""
    template = _form_template(root, form)
    try:
        values = parse_body(template, body)
    except FormError as exc:
        row = form_error_row(
            template,
            body,
            exc,
            "Create the issue again from the form, without editing its headings.",
        )
        return _reject(form, [row], "Le formulaire n'a pas pu être lu / The form could not be read")
    answers = _Form(template, body)
    try:
        if form == "coach-registration":
            return _registration(root, template, answers, values, author=author, today=today)
        if form == "profile-change":
            return _profile_change(root, template, answers, values, author=author, today=today)
        if form == "coaching-request":
            problems = check_request(root, values)
            if problems:
                rows = [
                    answers.row(
                        "coaches", None, p.message.removeprefix("coaches: "), p.rule, p.hint
                    )
                    for p in problems
                ]
                return _reject(
                    form, rows, "La demande n'est pas complète / The request is not complete"
                )
    except FormError as exc:
        # Raised by intake's own checks with fixed messages (never quoting the answer).
        row = answers.row(
            exc.field,
            exc.line,
            exc.message,
            "form.value",
            "Correct this answer by editing the issue.",
        )
        return _reject(form, [row], "Une réponse n'est pas valide / An answer is not valid")
    return IntakeResult(
        True,
        {},
        _comment(form, True, "Formulaire reçu et vérifié / Form received and checked", []),
        [],
    )


MAX_PREFERRED_COACHES = 3


def check_request(root: Path, values: Mapping[str, Any]) -> list[Problem]:
    """A coaching request names at most three directory coaches, by id, each once.

    Anything else in that answer (a name, an e-mail...) is refused without being quoted,
    so personal data typed in the wrong place is not echoed back.
    """
    answer = str(values.get("coaches") or "").strip()
    if not answer:
        return []
    ids = [part.strip() for part in answer.split(",")]
    problems: list[Problem] = []

    def refuse(message: str, hint: str) -> None:
        problems.append(Problem("(issue body)", 1, 1, message, "form.value", hint))

    if len(ids) > MAX_PREFERRED_COACHES:
        refuse(
            f"coaches: more than {MAX_PREFERRED_COACHES} coaches are listed",
            "Keep your three preferred coaches, in order, separated by commas.",
        )
    if len(set(ids)) != len(ids):
        refuse("coaches: a coach is listed twice", "List each coach once.")
    unknown = [
        i
        for i in ids
        if not ID_PATTERN.fullmatch(i) or not (root / "coaches" / f"{i}.yml").is_file()
    ]
    if unknown:
        refuse(
            f"coaches: {len(unknown)} entr{'y is' if len(unknown) == 1 else 'ies are'} "
            "not the id of a coach in the directory",
            "Copy the ids from the directory (the end of a coach page's address, such as "
            "helene-dubois), or use the page's request button. Do not write names or "
            "contact details here.",
        )
    return problems


def _single(template: Mapping[str, Any], values: Mapping[str, Any], fid: str) -> str | None:
    value = values.get(fid)
    return None if value is None else option_to_id(template, fid, str(value))


def _many(template: Mapping[str, Any], values: Mapping[str, Any], fid: str) -> list[str]:
    value = values.get(fid)
    return [] if value is None else options_to_ids(template, fid, value)


def _whole(values: Mapping[str, Any], fid: str) -> int | None:
    value = values.get(fid)
    if value is None:
        return None
    text = str(value).strip()
    if not re.fullmatch(r"[0-9]{1,6}", text):
        raise FormError("expected a whole number", field=fid)
    return int(text)


def _text(values: Mapping[str, Any], fid: str) -> str | None:
    value = values.get(fid)
    return None if value is None else str(value).strip()


def _settings_rows(problems: Sequence[Problem]) -> list[_Row]:
    return [
        _Row(
            None,
            None,
            "the programme settings (programme.yml) are not valid",
            p.rule,
            "The programme team must correct programme.yml ('coachdir validate' explains).",
        )
        for p in problems
    ]


def _registration(
    root: Path,
    template: Mapping[str, Any],
    answers: _Form,
    values: Mapping[str, Any],
    *,
    author: str,
    today: date,
) -> IntakeResult:
    form = "coach-registration"
    programme, _, problems = load_programme(root)
    if programme is None:
        return _reject(
            form,
            _settings_rows(problems),
            "Les paramètres du programme sont invalides / The programme settings are invalid",
        )
    github = _text(values, "github") or ""
    if github.lstrip("@").lower() != author.lower():
        row = answers.row(
            "github",
            None,
            "not the account that opened the issue",
            "intake.identity",
            "Give your own GitHub handle: the profile is edited by the account "
            "that submits the form.",
        )
        return _reject(form, [row], "Compte GitHub différent / Different GitHub account")
    data: dict[str, Any] = new_profile_defaults(programme, today)
    data["name"] = _text(values, "name") or ""
    for key in ("pronouns", "gender_description", "role", "location", "provider", "booking_url"):
        if _text(values, key):
            data[key] = _text(values, key)
    for key in ("gender", "entity", "affiliation"):
        value = _single(template, values, key)
        if value is not None:
            data[key] = value
    for key in ("networks", "modalities", "languages", "offers", "expertise"):
        chosen = _many(template, values, key)
        if chosen or key != "networks":
            data[key] = chosen
    bio = {
        lang: (values[f"bio_{lang}"].strip() + "\n")
        for lang in ("fr", "en")
        if values.get(f"bio_{lang}")
    }
    data["bio"] = bio
    if values.get("credentials"):
        data["credentials"] = parse_credentials(str(values["credentials"]))
    data["capacity"] = _whole(values, "capacity") or 1
    data["contact"] = {"email": _text(values, "email") or ""}
    data["github"] = github.lstrip("@")
    practice = _whole(values, "practice_hours")
    if practice is not None:
        data["practice_hours"] = practice
    coach_id = coach_id_for(data["name"], lambda cid: (root / "coaches" / f"{cid}.yml").exists())
    rel = f"coaches/{coach_id}.yml"
    known = list(programme.coach_schema()["properties"])

    def locate(problem: Problem) -> _Row:
        key, language = _top_field(problem, known)
        if key == "contact":
            fid: str | None = "email"
        elif key == "bio":
            fid = f"bio_{language}" if language else None
        else:
            fid = key if key in answers.fields else None
        return answers.rule_row(fid, None, problem.rule)

    return _finish(root, form, rel, data, today, "Nouvelle fiche / New profile", locate)


def _finish(
    root: Path,
    form: str,
    rel: str,
    data: dict[str, Any] | str,
    today: date,
    what: str,
    locate: Callable[[Problem], _Row],
) -> IntakeResult:
    if isinstance(data, str):
        text = data
    else:
        programme, _, _ = load_programme(root)
        order = list(programme.coach_schema()["properties"]) if programme else []
        try:
            text = emit_profile(data, order, "Coach profile, from a registration form.")
        except ValueError:
            row = _Row(
                None,
                None,
                "an answer cannot be written safely as YAML",
                "intake.emit",
                "Remove unusual characters from your answers.",
            )
            return _reject(form, [row], "Réponse illisible / Unreadable answer")
    report = validate(root, [rel], today=today, overrides={rel: text.encode("utf-8")})
    errors = [p for p in report.problems if p.severity == "error"]
    if errors:
        return _reject(
            form,
            [locate(p) for p in errors],
            "La fiche ne serait pas valide / The profile would not be valid",
        )
    comment = _comment(
        form,
        True,
        f"{what} : `{rel}` — l'équipe du programme va la relire / "
        "the programme team will review it",
        [],
    )
    return IntakeResult(True, {rel: text}, comment, [])


def _profile_change(
    root: Path,
    template: Mapping[str, Any],
    answers: _Form,
    values: Mapping[str, Any],
    *,
    author: str,
    today: date,
) -> IntakeResult:
    form = "profile-change"
    coach_id = _text(values, "coach") or ""
    rel = f"coaches/{coach_id}.yml"
    path = root / rel
    if not ID_PATTERN.fullmatch(coach_id) or not path.is_file():
        row = answers.row(
            "coach",
            None,
            "no profile has this id",
            "intake.unknown",
            "Give the name of your file without .yml, as in your page's address.",
        )
        return _reject(form, [row], "Fiche introuvable / Profile not found")
    current = load_file(str(path), rel)
    if current.data is None:
        # The committed profile itself is broken (or unreadable): say so, without guessing
        # whose it is, and without quoting it.
        row = answers.row(
            "coach",
            None,
            "this profile cannot be read as it is on the default branch",
            "intake.profile-invalid",
            "Ask the programme team to fix the profile first (coachdir validate shows why); "
            "then edit this issue to try again.",
        )
        return _reject(form, [row], "Fiche illisible / Profile cannot be read")
    original = path.read_bytes().decode("utf-8")
    owner = str(current.data.get("github", ""))
    if owner.lower() != author.lower():
        row = answers.row(
            "coach",
            None,
            "this profile belongs to another account",
            "intake.identity",
            "You can only request changes to your own profile; write to the "
            "programme team otherwise.",
        )
        return _reject(form, [row], "Fiche d'une autre personne / Someone else's profile")
    chosen = set(_many(template, values, "fields"))
    changes = load_text("(changes)", str(values.get("changes", "")))
    if changes.problems or changes.data is None:
        rows = [answers.rule_row("changes", p.line, p.rule) for p in changes.problems]
        rows = rows or [answers.rule_row("changes", None, "yaml.empty")]
        return _reject(form, rows, "Nouvelles valeurs illisibles / New values cannot be read")

    new_values = changes.data

    def line_of(key: str) -> int:
        return changes.where((key,), key=True)[0]

    ticked = answers.label("fields") or "fields"
    refused: list[_Row] = []
    for key in new_values:
        if key == "github":
            refused.append(
                answers.row(
                    "changes",
                    line_of(key),
                    "the GitHub account cannot be changed with this form",
                    "form.value",
                    "Remove this line; write to the programme team to change accounts.",
                )
            )
        elif key not in chosen:
            refused.append(
                answers.row(
                    "changes",
                    line_of(key),
                    f"a field that is not ticked in '{ticked}'",
                    "form.value",
                    f"Tick the field in '{ticked}' if it is one of the profile's, "
                    "or remove this line.",
                )
            )
    if refused:
        return _reject(form, refused, "Une réponse n'est pas valide / An answer is not valid")
    programme, _, _ = load_programme(root)
    known = list(programme.coach_schema()["properties"]) if programme else []

    def locate(problem: Problem) -> _Row:
        key, _ = _top_field(problem, known)
        if key is not None and key in new_values:
            return answers.rule_row("changes", line_of(key), problem.rule)
        # A problem of the profile that these new values do not touch.
        what, how = _phrase(problem.rule)
        return _Row(rel, None, what, problem.rule, how)

    try:
        text = update_yaml(original, new_values)
    except RoundTripError:
        return _reject(
            form,
            [
                _Row(
                    rel,
                    None,
                    "the profile cannot be updated automatically: the round-trip YAML editor "
                    "cannot read or write it",
                    "intake.round-trip",
                    "Edit the file in a pull request instead, or ask the programme team.",
                )
            ],
            "Fiche non modifiable / Profile cannot be updated",
        )
    return _finish(root, form, rel, text, today, "Fiche modifiée / Profile changed", locate)
