"""The rule registry: every rule id lives in the module its prefix names, each rule module
declares the fields it reads, and ``validate``'s cut-down data comes from those declarations."""

from __future__ import annotations

import importlib
import pkgutil
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

import coachdir.rules
from coachdir.loader import Loaded
from coachdir.problems import Problem
from coachdir.rules import BY_ID, CROSS_FILE, SPECS, Context, RuleSpec, fields_read, problem
from coachdir.rules.identity import new_id_problem
from coachdir.validation import engine

REPO = Path(__file__).resolve().parents[1]
RULES_DIR = REPO / "src" / "coachdir" / "rules"
#: a quoted id whose prefix names a rules module, e.g. "charter.outdated"
RULE_ID = re.compile(r'"((?:identity|credentials|charter|supervision|bio)\.[a-z-]+)"')


def _rule_modules() -> list[str]:
    return sorted(
        f"coachdir.rules.{m.name}"
        for m in pkgutil.iter_modules(coachdir.rules.__path__)
        if m.name != "base"
    )


def test_every_rule_module_is_registered() -> None:
    assert sorted(spec.module for spec in SPECS) == _rule_modules()
    for name in _rule_modules():
        assert importlib.import_module(name).RULE in SPECS


@pytest.mark.parametrize("module", _rule_modules())
def test_every_id_in_a_rule_module_is_its_own(module: str) -> None:
    """The ids a rules module spells out are the ones it declares, and they carry its name."""
    name = module.rpartition(".")[2]
    spec = importlib.import_module(module).RULE
    literal = set(RULE_ID.findall((RULES_DIR / f"{name}.py").read_text(encoding="utf-8")))
    literal = {i for i in literal if i != "bio.html" or name == "bio"}  # bio.html is an id
    assert literal <= set(spec.ids), sorted(literal - set(spec.ids))
    assert all(i.partition(".")[0] == name for i in spec.ids)
    assert all(BY_ID[i] is spec for i in spec.ids)


def test_no_rule_module_is_named_after_nothing() -> None:
    """No module mixes prefixes: the old rules/currency.py emitted charter.* and supervision.*."""
    assert not (RULES_DIR / "currency.py").exists()
    for path in RULES_DIR.glob("*.py"):
        prefixes = {i.partition(".")[0] for i in RULE_ID.findall(path.read_text("utf-8"))}
        assert prefixes <= {path.stem}, (path.name, sorted(prefixes))


def test_a_stray_id_is_refused() -> None:
    with pytest.raises(ValueError, match=r"do not belong in coachdir\.rules\.charter"):
        RuleSpec("coachdir.rules.charter", ids=("charter.future", "supervision.lapsed"))


def test_the_cut_down_data_is_what_the_rules_declare() -> None:
    assert fields_read() == engine.READS
    assert not hasattr(engine, "RULE_FIELDS")
    assert set(fields_read()) == {field for spec in CROSS_FILE for field in spec.reads}
    assert all(spec.check is not None and spec.reads for spec in CROSS_FILE)


def test_new_id_problem_comes_from_the_identity_rule() -> None:
    found = new_id_problem("coaches/Bad_Id.yml", "Bad_Id")
    assert found is not None
    assert (found.path, found.line, found.col, found.rule) == (
        "coaches/Bad_Id.yml",
        1,
        1,
        "identity.file-name",
    )
    assert found.message == "'Bad_Id' is not a valid coach id"
    assert new_id_problem("coaches/helene-dubois.yml", "helene-dubois") is None


def _capacity_rule(profiles: list[Loaded], context: Context) -> Iterator[Problem]:
    for loaded in profiles:
        if (loaded.data or {}).get("capacity") is not None:
            yield problem(loaded, ("capacity",), "capacity: seen", "capacity.seen", "None.")


def test_an_undeclared_field_shows_as_a_difference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The trap of issue #8: a rule reading a field its module does not declare sees it under
    ``build`` (full data) but not under ``validate``; the two runs then differ, which the
    case tests check for every case folder."""
    root = tmp_path / "programme"
    shutil.copytree(
        REPO / "tests" / "cases" / "valid" / "corpus-00-valid-minimal" / "coaches", root / "coaches"
    )
    shutil.copy2(REPO / "programme.yml", root / "programme.yml")
    shutil.copytree(REPO / "schemas", root / "schemas")
    sneaky = RuleSpec("coachdir.rules.capacity", ids=("capacity.seen",), check=_capacity_rule)
    monkeypatch.setattr(coachdir.rules, "CROSS_FILE", (*CROSS_FILE, sneaky))
    today = date(2026, 11, 22)
    cut_down = engine.validate(root, today=today, jobs=1)
    full = engine.validate(root, today=today, jobs=1, full=True)
    seen = [p for p in full.problems if p.rule == "capacity.seen"]
    assert seen
    assert [p for p in cut_down.problems if p.rule == "capacity.seen"] == []
    # declared, the field is kept and both runs agree
    monkeypatch.setattr(engine, "READS", (*engine.READS, "capacity"))
    declared = engine.validate(root, today=today, jobs=1)
    assert [p for p in declared.problems if p.rule == "capacity.seen"] == seen
