"""`--site-dir` never deletes what coachdir did not write; the environment's errors are not bugs.

Real folders, real mounts (a read-only tmpfs, a second filesystem), real processes and signals.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import ROOT, TODAY, copy_programme, run_cli

ENV = {**os.environ, "COACHDIR_TODAY": TODAY, "NO_COLOR": "1"}
ENV.pop("GITHUB_ACTIONS", None)
BUILD = [sys.executable, "-m", "coachdir", "build"]


def _programme(tmp_path: Path) -> Path:
    prog = copy_programme(tmp_path / "prog")
    (prog / "mkdocs.yml").write_bytes((ROOT / "mkdocs.yml").read_bytes())
    return prog


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder (links not followed) with its bytes."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = b"-> " + os.readlink(path).encode()
        elif path.is_file():
            out[rel] = path.read_bytes()
    return out


@contextmanager
def _tmpfs(where: Path, *options: str) -> Iterator[Path]:
    """A fresh tmpfs mounted at ``where`` (another filesystem than the programme's)."""
    where.mkdir(parents=True, exist_ok=True)
    opts = ",".join(("size=256m", *options))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _remount_ro(where: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)


# -- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [".", "..", "coaches", "coaches/photos", "content", "content/fr", "schemas/site", ".github",
     "records", "records/2026"],
)  # fmt: skip
def test_site_dir_inside_or_around_the_programme_is_refused(tmp_path: Path, target: str) -> None:
    prog = _programme(tmp_path)
    (prog / ".github").mkdir()
    (prog / ".github" / "CODEOWNERS").write_text("* @team\n", encoding="utf-8")
    (prog / "records").mkdir()
    (prog / "records" / "2026.yml").write_text("kept: true\n", encoding="utf-8")
    before = _tree(tmp_path)
    result = run_cli("build", "--site-dir", target, cwd=prog)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "Choose" in result.stderr
    assert _tree(tmp_path) == before
    assert sorted(p.name for p in prog.iterdir()) == sorted(
        [
            "programme.yml",
            "schemas",
            "content",
            "groups",
            "immersions",
            "coaches",
            "mkdocs.yml",
            ".github",
            "records",
        ]
    )


