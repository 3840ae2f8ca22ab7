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
    package = Path(__file__).parent
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


class ValidationCache:
    """Maps a repository-relative path to (content digest, packed result)."""

    def __init__(self, folder: Path, namespace: str) -> None:
        self.file = folder / f"validate-{namespace}.marshal"
        self.folder = folder
        self.entries: dict[str, tuple[bytes, Any]] = {}
        self.dirty = False
        self.seen: set[str] = set()
        try:
            with open(self.file, "rb") as handle:
                # The cache lives in the user's cache folder, never in the repository, so
                # its content is ours; marshal builds plain values and runs nothing.
                loaded = marshal.load(handle)  # noqa: S302
            if isinstance(loaded, dict):
                self.entries = loaded
        except (OSError, EOFError, ValueError, TypeError):
            self.entries = {}

    def get(self, rel: str, raw: bytes) -> Any | None:
        self.seen.add(rel)
        entry = self.entries.get(rel)
        if entry is None or entry[0] != content_key(raw):
            return None
        return entry[1]

    def put(self, rel: str, raw: bytes, packed: Any) -> None:
        self.entries[rel] = (content_key(raw), packed)
        self.dirty = True

    def save(self) -> None:
        stale = set(self.entries) - self.seen
        for rel in stale:  # files deleted or renamed since the last run
            del self.entries[rel]
        if not self.dirty and not stale:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for old in self.folder.glob("validate-*.marshal"):
                if old != self.file:
                    old.unlink(missing_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                marshal.dump(self.entries, handle)
            os.replace(tmp, self.file)
        except OSError:
            pass  # a cache that cannot be written is only slower, never wrong
