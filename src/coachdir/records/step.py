"""``coachdir records step``: append one step to an engagement's history, checked with every
records rule on a copy first, written atomically, every other line of the file kept byte for
byte."""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from coachdir.github.roundtrip import RoundTripError, append_yaml
from coachdir.loader import load_text
from coachdir.problems import CoachdirError, InvalidInput, Problem
from coachdir.programme import Programme
from coachdir.records.files import ENGAGEMENT_ID, ENGAGEMENTS_DIR, display_base, display_path
from coachdir.records.intake import check_change
from coachdir.records.model import COACH_STATES, FIRST_STATE, REASON_STATE, STATES
from coachdir.text import ID_PATTERN
from coachdir.writefile import write_whole

_COACH_ID = ID_PATTERN
#: the states a step may record (the first one is written by intake, never by a step)
STEP_STATES: tuple[str, ...] = tuple(s for s in STATES if s != FIRST_STATE)


@dataclass(frozen=True)
class Step:
    """What the team asks for: one state on one day, with its coach (intro) or reason
    (ended)."""

    state: str
    day: date
    coach: str | None = None
    reason: str | None = None

    def as_item(self) -> dict[str, Any]:
        item: dict[str, Any] = {"state": self.state, "date": self.day.isoformat()}
        if self.coach is not None:
            item["coach"] = self.coach
        if self.reason is not None:
            item["reason"] = self.reason
        return item


def _fold(text: str) -> str:
    """Text compared without regard to case, accents or surrounding spaces."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def state_id(text: str) -> str:
    """The state a step records, by its id (any case, surrounding spaces ignored)."""
    folded = _fold(text)
    if folded == FIRST_STATE:
        raise InvalidInput(
            f"STATE: '{FIRST_STATE}' is written by intake when a request arrives, never as a "
            f"step. Give one of: {', '.join(STEP_STATES)}."
        )
    for state in STEP_STATES:
        if folded == state:
            return state
    raise InvalidInput(
        f"STATE is not a state of an engagement. Give one of: {', '.join(STEP_STATES)}."
    )


def reason_id(programme: Programme, text: str) -> str:
    """The end reason of ``text``: an id of ``vocabularies.end_reasons``, or its label in
    either language, or the whole bilingual label (case, accents and spaces ignored)."""
    folded = _fold(text)
    ids = programme.end_reasons
    for rid in ids:
        if folded == _fold(rid):
            return rid
    if programme.has_vocabulary("end_reasons"):
        for term in programme.vocabulary("end_reasons"):
            labels = {_fold(term.fr), _fold(term.en), _fold(f"{term.fr} / {term.en}")}
            if folded in labels:
                return term.id
    raise InvalidInput(
        "--reason is not an end reason of programme.yml vocabularies.end_reasons. Give one "
        f"of: {', '.join(ids)}."
    )


def check_options(step: Step) -> None:
    """Refuse a coach or reason missing for, or given to, a state that does not take it."""
    if step.state in COACH_STATES and step.coach is None:
        raise InvalidInput(
            f"an '{step.state}' step names the coach of the introductory conversation: pass "
            "--coach COACH-ID."
        )
    if step.state not in COACH_STATES and step.coach is not None:
        raise InvalidInput(
            f"--coach is only for {', '.join(sorted(COACH_STATES))} steps; remove it "
            f"for '{step.state}'."
        )
    if step.state == REASON_STATE and step.reason is None:
        raise InvalidInput(
            f"an '{REASON_STATE}' step gives its reason: pass --reason with an id of "
            "programme.yml vocabularies.end_reasons."
        )
    if step.state != REASON_STATE and step.reason is not None:
        raise InvalidInput(f"--reason is only for '{REASON_STATE}' steps; remove it.")


def record_file(folder: Path, engagement: str) -> tuple[Path, str]:
    """The engagement's file and its path relative to ``folder``. Refused: a text that is not
    an engagement id (``../etc`` included), an engagement with no file, a file that is a
    link (the step would write outside the records)."""
    if not ENGAGEMENT_ID.match(engagement):
        raise InvalidInput(
            "ENGAGEMENT is not an engagement id; give the id of the record (YYYY-NNNN, the "
            f"name of its file in {ENGAGEMENTS_DIR}/)."
        )
    rel = f"{ENGAGEMENTS_DIR}/{engagement}.yml"
    path = folder / rel
    if path.is_symlink():
        raise InvalidInput(
            f"{rel}: the record is a link, not a regular file [file.not-regular]; replace it "
            "with the file itself: a step never writes through a link."
        )
    if not path.is_file():
        raise InvalidInput(
            f"{rel}: no such engagement; 'coachdir records queue' lists the open ones."
        )
    return path, rel


def _kept(original: str, text: str) -> bool:
    """Whether ``text`` is ``original`` with lines inserted, and at most the top-level
    ``coach:`` line changed: every other line kept byte for byte, in order."""
    old = original.splitlines(keepends=True)
    new = text.splitlines(keepends=True)
    for tag, i1, i2, _j1, _j2 in difflib.SequenceMatcher(
        None, old, new, autojunk=False
    ).get_opcodes():
        if tag == "delete":
            return False
        if tag == "replace" and not all(line.startswith("coach:") for line in old[i1:i2]):
            return False
    return True


def stepped_text(original: str, step: Step) -> str:
    """The record's text with ``step`` appended to ``history`` (and, for an intro, ``coach``
    set to its coach, as the rules require); refused when the file's layout cannot be kept."""
    loaded = load_text("(record)", original)
    data = loaded.data
    if not isinstance(data, dict) or loaded.problems or not isinstance(data.get("history"), list):
        raise InvalidInput(
            "the record does not load as an engagement with a history [step.layout]; "
            "'coachdir validate --records' explains."
        )
    changes = {"coach": step.coach} if step.coach is not None else {}
    if not original.endswith("\n"):
        original += "\r\n" if "\r\n" in original else "\n"  # only a final line break is added
    try:
        text = append_yaml(original, "history", step.as_item(), changes, before="history")
    except RoundTripError:
        text = ""
    expected = {**data, **changes, "history": [*data["history"], step.as_item()]}
    if not text or not _kept(original, text) or load_text("(record)", text).data != expected:
        raise InvalidInput(
            "the step cannot be appended while keeping every other line of the record as it "
            "is (its layout is unusual) [step.layout]; add the step in a pull request by hand."
        )
    return text


