"""Queue speed: how long the document queue takes to build on a 10,000-document project with pre-annotations.

The queue is rebuilt on every rerun of the app's Queue page, so it has to stay interactive at the size of the
import target.  The project is generated as in ``import_speed.py`` (about 5 KB per document), pre-labelled by
the date engine (the suggestions are counted per document) and given two annotators' sets on a tenth of it.

Run: ``.venv/bin/python benchmarks/queue_speed.py [--docs 10000] [--database-url postgresql+psycopg://...]``.
Target (issue 15): the queue of 10,000 documents builds in about 0.6 s; a search reads no text into Python.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from import_speed import make_corpus

from annotate.annotation.prelabel import ENGINE_AUTHOR, prelabel
from annotate.annotation.queue import build_queue
from annotate.corpus.importer import import_paths
from annotate.models import AnnotationSet, AnnotationStatus
from annotate.project import init_project


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--database-url", default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="annotate-bench-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        make_corpus(corpus, args.docs, 5_000, with_lang=True)
        project = init_project(Path(tmp) / "project", args.database_url)
        store = project.store()
        import_paths(store, [corpus], actor="benchmark", progress=sys.stderr.isatty())
        t0 = time.perf_counter()
        list(prelabel(store, actor="benchmark"))
        print(f"setup: {args.docs} documents imported and pre-labelled ({time.perf_counter() - t0:.1f} s for "
              "the pre-labelling)")
        store.users.add("curator", "curator", "benchmark-pw", actor="benchmark")
        for name in ("sara", "omid"):
            store.users.add(name, "annotator", "benchmark-pw", actor="benchmark")
        for s in store.sets.list(author=ENGINE_AUTHOR)[:: 10]:
            for name in ("sara", "omid"):
                mine = AnnotationSet(doc_id=s.doc_id, author=name, dates=s.dates, links=s.links,
                                     status=AnnotationStatus.submitted)
                store.sets.save(mine, base_revision=0, actor=name)
        suggestions = sum(s.dates for s in store.sets.list_summaries(author=ENGINE_AUTHOR))
        print(f"        {suggestions} suggested dates; two annotators' sets on every tenth document")
        for name in ("curator", "sara"):
            user = store.users.get(name)
            build_queue(store, user)  # warm-up: connection and statement caches
            times = []
            for _ in range(5):
                t0 = time.perf_counter()
                rows = build_queue(store, user)
                times.append(time.perf_counter() - t0)
            print(f"queue for {user.role.value:9} {name:8}: {len(rows)} rows in {min(times):.2f} s "
                  f"(best of 5; worst {max(times):.2f} s)")
        user = store.users.get("sara")
        # A word in most texts, two words written with Arabic yeh (the texts have Persian yeh), ASCII digits (the
        # texts have Persian digits) and a miss: the database folds letters and digits in every title, publisher
        # and text.
        for query in ("عراق", "وزير خارجه", "1398", "zzzz"):
            times = []
            for _ in range(3):
                t0 = time.perf_counter()
                rows = build_queue(store, user, search=query)
                times.append(time.perf_counter() - t0)
            print(f"queue search {query!r:10}: {len(rows):5} rows in {min(times):.2f} s (best of 3)")
        project.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
