"""Benchmark: `coachdir validate` against `check-jsonschema` on the same synthetic profiles.

Usage: python benchmarks/validate.py [--sizes 250 1000 10000] [--runs 3] [--out DIR]

For each size it writes a programme with `coachdir demo`, then times, in the same run:
- check-jsonschema --schemafile schemas/coach.schema.json coaches/*.yml
- coachdir validate --no-cache          (cold: nothing cached)
- coachdir validate with a primed cache (warm)
and prints a Markdown table of medians and ratios. Not a test: numbers vary by machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import BIN, demo_programme


def timed(cmd: list[str], cwd: Path, env: dict[str, str], expect: int = 0) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != expect:
        sys.exit(
            f"{cmd[0]} exited {result.returncode}:\n{result.stdout[-2000:]}\n"
            f"{result.stderr[-2000:]}"
        )
    return elapsed


def median_of(
    runs: int, cmd: list[str], cwd: Path, env: dict[str, str], before: list[Path] | None = None
) -> float:
    times = []
    for _ in range(runs):
        for path in before or []:
            shutil.rmtree(path, ignore_errors=True)
        times.append(timed(cmd, cwd, env))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    work = args.out or Path(tempfile.mkdtemp(prefix="coachdir-bench-"))
    rows = []
    for size in args.sizes:
        prog = work / f"programme-{size}"
        demo_programme(prog, size)
        cache = work / f"cache-{size}"
        env = {**os.environ, "COACHDIR_CACHE_DIR": str(cache), "COACHDIR_TODAY": "2026-11-22"}
        env.pop("GITHUB_ACTIONS", None)
        files = sorted(str(p.relative_to(prog)) for p in (prog / "coaches").glob("*.yml"))
        cjs = median_of(
            args.runs,
            [str(BIN / "check-jsonschema"), "--schemafile", "schemas/coach.schema.json", *files],
            prog,
            env,
        )
        cold = median_of(args.runs, [str(BIN / "coachdir"), "validate", "--no-cache"], prog, env)
        timed([str(BIN / "coachdir"), "validate"], prog, env)  # prime the cache
        warm = median_of(args.runs, [str(BIN / "coachdir"), "validate"], prog, env)
        rows.append((size, cjs, cold, warm))
        print(
            f"{size}: check-jsonschema {cjs:.2f}s, cold {cold:.2f}s ({cjs / cold:.1f}x), "
            f"warm {warm:.2f}s ({cjs / warm:.1f}x)",
            file=sys.stderr,
        )
    print(
        f"\nMachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
        f"median of {args.runs} runs.\n"
    )
    print("| profiles | check-jsonschema | coachdir cold | ratio | coachdir warm | ratio |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size, cjs, cold, warm in rows:
        print(
            f"| {size:,} | {cjs:.2f} s | {cold:.2f} s | {cjs / cold:.1f}× | {warm:.2f} s "
            f"| {cjs / warm:.1f}× |"
        )


if __name__ == "__main__":
    main()
