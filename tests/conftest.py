"""Shared fixtures: the repository root and a scratch copy of the sample programme."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Under CI (a clean clone, CI=true) every property test runs the same examples each time, so a
# landing never depends on luck; on a developer's machine they explore new random examples
# (and `--hypothesis-seed=N` replays one exploration).
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-11-22"


def copy_programme(dest: Path, *, coaches: bool = True) -> Path:
    """Copy programme.yml, schemas/, content/, groups/, immersions/ (and coaches/) of the sample
    into ``dest`` (the groups and offers the sample's group and immersion records are about)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "programme.yml", dest / "programme.yml")
    shutil.copytree(ROOT / "schemas", dest / "schemas")
    if (ROOT / "content").is_dir():
        shutil.copytree(ROOT / "content", dest / "content")
    if (ROOT / "immersions").is_dir():  # the offers the demo immersion records are for
        shutil.copytree(ROOT / "immersions", dest / "immersions")
    if coaches:
        shutil.copytree(ROOT / "coaches", dest / "coaches")
        if (ROOT / "groups").is_dir():  # the sample's groups name its coaches
            shutil.copytree(ROOT / "groups", dest / "groups")
    else:
        (dest / "coaches").mkdir()
    return dest


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real console entry point in a subprocess."""
    import os

    full_env = {**os.environ, "COACHDIR_TODAY": TODAY, "NO_COLOR": "1"}
    full_env.pop("GITHUB_ACTIONS", None)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "coachdir", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        input=input,
        timeout=300,
        check=False,
    )


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    return copy_programme(tmp_path / "prog")
