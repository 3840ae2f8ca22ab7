"""pr-check's access to git: the diff between two revisions and the files at each."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coachdir.github.changes import (
    _FETCH_HINT,
    _LOGIN,
    _PROFILE,
    _REGULAR,
    _SCRUBBED_ENV,
    GIT_TIMEOUT,
    PrCheckError,
    _quote,
)
from coachdir.loader import MAX_BYTES, load_bytes

# --------------------------------------------------------------------------- git


@dataclass(frozen=True)
class _Entry:
    mode: str
    kind: str
    oid: str
    size: int | None

    @property
    def regular(self) -> bool:
        return self.kind == "blob" and self.mode in _REGULAR


def _decode_path(raw: bytes) -> str:
    return raw.decode("utf-8", "backslashreplace")


class _Git:
    def __init__(self, repo: Path) -> None:
        self.repo = repo
        env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED_ENV}
        env.update(
            {
                "GIT_LITERAL_PATHSPECS": "1",
                "GIT_TERMINAL_PROMPT": "0",
                "GIT_PAGER": "cat",
                "LC_ALL": "C",
                "LANGUAGE": "C",
            }
        )
        self.env = env
        self._checked = False

    def run(self, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        cmd = ["git", "-C", str(self.repo), *args]
        try:
            return subprocess.run(
                cmd,
                input=stdin,
                capture_output=True,
                env=self.env,
                check=False,
                timeout=GIT_TIMEOUT,
            )
        except FileNotFoundError:
            raise PrCheckError("git is not installed or not on PATH; install git") from None
        except subprocess.TimeoutExpired:
            raise PrCheckError(
                f"git {args[0]} took more than {GIT_TIMEOUT} s in {self.repo}; try again"
            ) from None
        except OSError as exc:
            raise PrCheckError(f"cannot run git in {self.repo}: {exc.strerror}") from None

    def ok(self, *args: str, stdin: bytes | None = None) -> bytes:
        proc = self.run(*args, stdin=stdin)
        if proc.returncode != 0:
            raise PrCheckError(f"git {args[0]} failed: {_first_line(proc.stderr)}")
        return proc.stdout

    def check_repo(self) -> None:
        if self._checked:
            return
        if not self.repo.is_dir():
            raise PrCheckError(f"{self.repo} is not a folder; pass the repository's checkout")
        proc = self.run("rev-parse", "--git-dir")
        if proc.returncode != 0:
            raise PrCheckError(
                f"{self.repo} is not a git repository ({_first_line(proc.stderr)}); run the "
                "check in a clone of the programme repository"
            )
        self._checked = True

    def resolve(self, rev: str) -> str:
        self.check_repo()
        proc = self.run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
        sha = proc.stdout.decode("ascii", "replace").strip()
        if proc.returncode != 0 or not re.fullmatch(r"[0-9a-f]{40,64}", sha):
            raise PrCheckError(f"unknown revision {_quote(rev)}; {_FETCH_HINT}")
        return sha

    def merge_base(self, base: str, head: str, base_name: str, head_name: str) -> str:
        proc = self.run("merge-base", base, head)
        sha = proc.stdout.decode("ascii", "replace").strip()
        if proc.returncode == 1 and not sha:
            raise PrCheckError(
                f"{_quote(base_name)} and {_quote(head_name)} have no common ancestor; if the "
                f"clone is shallow, {_FETCH_HINT}"
            )
        if proc.returncode != 0 or not re.fullmatch(r"[0-9a-f]{40,64}", sha):
            raise PrCheckError(
                f"cannot find the merge base of {_quote(base_name)} and {_quote(head_name)} "
                f"({_first_line(proc.stderr)}); {_FETCH_HINT}"
            )
        return sha

    def diff(self, old: str, new: str) -> list[tuple[str, str | None, str]]:
        """(status letter with score, old path or None, path) for each changed path."""
        out = self.ok(
            "diff",
            "--name-status",
            "-z",
            "-M",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--no-relative",
            "--ignore-submodules=none",
            f"{old}..{new}",
            "--",
        )
        fields = out.split(b"\0")
        if fields and fields[-1] == b"":
            fields.pop()
        result: list[tuple[str, str | None, str]] = []
        i = 0
        while i < len(fields):
            status = fields[i].decode("ascii", "replace")
            i += 1
            if status[:1] in ("R", "C"):
                if i + 1 >= len(fields):
                    raise PrCheckError("git diff printed an incomplete rename; update git")
                result.append((status, _decode_path(fields[i]), _decode_path(fields[i + 1])))
                i += 2
            else:
                if i >= len(fields):
                    raise PrCheckError("git diff printed an incomplete entry; update git")
                result.append((status, None, _decode_path(fields[i])))
                i += 1
        return result

    def ls_tree(self, rev: str, folder: str) -> dict[str, _Entry]:
        out = self.ok("ls-tree", "-r", "-l", "-z", "--full-tree", rev, "--", folder)
        entries: dict[str, _Entry] = {}
        for record in out.split(b"\0"):
            if not record:
                continue
            meta, _, raw_path = record.partition(b"\t")
            parts = meta.decode("ascii", "replace").split()
            if len(parts) != 4:
                raise PrCheckError("git ls-tree printed an unexpected line; update git")
            mode, kind, oid, size = parts
            entries[_decode_path(raw_path)] = _Entry(
                mode, kind, oid, int(size) if size.isdigit() else None
            )
        return entries

    def read_blob(self, oid: str, size: int) -> bytes:
        """One blob the caller checked is ``size`` bytes (``git cat-file blob``)."""
        if not re.fullmatch(r"[0-9a-f]{40,64}", oid):  # pragma: no cover - from ls-tree
            raise PrCheckError(f"invalid object id {_quote(oid)}")
        raw = self.ok("cat-file", "blob", oid)
        if len(raw) != size:  # pragma: no cover - git changed under us
            raise PrCheckError(f"git cat-file could not read object {oid[:12]}")
        return raw

    def read_blobs(self, oids: Iterable[str]) -> dict[str, bytes]:
        """Contents of blobs the caller checked are at most 64 KiB (``git cat-file --batch``)."""
        wanted = list(dict.fromkeys(oids))
        if not wanted:
            return {}
        out = self.ok("cat-file", "--batch", stdin="".join(f"{o}\n" for o in wanted).encode())
        blobs: dict[str, bytes] = {}
        pos = 0
        for oid in wanted:
            end = out.find(b"\n", pos)
            header = out[pos:end].decode("ascii", "replace").split()
            if end < 0 or len(header) != 3 or header[0] != oid or not header[2].isdigit():
                raise PrCheckError(f"git cat-file could not read object {oid[:12]}")
            size = int(header[2])
            if size > MAX_BYTES:  # pragma: no cover - sizes are checked before
                raise PrCheckError(f"object {oid[:12]} is larger than 64 KiB")
            blobs[oid] = out[end + 1 : end + 1 + size]
            pos = end + 1 + size + 1
        return blobs


def _first_line(stderr: bytes) -> str:
    for line in stderr.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line:
            return _quote(line.removeprefix("fatal: ").removeprefix("error: "), 200)[1:-1]
    return "no message"


# --------------------------------------------------------------------------- snapshots


@dataclass(frozen=True)
class _Profile:
    data: dict[str, Any] | None
    problem: str | None  # why it cannot be read

    @property
    def handle(self) -> str | None:
        value = (self.data or {}).get("github")
        if isinstance(value, str) and _LOGIN.fullmatch(value):
            return value
        return None


class _Snapshot:
    """The ``coaches/`` folder of one commit, with profiles read on demand."""

    def __init__(self, git: _Git, rev: str) -> None:
        self.git = git
        self.rev = rev
        self.entries = git.ls_tree(rev, "coaches")
        self._profiles: dict[str, _Profile] = {}
        self._handles: dict[str, list[str]] | None = None

    def has(self, path: str) -> bool:
        return path in self.entries

    def entry(self, path: str) -> _Entry | None:
        return self.entries.get(path)

    def profile(self, path: str) -> _Profile | None:
        if path not in self.entries:
            return None
        if path not in self._profiles:
            self._load([path])
        return self._profiles[path]

    def _load(self, paths: Sequence[str]) -> None:
        todo: dict[str, str] = {}
        for path in paths:
            entry = self.entries[path]
            if not entry.regular:
                self._profiles[path] = _Profile(None, "not a regular file")
            elif entry.size is None or entry.size > MAX_BYTES:
                loaded = load_bytes(path, b"", entry.size or MAX_BYTES + 1)
                self._profiles[path] = _Profile(None, loaded.problems[0].message)
            else:
                todo[path] = entry.oid
        blobs = self.git.read_blobs(todo.values())
        for path, oid in todo.items():
            loaded = load_bytes(path, blobs[oid])
            if loaded.data is None:
                message = loaded.problems[0].message if loaded.problems else "unreadable"
                self._profiles[path] = _Profile(None, message)
            else:
                self._profiles[path] = _Profile(loaded.data, None)

    def handles(self) -> dict[str, list[str]]:
        """Profile paths by lower-case github handle."""
        if self._handles is None:
            paths = [p for p in self.entries if _PROFILE.fullmatch(p)]
            self._load([p for p in paths if p not in self._profiles])
            table: dict[str, list[str]] = {}
            for path in paths:
                handle = self._profiles[path].handle
                if handle is not None:
                    table.setdefault(handle.lower(), []).append(path)
            self._handles = table
        return self._handles
