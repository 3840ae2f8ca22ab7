"""Finding and loading record files: ``engagements/<YYYY-NNNN>.yml``,
``supervision/<coach-id>.yml``, ``immersions/<YYYY-NNNN>.yml`` and ``coach-units.yml`` under
the records folder.

Every file goes through the same strict loader and schema checks as profiles, and every
problem has the same form (file:line:col, message, hint, rule id). Misnamed, unexpected and
non-regular files are problems, never skipped silently.
"""

from __future__ import annotations

import marshal
import os
import re
import stat
import sys
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coachdir.loader import MAX_BYTES, Loaded, load_file
from coachdir.problems import Problem, has_errors
from coachdir.programme import Programme
from coachdir.records.groups import GroupRecords, LoadTools, load_group_records
from coachdir.records.immersions import FILE_FORM as IMMERSION_FILE_FORM
from coachdir.records.immersions import ImmersionRecord, immersion_record_schema
from coachdir.records.model import CoachUnit, Engagement, SupervisionEntry
from coachdir.records.schemas import coach_units_schema, engagement_schema, supervision_schema
from coachdir.schema import SchemaChecker, read_schema, schema_dir

RECORDS_DIR = "records"
ENGAGEMENTS_DIR = "engagements"
SUPERVISION_DIR = "supervision"
#: group memberships and attendance (records/groups.py), immersion requests (records/immersions.py)
GROUPS_DIR = "groups"
IMMERSIONS_DIR = "immersions"
COACH_UNITS_FILE = "coach-units.yml"
#: files of the records folder that are not records
NOT_RECORDS = frozenset({"README.md", ".gitkeep", ".gitattributes"})
#: the records repository's settings (its marker, naming the directory repository)
SETTINGS_FILE = "records.yml"
SETTINGS_SCHEMA = "records.schema.json"
#: what else the root of a whole records repository holds that is not records
REPOSITORY_FILES = frozenset({SETTINGS_FILE, ".gitignore"})
#: (.venv/ is where its workflows install the pinned coachdir; both are in its .gitignore)
REPOSITORY_FOLDERS = frozenset({".github", "requirements", ".git", ".venv"})
#: size caps: an engagement file or a supervision log is small like a profile; coach-units.yml
#: holds one line pair per coach (about 60 bytes), so 4 MiB is room for some 60,000 coaches
ENGAGEMENT_MAX_BYTES = MAX_BYTES
SUPERVISION_MAX_BYTES = MAX_BYTES
COACH_UNITS_MAX_BYTES = 4 * 1024 * 1024
#: an engagement id: the request's year, a hyphen and its sequence number in that year, four
#: digits (0001-9999) and then as many as it takes (10000, 10001, ... without a leading zero)
ENGAGEMENT_ID_PATTERN = "[0-9]{4}-(?:[0-9]{4}|[1-9][0-9]{4,6})"
ENGAGEMENT_ID = re.compile(rf"^{ENGAGEMENT_ID_PATTERN}$")
#: the ids this module reports itself (the file.* ones as the engine does for profiles)
PROBLEM_IDS = (
    "records.file-name",
    "records.id-mismatch",
    "records.placeholder",
    "file.not-regular",
    "file.unreadable",
)


