"""`coachdir reminders --records`: stale requests and lapsed standing, by id only."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import ROOT, copy_programme, run_cli

ENGAGEMENT = """\
# yaml-language-server: $schema=../../schemas/engagement.schema.json
schema_version: 1
id: "{id}"
client: "{client}"
contract_type: "civil-servant"
unit: "{unit}"
manages_unit: false
cohort: "cohort-2026"
offer: "coaching"
expertise: "new-role"
language: "fr"
kind: "individual"
initiated_by: "self"
preferences:
  - "helene-dubois"
history:
  - state: "requested"
    date: "{requested}"
"""


def _small_programme(tmp_path: Path) -> Path:
    """The sample coaches with a hand-built records folder: one stale request (2026-0001),
    one answered in time (2026-0002)."""
    prog = copy_programme(tmp_path / "prog")
    folder = prog / "records" / "engagements"
    folder.mkdir(parents=True)
    for eid, client, unit, requested in (
        ("2026-0001", "C-AAAAAAAAAA", "U5/U50/U501", "2026-11-02"),
        ("2026-0002", "C-BBBBBBBBBB", "U6/U60/U602", "2026-11-20"),
    ):
        text = ENGAGEMENT.format(id=eid, client=client, unit=unit, requested=requested)
        (folder / f"{eid}.yml").write_text(text, encoding="utf-8")
    return prog


def _records_reminders(text: str) -> str:
    return text[text.index("records reminder(s).") - 2 :]


def test_a_stale_request_is_listed_by_id(tmp_path: Path) -> None:
    prog = _small_programme(tmp_path)
    result = run_cli("reminders", cwd=prog)
    assert result.returncode == 0, result.stderr
    assert "- `2026-0001`: no answer within 7 days" in result.stdout
    assert "2026-0002" not in result.stdout  # answered in time: not stale yet


def test_a_lapsed_coach_is_listed_by_id(tmp_path: Path) -> None:
    prog = _small_programme(tmp_path)
    text = run_cli("reminders", "--records", "records", cwd=prog).stdout
    part = _records_reminders(text)
    assert "- `mathis-rolland`: supervision lapsed" in part
    assert "- `lukas-hoffmann`: charter version not current" in part
    assert "helene-dubois" not in part  # in standing


def test_exact_markdown_for_a_small_records_folder(tmp_path: Path) -> None:
    prog = _small_programme(tmp_path)
    text = run_cli("reminders", cwd=prog).stdout
    assert _records_reminders(text) == (
        "3 records reminder(s).\n"
        "\n"
        "## Demandes sans réponse / Stale requests\n"
        "\n"
        "- `2026-0001`: no answer within 7 days / sans réponse depuis plus de 7 jours\n"
        "\n"
        "## Coachs hors conditions d'exercice / Coaches whose standing has lapsed\n"
        "\n"
        "- `lukas-hoffmann`: charter version not current / charte non à jour\n"
        "- `mathis-rolland`: supervision lapsed / supervision échue; no valid qualifying "
        "credential / certification expirée ou absente\n"
        "\n"
    )


def test_nothing_from_records_is_listed_when_all_is_well(tmp_path: Path) -> None:
    prog = copy_programme(tmp_path / "prog")
    (prog / "records" / "engagements").mkdir(parents=True)
    for path in (prog / "coaches").glob("*.yml"):
        if path.name != "helene-dubois.yml":
            path.unlink()
    shutil.rmtree(prog / "groups")  # their facilitators are gone
    assert run_cli("reminders", cwd=prog).stdout == ""


def test_output_never_holds_a_client_code_or_unit_of_the_demo_records(tmp_path: Path) -> None:
    prog = copy_programme(tmp_path / "prog")
    shutil.copytree(ROOT / "records", prog / "records")
    tokens: set[str] = set()
    for path in (prog / "records").rglob("*.yml"):
        text = path.read_text(encoding="utf-8")
        tokens |= set(re.findall(r"C-[A-Z2-7]{10}", text))
        tokens |= set(re.findall(r"U[0-9]+(?:/U[0-9]+)+", text))
    assert len(tokens) > 60
    for today in ("2025-06-01", "2026-11-22", "2027-06-01", "2028-06-01"):
        result = run_cli("reminders", "--today", today, cwd=prog)
        assert result.returncode == 0, result.stderr
        assert "records reminder(s)." in result.stdout or today == "2026-11-22"
        found = sorted(t for t in tokens if t in result.stdout)
        assert found == [], today
