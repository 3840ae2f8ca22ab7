"""The lock files: exact versions and hashes of every Python package coachdir installs.

    python tools/lockfile.py lock [--upgrade]   rewrite requirements/*.txt from pyproject.toml
    python tools/lockfile.py check              exit 1 when a lock file is stale

`requirements/runtime.txt` is what the site build and the GitHub workflows install;
`requirements/test.txt` adds the test and lint tools. Both include the build backend, so an
install never fetches an unpinned package to build coachdir itself. Each file records a digest
of the pyproject.toml fields it was made from; `check` compares it (no network needed) and also
checks that every pinned version satisfies the ranges in pyproject.toml.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
LOCKS = {
    "runtime": ROOT / "requirements" / "runtime.txt",
    "test": ROOT / "requirements" / "test.txt",
}
DIGEST_PREFIX = "# pyproject-digest: "
# Interpreters the lock must serve: Debian 12's Python 3.11 and newer.
PYTHONS = ["3.11.2", "3.11.7", "3.12.0", "3.13.0"]


def _pyproject() -> dict[str, object]:
    with PYPROJECT.open("rb") as handle:
        return tomllib.load(handle)


def inputs(kind: str) -> list[str]:
    data = _pyproject()
    project = data["project"]
    assert isinstance(project, dict)
    build = data["build-system"]
    assert isinstance(build, dict)
    # hatchling needs `editables` for the editable install that ./dev makes.
    reqs = [*list(build["requires"]), "editables>=0.5", *list(project["dependencies"])]
    if kind == "test":
        reqs += list(project["optional-dependencies"]["test"])
    return reqs


def digest(kind: str) -> str:
    project = _pyproject()["project"]
    assert isinstance(project, dict)
    text = json.dumps(
        {"requires-python": project["requires-python"], "requirements": inputs(kind)},
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _compile(kind: str, upgrade: bool) -> None:
    uv = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    target = LOCKS[kind]
    target.parent.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        infile = Path(tmp) / f"{kind}.in"
        infile.write_text("\n".join(inputs(kind)) + "\n", encoding="utf-8")
        args = [uv, "pip", "compile", str(infile), "--universal", "--python-version", "3.11"]
        args += ["--generate-hashes", "--no-header", "--no-annotate", "--quiet"]
        args += ["-o", str(target)]
        if upgrade:
            args.append("--upgrade")
        if kind == "runtime":  # the same versions as the test environment
            args += ["-c", str(LOCKS["test"])]
        subprocess.run(args, check=True, cwd=ROOT)
    body = target.read_text(encoding="utf-8")
    body = "\n".join(line for line in body.splitlines() if not line.startswith("#"))
    header = (
        f"# {kind} lock of coachdir: made by `./dev lock` from pyproject.toml; do not edit.\n"
        f"{DIGEST_PREFIX}{digest(kind)}\n"
    )
    target.write_text(header + body.strip("\n") + "\n", encoding="utf-8")


def lock(upgrade: bool = False) -> None:
    _compile("test", upgrade)
    _compile("runtime", False)


_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^ ;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def pins(path: Path) -> list[tuple[str, Version, Marker | None]]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            marker = Marker(match[3]) if match[3] else None
            found.append((canonicalize_name(match[1]), Version(match[2]), marker))
    return found


def problems(kind: str) -> list[str]:
    path = LOCKS[kind]
    rel = path.relative_to(ROOT)
    if not path.is_file():
        return [f"{rel} is missing: run ./dev lock"]
    text = path.read_text(encoding="utf-8")
    recorded = next(
        (ln[len(DIGEST_PREFIX) :] for ln in text.splitlines() if ln.startswith(DIGEST_PREFIX)), ""
    )
    found = []
    if recorded.strip() != digest(kind):
        found.append(
            f"{rel} is stale: pyproject.toml's dependencies changed since it was made. "
            "Run ./dev lock and commit the result."
        )
    locked = pins(path)
    for python in PYTHONS:
        env = {"python_version": ".".join(python.split(".")[:2]), "python_full_version": python}
        chosen = {
            name: version
            for name, version, marker in locked
            if marker is None or marker.evaluate(env | {"extra": ""})
        }
        for raw in inputs(kind):
            req = Requirement(raw)
            if req.marker is not None and not req.marker.evaluate(env | {"extra": ""}):
                continue
            name = canonicalize_name(req.name)
            if name not in chosen:
                found.append(f"{rel}: {req.name} is not locked (Python {python}): run ./dev lock")
            elif not req.specifier.contains(chosen[name], prereleases=True):
                found.append(
                    f"{rel}: {req.name} {chosen[name]} is outside pyproject.toml's "
                    f"'{req.specifier}' (Python {python}): run ./dev lock"
                )
    return found


def main(argv: list[str]) -> int:
    if argv[:1] == ["lock"]:
        lock(upgrade="--upgrade" in argv[1:])
        return 0
    if argv[:1] == ["check"]:
        found = [p for kind in LOCKS for p in problems(kind)]
        for line in found:
            print(f"lock: {line}", file=sys.stderr)
        return 1 if found else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
