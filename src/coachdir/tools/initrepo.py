"""Write a programme folder: ``coachdir init`` (a programme's own repository, or its private
records repository) and ``coachdir demo`` share this one writer.

A programme repository holds data only (settings, profiles, pages, schemas, theme settings,
generated forms and CODEOWNERS) and workflows that install a *pinned* coachdir from
``requirements/``: never code of its own that a pull request could edit to judge itself.

Nothing is ever overwritten: the target must be missing or empty, every file is created with
``O_EXCL`` (so a second run, or a race, fails instead of replacing a file), and on any error
only what this run created is removed.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from coachdir import __version__
from coachdir.github import codeowners
from coachdir.github.formfiles import expected_forms
from coachdir.github.vocabulary import FORMS_DIR
from coachdir.layout import RECORDS
from coachdir.problems import CoachdirError, UsageError
from coachdir.programme import SAMPLE_MARKER, load_programme
from coachdir.schema import read_schema, schema_dir
from coachdir.tools.sample import sample_root

__all__ = [
    "DEFAULT_SOURCE",
    "DEPENDENCIES_FILE",
    "PIN_FILE",
    "InitError",
    "ProgrammeWriter",
    "init_programme",
    "init_records",
    "new_folder",
    "write_programme",
]

#: where coachdir's git repository is; a placeholder the programme replaces (see README)
DEFAULT_SOURCE = "https://github.com/YOUR-ORG/coachdir.git"
DEPENDENCIES_FILE = "requirements/dependencies.txt"
PIN_FILE = "requirements/coachdir.txt"
#: this package's own runtime lock, shipped with it (checkout: requirements/runtime.txt)
RUNTIME_LOCK = "requirements/runtime.txt"
WORKFLOWS = ("ci.yml", "intake.yml", "pages.yml", "weekly.yml")
GITIGNORE = "site/\n.venv/\n.coachdir-build-*/\n"
_SOURCE = re.compile(r"(?:https|ssh|file)://[^\s#]+")
_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,99}")


class InitError(UsageError):
    """The folder cannot be written as asked (a usage error: nothing was written)."""


def _templates() -> Path:
    return Path(str(resources.files("coachdir.tools") / "templates" / "init"))


class ProgrammeWriter:
    """Creates folders and files under ``root``, never replacing one, and remembers them so
    that ``undo`` removes exactly what it created."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.created: list[Path] = []

    def mkdir(self, rel: str | Path) -> Path:
        path = self.root / rel
        if path.is_dir():
            return path
        if path != self.root:
            self.mkdir(Path(rel).parent)
        path.mkdir()
        self.created.append(path)
        return path

    def file(self, rel: str, data: bytes) -> Path:
        path = self.root / rel
        self.mkdir(Path(rel).parent)
        with open(path, "xb") as handle:  # O_EXCL: fails rather than replacing a file
            self.created.append(path)
            handle.write(data)
        return path

    def copy_tree(self, source: Path, rel: str) -> None:
        """Copy the regular files and folders of ``source`` into ``rel`` (sorted, byte for byte);
        anything else (a link, a pipe) is refused rather than skipped."""
        self.mkdir(rel)
        for dirpath, dirnames, filenames in os.walk(source):
            dirnames.sort()
            here = Path(dirpath)
            target = Path(rel) / here.relative_to(source)
            for name in sorted(dirnames + filenames):
                path = here / name
                mode = path.lstat().st_mode
                if stat.S_ISDIR(mode):
                    self.mkdir(target / name)
                elif stat.S_ISREG(mode):
                    self.file((target / name).as_posix(), path.read_bytes())
                else:
                    raise InitError(
                        f"{path} is not a regular file or folder; replace it with a copy of "
                        "the file itself, then run the command again."
                    )

    def undo(self) -> None:
        for path in reversed(self.created):
            try:
                if path.is_dir() and not path.is_symlink():
                    path.rmdir()
                else:
                    path.unlink()
            except OSError:
                pass  # not ours any more (someone wrote into it): leave it
        self.created.clear()


