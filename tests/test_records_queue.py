"""`coachdir records queue`, `records show` and `records next`, and the weekly reminders'
next candidate: real runs on a copy of the sample programme and its demo records."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from coachdir.records.model import FINAL_STATES, Engagement, HistoryStep, next_states
from coachdir.records.queue import queue_text, work_queue
from conftest import ROOT, copy_programme, run_cli

TODAY = date(2026, 11, 22)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = copy_programme(tmp_path / "p")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "records", root / "records")
    return root


def _demo() -> list[dict[str, object]]:
    return [
        yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "records" / "engagements").glob("*.yml"))
    ]


def _personal() -> set[str]:
    """What the queue never prints: client codes, units and the records' dates."""
    out: set[str] = set()
    for data in _demo():
        out |= {str(data["client"]), str(data["unit"])}
        out |= {str(s["date"]) for s in data["history"]}  # type: ignore[attr-defined]
    return out


def test_queue_lists_the_open_engagements_oldest_first_with_their_next_steps(root: Path) -> None:
    result = run_cli("records", "queue", "--format", "json", cwd=root)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["today"] == "2026-11-22"
    open_ = {
        str(d["id"]): d
        for d in _demo()
        if d["history"][-1]["state"] not in FINAL_STATES  # type: ignore[index]
    }
    assert {i["id"] for i in found["open"]} == set(open_) and len(open_) >= 4
    for item in found["open"]:
        history = open_[item["id"]]["history"]
        assert item["state"] == history[-1]["state"]  # type: ignore[index]
        assert item["age_days"] == (TODAY - date.fromisoformat(history[0]["date"])).days  # type: ignore[index]
        assert item["waiting_days"] == (TODAY - date.fromisoformat(history[-1]["date"])).days  # type: ignore[index]
        assert item["next"] == sorted(next_states(item["state"], review=True))
        assert set(item) == {"id", "state", "age_days", "waiting_days", "next"}
    ages = [i["age_days"] for i in found["open"]]
    assert ages == sorted(ages, reverse=True)


def test_queue_text_shows_nothing_personal(root: Path) -> None:
    result = run_cli("records", "queue", cwd=root)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^2026-0022 +intro +45d +43d +accepted", result.stdout, re.M)
    assert "accepted, declined, expired, withdrawn" in result.stdout
    leaked = [value for value in _personal() if value in result.stdout]
    assert leaked == []


def _engagement(number: int, *steps: tuple[str, str]) -> Engagement:
    return Engagement(
        f"2026-{number:04d}", "C-AAAAAAAAAA", "civil-servant", "U1", False, "cohort-2026",
        "coaching", "career", "fr", "individual", "self", ("helene-dubois",),
        tuple(HistoryStep(s, d, coach="helene-dubois" if s == "intro" else None) for s, d in steps),
    )  # fmt: skip


def test_work_queue_orders_by_age_then_waiting_and_leaves_out_final_states() -> None:
    items = work_queue(
        [
            _engagement(1, ("requested", "2026-11-20")),
            _engagement(2, ("requested", "2026-11-01"), ("intro", "2026-11-21")),
            _engagement(3, ("requested", "2026-11-01"), ("intro", "2026-11-02")),
            _engagement(4, ("requested", "2026-10-01"), ("withdrawn", "2026-10-02")),
        ],
        TODAY,
        review=False,
    )
    assert [(i.id, i.age, i.waiting) for i in items] == [
        ("2026-0003", 21, 20),
        ("2026-0002", 21, 1),
        ("2026-0001", 2, 2),
    ]
    assert items[2].next == ("closed", "expired", "intro", "withdrawn")
    assert queue_text([], TODAY) == "No open engagement on 2026-11-22.\n"
    assert queue_text(items[:1], TODAY).startswith("1 open engagement on 2026-11-22 (oldest")
    assert queue_text(items, TODAY).startswith("3 open engagements on 2026-11-22 (oldest")


def test_show_prints_one_engagements_history_for_the_team(root: Path) -> None:
    result = run_cli("records", "show", "2026-0022", cwd=root)
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load((root / "records" / "engagements" / "2026-0022.yml").read_text())
    assert f"client: {data['client']}" in result.stdout
    for step in data["history"]:
        assert re.search(rf"{step['date']}  {step['state']}", result.stdout)
    assert "2026-10-10  intro 30 min held" in result.stdout
    assert "team terminal only" in result.stdout
    help_text = run_cli("records", "show", "--help", cwd=root).stdout
    assert "programme team's terminal only" in help_text


