"""Discovery and strict loading of the entry files of one folder (``groups/``,
``immersions/``): every file is reported, never skipped silently."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from coachdir.loader import Loaded, load_file
from coachdir.problems import Problem, has_errors
from coachdir.schema import SchemaChecker
from coachdir.text import ID_PATTERN

#: files that may sit in an entry folder without being entries
NOT_ENTRIES = frozenset({"README.md", ".gitkeep"})

PROBLEM_IDS = ("entry.file-name", "entry.not-regular")


def _problem(rel: str, message: str, rule: str, hint: str) -> Problem:
    return Problem(rel, 1, 1, message, rule, hint)


def discover(root: Path, folder: str, what: str) -> tuple[list[Path], list[Problem]]:
    """The ``<folder>/<id>.yml`` files under ``root`` (none when the folder is absent), and a
    problem for everything else in it (a misnamed file, a sub-folder, a pipe or a link to
    one)."""
    base = root / folder
    if not base.is_dir():
        return [], []
    files: list[Path] = []
    problems: list[Problem] = []
    with os.scandir(base) as scan:
        entries = sorted(scan, key=lambda e: e.name)
    for entry in entries:
        rel = f"{folder}/{entry.name}"
        if entry.name in NOT_ENTRIES:
            continue
        if entry.is_symlink() or not _regular(entry):
            problems.append(
                _problem(
                    rel,
                    "this is not a regular file (a link, a folder, a pipe or a device), so it "
                    "is not read",
                    "entry.not-regular",
                    f"Keep only ordinary {folder}/<id>.yml files in {folder}/.",
                )
            )
            continue
        stem, dot, ext = entry.name.rpartition(".")
        if not dot or ext != "yml" or ID_PATTERN.fullmatch(stem) is None:
            problems.append(
                _problem(
                    rel,
                    f"this file name is not a {what} id followed by .yml",
                    "entry.file-name",
                    f"Name it {folder}/<id>.yml, the id in lower-case letters and digits "
                    "joined by '-' (for example codev-2027-brest.yml).",
                )
            )
            continue
        files.append(base / entry.name)
    return files, problems


def _regular(entry: os.DirEntry[str]) -> bool:
    try:
        return stat.S_ISREG(entry.stat(follow_symlinks=False).st_mode)
    except OSError:
        return False


def load_entries(
    root: Path,
    folder: str,
    what: str,
    schema: dict[str, Any],
    rules: Callable[[Loaded], list[Problem]],
) -> tuple[list[Loaded], list[Problem]]:
    """Every entry of ``folder`` loaded strictly and checked against ``schema``, then by
    ``rules`` (only when the schema passed). Returns the entries that passed both and every
    problem found."""
    files, problems = discover(root, folder, what)
    checker = SchemaChecker(schema, name=what)
    good: list[Loaded] = []
    for path in files:
        rel = f"{folder}/{path.name}"
        loaded = load_file(str(path), rel)
        problems.extend(loaded.problems)
        if loaded.data is None or has_errors(loaded.problems):
            continue
        found = checker.check(loaded)
        if not has_errors(found):
            found.extend(rules(loaded))
        problems.extend(found)
        if not has_errors(found):
            good.append(loaded)
    return good, problems


def at(loaded: Loaded, path: tuple[str | int, ...], message: str, rule: str, hint: str) -> Problem:
    line, col = loaded.where(path)
    return Problem(loaded.path, line, col, message, rule, hint)
