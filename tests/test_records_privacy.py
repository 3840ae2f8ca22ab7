"""No record byte reaches the site: build the sample with its demo records beside it, then
look for every client code, engagement, membership and immersion id, unit path and immersion
date of the records (group records included) in every built file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from coachdir.calendar import engagement_session_uid
from conftest import ROOT, copy_programme, run_cli


def _record_tokens(records: Path) -> set[str]:
    tokens: set[str] = set()
    for path in sorted((records / "engagements").glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        tokens.add(path.stem)  # the engagement id, e.g. 2025-0001
        # the UID of each session's event in the engagement's calendar file (coachdir
        # calendar --engagement), which is for the coach and the client only
        count = len(re.findall(r"^  - date: ", text.split("\nsessions:", 1)[-1], re.M))
        tokens.update(engagement_session_uid(path.stem, i) for i in range(count))
        tokens.update(re.findall(r"C-[A-Z2-7]{10}", text))  # client codes
        tokens.update(re.findall(r"U\d+(?:/U\d+)+", text))  # unit paths with a line
    immersions = sorted((records / "immersions").glob("*.yml"))
    assert immersions, "the demo records should hold immersion records"
    for path in immersions:
        text = path.read_text(encoding="utf-8")
        tokens.add(path.stem)  # the immersion id
        tokens.update(re.findall(r"C-[A-Z2-7]{10}", text))  # the agent's code
        tokens.update(re.findall(r"U\d+(?:/U\d+)+", text))  # the agent's unit
        # the request, the answer and the days: the site shows the offers' periods only
        tokens.update(re.findall(r"\d{4}-\d{2}-\d{2}", text))
    units = (records / "coach-units.yml").read_text(encoding="utf-8")
    tokens.update(re.findall(r"U\d+(?:/U\d+)+", units))
    for path in sorted((records / "groups").glob("*/*.yml")):
        text = path.read_text(encoding="utf-8")
        tokens.update(re.findall(r"G-\d{4}-\d{4,}", text))  # membership ids
        tokens.update(re.findall(r"C-[A-Z2-7]{10}", text))
        tokens.update(re.findall(r"U\d+(?:/U\d+)+", text))
    return tokens


def test_the_group_records_are_among_the_tokens() -> None:
    """The sample's group records give tokens of their own, so the test below covers them."""
    tokens = _record_tokens(ROOT / "records")
    groups = sorted((ROOT / "records" / "groups").glob("*/G-*.yml"))
    assert len(groups) >= 8
    for path in groups:
        text = path.read_text(encoding="utf-8")
        assert path.stem in tokens
        code = re.search(r"C-[A-Z2-7]{10}", text)
        unit = re.search(r"U\d+(?:/U\d+)+", text)
        assert code is not None and code.group(0) in tokens
        assert unit is not None and unit.group(0) in tokens


def test_no_record_byte_reaches_the_site(tmp_path: Path) -> None:
    prog = copy_programme(tmp_path / "prog")
    shutil.copy(ROOT / "mkdocs.yml", prog / "mkdocs.yml")
    shutil.copytree(ROOT / "records", prog / "records")
    # copy_programme copies the directory's immersion offers too: their pages (periods,
    # places) are public, the requests for them are not
    assert (prog / "immersions").is_dir()
    tokens = _record_tokens(prog / "records")
    assert len(tokens) > 100, "the demo records should hold many codes"
    result = run_cli("build", cwd=prog)
    assert result.returncode == 0, result.stderr
    built = [p for p in (prog / "site").rglob("*") if p.is_file()]
    assert len(built) > 50
    found = []
    for path in built:
        data = path.read_bytes()
        found += [f"{path.name}: {t}" for t in tokens if t.encode() in data]
    assert found == [], found[:20]
