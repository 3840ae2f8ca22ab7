"""`coachdir init --records`: a whole private records repository (settings, record forms,
workflows, the pinned coachdir), whose workflows lint like this repository's own and whose CI,
run locally, validates; `coachdir forms --records`; intake-push by engagement id."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import coachdir.github.intakebranch as intakebranch
from coachdir.github.vocabulary import FORMS_DIR, RECORD_FORMS
from coachdir.layout import RECORDS, role_of
from coachdir.programme import load_programme
from coachdir.records.files import load_records
from coachdir.tools import initrepo
from conftest import ROOT, TODAY, run_cli
from test_workflows import (
    PINNED,
    PRIVATE_ENV,
    USES_LINE,
    VERSION_COMMENT,
    load,
    steps,
    tool,
    triggers,
)

#: the permissions each job of the records repository may have, no more
EXPECTED_PERMISSIONS = {
    ("ci.yml", "check"): {"contents": "read"},
    ("ci.yml", "verdict"): {"contents": "read"},
    ("intake.yml", "intake"): {
        "contents": "write",
        "pull-requests": "write",
        "issues": "write",
    },
    ("weekly.yml", "report"): {"contents": "read", "issues": "write"},
    ("quarterly.yml", "indicators"): {"contents": "read"},
}
#: where each secret may appear (workflow file -> secret names)
SECRETS = {
    "ci.yml": {"DIRECTORY_READ_TOKEN"},
    "intake.yml": {"DIRECTORY_READ_TOKEN", "COACHDIR_PSEUDONYM_KEY"},
    "weekly.yml": {"DIRECTORY_PUBLISH_TOKEN"},
    "quarterly.yml": {"DIRECTORY_PUBLISH_TOKEN"},
}


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A records repository written by the command line, from this checkout's programme."""
    base = tmp_path_factory.mktemp("made")
    result = run_cli("init", "--records", str(base / "rec"), "--root", str(ROOT), cwd=base)
    assert result.returncode == 0, result.stdout + result.stderr
    return base / "rec"


def workflows(repo: Path) -> list[Path]:
    return sorted((repo / ".github" / "workflows").glob("*.yml"))


def lint(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args),
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(PRIVATE_ENV)},
            "NO_COLOR": "1",
        },
    )


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


# --------------------------------------------------------------------------- what init writes


