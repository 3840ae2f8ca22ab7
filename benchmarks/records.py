"""Benchmark: `coachdir validate --records` on 10,000 coaches with 10,000 then 100,000
engagements, then `coachdir indicators` over 8 releases of the largest.

Usage: python benchmarks/records.py [--coaches 10000] [--sizes 10000 100000] [--out DIR]
       [--indicators N] [--no-validate]

Writes a programme with `coachdir demo --coaches N`, gives it one cohort a year with places
enough for every engagement (the demo's programme.yml has two cohorts of 40), then records with
`coachdir demo --records --engagements M` (every state, with sessions, valid under every rule),
and times a cold `coachdir validate --no-cache
--records` for each size under `/usr/bin/time -v` (peak resident memory). Prints a Markdown
table with the times, the ratio to the first size and the peak memory. Then publishes the 8
releases of README "Indicators" in their order (2025-Q1 to 2025-Q4, 2025, 2026-Q1 to 2026-Q3,
with COACHDIR_TODAY after the last) from the records of `--indicators` engagements (default:
the largest size) with the programme's manifest, each audited jointly with the ones before it,
into a scratch folder, and prints each release's time and peak memory and the total. Not a
test.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import BIN, demo_programme

RELEASES = ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2025", "2026-Q1", "2026-Q2", "2026-Q3")


def timed(cmd: list[str], prog: Path, env: dict[str, str]) -> tuple[float, int, str]:
    """Seconds, peak resident memory (KiB) and output of one command under /usr/bin/time."""
    start = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-v", *cmd], cwd=prog, env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{cmd[1]} exited {result.returncode}:\n{result.stdout[-2000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    return elapsed, int(peak.group(1)) if peak else 0, result.stdout


def indicators(prog: Path, records: Path, out: Path, env: dict[str, str]) -> list[Any]:
    """Publish RELEASES in order into ``out`` (a new folder): each release's seconds, peak
    memory and summary line."""
    rows = []
    for release in RELEASES:
        cmd = [str(BIN / "coachdir"), "indicators", "--records", str(records)]
        cmd += ["--release", release, "--out", str(out)]
        seconds, peak, output = timed(cmd, prog, env)
        hidden = re.search(r"(\d+) of (\d+) cells suppressed", output)
        rows.append((release, seconds, peak, hidden.group(0) if hidden else output.strip()))
        print(f"indicators {release}: {seconds:.1f}s, peak {peak / 1024:.0f} MiB", file=sys.stderr)
    return rows


def validate(prog: Path, records: Path, env: dict[str, str]) -> tuple[float, int]:
    """Seconds and peak resident memory (KiB) of one cold validation."""
    cmd = [str(BIN / "coachdir"), "validate", "--no-cache", "--jobs", "1"]
    seconds, peak, _ = timed([*cmd, "--records", str(records)], prog, env)
    return seconds, peak


def yearly_cohorts(prog: Path, engagements: int) -> None:
    """Replace the programme's cohorts with one a year, from the first year of the scaled
    records (at most 9,000 requests a year, up to 2026) to 2027, each with a place for every
    engagement, so cohort places never limit the benchmark's records."""
    path = prog / "programme.yml"
    first = 2026 - max(1, -(-engagements // 9000)) + 1
    lines = ["cohorts:"]
    for year in range(first, 2028):
        lines += [
            f"  - id: cohort-{year}",
            f'    fr: "Promotion {year}"',
            f'    en: "{year} cohort"',
            f'    opens: "{year}-01-01"',
            f'    closes: "{year}-12-31"',
            f"    places: {engagements}",
        ]
    text = path.read_text(encoding="utf-8")
    text, count = re.subn(r"^cohorts:\n(?:  .*\n)+", "\n".join(lines) + "\n", text, flags=re.M)
    if count != 1:
        sys.exit(f"{path}: no cohorts block to replace")
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coaches", type=int, default=10000)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--indicators", type=int, default=None, help="0: no indicators")
    parser.add_argument("--no-validate", action="store_true", help="only make the records")
    args = parser.parse_args()
    size_for_indicators = max(args.sizes) if args.indicators is None else args.indicators
    work = args.out or Path(tempfile.mkdtemp(prefix="coachdir-bench-records-"))
    env = {**os.environ, "COACHDIR_TODAY": "2026-11-22"}
    env.pop("GITHUB_ACTIONS", None)
    prog = demo_programme(work / f"programme-{args.coaches}", args.coaches, env)
    yearly_cohorts(prog, max([*args.sizes, size_for_indicators]))
    rows = []
    sizes = sorted({*args.sizes, size_for_indicators} - {0})
    for size in sizes:
        records = work / f"records-{size}"
        if not records.exists():
            subprocess.run(
                [
                    *(str(BIN / "coachdir"), "demo", "--records", "--engagements", str(size)),
                    *("--root", str(prog), "--out", str(records)),
                ],
                check=True,
                capture_output=True,
                env=env,
            )
        if args.no_validate or size not in args.sizes:
            continue
        seconds, peak = validate(prog, records, env)
        rows.append((size, seconds, peak))
        print(f"{size}: {seconds:.1f}s, peak {peak / 1024:.0f} MiB", file=sys.stderr)
    published = []
    if size_for_indicators:
        out = work / f"indicators-{size_for_indicators}"
        shutil.rmtree(out, ignore_errors=True)
        published = indicators(prog, work / f"records-{size_for_indicators}", out, env)
        shutil.rmtree(out, ignore_errors=True)
    load = os.getloadavg()[0]
    print(f"\nMachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; one cold run;")
    print(f"load average {load:.1f} at the end.\n")
    if published:
        total = sum(seconds for _, seconds, _, _ in published)
        print(
            f"| release ({size_for_indicators:,} engagements) | indicators | peak memory | hidden |"
        )
        print("|---|---:|---:|---|")
        for release, seconds, peak, hidden in published:
            print(f"| {release} | {seconds:.1f} s | {peak / 1024:.0f} MiB | {hidden} |")
        peak = max(p for _, _, p, _ in published)
        print(f"| all 8 | {total:.1f} s | {peak / 1024:.0f} MiB | |\n")
    if not rows:
        return
    print("| coaches | engagements | validate --records (cold) | ratio | peak memory |")
    print("|---:|---:|---:|---:|---:|")
    for size, seconds, peak in rows:
        print(
            f"| {args.coaches:,} | {size:,} | {seconds:.1f} s | {seconds / rows[0][1]:.1f}× "
            f"| {peak / 1024:.0f} MiB |"
        )


if __name__ == "__main__":
    main()
