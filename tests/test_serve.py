"""`coachdir serve`: builds, serves on 127.0.0.1 and rebuilds when a profile changes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import ROOT, TODAY, copy_programme


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait_for(predicate, timeout: float = 90.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def test_serve_rebuilds_on_change(tmp_path: Path) -> None:
    prog = copy_programme(tmp_path / "prog")
    (prog / "mkdocs.yml").write_bytes((ROOT / "mkdocs.yml").read_bytes())
    port = _free_port()
    env = {**os.environ, "COACHDIR_TODAY": TODAY}
    process = subprocess.Popen(
        [sys.executable, "-m", "coachdir", "serve", "--port", str(port)],
        cwd=prog,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        page = f"http://127.0.0.1:{port}/fr/coaches/helene-dubois/"
        assert _wait_for(lambda: "Hélène Dubois" in _get(page)), "the site was never served"
        profile = prog / "coaches" / "helene-dubois.yml"
        profile.write_text(
            profile.read_text(encoding="utf-8").replace("Brest", "Ouessant"), encoding="utf-8"
        )
        assert _wait_for(lambda: "Ouessant" in _get(page)), "the change was never rebuilt"
        # A broken profile keeps the previous site online.
        profile.write_text("name: [\n", encoding="utf-8")
        time.sleep(3)
        assert "Ouessant" in _get(page)
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    assert "Traceback" not in err
    assert "Build failed" in err


def test_serve_survives_builds_beside_it_and_ctrl_c_is_interrupted(tmp_path: Path) -> None:
    import signal

    from conftest import run_cli

    prog = copy_programme(tmp_path / "prog")
    (prog / "mkdocs.yml").write_bytes((ROOT / "mkdocs.yml").read_bytes())
    port = _free_port()
    env = {**os.environ, "COACHDIR_TODAY": TODAY}
    process = subprocess.Popen(
        [sys.executable, "-m", "coachdir", "serve", "--port", str(port), "--host", "127.0.0.1"],
        cwd=prog,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        page = f"http://127.0.0.1:{port}/fr/coaches/helene-dubois/"
        assert _wait_for(lambda: "Hélène Dubois" in _get(page)), "the site was never served"
        profile = prog / "coaches" / "helene-dubois.yml"
        text = profile.read_text(encoding="utf-8")
        for town in ("Ouessant", "Molène", "Sein"):
            # Each change makes serve rebuild while a build of the same folder runs beside it.
            profile.write_text(text.replace("Brest", town), encoding="utf-8")
            time.sleep(1.2)
            build = run_cli("build", cwd=prog)
            assert build.returncode == 0, build.stderr
            assert process.poll() is None, "serve died while a build ran beside it"
        assert _wait_for(lambda: "Sein" in _get(page)), "the last change was never served"
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130, err
    assert err.rstrip().endswith("Interrupted."), err
    assert "Traceback" not in err and "internal error" not in err
    assert "Build failed" not in err, err
    assert not [p.name for p in prog.iterdir() if p.name.startswith(".coachdir-")]


def test_serve_watches_the_published_availability_and_indicators(tmp_path: Path) -> None:
    """Both are inputs of the build: a new availability.json or release rebuilds the site."""
    from coachdir.site.serve import snapshot

    (tmp_path / "indicators").mkdir()
    (tmp_path / "indicators" / "2026-Q3.json").write_text("{}", "utf-8")
    (tmp_path / "availability.json").write_text("{}", "utf-8")
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "x.yml").write_text("", "utf-8")
    seen = {Path(p).relative_to(tmp_path).as_posix() for p in snapshot(tmp_path)}
    assert seen == {"indicators/2026-Q3.json", "availability.json"}


def test_serve_help_and_readme_list_the_same_watched_sources() -> None:
    """One list in code (coachdir.layout.SITE_SOURCES) is what serve watches, what its --help
    says and what README's command table says."""
    import re

    from coachdir.layout import SITE_SOURCES, site_sources_text
    from coachdir.site import serve
    from conftest import run_cli

    assert serve.WATCHED == SITE_SOURCES
    help_text = " ".join(run_cli("serve", "--help").stdout.split())
    assert site_sources_text() in help_text
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    row = re.search(r"\| `coachdir serve` \|([^|]*)\|", readme)
    assert row is not None
    assert f"rebuilds when {site_sources_text(code=True)} change" in row.group(1)
    for name in SITE_SOURCES:
        assert f"`{name}`" in row.group(1) and name in help_text