def _refuse_unless_empty(target: Path) -> None:
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise InitError(f"{target} exists and is not a folder; choose a new or empty folder.")
    if target.is_dir() and any(target.iterdir()):
        raise InitError(
            f"{target} is not empty; nothing was written. Choose a new or empty folder "
            "(coachdir init and demo never overwrite a file)."
        )


@contextmanager
def new_folder(target: Path) -> Iterator[ProgrammeWriter]:
    """A writer for ``target``, which must be missing or empty. If the block fails, everything
    the writer created (``target`` included, when it made it) is removed again."""
    _refuse_unless_empty(target)
    writer = ProgrammeWriter(target)
    try:
        for folder in reversed([target, *target.parents]):
            if not folder.is_dir():
                folder.mkdir()
                writer.created.append(folder)
        yield writer
    except BaseException:
        writer.undo()
        raise


def write_programme(
    writer: ProgrammeWriter, source: Path, *, coaches: bool = False, own: bool = False
) -> None:
    """Write programme.yml, mkdocs.yml, schemas/, content/ and coaches/ from ``source`` (a
    programme folder; the sample's mkdocs.yml, schemas/ and content/ stand in for missing
    ones). ``coaches``: copy the source's profiles, groups/ and immersions/ too, else leave
    coaches/ empty. ``own``: a new
    programme (init), so the sample's marker (``sample: true``) is left out."""
    sample = sample_root()
    settings = (source / "programme.yml").read_bytes()
    if own:  # a programme of its own, not the sample: validate warns about its placeholders
        settings = settings.replace(SAMPLE_MARKER.encode("utf-8"), b"", 1)
    writer.file("programme.yml", settings)
    theme = source / "mkdocs.yml" if (source / "mkdocs.yml").is_file() else sample / "mkdocs.yml"
    writer.file("mkdocs.yml", theme.read_bytes())
    for folder in ("schemas", "content"):
        writer.copy_tree(source / folder if (source / folder).is_dir() else sample / folder, folder)
    if coaches and (source / "coaches").is_dir():
        writer.copy_tree(source / "coaches", "coaches")
        # the sample's groups and immersion offers name its coaches: only with them
        for folder in ("groups", "immersions"):
            if (source / folder).is_dir():
                writer.copy_tree(source / folder, folder)
    else:
        writer.mkdir("coaches")


def _check_pin(coachdir_source: str, ref: str) -> None:
    if not _SOURCE.fullmatch(coachdir_source):
        raise InitError(
            "--coachdir-source must be the address of coachdir's git repository, starting with "
            "https://, ssh:// or file://, without spaces or '#'."
        )
    if not _REF.fullmatch(ref) or ".." in ref:
        raise InitError(
            "--coachdir-ref must be a tag, branch or commit hash (letters, digits, '.', '_', "
            "'-' and '/'), such as v1.2.0."
        )


def _dependencies() -> bytes:
    """This package's runtime lock (exact versions and hashes), under a header of our own."""
    lock = (sample_root() / RUNTIME_LOCK).read_text(encoding="utf-8")
    body = "\n".join(line for line in lock.splitlines() if not line.startswith("#"))
    header = (
        f"# The packages coachdir {__version__} needs, with their hashes (from its runtime lock).\n"
        "# Written by coachdir init; replace it with the file of the version you upgrade to.\n"
    )
    return (header + body.strip("\n") + "\n").encode("utf-8")


def _pin(coachdir_source: str, ref: str) -> bytes:
    return (
        f"# coachdir itself, at the version the workflows install ({__version__} when written).\n"
        "# Installed with --no-deps after dependencies.txt. Prefer a full commit hash to a tag.\n"
        f"coachdir @ git+{coachdir_source}@{ref}\n"
    ).encode()


def _readme(name: str, coachdir_source: str) -> bytes:
    text = (_templates() / name).read_text(encoding="utf-8")
    return text.replace("@VERSION@", __version__).replace("@SOURCE@", coachdir_source).encode()


