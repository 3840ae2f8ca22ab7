"""One of each (issue #8): one text module for ids and slugs, one YAML writer, banks as data."""

from __future__ import annotations

import ast
from pathlib import Path

from coachdir import text

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "src" / "coachdir"
#: what only coachdir/text.py may spell out: the coach-id pattern, the slug substitution
ID_AND_SLUG_REGEXES = ("[a-z0-9]+(?:-[a-z0-9]+)*", "[^a-z0-9]")
#: functions that only coachdir/text.py may define
TEXT_FUNCTIONS = frozenset({"slugify", "label_slug", "coach_id_for"})


def _modules() -> dict[str, ast.Module]:
    return {
        str(path.relative_to(PACKAGE_DIR)): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
    }


def test_only_text_spells_the_id_pattern_and_the_slug() -> None:
    offenders = sorted(
        name
        for name, tree in _modules().items()
        if name != "text.py"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and any(regex in node.value for regex in ID_AND_SLUG_REGEXES)
    )
    assert offenders == []


def test_only_text_defines_the_slug_functions() -> None:
    offenders = sorted(
        f"{name}:{node.name}"
        for name, tree in _modules().items()
        if name != "text.py"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name in TEXT_FUNCTIONS
    )
    assert offenders == []


def test_the_id_users_share_the_text_module_pattern() -> None:
    from coachdir.github import changes, issueform
    from coachdir.rules import identity
    from coachdir.tools import demo, scaffold

    assert identity.ID_PATTERN is text.ID_PATTERN
    assert scaffold.ID_PATTERN is text.ID_PATTERN
    assert text.ID_PATTERN.pattern in changes._PROFILE.pattern
    assert issueform.label_slug is text.label_slug
    assert demo.slugify is text.slugify


def test_slugs_and_ids() -> None:
    assert text.slugify("Zoé Nguyễn") == "zoe-nguyen"
    assert text.slugify("李小龍") == ""
    assert text.label_slug("Votre rôle (actuel)") == "votre-role-actuel"
    assert text.label_slug("???") == "field"
    assert text.coach_id_for("李小龍", lambda _: False) == "coach"
    assert text.coach_id_for("Zoé Nguyễn", {"zoe-nguyen"}.__contains__) == "zoe-nguyen-2"
    assert text.ID_PATTERN.fullmatch("zoe-nguyen-2")
    assert not text.ID_PATTERN.fullmatch("zoe--nguyen")
