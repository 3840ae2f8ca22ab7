"""pr-check in the records repository, on real temporary git repositories."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from coachdir.github.changes import Change, PrCheckError, PrReport
from coachdir.github.prreport import format_json, format_markdown, format_text
from coachdir.github.recordcheck import check_records_pr
from conftest import run_cli

#: a value planted in changed fields: it must never appear in any output
MARKER = "U77/ZQXMARKER"


def profile(github: str) -> str:
    return f'schema_version: 1\nname: "Someone"\ngithub: {github}\naffiliation: internal\n'


def engagement(
    coach: str | None = "alice-martin",
    *,
    unit: str = "U2/U10/U100",
    steps: str = "",
    sessions: str = "",
    intro_date: str = "2026-03-05",
) -> str:
    """An engagement at ``intro`` with ``coach`` (or only requested), then ``steps``."""
    coach_line = f'coach: "{coach}"\n' if coach else ""
    intro = f'  - state: "intro"\n    date: "{intro_date}"\n    coach: "{coach}"\n' if coach else ""
    return (
        "# yaml-language-server: $schema=../schemas/engagement.schema.json\n"
        "schema_version: 1\n"
        'id: "2026-0001"\n'
        'client: "C-JKNGAEEOPM"\n'
        'contract_type: "civil-servant"\n'
        f'unit: "{unit}"\n'
        "manages_unit: false\n"
        'cohort: "cohort-2026"\n'
        'offer: "coaching"\n'
        'expertise: "new-role"\n'
        'language: "fr"\n'
        'kind: "individual"\n'
        'initiated_by: "self"\n'
        "preferences:\n"
        '  - "alice-martin"\n'
        f"{coach_line}"
        "history:\n"
        '  - state: "requested"\n'
        '    date: "2026-03-03"\n'
        f"{intro}"
        f"{steps}" + (f"sessions:\n{sessions}" if sessions else "")
    )


INTRO_HELD = '  - date: "2026-03-06"\n    minutes: 30\n    kind: "intro"\n    status: "held"\n'
SESSION = '  - date: "2026-04-06"\n    minutes: 45\n    kind: "session"\n    status: "held"\n'
ACCEPTED = '  - state: "accepted"\n    date: "2026-03-12"\n'
ACTIVE = '  - state: "active"\n    date: "2026-03-17"\n'


class Repo:
    """A throwaway git repository driven with the real git command."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Test")
        self.git("config", "user.email", "test@example.org")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str) -> str:
        proc = subprocess.run(
            ["git", "-C", str(self.path), *args], capture_output=True, text=True, check=False
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    def write(self, rel: str, content: str) -> None:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")

    def remove(self, rel: str) -> None:
        (self.path / rel).unlink()

    def commit(self, message: str = "change") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def directory(tmp_path: Path) -> Repo:
    """The directory repository: alice-martin is @alice-m, bob-durand is @bob-d."""
    r = Repo(tmp_path / "directory")
    r.write("programme.yml", "schema_version: 1\n")
    r.write("coaches/alice-martin.yml", profile("alice-m"))
    r.write("coaches/bob-durand.yml", profile("bob-d"))
    r.commit("profiles")
    return r


@pytest.fixture
def records(tmp_path: Path) -> Repo:
    """The records repository: one engagement at intro with alice-martin; then branch pr."""
    r = Repo(tmp_path / "records")
    r.write("records.yml", "schema_version: 1\ndirectory_repository: org/directory\n")
    r.write("engagements/2026-0001.yml", engagement())
    r.write("engagements/2026-0002.yml", engagement("bob-durand").replace("0001", "0002"))
    r.write("supervision/alice-martin.yml", "schema_version: 1\ncoach: alice-martin\n")
    r.write("coach-units.yml", "schema_version: 1\ncoaches: {}\n")
    r.write(".github/workflows/ci.yml", "on: pull_request\n")
    r.write("requirements/coachdir.txt", "coachdir==1\n")
    r.commit("base")
    r.git("checkout", "-q", "-b", "pr")
    return r


def check(records: Repo, directory: Repo, author: str = "alice-m") -> PrReport:
    return check_records_pr(records.path, directory.path, "main", "pr", author)


def only(report: PrReport) -> Change:
    assert len(report.changes) == 1, report.changes
    return report.changes[0]


def outputs(report: PrReport) -> list[str]:
    return [format_text(report), format_json(report), format_markdown(report)]


# --------------------------------------------------------------------------- the author alone


def test_a_coach_accepting_their_own_intro_alone_is_the_authors(
    records: Repo, directory: Repo
) -> None:
    records.write("engagements/2026-0001.yml", engagement(steps=ACCEPTED))
    records.commit()
    change = only(check(records, directory))
    assert change.verdict == "author", change
    assert change.rules == ("records-decision",)
    assert not check(records, directory).needs_team


def test_accepted_then_active_in_one_pull_request_is_the_authors(
    records: Repo, directory: Repo
) -> None:
    records.write("engagements/2026-0001.yml", engagement(steps=ACCEPTED + ACTIVE))
    records.commit()
    assert only(check(records, directory)).verdict == "author"


def test_declining_is_the_authors(records: Repo, directory: Repo) -> None:
    declined = '  - state: "declined"\n    date: "2026-03-12"\n'
    records.write("engagements/2026-0001.yml", engagement(steps=declined))
    records.commit()
    assert only(check(records, directory)).rules == ("records-decision",)


def test_logging_a_session_alone_is_the_authors(records: Repo, directory: Repo) -> None:
    records.write("engagements/2026-0001.yml", engagement(sessions=INTRO_HELD))
    records.commit()
    change = only(check(records, directory))
    assert change.verdict == "author"
    assert change.rules == ("records-session",)


def test_appending_a_second_session_after_one_is_the_authors(
    records: Repo, directory: Repo
) -> None:
    records.write("engagements/2026-0001.yml", engagement(steps=ACCEPTED, sessions=INTRO_HELD))
    records.commit()
    records.git("checkout", "-q", "main")
    records.git("merge", "-q", "--ff-only", "pr")
    records.git("checkout", "-q", "pr")
    records.write(
        "engagements/2026-0001.yml",
        engagement(steps=ACCEPTED + ACTIVE, sessions=INTRO_HELD + SESSION),
    )
    records.commit()
    change = only(check(records, directory))
    assert change.verdict == "author"
    assert change.rules == ("records-decision", "records-session")


def test_the_login_matches_case_insensitively(records: Repo, directory: Repo) -> None:
    records.write("engagements/2026-0001.yml", engagement(sessions=INTRO_HELD))
    records.commit()
    assert only(check(records, directory, author="Alice-M")).verdict == "author"
    assert only(check(records, directory, author="@ALICE-M")).verdict == "author"


# --------------------------------------------------------------------------- the team


def test_the_same_on_another_coachs_engagement_needs_the_team(
    records: Repo, directory: Repo
) -> None:
    records.write(
        "engagements/2026-0002.yml",
        engagement("bob-durand", steps=ACCEPTED, sessions=INTRO_HELD).replace("0001", "0002"),
    )
    records.commit()
    change = only(check(records, directory))
    assert change.verdict == "team"
    assert change.rules == ("records-other-coach",)


def test_an_engagement_without_a_coach_needs_the_team(records: Repo, directory: Repo) -> None:
    records.write("engagements/2026-0003.yml", engagement(None).replace("0001", "0003"))
    records.commit("new")
    records.git("checkout", "-q", "main")
    records.git("merge", "-q", "--ff-only", "pr")
    records.git("checkout", "-q", "pr")
    records.write(
        "engagements/2026-0003.yml",
        engagement(None, sessions=INTRO_HELD).replace("0001", "0003"),
    )
    records.commit()
    assert only(check(records, directory)).rules == ("records-no-coach",)


@pytest.mark.parametrize(
    ("head", "rule"),
    [
        # a date of an existing step changed
        (engagement(intro_date="2026-03-04", steps=ACCEPTED), "records-history-changed"),
        # a step removed
        (
            engagement(None).replace("history:", 'coach: "alice-martin"\nhistory:'),
            "records-history-changed",
        ),
        # the unit changed
        (engagement(unit=MARKER, steps=ACCEPTED), "records-field-changed:unit"),
        # a step the team records
        (
            engagement(steps='  - state: "closed"\n    date: "2026-03-12"\n'),
            "records-team-step:closed",
        ),
        (
            engagement(steps='  - state: "completed"\n    date: "2026-03-12"\n'),
            "records-team-step:completed",
        ),
        # active straight after intro: not a transition the states allow
        (engagement(steps=ACTIVE), "records-step-order"),
        # a decision step with more than a state and a date
        (
            engagement(steps=ACCEPTED + f'    reason: "{MARKER}"\n'),
            "records-step-shape",
        ),
        # a session with the client's rating
        (engagement(sessions=INTRO_HELD + "    rating: 5\n"), "records-session-rating"),
        # a session with an unknown key
        (engagement(sessions=INTRO_HELD + f'    note: "{MARKER}"\n'), "records-session-shape"),
        # an unknown field
        (engagement(steps=ACCEPTED) + f'note: "{MARKER}"\n', "records-unknown-field"),
        # a comment (free text) added alongside a decision
        (engagement(steps=ACCEPTED) + f"# {MARKER}\n", "records-comment"),
        # nothing appended: a formatting-only change
        (engagement().replace('unit: "U2/U10/U100"', "unit: U2/U10/U100"), "records-no-append"),
    ],
)
def test_anything_but_appending_decisions_and_sessions_needs_the_team(
    records: Repo, directory: Repo, head: str, rule: str
) -> None:
    records.write("engagements/2026-0001.yml", head)
    records.commit()
    report = check(records, directory)
    change = only(report)
    assert change.verdict == "team", change
    assert rule in change.rules, change.rules
    for text in outputs(report):
        assert MARKER not in text
        assert "ZQXMARKER" not in text


def test_removing_or_changing_a_session_needs_the_team(records: Repo, directory: Repo) -> None:
    records.write("engagements/2026-0001.yml", engagement(sessions=INTRO_HELD + SESSION))
    records.commit()
    records.git("checkout", "-q", "main")
    records.git("merge", "-q", "--ff-only", "pr")
    records.git("checkout", "-q", "pr")
    records.write("engagements/2026-0001.yml", engagement(sessions=INTRO_HELD))
    records.commit()
    assert only(check(records, directory)).rules == ("records-sessions-changed",)
    records.write("engagements/2026-0001.yml", engagement(sessions=SESSION + INTRO_HELD))
    records.commit()
    assert only(check(records, directory)).rules == ("records-sessions-changed",)
    changed = INTRO_HELD.replace("30", "31") + SESSION
    records.write("engagements/2026-0001.yml", engagement(sessions=changed))
    records.commit()
    assert only(check(records, directory)).rules == ("records-sessions-changed",)


def test_adding_an_intro_needs_the_team(records: Repo, directory: Repo) -> None:
    declined = '  - state: "declined"\n    date: "2026-03-12"\n'
    intro = '  - state: "intro"\n    date: "2026-03-13"\n    coach: "alice-martin"\n'
    records.write("engagements/2026-0001.yml", engagement(steps=declined + intro))
    records.commit()
    assert "records-team-step:intro" in only(check(records, directory)).rules


def test_a_new_engagement_needs_the_team(records: Repo, directory: Repo) -> None:
    records.write("engagements/2026-0009.yml", engagement().replace("0001", "0009"))
    records.commit()
    change = only(check(records, directory))
    assert (change.verdict, change.status, change.rules) == (
        "team",
        "added",
        ("records-new-engagement",),
    )


def test_deleting_or_renaming_an_engagement_needs_the_team(records: Repo, directory: Repo) -> None:
    records.remove("engagements/2026-0001.yml")
    records.commit()
    assert only(check(records, directory)).rules == ("records-deleted-engagement",)
    records.git("reset", "-q", "--hard", "main")
    records.git("mv", "engagements/2026-0001.yml", "engagements/2026-0007.yml")
    records.commit()
    change = only(check(records, directory))
    assert (change.status, change.old_path) == ("renamed", "engagements/2026-0001.yml")
    assert change.rules == ("records-renamed",)


@pytest.mark.parametrize(
    ("path", "rule"),
    [
        ("supervision/alice-martin.yml", "records-supervision"),
        ("coach-units.yml", "records-coach-units"),
        ("records.yml", "records-settings"),
        (".github/workflows/ci.yml", "workflow"),
        (".github/CODEOWNERS", "codeowners"),
        (".github/ISSUE_TEMPLATE/session-log.yml", "issue-template"),
        ("requirements/coachdir.txt", "records-requirements"),
        ("engagements/notes.yml", "records-other-path"),
        ("README.md", "records-other-path"),
    ],
)
def test_every_other_path_needs_the_team(
    records: Repo, directory: Repo, path: str, rule: str
) -> None:
    records.write(path, f"x: {MARKER}\n")
    records.commit()
    report = check(records, directory)
    assert only(report).rules == (rule,)
    assert report.needs_team
    for text in outputs(report):
        assert "ZQXMARKER" not in text


def test_an_author_with_no_profile_needs_the_team(records: Repo, directory: Repo) -> None:
    records.write("engagements/2026-0001.yml", engagement(steps=ACCEPTED))
    records.commit()
    assert only(check(records, directory, author="carol-x")).rules == ("records-author-not-coach",)


def test_a_login_on_two_profiles_needs_the_team(records: Repo, directory: Repo) -> None:
    directory.write("coaches/alice-two.yml", profile("ALICE-M"))
    directory.commit()
    records.write("engagements/2026-0001.yml", engagement(steps=ACCEPTED))
    records.commit()
    assert only(check(records, directory)).rules == ("records-author-ambiguous",)


def test_identity_comes_from_the_directorys_committed_head(records: Repo, directory: Repo) -> None:
    """An uncommitted edit of the directory checkout does not make anyone a coach."""
    directory.write("coaches/bob-durand.yml", profile("alice-m"))
    records.write(
        "engagements/2026-0002.yml",
        engagement("bob-durand", sessions=INTRO_HELD).replace("0001", "0002"),
    )
    records.commit()
    assert only(check(records, directory)).rules == ("records-other-coach",)


def test_a_github_changed_in_the_same_pull_request_does_not_count(tmp_path: Path) -> None:
    """Records and profiles in one repository (the demo layout): identity from the base."""
    repo = Repo(tmp_path / "programme")
    repo.write("programme.yml", "schema_version: 1\n")
    repo.write("coaches/alice-martin.yml", profile("alice-m"))
    repo.write("coaches/bob-durand.yml", profile("bob-d"))
    repo.write("records/engagements/2026-0002.yml", engagement("bob-durand").replace("01", "02"))
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "pr")
    repo.write("coaches/bob-durand.yml", profile("alice-m"))
    repo.write("coaches/alice-martin.yml", profile("nobody-here"))
    repo.write(
        "records/engagements/2026-0002.yml",
        engagement("bob-durand", sessions=INTRO_HELD).replace("01", "02"),
    )
    repo.commit()
    report = check_records_pr(repo.path / "records", repo.path, "main", "pr", "alice-m")
    by_path = {c.path: c for c in report.changes}
    assert by_path["records/engagements/2026-0002.yml"].rules == ("records-other-coach",)
    assert by_path["coaches/bob-durand.yml"].rules == ("records-outside",)
    # and the other way round: bob-d, owner at base, logs the session alone
    report = check_records_pr(repo.path / "records", repo.path, "main", "pr", "bob-d")
    by_path = {c.path: c for c in report.changes}
    assert by_path["records/engagements/2026-0002.yml"].verdict == "author"


