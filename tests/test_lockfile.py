"""The lock files pin every Python package, and a stale lock fails the test run.

`tools/lockfile.py check` is what `./dev test` (and so `.ci/run`) runs first; here it runs on a
copy of the repository's pyproject.toml and lock files, edited the ways a developer would.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

LOCKS = [ROOT / "requirements" / "runtime.txt", ROOT / "requirements" / "test.txt"]


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    (tmp_path / "tools").mkdir()
    shutil.copy(ROOT / "tools" / "lockfile.py", tmp_path / "tools")
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    shutil.copytree(ROOT / "requirements", tmp_path / "requirements")
    return tmp_path


def check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(root / "tools" / "lockfile.py"), "check"],
        capture_output=True,
        text=True,
        check=False,
    )


def test_committed_locks_are_current(copy: Path) -> None:
    result = check(copy)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_a_new_dependency_makes_the_lock_stale(copy: Path) -> None:
    pyproject = copy / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace('  "click>=8.1",\n', '  "click>=8.1",\n  "rich>=13",\n'))
    result = check(copy)
    assert result.returncode == 1
    assert "requirements/runtime.txt is stale" in result.stderr
    assert "requirements/test.txt is stale" in result.stderr
    assert "rich is not locked" in result.stderr
    assert "Run ./dev lock" in result.stderr


def test_a_narrowed_range_that_excludes_the_pin_is_reported(copy: Path) -> None:
    pyproject = copy / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace('"PyYAML>=6.0.1"', '"PyYAML>=99"'))
    result = check(copy)
    assert result.returncode == 1
    assert re.search(r"PyYAML [0-9.]+ is outside pyproject.toml's '>=99'", result.stderr)


def test_a_missing_lock_is_reported(copy: Path) -> None:
    (copy / "requirements" / "test.txt").unlink()
    result = check(copy)
    assert result.returncode == 1
    assert "requirements/test.txt is missing: run ./dev lock" in result.stderr


@pytest.mark.parametrize("lock", LOCKS, ids=lambda p: p.name)
def test_every_package_is_pinned_with_hashes(lock: Path) -> None:
    text = lock.read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    assert len(entries) > 10
    for entry in entries:
        assert re.match(r"[A-Za-z0-9._-]+==\S+", entry), entry[:60]
        assert "--hash=sha256:" in entry, entry[:60]
    # Debian 12's Python 3.11.2 and newer both get a full environment.
    assert "pyyaml==" in text
    assert "hatchling==" in text  # the build backend is pinned too
    assert "editables==" in text


def test_dev_installs_only_from_the_lock() -> None:
    dev = (ROOT / "dev").read_text(encoding="utf-8")
    installs = [line for line in dev.splitlines() if "pip install" in line]
    assert installs, "./dev must install with pip"
    for line in installs:
        assert "--upgrade" not in line
    assert "--require-hashes" in dev
    assert "--no-build-isolation" in dev
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "exec ./dev test" in ci
    assert "tools/lockfile.py check" in dev