def test_a_folder_with_files_coachdir_did_not_write_is_refused(tmp_path: Path) -> None:
    prog = _programme(tmp_path)
    other = tmp_path / "www"
    other.mkdir()
    (other / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = run_cli("build", "--site-dir", str(other), cwd=prog)
    assert result.returncode == 2, result.stderr
    assert "is not empty and was not written by coachdir build" in result.stderr
    assert _tree(other) == {"notes.txt": b"mine\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prog", "www"]


def test_an_empty_folder_and_an_earlier_site_are_replaced(tmp_path: Path) -> None:
    prog = _programme(tmp_path)
    out = tmp_path / "www"
    out.mkdir()
    first = run_cli("build", "--site-dir", str(out), cwd=prog)
    assert first.returncode == 0, first.stderr
    assert (out / ".coachdir-site").is_file()
    assert (out / "fr" / "coaches" / "helene-dubois" / "index.html").is_file()
    profile = prog / "coaches" / "helene-dubois.yml"
    profile.write_text(
        profile.read_text(encoding="utf-8").replace("Brest", "Ouessant"), encoding="utf-8"
    )
    second = run_cli("build", "--site-dir", str(out), cwd=prog)
    assert second.returncode == 0, second.stderr
    page = out / "fr" / "coaches" / "helene-dubois" / "index.html"
    assert "Ouessant" in page.read_text(encoding="utf-8")
    # Nothing left beside the site: the run's working folder was its own and is gone.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prog", "www"]


def test_serve_refuses_a_site_folder_it_did_not_write(tmp_path: Path) -> None:
    prog = _programme(tmp_path)
    (prog / "site").mkdir()
    (prog / "site" / "index.html").write_text("my own page\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "coachdir", "serve", "--port", "1"],
        cwd=prog,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "was not written by coachdir build" in result.stderr
    assert _tree(prog / "site") == {"index.html": b"my own page\n"}


# -- the environment ---------------------------------------------------------------------------


def test_two_builds_in_one_folder_both_succeed(tmp_path: Path) -> None:
    prog = _programme(tmp_path)
    for _ in range(2):
        runs = [
            subprocess.Popen(
                [sys.executable, "-m", "coachdir", "build"],
                cwd=prog,
                env=ENV,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outcomes = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in runs]
        for run in runs:
            for stream in (run.stdout, run.stderr):
                if stream:
                    stream.close()
        assert [code for code, _ in outcomes] == [0, 0], outcomes
    assert len(list((prog / "site" / "fr" / "coaches").iterdir())) == 28
    assert len(list((prog / "site" / "en" / "coaches").iterdir())) == 28
    assert not [p.name for p in prog.iterdir() if p.name.startswith(".coachdir-")]


def test_read_only_site_folder_is_exit_1_with_the_path(tmp_path: Path) -> None:
    prog = _programme(tmp_path)
    with _tmpfs(tmp_path / "ro") as mount:
        _remount_ro(mount)
        result = run_cli("build", "--site-dir", str(mount / "site"), cwd=prog)
    assert result.returncode == 1, result.stderr
    assert "Read-only file system" in result.stderr
    assert str(mount) in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_read_only_programme_makes_intake_exit_1(tmp_path: Path) -> None:
    body = (ROOT / "tests" / "cases" / "intake" / "registration.md").read_bytes()
    (tmp_path / "body.md").write_bytes(body)
    with _tmpfs(tmp_path / "ro") as mount:
        prog = copy_programme(mount / "prog")
        shutil.copytree(ROOT / ".github", prog / ".github")
        _remount_ro(mount)
        result = run_cli(
            "intake",
            "--form",
            "coach-registration",
            "--body",
            str(tmp_path / "body.md"),
            "--author",
            "maelle-lb",
            "--comment",
            str(tmp_path / "comment.md"),
            cwd=prog,
        )
    assert result.returncode == 1, result.stderr
    assert "Read-only file system" in result.stderr
    assert "coaches/maelle-le-bihan.yml" in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    # The submission is never echoed, not even in an error.
    assert "Maëlle" not in result.stderr


def test_a_content_page_that_is_a_link_is_refused(tmp_path: Path) -> None:
    prog = _programme(tmp_path)
    secret = tmp_path / "secret.md"
    secret.write_text("# FAQ\n\nSECRET-OUTSIDE-THE-REPOSITORY\n", encoding="utf-8")
    faq = prog / "content" / "en" / "faq.md"
    faq.unlink()
    faq.symlink_to(secret)
    os.mkfifo(prog / "content" / "fr" / "extra.md")
    result = run_cli("build", cwd=prog)
    assert result.returncode == 1, result.stderr
    assert (
        "content/en/faq.md:1:1: error: this is a symbolic link; everything in content/ must be "
        "a regular file or folder [file.not-regular]"
    ) in result.stderr
    assert "content/fr/extra.md:1:1: error: this is not a regular file" in result.stderr
    assert "SECRET" not in result.stdout + result.stderr
    assert not (prog / "site").exists()


# -- interruption ------------------------------------------------------------------------------


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except FileNotFoundError:
        return None


def _site_state(site: Path) -> dict[str, bytes]:
    return _tree(site) if site.exists() else {}


def test_ctrl_c_leaves_the_old_site_or_the_new_one_whole(tmp_path: Path) -> None:
    """SIGINT at many moments of a build onto another filesystem: never a half site."""
    demo = run_cli("demo", "--coaches", "600", "--out", str(tmp_path / "big"), cwd=ROOT)
    assert demo.returncode == 0, demo.stderr
    big = tmp_path / "big"
    (big / "mkdocs.yml").write_bytes((ROOT / "mkdocs.yml").read_bytes())
    with _tmpfs(tmp_path / "other") as other:
        site = other / "site"
        assert run_cli("build", "--root", str(big), "--site-dir", str(site)).returncode == 0
        old = _tree(site)
        profile = sorted((big / "coaches").glob("*.yml"))[0]
        text = profile.read_text(encoding="utf-8")
        profile.write_text(text.replace("role: ", "role: Changed ", 1), encoding="utf-8")
        ref = other / "ref"
        start = time.monotonic()
        assert run_cli("build", "--root", str(big), "--site-dir", str(ref)).returncode == 0
        duration = time.monotonic() - start
        new = _tree(ref)
        assert new != old
        interrupted, half, wrong = 0, [], []
        # At fractions of the build's time, then (None) the moment the swap starts: as soon as
        # site/ is no longer the old folder.
        for fraction in (0.15, 0.35, 0.55, 0.7, 0.8, 0.9, 0.95, None, None, None):
            inode = site.stat().st_ino
            process = subprocess.Popen(
                [*BUILD, "--root", str(big), "--site-dir", str(site)],
                env=ENV,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            if fraction is None:
                while process.poll() is None and _inode(site) == inode:
                    time.sleep(0.002)
            else:
                time.sleep(duration * fraction)
            process.send_signal(signal.SIGINT)
            _, err = process.communicate(timeout=300)
            state = _site_state(site)
            if state not in (old, new):
                half.append(f"{fraction or 'swap'}: {len(state)} of {len(old)} files")
                profile.write_text(text, encoding="utf-8")
                subprocess.run(["rm", "-rf", str(site)], check=True)
                assert run_cli("build", "--root", str(big), "--site-dir", str(site)).returncode == 0
                profile.write_text(text.replace("role: ", "role: Changed ", 1), encoding="utf-8")
            if process.returncode == 130 and err.strip().endswith("Interrupted."):
                interrupted += 1
            elif process.returncode == -signal.SIGINT and state == new and "Traceback" not in err:
                # The build had finished and Python was shutting down (its own Ctrl-C handler
                # already gone) when the signal came: the new site is whole, nothing to report.
                pass
            elif process.returncode != 0 or "Traceback" in err or "internal error" in err:
                wrong.append(
                    f"{fraction or 'swap'}: exit {process.returncode}: {err.strip()[-200:]}"
                )
            leftovers = sorted(p.name for p in other.iterdir() if p.name not in ("ref", "site"))
            if leftovers:
                wrong.append(f"{fraction or 'swap'}: left {leftovers}")
                subprocess.run(["rm", "-rf", *(str(other / n) for n in leftovers)], check=True)
            if state == new:  # start again from the old site
                profile.write_text(text, encoding="utf-8")
                assert run_cli("build", "--root", str(big), "--site-dir", str(site)).returncode == 0
                profile.write_text(text.replace("role: ", "role: Changed ", 1), encoding="utf-8")
                assert _tree(site) == old
        assert not half, f"half a site after SIGINT at {half}"
        assert not wrong, wrong
        assert interrupted >= 3, "too few runs were really interrupted to prove anything"


def test_a_pipe_in_coaches_is_refused_without_hanging(tmp_path: Path) -> None:
    prog = _programme(tmp_path)
    os.mkfifo(prog / "coaches" / "jo-pipe.yml")
    os.mkfifo(prog / "coaches" / "notes")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "coachdir", "validate", "--no-cache"],
            cwd=prog,
            env=ENV,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("validate hung on a FIFO in coaches/")
    assert result.returncode == 1, result.stderr
    for name in ("jo-pipe.yml", "notes"):
        assert (
            f"coaches/{name}:1:1: error: this is not a regular file (a pipe, socket or device), "
            "so it cannot be read [file.not-regular]"
        ) in result.stdout
    assert "Traceback" not in result.stderr


def test_a_mount_point_is_refused_before_building(tmp_path: Path) -> None:
    prog = _programme(tmp_path)
    with _tmpfs(tmp_path / "mnt") as mount:
        result = run_cli("build", "--site-dir", str(mount), cwd=prog)
        assert sorted(mount.iterdir()) == []
    assert result.returncode == 2, result.stderr
    assert "is a mount point" in result.stderr
    assert "Traceback" not in result.stderr


def test_ctrl_c_at_a_prompt_is_interrupted(tmp_path: Path) -> None:
    """In a real terminal (a pty), ^C at `coachdir new`'s first question."""
    import pty
    import select

    prog = _programme(tmp_path)
    pid, fd = pty.fork()
    if pid == 0:  # the child: becomes coachdir in the pty
        # As a user's shell would: SIGINT neither blocked nor ignored (a test runner's worker
        # thread may block it, and the mask survives exec).
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.chdir(prog)
        os.execve(sys.executable, [sys.executable, "-m", "coachdir", "new"], ENV)
    output = b""

    def read_until(marker: bytes, timeout: float = 60) -> None:
        nonlocal output
        deadline = time.monotonic() + timeout
        while marker not in output and time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                try:
                    output += os.read(fd, 4096)
                except OSError:
                    return

    read_until(b":")
    assert b":" in output, output
    # ^C, as a person types it; again every 2 s if the first one found the process between
    # two instructions of the terminal's line reader (seen once on a loaded machine).
    deadline = time.monotonic() + 30
    done, status = 0, 0
    while done == 0 and time.monotonic() < deadline:
        try:
            os.write(fd, b"\x03")
        except OSError:  # the terminal is gone: the process has ended
            done, status = os.waitpid(pid, 0)
            break
        read_until(b"Interrupted.", timeout=2)
        done, status = os.waitpid(pid, os.WNOHANG)
        if done == 0 and b"Interrupted." in output:
            time.sleep(0.5)
            done, status = os.waitpid(pid, os.WNOHANG)
    if done == 0:  # never hang the test run: stop the child, then fail
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 130, output
    assert b"Interrupted." in output and b"Aborted" not in output, output
    assert sorted(p.name for p in (prog / "coaches").iterdir()) == sorted(
        p.name for p in (ROOT / "coaches").iterdir()
    )


def test_a_killed_build_leaves_a_folder_the_next_build_removes(tmp_path: Path) -> None:
    prog = _programme(tmp_path)
    mine = prog / ".coachdir-build-mine"  # looks like ours, but coachdir did not make it
    mine.mkdir()
    (mine / "notes.txt").write_text("mine\n", encoding="utf-8")
    process = subprocess.Popen([*BUILD], cwd=prog, env=ENV, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(prog.glob(".coachdir-build-*/build/fr")):
        time.sleep(0.01)
    process.kill()
    process.wait(timeout=60)
    left = [p for p in prog.glob(".coachdir-build-*") if p != mine]
    assert left, "the build was not caught while working"
    result = run_cli("build", cwd=prog)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in prog.glob(".coachdir-build-*")) == [mine.name]
    assert _tree(mine) == {"notes.txt": b"mine\n"}
    assert (prog / "site" / ".coachdir-site").is_file()


def test_ctrl_c_while_coachdir_is_still_loading_is_no_traceback(tmp_path: Path) -> None:
    """Ctrl-C while the command line's modules are being imported (here: exactly when click
    is imported, which a real SIGINT in the first tenth of a second also hits)."""
    code = (
        "import builtins, runpy, sys\n"
        "real = builtins.__import__\n"
        "def ctrl_c(name, *args, **kwargs):\n"
        "    if name == 'click':\n"
        "        raise KeyboardInterrupt\n"
        "    return real(name, *args, **kwargs)\n"
        "builtins.__import__ = ctrl_c\n"
        "sys.argv = ['coachdir', 'validate']\n"
        "runpy.run_module('coachdir', run_name='__main__')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=ENV, capture_output=True, text=True
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr == "Interrupted.\n"
    assert result.returncode == 130