def test_the_owner_at_the_base_branch_tip_counts_too(records: Repo, directory: Repo) -> None:
    """The team reassigned the engagement on main since the pull request branched off."""
    records.write("engagements/2026-0001.yml", engagement(sessions=INTRO_HELD))
    records.commit()
    records.git("checkout", "-q", "main")
    records.write("engagements/2026-0002.yml", engagement("bob-durand").replace("0001", "0002"))
    records.write("engagements/2026-0001.yml", engagement("bob-durand"))
    records.commit("reassigned")
    records.git("checkout", "-q", "pr")
    assert only(check(records, directory)).rules == ("records-other-coach",)


def test_an_unreadable_head_needs_the_team(records: Repo, directory: Repo) -> None:
    records.write("engagements/2026-0001.yml", engagement(steps=ACCEPTED) + "unit: again\n")
    records.commit()
    assert only(check(records, directory)).rules == ("records-unreadable",)


def test_a_base_history_that_is_not_a_list_of_steps_needs_the_team(
    records: Repo, directory: Repo
) -> None:
    broken = engagement() + '  - "not a step"\n'
    records.write("engagements/2026-0001.yml", broken)
    records.commit()
    records.git("checkout", "-q", "main")
    records.git("merge", "-q", "--ff-only", "pr")
    records.git("checkout", "-q", "pr")
    records.write("engagements/2026-0001.yml", broken + f"sessions:\n{INTRO_HELD}")
    records.commit()
    assert only(check(records, directory)).rules == ("records-unreadable",)


