"""Speed of language detection on ~5 KB documents built from the seed corpus and on one 300 KB document.

Run: ``.venv/bin/python benchmarks/langid_speed.py``. Prints the median milliseconds per document.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from annotate.corpus.langid import detect_language

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def main() -> None:
    docs = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        while len(text.encode("utf-8")) < 5000:
            text += "\n" + text
        docs.append(text)
    timings = []
    for _ in range(20):
        for d in docs:
            start = time.perf_counter()
            detect_language(d)
            timings.append(time.perf_counter() - start)
    print(f"langid: median {statistics.median(timings) * 1000:.3f} ms per ~5 KB document ({len(timings)} runs)")
    long_text = docs[-1] * 60
    start = time.perf_counter()
    guess = detect_language(long_text)
    print(f"langid: {len(long_text) / 1000:.0f} K chars in {(time.perf_counter() - start) * 1000:.1f} ms "
          f"-> {guess.lang} ({guess.reason[:60]}...)")


if __name__ == "__main__":
    main()
