"""Intake: a parsed issue-form submission becomes a validated YAML change and a comment."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from coachdir.emit import emit_profile
from coachdir.github.answers import option_to_id, options_to_ids, parse_credentials
from coachdir.github.formread import read_template
from coachdir.github.intakeparts import Form as _Form
from coachdir.github.intakeparts import IntakeResult as IntakeResult
from coachdir.github.intakeparts import Row as _Row
from coachdir.github.intakeparts import form_error_row as form_error_row
from coachdir.github.intakeparts import phrase as _phrase
from coachdir.github.intakeparts import phrase_bank
from coachdir.github.intakeparts import reject as _reject
from coachdir.github.intakeparts import result_comment as _comment
from coachdir.github.issueform import FormError, parse_answers
from coachdir.github.roundtrip import RoundTripError, update_yaml
from coachdir.github.vocabulary import FORMS_DIR
from coachdir.loader import load_file, load_text
from coachdir.problems import Problem
from coachdir.programme import load_programme
from coachdir.text import ID_PATTERN, coach_id_for
from coachdir.tools.scaffold import new_profile_defaults
from coachdir.validation.engine import validate

# --- intake: a parsed submission becomes a YAML change ------------------------------------


#: the phrase bank (its cache), under the name it had here
_phrase_bank = phrase_bank

#: validator rules not tied to a field named in their message: the profile field they are about
_RULE_FIELDS = {"identity.duplicate-github": "github", "identity.duplicate-email": "contact"}


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


def _form_template(root: Path, form: str) -> dict[str, Any]:
    return read_template(root / FORMS_DIR / f"{form}.yml")


def intake(root: Path, form: str, body: str, *, author: str, today: date) -> IntakeResult:
    """Parse ``body`` against the committed form ``form`` and work out the change.

    The comment and the problems name the form's questions, lines inside the answers and
    rule ids, never a key or a value that was submitted (refused or not)."""
    template = _form_template(root, form)
    try:
        values, problems = parse_answers(template, body)
    except FormError as exc:  # the body's shape: every such problem, one row each
        problems, values = list(exc.errors), {}
    if problems:
        rows = [
            form_error_row(
                template,
                body,
                problem,
                "Create the issue again from the form, without editing its headings.",
            )
            for problem in problems
        ]
        return _reject(form, rows, "Le formulaire n'a pas pu être lu / The form could not be read")
    answers = _Form(template, body)
    try:
        if form == "coach-registration":
            return _registration(root, template, answers, values, author=author, today=today)
        if form == "profile-change":
            return _profile_change(root, template, answers, values, author=author, today=today)
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