def _shown(problem: Problem, base: str) -> Problem:
    """A problem of the checked copy (``records/<rel>``), at the real record's path."""
    head, _, rel = problem.path.partition("/")
    if head != "records" or not rel:
        return problem
    return Problem(
        display_path(base, rel),
        problem.line,
        problem.col,
        problem.message,
        problem.rule,
        problem.hint,
        problem.severity,
    )


def plan_step(
    root: Path, folder: Path, programme: Programme, engagement: str, step: Step, today: date
) -> tuple[Path, str]:
    """The record file and its new text. The whole records folder with the change is checked
    with every records rule first (on a copy); any error refuses the step, at its
    file:line:col in the record."""
    check_options(step)
    path, rel = record_file(folder, engagement)
    if step.coach is not None and not (
        _COACH_ID.fullmatch(step.coach) and (root / "coaches" / f"{step.coach}.yml").is_file()
    ):
        raise InvalidInput(
            "--coach is not the id of a coach of the directory (a file name in coaches/); "
            f"'coachdir records next {engagement}' proposes one."
        )
    original = path.read_bytes().decode("utf-8")
    try:
        text = stepped_text(original, step)
    except InvalidInput as exc:
        raise InvalidInput(
            f"{display_path(display_base(folder, root), rel)}: {exc.message}"
        ) from None
    base = display_base(folder, root)
    checked = check_change(root, folder, programme, base, rel, text, today)
    if checked.new or checked.before:
        raise CoachdirError([_shown(p, base) for p in checked.new] + checked.before)
    return path, text


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (coachdir.writefile.write_whole: one rename, never through
    a link)."""
    write_whole(path, text)
