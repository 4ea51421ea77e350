"""Import speed: generate N documents of about SIZE bytes and import them through ``annotate.corpus.importer``.

Run: ``.venv/bin/python benchmarks/import_speed.py`` (10,000 documents of ~5 KB, target: under 60 s).
``--detect`` leaves out the language so every document goes through language detection;
``--database-url`` benchmarks another database (the default is a SQLite project in a temporary directory).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from annotate.corpus.importer import import_paths
from annotate.project import init_project

FA_WORDS = (
    "تهران خبرگزاری گزارش رئیس جمهور دولت مجلس نشست امروز گفت می\u200cشود است بود کرد سال ماه روز بهمن "
    "فروردین ژانویه ۱۴۰۰ ۱۳۹۸ حمله نیروهای عراق آمریکا پایگاه عین\u200cالاسد سپاه پاسداران وزیر خارجه"
).split()
AR_WORDS = (
    "قال المتحدث باسم التحالف الدولي في بغداد يوم كانون الثاني يناير ٢٠٢٠ الحكومة العراقية البرلمان "
    "القوات الأمريكية قاعدة عين الأسد وزير الخارجية مجلس الأمن"
).split()
PRS_WORDS = "کابل صدراعظم جنوری دلو حمل ولایت طالبان امارت اسلامی سخنگو گفت امسال سال گذشته ۱۴۰۲".split()


def make_corpus(path: Path, n: int, size: int, *, with_lang: bool, seed: int = 7) -> int:
    """Write ``n`` JSONL documents of about ``size`` UTF-8 bytes; return the total bytes of text."""
    rng = random.Random(seed)
    total = 0
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            lang, words = rng.choice([("fa", FA_WORDS), ("ar", AR_WORDS), ("prs", PRS_WORDS + FA_WORDS)])
            parts: list[str] = []
            length = 0
            while length < size:
                w = rng.choice(words)
                parts.append(w)
                length += len(w.encode("utf-8")) + 1
                if rng.random() < 0.05:
                    parts.append(".\n")
            text = f"{i} " + " ".join(parts)
            total += len(text.encode("utf-8"))
            row = {"id": f"bench-{i:06d}", "text": text, "title": f"doc {i}"}
            if with_lang:
                row["lang"] = lang
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--size", type=int, default=5_000, help="bytes of UTF-8 text per document")
    ap.add_argument("--detect", action="store_true", help="no lang field: detect every document's language")
    ap.add_argument("--database-url", default=None)
    ap.add_argument("--target", type=float, default=60.0, help="seconds; exit 1 when slower")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="annotate-bench-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        nbytes = make_corpus(corpus, args.docs, args.size, with_lang=not args.detect)
        project = init_project(Path(tmp) / "project", args.database_url)
        store = project.store()
        t0 = time.perf_counter()
        summary = import_paths(store, [corpus], actor="benchmark", progress=sys.stderr.isatty())
        elapsed = time.perf_counter() - t0
        assert summary.counts()["added"] == args.docs, summary.describe()
        assert store.documents.count() == args.docs
        project.close()
    print(
        f"imported {args.docs} documents ({nbytes / 1e6:.1f} MB of text, "
        f"{'detected' if args.detect else 'given'} languages) in {elapsed:.1f} s: "
        f"{args.docs / elapsed:.0f} docs/s (target < {args.target:.0f} s)"
    )
    return 0 if elapsed < args.target else 1


if __name__ == "__main__":
    sys.exit(main())
