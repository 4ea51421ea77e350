"""The trained tagger: two linear-chain CRFs (python-crfsuite), one for entity mentions and one for event triggers.

Trained on annotation sets (the project's gold and submitted sets, :mod:`annotate.suggest.training`), it labels
the units of each sentence (:mod:`annotate.suggest.features`) with BIO tags over the taxonomy's entity types and,
separately, its event types. A suggestion's confidence is the smallest marginal probability of its units' tags
(CRFsuite's forward-backward); its canonical id is the one the string matcher knows for the same form and type.

The gazetteer features come from a string matcher. In training each document sees a matcher learnt from the
*other* folds (jackknifing), so the CRF learns how far to trust a gazetteer hit rather than copying it, and still
tags names it never saw from their context; in use it sees the matcher learnt from all training sets.

A model is a directory: ``entities.crfsuite``, ``triggers.crfsuite`` and ``model.json`` (version, training
summary, the gazetteer and the token counts used to cut clitics). Its version (``m3-1a2b3c4d``: the third model
of the project, and the hash of what it was trained on) goes with every suggestion it makes.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pycrfsuite

from ..canonical import json_sha256
from ..errors import ConfigError, InputError
from ..models import AnnotationSet, Document
from .features import FEATURE_VERSION, Unit, gazetteer_tags, sentence_features, sentences
from .forms import Layer, Tokenized, form_key
from .matcher import LAYERS, Example, Match, StringMatcher, build_matcher

__all__ = ["CRF_PARAMS", "Example", "Tagger", "train_tagger"]

ENTITY_FILE: Final = "entities.crfsuite"
TRIGGER_FILE: Final = "triggers.crfsuite"
META_FILE: Final = "model.json"
MODEL_FILES: Final[dict[Layer, str]] = {"entity": ENTITY_FILE, "event": TRIGGER_FILE}
GAZ_FEATURE: Final[dict[Layer, str]] = {"entity": "g", "event": "gv"}
CRF_PARAMS: Final[dict[str, Any]] = {
    "c1": 0.05,  # L1: keeps the model small
    "c2": 0.01,
    "max_iterations": 60,
    "feature.possible_transitions": True,
}
"""L-BFGS settings: measured on the benchmark corpus (benchmarks/suggest_quality.py), 60 iterations are within
0.01 F1 of 200 and keep training on 1,000 documents under a minute on one core."""
FOLDS: Final = 4


def _spans(aset: AnnotationSet, layer: Layer) -> list[tuple[int, int, str]]:
    """Labelled spans of one layer without overlaps (the earliest, then the longest, wins)."""
    raw = ([(m.start, m.end, m.type) for m in aset.entities] if layer == "entity"
           else [(ev.trigger.start, ev.trigger.end, ev.type) for ev in aset.events])
    out: list[tuple[int, int, str]] = []
    for s, e, t in sorted(raw, key=lambda x: (x[0], -x[1])):
        if not out or s >= out[-1][1]:
            out.append((s, e, t))
    return out


def bio(units: Sequence[Unit], spans: Sequence[tuple[int, int, str]]) -> list[str]:
    """BIO tags of ``units`` for the non-overlapping ``spans`` (a unit inside a span takes its type)."""
    tags = ["O"] * len(units)
    j = 0
    for i, u in enumerate(units):
        while j < len(spans) and spans[j][1] <= u.start:
            j += 1
        if j < len(spans) and spans[j][0] < u.end and u.start < spans[j][1]:
            first = i == 0 or tags[i - 1] == "O" or units[i - 1].end <= spans[j][0]
            tags[i] = ("B-" if first else "I-") + spans[j][2]
    return tags


def decode(units: Sequence[Unit], tags: Sequence[str], marginals: Sequence[float]) -> list[tuple[int, int, str, float]]:
    """Spans ``(start, end, type, confidence)`` from BIO ``tags`` (an ``I-`` that does not continue its type
    starts a span), with the smallest marginal probability of the span's tags as its confidence."""
    out: list[tuple[int, int, str, float]] = []
    run: tuple[int, int, str, float] | None = None
    for u, tag, p in zip(units, tags, marginals, strict=True):
        if run is not None and tag == "I-" + run[2]:
            run = (run[0], u.end, run[2], min(run[3], p))
            continue
        if run is not None:
            out.append(run)
        run = None if tag == "O" else (u.start, u.end, tag[2:], p)
    if run is not None:
        out.append(run)
    return out


