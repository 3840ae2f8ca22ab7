"""Bytes to text for the loader: size, encoding and character checks, as problems."""

from __future__ import annotations

import bisect
import unicodedata

from coachdir.problems import Problem
from coachdir.text import forbidden

MAX_BYTES = 64 * 1024
Position = tuple[int, int]
MAX_PROBLEMS_PER_FILE = 50
#: the problem ids this module reports
PROBLEM_IDS = ("file.too-large", "file.bom", "file.encoding", "file.control-char")


def _char_name(ch: str) -> str:
    name = unicodedata.name(ch, "") or (
        "control character" if unicodedata.category(ch) == "Cc" else ""
    )
    code = f"U+{ord(ch):04X}"
    return f"{code} ({name})" if name else code


def _line_col_from(starts: list[int], index: int) -> Position:
    line = bisect.bisect_right(starts, index)
    return line, index - starts[line - 1] + 1


def _line_col(text: str, index: int) -> Position:
    line = text.count("\n", 0, index) + 1
    start = text.rfind("\n", 0, index) + 1
    return line, index - start + 1


def _decode(
    path: str, raw: bytes, size: int | None = None, limit: int = MAX_BYTES
) -> tuple[str | None, list[Problem]]:
    """``raw`` as text, or the problems that stop it; ``limit`` is the file's size cap (a
    profile's, ``MAX_BYTES``, unless the caller reads a kind of file with its own)."""

    def fail(line: int, col: int, message: str, rule: str, hint: str) -> tuple[None, list[Problem]]:
        return None, [Problem(path, line, col, message, rule, hint)]

    size = len(raw) if size is None else size
    if size > limit:
        return fail(
            1,
            1,
            f"the file is {size // 1024} KiB, more than the {limit // 1024} KiB limit",
            "file.too-large",
            "Shorten the long texts (a bio is at most 3,000 characters)."
            if limit == MAX_BYTES
            else "Check that this is the right file; it is much larger than expected.",
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        return fail(
            1,
            1,
            "the file starts with a UTF-8 byte-order mark (BOM)",
            "file.bom",
            "Save the file as 'UTF-8' without BOM (most editors offer this in 'Save as' / "
            "'encoding').",
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 1 and b"\x00" in raw[:4]):
        return fail(
            1,
            1,
            "the file is encoded in UTF-16 or UTF-32",
            "file.encoding",
            "Save the file as UTF-8 (without BOM).",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        return fail(
            line,
            col,
            f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02X} at offset {exc.start})",
            "file.encoding",
            "Save the file as UTF-8; it looks like another encoding such as Latin-1 or "
            "Windows-1252.",
        )
    problems: list[Problem] = []
    for index, char in forbidden(text):
        line, col = _line_col(text, index)
        problems.append(
            Problem(
                path,
                line,
                col,
                f"invisible or control character {_char_name(char)}",
                "file.control-char",
                "Delete this character; it can hide or reorder text in reviews.",
            )
        )
        if len(problems) >= MAX_PROBLEMS_PER_FILE:
            break
    if problems:
        return None, problems
    return text, []
