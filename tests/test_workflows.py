"""The GitHub workflows and generated files lint clean.

zizmor (offline, configuration and inline ignores disabled) must report no finding;
check-jsonschema validates the workflows and the committed issue forms against GitHub's
schemas (vendored in check-jsonschema, so no network); and the rules this project holds
itself to are checked directly: no ``${{ }}`` expression in a shell script, top-level
``permissions: {}`` with least privilege per job, every action pinned to a full commit SHA
with its version in a comment, no persisted checkout credentials, time limits, concurrency.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from coachdir.github.codeowners import check_codeowners
from coachdir.github.formfiles import check_forms
from coachdir.github.vocabulary import COACH_FORMS, FORM_LABELS, FORMS_DIR, RECORD_FORMS
from coachdir.programme import load_programme
from coachdir.schema import read_schema, schema_dir
from conftest import ROOT

WORKFLOW_DIR = ROOT / ".github" / "workflows"
WORKFLOWS = sorted(WORKFLOW_DIR.glob("*.yml"))
FORM_FILES = sorted((ROOT / FORMS_DIR).glob("*.yml"))
PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_./-]+)?@[0-9a-f]{40}$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)\s*(.*)$")
VERSION_COMMENT = re.compile(r"^# v\d+\.\d+\.\d+$")
#: not passed to the linters: no token (everything runs offline), no zizmor configuration
PRIVATE_ENV = ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_")

#: the permissions each job may have, no more
EXPECTED_PERMISSIONS = {
    ("ci.yml", "check"): {"contents": "read"},
    ("ci.yml", "verdict"): {"contents": "read"},
    ("intake.yml", "intake"): {
        "contents": "write",
        "pull-requests": "write",
        "issues": "write",
    },
    ("pages.yml", "build"): {"contents": "read"},
    ("pages.yml", "deploy"): {"pages": "write", "id-token": "write"},
    ("weekly.yml", "report"): {"contents": "read", "issues": "write"},
}


def tool(name: str) -> str:
    """A command installed with the test extras, from this interpreter's environment first."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed; run ./dev setup (it is in the test extras)")
    return found


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    on = workflow.get("on", workflow.get(True))  # PyYAML reads the key `on` as True
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict)
    return on


def steps(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (job_id, step) for job_id, job in workflow["jobs"].items() for step in job.get("steps", [])
    ]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(PRIVATE_ENV)},
            "NO_COLOR": "1",
        },
    )


def test_the_four_workflows_exist() -> None:
    assert [p.name for p in WORKFLOWS] == ["ci.yml", "intake.yml", "pages.yml", "weekly.yml"]


# --------------------------------------------------------------------------- external linters


def test_zizmor_reports_no_finding() -> None:
    zizmor = tool("zizmor")
    common = ["--offline", "--no-config", "--no-ignores", "--no-progress", "--color", "never"]
    plain = run(zizmor, *common, "--format", "plain", ".github/workflows/")
    assert plain.returncode == 0, plain.stdout + plain.stderr
    assert "No findings to report" in plain.stdout, plain.stdout
    as_json = run(zizmor, *common, "--format", "json", ".github/workflows/")
    assert as_json.returncode == 0, as_json.stdout + as_json.stderr
    assert json.loads(as_json.stdout) == []


