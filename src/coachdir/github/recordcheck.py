"""Pull request check in the records repository: which record changes the author may make alone.

The same principles as :mod:`coachdir.github.prcheck`: every path changed between the merge
base and the head gets a verdict, ``author`` or ``team``; the pull request needs the programme
team as soon as one change does; anything unexpected fails closed.

The author alone (a coach) may, in an existing ``engagements/<YYYY-NNNN>.yml`` whose every
base version names them as its ``coach`` (and as the coach of its last ``intro`` step):

* append to ``history`` the decision steps ``accepted``, ``declined`` and ``active``, each
  ``{state, date}`` only, in an order the state machine allows;
* append entries to ``sessions`` (``{date, minutes, kind, status}``; a ``rating`` is the
  client's, so the team records it).

A group's facilitator (a coach id in ``facilitators`` of ``groups/<group-id>.yml`` in the
directory repository, at every trusted revision) may alone add or change that group's
``groups/<group-id>/attendance.yml``, when its ``group`` stays the folder's and no comment is
added. Memberships (``groups/<group-id>/G-YYYY-NNNN.yml``) are the programme team's.

Nothing else in an engagement may change: base and head are compared field by field, and a change
to an existing step or session, a reorder, a removal, a change of any other field, a new YAML
comment (records hold no free text) or a file that changed without anything appended needs
the team. So does everything else: a new, deleted or renamed engagement, another coach's,
supervision logs, ``coach-units.yml``, ``records.yml``, ``.github/``, ``requirements/`` and
every other path. The team sets ``intro``, ``reviewed``, ``closed``, ``expired`` and
``withdrawn``; ``completed`` and ``ended`` come from the end-of-association form (intake) or
the team. The team itself is not special-cased: as in the directory repository, its approval
is a review required by branch protection and CODEOWNERS.

Identity never comes from the pull request: the author's coach id is the file name of the one
directory profile whose ``github`` is the author's login (case-insensitively), read as git
objects with the strict loader from a trusted revision of ``--root``. When the records folder
and the directory are one git repository (the demo layout, ``records/`` under the programme
root), that is every base revision of the pull request (so a ``github`` changed in the same
pull request does not count); when they are two repositories, it is the directory checkout's
``HEAD``, which the pull request cannot change. Engagements are read the same way, at the base
revisions and the head. Reasons are fixed sentences (:data:`RECORD_REASONS`) that name a
known field or state at most, never a value from the files. Git runs with argument lists
only; no blob over 64 KiB is read. The records' rules are not run again: ``coachdir validate
--records`` runs in the same CI.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from coachdir.github.changes import (
    _STATUSES,
    PUBLIC_REASONS,
    Change,
    PrCheckError,
    PrReport,
    _quote,
    validate_login,
    validate_revision,
)
from coachdir.github.prcheck import _Verdict
from coachdir.github.prgit import _Git, _Snapshot
from coachdir.github.recordreasons import RECORD_REASONS
from coachdir.layout import PROFILE, RECORDS
from coachdir.loader import MAX_BYTES, load_bytes
from coachdir.records.files import (
    COACH_UNITS_FILE,
    ENGAGEMENT_ID_PATTERN,
    ENGAGEMENTS_DIR,
    GROUPS_DIR,
    SETTINGS_FILE,
    SUPERVISION_DIR,
)
from coachdir.records.groups import ATTENDANCE_FILE
from coachdir.records.model import COACH_STATES, STATES, TRANSITIONS
from coachdir.text import ID_PATTERN

__all__ = ["DECISIONS", "check_records_pr"]

#: the steps a coach may append alone to their own engagement
DECISIONS: frozenset[str] = frozenset({"accepted", "declined", "active"})
_ENGAGEMENT = re.compile(rf"{ENGAGEMENTS_DIR}/{ENGAGEMENT_ID_PATTERN}\.yml")
_ATTENDANCE = re.compile(rf"{GROUPS_DIR}/({ID_PATTERN.pattern})/{re.escape(ATTENDANCE_FILE)}")
#: the one comment a new record file may hold: its schema modeline
_MODELINE = "# yaml-language-server: $schema="
#: the fields of an engagement (named in reasons; any other key is "unknown")
_FIELDS = (
    "schema_version",
    "id",
    "client",
    "contract_type",
    "unit",
    "manages_unit",
    "cohort",
    "offer",
    "expertise",
    "language",
    "kind",
    "initiated_by",
    "preferences",
    "coach",
    "satisfaction",
)
_APPENDED = ("history", "sessions")
_STEP_KEYS = frozenset({"state", "date"})
_SESSION_KEYS = frozenset({"date", "minutes", "kind", "status"})
_CODEOWNERS = frozenset({".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"})
#: records repository areas (see coachdir.layout.RECORDS) -> the rule a change there needs
_AREA_RULES = {
    SETTINGS_FILE: "records-settings",
    f"{SUPERVISION_DIR}/": "records-supervision",
    f"{GROUPS_DIR}/": "records-group-membership",
    COACH_UNITS_FILE: "records-coach-units",
    ".github/": "github-config",
    ".github/workflows/": "workflow",
    ".github/ISSUE_TEMPLATE/": "issue-template",
    "requirements/": "records-requirements",
}


def _reason(rule: str) -> str:
    name, _, field = rule.partition(":")
    template = RECORD_REASONS.get(name) or PUBLIC_REASONS[name]
    return template.replace("{field}", field)


def _need(v: _Verdict, rule: str) -> None:
    v.need(rule, _reason(rule))


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _comment_lines(raw: bytes) -> Counter[str]:
    """Lines that may hold a YAML comment (any '#': record values are codes, never '#')."""
    text = raw.decode("utf-8", "replace")
    return Counter(line.strip() for line in text.splitlines() if "#" in line)


class _Records:
    """The engagement files of one commit of the records repository, read on demand."""

    def __init__(self, git: _Git, rev: str, prefix: str) -> None:
        self.git = git
        self.rev = rev
        self.prefix = prefix
        self._cache: dict[str, tuple[dict[str, Any] | None, bytes]] = {}

    def read(self, rel: str) -> tuple[dict[str, Any] | None, bytes] | None:
        """(data, raw bytes) of ``rel``; None when absent; data None when it cannot be read."""
        if rel not in self._cache:
            path = self.prefix + rel
            entry = self.git.ls_tree(self.rev, path).get(path)
            if entry is None:
                return None
            data: dict[str, Any] | None = None
            raw = b""
            if entry.regular and entry.size is not None and entry.size <= MAX_BYTES:
                raw = self.git.read_blobs([entry.oid])[entry.oid]
                loaded = load_bytes(rel, raw)
                if isinstance(loaded.data, dict) and not loaded.problems:
                    data = loaded.data
            self._cache[rel] = (data, raw)
        return self._cache[rel]


def _coach_id(snapshot: _Snapshot, key: str) -> tuple[str | None, str | None]:
    """(the coach id of the one profile whose github is ``key``, else the team's rule)."""
    paths = [p for p in snapshot.handles().get(key, []) if PROFILE.regex.fullmatch(p)]
    if not paths:
        return None, "records-author-not-coach"
    if len(paths) > 1:
        return None, "records-author-ambiguous"
    match = PROFILE.regex.fullmatch(paths[0])
    return (match.group(1) if match else None), None


class _RecordChecker:
    def __init__(
        self,
        bases: Sequence[_Records],
        head: _Records,
        coach: str | None,
        identity_problem: str | None,
        facilitators: Callable[[str], list[frozenset[str]]] = lambda _g: [],
    ) -> None:
        self.bases = bases
        self.merge_base = bases[0]
        self.head = head
        self.coach = coach
        self.identity_problem = identity_problem
        #: group id -> its facilitators at each trusted revision of the directory
        self.facilitators = facilitators

    # -- paths
    def _fixed(self, rel: str | None, v: _Verdict) -> bool:
        """True (with the team's reason) unless ``rel`` is an engagement file."""
        if rel is None:
            _need(v, "records-outside")
            return True
        if _ENGAGEMENT.fullmatch(rel) or _ATTENDANCE.fullmatch(rel):
            return False
        if rel in _CODEOWNERS:
            _need(v, "codeowners")
            return True
        area = RECORDS.area_of(rel)
        rule = _AREA_RULES.get(area.path, "records-other-path") if area else "records-other-path"
        _need(v, rule)
        return True

    # -- an existing engagement, modified
    def _owned(self, rel: str, v: _Verdict) -> bool:
        if self.coach is None:
            _need(v, self.identity_problem or "records-author-not-coach")
            return False
        ok = True
        for index, snap in enumerate(self.bases):
            found = snap.read(rel)
            if found is None:
                _need(v, "records-gone-on-base" if index else "records-unreadable")
                ok = False
                continue
            data = found[0]
            if data is None:
                _need(v, "records-unreadable")
                ok = False
                continue
            coach = data.get("coach")
            history = data.get("history")
            if not isinstance(history, list) or not all(isinstance(s, dict) for s in history):
                _need(v, "records-unreadable")
                ok = False
                continue
            intros = [step.get("coach") for step in history if step.get("state") in COACH_STATES]
            if not isinstance(coach, str) or not intros:
                _need(v, "records-no-coach")
                ok = False
            elif coach != self.coach or intros[-1] != self.coach:
                _need(v, "records-other-coach")
                ok = False
        return ok

    def modified(self, rel: str, v: _Verdict) -> None:
        after = self.head.read(rel)
        if after is None or after[0] is None:
            _need(v, "records-unreadable")
            return
        if not self._owned(rel, v):
            return
        before = self.merge_base.read(rel)
        if before is None or before[0] is None:  # pragma: no cover - _owned said it reads
            _need(v, "records-unreadable")
            return
        old, new = before[0], after[0]
        for key in sorted(set(old) | set(new)):
            if key in _APPENDED or (key in old and key in new and _same(old[key], new[key])):
                continue
            _need(v, f"records-field-changed:{key}" if key in _FIELDS else "records-unknown-field")
        steps = self._appended(old, new, "history", "records-history-changed", v)
        sessions = self._appended(old, new, "sessions", "records-sessions-changed", v)
        state = old["history"][-1].get("state") if old.get("history") else None
        for step in steps:
            new_state = step.get("state") if isinstance(step, dict) else None
            if not isinstance(step, dict) or not isinstance(new_state, str):
                _need(v, "records-step-shape")
            elif new_state not in DECISIONS:
                known = new_state in STATES
                _need(v, f"records-team-step:{new_state}" if known else "records-step-shape")
            elif not set(step) <= _STEP_KEYS:
                _need(v, "records-step-shape")
            elif new_state not in TRANSITIONS.get(str(state), frozenset()):
                _need(v, "records-step-order")
            state = new_state
        for session in sessions:
            if not isinstance(session, dict):
                _need(v, "records-session-shape")
            elif "rating" in session:
                _need(v, "records-session-rating")
            elif not set(session) <= _SESSION_KEYS:
                _need(v, "records-session-shape")
        if _comment_lines(after[1]) - _comment_lines(before[1]):
            _need(v, "records-comment")
        if v.team:
            return
        if not steps and not sessions:
            _need(v, "records-no-append")
            return
        if steps:
            _allow(v, "records-decision")
        if sessions:
            _allow(v, "records-session")

    # -- a group's attendance, added or modified
    def attendance(self, rel: str, v: _Verdict) -> None:
        match = _ATTENDANCE.fullmatch(rel)
        if match is None:  # pragma: no cover - classify matched it
            _need(v, "records-other-path")
            return
        group = match.group(1)
        if self.coach is None:
            _need(v, self.identity_problem or "records-author-not-coach")
            return
        revisions = self.facilitators(group)
        if not revisions or not all(self.coach in found for found in revisions):
            _need(v, "records-not-facilitator")
            return
        after = self.head.read(rel)
        if after is None or after[0] is None:
            _need(v, "records-unreadable")
            return
        if after[0].get("group") != group:
            _need(v, "records-field-changed:group")
        before = self.merge_base.read(rel)
        if before is not None and before[0] is None:
            _need(v, "records-unreadable")
        old = _comment_lines(before[1]) if before is not None else Counter()
        added = _comment_lines(after[1]) - old
        if any(not line.startswith(_MODELINE) or before is not None for line in added):
            _need(v, "records-comment")
        if not v.team:
            _allow(v, "records-attendance")

    @staticmethod
    def _appended(
        old: Mapping[str, Any], new: Mapping[str, Any], key: str, rule: str, v: _Verdict
    ) -> list[Any]:
        """The entries appended to the list ``key``; a team reason if anything else changed."""
        before = old.get(key, [])
        after = new.get(key, [])
        if not isinstance(before, list) or not isinstance(after, list):
            _need(v, rule)
            return []
        if len(after) < len(before) or not _same(after[: len(before)], before):
            _need(v, rule)
            return []
        return after[len(before) :]

    # -- one diff entry
    def classify(
        self, status: str, old_path: str | None, path: str, old: str | None, new: str | None
    ) -> Change:
        """``old``/``new``: ``old_path``/``path`` inside the records folder (None: outside)."""
        v = _Verdict()
        letter = status[:1]
        label = _STATUSES.get(letter, "modified")
        if letter in ("R", "C"):
            label = "renamed" if letter == "R" else "added"
            if not self._fixed(new, v):
                attendance = _ATTENDANCE.fullmatch(str(new))
                _need(
                    v,
                    "records-attendance-moved"
                    if attendance
                    else "records-renamed"
                    if letter == "R"
                    else "records-new-engagement",
                )
            if letter == "R" and old is not None and _ENGAGEMENT.fullmatch(old):
                _need(v, "records-renamed")
            elif letter == "R":
                self._fixed(old, v)
        elif letter in ("A", "D", "M", "T"):
            if not self._fixed(new, v):
                if _ATTENDANCE.fullmatch(str(new)):
                    if letter in ("A", "M"):
                        self.attendance(str(new), v)
                    else:
                        _need(v, "type-changed" if letter == "T" else "records-attendance-moved")
                elif letter == "A":
                    _need(v, "records-new-engagement")
                elif letter == "D":
                    _need(v, "records-deleted-engagement")
                elif letter == "T":
                    _need(v, "type-changed")
                else:
                    self.modified(str(new), v)
        else:
            v.need("unknown-status", f"unmerged or unknown change (git status {_quote(status)})")
        return v.change(path, old_path if letter in ("R", "C") else None, label)


def _allow(v: _Verdict, rule: str) -> None:
    v.allow(rule, _reason(rule))


def _toplevel(git: _Git) -> tuple[Path, str]:
    """(the repository's top folder, the prefix of ``git.repo`` inside it: '' or 'a/b/')."""
    git.check_repo()
    top = git.ok("rev-parse", "--show-toplevel").decode("utf-8", "replace").strip()
    prefix = git.ok("rev-parse", "--show-prefix").decode("utf-8", "replace").strip()
    return Path(top).resolve(), prefix


def _facilitators(git: _Git, rev: str, group: str) -> frozenset[str]:
    """The facilitators of ``groups/<group>.yml`` in the directory at ``rev`` (none when the
    file is absent, not a regular file, too large or unreadable)."""
    path = f"{GROUPS_DIR}/{group}.yml"
    entry = git.ls_tree(rev, path).get(path)
    if entry is None or not entry.regular or entry.size is None or entry.size > MAX_BYTES:
        return frozenset()
    loaded = load_bytes(path, git.read_blobs([entry.oid])[entry.oid])
    data = loaded.data if isinstance(loaded.data, dict) and not loaded.problems else {}
    found = data.get("facilitators")
    if not isinstance(found, list):
        return frozenset()
    return frozenset(f for f in found if isinstance(f, str))


def _identity(git: _Git, revs: Sequence[str], key: str) -> tuple[str | None, str | None]:
    """The author's coach id from the directory's profiles at every trusted revision, or the
    rule why not (no profile, several, or not the same one at every revision)."""
    found = {_coach_id(_Snapshot(git, rev), key) for rev in revs}
    if len(found) != 1:
        return None, "records-author-ambiguous"
    return next(iter(found))


def check_records_pr(records: Path, root: Path, base: str, head: str, author: str) -> PrReport:
    """Classify every change of a pull request in the records repository at ``records``
    (between the merge base of ``base`` and ``head``, and ``head``), the author's identity
    read from the directory repository at ``root``. Raises :class:`PrCheckError` if the
    check cannot run."""
    login = validate_login(author)
    validate_revision(base)
    validate_revision(head)
    git = _Git(records)
    top, prefix = _toplevel(git)
    base_sha = git.resolve(base)
    head_sha = git.resolve(head)
    mb = git.merge_base(base_sha, head_sha, base, head)
    revs = [mb] if base_sha == mb else [mb, base_sha]
    directory = _Git(root)
    try:
        root_top, root_prefix = _toplevel(directory)
    except PrCheckError:
        raise PrCheckError(
            f"{root} is not a git checkout of the directory repository; pass its checkout as "
            "--root (pr-check reads the profiles at a trusted revision)"
        ) from None
    if root_prefix:
        raise PrCheckError(
            f"{root} is not the top folder of the directory repository's checkout; pass that "
            "folder as --root"
        )
    # one repository: the pull request's base revisions; two: the directory's checked-out HEAD
    trusted = revs if root_top == top else [directory.resolve("HEAD")]
    coach, problem = _identity(directory, trusted, login.lower())
    bases = [_Records(git, rev, prefix) for rev in revs]
    checker = _RecordChecker(
        bases,
        _Records(git, head_sha, prefix),
        coach,
        problem,
        lambda group: [_facilitators(directory, rev, group) for rev in trusted],
    )

    def inside(path: str | None) -> str | None:
        if path is None or not path.startswith(prefix):
            return None
        return path[len(prefix) :]

    changes = []
    for status, old, path in git.diff(mb, head_sha):
        changes.append(checker.classify(status, old, path, inside(old), inside(path)))
    return PrReport(base_sha, head_sha, login, tuple(changes), mb)
