"""`coachdir init`: a programme's own repository (data and pinned workflows, no code), the
records skeleton, never overwriting; `coachdir demo` writes through the same writer; a missing
mkdocs.yml has its own message.

The end-to-end tests run the *installed* package: a wheel built from this checkout, installed
into a folder of its own, run from a temporary folder, so nothing of the checkout is read.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from coachdir.github.vocabulary import COACH_FORMS
from coachdir.programme import SAMPLE_MARKER
from coachdir.tools import initrepo
from coachdir.tools.demo import generate
from conftest import ROOT, TODAY, copy_programme, run_cli
from test_workflows import (
    EXPECTED_PERMISSIONS,
    PINNED,
    USES_LINE,
    VERSION_COMMENT,
    WORKFLOW_DIR,
    load,
    run,
    steps,
    tool,
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding coachdir installed from a wheel of this checkout (no editable link)."""
    base = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", base, ROOT],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = base.glob("coachdir-*.whl")
    target = base / "site-packages"
    subprocess.run(
        [*pip, "install", "--no-deps", "--no-index", "--target", target, wheel],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return target


def coachdir(installed: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed coachdir (never this checkout's src/) in ``cwd``."""
    env = {**os.environ, "PYTHONPATH": str(installed), "COACHDIR_TODAY": TODAY, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [sys.executable, "-m", "coachdir", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def listing(folder: Path) -> dict[str, str]:
    """Every path under ``folder`` with the sha256 of its content ('dir' for folders)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        out[rel] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def test_the_installed_package_is_the_wheel(installed: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import coachdir; print(coachdir.__file__)"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(installed)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(result.stdout.strip()).is_relative_to(installed)
    assert (installed / "coachdir" / "sample" / "mkdocs.yml").is_file()
    assert (installed / "coachdir" / "sample" / "requirements" / "runtime.txt").is_file()


@pytest.mark.parametrize("sample", [False, True], ids=["empty", "sample-coaches"])
def test_init_then_validate_build_and_forms_check_pass(
    installed: Path, tmp_path: Path, sample: bool
) -> None:
    flags = ["--sample-coaches"] if sample else []
    made = coachdir(installed, "init", "prog", *flags, cwd=tmp_path)
    assert made.returncode == 0, made.stdout + made.stderr
    prog = tmp_path / "prog"
    for rel in (
        "programme.yml",
        "mkdocs.yml",
        "schemas/coach.schema.json",
        "schemas/programme.schema.json",
        "content/fr/charter.md",
        "content/en/index.md",
        ".github/CODEOWNERS",
        ".github/ISSUE_TEMPLATE/coach-registration.yml",
        ".github/workflows/ci.yml",
        "requirements/dependencies.txt",
        "requirements/coachdir.txt",
        "README.md",
    ):
        assert (prog / rel).is_file(), rel
    assert not (prog / "src").exists() and not (prog / "dev").exists()
    profiles = sorted(p.name for p in (prog / "coaches").glob("*.yml"))
    assert profiles == (sorted(p.name for p in (ROOT / "coaches").glob("*.yml")) if sample else [])
    for args in (["validate"], ["forms", "--check"], ["codeowners", "--check"], ["build"]):
        result = coachdir(installed, *args, cwd=prog)
        assert result.returncode == 0, (args, result.stdout + result.stderr)
    assert (prog / "site" / "fr" / "index.html").is_file()


def test_second_init_refuses_and_changes_nothing(tmp_path: Path) -> None:
    assert run_cli("init", "prog", cwd=tmp_path).returncode == 0
    before = listing(tmp_path)
    for args in (["init", "prog"], ["init", "--records", "prog"], ["init", "prog/"]):
        again = run_cli(*args, cwd=tmp_path)
        assert again.returncode == 2, again.stdout + again.stderr
        assert "prog is not empty" in again.stderr
        assert "Traceback" not in again.stderr
    assert listing(tmp_path) == before


def test_non_empty_folder_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("mine\n", encoding="utf-8")
    before = listing(tmp_path)
    result = run_cli("init", str(target), cwd=tmp_path)
    assert result.returncode == 2
    assert f"{target} is not empty" in result.stderr
    assert listing(tmp_path) == before
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = run_cli("init", "--records", "file", cwd=tmp_path)
    assert result.returncode == 2 and "is not a folder" in result.stderr


def test_an_empty_folder_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert run_cli("init", "empty", cwd=tmp_path).returncode == 0
    assert (tmp_path / "empty" / "programme.yml").is_file()


def test_a_file_is_never_replaced_even_in_a_race(tmp_path: Path) -> None:
    writer = initrepo.ProgrammeWriter(tmp_path)
    (tmp_path / "programme.yml").write_text("mine\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        writer.file("programme.yml", b"theirs\n")
    assert (tmp_path / "programme.yml").read_text(encoding="utf-8") == "mine\n"
    writer.undo()  # it created nothing, so it removes nothing
    assert (tmp_path / "programme.yml").read_text(encoding="utf-8") == "mine\n"


def test_a_failure_removes_only_what_this_run_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import coachdir.github.codeowners

    def broken(_programme: Any) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(coachdir.github.codeowners, "generate_codeowners", broken)
    (tmp_path / "keep.txt").write_text("keep\n", encoding="utf-8")
    with pytest.raises(OSError, match="No space"):
        initrepo.init_programme(tmp_path / "a" / "b" / "prog")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(OSError, match="No space"):
        initrepo.init_programme(tmp_path / "empty")
    assert list((tmp_path / "empty").iterdir()) == []  # the folder was not ours: it stays


def test_records_repository(tmp_path: Path) -> None:
    # init --records now writes a whole records repository (tests/test_init_records.py checks
    # it in detail); its record forms come from the directory repository (--root here)
    result = run_cli("init", "--records", "records", "--root", str(ROOT), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    files = listing(tmp_path / "records")
    assert sorted(k for k, v in files.items() if v != "dir") == [
        ".github/CODEOWNERS",
        ".github/ISSUE_TEMPLATE/client-feedback.yml",
        ".github/ISSUE_TEMPLATE/coaching-request.yml",
        ".github/ISSUE_TEMPLATE/end-of-association.yml",
        ".github/ISSUE_TEMPLATE/group-join.yml",
        ".github/ISSUE_TEMPLATE/session-log.yml",
        ".github/workflows/ci.yml",
        ".github/workflows/intake.yml",
        ".github/workflows/quarterly.yml",
        ".github/workflows/weekly.yml",
        ".gitignore",
        "README.md",
        "engagements/.gitkeep",
        "records.yml",
        "requirements/coachdir.txt",
        "requirements/dependencies.txt",
        "supervision/.gitkeep",
    ]
    settings = yaml.safe_load((tmp_path / "records" / "records.yml").read_text(encoding="utf-8"))
    assert settings == {"schema_version": 1, "directory_repository": "OWNER/NAME"}
    readme = (tmp_path / "records" / "README.md").read_text(encoding="utf-8")
    assert "private records repository" in readme and "@VERSION@" not in readme
    refused = run_cli("init", "--records", "records", "--sample-coaches", cwd=tmp_path)
    assert refused.returncode == 2
    # `coachdir forms` tells a records repository apart and says how to write its forms
    forms = run_cli("forms", "--root", "records", cwd=tmp_path)
    assert forms.returncode == 1, forms.stdout + forms.stderr
    assert "records.yml:1:1: error: this is a records repository" in forms.stderr
    assert "Traceback" not in forms.stderr


def test_the_pin_and_the_locked_dependencies(tmp_path: Path) -> None:
    source, ref = "https://git.example.gouv/tools/coachdir.git", "0123456789abcdef" * 2 + "01234567"
    initrepo.init_programme(tmp_path / "p", coachdir_source=source, coachdir_ref=ref)
    pin = (tmp_path / "p" / initrepo.PIN_FILE).read_text(encoding="utf-8")
    assert [line for line in pin.splitlines() if not line.startswith("#")] == [
        f"coachdir @ git+{source}@{ref}"
    ]
    deps = (tmp_path / "p" / initrepo.DEPENDENCIES_FILE).read_text(encoding="utf-8")
    lock = (ROOT / "requirements" / "runtime.txt").read_text(encoding="utf-8")
    body = [line for line in lock.splitlines() if not line.startswith("#")]
    assert [line for line in deps.splitlines() if not line.startswith("#")] == body
    assert "hatchling==" in deps  # coachdir is built from git with --no-build-isolation
    default = tmp_path / "d"
    initrepo.init_programme(default)
    text = (default / initrepo.PIN_FILE).read_text(encoding="utf-8")
    assert f"coachdir @ git+{initrepo.DEFAULT_SOURCE}@v" in text


@pytest.mark.parametrize(
    "args", [["--coachdir-source", "not a url; rm -rf ~"], ["--coachdir-ref", "v1 --evil"]]
)
def test_a_bad_pin_is_refused_without_echoing_it(tmp_path: Path, args: list[str]) -> None:
    result = run_cli("init", "prog", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert args[1] not in result.stderr and "rm -rf" not in result.stderr
    assert not (tmp_path / "prog").exists()


# --------------------------------------------------------------------------- workflows


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    prog = tmp_path_factory.mktemp("init") / "prog"
    initrepo.init_programme(prog)
    return prog / ".github" / "workflows"


def test_generated_workflows_pass_zizmor(generated: Path) -> None:
    common = ["--offline", "--no-config", "--no-ignores", "--no-progress", "--color", "never"]
    for persona in ("regular", "pedantic"):
        result = run(tool("zizmor"), *common, "--persona", persona, "--format", "json", generated)
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.strip() == "[]", result.stdout


@pytest.mark.parametrize(
    "schema", ["vendor.github-workflows", "custom.github-workflows-require-timeout"]
)
def test_generated_workflows_match_github_schema(generated: Path, schema: str) -> None:
    paths = [str(p) for p in sorted(generated.glob("*.yml"))]
    result = run(tool("check-jsonschema"), "--builtin-schema", schema, *paths)
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_forms_match_github_schema(generated: Path) -> None:
    forms = sorted((generated.parent / "ISSUE_TEMPLATE").glob("*.yml"))
    # a directory repository gets the coach forms only, never the record forms
    assert [p.stem for p in forms] == sorted(COACH_FORMS)
    result = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-issue-forms", *forms)
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_workflows_follow_our_rules(generated: Path) -> None:
    assert sorted(p.name for p in generated.iterdir()) == list(initrepo.WORKFLOWS)
    for path in sorted(generated.glob("*.yml")):
        workflow = load(path)
        assert workflow["permissions"] == {}
        for job_id, job in workflow["jobs"].items():
            assert job["permissions"] == EXPECTED_PERMISSIONS[(path.name, job_id)]
            assert 0 < job["timeout-minutes"] <= 30
        for line in path.read_text(encoding="utf-8").splitlines():
            match = USES_LINE.match(line)
            if match:
                assert PINNED.match(match[1]) and VERSION_COMMENT.match(match[2]), line
        for job_id, step in steps(workflow):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
            script = step.get("run", "")
            assert "${{" not in script, (path.name, job_id)
            check = subprocess.run(["bash", "-n"], input=script, text=True, check=False)
            assert check.returncode == 0


def test_generated_workflows_install_only_the_pinned_coachdir(generated: Path) -> None:
    """Nothing of the programme repository is installed as code: hashed dependencies, then
    coachdir itself from the pin; the verdict installs from the base revision's pins."""
    for path in sorted(generated.glob("*.yml")):
        for job_id, step in steps(load(path)):
            script = " ".join(step.get("run", "").replace("\\\n", " ").split())
            assert "./dev" not in script and "pip install ." not in script
            assert "pip install -e" not in script and "pipx" not in script
            commands = script.split(".venv/bin/python -m ")[1:]
            assert all(c.startswith("pip install ") for c in commands), commands
            assert ("pip install" in script) == (len(commands) == 2), (path.name, job_id)
            for command in commands:
                prefix = "trusted/requirements/" if job_id == "verdict" else "requirements/"
                assert f"-r {prefix}dependencies.txt" in command or (
                    f"-r {prefix}coachdir.txt" in command and "--no-deps" in command
                ), command
                if "dependencies.txt" in command:
                    assert "--require-hashes" in command and "--only-binary :all:" in command
    verdict = load(generated / "ci.yml")["jobs"]["verdict"]
    scripts = "\n".join(s.get("run", "") for s in verdict["steps"])
    assert "trusted/requirements/coachdir.txt" in scripts
    assert " requirements/" not in scripts and "pr/requirements" not in scripts


def _comparable(workflow: dict[str, Any]) -> dict[str, Any]:
    """A workflow without its install steps and this repository's own test steps."""
    jobs = {}
    for job_id, job in workflow["jobs"].items():
        kept = []
        for step in job["steps"]:
            script = step.get("run", "")
            if "dev setup" in script or "./dev test" in script or "pip install" in script:
                continue
            if script == "./dev build":
                step = {**step, "run": ".venv/bin/coachdir build"}
            kept.append(step)
        rest = {k: v for k, v in job.items() if k not in ("steps", "env", "name")}
        if job_id != "check":
            rest["env"] = job.get("env")
        jobs[job_id] = {**rest, "steps": kept}
    return {**{k: v for k, v in workflow.items() if k != "jobs"}, "jobs": jobs}


@pytest.mark.parametrize("name", initrepo.WORKFLOWS)
def test_generated_workflows_agree_with_ours(generated: Path, name: str) -> None:
    """One design: the programme's workflows are ours but for how coachdir is installed."""
    ours, theirs = load(WORKFLOW_DIR / name), load(generated / name)
    assert _comparable(theirs) == _comparable(ours)


# --------------------------------------------------------------------------- demo and build


def test_demo_then_build_works(tmp_path: Path) -> None:
    made = run_cli("demo", "--coaches", "5", "--out", "d", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "d" / "mkdocs.yml").read_bytes() == (ROOT / "mkdocs.yml").read_bytes()
    built = run_cli("build", "--root", "d", cwd=tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    assert (tmp_path / "d" / "site" / "en" / "directory" / "index.html").is_file()


def test_demo_and_init_write_the_same_programme_files(tmp_path: Path) -> None:
    generate(tmp_path / "demo", 2, source=ROOT)
    initrepo.init_programme(tmp_path / "init")
    for rel in ("programme.yml", "mkdocs.yml", "schemas", "content"):
        a, b = tmp_path / "demo" / rel, tmp_path / "init" / rel
        demo = listing(a) if a.is_dir() else a.read_bytes()
        if rel == "programme.yml":  # a demo is fictional too; init's is a programme's own
            demo = a.read_bytes().replace(SAMPLE_MARKER.encode(), b"", 1)
        assert demo == (listing(b) if b.is_dir() else b.read_bytes()), rel


def test_a_missing_theme_configuration_has_its_own_message(tmp_path: Path) -> None:
    prog = copy_programme(tmp_path / "prog")
    assert not (prog / "mkdocs.yml").exists()
    result = run_cli("build", "--root", str(prog), cwd=tmp_path)
    assert result.returncode == 1
    assert (
        "mkdocs.yml:1:1: error: the theme configuration mkdocs.yml is missing from the programme "
        "folder [build.no-theme-config]"
    ) in result.stderr
    assert "hint: Run coachdir init, or copy mkdocs.yml from the sample programme." in (
        result.stderr
    )
    assert "links between content pages" not in result.stderr
    assert not (prog / "site").exists()


def test_init_leaves_the_sample_marker_out_so_validate_warns_about_placeholders(
    tmp_path: Path,
) -> None:
    """The sample's settings are meant there (sample: true); the programme init writes from them
    gets a warning, at its position, for each placeholder left: the example-domain addresses the
    site would e-mail and the sample team. Warnings fail only with --strict."""
    from coachdir.programme import SAMPLE_MARKER
    from conftest import run_cli

    target = tmp_path / "ministry"
    assert run_cli("init", str(target)).returncode == 0
    settings = (target / "programme.yml").read_text(encoding="utf-8")
    assert "sample:" not in settings and SAMPLE_MARKER not in settings
    result = run_cli("validate", "--root", str(target), "--no-cache")
    assert result.returncode == 0, result.stdout
    lines = settings.splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "accompagnement@" in text)
    assert (
        f"programme.yml:{line}:10: warning: request_target.email: is at a domain reserved for "
        "examples, where no one receives mail [programme.placeholder]" in result.stdout
    )
    assert result.stdout.count("[programme.placeholder]") == 4
    strict = run_cli("validate", "--root", str(target), "--no-cache", "--strict")
    assert strict.returncode == 1
    sample = run_cli("validate", "--no-cache")  # the sample itself: no placeholder warning
    assert sample.returncode == 0 and "programme.placeholder" not in sample.stdout
