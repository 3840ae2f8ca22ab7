"""Every offering of a directory repository at once (``groups/`` and ``immersions/``), with
each group facilitator's standing read from their profile, as ``validate`` and ``build`` need
them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from coachdir.layout import COACHES_DIR
from coachdir.loader import load_file
from coachdir.model.coach import standing_reason
from coachdir.offerings.files import NOT_ENTRIES, discover
from coachdir.offerings.groups import GROUPS_DIR, Group, load_groups
from coachdir.offerings.immersions import ImmersionOffer, load_immersions
from coachdir.problems import Problem, has_errors
from coachdir.programme import Programme
from coachdir.schema import SchemaChecker

#: the standing of a facilitator whose profile does not pass its own checks (they are
#: reported at the profile)
INVALID_PROFILE = "profile not valid"


@dataclass(frozen=True)
class Offerings:
    groups: list[Group] = field(default_factory=list)
    immersions: list[ImmersionOffer] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: how many files groups/ and immersions/ hold (read or refused)
    files: int = 0


def _facilitators(root: Path) -> set[str]:
    """The coach ids named as facilitators anywhere in groups/ (read with the strict loader,
    only the regular files discovery keeps, to know whose profiles to read; the checks of
    the groups themselves come after)."""
    out: set[str] = set()
    files, _ = discover(root, GROUPS_DIR, "group")
    for path in files:
        loaded = load_file(str(path), f"{GROUPS_DIR}/{path.name}")
        data = loaded.data
        if isinstance(data, dict) and isinstance(data.get("facilitators"), list):
            out.update(c for c in data["facilitators"] if isinstance(c, str))
    return out


def facilitator_standing(
    root: Path, programme: Programme, coach_ids: Sequence[str], today: date
) -> dict[str, str | None]:
    """For each coach named as a facilitator, what keeps them from leading a group today
    (``standing_reason``: credential, supervision, charter), None when in standing."""
    checker = SchemaChecker(programme.coach_schema(), name="coach")
    known = set(coach_ids)
    out: dict[str, str | None] = {}
    for coach in sorted(_facilitators(root) & known):
        rel = f"{COACHES_DIR}/{coach}.yml"
        loaded = load_file(str(root / rel), rel)
        if loaded.data is None or has_errors(loaded.problems) or has_errors(checker.check(loaded)):
            out[coach] = INVALID_PROFILE
            continue
        out[coach] = standing_reason(loaded.data, programme, today.isoformat())
    return out


def load_offerings(
    root: Path, programme: Programme, coach_ids: Sequence[str], today: date
) -> Offerings:
    """The groups and immersion offers of ``root``, and every problem found in them."""
    standing = facilitator_standing(root, programme, coach_ids, today)
    groups, problems = load_groups(root, programme, coach_ids, standing)
    immersions, more = load_immersions(root, programme)
    files = sum(
        1
        for folder in ("groups", "immersions")
        if (root / folder).is_dir()
        for entry in (root / folder).iterdir()
        if entry.name not in NOT_ENTRIES
    )
    return Offerings(groups, immersions, problems + more, files)