@dataclass
class _Prepared:
    xseqs: list[list[list[str]]] = field(default_factory=list)
    yseqs: dict[Layer, list[list[str]]] = field(default_factory=lambda: {layer: [] for layer in LAYERS})


def _fold(doc_id: str) -> int:
    return int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:8], 16) % FOLDS


class Tagger:
    """A trained model, opened from its directory."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        meta_path = self.path / META_FILE
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ConfigError(f"{meta_path}: cannot read the suggestion model: {exc}",
                              hint="train a new one with `annotate suggest train`") from None
        if meta.get("feature_version") != FEATURE_VERSION:
            raise ConfigError(f"{self.path}: the model was trained with features version "
                              f"{meta.get('feature_version')!r}; this annotate uses {FEATURE_VERSION!r}",
                              hint="train a new one with `annotate suggest train`")
        self.meta: dict[str, Any] = meta
        self.version: str = str(meta["version"])
        self.matcher = StringMatcher.from_json(meta["gazetteer"])
        self.counts: Counter[str] = Counter(meta["token_counts"])
        self._lock = threading.Lock()  # a CRFsuite tagger holds the sequence it tags: one caller at a time
        self._taggers: dict[Layer, pycrfsuite.Tagger] = {}
        for layer, name in MODEL_FILES.items():
            if meta["trained"].get(layer):
                t = pycrfsuite.Tagger()
                t.open(str(self.path / name))
                self._taggers[layer] = t

    @property
    def label(self) -> str:
        """``suggest-model <version>``: what suggestions carry as their model version."""
        return f"suggest-model {self.version}"

    def predict(self, document: Document, tokens: Tokenized | None = None) -> list[Match]:
        """The model's entity and trigger suggestions for ``document``, in text order."""
        tokens = tokens or Tokenized.of(document.text)
        matches = self.matcher.suggest(document, tokens)
        out: list[Match] = []
        for units in sentences(tokens, document.lang, self.counts.__getitem__):
            gaz = {GAZ_FEATURE[layer]: gazetteer_tags(units, matches, layer) for layer in LAYERS}
            xseq = sentence_features(units, document.lang, gaz)
            for layer, tagger in self._taggers.items():
                with self._lock:
                    tags = tagger.tag(xseq)
                    found = any(t != "O" for t in tags)
                    marg = [tagger.marginal(t, i) for i, t in enumerate(tags)] if found else []
                if not found:
                    continue
                for s, e, type_, conf in decode(units, tags, marg):
                    text = document.text[s:e]
                    canonical = None
                    if layer == "entity":
                        st = self.matcher.forms.get(("entity", form_key(text)[0]))
                        canonical = st.canonical_id(type_) if st is not None else None
                    out.append(Match(layer, type_, s, e, text, round(conf, 4), canonical,
                                     form_key(text, layer)[0]))
        out.sort(key=lambda m: (m.start, m.end, m.layer))
        return out


