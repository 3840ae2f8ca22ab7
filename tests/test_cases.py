"""Data-driven acceptance tests: one folder per case under ``tests/cases/{valid,invalid}/``.

Each case folder holds:

* ``coaches/*.yml`` (and possibly ``coaches/photos/<file>``, other files or symlinks the case is
  about), and optionally its own ``programme.yml`` to test programme-level rules;
* ``expected.txt``: the exact standard output of::

      coachdir validate --root . --today 2026-11-22 --no-cache --format text

  run with the current directory set to a copy of the case;
* ``README`` (one line): what the case is about;
* optionally ``KNOWN-BUG``: the case shows a known defect of coachdir. ``expected.txt`` then holds
  the output coachdir *should* print (written by hand), and the case is marked
  ``xfail(strict=True)``: the suite stays green while the bug is there, and turns red as soon as
  it is fixed, so that the marker is removed and the case becomes an ordinary one.

The test copies the case into a temporary folder (symlinks kept as symlinks), adds the
repository's ``programme.yml`` (unless the case has its own) and ``schemas/`` folder, runs the real
console entry point in a subprocess (``python -m coachdir validate ...``) and checks the exit code
(``valid/`` -> 0, ``invalid/`` -> 1), that standard error is empty, that no traceback is printed,
and that standard output equals ``expected.txt`` byte for byte. The only normalisation: the
absolute path of the temporary copy, which a few messages quote, is replaced by ``<ROOT>``.

Refreshing the expected outputs after a deliberate change of messages::

    COACHDIR_UPDATE_CASES=1 .venv/bin/python -m pytest tests/test_cases.py

writes ``expected.txt`` from the current output instead of comparing (the exit code, stderr and
traceback checks still apply). Cases with a ``KNOWN-BUG`` file are never rewritten. Read the
diff (``git diff tests/cases``) before committing: every message must name the file, line and
column of the real culprit, say what is wrong and give a hint.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from coachdir import dates, decoding, loader, photos, programme
from coachdir.offerings import files as offering_files
from coachdir.offerings import groups as offering_groups
from coachdir.offerings import immersions as offering_immersions
from coachdir.records import files as record_files
from coachdir.records.rules import rule_ids as record_rule_ids
from coachdir.rules import rule_ids
from coachdir.validation import engine

REPO = Path(__file__).resolve().parents[1]
CASES = Path(__file__).resolve().parent / "cases"
TODAY = "2026-11-22"
UPDATE = os.environ.get("COACHDIR_UPDATE_CASES") == "1"
#: files that describe a case and are not part of the programme under test
CASE_META = ("expected.txt", "README", "KNOWN-BUG", ".gitattributes")
#: ``path:line:col: severity: message [rule]``
PROBLEM_LINE = re.compile(
    r"^(?P<path>[^\s:]+):(\d+):(\d+): (?P<sev>error|warning): .* \[(?P<rule>[\w.-]+)\]$"
)

#: The problem ids ``validate`` can report. Each must show up in at least one case's expected
#: output. Generated from the declarations: the rule registry (coachdir.rules: every rules/*.py
#: module's RULE) and the PROBLEM_IDS of the modules outside rules/ that report problems.
#: schema.* ids are built from jsonschema-rs error kinds; only the kinds our two schemas can
#: produce are listed below. Left out as unreachable: schema.oneOfMultipleValid (the two
#: request_target forms have different ``kind`` constants), schema.maxProperties,
#: schema.multipleOf, schema.exclusiveMinimum/Maximum, schema.propertyNames, schema.contains ...
#: (keywords neither schema uses). Reachable ids with an unreachable path: programme.missing for
#: a missing programme.yml (the CLI stops first with a usage error, exit 2; the id is reached via
#: a missing coaches/ folder) and the loader's defensive yaml.syntax branch (RecursionError /
#: MemoryError / ValueError; the id is reached via real syntax errors).
SCHEMA_KINDS = (
    "schema.required",
    "schema.additionalProperties",
    "schema.type",
    "schema.enum",
    "schema.const",
    "schema.format",
    "schema.pattern",
    "schema.maxLength",
    "schema.minLength",
    "schema.maxItems",
    "schema.minItems",
    "schema.minProperties",
    "schema.uniqueItems",
    "schema.not",
    "schema.maximum",
    "schema.minimum",
)
#: the modules outside rules/ that report problems of their own during ``validate``
DECLARING_MODULES = (
    decoding,
    loader,
    programme,
    photos,
    engine,
    record_files,
    dates,
    offering_files,
    offering_groups,
    offering_immersions,
)
RULES_THAT_NEED_CASES = tuple(
    dict.fromkeys(
        [
            *(i for m in DECLARING_MODULES for i in m.PROBLEM_IDS),
            *SCHEMA_KINDS,
            *rule_ids(),
            *record_rule_ids(),
        ]
    )
)
#: a literal problem id in the source (file names such as "programme.yml" are left out below)
LITERAL_ID = re.compile(
    r'"((?:file|yaml|identity|photo|credentials|charter|supervision|bio|programme|records'
    r"|transition|eligibility|cohort|date)"
    r"\.[A-Za-z-]+)\""
)
NOT_IDS = re.compile(r"\.(md|ya?ml|json|txt|py|j2|csv|html|pdf)$")  # file names, not ids


def _cases() -> list[Path]:
    return sorted(
        p for kind in ("valid", "invalid") for p in (CASES / kind).iterdir() if p.is_dir()
    )


ALL_CASES = _cases()


def _param(case: Path) -> object:
    marks = []
    bug = case / "KNOWN-BUG"
    if bug.is_file():
        reason = " ".join(bug.read_text(encoding="utf-8").split())
        marks.append(pytest.mark.xfail(strict=True, reason=reason))
    return pytest.param(case, id=f"{case.parent.name}/{case.name}", marks=marks)


def _prepare(case: Path, tmp_path: Path) -> Path:
    root = tmp_path / "programme"
    shutil.copytree(
        case, root, symlinks=True, ignore=lambda _d, names: [n for n in names if n in CASE_META]
    )
    if not (root / "programme.yml").exists():
        shutil.copy2(REPO / "programme.yml", root / "programme.yml")
    shutil.copytree(REPO / "schemas", root / "schemas")
    return root


def _run(root: Path) -> subprocess.CompletedProcess[bytes]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("COACHDIR_TODAY", "COACHDIR_DEBUG", "GITHUB_ACTIONS")
    }
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "coachdir",
            "validate",
            "--root",
            ".",
            "--today",
            TODAY,
            "--no-cache",
            "--format",
            "text",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("case", [_param(c) for c in ALL_CASES])
def test_case(case: Path, tmp_path: Path) -> None:
    root = _prepare(case, tmp_path)
    result = _run(root)
    stdout = result.stdout.decode("utf-8").replace(str(root.resolve()), "<ROOT>")
    stderr = result.stderr.decode("utf-8", "replace")

    assert "Traceback" not in stdout + stderr, stdout + stderr
    assert stderr == "", stderr
    expected_file = case / "expected.txt"
    if UPDATE and not (case / "KNOWN-BUG").exists():
        expected_file.write_bytes(stdout.encode("utf-8"))
    expected_code = 0 if case.parent.name == "valid" else 1
    assert result.returncode == expected_code, stdout
    assert expected_file.is_file(), f"{expected_file} is missing; run with COACHDIR_UPDATE_CASES=1"
    assert stdout == expected_file.read_bytes().decode("utf-8")


def _problem_lines(case: Path) -> list[re.Match[str]]:
    text = (case / "expected.txt").read_text(encoding="utf-8")
    return [m for m in map(PROBLEM_LINE.match, text.splitlines()) if m is not None]


def test_case_folders_are_well_formed() -> None:
    assert ALL_CASES, "no cases found"
    for case in ALL_CASES:
        assert (case / "expected.txt").is_file(), f"{case}: no expected.txt"
        assert (case / "README").is_file(), f"{case}: no README"
        has_profiles = (case / "coaches").is_dir() or (case / "programme.yml").is_file()
        assert has_profiles or "programme.missing" in (case / "expected.txt").read_text(
            encoding="utf-8"
        ), f"{case}: neither coaches/ nor programme.yml"


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=c.name) for c in ALL_CASES if c.parent.name == "invalid"]
)
def test_invalid_case_reports_an_error(case: Path) -> None:
    assert any(m["sev"] == "error" for m in _problem_lines(case)), f"{case}: no 'error:' line"


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=c.name) for c in ALL_CASES if c.parent.name == "valid"]
)
def test_valid_case_reports_no_error(case: Path) -> None:
    assert all(m["sev"] == "warning" for m in _problem_lines(case)), f"{case}: 'error:' line"


def test_every_rule_has_a_case() -> None:
    seen = {m["rule"] for case in ALL_CASES for m in _problem_lines(case)}
    missing = sorted(set(RULES_THAT_NEED_CASES) - seen)
    assert not missing, f"rule ids without a case: {missing}"


def _literal_ids(path: Path) -> set[str]:
    found = set(LITERAL_ID.findall(path.read_text(encoding="utf-8")))
    return {r for r in found if not NOT_IDS.search(r)}


def test_rule_list_matches_the_source() -> None:
    """Every literal problem id anywhere in src/ is declared (or is a schema kind listed above),
    and each module outside rules/ that reports problems declares the ids it holds."""
    src = REPO / "src" / "coachdir"
    literal = set()
    for path in sorted(src.rglob("*.py")):
        literal |= _literal_ids(path)
    assert literal, "no rule ids found in src/"
    assert literal <= set(RULES_THAT_NEED_CASES), sorted(literal - set(RULES_THAT_NEED_CASES))
    for module in DECLARING_MODULES:
        assert module.__file__ is not None
        own = _literal_ids(Path(module.__file__)) - set(rule_ids()) - set(SCHEMA_KINDS)
        assert own <= set(module.PROBLEM_IDS), (module.__name__, sorted(own))


def _problems(report: engine.Report) -> list[tuple[object, ...]]:
    return [tuple(p.to_dict().values()) for p in report.problems]


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=f"{c.parent.name}/{c.name}") for c in ALL_CASES]
)
def test_case_same_problems_with_cut_down_and_full_data(case: Path, tmp_path: Path) -> None:
    """``validate`` gives the cross-file rules only the fields their modules declare, ``build``
    gives them whole profiles: both must report the same problems."""
    root = _prepare(case, tmp_path)
    today = date.fromisoformat(TODAY)
    cut_down = engine.validate(root, today=today, jobs=1)
    full = engine.validate(root, today=today, jobs=1, full=True)
    assert _problems(cut_down) == _problems(full)