def test_an_oversized_engagement_is_not_read(records: Repo, directory: Repo) -> None:
    records.write("engagements/2026-0001.yml", engagement(steps=ACCEPTED) + "# x\n" * 20000)
    records.commit()
    assert only(check(records, directory)).rules == ("records-unreadable",)


def test_an_engagement_turned_into_a_symlink_needs_the_team(records: Repo, directory: Repo) -> None:
    records.remove("engagements/2026-0001.yml")
    os.symlink("/etc/passwd", records.path / "engagements/2026-0001.yml")
    records.commit()
    assert only(check(records, directory)).verdict == "team"


def test_the_directory_must_be_a_git_checkout(records: Repo, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(PrCheckError, match="not a git checkout of the directory"):
        check_records_pr(records.path, plain, "main", "pr", "alice-m")


# --------------------------------------------------------------------------- reports


def test_json_output_shape(records: Repo, directory: Repo) -> None:
    records.write("engagements/2026-0001.yml", engagement(steps=ACCEPTED, unit=MARKER))
    records.write("engagements/2026-0002.yml", engagement("bob-durand", unit=MARKER))
    records.commit()
    data = json.loads(format_json(check(records, directory)))
    assert set(data) == {"base", "head", "merge_base", "author", "verdict", "needs_team", "changes"}
    assert data["verdict"] == "team" and data["needs_team"] is True
    assert data["author"] == "alice-m" and len(data["merge_base"]) == 40
    changes = {c["path"]: c for c in data["changes"]}
    assert changes["engagements/2026-0001.yml"] == {
        "path": "engagements/2026-0001.yml",
        "old_path": None,
        "status": "modified",
        "verdict": "team",
        "reasons": ["'unit' changed"],
        "rules": ["records-field-changed:unit"],
    }
    assert changes["engagements/2026-0002.yml"]["rules"] == ["records-other-coach"]


def test_markdown_names_the_reasons_and_no_value(records: Repo, directory: Repo) -> None:
    records.write("engagements/2026-0001.yml", engagement(steps=ACCEPTED))
    records.commit()
    md = format_markdown(check(records, directory))
    assert md.startswith("### The author may merge this pull request")
    assert "a decision step \\(accepted, declined, active\\) on the author's own engagement" in md
    records.write("engagements/2026-0001.yml", engagement(steps=ACCEPTED, unit=MARKER))
    records.commit()
    md = format_markdown(check(records, directory))
    assert md.startswith("### Programme team approval required")
    assert "'unit' changed" in md and "needs the programme team" not in md
    assert "ZQXMARKER" not in md and "@" not in md


def test_the_command_line(records: Repo, directory: Repo) -> None:
    records.write("engagements/2026-0001.yml", engagement(sessions=INTRO_HELD))
    records.commit()
    args = ("pr-check", "--root", str(directory.path), "--records", str(records.path))
    args += ("--base", "main", "--head", "pr", "--exit-code")
    ok = run_cli(*args, "--author", "alice-m")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines()[-1].startswith("verdict: the author may merge")
    team = run_cli(*args, "--author", "bob-d", "--format", "json")
    assert team.returncode == 1, team.stderr
    assert json.loads(team.stdout)["changes"][0]["rules"] == ["records-other-coach"]
    bad = run_cli(*args, "--author", "alice-m", "--records", str(directory.path / "coaches"))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


# --------------------------------------------------------------------------- group attendance

GROUP = "codev-test"
ATTENDANCE = f"groups/{GROUP}/attendance.yml"


def attendance(*present: str, status: str = "held", group: str = GROUP) -> str:
    listed = ", ".join(f'"{p}"' for p in present)
    return (
        "# yaml-language-server: $schema=../../../schemas/group-attendance.schema.json\n"
        f'schema_version: 1\ngroup: "{group}"\nsessions:\n'
        f'  s1:\n    status: "{status}"\n    present: [{listed}]\n'
    )


def membership(number: int) -> str:
    return (
        f'schema_version: 1\nid: "G-2026-{number:04d}"\ngroup: "{GROUP}"\n'
        'client: "C-AAAAAAAAAA"\ncontract_type: "civil-servant"\nunit: "U2/U5"\n'
        'manages_unit: false\nhistory:\n  - state: "requested"\n    date: "2026-09-01"\n'
    )


@pytest.fixture
def grouped(records: Repo, directory: Repo) -> Repo:
    """alice-martin facilitates codev-test in the directory; the records have one member."""
    directory.write(f"groups/{GROUP}.yml", "schema_version: 1\nfacilitators: [alice-martin]\n")
    directory.commit("group")
    records.git("checkout", "-q", "main")
    records.write(f"groups/{GROUP}/G-2026-0001.yml", membership(1))
    records.commit("member")
    records.git("checkout", "-q", "pr")
    records.git("merge", "-q", "main")
    return records


def test_a_facilitator_recording_their_groups_attendance_is_the_authors(
    grouped: Repo, directory: Repo
) -> None:
    grouped.write(ATTENDANCE, attendance("G-2026-0001"))
    grouped.commit()
    change = only(check(grouped, directory))
    assert change.verdict == "author" and change.rules == ("records-attendance",), change
    grouped.write(ATTENDANCE, attendance("G-2026-0001").replace("s1", "s2"))
    grouped.commit()
    assert only(check(grouped, directory)).verdict == "author"


def test_changing_an_existing_attendance_is_the_facilitators(
    grouped: Repo, directory: Repo
) -> None:
    grouped.git("checkout", "-q", "main")
    grouped.write(ATTENDANCE, attendance("G-2026-0001"))
    grouped.commit()
    grouped.git("checkout", "-q", "pr")
    grouped.git("merge", "-q", "main")
    grouped.write(ATTENDANCE, attendance())
    grouped.commit()
    assert only(check(grouped, directory)).rules == ("records-attendance",)
    grouped.write(ATTENDANCE, attendance() + "# a note\n")
    grouped.commit()
    change = only(check(grouped, directory))
    assert change.verdict == "team" and "records-comment" in change.rules
    grouped.remove(ATTENDANCE)
    grouped.commit()
    assert only(check(grouped, directory)).rules == ("records-attendance-moved",)


def test_another_coachs_group_attendance_needs_the_team(grouped: Repo, directory: Repo) -> None:
    grouped.write(ATTENDANCE, attendance("G-2026-0001"))
    grouped.commit()
    change = only(check(grouped, directory, author="bob-d"))
    assert change.verdict == "team" and change.rules == ("records-not-facilitator",)
    grouped.write("groups/codev-nope/attendance.yml", attendance(group="codev-nope"))
    grouped.commit()
    rules = {c.path: c.rules for c in check(grouped, directory).changes}
    assert rules["groups/codev-nope/attendance.yml"] == ("records-not-facilitator",)


def test_an_attendance_naming_another_group_needs_the_team(grouped: Repo, directory: Repo) -> None:
    grouped.write(ATTENDANCE, attendance("G-2026-0001", group="codev-other"))
    grouped.commit()
    assert only(check(grouped, directory)).rules == ("records-field-changed:group",)


def test_memberships_are_the_teams_even_for_the_facilitator(grouped: Repo, directory: Repo) -> None:
    grouped.write(f"groups/{GROUP}/G-2026-0002.yml", membership(2))
    grouped.write(ATTENDANCE, attendance("G-2026-0001"))
    grouped.commit()
    verdicts = {c.path: (c.verdict, c.rules) for c in check(grouped, directory).changes}
    assert verdicts[f"groups/{GROUP}/G-2026-0002.yml"] == ("team", ("records-group-membership",))
    assert verdicts[ATTENDANCE] == ("author", ("records-attendance",))
    assert check(grouped, directory).needs_team


def test_a_facilitator_removed_on_the_directory_no_longer_counts(
    grouped: Repo, directory: Repo
) -> None:
    directory.write(f"groups/{GROUP}.yml", "schema_version: 1\nfacilitators: [bob-durand]\n")
    directory.commit("new facilitator")
    grouped.write(ATTENDANCE, attendance("G-2026-0001"))
    grouped.commit()
    assert only(check(grouped, directory)).rules == ("records-not-facilitator",)
    assert only(check(grouped, directory, author="bob-d")).verdict == "author"
