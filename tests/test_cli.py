"""The CLI through its real entry point: formats, exit codes, usage errors, new, cache."""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
from pathlib import Path

import yaml
from PIL import Image

from coachdir.rules.bio import BIO_PLACEHOLDERS
from conftest import ROOT, run_cli


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == "coachdir, version 0.1.0"


def test_every_command_has_help() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    commands = [
        line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.strip()
    ]
    assert "validate" in commands
    for command in commands:
        sub = run_cli(command, "--help")
        assert sub.returncode == 0, command
        assert "Usage:" in sub.stdout
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        assert f"coachdir {command}" in readme, f"README does not document '{command}'"


def test_sample_programme_is_valid(programme: Path) -> None:
    result = run_cli("validate", "--no-cache", cwd=programme)
    assert result.returncode == 0, result.stdout
    entries = [*programme.glob("coaches/*.yml"), *programme.glob("groups/*.yml")]
    entries += programme.glob("immersions/*.yml")
    assert result.stdout.splitlines()[-1].startswith(
        f"{len(entries) + 1} files checked: 0 error(s)"
    )


def test_usage_errors_exit_2(tmp_path: Path, programme: Path) -> None:
    result = run_cli("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert "has no programme.yml" in result.stderr
    assert "Traceback" not in result.stderr
    result = run_cli("validate", "coaches/nobody.yml", cwd=programme)
    assert result.returncode == 2
    assert "no such file" in result.stderr
    result = run_cli("validate", "--format", "xml", cwd=programme)
    assert result.returncode == 2
    result = run_cli("validate", "--today", "yesterday", cwd=programme)
    assert result.returncode == 2
    assert "is not a date" in result.stderr
    result = run_cli("frobnicate")
    assert result.returncode == 2


def _break(programme: Path) -> Path:
    path = programme / "coaches" / "helene-dubois.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("capacity: 2", "capacity: 4"), encoding="utf-8"
    )
    return path


def test_text_format_names_file_line_col(programme: Path) -> None:
    _break(programme)
    result = run_cli("validate", "--no-cache", cwd=programme)
    assert result.returncode == 1
    assert (
        "coaches/helene-dubois.yml:31:11: error: capacity: 4 is greater than the maximum of 3 "
        "[schema.maximum]" in result.stdout
    )


def test_json_and_github_formats(programme: Path) -> None:
    _break(programme)
    result = run_cli("validate", "--no-cache", "--format", "json", cwd=programme)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["errors"] == 1
    (error,) = [p for p in report["problems"] if p["severity"] == "error"]
    assert error["path"] == "coaches/helene-dubois.yml"
    assert (error["line"], error["col"], error["rule"]) == (31, 11, "schema.maximum")
    result = run_cli("validate", "--no-cache", cwd=programme, env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    assert (
        "::error file=coaches/helene-dubois.yml,line=31,col=11,title=schema.maximum::"
        "capacity: 4 is greater than the maximum of 3" in result.stdout
    )


def test_paths_limit_what_is_reported(programme: Path) -> None:
    _break(programme)
    other = "coaches/agnes-kowalska.yml"
    result = run_cli("validate", "--no-cache", other, cwd=programme)
    assert "helene-dubois" not in result.stdout
    result = run_cli("validate", "--no-cache", "coaches/helene-dubois.yml", cwd=programme)
    assert result.returncode == 1


def test_strict_turns_warnings_into_failure(programme: Path) -> None:
    assert run_cli("validate", "--no-cache", cwd=programme).returncode == 0
    result = run_cli("validate", "--no-cache", "--strict", cwd=programme)
    assert result.returncode == 1
    assert "warning:" in result.stdout


def test_cache_never_hides_an_error(programme: Path, tmp_path: Path) -> None:
    env = {"COACHDIR_CACHE_DIR": str(tmp_path / "cache")}
    cold = run_cli("validate", "--jobs", "1", cwd=programme, env=env)
    warm = run_cli("validate", "--jobs", "1", cwd=programme, env=env)
    assert cold.returncode == warm.returncode == 0
    assert cold.stdout == warm.stdout
    assert list((tmp_path / "cache").glob("validate-*.marshal"))
    # A changed file is re-checked.
    _break(programme)
    result = run_cli("validate", cwd=programme, env=env)
    assert result.returncode == 1 and "schema.maximum" in result.stdout
    # A changed programme (the schema it implies) invalidates every entry.
    path = programme / "coaches" / "helene-dubois.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("capacity: 4", "capacity: 3"), encoding="utf-8"
    )
    assert run_cli("validate", cwd=programme, env=env).returncode == 0
    settings = programme / "programme.yml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("max_capacity: 3", "max_capacity: 2"),
        encoding="utf-8",
    )
    result = run_cli("validate", cwd=programme, env=env)
    assert result.returncode == 1 and "greater than the maximum of 2" in result.stdout
    # Cross-file rules are never served from the cache.
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("max_capacity: 2", "max_capacity: 3"),
        encoding="utf-8",
    )
    twin = programme / "coaches" / "helene-dubois-2.yml"
    twin.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("validate", cwd=programme, env=env)
    assert result.returncode == 1 and "identity.duplicate-github" in result.stdout