def init_programme(
    target: Path,
    *,
    sample_coaches: bool = False,
    coachdir_source: str = DEFAULT_SOURCE,
    coachdir_ref: str | None = None,
) -> list[Path]:
    """Write a new programme repository into ``target`` (missing or empty) and return the files
    written. Raises InitError (nothing written) when the folder or the pin is not usable."""
    ref = coachdir_ref or f"v{__version__}"
    _check_pin(coachdir_source, ref)
    with new_folder(target) as writer:
        write_programme(writer, sample_root(), coaches=sample_coaches, own=True)
        if not sample_coaches:
            writer.file("coaches/.gitkeep", b"")
        programme, _, problems = load_programme(target)
        if programme is None:
            raise CoachdirError(problems)
        schema = read_schema(schema_dir(target) / "coach.schema.json")
        for name, text in expected_forms(programme, schema).items():  # the coach forms
            writer.file(f"{FORMS_DIR}/{name}", text.encode("utf-8"))
        writer.file(
            codeowners.CODEOWNERS_PATH, codeowners.generate_codeowners(programme).encode("utf-8")
        )
        for name in WORKFLOWS:
            data = (_templates() / "workflows" / name).read_bytes()
            writer.file(f".github/workflows/{name}", data)
        writer.file(DEPENDENCIES_FILE, _dependencies())
        writer.file(PIN_FILE, _pin(coachdir_source, ref))
        writer.file("README.md", _readme("README.md", coachdir_source))
        writer.file(".gitignore", GITIGNORE.encode())
        return [p for p in writer.created if p.is_file()]


RECORDS_WORKFLOWS = ("ci.yml", "intake.yml", "quarterly.yml", "weekly.yml")
#: the directory repository's checkout (CI's, and the team's own clone for editing and running
#: commands), the install and a site built from it stay out of commits
RECORDS_GITIGNORE = "directory/\n.venv/\nsite/\n"


def init_records(
    target: Path,
    directory: Path | None = None,
    *,
    coachdir_source: str = DEFAULT_SOURCE,
    coachdir_ref: str | None = None,
) -> list[Path]:
    """Write a private records repository into ``target`` (missing or empty): records.yml,
    engagements/, supervision/, CODEOWNERS, the record forms generated from ``directory``'s
    programme.yml and schemas, the workflows and the pinned coachdir they install. Raises
    InitError (nothing written) when the folder or the pin is not usable, CoachdirError when
    ``directory``'s settings do not load. ``directory`` defaults to the shipped sample."""
    ref = coachdir_ref or f"v{__version__}"
    _check_pin(coachdir_source, ref)
    _refuse_unless_empty(target)
    directory = sample_root() if directory is None else directory
    if not (directory / "programme.yml").is_file():
        raise InitError(
            f"{directory} has no programme.yml; pass --directory (or --root) the checkout of "
            "the directory repository the record forms are generated from."
        )
    programme, _, problems = load_programme(directory)
    if programme is None:
        raise CoachdirError(problems)
    schema = read_schema(schema_dir(directory) / "coach.schema.json")
    forms = expected_forms(programme, schema, RECORDS)
    records = _templates() / "records"
    with new_folder(target) as writer:
        writer.file("README.md", _readme("records/README.md", coachdir_source))
        writer.file("records.yml", (records / "records.yml").read_bytes())
        writer.file("engagements/.gitkeep", b"")
        writer.file("supervision/.gitkeep", b"")
        writer.file(".github/CODEOWNERS", (records / "CODEOWNERS").read_bytes())
        for name, text in forms.items():  # the record forms
            writer.file(f"{FORMS_DIR}/{name}", text.encode("utf-8"))
        for name in RECORDS_WORKFLOWS:
            data = (records / "workflows" / name).read_bytes()
            writer.file(f".github/workflows/{name}", data)
        writer.file(DEPENDENCIES_FILE, _dependencies())
        writer.file(PIN_FILE, _pin(coachdir_source, ref))
        writer.file(".gitignore", RECORDS_GITIGNORE.encode())
        return [p for p in writer.created if p.is_file()]
