"""CLI startup: wall time of ``annotate --help`` and ``annotate dates extract`` on one short sentence, hyperfine-style.

Each command runs ``--warmup`` times unmeasured, then ``--runs`` times; the script prints the minimum, the
median and the maximum wall time, the median CPU time of the process (user + system: steadier than wall time on
a shared machine), the interpreter's own floor (``python -c pass``) for comparison, and, with ``--imports``, the
modules each command spends most of its import time in (``python -X importtime``).
Targets (issue 12): ``annotate --help`` under 0.3 s, ``annotate dates extract`` startup under 0.5 s.

``--against DIR`` also times another checkout (``DIR`` holds its ``annotate/`` package, e.g. from ``git archive
REV annotate | tar -x -C DIR``) with this interpreter and packages: both trees run as ``python -c "from
annotate.cli import cli; cli()" ...`` from their own directory, their runs alternated, so that a before/after
comparison sees the same load.

Run: ``.venv/bin/python benchmarks/cli_startup.py [--runs 20] [--warmup 3] [--imports] [--against DIR]``.
Timings on a shared machine vary with its load: compare the minimum and the CPU time, and run it on a quiet machine
for figures to quote.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

SENTENCE = "سخنگوی ائتلاف روز ۱۰ بهمن ۱۳۹۸ (30 ژانویه 2020) گفت نیروها خارج می‌شوند.\n"
"""A Persian sentence with a Solar Hijri date and its Gregorian equivalent: enough to run the whole pipeline."""


def annotate_argv() -> list[str]:
    """How to start the ``annotate`` console script of this interpreter's environment."""
    script = Path(sys.executable).parent / "annotate"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from annotate.cli import cli; cli()"]


def time_runs(argv: list[str], *, stdin: str, runs: int, warmup: int,
              cwd: Path | None = None) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of ``runs`` runs of ``argv`` (after ``warmup`` unmeasured ones); fails if a run fails."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    walls, cpus = [], []
    for i in range(warmup + runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(argv, input=stdin.encode("utf-8"), capture_output=True, env=env, check=False, cwd=cwd)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
        if i >= warmup:
            walls.append(elapsed)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def top_imports(argv: list[str], *, stdin: str, count: int = 8) -> list[tuple[int, str]]:
    """The ``count`` top-level imports of a command with the largest cumulative time (microseconds)."""
    code = "import sys; from annotate.cli import cli; sys.argv[0] = 'annotate'; cli()"
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", code, *argv[1:]],
                          input=stdin.encode("utf-8"), capture_output=True, check=False)
    rows = []
    for line in done.stderr.decode().splitlines():
        parts = line.removeprefix("import time:").split("|")
        if not line.startswith("import time:") or len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        if not parts[2].startswith("  "):  # nested imports are indented by two more spaces per level
            rows.append((int(parts[1]), parts[2].strip()))
    return sorted(rows, reverse=True)[:count]


CLI_CODE = "import sys; from annotate.cli import cli; sys.argv[0] = 'annotate'; cli()"
"""The ``annotate`` console script's work, for running the package of the current directory."""


def compare(trees: dict[str, Path], cases: list[tuple[str, list[str], str]], *, runs: int, warmup: int) -> None:
    """Print wall and CPU seconds of each case in each tree, the runs of the trees alternated."""
    print(f"{'command':<40} {'tree':<12} {'min':>7} {'median':>7} {'max':>7} {'cpu':>7}  "
          f"({runs} runs each, alternated, {warmup} warm-up)")
    for label, args, stdin in cases:
        got: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in trees}
        for i in range(warmup + runs):
            for name, tree in trees.items():
                walls, cpus = time_runs([sys.executable, "-c", CLI_CODE, *args], stdin=stdin, runs=1, warmup=0,
                                        cwd=tree)
                if i >= warmup:
                    got[name][0].extend(walls)
                    got[name][1].extend(cpus)
        for name, (walls, cpus) in got.items():
            print(f"{label:<40} {name:<12} {min(walls):7.3f} {statistics.median(walls):7.3f} {max(walls):7.3f} "
                  f"{statistics.median(cpus):7.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--imports", action="store_true", help="Also show where each command spends its import time.")
    ap.add_argument("--against", type=Path, metavar="DIR",
                    help="Compare with the annotate/ package of another checkout in DIR (runs alternated).")
    args = ap.parse_args()
    if args.against is not None:
        if not (args.against / "annotate" / "cli" / "__init__.py").is_file():
            raise SystemExit(f"{args.against} holds no annotate/ package")
        compare({"this": Path(__file__).resolve().parents[1], "against": args.against.resolve()},
                [("annotate --help", ["--help"], ""),
                 ("annotate dates extract - --lang fa", ["dates", "extract", "-", "--lang", "fa",
                                                         "--reference-date", "2020-02-02"], SENTENCE)],
                runs=args.runs, warmup=args.warmup)
        return 0
    annotate = annotate_argv()
    cases = [
        ("python -c pass (interpreter floor)", [sys.executable, "-c", "pass"], "", None),
        ("annotate --help", [*annotate, "--help"], "", 0.3),
        ("annotate dates extract - --lang fa", [*annotate, "dates", "extract", "-", "--lang", "fa",
                                                "--reference-date", "2020-02-02"], SENTENCE, 0.5),
    ]
    print(f"{'command':<40} {'min':>7} {'median':>7} {'max':>7} {'cpu':>7}  target   "
          f"({args.runs} runs, {args.warmup} warm-up; wall seconds, median CPU seconds)")
    for label, argv, stdin, target in cases:
        times, cpus = time_runs(argv, stdin=stdin, runs=args.runs, warmup=args.warmup)
        verdict = "" if target is None else f"< {target:.1f} s " + ("ok" if min(times) < target else "MISSED")
        print(f"{label:<40} {min(times):7.3f} {statistics.median(times):7.3f} {max(times):7.3f} "
              f"{statistics.median(cpus):7.3f}  {verdict}")
        if args.imports and target is not None:
            for micros, name in top_imports(argv, stdin=stdin):
                print(f"    {micros / 1e6:6.3f} s  import {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
