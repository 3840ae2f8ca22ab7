"""Validation of a whole programme: every profile loaded, schema-checked and ruled on.

Per-file work (strict load, schema, bio checks) is independent, so it runs on all cores for
large programmes and its results are cached by content. Cross-file and date rules always run
on every profile, from the cached projection of the fields they read.
"""

from __future__ import annotations

import errno
import marshal
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from coachdir.layout import COACHES_DIR, PHOTOS_DIR
from coachdir.loader import Loaded, load_bytes, load_file
from coachdir.problems import Problem, has_errors, sort_problems
from coachdir.programme import Programme, load_programme, placeholder_settings, planned_dates
from coachdir.rules import Context, fields_read, run_rules
from coachdir.rules.identity import profile_name_problem, unexpected_folder_problem
from coachdir.schema import SchemaChecker
from coachdir.validation.cache import ValidationCache, namespace_key, run_key_of

#: the fields the cross-file and date rules read, as their modules declare; the cache keeps
#: only these
READS = fields_read()
#: the ids this module reports itself (besides the identity rule's ``identity.file-name``)
PROBLEM_IDS = ("programme.missing", "file.not-regular", "file.unreadable")
PARALLEL_THRESHOLD = 400

Progress = Callable[[int], None]


@dataclass
class Report:
    """The outcome of validating a programme."""

    problems: list[Problem]
    files: int
    programme: Programme | None = None
    profiles: list[Loaded] = field(default_factory=list)
    #: the records as loaded when a records folder was validated (coachdir.records.files
    #: Records; typed loosely so this module does not import records code at start-up)
    records: Any = None
    #: the groups and immersion offers (coachdir.offerings.load.Offerings)
    offerings: Any = None

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


def discover(root: Path) -> tuple[list[Path], list[Problem]]:
    """Profile files under ``coaches/``; misnamed files are problems, never skipped silently."""
    folder = root / COACHES_DIR
    if not folder.is_dir():
        return [], [
            Problem(
                COACHES_DIR,
                1,
                1,
                f"no {COACHES_DIR}/ folder in {root}",
                "programme.missing",
                "Run the command from the programme repository's root, or pass --root.",
            )
        ]
    files: list[Path] = []
    problems: list[Problem] = []
    with os.scandir(folder) as scan:
        entries = sorted(scan, key=lambda e: e.name)
    for entry in entries:
        if entry.is_dir():
            if entry.name != PHOTOS_DIR:
                problems.append(unexpected_folder_problem(entry.name))
            continue
        rel = f"{COACHES_DIR}/{entry.name}"
        if not _regular_or_broken_link(entry):
            problems.append(
                Problem(
                    rel,
                    1,
                    1,
                    "this is not a regular file (a pipe, socket or device), so it cannot be read",
                    "file.not-regular",
                    "Remove it; profiles are ordinary coaches/<id>.yml files.",
                )
            )
            continue
        misnamed = profile_name_problem(entry.name)
        if misnamed is not None:
            problems.append(misnamed)
        elif entry.name.endswith(".yml"):
            files.append(folder / entry.name)
    return files, problems


def _regular_or_broken_link(entry: os.DirEntry[str]) -> bool:
    """A regular file (through links), or something stat cannot follow, such as a link to
    nothing (reported as unreadable when it is read)."""
    try:
        return stat.S_ISREG(entry.stat().st_mode)
    except OSError:
        return True


def _slim(loaded: Loaded) -> Loaded:
    """Keep what the rules need: the rule fields and their positions."""
    data = loaded.data or {}
    keep = {k: data[k] for k in READS if k in data}
    values = {p: v for p, v in loaded.values.items() if not p or p[0] in READS}
    keys = {p: v for p, v in loaded.keys.items() if p and p[0] in READS}
    return Loaded(loaded.path, keep if loaded.data is not None else None, [], values, keys)


def check_file(checker: SchemaChecker, rel: str, raw: bytes, size: int) -> Loaded:
    """Strict load + schema + bio checks of one file (the cacheable part)."""
    from coachdir.rules import bio

    loaded = load_bytes(rel, raw, size)
    if loaded.data is None:
        return loaded
    problems = checker.check(loaded)
    lines = raw.decode("utf-8").replace("\r\n", "\n").split("\n")
    problems.extend(bio.check(loaded, lines))
    loaded.problems = problems
    if has_errors(problems):
        loaded.data = None
    return loaded