def test_new_writes_a_valid_profile(programme: Path) -> None:
    args = [
        "new",
        "--id",
        "zoe-martin",
        "--name",
        "Zoé Martin",
        "--github",
        "zoe-martin",
        "--email",
        "zoe.martin@phares-balises.example",
        "--entity",
        "direction-phares",
        "--role",
        "Cheffe de projet",
        "--location",
        "Brest",
        "--language",
        "fr",
        "--language",
        "no",
        "--offer",
        "coaching",
        "--expertise",
        "career",
        "--modality",
        "video",
        "--capacity",
        "2",
    ]
    result = run_cli(*args, "--sign-charter", "--declare", "all", cwd=programme)
    assert result.returncode == 0, result.stderr
    created = programme / "coaches" / "zoe-martin.yml"
    text = created.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/coach.schema.json\n")
    data = yaml.safe_load(text)
    assert data["languages"] == ["fr", "no"]
    assert data["charter"] == {"version": "2026-1", "signed": "2026-11-22"}
    assert set(data["declarations"]) == {
        "confidentiality",
        "no_promotion_role",
        "no_staff_representative_role",
    }
    # the placeholder bios are refused, at their lines, until the coach writes them
    lines = text.splitlines()
    fr, en = (lines.index(f"  {lang}: |") + 2 for lang in ("fr", "en"))
    checked = run_cli("validate", "--no-cache", cwd=programme)
    assert checked.returncode == 1
    refused = [line for line in checked.stdout.splitlines() if ": error: " in line]
    assert refused == [
        f"coaches/zoe-martin.yml:{fr}:5: error: bio.fr: still holds the sample sentence that "
        "'coachdir new' wrote [bio.placeholder]",
        f"coaches/zoe-martin.yml:{en}:5: error: bio.en: still holds the sample sentence that "
        "'coachdir new' wrote [bio.placeholder]",
    ]
    assert result.stdout.count("[bio.placeholder]") == 2 and "schema.required" not in result.stdout
    created.write_text(
        text.replace(BIO_PLACEHOLDERS["fr"], "Cheffe de projet, j'accompagne les équipes.").replace(
            BIO_PLACEHOLDERS["en"], "A project lead, I coach teams through change."
        ),
        encoding="utf-8",
    )
    assert run_cli("validate", "--no-cache", cwd=programme).returncode == 0
    again = run_cli(*args, cwd=programme)
    assert again.returncode == 1
    assert "coaches/zoe-martin.yml:1:1: error: this profile already exists" in again.stderr


def test_new_refuses_bad_answers_and_missing_ones(programme: Path) -> None:
    result = run_cli("new", "--id", "x", cwd=programme, input="")
    assert result.returncode == 1
    assert "missing answers" in result.stderr
    common = [
        "--name",
        "A B",
        "--github",
        "ab",
        "--email",
        "a@b.example",
        "--role",
        "r",
        "--location",
        "l",
        "--language",
        "fr",
        "--offer",
        "coaching",
        "--expertise",
        "career",
        "--modality",
        "video",
    ]
    result = run_cli(
        "new", "--id", "Bad_Id", "--entity", "direction-phares", *common, cwd=programme
    )
    assert result.returncode == 1
    assert "'Bad_Id' is not a valid coach id" in result.stderr
    result = run_cli(
        "new", "--id", "../escape", "--entity", "direction-phares", *common, cwd=programme
    )
    assert result.returncode == 1
    assert not (programme / "escape.yml").exists()
    result = run_cli("new", "--id", "a-b", "--entity", "nowhere", *common, cwd=programme)
    assert result.returncode == 1
    assert "entity: 'nowhere' is not one of the allowed values" in result.stderr
    result = run_cli(
        "new",
        "--id",
        "a-b",
        "--entity",
        "direction-phares",
        *common[:2],
        "--github",
        "helene-dubois",
        *common[4:],
        cwd=programme,
    )
    assert result.returncode == 1
    assert "identity.duplicate-github" in result.stderr
    assert not list((programme / "coaches").glob("Bad_Id*"))
    assert not (programme / "coaches" / "a-b.yml").exists()


