"""A programme's own schemas/ that is broken is a problem in that file, never exit 3."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_programme, run_cli

BROKEN = [
    (b"{", ":1:2: error: the schema is not valid JSON", "schema.file"),
    (b"\xff\xfe{}", ":1:1: error: the schema is not valid UTF-8", "schema.file"),
    (b"[1]", ":1:1: error: the schema must be a JSON object", "schema.file"),
    (b'{"type": 5}', ":1:1: error: the", "schema.invalid"),
    (b'{"properties": 3}', ":1:1: error: the", "schema.invalid"),
]


@pytest.mark.parametrize("name", ["coach", "programme"])
@pytest.mark.parametrize(("content", "message", "rule"), BROKEN)
def test_a_broken_schema_is_reported_in_its_file(
    tmp_path: Path, name: str, content: bytes, message: str, rule: str
) -> None:
    prog = copy_programme(tmp_path / "prog")
    (prog / "schemas" / f"{name}.schema.json").write_bytes(content)
    for command in (["validate", "--no-cache"], ["build"]):
        result = run_cli(*command, cwd=prog)
        assert result.returncode == 1, (command, result.stderr)
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr
        first = result.stderr.splitlines()[0]
        assert f"schemas/{name}.schema.json{message}" in first, first
        assert f"[{rule}]" in first, first
    assert not (prog / "site").exists()


def test_a_coach_schema_without_the_fields_coachdir_fills_in(tmp_path: Path) -> None:
    prog = copy_programme(tmp_path / "prog")
    (prog / "schemas" / "coach.schema.json").write_text('{"properties": {}}', encoding="utf-8")
    result = run_cli("validate", "--no-cache", cwd=prog)
    assert result.returncode == 1, result.stderr
    assert "the coach schema lacks a field that coachdir fills in" in result.stderr
    assert "[schema.invalid]" in result.stderr


def test_a_programme_made_before_records_reads_its_records_with_the_shipped_schemas(
    tmp_path: Path,
) -> None:
    import shutil

    from conftest import ROOT

    prog = copy_programme(tmp_path / "prog")
    shutil.copytree(ROOT / "records", prog / "records")
    for name in ("engagement", "supervision", "coach-units"):
        (prog / "schemas" / f"{name}.schema.json").unlink()
    result = run_cli("validate", "--no-cache", cwd=prog)
    assert "No such file" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