def train_tagger(examples: Sequence[Example], out_dir: str | Path, *, version_number: int = 1,
                 params: dict[str, Any] | None = None, extra_meta: dict[str, Any] | None = None) -> Tagger:
    """Train both CRFs on ``examples`` and write the model directory ``out_dir`` (must not exist yet).

    :class:`InputError` when there is nothing to learn (no entity mention and no trigger in any example).
    """
    started = time.perf_counter()
    if not any(ex.aset.entities or ex.aset.events for ex in examples):
        raise InputError("there are no entity mentions or event triggers to learn from",
                         where="training sets", hint="submit or adjudicate annotated documents first")
    out = Path(out_dir)
    docs = {ex.document.id: ex.document for ex in examples}
    tokens = {doc_id: Tokenized.of(doc.text) for doc_id, doc in docs.items()}
    raw: Counter[str] = Counter()
    for t in tokens.values():
        raw.update(k for k, w in zip(t.keys, t.words, strict=True) if w)
    spans_of = {id(ex): {layer: _spans(ex.aset, layer) for layer in LAYERS} for ex in examples}
    cuts_of = {id(ex): {x for layer in LAYERS for s, e, _ in spans_of[id(ex)][layer] for x in (s, e)}
               for ex in examples}
    # The words as the labelled spans cut them (وقال labelled قال counts as قال): what cuts clitics off at
    # prediction time, where there are no labels, the way the labels cut them here.
    counts: Counter[str] = Counter()
    for ex in examples:
        for units in sentences(tokens[ex.document.id], ex.document.lang, raw.__getitem__, cuts_of[id(ex)]):
            counts.update(u.key for u in units if u.word and not u.clitic)
    full = build_matcher(examples, tokens=tokens)
    folds = [build_matcher([ex for ex in examples if _fold(ex.document.id) != f], tokens=tokens)
             for f in range(FOLDS)]
    timings = {"gazetteers": time.perf_counter() - started}
    prepared = _Prepared()
    for ex in examples:
        doc = ex.document
        spans = spans_of[id(ex)]
        matches = folds[_fold(doc.id)].suggest(doc, tokens[doc.id])
        for units in sentences(tokens[doc.id], doc.lang, counts.__getitem__, cuts_of[id(ex)]):
            gaz = {GAZ_FEATURE[layer]: gazetteer_tags(units, matches, layer) for layer in LAYERS}
            prepared.xseqs.append(sentence_features(units, doc.lang, gaz))
            for layer in LAYERS:
                prepared.yseqs[layer].append(bio(units, spans[layer]))
    timings["features"] = time.perf_counter() - started - sum(timings.values())
    out.mkdir(parents=True)
    trained: dict[str, bool] = {}
    for layer in LAYERS:
        ys = prepared.yseqs[layer]
        trained[layer] = any(t != "O" for y in ys for t in y)
        if not trained[layer]:
            continue
        trainer = pycrfsuite.Trainer(verbose=False)
        trainer.set_params({**CRF_PARAMS, **(params or {})})
        for x, y in zip(prepared.xseqs, ys, strict=True):
            trainer.append(x, y)
        trainer.train(str(out / MODEL_FILES[layer]))
        timings[f"crf_{layer}"] = time.perf_counter() - started - sum(timings.values())
    data_sha = json_sha256(sorted([ex.document.id, ex.document.text_sha256, ex.aset.author,
                            _spans(ex.aset, "entity"), _spans(ex.aset, "event")] for ex in examples))
    meta = {
        "version": f"m{version_number}-{data_sha[:8]}",
        "feature_version": FEATURE_VERSION,
        "params": {**CRF_PARAMS, **(params or {})},
        "trained": trained,
        "documents": sorted(docs),
        "sets": len(examples),
        "sentences": len(prepared.xseqs),
        "mentions": {layer: sum(len(_spans(ex.aset, layer)) for ex in examples) for layer in LAYERS},
        "seconds": round(time.perf_counter() - started, 2),
        "timings": {k: round(v, 2) for k, v in timings.items()},
        **(extra_meta or {}),
        "gazetteer": full.to_json(),
        "token_counts": dict(sorted(counts.items())),
    }
    (out / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, sort_keys=True, indent=1) + "\n",
                                 encoding="utf-8")
    return Tagger(out)