_WORKER_CHECKER: SchemaChecker | None = None


def _init_worker(schema: dict[str, Any]) -> None:
    global _WORKER_CHECKER
    _WORKER_CHECKER = SchemaChecker(schema, name="coach")


def _worker(batch: list[tuple[str, bytes, int]]) -> list[tuple[Any, ...]]:
    if _WORKER_CHECKER is None:
        raise RuntimeError("validation worker started without _init_worker")
    out = []
    for rel, raw, size in batch:
        loaded = check_file(_WORKER_CHECKER, rel, raw, size)
        out.append(_pack(loaded, full=False))
    return out


def _pack(loaded: Loaded, *, full: bool) -> tuple[Any, ...]:
    """A result as plain values (for the worker pipe and the cache). Slim results carry
    their positions as one marshalled blob, expanded only if a rule reports on the file."""
    problems = [tuple(p.to_dict().values()) for p in loaded.problems]
    if full:
        return (loaded.path, loaded.data, problems, loaded.values, loaded.keys)
    slim = _slim(loaded)
    blob = marshal.dumps((slim.values, slim.keys))
    return (loaded.path, slim.data, problems, blob, None)


def _unpack(packed: Sequence[Any]) -> Loaded:
    path, data, problems, values, keys = packed
    found = [Problem(*p) for p in problems]
    if isinstance(values, bytes):
        return Loaded(path, data, found, packed_positions=values)
    return Loaded(path, data, found, values, keys)


def _read(path: Path, limit: int) -> tuple[bytes, int]:
    # O_NONBLOCK: a pipe put in place after discovery must not hang the run.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with open(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        return handle.read(limit + 1), info.st_size


def validate(
    root: Path,
    only: Iterable[str] | None = None,
    *,
    today: date | None = None,
    cache_dir: Path | None = None,
    jobs: int | None = None,
    full: bool = False,
    progress: Progress | None = None,
    overrides: dict[str, bytes] | None = None,
    records: Path | None = None,
) -> Report:
    """Validate the programme in ``root``.

    ``only`` limits the reported problems to these repository-relative paths (all profiles are
    still read, because some rules compare profiles). ``full`` keeps whole profiles in the
    report (the site build needs them) and bypasses the cache's projection. ``overrides``
    maps ``coaches/<id>.yml`` paths to contents to check instead of (or in addition to) the
    files on disk, so a change can be validated before it is written. ``records`` is a records
    folder to validate as well, with this programme and these coach ids; its results are never
    cached, so a changed record is always checked afresh.
    """
    from coachdir.loader import MAX_BYTES

    root = root.resolve()
    today = today or date.today()
    programme, settings, problems = load_programme(root)
    if programme is None:
        return Report(sort_problems(problems), 1)
    files, problems = discover(root)
    problems.extend(placeholder_settings(settings, sample_team()))
    problems.extend(planned_dates(settings, today))
    overrides = dict(overrides or {})
    for rel in overrides:
        candidate = root / rel
        if candidate not in files:
            files.append(candidate)
    schema = programme.coach_schema()
    from coachdir.offerings.load import load_offerings

    offerings = load_offerings(root, programme, sorted({p.stem for p in files}), today)
    problems.extend(offerings.problems)
    record_files = offerings.files
    loaded_records: Any = None
    if records is not None:
        from coachdir.records.check import check_records

        record_problems, loaded_records = check_records(
            records, root, programme, sorted({p.stem for p in files}), today
        )
        record_files += loaded_records.files
        problems.extend(record_problems)
    cache = None
    if cache_dir is not None and not full:
        cache = ValidationCache(cache_dir, namespace_key(schema))

    results: dict[str, Loaded] = {}
    inputs: list[tuple[str, bytes, int]] = []
    for path in files:
        rel = f"{COACHES_DIR}/{path.name}"
        try:
            if rel in overrides:
                raw = overrides[rel]
                size = len(raw)
            else:
                raw, size = _read(path, MAX_BYTES)
        except OSError as exc:
            problems.append(
                Problem(
                    rel,
                    1,
                    1,
                    f"cannot read the file: {exc.strerror}",
                    "file.unreadable",
                    "Check that the file exists (it may be a broken link) and that it is readable.",
                )
            )
            continue
        inputs.append((rel, raw, size))

    # The whole run's outcome is reused only when every input is byte-identical.
    run_key = b""
    if cache is not None:
        run_key = run_key_of(cache.namespace, today, inputs, programme.raw, _photo_listing(root))
    if cache is not None:
        stored = cache.get_run(run_key)
        if stored is not None:
            problems.extend(Problem(*p) for p in stored)
            if progress:
                progress(len(inputs))
            return _report(
                problems,
                only,
                len(files) + 1 + record_files,
                programme,
                [],
                loaded_records,
                offerings,
            )

    todo: list[tuple[str, bytes, int]] = []
    for rel, raw, size in inputs:
        hit = cache.get(rel, raw) if cache is not None else None
        if hit is not None:
            results[rel] = _unpack(hit)
            if progress:
                progress(1)
        else:
            todo.append((rel, raw, size))

    fresh = _check_all(schema, todo, jobs, full, progress)
    for packed, (rel, raw, _size) in zip(fresh, todo, strict=True):
        results[rel] = _unpack(packed)
        if cache is not None:
            cache.put(rel, raw, packed)

    profiles = [results[k] for k in sorted(results)]
    found: list[Problem] = []
    for loaded in profiles:
        found.extend(loaded.problems)
    found.extend(run_rules(profiles, Context(programme, today, root)))
    if cache is not None:
        cache.put_run(run_key, [tuple(p.to_dict().values()) for p in found])
        cache.save()
    count = len(files) + 1 + record_files
    return _report(problems + found, only, count, programme, profiles, loaded_records, offerings)