def test_whole_run_cache_sees_settings_and_photos(programme: Path, tmp_path: Path) -> None:
    env = {"COACHDIR_CACHE_DIR": str(tmp_path / "cache")}
    assert run_cli("validate", cwd=programme, env=env).returncode == 0
    assert list((tmp_path / "cache").glob("run-*.marshal"))
    # A photo that disappears is reported although no profile changed.
    profile = programme / "coaches" / "helene-dubois.yml"
    photo = programme / "coaches" / "photos" / "helene-dubois.png"
    photo.parent.mkdir(exist_ok=True)
    photo.write_bytes(_png())
    profile.write_text(
        profile.read_text(encoding="utf-8").replace(
            "github: helene-dubois", "photo: photos/helene-dubois.png\ngithub: helene-dubois"
        ),
        encoding="utf-8",
    )
    assert run_cli("validate", cwd=programme, env=env).returncode == 0
    photo.unlink()
    result = run_cli("validate", cwd=programme, env=env)
    assert result.returncode == 1 and "identity.photo-missing" in result.stdout
    # A programme setting that is not part of the schema (the current charter) is seen too.
    settings = programme / "programme.yml"
    photo.write_bytes(_png())
    before = run_cli("validate", cwd=programme, env=env).stdout
    settings.write_text(
        settings.read_text(encoding="utf-8").replace('current: "2026-1"', 'current: "2025-1"'),
        encoding="utf-8",
    )
    after = run_cli("validate", cwd=programme, env=env).stdout
    assert after.count("charter.outdated") > before.count("charter.outdated")


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 20, 30)).save(out, "PNG")
    return out.getvalue()