def test_zizmor_pedantic_reports_no_finding() -> None:
    zizmor = tool("zizmor")
    result = run(
        zizmor,
        "--offline",
        "--no-config",
        "--no-ignores",
        "--no-progress",
        "--persona",
        "pedantic",
        "--format",
        "json",
        ".github/workflows/",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize(
    "schema", ["vendor.github-workflows", "custom.github-workflows-require-timeout"]
)
def test_workflows_match_github_schema(schema: str) -> None:
    result = run(tool("check-jsonschema"), "--builtin-schema", schema, *[str(p) for p in WORKFLOWS])
    assert result.returncode == 0, result.stdout + result.stderr


def test_committed_issue_forms_match_github_schema() -> None:
    # the directory repository holds the coach forms only: the record forms are the records
    # repository's
    assert [p.name for p in FORM_FILES] == sorted(f"{name}.yml" for name in COACH_FORMS)
    result = run(
        tool("check-jsonschema"),
        "--builtin-schema",
        "vendor.github-issue-forms",
        *[str(p) for p in FORM_FILES],
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_committed_forms_and_codeowners_are_current() -> None:
    programme, _, problems = load_programme(ROOT)
    assert problems == [] and programme is not None
    schema = read_schema(schema_dir(ROOT) / "coach.schema.json")
    assert check_forms(ROOT, programme, schema) == []
    assert check_codeowners(ROOT, programme) == []


# --------------------------------------------------------------------------- our own rules


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_expression_inside_run_scripts(path: Path) -> None:
    for job_id, step in steps(load(path)):
        if "run" in step:
            assert "${{" not in step["run"], f"{path.name}: {job_id}: {step.get('name')}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_run_scripts_are_valid_bash(path: Path) -> None:
    for job_id, step in steps(load(path)):
        if "run" in step:
            result = subprocess.run(
                ["bash", "-n"], input=step["run"], capture_output=True, text=True, check=False
            )
            assert result.returncode == 0, f"{path.name}: {job_id}: {result.stderr}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_are_empty_at_top_and_least_per_job(path: Path) -> None:
    workflow = load(path)
    assert workflow["permissions"] == {}
    for job_id, job in workflow["jobs"].items():
        assert job["permissions"] == EXPECTED_PERMISSIONS[(path.name, job_id)], job_id


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_triggers_are_safe(path: Path) -> None:
    on = triggers(load(path))
    assert "pull_request_target" not in on
    assert "workflow_run" not in on
    assert "pull_request_target" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path) -> None:
    seen = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        match = USES_LINE.match(line)
        if match is None:
            continue
        seen += 1
        target, comment = match.groups()
        assert PINNED.match(target), f"{path.name}: {line.strip()}"
        assert VERSION_COMMENT.match(comment), f"{path.name}: {line.strip()}"
    uses = [step["uses"] for _, step in steps(load(path)) if "uses" in step]
    assert seen == len(uses) > 0
    # One SHA per action across all workflows, so an upgrade cannot be half done.
    pins: dict[str, set[str]] = {}
    for other in WORKFLOWS:
        for _, step in steps(load(other)):
            if "uses" in step:
                action, sha = step["uses"].split("@")
                pins.setdefault(action, set()).add(sha)
    assert all(len(shas) == 1 for shas in pins.values()), pins


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkout_never_persists_credentials(path: Path) -> None:
    for job_id, step in steps(load(path)):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False, job_id


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_time_limits_and_concurrency(path: Path) -> None:
    workflow = load(path)
    assert "group" in workflow["concurrency"]
    for job_id, job in workflow["jobs"].items():
        assert 0 < job["timeout-minutes"] <= 30, job_id


def test_token_reaches_only_the_steps_that_call_gh() -> None:
    for path in WORKFLOWS:
        workflow = load(path)
        text = path.read_text(encoding="utf-8")
        assert "secrets." not in text, path.name
        for job_id, job in workflow["jobs"].items():
            assert "GH_TOKEN" not in job.get("env", {}), (path.name, job_id)
        for job_id, step in steps(workflow):
            if "GH_TOKEN" in step.get("env", {}):
                assert step["env"]["GH_TOKEN"] == "${{ github.token }}"
                assert "gh " in step["run"], (path.name, job_id, step.get("name"))


def test_ci_runs_every_check() -> None:
    workflow = load(WORKFLOW_DIR / "ci.yml")
    assert set(triggers(workflow)) == {"pull_request", "push"}
    checkout = workflow["jobs"]["check"]["steps"][0]
    assert checkout["with"]["fetch-depth"] == 0
    scripts = "\n".join(step.get("run", "") for step in workflow["jobs"]["check"]["steps"])
    for command in (
        "coachdir validate",
        "coachdir forms --check",
        "coachdir codeowners --check",
        "coachdir build",
        "./dev test",
    ):
        assert command in scripts, command
    assert "pr-check" not in scripts  # the pull request's own code never gives the verdict


def test_the_verdict_comes_from_the_base_revisions_code() -> None:
    """pr-check runs from a checkout of the base revision; the pull request is only data."""
    job = load(WORKFLOW_DIR / "ci.yml")["jobs"]["verdict"]
    assert job["if"] == "github.event_name == 'pull_request'"
    checkouts = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")]
    trusted, data = checkouts
    assert trusted["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    assert trusted["with"]["path"] == "trusted"
    assert "ref" not in data["with"] and data["with"]["path"] == "pr"
    assert data["with"]["fetch-depth"] == 0
    scripts = [s["run"] for s in job["steps"] if "run" in s]
    assert scripts[0] == "trusted/dev setup-runtime"
    pr_check = next(s for s in job["steps"] if "pr-check" in s.get("run", ""))
    assert pr_check["run"].startswith(
        'trusted/.venv/bin/coachdir pr-check --root pr --base "$BASE_SHA" --head "$HEAD_SHA"'
    )
    assert '--author "$AUTHOR" --format markdown >> "$GITHUB_STEP_SUMMARY"' in pr_check["run"]
    assert pr_check["env"] == {
        "BASE_SHA": "${{ github.event.pull_request.base.sha }}",
        "HEAD_SHA": "${{ github.event.pull_request.head.sha }}",
        "AUTHOR": "${{ github.event.pull_request.user.login }}",
    }
    # Nothing from the pull request's checkout is ever executed or installed.
    for script in scripts:
        for word in script.split():
            assert not word.startswith(("pr/", "./", ".venv/")), word


def test_intake_runs_only_for_our_forms_and_reads_the_body_from_env() -> None:
    workflow = load(WORKFLOW_DIR / "intake.yml")
    assert triggers(workflow) == {"issues": {"types": ["opened", "edited"]}}
    job = workflow["jobs"]["intake"]
    # the directory repository's intake reacts to the coach forms only
    for name in COACH_FORMS:
        assert f"contains(github.event.issue.labels.*.name, '{FORM_LABELS[name]}')" in job["if"]
    for name in RECORD_FORMS:
        assert FORM_LABELS[name] not in job["if"]
    read = next(step for _, step in steps(workflow) if step.get("id") == "read")
    assert read["env"] == {"ISSUE_BODY": "${{ github.event.issue.body }}"}
    assert "printf '%s' \"$ISSUE_BODY\" >" in read["run"]
    assert "coachdir intake --form" in read["run"]
    assert "for name in coach-registration profile-change; do" in read["run"]
    assert " ".join(COACH_FORMS) in " ".join(read["run"].replace("\\\n", " ").split())
    for name in RECORD_FORMS:
        assert name not in read["run"]


def test_pages_deploys_the_built_site() -> None:
    workflow = load(WORKFLOW_DIR / "pages.yml")
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert any(s.get("run") == "./dev build" for s in build["steps"])
    upload = build["steps"][-1]
    assert upload["uses"].startswith("actions/upload-pages-artifact@")
    assert upload["with"] == {"path": "site"}
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_weekly_is_scheduled_and_keeps_one_issue() -> None:
    workflow = load(WORKFLOW_DIR / "weekly.yml")
    assert set(triggers(workflow)) == {"schedule", "workflow_dispatch"}
    scripts = "\n".join(step.get("run", "") for _, step in steps(workflow))
    # The reminder logic lives in `coachdir reminders` (tested in test_cli), not in YAML.
    assert "coachdir reminders" in scripts
    assert "<<" not in scripts  # no inline script (heredoc)
    assert "gh issue edit" in scripts and "gh issue create" in scripts


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_install_only_from_the_lock(path: Path) -> None:
    """No `pip install .` or package name: every install goes through ./dev and the lock."""
    workflow = load(path)
    for job_id, step in steps(workflow):
        script = step.get("run", "")
        assert "pip install" not in script, (path.name, job_id, step.get("name"))
        assert "pipx" not in script and "uv tool" not in script, (path.name, job_id)
        if "coachdir " in script and "./dev" not in script:
            assert ".venv/bin/coachdir" in script, (path.name, job_id, step.get("name"))


def test_intake_pushes_only_through_intake_push() -> None:
    """No `git push --force` in the workflow: intake-push leases intake's own last commit."""
    workflow = load(WORKFLOW_DIR / "intake.yml")
    scripts = "\n".join(step.get("run", "") for _, step in steps(workflow))
    assert "git push" not in scripts
    assert "--force" not in scripts
    assert '.venv/bin/coachdir intake-push --issue "$ISSUE_NUMBER" --form "$FORM"' in scripts
