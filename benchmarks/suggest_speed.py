"""Training the tagger on 1,000 documents on one core, and suggesting for one document (issue 18).

The documents come from ``tests/suggest_corpus.py`` (fa/prs/ar news-style, about 470 characters, 12 entity
mentions and 6 triggers each). The process is pinned to one CPU; training prints CPU seconds (what one core
spent) next to wall seconds (which also count other processes on a shared machine). Suggesting prints p50, p95
and max, in CPU milliseconds and wall milliseconds, over 200 documents of: the tagger, the project's string
matcher, both as stored sets (what ``annotate suggest run`` does per document, without the database write), and
the live suggestions the workspace recomputes after each edit; then the same for a 5,000-character document.
Targets: training under 60 s, suggesting under 100 ms.

    .venv/bin/python benchmarks/suggest_speed.py [--docs 1000]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import suggest_corpus as corpus

from annotate.models import MODEL_AUTHOR, STRINGS_AUTHOR, Document
from annotate.suggest.forms import Tokenized
from annotate.suggest.matcher import Example, build_matcher
from annotate.suggest.run import live_suggestions
from annotate.suggest.sets import combine, suggestion_set
from annotate.suggest.tagger import train_tagger


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _times(docs: list[Document], fn: Callable[[Document], object]) -> str:
    cpu, wall = [], []
    for d in docs:
        c, w = time.process_time(), time.perf_counter()
        fn(d)
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)

    def stats(ms: list[float]) -> str:
        ms.sort()
        return f"p50 {statistics.median(ms):6.1f}  p95 {ms[int(0.95 * (len(ms) - 1))]:6.1f}  max {ms[-1]:6.1f}"

    return f"CPU ms {stats(cpu)}   wall ms {stats(wall)}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1000)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    print(f"CPUs this process may use: {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    examples = [Example(*corpus.to_models(r)) for r in corpus.generate(args.docs)]
    chars = sum(len(ex.document.text) for ex in examples)
    print(f"{len(examples)} documents, {chars / len(examples):.0f} characters each on average, "
          f"{sum(len(ex.aset.entities) for ex in examples)} entity mentions, "
          f"{sum(len(ex.aset.events) for ex in examples)} triggers")
    with tempfile.TemporaryDirectory() as tmp:
        cpu, wall = _cpu(), time.perf_counter()
        tagger = train_tagger(examples, Path(tmp) / "m")
        cpu, wall = _cpu() - cpu, time.perf_counter() - wall
        print(f"train: {cpu:.1f} s CPU, {wall:.1f} s wall ({tagger.meta['sentences']} sentences; phases, wall s: "
              f"{tagger.meta['timings']})")
        matcher = build_matcher(examples)
        test = [corpus.to_models(r)[0] for r in corpus.generate(200, start=args.docs)]
        long_doc = Document.create("\n\n".join(d.text for d in test[:11]), lang="fa", id="long")

        def stored(d: Document) -> object:
            tokens = Tokenized.of(d.text)
            return (suggestion_set(d, matcher.suggest(d, tokens), STRINGS_AUTHOR),
                    suggestion_set(d, tagger.predict(d, tokens), MODEL_AUTHOR))

        own = {d.id: corpus.to_models(corpus.document(i + args.docs))[1] for i, d in enumerate(test)}

        def live(d: Document) -> object:
            aset = own.get(d.id) or own[test[0].id].model_copy(update={"doc_id": d.id, "entities": []})
            return combine(d.id, [live_suggestions(d, aset)])

        for name, docs in ((f"{len(test)} documents", test), (f"one document of {len(long_doc.text)} characters",
                                                                [long_doc] * 20)):
            print(f"suggest, {name}:")
            print(f"  tagger               {_times(docs, tagger.predict)}")
            print(f"  string matcher       {_times(docs, matcher.suggest)}")
            print(f"  both, as sets        {_times(docs, stored)}")
            print(f"  live, after an edit  {_times(docs, live)}")


if __name__ == "__main__":
    main()
