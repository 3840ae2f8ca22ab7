"""Issue #8 finishing touches: banks as data, rule ids in their rule modules, one layout, typed
settings, imports at the top of their modules."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from coachdir import layout
from coachdir.loader import load_file
from conftest import copy_programme
from test_architecture import forbidden_imports, import_graph

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "src" / "coachdir"


def _source(rel: str) -> str:
    return (PACKAGE_DIR / rel).read_text(encoding="utf-8")


# --- 1. name and phrase banks are data files ---------------------------------------------


def test_demo_banks_are_a_data_file_read_by_the_strict_loader() -> None:
    from coachdir.tools import demo

    assert not (PACKAGE_DIR / "tools" / "demobanks.py").exists()
    loaded = load_file(str(PACKAGE_DIR / "tools" / "data" / "demo-banks.yml"))
    assert loaded.problems == [] and loaded.data is not None
    assert demo.FIRST_NAMES[0] == (
        loaded.data["first_names"][0]["name"],
        loaded.data["first_names"][0]["gender"],
    )
    assert len(demo.LAST_NAMES) == len(loaded.data["last_names"]) > 10
    assert all(len(phrase) == 3 for phrase in demo.OPENINGS + demo.APPROACHES)


def test_intake_phrases_are_a_data_file_loaded_once() -> None:
    from coachdir.github import intake

    assert "_PHRASES" not in _source("github/intake.py")
    loaded = load_file(str(PACKAGE_DIR / "github" / "data" / "phrases.yml"))
    assert loaded.problems == [] and loaded.data is not None
    rules = loaded.data["rules"]
    assert intake._phrase("schema.required") == (
        rules["schema.required"]["what"],
        rules["schema.required"]["how"],
    )
    family = loaded.data["families"]["yaml"]
    assert intake._phrase("yaml.no-such-rule") == (family["what"], family["how"])
    other = loaded.data["other"]
    assert intake._phrase("nothing.known") == (other["what"], other["how"])
    intake._phrase_bank.cache_clear()
    intake._phrase("schema.type")
    intake._phrase("schema.enum")
    assert intake._phrase_bank.cache_info().misses == 1


# --- 2. every rule id lives in the module its prefix names -------------------------------


def test_discover_takes_its_file_name_problems_from_the_identity_rule(tmp_path: Path) -> None:
    from coachdir.rules import identity
    from coachdir.validation.engine import discover

    assert '"identity.file-name"' not in _source("validation/engine.py")
    root = copy_programme(tmp_path / "p", coaches=False)
    coaches = root / "coaches"
    (coaches / "extra").mkdir()
    (coaches / "x.yaml").write_text("a: 1\n", encoding="utf-8")
    (coaches / "notes.txt").write_text("n\n", encoding="utf-8")
    (coaches / "ok.yml").write_text("a: 1\n", encoding="utf-8")
    files, problems = discover(root)
    assert [f.name for f in files] == ["ok.yml"]
    assert problems == [
        identity.unexpected_folder_problem("extra"),
        identity.profile_name_problem("notes.txt"),
        identity.profile_name_problem("x.yaml"),
    ]
    assert [(p.path, p.message) for p in problems] == [
        ("coaches/extra/", "this folder is not expected in coaches/"),
        ("coaches/notes.txt", "this file is not a profile"),
        ("coaches/x.yaml", "profiles end in .yml, not .yaml"),
    ]
    assert {p.rule for p in problems} == {identity.FILE_NAME}
    assert identity.profile_name_problem("README.md") is None


def test_bio_ids_are_raised_in_rules_and_rules_never_import_the_site() -> None:
    graph = import_graph(PACKAGE_DIR)
    assert forbidden_imports(graph, "coachdir.rules", "coachdir.site") == []
    assert not re.search(r'"bio\.[a-z-]+"', _source("site/bio.py"))
    assert "coachdir.rules.bio" in graph["coachdir.site.bio"]


# --- 3. one layout -------------------------------------------------------------------------


def test_pr_check_paths_and_the_photo_folder_come_from_the_layout() -> None:
    from coachdir.github import changes

    assert changes._PROFILE is layout.PROFILE.regex
    assert changes._PHOTO is layout.PHOTO.regex
    assert layout.PROFILE in layout.DIRECTORY.areas and layout.PHOTO in layout.DIRECTORY.areas
    assert changes._PHOTO.fullmatch("coaches/photos/ana-b.webp").group(1) == "ana-b"  # type: ignore[union-attr]
    assert changes._PROFILE.fullmatch("coaches/ana-b.yml").group(1) == "ana-b"  # type: ignore[union-attr]
    assert "coaches/" not in _source("github/changes.py").split("PUBLIC_REASONS")[0]
    for rel in ("rules/identity.py", "validation/engine.py"):
        texts = _code_strings(rel)
        assert not [t for t in texts if t == "photos" or "coaches/photos" in t], rel


def _code_strings(rel: str) -> list[str]:
    """The string literals of a module, f-string parts included, docstrings left out."""
    tree = ast.parse(_source(rel))
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


# --- 4. typed settings -------------------------------------------------------------------


def test_contract_types_are_read_through_a_typed_accessor(tmp_path: Path) -> None:
    from coachdir.github.vocabulary import DEFAULT_CONTRACT_TYPES, contract_types
    from coachdir.programme import Term, load_programme

    root = copy_programme(tmp_path / "p")
    programme, _, _ = load_programme(root)
    assert programme is not None
    listed = programme.raw["vocabularies"].get("contract_types")
    expected = [Term(t["id"], t["fr"], t["en"]) for t in listed] if listed else []
    assert programme.contract_types == expected
    assert contract_types(programme) == (expected or list(DEFAULT_CONTRACT_TYPES))
    users = [p for p in PACKAGE_DIR.rglob("*.py") if p.name != "programme.py"]
    raw_users = sorted(str(p.relative_to(PACKAGE_DIR)) for p in users if ".raw" in p.read_text())
    assert raw_users == ["validation/engine.py"]  # the cache key: a real use of the whole data


# --- 5. imports at the top of their modules ------------------------------------------------

#: modules that keep an import inside a function on purpose
LAZY_ON_PURPOSE = {
    "__main__.py",  # Ctrl-C while the command line loads
    "cli/app.py",  # start-up time: each command loads only what it needs (commented there)
    "cli/calendar.py",
    "cli/directory.py",
    "cli/github.py",
    "cli/records.py",
    "cli/indicators.py",
    "cli/reports.py",
    "validation/engine.py",  # left to the records work in progress there
}


def test_no_function_level_import_of_coachdir_outside_the_known_places() -> None:
    found = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        rel = str(path.relative_to(PACKAGE_DIR))
        if rel in LAZY_ON_PURPOSE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith(
                        "coachdir"
                    ):
                        found.append(f"{rel}:{inner.lineno}")
    assert found == []


@pytest.mark.parametrize(
    "module",
    [
        "cli/app.py",
        "cli/calendar.py",
        "cli/directory.py",
        "cli/github.py",
        "cli/records.py",
        "cli/indicators.py",
        "cli/reports.py",
    ],
)
def test_the_cli_says_why_each_command_import_is_late(module: str) -> None:
    lines = _source(module).splitlines()
    for number, line in enumerate(lines):
        if line.startswith("    from coachdir") and not lines[number - 1].startswith("    from "):
            assert lines[number - 1].strip().startswith("# imported here"), number + 1


# --- 6. leftovers --------------------------------------------------------------------------


def test_no_stray_section_comment_ends_the_forms_writer() -> None:
    assert not _source("github/formfiles.py").rstrip().splitlines()[-1].startswith("#")
