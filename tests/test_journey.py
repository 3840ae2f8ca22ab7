"""A new programme team's journey, end to end, with the README's own commands: init, one
e-mail request answered as a person writes, every step by command, to a completed engagement
and its reports. Nothing is edited by hand; every step is a real `coachdir` run."""

from __future__ import annotations

import csv
import json
import shutil
import textwrap
from pathlib import Path
from subprocess import CompletedProcess
from urllib.parse import parse_qs, unquote, urlsplit

from bs4 import BeautifulSoup

from coachdir.loader import load_file
from conftest import run_cli

# 32 bytes or more, no surrounding whitespace (issue 14, section 4.2)
KEY = "journey-test-key-0123456789abcdefghijklmnop"
ENV = {"COACHDIR_PSEUDONYM_KEY": KEY}
TEAM = "accompagnement@phares-balises.example"
CLIENT = "Jane Staff <jane.staff@phares-balises.example>"
CLIENT_ADDRESS = "jane.staff@phares-balises.example"
COACH = "aminata-ndiaye"
COACH_ADDRESS = "aminata.ndiaye@phares-balises.example"
UNIT = "U12/U7/U3"
SIGNATURE = "-- \nJane Staff\nDirection des phares et balises\n"


class Team:
    """Runs coachdir as the team does, from the records checkout (README, step 8)."""

    def __init__(self, records: Path) -> None:
        self.records = records
        self.count = 0

    def run(self, what: str, *args: str, code: int = 0) -> CompletedProcess[str]:
        self.count += 1
        result = run_cli(*args, cwd=self.records, env=ENV)
        assert "Traceback" not in result.stderr, f"step {self.count} ({what}) crashed"
        assert result.returncode == code, (
            f"step {self.count} ({what}): `coachdir {' '.join(args)}` exited "
            f"{result.returncode}, not {code}\n{result.stdout}\n{result.stderr}"
        )
        return result

    def on_records(self, what: str, *args: str, code: int = 0) -> CompletedProcess[str]:
        return self.run(what, *args, "--root", "directory", "--records", ".", code=code)

    def mail(self, what: str, form: str, sender: str, body: str, received: str) -> str:
        """An e-mail, saved as the team saves it (CRLF, as mail clients send), then intake."""
        path = self.records.parent / f"mail-{self.count + 1}.txt"
        path.write_bytes(body.replace("\n", "\r\n").encode("utf-8"))
        comment = self.records.parent / f"comment-{self.count + 1}.md"
        self.on_records(
            what,
            "intake",
            "--form",
            form,
            "--sender",
            sender,
            "--body",
            str(path),
            "--received",
            received,
            "--comment",
            str(comment),
        )
        return comment.read_text("utf-8")


def mailto(page: Path, text: str) -> tuple[str, str, str]:
    """(address, subject, body) of the page's mailto link named ``text``, as a client opens it."""
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    links = [a for a in soup.select('a[href^="mailto:"]') if a.get_text(strip=True) == text]
    assert len(links) == 1, f"{page}: no single link {text!r}"
    parts = urlsplit(str(links[0]["href"]))
    query = parse_qs(parts.query, keep_blank_values=True)
    return unquote(parts.path), query["subject"][0], query["body"][0]


def answer(body: str, answers: dict[str, str], *, tick: bool = True) -> str:
    """What a person does in the e-mail: writes each answer on the empty line left for it
    under the question (below its `~` lines of possible answers) whose English label contains
    a key of ``answers``, and ticks the boxes."""
    out: list[str] = []
    pending: str | None = None
    for line in body.split("\n"):
        if line.startswith("### "):
            pending = next((a for key, a in answers.items() if key in line[4:]), None)
        elif pending is not None and line in ("", "_No response_"):
            line, pending = pending, None
        elif line.strip() and not line.startswith("~"):
            pending = None  # already answered (the preferred coaches)
        if tick and line.startswith("- [ ] "):
            line = "- [X] " + line[6:]
        out.append(line)
    return "\n".join(out)


def hard_wrap(body: str, width: int = 78) -> str:
    """Wrap lines longer than ``width`` columns, as a mail client sending plain text does
    (the consent line is the one line of the prefilled body that long)."""
    lines: list[str] = []
    for line in body.split("\n"):
        lines.extend(textwrap.wrap(line, width, break_on_hyphens=False) if line else [""])
    return "\n".join(lines)


def engagement(records: Path) -> tuple[str, dict[str, object]]:
    files = sorted((records / "engagements").glob("*.yml"))
    assert len(files) == 1, [p.name for p in files]
    data = load_file(str(files[0])).data
    assert isinstance(data, dict)
    return files[0].stem, data


def states(data: dict[str, object]) -> list[tuple[str, str]]:
    history = data["history"]
    assert isinstance(history, list)
    return [(step["state"], step["date"]) for step in history]


