"""intake-push: intake replaces only its own commit on intake/issue-N, on real git repositories.

Each test has a bare "GitHub" remote, the runner's clone (where intake writes), and a second
clone where the programme team works on the same branch.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from coachdir.github.intakebranch import BranchError, branch_name, publish, trailer
from conftest import run_cli


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name, value in {
        "GIT_AUTHOR_NAME": "bot",
        "GIT_AUTHOR_EMAIL": "bot@example.org",
        "GIT_COMMITTER_NAME": "bot",
        "GIT_COMMITTER_EMAIL": "bot@example.org",
    }.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    seed = tmp_path / "seed"
    git(tmp_path, "clone", "-q", str(bare), str(seed))
    (seed / "coaches").mkdir()
    (seed / "coaches" / "a.yml").write_text("name: A\n", encoding="utf-8")
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "start")
    git(seed, "push", "-q", "origin", "HEAD:main")
    return bare


def runner(tmp_path: Path, remote: Path, name: str = "runner") -> Path:
    """A fresh checkout of main, as actions/checkout gives the intake job."""
    clone = tmp_path / name
    git(tmp_path, "clone", "-q", str(remote), str(clone))
    return clone


def remote_log(remote: Path, branch: str) -> list[str]:
    return git(remote, "log", "--format=%s", f"refs/heads/{branch}").splitlines()


def test_first_submission_creates_the_branch_with_the_trailer(tmp_path: Path, remote: Path) -> None:
    clone = runner(tmp_path, remote)
    (clone / "coaches" / "b.yml").write_text("name: B\n", encoding="utf-8")
    done = publish(clone, 7, "coach-registration from #7", ["coaches/"])
    assert done.outcome == "pushed"
    assert remote_log(remote, "intake/issue-7") == ["coach-registration from #7", "start"]
    body = git(remote, "log", "-1", "--format=%B", "refs/heads/intake/issue-7")
    assert trailer(7) in body.splitlines()


def test_an_edit_replaces_intakes_own_commit(tmp_path: Path, remote: Path) -> None:
    first = runner(tmp_path, remote, "first")
    (first / "coaches" / "b.yml").write_text("name: B\n", encoding="utf-8")
    assert publish(first, 7, "coach-registration from #7", ["coaches/"]).outcome == "pushed"
    second = runner(tmp_path, remote, "second")
    (second / "coaches" / "b.yml").write_text("name: B2\n", encoding="utf-8")
    assert publish(second, 7, "coach-registration from #7", ["coaches/"]).outcome == "pushed"
    # One intake commit on top of main, with the new content: the old one was replaced.
    assert remote_log(remote, "intake/issue-7") == ["coach-registration from #7", "start"]
    shown = git(remote, "show", "refs/heads/intake/issue-7:coaches/b.yml")
    assert shown == "name: B2\n"


def test_a_team_commit_on_the_branch_is_never_overwritten(tmp_path: Path, remote: Path) -> None:
    first = runner(tmp_path, remote, "first")
    (first / "coaches" / "b.yml").write_text("name: B\n", encoding="utf-8")
    assert publish(first, 7, "coach-registration from #7", ["coaches/"]).outcome == "pushed"
    team = runner(tmp_path, remote, "team")
    git(team, "switch", "-q", branch_name(7))
    (team / "coaches" / "b.yml").write_text("name: B (fixed by the team)\n", encoding="utf-8")
    git(team, "commit", "-q", "-am", "team: fix the name")
    git(team, "push", "-q", "origin", branch_name(7))
    before = git(remote, "rev-parse", f"refs/heads/{branch_name(7)}")

    again = runner(tmp_path, remote, "again")
    (again / "coaches" / "b.yml").write_text("name: B3\n", encoding="utf-8")
    done = publish(again, 7, "coach-registration from #7", ["coaches/"])
    assert done.outcome == "refused"
    assert "commits that intake did not make" in done.message
    assert git(remote, "rev-parse", f"refs/heads/{branch_name(7)}") == before


def test_a_push_between_the_check_and_the_push_is_not_lost(
    tmp_path: Path, remote: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = runner(tmp_path, remote, "first")
    (first / "coaches" / "b.yml").write_text("name: B\n", encoding="utf-8")
    assert publish(first, 7, "coach-registration from #7", ["coaches/"]).outcome == "pushed"
    team = runner(tmp_path, remote, "team")
    git(team, "switch", "-q", branch_name(7))
    (team / "coaches" / "c.yml").write_text("name: C\n", encoding="utf-8")
    git(team, "add", "-A")
    git(team, "commit", "-q", "-m", "team: add C")

    import coachdir.github.intakebranch as module

    real = module._is_intakes_own

    def check_then_race(*args: object) -> bool:
        verdict = real(*args)  # type: ignore[arg-type]
        git(team, "push", "-q", "origin", branch_name(7))  # the team pushes right now
        return verdict

    monkeypatch.setattr(module, "_is_intakes_own", check_then_race)
    again = runner(tmp_path, remote, "again")
    (again / "coaches" / "b.yml").write_text("name: B3\n", encoding="utf-8")
    done = publish(again, 7, "coach-registration from #7", ["coaches/"])
    assert done.outcome == "refused"
    assert "changed while intake was updating it" in done.message
    assert remote_log(remote, branch_name(7))[0] == "team: add C"


def test_nothing_changed_pushes_nothing(tmp_path: Path, remote: Path) -> None:
    clone = runner(tmp_path, remote)
    done = publish(clone, 7, "profile-change from #7", ["coaches/"])
    assert done.outcome == "unchanged"
    assert git(remote, "branch", "--list", "intake/*") == ""


def test_another_issues_trailer_does_not_count(tmp_path: Path, remote: Path) -> None:
    first = runner(tmp_path, remote, "first")
    (first / "coaches" / "b.yml").write_text("name: B\n", encoding="utf-8")
    assert publish(first, 8, "coach-registration from #8", ["coaches/"]).outcome == "pushed"
    # Someone pushes issue 8's commit onto issue 7's branch: not intake's own for issue 7.
    git(first, "push", "-q", "origin", f"HEAD:refs/heads/{branch_name(7)}")
    again = runner(tmp_path, remote, "again")
    (again / "coaches" / "b.yml").write_text("name: B2\n", encoding="utf-8")
    assert publish(again, 7, "coach-registration from #7", ["coaches/"]).outcome == "refused"


def test_not_a_repository_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "coaches").mkdir()
    with pytest.raises(BranchError, match="git status failed"):
        publish(tmp_path, 7, "x", ["coaches/"])


def test_cli_exit_codes_and_outcome_file(tmp_path: Path, remote: Path) -> None:
    clone = runner(tmp_path, remote)
    (clone / "coaches" / "b.yml").write_text("name: B\n", encoding="utf-8")
    outcome = tmp_path / "out.txt"
    args = ["intake-push", "--root", str(clone), "--issue", "5", "--form", "coach-registration"]
    result = run_cli(*args, "--outcome-file", str(outcome))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Pushed intake/issue-5.\n"
    assert outcome.read_text(encoding="utf-8") == "outcome=pushed\nbranch=intake/issue-5\n"
    assert run_cli(*args).stdout == "Nothing to change.\n"
    bad = run_cli("intake-push", "--root", str(tmp_path), "--issue", "5", "--form", "x")
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
