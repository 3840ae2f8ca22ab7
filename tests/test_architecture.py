"""The package's structure rules: no import cycle, small modules, the site never sees records,
only the CLI prints or exits."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "src" / "coachdir"
MAX_LINES = 700
# The site must never read records: a page can then not leak what a record holds.
SITE = "coachdir.site"
RECORDS = "coachdir.records"


def modules_of(package_dir: Path) -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    root = package_dir.name
    found: dict[str, Path] = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = [root, *path.relative_to(package_dir).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _module_name(node: ast.ImportFrom, current: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = current.split(".")
    drop = node.level - 1 if is_package else node.level
    base = base[: len(base) - drop]
    return ".".join([*base, node.module] if node.module else base)


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that this module imports, anywhere in it (functions included)."""
    root = name.split(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = _module_name(node, name, path.name == "__init__.py")
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                targets.append(sub if sub in known else module)
        for target in targets:
            if target == root or target.startswith(root + "."):
                # `import a.b.c` also names a.b.c even if only a.b is a module we know
                while target not in known and "." in target:
                    target = target.rsplit(".", 1)[0]
                if target != name:
                    found.add(target)
    return found


def import_graph(package_dir: Path) -> dict[str, set[str]]:
    modules = modules_of(package_dir)
    known = set(modules)
    return {name: imports_of(name, path, known) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as [a, b, ..., a], or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def forbidden_imports(graph: dict[str, set[str]], source: str, target: str) -> list[str]:
    """'a -> b' for every module under `source` that imports a module under `target`."""

    def under(name: str, package: str) -> bool:
        return name == package or name.startswith(package + ".")

    return [
        f"{name} -> {dep}"
        for name in sorted(graph)
        if under(name, source)
        for dep in sorted(graph[name])
        if under(dep, target)
    ]


def output_calls(path: Path) -> list[str]:
    """Calls of print, sys.exit, exit, quit and click.echo/secho in a module, as 'line: name'."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in {"print", "exit", "quit"}:
            found.append(f"{node.lineno}: {func.id}")
        elif (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and (func.value.id, func.attr)
            in {("sys", "exit"), ("click", "echo"), ("click", "secho"), ("os", "_exit")}
        ):
            found.append(f"{node.lineno}: {func.value.id}.{func.attr}")
    return found


# --- the rules, on the real package -------------------------------------------------------


def test_no_import_cycle() -> None:
    cycle = find_cycle(import_graph(PACKAGE_DIR))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_no_module_over_700_lines() -> None:
    long = {
        name: n
        for name, path in modules_of(PACKAGE_DIR).items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_site_never_imports_records() -> None:
    graph = import_graph(PACKAGE_DIR)
    assert any(name.startswith(SITE + ".") for name in graph), "the site subpackage moved?"
    assert forbidden_imports(graph, SITE, RECORDS) == []


def test_only_the_cli_prints_or_exits() -> None:
    offenders = {
        name: calls
        for name, path in modules_of(PACKAGE_DIR).items()
        # the command line, and its launcher (which says "Interrupted." for a Ctrl-C while
        # the command line is still being imported)
        if not (name == "coachdir.cli" or name.startswith("coachdir.cli."))
        and name != "coachdir.__main__"
        and (calls := output_calls(path))
    }
    assert offenders == {}


# --- the checkers themselves, on tiny synthetic packages ----------------------------------


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "coachdir"
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_records_import_in_site_is_caught(tmp_path: Path) -> None:
    files = {
        "__init__.py": "",
        "site/__init__.py": "",
        "site/render.py": "from coachdir.text import fold\n",
        "records/__init__.py": "",
        "records/log.py": "X = 1\n",
        "text.py": "def fold(s): return s\n",
    }
    clean = import_graph(_package(tmp_path / "a", files))
    assert forbidden_imports(clean, SITE, RECORDS) == []
    files["site/render.py"] += "def f():\n    from coachdir.records import log\n    return log\n"
    dirty = import_graph(_package(tmp_path / "b", files))
    assert forbidden_imports(dirty, SITE, RECORDS) == [
        "coachdir.site.render -> coachdir.records.log"
    ]
    files["site/render.py"] = "from ..records.log import X\n"
    relative = import_graph(_package(tmp_path / "c", files))
    assert forbidden_imports(relative, SITE, RECORDS) == [
        "coachdir.site.render -> coachdir.records.log"
    ]


@pytest.mark.parametrize(
    ("a", "b", "cycle"),
    [
        ("import coachdir.b\n", "X = 1\n", None),
        (
            "from coachdir import b\n",
            "def f():\n    from coachdir.a import Y\n    return Y\n",
            ["coachdir.a", "coachdir.b", "coachdir.a"],
        ),
        (
            "from .b import X\n",
            "import coachdir.a.c\n",
            ["coachdir.a", "coachdir.b", "coachdir.a"],
        ),
    ],
)
def test_cycle_checker(tmp_path: Path, a: str, b: str, cycle: list[str] | None) -> None:
    root = _package(tmp_path, {"__init__.py": "", "a.py": a, "b.py": b})
    assert find_cycle(import_graph(root)) == cycle


def test_output_checker(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(
        "import sys, click\ndef f():\n    print(1)\n    click.echo(2)\n    sys.exit(3)\n"
    )
    assert output_calls(path) == ["3: print", "4: click.echo", "5: sys.exit"]
