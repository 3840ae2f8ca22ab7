"""Benchmark: `coachdir build` against a plain mkdocs-material build of as many simple pages.

Usage: python benchmarks/build.py [--sizes 250 1000 10000] [--runs 1] [--no-browser]

For each size, in the same run:
- `coachdir demo` writes a synthetic programme of N coaches;
- `coachdir build` is timed (validation, render, two MkDocs builds, N x 2 coach pages);
- a plain mkdocs-material site of N simple pages (about 1.2 KB of Markdown each, out of the
  navigation, the fastest plain configuration) is timed;
- peak memory (max RSS of the child processes), site/ size and the directory data size (raw
  and gzipped, French file) are reported;
- at the largest size, headless Chromium measures one search keystroke and one facet click on
  the directory (performance.now() inside the page, as reported by the page's own script).
Prints a Markdown table. Not a test: numbers vary by machine.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path

from common import BIN, ROOT, demo_programme

CHILD_RSS = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code)
"""


def run_measured(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of the command and its children."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", CHILD_RSS, *cmd],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(cmd[:3])} failed ({result.returncode})")
    return elapsed, int(result.stdout.strip().splitlines()[-1])


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def plain_site(folder: Path, pages: int) -> None:
    docs = folder / "docs"
    docs.mkdir(parents=True)
    para = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 4).strip()
    (docs / "index.md").write_text("# Home\n\nPlain pages.\n", encoding="utf-8")
    for i in range(pages):
        (docs / f"page-{i:05d}.md").write_text(
            f"# Page {i}\n\n{para}\n\n## Section\n\n{para}\n\n- one\n- two\n- three\n\n{para}\n"
            f"\n{para}\n",
            encoding="utf-8",
        )
    (folder / "mkdocs.yml").write_text(
        "site_name: plain\ntheme:\n  name: material\n  font: false\nnav:\n  - index.md\n"
        "plugins:\n  - search\n",
        encoding="utf-8",
    )


def browser_timings(site: Path) -> tuple[float, float] | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    chromium = os.environ.get("COACHDIR_CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        return None

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return

    handler = partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/fr/directory/"
    keys: list[float] = []
    clicks: list[float] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page()
        page.goto(url)
        page.wait_for_function("window.coachdirDirectory && window.coachdirDirectory.ready")
        page.evaluate("window.coachdirDirectory.ready")
        box = page.locator("#cd-directory input[type=search]")
        for ch in "marie dupont"[:10]:
            box.press(ch)
            keys.append(page.evaluate("window.coachdirDirectory.lastUpdateMs"))
        box.fill("")
        boxes = page.locator("#cd-directory fieldset input[type=checkbox]")
        for i in range(min(10, boxes.count())):
            boxes.nth(i).click()
            clicks.append(page.evaluate("window.coachdirDirectory.lastUpdateMs"))
            boxes.nth(i).click()
            clicks.append(page.evaluate("window.coachdirDirectory.lastUpdateMs"))
        browser.close()
    server.shutdown()
    return statistics.median(keys), statistics.median(clicks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 1000, 10000])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="coachdir-build-bench-"))
    env = {**os.environ, "COACHDIR_TODAY": "2026-11-22", "PYTHONWARNINGS": "ignore"}
    rows = []
    timings = None
    for size in args.sizes:
        prog = work / f"programme-{size}"
        demo_programme(prog, size, env)
        shutil.copy(ROOT / "mkdocs.yml", prog / "mkdocs.yml")
        plain = work / f"plain-{size}"
        plain_site(plain, size)
        ours, plains, ours_rss, plain_rss = [], [], 0, 0
        for _ in range(args.runs):
            t, rss = run_measured([str(BIN / "coachdir"), "build", "--root", str(prog)], prog, env)
            ours.append(t)
            ours_rss = max(ours_rss, rss)
            shutil.rmtree(plain / "site", ignore_errors=True)
            t, rss = run_measured([str(BIN / "mkdocs"), "build", "-q"], plain, env)
            plains.append(t)
            plain_rss = max(plain_rss, rss)
        data = (prog / "site" / "fr" / "assets" / "coaches.json").read_bytes()
        row = (
            size,
            statistics.median(ours),
            statistics.median(plains),
            ours_rss,
            plain_rss,
            du(prog / "site"),
            du(plain / "site"),
            len(data),
            len(gzip.compress(data, 9)),
        )
        rows.append(row)
        print(f"{size}: coachdir build {row[1]:.1f}s, plain {row[2]:.1f}s", file=sys.stderr)
        if size == max(args.sizes) and not args.no_browser:
            timings = browser_timings(prog / "site")
    print(
        f"\nMachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; median of "
        f"{args.runs} run(s). Sizes in MB unless noted.\n"
    )
    print(
        "| coaches | coachdir build | plain mkdocs-material | ratio | peak RSS (ours / plain) "
        "| site size (ours / plain) | directory data raw | gzipped |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    mb = 1024 * 1024
    for size, ours, plain_t, o_rss, p_rss, o_size, p_size, raw, gz in rows:
        print(
            f"| {size:,} | {ours:.1f} s | {plain_t:.1f} s | {ours / plain_t:.2f}× "
            f"| {o_rss / 1024:.0f} / {p_rss / 1024:.0f} MiB | {o_size / mb:.1f} / "
            f"{p_size / mb:.1f} | {raw / 1024:.0f} KB | {gz / 1024:.1f} KB |"
        )
    if timings:
        print(
            f"\nDirectory at {max(args.sizes):,} coaches in headless Chromium: median "
            f"{timings[0]:.1f} ms per search keystroke, {timings[1]:.1f} ms per facet click."
        )


if __name__ == "__main__":
    main()
