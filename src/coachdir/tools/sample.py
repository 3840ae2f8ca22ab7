"""Where the sample programme (the embedded default) lives: the checkout, or the wheel's copy."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def sample_root() -> Path:
    """A folder holding programme.yml, schemas/, content/ and coaches/ of the sample."""
    checkout = Path(__file__).resolve().parents[3]
    if (checkout / "programme.yml").is_file() and (checkout / "schemas").is_dir():
        return checkout
    return Path(str(resources.files("coachdir") / "sample"))
