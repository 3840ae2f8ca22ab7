"""Shared by the benchmarks: where the tools are, and synthetic programmes from `coachdir demo`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def demo_programme(out: Path, coaches: int, env: dict[str, str] | None = None) -> Path:
    """Write a synthetic programme of ``coaches`` coaches into ``out`` (kept if already there)."""
    if not (out / "programme.yml").exists():
        subprocess.run(
            [
                str(BIN / "coachdir"),
                "demo",
                "--coaches",
                str(coaches),
                "--out",
                str(out),
                "--root",
                str(ROOT),
            ],
            check=True,
            capture_output=True,
            env=env,
        )
    return out