def test_a_new_team_runs_one_engagement_from_the_first_email_to_its_reports(
    tmp_path: Path,
) -> None:
    # --- Start a programme (README "Start a programme", "Two repositories, step by step")
    setup = Team(tmp_path)
    setup.run("init the directory", "init", "demo-dir", "--sample-coaches")
    setup.run("init the records", "init", "--records", "demo-rec", "--directory", "demo-dir")
    records = tmp_path / "demo-rec"
    shutil.move(str(tmp_path / "demo-dir"), str(records / "directory"))
    team = Team(records)
    team.on_records("validate", "validate")
    team.run("forms are current", "forms", "--root", "directory", "--records", ".", "--check")
    team.run("build the site", "build", "--root", "directory")
    site = records / "directory" / "site"

    # --- A member of staff asks for a coach from the coach's page, by e-mail
    page = site / "en" / "coaches" / COACH / "index.html"
    address, _, body = mailto(page, "Request an introductory conversation")
    assert address == TEAM
    assert len(body) < 2000
    written = answer(
        body,
        {
            "Kind of support": "Individual coaching",
            "Topic": "Taking up a new role",
            "Preferred language": "English",
            "Employment status": "civil servant",
            "Cohort": "2026-2027 cohort",
            "Your unit code": UNIT,
            "You manage this unit": "No",
            "Individual or team": "Individual",
            "Initiated by": "Myself",
        },
    )
    mail = hard_wrap(written) + "\n\n" + SIGNATURE  # the consent line wrapped at 78 columns
    assert max(len(line) for line in mail.split("\n")) <= 78
    team.mail("the request by e-mail", "coaching-request", CLIENT, mail, "2026-10-05")
    eid, data = engagement(records)
    assert data["language"] == "en"
    assert data["initiated_by"] == "self"
    assert data["cohort"] == "cohort-2026"
    assert data["unit"] == UNIT
    assert data["preferences"] == [COACH]
    assert states(data) == [("requested", "2026-10-05")]  # the day it was sent, not today
    code = data["client"]
    assert isinstance(code, str)
    assert CLIENT_ADDRESS not in (records / "engagements" / f"{eid}.yml").read_text("utf-8")

    # --- The team's work list, then each step by command
    queue = team.on_records("the queue", "records", "queue").stdout
    assert eid in queue and "requested" in queue
    assert CLIENT_ADDRESS not in queue and UNIT not in queue and code not in queue
    team.on_records("reviewed", "records", "step", eid, "reviewed", "--date", "2026-10-06")
    proposal = team.on_records("the next coach", "records", "next", eid).stdout
    assert COACH in proposal
    team.on_records(
        "intro", "records", "step", eid, "intro", "--coach", COACH, "--date", "2026-10-07"
    )

    # --- The coach logs the intro session and the sessions from the links of their page
    _, _, log_body = mailto(page, "Log a session")
    sessions = [("2026-10-09", "30"), ("2026-10-19", "45"), ("2026-11-16", "45")]
    for number, (day, minutes) in enumerate(sessions):
        if number == 1:
            team.on_records("accepted", "records", "step", eid, "accepted", "--date", "2026-10-12")
            team.on_records("active", "records", "step", eid, "active", "--date", "2026-10-13")
        filled = answer(
            log_body,
            {"Engagement reference": eid, "Date of the session": day, "Length": minutes,
             "Status": "Held"},
        )  # fmt: skip
        team.mail(f"session {day}", "session-log", COACH_ADDRESS, filled, day)
    _, _, end_body = mailto(page, "End the coaching")
    ended = answer(end_body, {"Engagement reference": eid, "Reason for ending": "Plan completed"})
    team.mail("end of association", "end-of-association", COACH_ADDRESS, ended, "2026-11-18")

    # --- The client's own feedback, keyed by their code (not the coach's to give): the team
    # replies to the client's request with the e-mail `records feedback-mail` writes
    template = records / ".github" / "ISSUE_TEMPLATE" / "client-feedback.yml"
    assert template.is_file(), "the records repository has no client feedback form"
    asked = team.on_records("the feedback e-mail", "records", "feedback-mail", eid).stdout
    subject, _, feedback_body = asked.partition("\n\n")
    assert subject.startswith("Subject: ") and eid in subject
    assert code not in asked and UNIT not in asked
    feedback = answer(feedback_body, {"Satisfaction": "5"})
    team.mail("client feedback", "client-feedback", CLIENT, feedback, "2026-11-20")
    again = team.on_records("asked twice", "records", "feedback-mail", eid, code=1)
    assert "already" in again.stderr

    eid_after, data = engagement(records)
    assert eid_after == eid
    assert states(data) == [
        ("requested", "2026-10-05"),
        ("reviewed", "2026-10-06"),
        ("intro", "2026-10-07"),
        ("accepted", "2026-10-12"),
        ("active", "2026-10-13"),
        ("completed", "2026-11-18"),
    ]
    assert data["coach"] == COACH
    assert data["satisfaction"] == 5
    held = data["sessions"]
    assert isinstance(held, list)
    assert [(s["date"], s["minutes"], s["status"]) for s in held] == [
        (day, int(minutes), "held") for day, minutes in sessions
    ]
    team.on_records("validate after", "validate")
    assert team.on_records("queue after", "records", "queue").stdout.count(eid) == 0

    # --- The reports
    out = records.parent / "reports"
    out.mkdir()
    team.on_records("availability", "availability", "--out", str(out / "availability.json"))
    free = json.loads((out / "availability.json").read_text("utf-8"))
    assert COACH in json.dumps(free) and code not in json.dumps(free)
    team.on_records(
        "indicators", "indicators", "--release", "2026-Q3", "--out", str(out / "indicators")
    )
    published = sorted(p.name for p in (out / "indicators").iterdir())
    assert published == ["2026-Q3.csv", "2026-Q3.json"]
    for name in published:
        text = (out / "indicators" / name).read_text("utf-8")
        assert code not in text and eid not in text and UNIT not in text
    activity = team.on_records("activity", "activity", COACH, "--format", "json").stdout
    assert json.loads(activity)
    team.on_records("hours", "hours", COACH, "--format", "csv", "--out", str(out / "hours"))
    with (out / "hours" / "practice.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # one row per client (the intro session, before "accepted", is not coaching practice)
    # and the total: 45 + 45 minutes
    assert [(row["client"], row["start"], row["end"], row["hours"]) for row in rows] == [
        (code, "2026-10-19", "2026-11-18", "1.50"),
        ("total", "", "", "1.50"),
    ]
