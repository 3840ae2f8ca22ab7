"""Writing one whole text file safely: never through a symbolic link, never half written."""

from __future__ import annotations

import os
from pathlib import Path

from coachdir.problems import InvalidInput


def write_whole(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` through a partial file beside it and one rename, so a
    reader sees the old file or the new one, never half of it. A ``target`` that is a
    symbolic link is refused (InvalidInput): the write would land wherever the link points,
    possibly outside the repository."""
    if target.is_symlink():
        raise InvalidInput(
            f"{target}: this is a symbolic link; coachdir never writes through a link. "
            "Replace it with an ordinary file (or remove it) and run the command again."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    with open(partial, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    os.replace(partial, target)
