"""Golden files: the generated build/ tree for a small fixed programme, byte for byte.

Input: tests/golden/input/coaches/, groups/ and immersions/ with the repository's programme.yml,
schemas/ and content/.
The sample's indicators/ releases are copied too, so the tree has the indicators page and one
page per earlier release (their bodies, filled in after MkDocs, are tests/golden/indicators/,
checked by tests/test_indicators_page.py).
Expected: tests/golden/expected/ (Markdown pages, HTML fragments, data, MkDocs configs with the
machine-specific root replaced by <ROOT>). Copied assets (script, styles) are not compared.

After an intended change, refresh with
    COACHDIR_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
and read the diff (git diff tests/golden) before committing.
"""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

from coachdir.model.coach import build_coaches
from coachdir.site.build import offerings_pages
from coachdir.site.indicators import read_indicators, split_releases
from coachdir.site.render import Renderer
from coachdir.validation.engine import validate
from conftest import ROOT, copy_programme

GOLDEN = ROOT / "tests" / "golden"
SKIP = {"directory.js", "coachdir.css"}


def _render(tmp_path: Path) -> tuple[Path, Path]:
    prog = copy_programme(tmp_path / "prog", coaches=False)
    shutil.rmtree(prog / "coaches")
    shutil.copytree(GOLDEN / "input" / "coaches", prog / "coaches")
    shutil.copy(ROOT / "mkdocs.yml", prog / "mkdocs.yml")
    shutil.copytree(ROOT / "indicators", prog / "indicators")  # the sample's releases
    for folder in ("groups", "immersions"):  # one group (a title to escape), one immersion
        shutil.rmtree(prog / folder, ignore_errors=True)
        shutil.copytree(GOLDEN / "input" / folder, prog / folder)
    today = date(2026, 11, 22)
    report = validate(prog, today=today, full=True)
    assert report.ok, report.problems
    assert report.programme is not None
    coaches = build_coaches(report.profiles, report.programme, today.isoformat())
    build = tmp_path / "build"
    shown, earlier = split_releases(read_indicators(prog))
    pages = [r.release for r in earlier]
    Renderer(
        prog,
        report.programme,
        coaches,
        indicators=bool(shown),
        release_pages=pages,
        offerings=offerings_pages(report, coaches, None),
    ).render(build)
    return prog, build


def _tree(folder: Path, prog: Path, build: Path) -> dict[str, bytes]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name not in SKIP:
            data = path.read_bytes()
            if path.suffix == ".yml":
                text = data.decode().replace(str(build.resolve()), "<BUILD>")
                data = text.replace(str(prog.resolve()), "<ROOT>").encode()
            out[path.relative_to(folder).as_posix()] = data
    return out


def test_build_tree_matches_golden(tmp_path: Path) -> None:
    prog, build = _render(tmp_path)
    got = _tree(build, prog, build)
    expected_dir = GOLDEN / "expected"
    if os.environ.get("COACHDIR_UPDATE_GOLDEN"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        for rel, data in got.items():
            target = expected_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    expected = {
        p.relative_to(expected_dir).as_posix(): p.read_bytes()
        for p in sorted(expected_dir.rglob("*"))
        if p.is_file()
    }
    assert sorted(got) == sorted(expected), "files differ; see the module docstring to refresh"
    for rel in expected:
        if rel.endswith((".md", ".html", ".json", ".yml")):
            assert got[rel].decode() == expected[rel].decode(), rel
        else:
            assert got[rel] == expected[rel], rel
