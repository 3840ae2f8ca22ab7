"""Reading issue-form templates and bodies from files, for parse-form and intake."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from coachdir.loader import load_file
from coachdir.problems import CoachdirError, Problem

MAX_BODY_BYTES = 256 * 1024


def read_template(path: Path) -> dict[str, Any]:
    """A template through the strict loader: problems carry file, line and column."""
    loaded = load_file(str(path), str(path))
    if loaded.problems or loaded.data is None:
        raise CoachdirError(loaded.problems)
    return loaded.data


def read_body(path: Path) -> str:
    """An issue body file (or '-' for standard input), as text with its line endings."""
    import sys

    try:
        if str(path) == "-":
            raw = sys.stdin.buffer.read(MAX_BODY_BYTES + 1)
        else:
            with open(path, "rb") as handle:
                raw = handle.read(MAX_BODY_BYTES + 1)
    except OSError as exc:
        raise CoachdirError(
            [
                Problem(
                    str(path),
                    1,
                    1,
                    f"cannot read the body: {exc.strerror}",
                    "form.unreadable",
                    "Check the path.",
                )
            ]
        ) from None
    if len(raw) > MAX_BODY_BYTES:
        raise CoachdirError(
            [
                Problem(
                    str(path),
                    1,
                    1,
                    "the body is larger than 256 KiB",
                    "form.too-large",
                    "GitHub issue bodies are at most 65,536 characters.",
                )
            ]
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CoachdirError(
            [
                Problem(
                    str(path),
                    1,
                    1,
                    f"the body is not valid UTF-8 (offset {exc.start})",
                    "form.encoding",
                    "Save the body as UTF-8.",
                )
            ]
        ) from None


# --- intake: a parsed submission becomes a YAML change ------------------------------------

#: the issue forms (coachdir.forms generates them): coach forms change profiles, record forms
#: are about requests and engagements
COACH_FORMS = ("coach-registration", "profile-change")
RECORD_FORMS = ("coaching-request", "session-log", "end-of-association")


@dataclass
class IntakeResult:
    """What intake decided: the files to write (path -> text), and a comment for the issue."""

    accepted: bool
    changes: dict[str, str]
    comment: str
    problems: list[Problem]


def _reject(form: str, problems: list[Problem], why: str) -> IntakeResult:
    return IntakeResult(False, {}, _comment(form, False, why, problems), problems)


def _comment(form: str, accepted: bool, summary: str, problems: Sequence[Problem]) -> str:
    """A Markdown comment that never quotes what was submitted: field names, rules, hints."""
    lines = [f"**{'✅' if accepted else '❌'} {summary}**", ""]
    if problems:
        lines.append("| Champ / Field | Problème / Problem | Comment corriger / How to fix |")
        lines.append("| --- | --- | --- |")
        for p in problems:
            field = p.message.split(":", 1)[0] if ":" in p.message else "—"
            if len(field) > 60 or " " in field.strip():
                field = "—"
            # Form errors never quote the body; other messages may hold submitted values.
            what = _md_cell(p.message) if p.rule.startswith("form.") else p.rule
            lines.append(f"| `{field}` | {what} | {_md_cell(p.hint)} |")
        lines.append("")
    lines.append(f"_coachdir intake, formulaire / form `{form}`._")
    return "\n".join(lines) + "\n"


def _md_cell(text: str) -> str:
    text = re.sub(r"[\x00-\x1f]", " ", text)
    text = text.replace("|", "\\|").replace("@", "@\u200b").replace("<", "&lt;")
    return text[:300]


def _form_template(root: Path, form: str) -> dict[str, Any]:
    from coachdir.forms import FORMS_DIR

    return read_template(root / FORMS_DIR / f"{form}.yml")


def intake(root: Path, form: str, body: str, *, author: str, today: date) -> IntakeResult:
    """Parse ``body`` against the committed form ``form`` and work out the change."""
    from coachdir.issueform import FormError, parse_body

    template = _form_template(root, form)
    try:
        values = parse_body(template, body)
    except FormError as exc:
        problem = Problem(
            "(issue body)",
            exc.line or 1,
            1,
            exc.message,
            "form.body",
            "Create the issue again from the form, without editing its headings.",
        )
        return _reject(
            form, [problem], "Le formulaire n'a pas pu être lu / The form could not be read"
        )
    try:
        if form == "coach-registration":
            return _registration(root, template, values, author=author, today=today)
        if form == "profile-change":
            return _profile_change(root, template, values, author=author, today=today)
        if form == "coaching-request":
            problems = check_request(root, values)
            if problems:
                return _reject(
                    form, problems, "La demande n'est pas complète / The request is not complete"
                )
    except FormError as exc:
        problem = Problem(
            "(issue body)",
            1,
            1,
            exc.message,
            "form.value",
            f"Correct the answer '{exc.field or ''}' by editing the issue.",
        )
        return _reject(form, [problem], "Une réponse n'est pas valide / An answer is not valid")
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
    from coachdir.rules.identity import ID_PATTERN

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
    from coachdir.forms import option_to_id

    value = values.get(fid)
    return None if value is None else option_to_id(template, fid, str(value))


def _many(template: Mapping[str, Any], values: Mapping[str, Any], fid: str) -> list[str]:
    from coachdir.forms import options_to_ids

    value = values.get(fid)
    return [] if value is None else options_to_ids(template, fid, value)


def _whole(values: Mapping[str, Any], fid: str) -> int | None:
    from coachdir.issueform import FormError

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


def _registration(
    root: Path, template: Mapping[str, Any], values: Mapping[str, Any], *, author: str, today: date
) -> IntakeResult:
    from coachdir.forms import parse_credentials
    from coachdir.programme import load_programme
    from coachdir.scaffold import coach_id_for

    form = "coach-registration"
    programme, _, problems = load_programme(root)
    if programme is None:
        return _reject(
            form,
            problems,
            "Les paramètres du programme sont invalides / The programme settings are invalid",
        )
    github = _text(values, "github") or ""
    if github.lstrip("@").lower() != author.lower():
        problem = Problem(
            "(issue body)",
            1,
            1,
            "github: not the account that opened the issue",
            "intake.identity",
            "Give your own GitHub handle: the profile is edited by the account "
            "that submits the form.",
        )
        return _reject(form, [problem], "Compte GitHub différent / Different GitHub account")
    data: dict[str, Any] = {"schema_version": 1, "name": _text(values, "name") or ""}
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
    data["status"] = "accepting"
    data["charter"] = {"version": programme.charter_current, "signed": today.isoformat()}
    data["contact"] = {"email": _text(values, "email") or ""}
    data["github"] = github.lstrip("@")
    practice = _whole(values, "practice_hours")
    if practice is not None:
        data["practice_hours"] = practice
    data["declarations"] = {
        "confidentiality": True,
        "no_promotion_role": True,
        "no_staff_representative_role": True,
    }
    coach_id = coach_id_for(data["name"], lambda cid: (root / "coaches" / f"{cid}.yml").exists())
    rel = f"coaches/{coach_id}.yml"
    return _finish(root, form, rel, data, today, "Nouvelle fiche / New profile")


def _finish(
    root: Path, form: str, rel: str, data: dict[str, Any] | str, today: date, what: str
) -> IntakeResult:
    from coachdir.emit import emit_profile
    from coachdir.programme import load_programme
    from coachdir.validate import validate

    if isinstance(data, str):
        text = data
    else:
        programme, _, _ = load_programme(root)
        order = list(programme.coach_schema()["properties"]) if programme else []
        try:
            text = emit_profile(data, order, "Coach profile, from a registration form.")
        except ValueError:
            problem = Problem(
                rel,
                1,
                1,
                "an answer cannot be written safely as YAML",
                "intake.emit",
                "Remove unusual characters from your answers.",
            )
            return _reject(form, [problem], "Réponse illisible / Unreadable answer")
    report = validate(root, [rel], today=today, overrides={rel: text.encode("utf-8")})
    errors = [p for p in report.problems if p.severity == "error"]
    if errors:
        return _reject(
            form, errors, "La fiche ne serait pas valide / The profile would not be valid"
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
    root: Path, template: Mapping[str, Any], values: Mapping[str, Any], *, author: str, today: date
) -> IntakeResult:
    from coachdir.issueform import FormError
    from coachdir.loader import load_text
    from coachdir.rules.identity import ID_PATTERN

    form = "profile-change"
    coach_id = _text(values, "coach") or ""
    rel = f"coaches/{coach_id}.yml"
    path = root / rel
    if not ID_PATTERN.fullmatch(coach_id) or not path.is_file():
        problem = Problem(
            "(issue body)",
            1,
            1,
            "coach: no profile has this id",
            "intake.unknown",
            "Give the name of your file without .yml, as in your page's address.",
        )
        return _reject(form, [problem], "Fiche introuvable / Profile not found")
    original = path.read_text(encoding="utf-8")
    current = load_text(rel, original)
    owner = str((current.data or {}).get("github", ""))
    if owner.lower() != author.lower():
        problem = Problem(
            "(issue body)",
            1,
            1,
            "coach: this profile belongs to another account",
            "intake.identity",
            "You can only request changes to your own profile; write to the "
            "programme team otherwise.",
        )
        return _reject(form, [problem], "Fiche d'une autre personne / Someone else's profile")
    chosen = set(_many(template, values, "fields"))
    changes = load_text("(changes)", str(values.get("changes", "")))
    if changes.problems or changes.data is None:
        return _reject(
            form, changes.problems or [], "Nouvelles valeurs illisibles / New values cannot be read"
        )
    extra = sorted(set(changes.data) - chosen)
    if extra:
        raise FormError(
            "the new values change fields that were not ticked in 'fields': " + ", ".join(extra),
            field="changes",
        )
    if "github" in changes.data:
        raise FormError("the GitHub account cannot be changed with this form", field="changes")
    text = update_yaml(original, changes.data)
    return _finish(root, form, rel, text, today, "Fiche modifiée / Profile changed")


def update_yaml(original: str, changes: Mapping[str, Any]) -> str:
    """Set top-level fields of a YAML document, keeping comments, key order, quoting and
    every untouched line byte for byte (ruamel.yaml round trip). A field that is a mapping
    in both (``bio``, ``contact``, ``charter``...) is updated key by key: the keys not given
    are kept."""
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 4096
    rt.indent(mapping=2, sequence=4, offset=2)
    crlf = "\r\n" in original
    document = rt.load(original.replace("\r\n", "\n"))
    for key, value in changes.items():
        old = document.get(key)
        if isinstance(old, CommentedMap) and isinstance(value, Mapping):
            # A mapping is updated key by key: `bio: {fr: ...}` keeps bio.en (and its
            # comments and order) instead of dropping it.
            for sub, sub_value in value.items():
                old[sub] = _ruamel_value(sub_value)
            continue
        new = _ruamel_value(value)
        same_kind = (isinstance(old, CommentedSeq) and isinstance(new, CommentedSeq)) or (
            isinstance(old, CommentedMap) and isinstance(new, CommentedMap)
        )
        if same_kind and old.fa.flow_style():
            new.fa.set_flow_style()
        document[key] = new
    out = io.StringIO()
    rt.dump(document, out)
    text = out.getvalue()
    return text.replace("\n", "\r\n") if crlf else text


def _ruamel_value(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

    from coachdir.emit import _PLAIN, _RESERVED

    if isinstance(value, dict):
        mapping = CommentedMap()
        for k, v in value.items():
            mapping[k] = _ruamel_value(v)
        return mapping
    if isinstance(value, list):
        return CommentedSeq([_ruamel_value(v) for v in value])
    if isinstance(value, str):
        if "\n" in value:
            return LiteralScalarString(value)
        if _PLAIN.fullmatch(value) and value not in _RESERVED:
            return value
        return DoubleQuotedScalarString(value)
    return value
