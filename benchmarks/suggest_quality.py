"""Entity and trigger F1 of the string matcher and the tagger, by how much of the training data they saw (issue 18).

The corpus is ``tests/suggest_corpus.py``'s: short fa/prs/ar news documents written for the project in the forms
of real news, with gold entities and event triggers (the committed 150 documents by default). Documents are split
by document (a fifth to test, by the hash of the id); both suggesters learn from the first 25%, 50% and 100% of the
training documents (a fixed order) and are scored on the test documents with ``annotate eval``'s scorer
(entities: nervaluate strict; triggers: ACE trigger classification). A second table scores them on held-out
documents whose every name comes from pools the corpus never uses, a third on sentences written apart from the
corpus's frames (``suggest_corpus.HANDWRITTEN_HELDOUT``: other constructions, unseen names).

    .venv/bin/python benchmarks/suggest_quality.py [--docs 150] [--heldout 60]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import suggest_corpus as corpus

from annotate.evaluation.scoring import Pred, score
from annotate.models import AnnotationSet, Document
from annotate.suggest.forms import Tokenized
from annotate.suggest.matcher import Example, build_matcher
from annotate.suggest.tagger import train_tagger


def _score(docs: list[tuple[Document, AnnotationSet]], fn: Any) -> tuple[dict[str, float], dict[str, float]]:
    preds = {}
    for d, _ in docs:
        found = fn(d, Tokenized.of(d.text))
        preds[d.id] = Pred(entities=[(m.start, m.end, m.type) for m in found if m.layer == "entity"],
                           triggers=[(m.start, m.end, m.type) for m in found if m.layer == "event"])
    r = score({d.id: (d, a) for d, a in docs}, preds, {"entities", "events"})
    return r["entities"]["strict"], r["events"]["trigger_classification"]


def _cell(m: dict[str, float]) -> str:
    return f"{m['precision']:.3f} {m['recall']:.3f} {m['f1']:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=corpus.DEFAULT_DOCS, help="corpus size (150 = the committed file)")
    ap.add_argument("--heldout", type=int, default=60, help="documents with unseen names")
    args = ap.parse_args()
    records = corpus.load() if args.docs == corpus.DEFAULT_DOCS else list(corpus.generate(args.docs))
    pairs = [corpus.to_models(r) for r in records]
    train = [Example(d, a) for d, a in pairs if corpus.split_of(d.id) == "train"]
    random.Random(7).shuffle(train)
    test = [(d, a) for d, a in pairs if corpus.split_of(d.id) == "test"]
    heldout = [corpus.to_models(r) for r in corpus.generate(args.heldout, reserve=True)]
    handwritten = [corpus.to_models(r) for r in corpus.handwritten_heldout()]
    n_ent = sum(len(a.entities) for _, a in pairs)
    n_trig = sum(len(a.events) for _, a in pairs)
    print(f"corpus: {len(pairs)} documents ({len(train)} train, {len(test)} test), {n_ent} entity mentions, "
          f"{n_trig} triggers; held-out: {len(heldout)} documents, "
          f"{sum(len(a.entities) for _, a in heldout)} entity mentions with unseen names; hand-written: "
          f"{len(handwritten)} sentences in other constructions, {sum(len(a.entities) for _, a in handwritten)} "
          "entity mentions with unseen names (no triggers marked)")
    print("P R F1 (entities strict | triggers classification)")
    header = f"{'training documents':<22}{'matcher entities':>20}{'tagger entities':>20}" \
             f"{'matcher triggers':>20}{'tagger triggers':>20}{'train s':>9}"
    sets = {"test": test, "held-out (unseen names)": heldout,
            "hand-written sentences (other constructions, unseen names)": handwritten}
    rows: dict[str, list[str]] = {name: [] for name in sets}
    for share in (0.25, 0.5, 1.0):
        part = train[: max(1, round(len(train) * share))]
        matcher = build_matcher(part)
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            tagger = train_tagger(part, Path(tmp) / "m")
            seconds = time.perf_counter() - started
            for name, docs in sets.items():
                me, mt = _score(docs, matcher.suggest)
                te, tt = _score(docs, tagger.predict)
                triggers = any(a.events for _, a in docs)
                rows[name].append(f"{f'{share:.0%} ({len(part)})':<22}{_cell(me):>20}{_cell(te):>20}"
                                  f"{_cell(mt) if triggers else '-':>20}{_cell(tt) if triggers else '-':>20}"
                                  f"{seconds:>9.1f}")
    for name, lines in rows.items():
        print(f"\n{name}")
        print(header)
        print("\n".join(lines))


if __name__ == "__main__":
    main()
