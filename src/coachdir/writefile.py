"""Writing one whole text file safely: never through a symbolic link, never half written."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from coachdir.problems import InvalidInput


def write_whole(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` through a temporary file in the same folder, flushed to
    disk, and one rename, so a reader sees the old file or the new one, never half of it; an
    existing file keeps its permissions. A ``target`` that is a symbolic link is refused
    (InvalidInput): the write would land wherever the link points, possibly outside the
    repository."""
    if target.is_symlink():
        raise InvalidInput(
            f"{target}: this is a symbolic link; coachdir never writes through a link. "
            "Replace it with an ordinary file (or remove it) and run the command again."
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        mode = stat.S_IMODE(os.stat(target).st_mode) if target.exists() else None
        handle, partial = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".partial", dir=target.parent
        )
    except OSError as exc:  # named after the file meant, not the partial one
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(partial, 0o644 if mode is None else mode)
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