def _report(
    problems: list[Problem],
    only: Iterable[str] | None,
    files: int,
    programme: Programme,
    profiles: list[Loaded],
    records: Any = None,
    offerings: Any = None,
) -> Report:
    if only is not None:
        wanted = {_normalise(p) for p in only}
        problems = [p for p in problems if p.path in wanted]
    return Report(sort_problems(problems), files, programme, profiles, records, offerings)


def _photo_listing(root: Path) -> list[str]:
    """What the photo rules look at: each entry of coaches/photos/, where it leads, and the
    size, modification and change times and inode of the file (photos are checked by content;
    the change time cannot be set back by hand, so a rewritten file is always a miss)."""
    folder = root / COACHES_DIR / PHOTOS_DIR
    if not folder.is_dir():
        return []
    out = []
    with os.scandir(folder) as scan:
        for entry in sorted(scan, key=lambda e: e.name):
            try:
                st = os.stat(entry.path)
                stamp = f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"
            except OSError:
                stamp = "-"
            out.append(f"{entry.name}={os.path.realpath(entry.path)}:{entry.is_file()}:{stamp}")
    return out


def _normalise(path: str) -> str:
    return Path(path).as_posix().removeprefix("./")


def _check_all(
    schema: dict[str, Any],
    todo: list[tuple[str, bytes, int]],
    jobs: int | None,
    full: bool,
    progress: Progress | None,
) -> list[tuple[Any, ...]]:
    if not todo:
        return []
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(todo) < PARALLEL_THRESHOLD or full:
        checker = SchemaChecker(schema, name="coach")
        out = []
        for rel, raw, size in todo:
            out.append(_pack(check_file(checker, rel, raw, size), full=full))
            if progress:
                progress(1)
        return out
    size = max(50, len(todo) // (workers * 8))
    batches = [todo[i : i + size] for i in range(0, len(todo), size)]
    out = []
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(schema,)) as pool:
        for batch_result in pool.map(_worker, batches):
            out.extend(batch_result)
            if progress:
                progress(len(batch_result))
    return out


@cache
def sample_team() -> tuple[str, ...]:
    """The team handles of coachdir's sample programme (what ``init`` copies)."""
    from coachdir.tools.sample import sample_root

    loaded = load_file(str(sample_root() / "programme.yml"), "programme.yml")
    return tuple((loaded.data or {}).get("team") or ())