@dataclass
class Records:
    """What was found under a records folder: the files that loaded and passed their schema
    (with their typed records), and the problems of the others."""

    engagements: list[tuple[Loaded, Engagement]] = field(default_factory=list)
    supervision: dict[str, tuple[Loaded, tuple[SupervisionEntry, ...]]] = field(
        default_factory=dict
    )
    coach_units: dict[str, CoachUnit] = field(default_factory=dict)
    coach_units_file: Loaded | None = None
    #: records/immersions/: the immersion requests and their answers (records/immersions.py)
    immersions: list[tuple[Loaded, ImmersionRecord]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    #: every file that loaded as YAML, schema-valid or not (the PII scan reads them all)
    scanned: list[Loaded] = field(default_factory=list)
    #: group memberships and attendance, groups/<group-id>/ (records/groups.py)
    groups: GroupRecords = field(default_factory=GroupRecords)


def under_root(folder: Path, root: Path) -> bool:
    """Whether the records ``folder`` lies inside the programme ``root`` (the sample's
    records/), rather than beside or around it (a records repository)."""
    return folder.resolve().is_relative_to(root.resolve())


def display_base(folder: Path, root: Path) -> str:
    """How paths under ``folder`` are shown: relative to the programme root when inside it,
    else relative to the current folder (``.`` for the current folder itself, so GitHub's
    annotations get repository-relative paths), or absolute when outside the current folder."""
    resolved = folder.resolve()
    if under_root(folder, root):
        return resolved.relative_to(root.resolve()).as_posix()
    cwd = Path.cwd().resolve()
    if resolved.is_relative_to(cwd):
        return resolved.relative_to(cwd).as_posix()
    return resolved.as_posix()


def display_path(base: str, rel: str) -> str:
    """``rel`` under a display base, without a leading ``./``."""
    return rel if base == "." else f"{base}/{rel}"


def _file_problem(rel: str, message: str, rule: str, hint: str) -> Problem:
    return Problem(rel, 1, 1, message, rule, hint)


def _link_problem(rel: str, what: str) -> Problem:
    """A symbolic link among the records: it could point out of the records folder (and be
    read, or written through by intake), so it is refused whatever it points at."""
    return _file_problem(
        rel,
        "this is a symbolic link, not a regular file: records are never read or written "
        "through a link",
        "file.not-regular",
        f"Replace the link with the ordinary {what} file itself, or remove it.",
    )


def _regular(path: Path) -> bool | None:
    """True for a regular file (through links), False for a pipe, socket or device, None for
    something stat cannot follow (a broken link, reported as unreadable)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return None


def _scan(
    folder: Path, base: str, stem_ok: re.Pattern[str] | None, what: str
) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """The ``*.yml`` files of one records subfolder; anything else is a problem."""
    found: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    if folder.is_symlink():
        problems.append(_link_problem(f"{base}/", what))
        return found, problems
    if not folder.is_dir():
        return found, problems
    with os.scandir(folder) as scan:
        entries = sorted(scan, key=lambda e: e.name)
    for entry in entries:
        rel = f"{base}/{entry.name}"
        stem, dot, suffix = entry.name.rpartition(".")
        if entry.is_symlink():
            problems.append(_link_problem(rel, what))
        elif entry.is_dir():
            problems.append(
                _file_problem(
                    f"{rel}/",
                    f"this folder is not expected in {base}/",
                    "records.file-name",
                    f"Only {what} files belong in {base}/; move or remove this folder.",
                )
            )
        elif _regular(Path(entry.path)) is False:
            problems.append(
                _file_problem(
                    rel,
                    "this is not a regular file (a pipe, socket or device), so it cannot be read",
                    "file.not-regular",
                    f"Remove it; records are ordinary {what} files.",
                )
            )
        elif entry.name in NOT_RECORDS:
            continue
        elif not (dot and suffix == "yml") or (stem_ok is not None and not stem_ok.match(stem)):
            problems.append(
                _file_problem(
                    rel,
                    f"this file name is not of the form {what}",
                    "records.file-name",
                    f"Rename it to the form {what}, or remove it.",
                )
            )
        else:
            found.append((Path(entry.path), rel))
    return found, problems


@dataclass
class _Packed(Loaded):
    """A record file whose position tables are kept compressed until a rule reports on it:
    most files never need them, and expanded they would hold most of the memory of a large
    records folder."""

    compressed: bytes | None = None

    def _expand(self) -> None:
        if self.compressed is not None:
            self.values, self.keys = marshal.loads(zlib.decompress(self.compressed))  # noqa: S302
            self.compressed = None
        super()._expand()


def _interned(value: Any) -> Any:
    """``value`` with every string interned: records repeat the same keys, dates, states and
    codes thousands of times, and one copy of each is enough."""
    if isinstance(value, str):
        return sys.intern(value)
    if isinstance(value, dict):
        return {_interned(k): _interned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_interned(v) for v in value]
    return value


def _load(
    path: Path,
    rel: str,
    checker: SchemaChecker,
    problems: list[Problem],
    scanned: list[Loaded],
    limit: int = MAX_BYTES,
) -> Loaded | None:
    """Strict load (of at most ``limit`` bytes) + schema check; the loaded file when it
    passed, else None."""
    if _regular(path) is None or not os.access(path, os.R_OK):
        problems.append(
            _file_problem(
                rel,
                "cannot read the file",
                "file.unreadable",
                "Check that the file exists (it may be a broken link) and that it is readable.",
            )
        )
        return None
    loaded = load_file(str(path), rel, limit)
    problems.extend(loaded.problems)
    if loaded.data is None:
        return None
    found = checker.check(loaded)
    problems.extend(found)
    loaded = _Packed(
        loaded.path,
        _interned(loaded.data),
        loaded.problems,
        compressed=zlib.compress(marshal.dumps((loaded.values, loaded.keys)), 1),
    )
    scanned.append(loaded)
    return None if has_errors(found) else loaded


def _mismatch(loaded: Loaded, key: str, stem: str, what: str) -> Problem | None:
    data: dict[str, Any] = loaded.data or {}
    if data.get(key) == stem:
        return None
    line, col = loaded.where((key,))
    return Problem(
        loaded.path,
        line,
        col,
        f"{key}: does not match the file name",
        "records.id-mismatch",
        f"The {key} of {what} must equal its file name ({stem}.yml); rename the file or fix "
        f"'{key}:'.",
    )


def _same(path: Path, other: Path) -> bool:
    try:
        return path.resolve() == other.resolve()
    except OSError:
        return False


def _settings(path: Path, rel: str, out: Records) -> None:
    """records.yml: the same strict loader, checked against the shipped records.schema.json
    (a records repository has no schemas/ of its own). It is not a record, so not counted."""
    if _regular(path) is False:
        out.problems.append(
            _file_problem(
                rel,
                "this is not a regular file (a pipe, socket or device), so it cannot be read",
                "file.not-regular",
                f"Replace it with an ordinary {SETTINGS_FILE} file.",
            )
        )
        return
    checker = SchemaChecker(read_schema(schema_dir() / SETTINGS_SCHEMA), name="records", echo=False)
    loaded = _load(path, rel, checker, out.problems, [])
    if loaded is not None and (loaded.data or {}).get("directory_repository") == "OWNER/NAME":
        line, col = loaded.where(("directory_repository",))  # what init writes, to replace
        out.problems.append(
            Problem(
                rel,
                line,
                col,
                "directory_repository: is still the placeholder OWNER/NAME",
                "records.placeholder",
                "Write the directory repository as owner/name (e.g. my-ministry/coaching-"
                "directory): the workflows check it out.",
                "warning",
            )
        )


def load_records(
    folder: Path, root: Path, programme: Programme, coach_ids: Sequence[str]
) -> Records:
    """Every record file under ``folder``, loaded, schema-checked and typed."""
    base = display_base(folder, root)
    out = Records()
    engagement_checker = SchemaChecker(
        engagement_schema(programme, coach_ids), name="engagement", echo=False
    )
    supervision_checker = SchemaChecker(
        supervision_schema(programme, coach_ids), name="supervision", echo=False
    )
    with os.scandir(folder) as scan:
        top = sorted(scan, key=lambda e: e.name)
    for entry in top:
        if entry.name in (ENGAGEMENTS_DIR, SUPERVISION_DIR, GROUPS_DIR, IMMERSIONS_DIR) and (
            entry.is_dir()
        ):
            continue
        if entry.name in REPOSITORY_FOLDERS and entry.is_dir():
            continue  # a whole records repository: its configuration, not records
        if entry.is_dir() and _same(Path(entry.path), root):
            continue  # the directory repository's checkout inside it (as its CI makes it)
        if entry.name in NOT_RECORDS or entry.name == COACH_UNITS_FILE:
            continue
        if entry.name in REPOSITORY_FILES and not entry.is_dir():
            continue
        out.problems.append(
            _file_problem(
                display_path(base, entry.name) + ("/" if entry.is_dir() else ""),
                f"this is not expected in {base}/",
                "records.file-name",
                f"{base}/ holds {ENGAGEMENTS_DIR}/, {SUPERVISION_DIR}/, {GROUPS_DIR}/, "
                f"{IMMERSIONS_DIR}/, {COACH_UNITS_FILE}, "
                f"README.md and, in a records repository, {SETTINGS_FILE}, .github/, "
                "requirements/ and .gitignore; move or remove it.",
            )
        )

    settings = folder / SETTINGS_FILE
    if settings.exists() or settings.is_symlink():
        _settings(settings, display_path(base, SETTINGS_FILE), out)

    files, problems = _scan(
        folder / ENGAGEMENTS_DIR,
        display_path(base, ENGAGEMENTS_DIR),
        ENGAGEMENT_ID,
        "YYYY-NNNN.yml",
    )
    out.problems.extend(problems)
    out.files += len(files)
    for path, rel in files:
        loaded = _load(
            path, rel, engagement_checker, out.problems, out.scanned, ENGAGEMENT_MAX_BYTES
        )
        if loaded is None:
            continue
        wrong = _mismatch(loaded, "id", path.stem, "an engagement")
        if wrong is not None:
            out.problems.append(wrong)
            continue
        out.engagements.append((loaded, Engagement.from_data(loaded.data or {})))

    files, problems = _scan(
        folder / SUPERVISION_DIR, display_path(base, SUPERVISION_DIR), None, "<coach-id>.yml"
    )
    out.problems.extend(problems)
    out.files += len(files)
    for path, rel in files:
        loaded = _load(
            path, rel, supervision_checker, out.problems, out.scanned, SUPERVISION_MAX_BYTES
        )
        if loaded is None:
            continue
        wrong = _mismatch(loaded, "coach", path.stem, "a supervision log")
        if wrong is not None:
            out.problems.append(wrong)
            continue
        data = loaded.data or {}
        entries = tuple(SupervisionEntry(**s) for s in data["sessions"])
        out.supervision[path.stem] = (loaded, entries)

    units = folder / COACH_UNITS_FILE
    if units.exists() or units.is_symlink():
        rel = display_path(base, COACH_UNITS_FILE)
        out.files += 1
        if units.is_symlink():
            out.problems.append(_link_problem(rel, COACH_UNITS_FILE))
        elif _regular(units) is False:
            out.problems.append(
                _file_problem(
                    rel,
                    "this is not a regular file (a pipe, socket or device), so it cannot be read",
                    "file.not-regular",
                    f"Replace it with an ordinary {COACH_UNITS_FILE} file.",
                )
            )
        else:
            checker = SchemaChecker(
                coach_units_schema(programme, coach_ids), name="coach-units", echo=False
            )
            loaded = _load(units, rel, checker, out.problems, out.scanned, COACH_UNITS_MAX_BYTES)
            if loaded is not None:
                out.coach_units_file = loaded
                for coach, entry in (loaded.data or {})["coaches"].items():
                    out.coach_units[coach] = CoachUnit(
                        coach, entry["unit"], bool(entry["manages_unit"])
                    )
    out.groups = load_group_records(
        folder / GROUPS_DIR,
        display_path(base, GROUPS_DIR),
        programme,
        _TOOLS,
        out.problems,
        out.scanned,
    )
    out.files += out.groups.files
    _immersions(folder / IMMERSIONS_DIR, display_path(base, IMMERSIONS_DIR), programme, out)
    return out


#: the helpers above, for the group records' loader (records/groups.py)
_TOOLS = LoadTools(_scan, _load, _file_problem, _link_problem)


def _immersions(folder: Path, base: str, programme: Programme, out: Records) -> None:
    """records/immersions/<YYYY-NNNN>.yml: scanned, loaded and checked like engagements."""
    files, problems = _scan(folder, base, ENGAGEMENT_ID, IMMERSION_FILE_FORM)
    out.problems.extend(problems)
    out.files += len(files)
    if not files:
        return
    checker = SchemaChecker(immersion_record_schema(programme), name="immersion-record", echo=False)
    for path, rel in files:
        loaded = _load(path, rel, checker, out.problems, out.scanned, ENGAGEMENT_MAX_BYTES)
        if loaded is None:
            continue
        wrong = _mismatch(loaded, "id", path.stem, "an immersion record")
        if wrong is not None:
            out.problems.append(wrong)
            continue
        out.immersions.append((loaded, ImmersionRecord.from_data(loaded.data or {})))
