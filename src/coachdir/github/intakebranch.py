"""Publish intake's change on its branch without ever overwriting someone else's commits.

Intake turns issue N into one commit on the branch ``intake/issue-N``, made on top of the
checked-out default branch. When the issue is edited, intake makes that commit again and
replaces its own previous one. It replaces it only when the branch's tip on the remote is
intake's own last commit (marked by the ``Coachdir-Intake: issue-N`` trailer): when the
programme team has pushed commits to the branch, intake leaves the branch alone and says so.
The push is a ``--force-with-lease`` on exactly the tip that was checked, so a push by someone
else between the check and the push makes it fail instead of erasing their work.

A record form (coaching request, session log, end of association) is published the same way,
but named by the engagement it changed only: the branch ``intake/<engagement id>``, the commit
"Record <id>: <fixed phrase>" and the ``Coachdir-Intake: <id> issue-N`` trailer; nothing typed
in the form ever names a branch, a commit or a pull request.

Git runs as a subprocess with argument lists only (no shell).
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from coachdir.problems import UsageError
from coachdir.records.files import ENGAGEMENT_ID_PATTERN
from coachdir.records.groups import MEMBERSHIP_ID_PATTERN
from coachdir.text import ID_PATTERN

GIT_TIMEOUT = 120
TRAILER = "Coachdir-Intake"
#: the folder of the record files intake changes, in a records repository
ENGAGEMENTS = "engagements/"
_ENGAGEMENT_FILE = re.compile(rf"engagements/({ENGAGEMENT_ID_PATTERN})\.yml")
#: a group join request writes one membership: groups/<group-id>/<membership id>.yml
GROUPS = "groups/"
_MEMBERSHIP_FILE = re.compile(rf"groups/{ID_PATTERN.pattern}/({MEMBERSHIP_ID_PATTERN})\.yml")
#: what each record form did, in the commit message and pull-request title (fixed phrases)
RECORD_PHRASES = {
    "coaching-request": "coaching request received",
    "session-log": "session logged",
    "end-of-association": "end of association",
    "client-feedback": "client feedback",
    "group-join": "group join request received",
}


class BranchError(UsageError):
    """Git could not be run or answered unexpectedly (exit 2 in the CLI)."""


@dataclass(frozen=True)
class Published:
    """What happened: ``pushed``, ``unchanged`` (nothing to commit) or ``refused``."""

    outcome: str
    branch: str
    message: str
    #: the pull request's title (set for record forms: the engagement id and a fixed phrase)
    title: str = ""


def branch_name(issue: int) -> str:
    return f"intake/issue-{issue}"


def trailer(issue: int) -> str:
    return f"{TRAILER}: issue-{issue}"


def record_branch_name(engagement: str) -> str:
    return f"intake/{engagement}"


def record_subject(engagement: str, form: str) -> str:
    """``Record 2026-0042: session logged``: the id and the form's fixed phrase only."""
    return f"Record {engagement}: {RECORD_PHRASES[form]}"


class _Git:
    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self.env = dict(os.environ) | {"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(
                ["git", "-C", str(self.repo), *args],
                capture_output=True,
                text=True,
                env=self.env,
                check=False,
                timeout=GIT_TIMEOUT,
            )
        except FileNotFoundError:
            raise BranchError("git is not installed or not on PATH; install git") from None
        except subprocess.TimeoutExpired:
            raise BranchError(f"git {args[0]} took more than {GIT_TIMEOUT} s; try again") from None
        except OSError as exc:
            raise BranchError(f"cannot run git in {self.repo}: {exc.strerror}") from None

    def ok(self, *args: str) -> str:
        proc = self.run(*args)
        if proc.returncode != 0:
            first = (proc.stderr.strip().splitlines() or ["no message"])[0]
            raise BranchError(f"git {args[0]} failed in {self.repo}: {first}")
        return proc.stdout


def _remote_tip(git: _Git, remote: str, branch: str) -> str | None:
    out = git.ok("ls-remote", "--heads", remote, f"refs/heads/{branch}")
    for line in out.splitlines():
        sha, _, ref = line.partition("\t")
        if ref == f"refs/heads/{branch}" and re.fullmatch(r"[0-9a-f]{40,64}", sha):
            return sha
    return None