def test_init_records_writes_a_whole_records_repository(made: Path) -> None:
    assert listing(made) == sorted(
        [
            ".github/CODEOWNERS",
            *(f"{FORMS_DIR}/{name}.yml" for name in RECORD_FORMS),
            ".github/workflows/ci.yml",
            ".github/workflows/intake.yml",
            ".github/workflows/quarterly.yml",
            ".github/workflows/weekly.yml",
            ".gitignore",
            "README.md",
            "engagements/.gitkeep",
            "records.yml",
            initrepo.DEPENDENCIES_FILE,
            initrepo.PIN_FILE,
            "supervision/.gitkeep",
        ]
    )
    assert role_of(made) is RECORDS
    # every file it writes is in an area of the records layout
    for rel in listing(made):
        assert RECORDS.area_of(rel) is not None or rel in ("README.md", ".gitignore"), rel
    # the same pin and lock as a directory repository's
    assert (made / initrepo.DEPENDENCIES_FILE).read_bytes() == initrepo._dependencies()
    pin = (made / initrepo.PIN_FILE).read_text(encoding="utf-8")
    assert f"coachdir @ git+{initrepo.DEFAULT_SOURCE}@v" in pin
    # the directory checkout, the install and a site stay out of commits
    ignored = (made / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ignored == ["directory/", ".venv/", "site/"]


def test_init_records_needs_a_directory_and_writes_nothing_without(tmp_path: Path) -> None:
    result = run_cli("init", "--records", "rec", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "has no programme.yml" in result.stderr and "--directory" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
    bad = run_cli("init", "prog", "--directory", str(ROOT), cwd=tmp_path)
    assert bad.returncode == 2 and "--directory goes with --records" in bad.stderr


def test_the_install_step_is_exactly_the_directory_repositorys(made: Path) -> None:
    def installs(path: Path) -> list[str]:
        return [s["run"] for _, s in steps(load(path)) if "pip install" in s.get("run", "")]

    theirs, trusted = installs(initrepo._templates() / "workflows" / "ci.yml")  # check, verdict
    for path in workflows(made):
        expected = [theirs, trusted] if path.name == "ci.yml" else [theirs]
        assert installs(path) == expected, path.name


# --------------------------------------------------------------------------- workflow linters


def test_records_workflows_zizmor_reports_no_finding(made: Path) -> None:
    zizmor = tool("zizmor")
    common = ["--offline", "--no-config", "--no-ignores", "--no-progress", "--color", "never"]
    for persona in ("regular", "pedantic"):
        result = lint(
            made, zizmor, *common, "--persona", persona, "--format", "json", ".github/workflows/"
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert json.loads(result.stdout) == [], persona


@pytest.mark.parametrize(
    "schema", ["vendor.github-workflows", "custom.github-workflows-require-timeout"]
)
def test_records_workflows_match_github_schema(made: Path, schema: str) -> None:
    paths = [str(p) for p in workflows(made)]
    result = lint(made, tool("check-jsonschema"), "--builtin-schema", schema, *paths)
    assert result.returncode == 0, result.stdout + result.stderr


def test_record_forms_match_github_schema(made: Path) -> None:
    forms = [str(p) for p in sorted((made / FORMS_DIR).glob("*.yml"))]
    assert len(forms) == len(RECORD_FORMS)
    result = lint(
        made, tool("check-jsonschema"), "--builtin-schema", "vendor.github-issue-forms", *forms
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_records_workflows_follow_our_own_rules(made: Path) -> None:
    pins: dict[str, set[str]] = {}
    directory = sorted((initrepo._templates() / "workflows").glob("*.yml"))
    for path in [*workflows(made), *directory]:
        for _, step in steps(load(path)):
            if "uses" in step:
                action, sha = step["uses"].split("@")
                pins.setdefault(action, set()).add(sha)
    assert all(len(shas) == 1 for shas in pins.values()), pins  # one SHA per action
    for path in workflows(made):
        workflow, text = load(path), path.read_text(encoding="utf-8")
        assert workflow["permissions"] == {}
        assert "pull_request_target" not in text and "workflow_run" not in triggers(workflow)
        assert "group" in workflow["concurrency"]
        for job_id, job in workflow["jobs"].items():
            assert job["permissions"] == EXPECTED_PERMISSIONS[(path.name, job_id)], job_id
            assert 0 < job["timeout-minutes"] <= 30
        seen = 0
        for line in text.splitlines():
            match = USES_LINE.match(line)
            if match is not None:
                seen += 1
                assert PINNED.match(match.group(1)), line
                assert VERSION_COMMENT.match(match.group(2)), line
        assert seen == len([s for _, s in steps(workflow) if "uses" in s]) > 0
        for job_id, step in steps(workflow):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, job_id
            if "run" in step:
                assert "${{" not in step["run"], (path.name, step.get("name"))
                bash = subprocess.run(
                    ["bash", "-n"], input=step["run"], capture_output=True, text=True, check=False
                )
                assert bash.returncode == 0, (path.name, bash.stderr)
                assert "pip install" not in step["run"] or "requirements/" in step["run"]
        used = {
            word.split("}")[0].strip()
            for word in text.split("secrets.")[1:]
            if word.split("}")[0].strip().isidentifier()
        }
        assert used == SECRETS[path.name], path.name


def test_records_workflows_run_the_commands_of_their_job(made: Path) -> None:
    ci = load(made / ".github" / "workflows" / "ci.yml")
    assert set(triggers(ci)) == {"pull_request", "push"}
    verdict = ci["jobs"]["verdict"]
    assert verdict["if"] == "github.event_name == 'pull_request'"
    checkouts = [s for s in verdict["steps"] if s.get("uses", "").startswith("actions/checkout@")]
    trusted, data, directory = checkouts
    assert trusted["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    assert trusted["with"]["path"] == "trusted"
    assert "ref" not in data["with"] and data["with"]["path"] == "pr"
    assert data["with"]["fetch-depth"] == 0
    assert directory["with"]["path"] == "directory" and "ref" not in directory["with"]
    assert directory["with"]["repository"] == "${{ steps.settings.outputs.repository }}"
    settings = next(s for s in verdict["steps"] if s.get("id") == "settings")
    assert settings["run"].split("' ")[1].startswith("trusted/records.yml)")  # not the PR's
    pr_check = next(s for s in verdict["steps"] if "pr-check" in s.get("run", ""))
    assert pr_check["run"].startswith(
        "trusted/.venv/bin/coachdir pr-check --root directory --records pr "
        '--base "$BASE_SHA" \\\n  --head "$HEAD_SHA" --author "$AUTHOR" --format markdown'
    )
    assert pr_check["env"] == {
        "BASE_SHA": "${{ github.event.pull_request.base.sha }}",
        "HEAD_SHA": "${{ github.event.pull_request.head.sha }}",
        "AUTHOR": "${{ github.event.pull_request.user.login }}",
    }
    # Nothing from the pull request's checkout is ever executed, installed or read as settings.
    for script in [s["run"] for s in verdict["steps"] if "run" in s]:
        for word in script.split():
            assert not word.startswith(("pr/", "./", ".venv/", "records.yml")), word
    intake = load(made / ".github" / "workflows" / "intake.yml")
    job = intake["jobs"]["intake"]
    for name in RECORD_FORMS:
        assert f"contains(github.event.issue.labels.*.name, '{name}')" in job["if"]
    scripts = "\n".join(s.get("run", "") for _, s in steps(intake))
    assert "coachdir intake --root directory --records . --form" in scripts
    assert '.venv/bin/coachdir intake-push --root . --issue "$ISSUE_NUMBER"' in scripts
    assert "git push" not in scripts and "--force" not in scripts
    assert "$ISSUE_AUTHOR" not in scripts.split("gh pr create")[1]  # title/body: no login
    read = next(s for _, s in steps(intake) if s.get("id") == "read")
    assert read["env"]["COACHDIR_PSEUDONYM_KEY"] == "${{ secrets.COACHDIR_PSEUDONYM_KEY }}"
    weekly = load(made / ".github" / "workflows" / "weekly.yml")
    assert set(triggers(weekly)) == {"schedule", "workflow_dispatch"}
    scripts = "\n".join(s.get("run", "") for _, s in steps(weekly))
    assert ".venv/bin/coachdir reminders --root directory --records ." in scripts
    assert (
        ".venv/bin/coachdir availability --root directory --records . "
        "--out directory/availability.json" in scripts
    )
    assert "gh pr create" in scripts and "git add -- availability.json" in scripts
    # its own branch in the directory repository, replaced only with a lease on its own commit
    assert "--force-with-lease=" in scripts and "--force " not in scripts
    quarterly = load(made / ".github" / "workflows" / "quarterly.yml")
    assert set(triggers(quarterly)) == {"schedule", "workflow_dispatch"}
    job = quarterly["jobs"]["indicators"]
    scripts = "\n".join(s.get("run", "") for _, s in steps(quarterly))
    assert (
        ".venv/bin/coachdir indicators --root directory --records . --out directory/indicators "
        '\\\n    --release "$release"' in scripts
    )
    assert "gh pr create" in scripts and 'git add -- "${files[@]}"' in scripts
    assert "--force-with-lease=" in scripts and "--force " not in scripts
    assert job["env"]["INDICATORS_BRANCH"] == "coachdir/indicators"
    # nothing is installed or computed when no release is due
    due = next(s for s in job["steps"] if s.get("id") == "due")
    after = job["steps"][job["steps"].index(due) + 1 :]
    assert after and all(s["if"] == "steps.due.outputs.releases != ''" for s in after)


# --------------------------------------------------------------------------- forms --records


def test_forms_records_checks_and_rewrites_only_the_record_forms(
    made: Path, tmp_path: Path
) -> None:
    rec = tmp_path / "rec"
    shutil.copytree(made, rec)
    args = ("forms", "--root", str(ROOT), "--records", str(rec))
    assert run_cli(*args, "--check", cwd=tmp_path).returncode == 0
    stale = rec / FORMS_DIR / "session-log.yml"
    stale.write_text(stale.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    checked = run_cli(*args, "--check", cwd=tmp_path)
    assert checked.returncode == 1 and "session-log.yml is out of date" in checked.stderr
    assert run_cli(*args, cwd=tmp_path).returncode == 0
    assert run_cli(*args, "--check", cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in (rec / FORMS_DIR).iterdir()) == sorted(
        f"{n}.yml" for n in RECORD_FORMS
    )
    # without --records, a records repository is told how to run it
    told = run_cli("forms", "--root", str(rec), cwd=tmp_path)
    assert told.returncode == 1 and "--records ." in told.stderr
    assert "Traceback" not in told.stderr
    # --records must be a records repository
    wrong = run_cli("forms", "--root", str(ROOT), "--records", str(tmp_path), cwd=tmp_path)
    assert wrong.returncode == 2 and "has no records.yml" in wrong.stderr


# --------------------------------------------------------------------------- load_records


def _load(folder: Path) -> list[str]:
    programme, _, _ = load_programme(ROOT)
    assert programme is not None
    coach_ids = sorted(p.stem for p in (ROOT / "coaches").glob("*.yml"))
    records = load_records(folder, folder.parent, programme, coach_ids)
    return [f"{p.path}:{p.line}:{p.col}: {p.rule}: {p.message}" for p in records.problems]


def test_a_whole_records_repository_is_a_records_folder(made: Path, tmp_path: Path) -> None:
    rec = tmp_path / "rec"
    shutil.copytree(made, rec)
    # as init wrote it: only the placeholder repository address, a warning to replace it
    assert _load(rec) == [
        "rec/records.yml:4:23: records.placeholder: directory_repository: is still the "
        "placeholder OWNER/NAME"
    ]
    settings = rec / "records.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("OWNER/NAME", "my-ministry/coaching"), encoding="utf-8")
    assert _load(rec) == []
    (rec / "notes.txt").write_text("x\n", encoding="utf-8")
    (rec / "src").mkdir()
    problems = _load(rec)
    assert [p.split(": ")[0] for p in problems] == ["rec/notes.txt:1:1", "rec/src/:1:1"]


def test_records_yml_is_checked_with_its_position(made: Path, tmp_path: Path) -> None:
    rec = tmp_path / "rec"
    shutil.copytree(made, rec)
    settings = rec / "records.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace("OWNER/NAME", "not a repository") + "extra: 1\n", encoding="utf-8"
    )
    problems = _load(rec)
    assert [p.split(": ")[:2] for p in problems] == [
        ["rec/records.yml:4:23", "schema.pattern"],
        ["rec/records.yml:5:1", "schema.additionalProperties"],
    ]
    assert all("not a repository" not in p for p in problems)  # never echoed
    settings.write_text("schema_version: 1\nschema_version: 1\n", encoding="utf-8")
    assert any(p.startswith("rec/records.yml:2:") for p in _load(rec))


# --------------------------------------------------------------------------- intake-push


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture
def records_remote(tmp_path: Path, made: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{name}_NAME", "bot")
        monkeypatch.setenv(f"GIT_{name}_EMAIL", "bot@example.org")
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    seed = tmp_path / "seed"
    git(tmp_path, "clone", "-q", str(bare), str(seed))
    shutil.copytree(made, seed, dirs_exist_ok=True)
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "start")
    git(seed, "push", "-q", "origin", "HEAD:main")
    return bare


def test_intake_push_names_a_record_by_its_engagement_id_only(
    tmp_path: Path, records_remote: Path
) -> None:
    clone = tmp_path / "runner"
    git(tmp_path, "clone", "-q", str(records_remote), str(clone))
    engagement = ROOT / "records" / "engagements"
    first = sorted(engagement.glob("*.yml"))[0]
    shutil.copy(first, clone / "engagements" / first.name)
    out = tmp_path / "out.txt"
    result = run_cli(
        "intake-push", "--root", str(clone), "--issue", "12", "--form", "session-log",
        "--outcome-file", str(out), cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    branch = intakebranch.record_branch_name(first.stem)
    assert branch == f"intake/{first.stem}"
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines == [
        "outcome=pushed",
        f"branch={branch}",
        f"title=Record {first.stem}: session logged",
    ]
    message = git(records_remote, "log", "-1", "--format=%B", f"refs/heads/{branch}")
    assert message.strip().splitlines() == [
        f"Record {first.stem}: session logged",
        "",
        f"Coachdir-Intake: {first.stem} issue-12",
    ]
    files = git(records_remote, "show", "--name-only", "--format=", f"refs/heads/{branch}")
    assert files.split() == [f"engagements/{first.name}"]
    # an edit replaces intake's own commit; nothing changed pushes nothing
    again = tmp_path / "again"
    git(tmp_path, "clone", "-q", str(records_remote), str(again))
    (again / "engagements" / first.name).write_text(
        first.read_text(encoding="utf-8") + "# again\n", encoding="utf-8"
    )
    assert intakebranch.publish_record(again, "session-log", 12).outcome == "pushed"
    log = git(records_remote, "log", "--format=%s", f"refs/heads/{branch}").splitlines()
    assert log == [f"Record {first.stem}: session logged", "start"]
    assert intakebranch.publish_record(again, "session-log", 12).outcome == "unchanged"


def test_intake_push_refuses_a_team_branch_and_two_engagements(
    tmp_path: Path, records_remote: Path
) -> None:
    clone = tmp_path / "runner"
    git(tmp_path, "clone", "-q", str(records_remote), str(clone))
    a, b = sorted((ROOT / "records" / "engagements").glob("*.yml"))[:2]
    shutil.copy(a, clone / "engagements" / a.name)
    shutil.copy(b, clone / "engagements" / b.name)
    done = intakebranch.publish_record(clone, "coaching-request", 4)
    assert done.outcome == "refused" and "one record file at a time" in done.message
    (clone / "engagements" / b.name).unlink()
    git(clone, "switch", "-q", "-c", intakebranch.record_branch_name(a.stem))
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "team: by hand")
    git(clone, "push", "-q", "origin", "HEAD")
    fresh = tmp_path / "fresh"
    git(tmp_path, "clone", "-q", str(records_remote), str(fresh))
    shutil.copy(a, fresh / "engagements" / a.name)
    done = intakebranch.publish_record(fresh, "end-of-association", 4)
    assert done.outcome == "refused" and "intake did not make" in done.message
    assert git(
        records_remote, "log", "-1", "--format=%s", intakebranch.record_branch_name(a.stem)
    ) == ("team: by hand\n")


def test_two_issues_that_took_the_same_id_never_replace_each_other(
    tmp_path: Path, records_remote: Path
) -> None:
    """Two requests filed before either is merged both take the next free id: the second
    issue's intake refuses rather than replacing the first one's commit."""
    a = sorted((ROOT / "records" / "engagements").glob("*.yml"))[0]
    first, second = tmp_path / "first", tmp_path / "second"
    for clone in (first, second):
        git(tmp_path, "clone", "-q", str(records_remote), str(clone))
        shutil.copy(a, clone / "engagements" / a.name)
    assert intakebranch.publish_record(first, "coaching-request", 5).outcome == "pushed"
    done = intakebranch.publish_record(second, "coaching-request", 6)
    assert done.outcome == "refused"
    branch = intakebranch.record_branch_name(a.stem)
    body = git(records_remote, "log", "-1", "--format=%B", f"refs/heads/{branch}")
    assert intakebranch.record_trailer(a.stem, 5) in body.splitlines()


def test_coach_forms_keep_their_issue_branch(tmp_path: Path, records_remote: Path) -> None:
    from coachdir.github.intakebranch import branch_name, publish

    clone = tmp_path / "runner"
    git(tmp_path, "clone", "-q", str(records_remote), str(clone))
    (clone / "coaches").mkdir()
    (clone / "coaches" / "a.yml").write_text("name: A\n", encoding="utf-8")
    done = publish(clone, 3, "coach-registration from #3", ["coaches/"])
    assert (done.outcome, done.branch, done.title) == ("pushed", branch_name(3), "")


# --------------------------------------------------------------------------- its own CI, locally


def _ci_commands(records: Path) -> list[str]:
    job = load(records / ".github" / "workflows" / "ci.yml")["jobs"]["check"]
    return [
        str(s["run"])
        for s in job["steps"]
        if "run" in s and "pip install" not in s["run"] and "GITHUB_OUTPUT" not in s["run"]
    ]


def _run_ci(records: Path) -> list[subprocess.CompletedProcess[str]]:
    """Each `run:` of the validate job but the install, in a shell, as the runner would."""
    venv = records / ".venv"
    venv.mkdir()
    (venv / "bin").symlink_to(Path(sys.executable).parent)
    env = {**os.environ, "COACHDIR_TODAY": TODAY, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    out = []
    for script in _ci_commands(records):
        out.append(
            subprocess.run(
                ["bash", "-e", "-c", script],
                cwd=records,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
        )
    return out


@pytest.fixture
def pair(tmp_path: Path) -> Path:
    """`coachdir init` and `coachdir init --records`, the directory checked out as directory/
    inside the records repository, as the CI workflow does."""
    made = run_cli("init", "directory", "--sample-coaches", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    made = run_cli("init", "--records", "records", "--directory", "directory", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    shutil.move(tmp_path / "directory", tmp_path / "records" / "directory")
    return tmp_path / "records"


def test_its_own_ci_run_locally_validates(pair: Path) -> None:
    assert _ci_commands(pair) == [
        ".venv/bin/coachdir validate --root directory --records .",
        ".venv/bin/coachdir forms --root directory --records . --check",
    ]
    for result in _run_ci(pair):
        assert result.returncode == 0, result.stdout + result.stderr


def _demo_engagement() -> tuple[str, str]:
    for path in sorted((ROOT / "records" / "engagements").glob("*.yml")):
        data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data["history"][-1]["state"] == "expired":  # never accepted: no standing rule
            return path.name, path.read_text(encoding="utf-8")
    raise AssertionError("no expired demo request")


def test_its_own_ci_validates_a_demo_engagement_and_refuses_a_broken_one(pair: Path) -> None:
    name, text = _demo_engagement()
    (pair / "engagements" / name).write_text(text, encoding="utf-8")
    for result in _run_ci(pair):
        assert result.returncode == 0, result.stdout + result.stderr
    shutil.rmtree(pair / ".venv")
    broken = text.replace(f'id: "{name[:-4]}"', 'id: "1999-0001"')
    assert broken != text
    (pair / "engagements" / name).write_text(broken, encoding="utf-8")
    validate, forms = _run_ci(pair)
    assert validate.returncode == 1, validate.stdout + validate.stderr
    assert "Traceback" not in validate.stderr
    line = next(n for n, t in enumerate(broken.splitlines(), 1) if t.startswith("id:"))
    assert f"engagements/{name}:{line}:5: error: id: does not match the file name" in (
        validate.stdout
    ), validate.stdout
    assert "1999-0001" not in validate.stdout
    assert forms.returncode == 0


def test_intake_writes_into_the_records_repository_around_the_directory(pair: Path) -> None:
    """As the records intake workflow runs it: --root directory --records . (the records
    folder is not inside the root, so the change lands in the records repository)."""
    from test_records_intake import ENV, _request

    body = pair.parent / "body.md"
    body.write_text(_request(), encoding="utf-8")
    result = run_cli(
        "intake", "--root", "directory", "--records", ".", "--form", "coaching-request",
        "--body", str(body), "--author", "Some-One", "--comment", str(pair.parent / "c.md"),
        cwd=pair, env=ENV,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert [p.name for p in (pair / "engagements").glob("*.yml")] == [f"{TODAY[:4]}-0001.yml"]
    assert not (pair / "directory" / "engagements").exists()
    for ran in _run_ci(pair):
        assert ran.returncode == 0, ran.stdout + ran.stderr


def test_intake_in_a_records_repository_writes_a_modeline_that_resolves(pair: Path) -> None:
    """The modeline of a new engagement points at the schema where it really is: the
    directory repository checked out as directory/ beside engagements/."""
    from test_records_intake import ENV, _request

    body = pair.parent / "body.md"
    body.write_text(_request(), encoding="utf-8")
    result = run_cli(
        "intake", "--root", "directory", "--records", ".", "--form", "coaching-request",
        "--body", str(body), "--author", "Some-One", "--comment", str(pair.parent / "c.md"),
        cwd=pair, env=ENV,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    (new,) = (pair / "engagements").glob("*.yml")
    first = new.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../directory/schemas/engagement.schema.json"
    schema = new.parent / first.split("$schema=")[1]
    assert schema.is_file()
    assert schema.resolve() == (pair / "directory" / "schemas" / "engagement.schema.json").resolve()


def _broken_demo_engagement(records: Path) -> tuple[str, int]:
    name, text = _demo_engagement()
    broken = text.replace(f'id: "{name[:-4]}"', 'id: "1999-0001"')
    (records / "engagements" / name).write_text(broken, encoding="utf-8")
    line = next(n for n, t in enumerate(broken.splitlines(), 1) if t.startswith("id:"))
    return name, line


def test_github_annotations_name_repository_relative_paths(pair: Path) -> None:
    """--records . (the records repository's CI): annotations name engagements/..., never
    ./engagements/..., so GitHub places them on the pull request's files."""
    name, line = _broken_demo_engagement(pair)
    result = run_cli(
        "validate", "--root", "directory", "--records", ".", "--format", "github", cwd=pair
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"::error file=engagements/{name},line={line},col=5," in result.stdout, result.stdout
    assert "file=./" not in result.stdout
    text = run_cli("validate", "--root", "directory", "--records", ".", cwd=pair)
    assert f"\nengagements/{name}:{line}:5: error: id:" in "\n" + text.stdout, text.stdout
    # a records folder outside the root but inside the current folder: relative, normalised
    beside = run_cli(
        "validate", "--root", "records/directory", "--records", "./records/", cwd=pair.parent
    )
    assert f"\nrecords/engagements/{name}:{line}:5: error:" in "\n" + beside.stdout
    # outside the current folder: absolute
    elsewhere = pair / "directory" / "coaches"
    away = run_cli("validate", "--root", "..", "--records", "../..", cwd=elsewhere)
    where = pair.resolve().as_posix()
    assert f"\n{where}/engagements/{name}:{line}:5: error:" in "\n" + away.stdout, away.stdout


def _quarterly_steps(records: Path) -> dict[str, str]:
    job = load(records / ".github" / "workflows" / "quarterly.yml")["jobs"]["indicators"]
    return {str(s.get("id") or s["name"]): str(s["run"]) for s in job["steps"] if "run" in s}


def _run_step(records: Path, script: str, **env: str) -> tuple[str, dict[str, str]]:
    """One `run:` of the quarterly job in bash, as the runner would (and with pipefail, as
    `shell: bash` would): its stdout and outputs."""
    output = records.parent / "github-output.txt"
    output.write_text("", encoding="utf-8")
    full = {**os.environ, "COACHDIR_TODAY": TODAY, "NO_COLOR": "1", "GITHUB_OUTPUT": str(output)}
    full.pop("GITHUB_ACTIONS", None)
    done = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=records,
        env={**full, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = output.read_text(encoding="utf-8").splitlines()
    return done.stdout, dict(line.split("=", 1) for line in lines)


@pytest.mark.parametrize(
    ("today", "published", "due"),
    [
        ("2026-11-22", [], "2026-Q3"),  # nothing published yet: the last complete quarter only
        ("2026-10-01", [], "2026-Q3"),
        ("2026-09-30", [], "2026-Q2"),
        ("2027-01-05", [], "2026-Q4 2026"),  # after Q4, its year too
        ("2026-11-22", ["2026-Q3"], ""),  # already in the directory: nothing to do
        ("2027-02-01", ["2026-Q1", "2026-Q2"], "2026-Q3 2026-Q4 2026"),  # one left unmerged
        ("2027-03-01", ["2026-Q3", "2026-Q4"], "2026"),
        ("2027-08-09", ["2026-Q4", "2026"], "2027-Q1 2027-Q2"),
    ],
)
def test_quarterly_job_finds_the_releases_due(
    made: Path, tmp_path: Path, today: str, published: list[str], due: str
) -> None:
    rec = tmp_path / "rec"
    (rec / "directory").mkdir(parents=True)
    if published:  # a directory repository with no release yet has no indicators/ folder
        (rec / "directory" / "indicators").mkdir()
    for release in published:
        (rec / "directory" / "indicators" / f"{release}.json").write_text("{}", encoding="utf-8")
    script = _quarterly_steps(made)["due"]
    _, outputs = _run_step(rec, script, COACHDIR_TODAY=today)
    assert outputs == {"releases": due}


def test_quarterly_job_run_locally_publishes_the_demo_release(pair: Path) -> None:
    """The due and compute steps, run as the runner would on the demo records with the
    releases before 2026-Q3 published: 2026-Q3 comes out byte for byte as shipped."""
    for name in ("engagements", "supervision"):
        shutil.copytree(ROOT / "records" / name, pair / name, dirs_exist_ok=True)
    shutil.copy(ROOT / "records" / "coach-units.yml", pair / "coach-units.yml")
    published = pair / "directory" / "indicators"
    published.mkdir()
    for path in sorted((ROOT / "indicators").iterdir()):
        if not path.name.startswith("2026-Q3"):
            shutil.copy(path, published / path.name)
    (pair / ".venv").mkdir()
    (pair / ".venv" / "bin").symlink_to(Path(sys.executable).parent)
    scripts = _quarterly_steps(pair)
    _, outputs = _run_step(pair, scripts["due"])
    assert outputs == {"releases": "2026-Q3"}
    _run_step(pair, scripts["Compute the indicators"], RELEASES=outputs["releases"])
    for suffix in (".json", ".csv"):
        written = (published / f"2026-Q3{suffix}").read_bytes()
        assert written == (ROOT / "indicators" / f"2026-Q3{suffix}").read_bytes()
    _, again = _run_step(pair, scripts["due"])
    assert again == {"releases": ""}


def test_quarterly_job_pull_request_keeps_to_its_own_branch(
    made: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The push step against a local directory remote (a fake gh logs its calls): one commit
    with the release files only, nothing when up to date, and a branch with someone else's
    commit on it is left alone."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{name}_NAME", "bot")
        monkeypatch.setenv(f"GIT_{name}_EMAIL", "bot@example.org")
    bare = tmp_path / "directory.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    seed = tmp_path / "seed"
    git(tmp_path, "clone", "-q", str(bare), str(seed))
    (seed / "indicators").mkdir()
    shutil.copy(ROOT / "indicators" / "2026-Q2.json", seed / "indicators" / "2026-Q2.json")
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "start")
    git(seed, "push", "-q", "origin", "HEAD:main")
    fake = tmp_path / "bin"
    fake.mkdir()
    calls = tmp_path / "gh.log"
    (fake / "gh").write_text(f'#!/bin/sh\necho "$*" >> "{calls}"\n', encoding="utf-8")
    (fake / "gh").chmod(0o755)
    step = _quarterly_steps(made)[
        "Open or update the indicators pull request in the directory repository"
    ]
    env = {
        "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}",
        "RELEASES": "2026-Q3",
        "INDICATORS_BRANCH": "coachdir/indicators",
    }

    def run_job(name: str) -> str:
        rec = tmp_path / name
        rec.mkdir()
        git(tmp_path, "clone", "-q", str(bare), str(rec / "directory"))
        for suffix in (".json", ".csv"):
            source = ROOT / "indicators" / f"2026-Q3{suffix}"
            shutil.copy(source, rec / "directory" / "indicators" / source.name)
        (rec / "directory" / "notes.txt").write_text("not ours\n", encoding="utf-8")
        out, _ = _run_step(rec, step, **env)
        return out

    run_job("first")
    branch = "refs/heads/coachdir/indicators"
    assert git(bare, "log", "--format=%s", branch).splitlines() == [
        "Indicators: release 2026-Q3",
        "start",
    ]
    files = git(bare, "show", "--name-only", "--format=", branch).split()
    assert files == ["indicators/2026-Q3.csv", "indicators/2026-Q3.json"]
    logged = calls.read_text(encoding="utf-8")
    assert "pr create --base main --head coachdir/indicators" in logged
    tip = git(bare, "rev-parse", branch)
    assert "up to date" in run_job("again")
    assert git(bare, "rev-parse", branch) == tip
    # someone else's commit on the branch: left unchanged
    team = tmp_path / "team"
    git(tmp_path, "clone", "-q", "-b", "coachdir/indicators", str(bare), str(team))
    (team / "indicators" / "2026-Q3.csv").write_text("edited\n", encoding="utf-8")
    git(team, "commit", "-q", "-am", "team: a note")
    git(team, "push", "-q", "origin", "HEAD")
    assert "did not make" in run_job("third")
    assert git(bare, "log", "-1", "--format=%s", branch) == "team: a note\n"
