"""One exception hierarchy: every error class derives from CoachdirError, and the command line
turns each into what the user reads and its exit code in one place (issue #8)."""

from __future__ import annotations

import ast
import importlib
import inspect
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest

from coachdir import cli as cli_mod
from coachdir.github.changes import PrCheckError
from coachdir.github.intakebranch import BranchError
from coachdir.github.issueform import FormError
from coachdir.github.roundtrip import RoundTripError
from coachdir.indicators.audit import Infeasible
from coachdir.problems import CoachdirError, InvalidInput, Problem, UsageError, format_text
from coachdir.reports.contract import ChromiumMissing, PrintFailed
from coachdir.site.build import SiteDirError
from coachdir.tools.demo import DemoError
from coachdir.tools.initrepo import InitError
from conftest import ROOT, copy_programme, run_cli

PACKAGE_DIR = ROOT / "src" / "coachdir"
#: control flow that never leaves its module (caught where it is raised): not an error a user sees
INTERNAL_SIGNALS = {("coachdir.loader", "_Stop")}

PROBLEM = Problem("coaches/a.yml", 3, 5, "capacity must be at most 3", "capacity.max", "Lower it.")
USAGE = "Usage: coachdir boom [OPTIONS]\nTry 'coachdir boom --help' for help.\n\nError: "
#: every exception class of the package: how to make one, its exit code and its exact output
EXPECTED: dict[type[Exception], tuple[Callable[[], Exception], int, str]] = {
    CoachdirError: (lambda: CoachdirError([PROBLEM]), 1, format_text([PROBLEM]) + "\n"),
    UsageError: (lambda: UsageError("bad option."), 2, USAGE + "bad option.\n"),
    InvalidInput: (lambda: InvalidInput("cannot use it."), 1, "Error: cannot use it.\n"),
    InitError: (lambda: InitError("not empty."), 2, USAGE + "not empty.\n"),
    SiteDirError: (lambda: SiteDirError("not a site."), 2, USAGE + "not a site.\n"),
    PrCheckError: (lambda: PrCheckError("unknown revision."), 2, USAGE + "unknown revision.\n"),
    BranchError: (lambda: BranchError("git failed."), 2, USAGE + "git failed.\n"),
    DemoError: (lambda: DemoError("no programme.yml."), 1, "Error: no programme.yml.\n"),
    FormError: (lambda: FormError("no heading.", line=4), 1, "Error: line 4: no heading.\n"),
    RoundTripError: (lambda: RoundTripError("not a mapping"), 1, "Error: not a mapping\n"),
    Infeasible: (lambda: Infeasible("no table."), 1, "Error: no table.\n"),
    ChromiumMissing: (
        ChromiumMissing,
        1,
        "Error: Chromium not found; open the HTML file and print it.\n",
    ),
    PrintFailed: (
        PrintFailed,
        1,
        "Error: Chromium did not write the PDF; open the HTML file and print it.\n",
    ),
}


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = ["coachdir", *path.relative_to(PACKAGE_DIR).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        yield ".".join(parts), ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _exception_classes() -> list[tuple[str, str, type[BaseException]]]:
    found = []
    for name, tree in _modules():
        module = importlib.import_module(name)
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                obj = getattr(module, node.name, None)
                if isinstance(obj, type) and issubclass(obj, BaseException):
                    found.append((name, node.name, obj))
    return found


def test_every_exception_class_derives_from_coachdir_error() -> None:
    classes = _exception_classes()
    assert len(classes) >= len(EXPECTED)
    strays = [
        f"{module}.{name}"
        for module, name, cls in classes
        if not issubclass(cls, CoachdirError) and (module, name) not in INTERNAL_SIGNALS
    ]
    assert strays == []


def test_internal_signals_never_leave_their_module() -> None:
    trees = dict(_modules())
    for module, name in INTERNAL_SIGNALS:
        caught = [
            handler
            for handler in ast.walk(trees[module])
            if isinstance(handler, ast.ExceptHandler)
            and isinstance(handler.type, ast.Name)
            and handler.type.id == name
        ]
        assert name.startswith("_") and caught, f"{module}.{name}"


def test_every_error_class_has_an_expected_exit_code() -> None:
    classes = {cls for module, name, cls in _exception_classes()}
    classes -= {getattr(importlib.import_module(m), n) for m, n in INTERNAL_SIGNALS}
    assert classes == set(EXPECTED)


@pytest.fixture
def boom(monkeypatch: pytest.MonkeyPatch) -> Callable[[Exception], None]:
    """Adds to the real command group, for one test, a command ``boom`` that raises ``exc``."""
    monkeypatch.setattr(cli_mod.cli, "commands", dict(cli_mod.cli.commands))

    def install(exc: Exception) -> None:
        def run() -> None:
            raise exc

        cli_mod.cli.command("boom")(run)

    return install


@pytest.mark.parametrize("cls", list(EXPECTED), ids=lambda cls: cls.__name__)
def test_main_maps_each_class_to_its_exit_code_and_message(
    cls: type[Exception],
    boom: Callable[[Exception], None],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("COACHDIR_DEBUG", raising=False)
    make, code, stderr = EXPECTED[cls]
    exc = make()
    assert type(exc) is cls
    boom(exc)
    with pytest.raises(SystemExit) as exited:
        cli_mod.main(["boom"])
    assert exited.value.code == code
    assert getattr(cls, "exit_code", None) == code
    out = capsys.readouterr()
    assert (out.out, out.err) == ("", stderr)


def test_an_error_raised_outside_a_command_is_mapped_too(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise InitError("no such folder.")

    monkeypatch.setattr(cli_mod.cli, "main", broken)
    with pytest.raises(SystemExit) as exited:
        cli_mod.main(["init", "x"])
    assert exited.value.code == 2
    assert capsys.readouterr().err == "Error: no such folder.\n"


def test_no_assert_as_a_runtime_check_in_the_package() -> None:
    asserts = [
        f"{name}:{node.lineno}"
        for name, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Assert)
    ]
    assert asserts == []


def test_intake_issue_option_is_accepted_but_not_passed_on(tmp_path: Path) -> None:
    intake = cli_mod.cli.commands["intake"]
    assert isinstance(intake, click.Command) and intake.callback is not None
    assert "issue" not in inspect.signature(intake.callback).parameters
    assert "issue" not in {p.name for p in intake.params if p.expose_value}
    prog = copy_programme(tmp_path / "prog")
    shutil.copytree(ROOT / ".github", prog / ".github")
    body = tmp_path / "body.md"
    shutil.copyfile(ROOT / "tests" / "cases" / "intake" / "registration.md", body)
    args = ["intake", "--form", "coach-registration", "--body", str(body), "--author", "maelle-lb"]
    result = run_cli(*args, "--issue", "12", "--comment", str(tmp_path / "c.md"), cwd=prog)
    assert result.returncode == 0, result.stderr
    expected = (ROOT / "tests" / "cases" / "intake" / "registration.expected.yml").read_bytes()
    assert (prog / "coaches" / "maelle-le-bihan.yml").read_bytes() == expected
    refused = run_cli(*args, "--issue", "twelve", cwd=prog)
    assert refused.returncode == 2 and "'twelve' is not a valid integer" in refused.stderr


def test_demo_keeps_exit_1_when_init_refuses_the_folder(tmp_path: Path) -> None:
    # init's usage error (exit 2) reaches demo's users as one of demo's own errors (exit 1)
    (tmp_path / "empty").mkdir()
    (tmp_path / "link").symlink_to("empty")
    result = run_cli("demo", "--coaches", "2", "--out", "link", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        "Error: link exists and is not a folder; choose a new or empty folder.\n"
    )