def test_whole_run_cache_sees_a_rewritten_photo(programme: Path, tmp_path: Path) -> None:
    """Photos are checked by content: the same file name with new bytes is a cache miss."""
    env = {"COACHDIR_CACHE_DIR": str(tmp_path / "cache")}
    profile = programme / "coaches" / "helene-dubois.yml"
    photo = programme / "coaches" / "photos" / "helene-dubois.png"
    photo.parent.mkdir(exist_ok=True)
    photo.write_bytes(_png())
    profile.write_text(
        profile.read_text(encoding="utf-8").replace(
            "github: helene-dubois", "photo: photos/helene-dubois.png\ngithub: helene-dubois"
        ),
        encoding="utf-8",
    )
    assert run_cli("validate", cwd=programme, env=env).returncode == 0
    stat = photo.stat()
    photo.write_bytes(b"<html><script></script></html>".ljust(len(_png()), b" "))
    os.utime(photo, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size and mtime
    result = run_cli("validate", cwd=programme, env=env)
    assert result.returncode == 1 and "photo.format" in result.stdout


def test_new_asks_for_what_is_missing(programme: Path) -> None:
    """The interactive path: each missing answer is asked once (here answered by a script)."""
    from datetime import date

    from coachdir.tools.scaffold import Answers, create_profile

    answers = {
        "Coach id": "paul-durand",
        "Name": "Paul Durand",
        "GitHub": "paul-durand",
        "e-mail": "paul.durand@phares-balises.example",
        "Entity": "direction-balises",
        "Role": "Chef de quai",
        "Town": "Sète",
        "Languages": "fr, es",
        "Offers": "coaching",
        "Expertise": "career, skills",
        "Modalities": "video",
        "Capacity": "2",
        "ethics charter, version 2026-1": "yes",
        "in sessions confidential": "yes",
        "promotion or appraisal": "yes",
        "staff representative": "yes",
    }
    asked: list[str] = []

    def ask(question: str, choices: list[str] | None, default: str | None) -> str:
        key = next(k for k in answers if question.startswith(k) or k in question)
        asked.append(key)
        if choices is not None:
            assert answers[key] in choices
        return answers[key]

    created = create_profile(programme, Answers(), ask=ask, today=date(2026, 11, 22))
    assert len(asked) == len(set(asked)) == len(answers)
    assert created.path.name == "paul-durand.yml"
    assert [p.rule for p in created.to_do] == ["bio.placeholder", "bio.placeholder"]
    data = yaml.safe_load(created.path.read_text(encoding="utf-8"))
    assert data["charter"]["version"] == "2026-1" and all(data["declarations"].values())


def test_reminders_list_what_needs_attention(programme: Path) -> None:
    result = run_cli("reminders", "--link-base", "https://example.org/blob/abc", cwd=programme)
    assert result.returncode == 0
    text = result.stdout
    assert text.startswith("4 reminder(s) on 34 file(s).")  # 28 profiles, 5 offerings
    assert "## Supervision absente ou de plus d'un an / Supervision missing or lapsed" in text
    assert "(https://example.org/blob/abc/coaches/mathis-rolland.yml#L3)" in text
    # brigitte-morvan only mentors: a mentor needs no supervision (issue 15)
    assert "(https://example.org/blob/abc/coaches/brigitte-morvan.yml#L3)" not in text
    assert "## Charte signée dans une version ancienne / Outdated charter signature" in text
    assert "Certifications expirées" not in text
    later = run_cli("reminders", "--today", "2028-01-01", cwd=programme).stdout
    assert "## Certifications expirées / Expired credentials" in later
    for path in (programme / "coaches").glob("*.yml"):
        if path.name not in {"helene-dubois.yml"}:
            path.unlink()
    shutil.rmtree(programme / "groups")  # their facilitators are gone
    assert run_cli("reminders", cwd=programme).stdout == ""


def _in_a_terminal(args: list[str], cwd: Path, answers: list[str]) -> tuple[int, str]:
    """Run the real command with a pseudo-terminal as stdin and stdout, answering each prompt
    in turn; returns the exit code and what the terminal showed."""
    import pty
    import select
    import subprocess

    master, slave = pty.openpty()
    env = {**os.environ, "COACHDIR_TODAY": "2026-11-22", "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "coachdir", *args], cwd=cwd, stdin=slave, stdout=slave,
        stderr=slave, env=env, close_fds=True,
    )  # fmt: skip
    os.close(slave)
    shown, pending = b"", list(answers)
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            proc.kill()
            raise AssertionError(f"no output for 30 s; the terminal showed:\n{shown.decode()}")
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the command ended and closed the terminal
            break
        if not chunk:
            break
        shown += chunk
        if pending and shown.rstrip().endswith((b":", b"]")):
            os.write(master, pending.pop(0).encode() + b"\r")
    os.close(master)
    return proc.wait(timeout=30), shown.decode("utf-8", "replace")


def test_new_in_a_terminal_asks_for_the_charter_and_the_declarations(programme: Path) -> None:
    """Through a real pty: the charter question names the version in force; answered "no", the
    profile is written without a signature (nor the declarations refused) and validation says
    what is missing."""
    args = ["new", "--id", "zoe-martin", "--name", "Zoé Martin", "--github", "zoe-martin",
            "--email", "zoe.martin@phares-balises.example", "--entity", "direction-phares",
            "--role", "Cheffe de projet", "--location", "Brest", "--language", "fr",
            "--offer", "coaching", "--expertise", "career", "--modality", "video",
            "--capacity", "1"]  # fmt: skip
    code, shown = _in_a_terminal(args, programme, ["no", "yes", "no", "yes"])
    assert code == 0, shown
    assert "the ethics charter, version 2026-1, and do you sign it?" in shown
    data = yaml.safe_load((programme / "coaches" / "zoe-martin.yml").read_text("utf-8"))
    assert "charter" not in data
    assert data["declarations"] == {"confidentiality": True, "no_staff_representative_role": True}
    checked = run_cli("validate", "--no-cache", cwd=programme)
    assert checked.returncode == 1
    assert "charter: this required field is missing [schema.required]" in checked.stdout
    assert "[schema.required]" in checked.stdout and "no_promotion_role" in checked.stdout


def test_new_from_options_signs_nothing_without_the_flags(programme: Path) -> None:
    """Without a terminal and without --sign-charter / --declare, nothing is signed for the
    coach: the profile is written and validation refuses it until they sign."""
    args = ["new", "--id", "zoe-martin", "--name", "Zoé Martin", "--github", "zoe-martin",
            "--email", "zoe.martin@phares-balises.example", "--entity", "direction-phares",
            "--role", "Cheffe de projet", "--location", "Brest", "--language", "fr",
            "--offer", "coaching", "--expertise", "career", "--modality", "video"]  # fmt: skip
    result = run_cli(*args, cwd=programme, input="")
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load((programme / "coaches" / "zoe-martin.yml").read_text("utf-8"))
    assert "charter" not in data and "declarations" not in data
    assert "charter: this required field is missing [schema.required]" in result.stdout
    assert "declarations: this required field is missing [schema.required]" in result.stdout