def _is_intakes_own(git: _Git, remote: str, branch: str, sha: str, mark: str) -> bool:
    git.ok("fetch", "--quiet", "--no-tags", remote, f"refs/heads/{branch}")
    message = git.ok("log", "-1", "--format=%B", sha)
    lines = [line.strip() for line in message.strip().splitlines()]
    return mark in lines


def publish(
    repo: Path, issue: int, subject: str, paths: list[str], remote: str = "origin"
) -> Published:
    """Commit ``paths`` (when they changed) and push them to ``intake/issue-<issue>``."""
    if issue < 1:
        raise BranchError("the issue number must be a positive whole number")
    git = _Git(repo)
    branch = branch_name(issue)
    if not git.ok("status", "--porcelain", "--", *paths).strip():
        return Published("unchanged", branch, "Nothing to change.")
    return _push(git, branch, trailer(issue), subject, paths, remote)


def _changed_engagements(git: _Git, folder: str = ENGAGEMENTS) -> list[str]:
    """The paths under engagements/ (or ``folder``) that differ from HEAD (untracked ones
    included)."""
    out = git.ok("status", "--porcelain=v1", "-z", "--untracked-files=all", "--", folder)
    return sorted({entry[3:] for entry in out.split("\0") if len(entry) > 3})


def record_trailer(engagement: str, issue: int) -> str:
    """``Coachdir-Intake: 2026-0042 issue-12``: the issue too, so that two issues that both
    took the next free id never replace each other's commit (the second is refused)."""
    return f"{TRAILER}: {engagement} issue-{issue}"


def publish_record(repo: Path, form: str, issue: int, remote: str = "origin") -> Published:
    """Commit the one engagement file intake changed under ``engagements/`` and push it to
    ``intake/<engagement id>``, named by that id only (``form`` chooses the fixed phrase)."""
    if form not in RECORD_PHRASES:
        raise BranchError(f"{form} is not a record form")
    if issue < 1:
        raise BranchError("the issue number must be a positive whole number")
    git = _Git(repo)
    folder, pattern = (
        (GROUPS, _MEMBERSHIP_FILE)
        if form == "group-join"
        else (
            ENGAGEMENTS,
            _ENGAGEMENT_FILE,
        )
    )
    changed = _changed_engagements(git, folder)
    if not changed:
        return Published("unchanged", "", "Nothing to change.")
    found = [pattern.fullmatch(path) for path in changed]
    if len(changed) != 1 or found[0] is None:
        return Published(
            "refused",
            "",
            f"Intake changes one record file at a time, but {len(changed)} path(s) under "
            f"{folder} changed; intake pushed nothing. Commit or remove the other changes.",
        )
    engagement = found[0].group(1)
    subject = record_subject(engagement, form)
    done = _push(
        git,
        record_branch_name(engagement),
        record_trailer(engagement, issue),
        subject,
        [folder],
        remote,
    )
    return Published(done.outcome, done.branch, done.message, subject)


def _push(
    git: _Git, branch: str, mark: str, subject: str, paths: list[str], remote: str
) -> Published:
    """Commit ``paths`` on ``branch`` (marked by the trailer ``mark``) and push it, replacing
    the remote branch only when its tip is intake's own last commit."""
    tip = _remote_tip(git, remote, branch)
    if tip is not None and not _is_intakes_own(git, remote, branch, tip, mark):
        return Published(
            "refused",
            branch,
            f"The branch {branch} has commits that intake did not make; intake left it "
            "unchanged. Make the change in its pull request, or delete the branch to let "
            "intake start it again.",
        )
    git.ok("switch", "--quiet", "--force-create", branch)
    git.ok("add", "--", *paths)
    git.ok("commit", "--quiet", "-m", subject, "-m", mark)
    lease = f"--force-with-lease=refs/heads/{branch}:{tip or ''}"
    proc = git.run("push", "--quiet", lease, remote, f"HEAD:refs/heads/{branch}")
    if proc.returncode != 0:
        return Published(
            "refused",
            branch,
            f"The branch {branch} changed while intake was updating it; intake left it "
            "unchanged. Edit the issue again to retry.",
        )
    return Published("pushed", branch, f"Pushed {branch}.")
