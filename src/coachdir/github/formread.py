"""Reading issue-form templates and bodies from files, for parse-form and intake."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coachdir.github.issueform import FormError, fields_of
from coachdir.loader import load_file
from coachdir.problems import CoachdirError, Problem

MAX_BODY_BYTES = 256 * 1024


def read_template(path: Path) -> dict[str, Any]:
    """A template through the strict loader: problems carry file, line and column."""
    loaded = load_file(str(path), str(path))
    if loaded.problems or loaded.data is None:
        raise CoachdirError(loaded.problems)
    try:
        fields_of(loaded.data)
    except FormError as exc:
        # A template error is the template's: report it there, at the element concerned.
        where: tuple[str | int, ...] = ("body",) if exc.element is None else ("body", exc.element)
        line, col = loaded.where(where)
        raise CoachdirError(
            [Problem(str(path), line, col, exc.message, "form.template", "Fix the issue template.")]
        ) from None
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
