"""Record intake: a record form's body (from GitHub or from an e-mail) becomes a record change.

A coaching request creates ``engagements/<YYYY-NNNN>.yml`` (the next number of the request's
year), a session log appends to ``sessions``, an end of association appends ``completed`` or
``ended`` (with its reason) to ``history``. The whole records folder, with the change, is
checked with every records rule (records/check.py) before anything is written. A refusal
names the form's question, a line and the rule id, never a value that was typed.

Files are written with the one YAML writer (emit.dump_yaml) under the ``yaml-language-server``
modeline, and checked to load back through the strict loader as the data written.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from coachdir.emit import dump_yaml
from coachdir.github.answers import option_to_id
from coachdir.github.forms import generate_forms
from coachdir.github.groupforms import GROUP_FIELD, GROUP_JOIN_FORM
from coachdir.github.intakeparts import (
    Form,
    IntakeResult,
    Row,
    form_error_row,
    phrase,
    reject,
    result_comment,
)
from coachdir.github.issueform import FormError, parse_answers
from coachdir.github.mailtext import sender_address
from coachdir.github.vocabulary import COMPLETED, FEEDBACK_FORM, request_field
from coachdir.loader import load_file, load_text
from coachdir.problems import Problem, UsageError
from coachdir.programme import Programme
from coachdir.records.check import check_records
from coachdir.records.files import (
    ENGAGEMENT_ID,
    ENGAGEMENTS_DIR,
    GROUPS_DIR,
    display_base,
    display_path,
)
from coachdir.records.groups import MEMBERSHIP_ID
from coachdir.records.model import COMPLETED_OR_ENDED
from coachdir.records.pseudonym import client_code
from coachdir.schema import read_schema, schema_dir
from coachdir.tools.demorecords import HEADER as RECORD_HEADERS

RECORD_HEADER = RECORD_HEADERS["engagements"]
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WHOLE = re.compile(r"[0-9]{1,4}")
_UNIT = re.compile(r"U[0-9]{1,6}(/U[0-9]{1,6}){0,11}")
_COACH_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True)
class Requester:
    """Who sent the form: a GitHub login (filed on GitHub) or an e-mail address (sent by
    e-mail and passed on by the team). Never written anywhere, only hashed or compared."""

    login: str | None = None
    email: str | None = None

    @property
    def identity(self) -> str:
        return self.login or self.email or ""


@dataclass(frozen=True)
class _Coach:
    id: str
    github: str
    email: str


def template_of(programme: Programme, root: Path, form: str) -> dict[str, Any]:
    """The record form as generated from the directory's programme.yml and schemas (the very
    text ``coachdir forms`` writes in the records repository)."""
    import yaml

    schema = read_schema(schema_dir(root) / "coach.schema.json")
    loaded = yaml.safe_load(generate_forms(programme, schema)[f"{form}.yml"])
    return dict(loaded)


def _refuse(form: str, rows: Sequence[Row], why: str) -> IntakeResult:
    return reject(form, rows, why)


def _answer(values: Mapping[str, Any], fid: str) -> str:
    value = values.get(fid)
    return "" if value is None else str(value).strip()


def _coaches(root: Path) -> dict[str, _Coach]:
    out: dict[str, _Coach] = {}
    folder = root / "coaches"
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.yml")):
        loaded = load_file(str(path), f"coaches/{path.name}")
        data = loaded.data if isinstance(loaded.data, dict) else {}
        contact = data.get("contact") if isinstance(data.get("contact"), dict) else {}
        out[path.stem] = _Coach(
            path.stem,
            str(data.get("github") or "").casefold(),
            str((contact or {}).get("email") or "").casefold(),
        )
    return out


def _is_team(programme: Programme, who: Requester) -> bool:
    return who.login is not None and who.login.casefold() in {t.casefold() for t in programme.team}


def _is_coach(coach: _Coach | None, who: Requester) -> bool:
    if coach is None:
        return False
    if who.login is not None:
        return bool(coach.github) and who.login.casefold() == coach.github
    return bool(coach.email) and (who.email or "").strip().casefold() == coach.email


def schema_modeline(
    folder: Path, root: Path, name: str = "engagement.schema.json", rel_file: str = ""
) -> str:
    """The ``yaml-language-server`` modeline of a new engagement file under the records
    ``folder``: the path from ``folder/engagements/`` to the engagement schema the directory
    ``root`` really holds (``../../schemas/...`` for the sample's records/, and
    ``../directory/schemas/...`` in a records repository around its directory checkout).
    ``name`` and ``rel_file``: another schema, for a file at ``rel_file`` under ``folder``."""
    schema = os.path.abspath(schema_dir(root) / name)
    where = (folder / rel_file).parent if rel_file else folder / ENGAGEMENTS_DIR
    try:
        rel = os.path.relpath(schema, os.path.abspath(where))
    except ValueError:  # another drive (Windows): only an absolute path reaches it
        rel = schema
    return f"# yaml-language-server: $schema={Path(rel).as_posix()}\n"


def record_text(data: Mapping[str, Any], leading: str = "") -> str:
    """An engagement file: modeline (or the file's own leading comments), then the data."""
    text = (leading or RECORD_HEADER) + dump_yaml(data)
    if load_text("(generated)", text).data != dict(data):
        raise ValueError("the record does not load back as written")
    return text


def _leading_comments(text: str) -> str:
    lines = text.splitlines(keepends=True)
    head = []
    for line in lines:
        if not line.startswith("#"):
            break
        head.append(line)
    return "".join(head)


def _next_id(folder: Path, year: int) -> str:
    taken = [
        int(p.stem[5:])
        for p in (folder / ENGAGEMENTS_DIR).glob(f"{year:04d}-*.yml")
        if ENGAGEMENT_ID.match(p.stem)
    ]
    return f"{year:04d}-{max(taken, default=0) + 1:04d}"


def _not_copied(folder: Path, root: Path) -> Callable[[str, list[str]], set[str]]:
    """What the check's copy leaves out of a whole records repository: the directory
    repository's checkout inside it (as its workflows make it), .git/ and .venv/."""
    home = root.resolve()

    def ignore(where: str, names: list[str]) -> set[str]:
        if Path(where) != folder:
            return set()
        return {n for n in names if n in (".git", ".venv") or (folder / n).resolve() == home}

    return ignore


@dataclass(frozen=True)
class _Checked:
    """The records check of a change: the problems the change brings (the sender's answers
    are at fault), and those the records had before it (the team's to fix), shown at their
    real paths."""

    new: list[Problem]
    before: list[Problem]


def _problem_key(problem: Problem) -> tuple[str, str, str]:
    # not the line: a problem the file already had may move when a step is appended to it
    return problem.path, problem.rule, problem.message


def _check(
    root: Path, folder: Path, programme: Programme, base: str, rel: str, text: str, today: date
) -> _Checked:
    """The error problems of the records folder with ``rel`` (under it) replaced by ``text``,
    checked on a copy: the real folder is not touched. When there are any, the copy is
    checked without the change too, so that what was already wrong is told apart."""
    coach_ids = sorted(p.stem for p in (root / "coaches").glob("*.yml"))
    with tempfile.TemporaryDirectory(prefix="coachdir-intake-") as scratch:
        copy = Path(scratch) / "records"
        shutil.copytree(folder, copy, symlinks=True, ignore=_not_copied(folder, root))
        # the standing and capacity rules read the coaches' profiles beside the records, the
        # group rules the directory's groups
        (Path(scratch) / "coaches").symlink_to((root / "coaches").resolve())
        # and the immersion rules the directory's offers
        if (root / "immersions").is_dir():
            (Path(scratch) / "immersions").symlink_to((root / "immersions").resolve())
        if (root / "groups").is_dir():
            (Path(scratch) / "groups").symlink_to((root / "groups").resolve())

        def errors() -> list[Problem]:
            found, _ = check_records(copy, Path(scratch), programme, coach_ids, today)
            return [p for p in found if p.severity == "error"]

        target = copy / rel
        original = target.read_bytes() if target.is_file() and not target.is_symlink() else None
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink():  # replace the link in the copy, never write through it
            target.unlink()
        target.write_text(text, encoding="utf-8", newline="")
        after = errors()
        if not after:
            return _Checked([], [])
        if original is None:
            target.unlink()
        else:
            target.write_bytes(original)
        before = errors()
    remaining = Counter(_problem_key(p) for p in before)
    new: list[Problem] = []
    for problem in after:
        if remaining[_problem_key(problem)] > 0:
            remaining[_problem_key(problem)] -= 1
        else:
            new.append(problem)
    return _Checked(new, [_real_path(p, base) for p in before])


def _real_path(problem: Problem, base: str) -> Problem:
    """A problem found in the check's copy (``records/<rel>``), at its path in the real
    records folder."""
    rel = problem.path.removeprefix("records/")
    return dataclasses.replace(problem, path=display_path(base, rel))


#: how a refusal tells the sender to try again, by the way the form came (never "the form"
#: to someone who wrote an e-mail)
_AGAIN_GITHUB = (
    "Fill in the form again, without editing its headings.",
    "Correct this answer and send again.",
)
_AGAIN_MAIL = (
    "Correct this in your e-mail (keep each line starting with ### as it is) and send it again.",
    "Correct this answer in your e-mail and send it again.",
)


def record_intake(
    root: Path,
    programme: Programme,
    folder: Path,
    form: str,
    body: str,
    *,
    who: Requester,
    key: bytes,
    today: date,
    received: date | None = None,
) -> tuple[IntakeResult, str | None]:
    """The record change of one record form, and the engagement id it is about (None when
    refused before an engagement was known). ``changes`` are paths relative to ``root``.

    ``received``: the day the form was sent (an e-mail's day), which dates the request, the
    completion or the end; ``today`` by default. Every rule is still checked as of ``today``.
    A ``who.email`` is read with :func:`coachdir.github.mailtext.sender_address` (a
    UsageError when it is not exactly one address). A refusal lists every problem found."""
    if who.email is not None:
        who = Requester(login=who.login, email=sender_address(who.email))
    if received is not None and received > today:
        raise UsageError(
            f"the received day {received.isoformat()} is after today ({today.isoformat()}): "
            "a form cannot have been sent in the future"
        )
    day = received or today
    typed = who.email is not None
    structure_how, answer_how = _AGAIN_MAIL if typed else _AGAIN_GITHUB
    template = template_of(programme, root, form)
    try:
        values, problems = parse_answers(template, body, typed=typed)
    except FormError as exc:
        rows = [form_error_row(template, body, error, structure_how) for error in exc.errors]
        return _refuse(
            form, rows, "Le formulaire n'a pas pu être lu / The form could not be read"
        ), None
    answers = Form(template, body)
    base = display_base(folder, root)
    try:
        if form == "coaching-request":
            return _request(
                root, programme, folder, base, template, answers, values, who, key, today,
                received=day, earlier=problems,
            )  # fmt: skip
        if form == GROUP_JOIN_FORM:
            return _join(
                root, programme, folder, base, template, answers, values, who, key, today,
                received=day, earlier=problems,
            )  # fmt: skip
        if problems:
            raise FormError.of(problems)
        return _update(
            root, programme, folder, base, form, template, answers, values, who, key, today,
            received=day,
        )  # fmt: skip
    except FormError as exc:
        rows = [
            answers.row(error.field, None, error.message, "form.value", answer_how)
            for error in exc.errors
        ]
        why = "Une réponse n'est pas valide / An answer is not valid"
        if len(rows) > 1:
            why = f"{len(rows)} réponses ne sont pas valides / {len(rows)} answers are not valid"
        return _refuse(form, rows, why), None


def _option(template: Mapping[str, Any], values: Mapping[str, Any], fid: str) -> str | None:
    value = values.get(fid)
    return None if value is None else option_to_id(template, fid, str(value))


def _located(answers: Form, problems: Sequence[Problem], fields: Sequence[str]) -> list[Row]:
    """A row per problem, naming the question whose field the problem is about (matched on the
    message's leading field name, never copied from it)."""
    rows = []
    for problem in problems:
        found = re.match(r"([a-z_]+)", problem.message)
        fid = found.group(1) if found and found.group(1) in fields else None
        rows.append(answers.rule_row(fid, None, problem.rule))
    return rows


def _request(
    root: Path,
    programme: Programme,
    folder: Path,
    base: str,
    template: Mapping[str, Any],
    answers: Form,
    values: Mapping[str, Any],
    who: Requester,
    key: bytes,
    today: date,
    *,
    received: date,
    earlier: Sequence[FormError] = (),
) -> tuple[IntakeResult, str | None]:
    """A coaching request: every answer is read, and every problem (``earlier`` ones, from the
    body, first) is raised together as one FormError."""
    form = "coaching-request"
    field = request_field(programme)
    problems = list(earlier)
    failed = {p.field for p in problems}
    preferences = [p.strip() for p in _answer(values, field).split(",") if p.strip()]
    if field not in failed and not all(_COACH_ID.fullmatch(p) for p in preferences):
        problems.append(
            FormError(
                "an entry is not a coach id (the ids are lower-case words joined by hyphens, "
                "as in the address of a coach's page), separated by commas",
                field=field,
            )
        )
    unit = _answer(values, "unit")
    if "unit" not in failed and not _UNIT.fullmatch(unit):
        problems.append(FormError("not a unit code such as U12/U7/U3", field="unit"))
    if problems:
        order = list(answers.fields)
        problems.sort(key=lambda p: order.index(p.field) if p.field in order else -1)
        raise FormError.of(problems)
    engagement = _next_id(folder, today.year)
    data: dict[str, Any] = {
        "schema_version": 1,
        "id": engagement,
        "client": client_code(who.identity, key),
        "contract_type": _option(template, values, "contract_type"),
        "unit": unit,
        "manages_unit": _option(template, values, "manages_unit") == "yes",
        "cohort": _option(template, values, "cohort"),
        "offer": _option(template, values, "offer"),
        "expertise": _option(template, values, "expertise"),
        "language": _option(template, values, "language"),
        "kind": _option(template, values, "kind"),
        "initiated_by": _option(template, values, "initiated_by"),
        "preferences": preferences,
        "history": [{"state": "requested", "date": received.isoformat()}],
    }
    fields = {"preferences": field, **{k: k for k in data if k in answers.fields}}
    rel = f"{ENGAGEMENTS_DIR}/{engagement}.yml"
    text = record_text(data, schema_modeline(folder, root))
    return _finish(
        root,
        programme,
        folder,
        base,
        form,
        rel,
        text,
        answers,
        fields,
        engagement,
        today,
        "Demande enregistrée / Request recorded",
    )


def _next_membership(folder: Path, year: int) -> str:
    """The next membership id of ``year``, across every group's folder."""
    taken = [
        int(p.stem[7:])
        for p in (folder / GROUPS_DIR).glob(f"*/G-{year:04d}-*.yml")
        if MEMBERSHIP_ID.match(p.stem)
    ]
    return f"G-{year:04d}-{max(taken, default=0) + 1:04d}"


def _join(
    root: Path,
    programme: Programme,
    folder: Path,
    base: str,
    template: Mapping[str, Any],
    answers: Form,
    values: Mapping[str, Any],
    who: Requester,
    key: bytes,
    today: date,
    *,
    received: date,
    earlier: Sequence[FormError] = (),
) -> tuple[IntakeResult, str | None]:
    """A group join request: a membership of the group in state ``requested``; the records
    rules (places, no line-management link, one group at a time) judge it with the others."""
    problems = list(earlier)
    failed = {p.field for p in problems}
    group = _answer(values, GROUP_FIELD)
    if GROUP_FIELD not in failed and not (
        _COACH_ID.fullmatch(group) and (root / "groups" / f"{group}.yml").is_file()
    ):
        problems.append(
            FormError(
                "not the id of a group of the directory (as in the address of the group's page)",
                field=GROUP_FIELD,
            )
        )
    unit = _answer(values, "unit")
    if "unit" not in failed and not _UNIT.fullmatch(unit):
        problems.append(FormError("not a unit code such as U12/U7/U3", field="unit"))
    if problems:
        order = list(answers.fields)
        problems.sort(key=lambda p: order.index(p.field) if p.field in order else -1)
        raise FormError.of(problems)
    membership = _next_membership(folder, today.year)
    data: dict[str, Any] = {
        "schema_version": 1,
        "id": membership,
        "group": group,
        "client": client_code(who.identity, key),
        "contract_type": _option(template, values, "contract_type"),
        "unit": unit,
        "manages_unit": _option(template, values, "manages_unit") == "yes",
        "history": [{"state": "requested", "date": received.isoformat()}],
    }
    rel = f"{GROUPS_DIR}/{group}/{membership}.yml"
    modeline = schema_modeline(folder, root, "group-membership.schema.json", rel)
    fields = {k: k for k in data if k in answers.fields}
    return _finish(
        root, programme, folder, base, GROUP_JOIN_FORM, rel, record_text(data, modeline),
        answers, fields, membership, today, "Demande enregistrée / Request recorded",
    )  # fmt: skip


def _update(
    root: Path,
    programme: Programme,
    folder: Path,
    base: str,
    form: str,
    template: Mapping[str, Any],
    answers: Form,
    values: Mapping[str, Any],
    who: Requester,
    key: bytes,
    today: date,
    *,
    received: date | None = None,
) -> tuple[IntakeResult, str | None]:
    engagement = _answer(values, "engagement")
    rel = f"{ENGAGEMENTS_DIR}/{engagement}.yml"
    path = folder / rel
    if not ENGAGEMENT_ID.match(engagement) or not path.is_file():
        row = answers.row(
            "engagement",
            None,
            "no engagement has this reference",
            "intake.unknown",
            "Copy the reference (YYYY-NNNN) the programme team gave you.",
        )
        return _refuse(form, [row], "Accompagnement introuvable / Engagement not found"), None
    original = path.read_bytes().decode("utf-8", errors="replace")
    loaded = load_text(display_path(base, rel), original)
    data = loaded.data if isinstance(loaded.data, dict) else None
    leading = _leading_comments(original)
    if (
        path.is_symlink()  # never read or written through a link (file.not-regular)
        or data is None
        or loaded.problems
        or original != leading + dump_yaml(data)
    ):
        row = answers.row(
            "engagement",
            None,
            "this record cannot be updated automatically (it is not valid, or it holds "
            "comments or a layout the record writer would not keep)",
            "intake.record-invalid",
            "Ask the programme team to fix the record in a pull request ('coachdir validate "
            "--records' explains), then send the form again.",
        )
        return _refuse(form, [row], "Dossier non modifiable / Record cannot be updated"), engagement
    coach = _coaches(root).get(str(data.get("coach") or ""))
    team = _is_team(programme, who)
    if form == "session-log":
        if not (team or _is_coach(coach, who)):
            row = answers.row(
                "engagement",
                None,
                "only the engagement's coach or the programme team may log its sessions",
                "intake.identity",
                "Send the log from the address or GitHub account of your profile.",
            )
            return _refuse(
                form, [row], "Pas votre accompagnement / Not your engagement"
            ), engagement
        when = _answer(values, "date")
        minutes = _answer(values, "minutes")
        if not _DATE.fullmatch(when):
            raise FormError("not a date written YYYY-MM-DD", field="date")
        if not _WHOLE.fullmatch(minutes):
            raise FormError("not a whole number of minutes", field="minutes")
        state = str(data["history"][-1]["state"]) if data.get("history") else ""
        session = {
            "date": when,
            "minutes": int(minutes),
            "kind": "intro" if state == "intro" else "session",
            "status": _option(template, values, "status"),
        }
        data["sessions"] = [*data.get("sessions", []), session]
        fields = {"sessions": "date"}
        summary = "Séance enregistrée / Session recorded"
    elif form == FEEDBACK_FORM:
        refusal = _feedback_refusal(
            data, team, data.get("client") == client_code(who.identity, key)
        )
        if refusal is not None:
            what, rule, how, why = refusal
            row = answers.row("engagement", None, what, rule, how)
            return _refuse(form, [row], why), engagement
        data["satisfaction"] = int(_option(template, values, "satisfaction") or 0)
        fields = {"satisfaction": "satisfaction"}
        summary = "Avis enregistré / Feedback recorded"
    else:
        client = data.get("client") == client_code(who.identity, key)
        if not (team or client or _is_coach(coach, who)):
            row = answers.row(
                "engagement",
                None,
                "only the engagement's client, its coach or the programme team may end it",
                "intake.identity",
                "Send the form from your own address or GitHub account.",
            )
            return _refuse(
                form, [row], "Pas votre accompagnement / Not your engagement"
            ), engagement
        reason = _option(template, values, "reason")
        day = (received or today).isoformat()
        step: dict[str, Any] = {"state": COMPLETED, "date": day}
        if reason != COMPLETED:
            step = {"state": "ended", "date": day, "reason": reason}
        data["history"] = [*data["history"], step]
        fields = {"history": "reason"}
        summary = "Fin enregistrée / End recorded"
    text = record_text(data, leading)
    return _finish(
        root, programme, folder, base, form, rel, text, answers, fields, engagement, today, summary
    )


def _feedback_refusal(
    data: Mapping[str, Any], team: bool, client: bool
) -> tuple[str, str, str, str] | None:
    """Why a client's feedback cannot be taken (what, rule, how, summary), or None: only the
    client (or the team) gives it, once the engagement has ended, and only once."""
    if not (team or client):
        return (
            "only the engagement's client or the programme team may give its feedback",
            "intake.identity",
            "Send the feedback from the address or GitHub account you asked for coaching with.",
            "Pas votre accompagnement / Not your engagement",
        )
    if str(data["history"][-1]["state"]) not in COMPLETED_OR_ENDED:
        return (
            "feedback is given once the engagement has ended (completed or ended)",
            "intake.not-ended",
            "Send it again after the end of the engagement.",
            "Accompagnement en cours / Engagement not ended yet",
        )
    if "satisfaction" in data:
        return (
            "this engagement's feedback was already given; it is never replaced",
            "intake.already-given",
            "Ask the programme team if the score must be corrected.",
            "Avis déjà donné / Feedback already given",
        )
    return None


def _finish(
    root: Path,
    programme: Programme,
    folder: Path,
    base: str,
    form: str,
    rel: str,
    text: str,
    answers: Form,
    fields: Mapping[str, str],
    engagement: str,
    today: date,
    summary: str,
) -> tuple[IntakeResult, str | None]:
    checked = _check(root, folder, programme, base, rel, text, today)
    if checked.new:
        rows = []
        for problem in checked.new:
            found = re.match(r"([a-z_]+)", problem.message)
            fid = fields.get(found.group(1)) if found else None
            if fid is None and not problem.path.endswith(rel):
                what, how = phrase(problem.rule)
                rows.append(Row(None, None, what, problem.rule, how))
                continue
            rows.append(answers.rule_row(fid, None, problem.rule))
        why = "Le dossier ne serait pas valide / The record would not be valid"
        result = _refuse(form, rows, why)
        result.team_problems = checked.before
        return result, engagement
    if checked.before:
        # the answers are fine; the records the team keeps are not: nothing is written, the
        # sender is told only that the team follows up, the team gets the problems
        why = (
            "Bien reçu : l'équipe du programme doit d'abord mettre ses dossiers en ordre et "
            "reviendra vers vous. Rien n'est à corriger de votre côté. / Received: the "
            "programme team must first put its records in order and will follow up. There is "
            "nothing for you to correct."
        )
        held = IntakeResult(False, {}, result_comment(form, False, why, []), [])
        held.team_problems = checked.before
        return held, engagement
    comment = result_comment(form, True, f"{summary} : `{engagement}`", [])
    return IntakeResult(True, {display_path(base, rel): text}, comment, []), engagement


#: the check of one record change on a copy of the records folder (records step uses it too)
check_change = _check

__all__ = ["Requester", "check_change", "record_intake", "record_text", "template_of"]