@pytest.mark.parametrize("command", ["show", "next", "feedback-mail"])
@pytest.mark.parametrize("engagement", ["2026-0099", "../etc"])
def test_show_and_next_refuse_an_unknown_engagement(
    root: Path, command: str, engagement: str
) -> None:
    result = run_cli("records", command, engagement, cwd=root)
    assert result.returncode == 1
    assert "engagement" in result.stderr and "Traceback" not in result.stderr


def test_next_after_a_decline_proposes_the_next_preference_and_the_step_works(
    root: Path,
) -> None:
    assert run_cli("records", "step", "2026-0022", "declined", cwd=root).returncode == 0
    result = run_cli("records", "next", "2026-0022", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "1. youssef-benali: no [next.declined]" in result.stdout
    assert "2. oceane-guillou: can take the client today" in result.stdout
    command = "coachdir records step 2026-0022 intro --coach oceane-guillou"
    assert f"Next: {command}" in result.stdout
    step = run_cli(*command.split()[1:], cwd=root)
    assert step.returncode == 0, step.stderr


def test_next_says_when_no_preference_is_left(root: Path) -> None:
    path = root / "records" / "engagements" / "2026-0022.yml"
    text = path.read_text(encoding="utf-8")
    # the second and third preferences become coaches out of standing on the demo's today
    text = text.replace('  - "oceane-guillou"\n  - "chloe-gagnon"\n', '  - "mathis-rolland"\n')
    path.write_text(text, encoding="utf-8")
    assert run_cli("records", "step", "2026-0022", "declined", cwd=root).returncode == 0
    result = run_cli("records", "next", "2026-0022", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "2. mathis-rolland: no [standing.supervision]" in result.stdout
    assert "No preference left" in result.stdout and "Look further" in result.stdout
    reminders = run_cli("reminders", cwd=root)
    assert "- `2026-0022`: no preference left / aucune préférence restante" in reminders.stdout


def test_reminders_name_the_next_candidate_after_a_decline_never_a_client_code(
    root: Path,
) -> None:
    before = run_cli("reminders", cwd=root)
    assert "Next coach to propose" not in before.stdout
    assert run_cli("records", "step", "2026-0022", "declined", cwd=root).returncode == 0
    assert run_cli("records", "step", "2026-0023", "expired", cwd=root).returncode == 0
    result = run_cli("reminders", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "## Prochain coach à proposer / Next coach to propose" in result.stdout
    assert "- `2026-0022` → `oceane-guillou`" in result.stdout
    assert "- `2026-0023` → `youssef-benali`" in result.stdout
    codes = {str(d["client"]) for d in _demo()}
    assert [c for c in codes if c in result.stdout] == []


@pytest.mark.parametrize(
    ("engagement", "says"),
    [
        ("2026-0022", "is 'intro': the client's feedback is asked once the engagement is"),
        ("2025-0001", "the client has given their feedback already"),
    ],
)
def test_feedback_mail_only_for_an_ended_engagement_without_a_score(
    root: Path, engagement: str, says: str
) -> None:
    result = run_cli("records", "feedback-mail", engagement, cwd=root)
    assert result.returncode == 1 and result.stdout == ""
    assert says in result.stderr


def test_feedback_mail_is_the_feedback_form_with_the_engagement_id_only(root: Path) -> None:
    """2025-0004 is completed without a score: the e-mail names it and nothing else of it."""
    result = run_cli("records", "feedback-mail", "2025-0004", cwd=root)
    assert result.returncode == 0, result.stderr
    subject, _, body = result.stdout.partition("\n\n")
    assert subject.startswith("Subject: Votre avis sur l'accompagnement 2025-0004")
    assert "### Référence de l'accompagnement / Engagement reference\n\n2025-0004\n" in body
    assert body.endswith("### Satisfaction (1 à 5) / Satisfaction (1 to 5)\n~ 1, 2, 3, 4, 5\n")
    data = yaml.safe_load((root / "records" / "engagements" / "2025-0004.yml").read_text())
    assert str(data["client"]) not in result.stdout and str(data["unit"]) not in result.stdout


def test_the_next_command_printed_runs_from_a_records_repository(root: Path) -> None:
    """From a records checkout (the directory in directory/), the printed command carries the
    same --root and --records, so that it runs as printed."""
    checkout = root.parent / "records-repo"
    shutil.move(str(root / "records"), str(checkout))
    shutil.move(str(root), str(checkout / "directory"))
    where = ("--root", "directory", "--records", ".")
    assert run_cli("records", "step", "2026-0022", "declined", *where, cwd=checkout).returncode == 0
    result = run_cli("records", "next", "2026-0022", *where, cwd=checkout)
    command = "coachdir records step 2026-0022 intro --coach oceane-guillou " + " ".join(where)
    assert f"Next: {command}\n" in result.stdout
    step = run_cli(*command.split()[1:], cwd=checkout)
    assert step.returncode == 0, step.stderr
