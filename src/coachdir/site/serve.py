"""``coachdir serve``: build, serve site/ on a local port, rebuild when sources change."""

from __future__ import annotations

import functools
import http.server
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from coachdir.layout import SITE_SOURCES
from coachdir.problems import CoachdirError, Problem
from coachdir.site.build import SiteDirError, build_site, check_site_dir

WATCHED = SITE_SOURCES

Report = Callable[[str, list[Problem]], None]


def snapshot(root: Path) -> dict[str, float]:
    """Modification times of every watched file (polling: no extra dependency)."""
    stamps: dict[str, float] = {}
    for name in WATCHED:
        path = root / name
        try:
            paths = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        except OSError:  # a folder renamed or removed while we looked: seen on the next pass
            continue
        for item in paths:
            try:
                stamps[str(item)] = item.stat().st_mtime
            except OSError:
                continue
    return stamps


def _rebuild(root: Path, today: date | None, report: Report) -> None:
    try:
        result = build_site(root, today=today)
    except (OSError, SiteDirError) as exc:  # SiteDirError first: it is a CoachdirError too
        report(f"Build failed ({_reason(exc)}); the previous site is still served.", [])
        return
    except CoachdirError as exc:
        report(
            "Build failed; the previous site is still served. Fix the problems above.", exc.problems
        )
        return
    report(f"Built {result.coaches} coaches.", result.warnings)


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return str(exc)


def serve_forever(
    root: Path, *, host: str, port: int, today: date | None, report: Report, interval: float = 1.0
) -> None:
    """Raises SiteDirError (before serving anything) if site/ is not a folder a build may
    replace."""
    root = root.resolve()
    site = root / "site"
    check_site_dir(root, site.resolve())
    _rebuild(root, today, report)
    site.mkdir(exist_ok=True)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def translate_path(self, path: str) -> str:
            # Serve whatever site/ is now, even after a rebuild swapped the folder.
            self.directory = str(site)
            return super().translate_path(path)

    handler = functools.partial(Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    report(f"Serving http://{host}:{port}/ — press Ctrl+C to stop.", [])
    seen = snapshot(root)
    try:
        while True:
            time.sleep(interval)
            now = snapshot(root)
            if now != seen:
                seen = now
                report("Change detected, rebuilding…", [])
                _rebuild(root, today, report)
    finally:
        server.shutdown()
