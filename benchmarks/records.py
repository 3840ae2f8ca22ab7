"""Benchmark: `coachdir validate --records` on 10,000 coaches with 10,000 then 100,000
engagements.

Usage: python benchmarks/records.py [--coaches 10000] [--sizes 10000 100000] [--out DIR]

Writes a programme with `coachdir demo --coaches N`, gives it one cohort a year with places
enough for every engagement (the demo's programme.yml has two cohorts of 40), then records with
`coachdir demo --records --engagements M` (every state, with sessions, valid under every rule),
and times a cold `coachdir validate --no-cache
--records` for each size under `/usr/bin/time -v` (peak resident memory). Prints a Markdown
table with the times, the ratio to the first size and the peak memory. Not a test.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import BIN, demo_programme


def validate(prog: Path, records: Path, env: dict[str, str]) -> tuple[float, int]:
    """Seconds and peak resident memory (KiB) of one cold validation."""
    cmd = ["/usr/bin/time", "-v", str(BIN / "coachdir"), "validate", "--no-cache", "--jobs", "1"]
    cmd += ["--records", str(records)]
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=prog, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"validate exited {result.returncode}:\n{result.stdout[-2000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    return elapsed, int(peak.group(1)) if peak else 0


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
    args = parser.parse_args()
    work = args.out or Path(tempfile.mkdtemp(prefix="coachdir-bench-records-"))
    env = {**os.environ, "COACHDIR_TODAY": "2026-11-22"}
    env.pop("GITHUB_ACTIONS", None)
    prog = demo_programme(work / f"programme-{args.coaches}", args.coaches, env)
    yearly_cohorts(prog, max(args.sizes))
    rows = []
    for size in args.sizes:
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
        seconds, peak = validate(prog, records, env)
        rows.append((size, seconds, peak))
        print(f"{size}: {seconds:.1f}s, peak {peak / 1024:.0f} MiB", file=sys.stderr)
    print(f"\nMachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; one cold run.\n")
    print("| coaches | engagements | validate --records (cold) | ratio | peak memory |")
    print("|---:|---:|---:|---:|---:|")
    for size, seconds, peak in rows:
        print(
            f"| {args.coaches:,} | {size:,} | {seconds:.1f} s | {seconds / rows[0][1]:.1f}× "
            f"| {peak / 1024:.0f} MiB |"
        )


if __name__ == "__main__":
    main()
