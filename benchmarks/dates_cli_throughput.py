"""End-to-end throughput of ``annotate dates extract`` on a large JSON Lines file (issue 13).

The input is generated deterministically (``--seed``) from the same corpus as ``dates_throughput.py`` (seed
sentences with dates of every month-name set and digit script), one document a line with ``id``, ``text``,
``lang`` and ``reference_date``, until it reaches ``--mb`` MB (default 50).  The command runs as a user runs it:
a fresh process of the installed ``annotate`` script, reading the file and writing its JSON Lines to a file, so
start-up (imports, pattern compilation), input parsing, the engine and output all count.  MB are 10**6 bytes of
the input file.  Printed: the start-up alone (the command on a one-line file); one process (``--jobs 1``): wall
and CPU MB/s (CPU time is less sensitive to other load on the machine); the default (one worker per CPU for a
file this size): wall-clock MB/s (the target, >= 8 MB/s), checked to give the same output as one process.

Run: ``.venv/bin/python benchmarks/dates_cli_throughput.py [--mb 50] [--seed 7] [--keep]``.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dates_throughput import generate_corpus

TARGET_MB_S = 8.0


def write_input(path: Path, megabytes: float, seed: int) -> float:
    """The generated documents as JSON Lines at ``path``; returns the file's size in MB."""
    with path.open("w", encoding="utf-8") as out:
        for i, (text, lang, ref) in enumerate(generate_corpus(megabytes, seed)):
            out.write(json.dumps({"id": f"doc-{i}", "text": text, "lang": lang, "reference_date": ref.isoformat()},
                                 ensure_ascii=False) + "\n")
    return path.stat().st_size / 1e6


def run(command: list[str], output: Path) -> tuple[float, float]:
    """Wall seconds and child CPU seconds of ``command`` with stdout written to ``output``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with output.open("wb") as out:
        subprocess.run(command, stdout=out, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=50.0, help="input size in MB (default 50)")
    parser.add_argument("--seed", type=int, default=7, help="corpus random seed (default 7)")
    parser.add_argument("--keep", action="store_true", help="keep the generated input and output files")
    args = parser.parse_args()
    annotate = str(Path(sys.executable).parent / "annotate")
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    with tempfile.TemporaryDirectory(prefix="dates-cli-") as tmp:
        folder = Path(tmp)
        big, small, out = folder / "docs.jsonl", folder / "one.jsonl", folder / "out.jsonl"
        t0 = time.perf_counter()
        mb = write_input(big, args.mb, args.seed)
        print(f"input: {big.name}, {mb:.2f} MB (seed {args.seed}, generated in {time.perf_counter() - t0:.1f}s)")
        small.write_text(big.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
        start_wall, start_cpu = run([annotate, "dates", "extract", str(small)], out)
        print(f"start-up:   {start_wall:6.2f}s wall, {start_cpu:6.2f}s CPU (the command on a one-line file)")
        one = folder / "out-one.jsonl"
        wall1, cpu1 = run([annotate, "dates", "extract", str(big), "--jobs", "1"], one)
        print(f"one process: {wall1:6.2f}s wall = {mb / wall1:6.2f} MB/s; {cpu1:6.2f}s CPU = {mb / cpu1:6.2f} MB/s")
        wall, cpu = run([annotate, "dates", "extract", str(big)], out)
        lines = sum(1 for _ in out.open(encoding="utf-8"))
        rate = mb / wall
        print(f"end to end (default --jobs, {cpus} CPUs): {wall:6.2f}s wall = {rate:6.2f} MB/s; {cpu:6.2f}s CPU in "
              f"all processes; {lines} output lines ({out.stat().st_size / 1e6:.1f} MB), "
              f"{'the same as' if filecmp.cmp(one, out, shallow=False) else 'DIFFERENT from'} one process's")
        print(f"target >= {TARGET_MB_S:g} MB/s wall: {'met' if rate >= TARGET_MB_S else 'NOT met'}; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall time grows with other load)")
        if args.keep:
            kept = Path(tempfile.mkdtemp(prefix="dates-cli-kept-"))
            for f in (big, out):
                f.rename(kept / f.name)
            print(f"kept in {kept}")


if __name__ == "__main__":
    main()
