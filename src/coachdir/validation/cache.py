"""A content-keyed cache of per-file validation results.

An entry is reused only when the file's bytes, the effective schema (which includes the
programme's vocabularies and limits) and the tool's own code are all unchanged, so it can
never hide an error: any change to any of them is a miss. Cross-file and date rules are never
cached. The cache lives outside the repository by default and is written atomically.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from coachdir import __version__

FORMAT = 1


def default_cache_dir() -> Path:
    env = os.environ.get("COACHDIR_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "coachdir"


def _code_digest() -> str:
    """A digest of the package's own source, so a changed rule invalidates the cache."""
    digest = hashlib.blake2b(digest_size=16)
    package = Path(__file__).parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def namespace_key(schema: dict[str, Any]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{FORMAT}:{__version__}:{_code_digest()}".encode())
    digest.update(json.dumps(schema, sort_keys=True).encode())
    return digest.hexdigest()


def content_key(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=20).digest()


def run_key_of(
    namespace: str,
    today: date,
    inputs: Sequence[tuple[str, bytes, int]],
    settings: Any,
    photos: Sequence[str],
) -> bytes:
    """The key of a whole run: every profile's path and content, the programme settings, the
    photo folder's listing (rules check that photos exist), the schema, the code, the date."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{namespace}:{today.isoformat()}:{len(inputs)}".encode())
    digest.update(json.dumps(settings, sort_keys=True).encode())
    digest.update("\0".join(photos).encode("utf-8", "surrogateescape"))
    for rel, raw, _size in inputs:
        digest.update(rel.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(content_key(raw))
    return digest.digest()


class ValidationCache:
    """Per-file results (path -> content digest, packed result), plus the last run's outcome.

    Both live in the user's cache folder. Entries are read lazily: a run whose inputs are all
    unchanged never loads the per-file table.
    """

    def __init__(self, folder: Path, namespace: str) -> None:
        self.namespace = namespace
        self.file = folder / f"validate-{namespace}.marshal"
        self.run_file = folder / f"run-{namespace}.marshal"
        self.folder = folder
        self._entries: dict[str, tuple[bytes, Any]] | None = None
        self.dirty = False
        self.seen: set[str] = set()
        self.run: tuple[bytes, list[Any]] | None = None

    @staticmethod
    def _read(path: Path) -> Any:
        try:
            with open(path, "rb") as handle:
                # The cache lives in the user's cache folder, never in the repository, so
                # its content is ours; marshal builds plain values and runs nothing.
                return marshal.load(handle)  # noqa: S302
        except (OSError, EOFError, ValueError, TypeError):
            return None

    @property
    def entries(self) -> dict[str, tuple[bytes, Any]]:
        if self._entries is None:
            loaded = self._read(self.file)
            self._entries = loaded if isinstance(loaded, dict) else {}
        return self._entries

    def get_run(self, key: bytes) -> list[Any] | None:
        stored = self._read(self.run_file)
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key:
            return list(stored[1])
        return None

    def put_run(self, key: bytes, problems: list[Any]) -> None:
        self.run = (key, problems)

    def get(self, rel: str, raw: bytes) -> Any | None:
        self.seen.add(rel)
        entry = self.entries.get(rel)
        if entry is None or entry[0] != content_key(raw):
            return None
        return entry[1]

    def put(self, rel: str, raw: bytes, packed: Any) -> None:
        self.seen.add(rel)
        self.entries[rel] = (content_key(raw), packed)
        self.dirty = True

    def save(self) -> None:
        entries = self.entries
        stale = set(entries) - self.seen
        for rel in stale:  # files deleted or renamed since the last run
            del entries[rel]
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for old in [
                *self.folder.glob("validate-*.marshal"),
                *self.folder.glob("run-*.marshal"),
            ]:
                if old not in (self.file, self.run_file):
                    old.unlink(missing_ok=True)
            if self.dirty or stale:
                self._write(self.file, entries)
            if self.run is not None:
                self._write(self.run_file, self.run)
        except OSError:
            pass  # a cache that cannot be written is only slower, never wrong

    def _write(self, path: Path, value: Any) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            marshal.dump(value, handle)
        os.replace(tmp, path)
