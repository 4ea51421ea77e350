"""The string matcher: once a span is labelled, every other occurrence of its surface form is suggested.

Modelled on INCEpTION's string-matching recommender. It learns labelled spans (entity mentions with their type and
canonical id, event triggers with their event type) and suggests every occurrence of the same *form*: the same
key on the matching view (:mod:`annotate.suggest.forms`: ی/ي, ک/ك, ZWNJ and tatweel variants, the article, glued
clitics and the verbal prefix ``می`` handled). Matching is leftmost-longest over whole tokens and never crosses a
line break.

Confidence that an occurrence of form ``k`` is a ``t`` (smoothed share of the human decisions about ``k``)::

    (L + 1) / (N + U + R + 2)

``L``: mentions of ``k`` labelled ``t`` in the sets learnt from (finished work: gold and submitted sets); ``N``:
mentions of ``k`` labelled with any type of the layer there; ``U``: occurrences of ``k`` that those sets left
unlabelled; ``R``: suggestions of ``k`` as ``t`` that annotators rejected. A form rejected (as ``t``) more often
than it was accepted (``A``: mentions of ``k`` as ``t`` in any annotator's set, by accepting a suggestion or by
hand) is not suggested as ``t`` any more; the next best type may be.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from ..models import AnnotationSet, Document
from .forms import Layer, Tokenized, clitic_options, form_key, strip_article, token_key, trigger_token_key
from .sets import decisions

__all__ = ["LAYERS", "MIN_CONFIDENCE", "Example", "FormStats", "Match", "StringMatcher", "build_matcher"]

LAYERS: Final[tuple[Layer, ...]] = ("entity", "event")
MIN_CONFIDENCE: Final = 0.3
"""Suggestions below this confidence are not made (a form mostly left unlabelled, or often rejected)."""
MAX_TOKENS: Final = 12
"""Longest form (in tokens) the matcher learns."""


@dataclass
class FormStats:
    """What the project's annotators decided about one form of one layer."""

    labelled: Counter[str] = field(default_factory=Counter)
    """Mentions of the form labelled with each type."""
    canonical: dict[str, Counter[str]] = field(default_factory=dict)
    """Canonical ids given to the form's mentions, per type."""
    unlabelled: int = 0
    """Occurrences that finished sets left unlabelled."""
    accepted: Counter[str] = field(default_factory=Counter)
    """Mentions of the form as each type in any annotator's set (accepted suggestions and marks by hand)."""
    rejected: Counter[str] = field(default_factory=Counter)
    """Suggestions of the form as each type that an annotator rejected."""

    def confidence(self, type_: str) -> float:
        """Smoothed share of the decisions that make the form a ``type_`` (see the module docstring)."""
        n = sum(self.labelled.values())
        return (self.labelled[type_] + 1) / (n + self.unlabelled + self.rejected[type_] + 2)

    def suppressed(self, type_: str) -> bool:
        """Whether suggestions of the form as ``type_`` were rejected more often than accepted."""
        return self.rejected[type_] > self.accepted[type_]

    def best(self, min_confidence: float) -> tuple[str, float] | None:
        """The type to suggest and its confidence, or None (no type left above ``min_confidence``)."""
        ranked = sorted(((self.confidence(t), t) for t in self.labelled if not self.suppressed(t)),
                        key=lambda x: (-x[0], x[1]))
        if not ranked or ranked[0][0] < min_confidence:
            return None
        conf, type_ = ranked[0]
        return type_, conf

    def canonical_id(self, type_: str) -> str | None:
        """The canonical id most often given to the form as ``type_`` (ties: the smallest)."""
        ids = self.canonical.get(type_)
        if not ids:
            return None
        return sorted(ids.items(), key=lambda x: (-x[1], x[0]))[0][0]

    def to_json(self) -> dict[str, Any]:
        """JSON-ready counts (a model snapshot keeps the gazetteer it was trained with)."""
        return {"labelled": dict(self.labelled), "canonical": {t: dict(c) for t, c in self.canonical.items()},
                "unlabelled": self.unlabelled, "accepted": dict(self.accepted), "rejected": dict(self.rejected)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FormStats:
        """The counts written by :meth:`to_json`."""
        return cls(labelled=Counter(data["labelled"]),
                   canonical={t: Counter(c) for t, c in data["canonical"].items()},
                   unlabelled=int(data["unlabelled"]), accepted=Counter(data["accepted"]),
                   rejected=Counter(data["rejected"]))


@dataclass(frozen=True)
class Match:
    """One suggested span: layer, type, frozen-text offsets and text, confidence, canonical id, form key."""

    layer: Layer
    type: str
    start: int
    end: int
    text: str
    confidence: float
    canonical_id: str | None
    key: str


@dataclass(frozen=True)
class _Hit:
    layer: Layer
    key: str
    first: int
    last: int
    skip: int


class StringMatcher:
    """A gazetteer of labelled forms with the decisions about them; suggests their occurrences."""

    def __init__(self, *, min_confidence: float = MIN_CONFIDENCE) -> None:
        self.min_confidence = min_confidence
        self.forms: dict[tuple[Layer, str], FormStats] = {}
        self._max_tokens: dict[Layer, int] = dict.fromkeys(LAYERS, 0)
        self._prefixes: dict[Layer, set[str]] = {layer: set() for layer in LAYERS}
        """Every leading part of every key: matching stops extending a phrase as soon as it leaves them."""

    def __len__(self) -> int:
        return len(self.forms)

    # --- learning -------------------------------------------------------------------------------------------

    def stats(self, layer: Layer, text: str) -> FormStats | None:
        """The counts of the form of ``text`` (None when it was never labelled)."""
        return self.forms.get((layer, form_key(text, layer)[0]))

    def add_label(self, layer: Layer, text: str, type_: str, canonical_id: str | None = None) -> None:
        """Learn one labelled span."""
        key, n_tokens = form_key(text, layer)
        if len(key) < 2 or n_tokens > MAX_TOKENS:
            return
        st = self.forms.get((layer, key))
        if st is None:
            st = self.forms[(layer, key)] = FormStats()
            self._prefixes[layer].update(key[:i] for i in range(1, len(key) + 1))
        st.labelled[type_] += 1
        if canonical_id:
            st.canonical.setdefault(type_, Counter())[canonical_id] += 1
        self._max_tokens[layer] = max(self._max_tokens[layer], n_tokens)

    def learn(self, aset: AnnotationSet) -> None:
        """Learn every entity mention and event trigger of ``aset``."""
        for m in aset.entities:
            self.add_label("entity", m.text, m.type, m.canonical_id)
        for ev in aset.events:
            self.add_label("event", ev.trigger.text, ev.type)

    def observe(self, document: Document, sets: Iterable[AnnotationSet], tokens: Tokenized | None = None) -> None:
        """Count the occurrences of known forms that each of ``sets`` (finished work on ``document``) left
        unlabelled: call after every set was learnt."""
        hits = self._hits(tokens or Tokenized.of(document.text))
        for aset in sets:
            spans: dict[Layer, set[tuple[int, int]]] = {
                "entity": {(m.start, m.end) for m in aset.entities},
                "event": {(ev.trigger.start, ev.trigger.end) for ev in aset.events},
            }
            for hit, (start, end) in hits:
                if (start, end) not in spans[hit.layer]:
                    self.forms[(hit.layer, hit.key)].unlabelled += 1

    def record(self, layer: Layer, text: str, type_: str, *, accepted: bool) -> None:
        """Record that an annotator said ``text`` is (``accepted``) or is not a ``type_``."""
        key = form_key(text, layer)[0]
        st = self.forms.get((layer, key))
        if st is None:
            st = self.forms[(layer, key)] = FormStats()
        (st.accepted if accepted else st.rejected)[type_] += 1

    # --- matching -------------------------------------------------------------------------------------------

    def _hits(self, tokens: Tokenized) -> list[tuple[_Hit, tuple[int, int]]]:
        out: list[tuple[_Hit, tuple[int, int]]] = []
        for layer in LAYERS:
            if self._max_tokens[layer]:
                for hit in self._layer_hits(tokens, layer):
                    out.append((hit, tokens.original(hit.first, hit.last, hit.skip)))
        return out

    def _layer_hits(self, tokens: Tokenized, layer: Layer) -> Iterable[_Hit]:
        keys = tokens.layer_keys(layer)
        key_of = trigger_token_key if layer == "event" else token_key
        max_tokens = self._max_tokens[layer]
        forms = self.forms
        prefixes = self._prefixes[layer]
        words, breaks = tokens.words, tokens.breaks
        n = len(keys)
        i = 0
        while i < n:
            if not words[i]:
                i += 1
                continue
            best: _Hit | None = None
            for skip, first in clitic_options(tokens.token(i)):
                if skip and best is not None:
                    break  # the whole word is a known form: no clitic reading
                key = strip_article(key_of(first)) if skip else strip_article(keys[i])
                for j in range(i, min(n, i + max_tokens)):
                    if j > i:
                        if breaks[j]:
                            break
                        key += keys[j]
                    if key and key not in prefixes:
                        break  # no known form goes on like this (an empty key: a lone می, read on)
                    if not words[j]:
                        continue
                    st = forms.get((layer, key)) if len(key) >= 2 else None
                    if st is not None and st.labelled and (best is None or j > best.last):
                        best = _Hit(layer, key, i, j, skip)
            if best is None:
                i += 1
            else:
                yield best
                i = best.last + 1

    def suggest(self, document: Document, tokens: Tokenized | None = None,
                layers: Sequence[Layer] = LAYERS) -> list[Match]:
        """Every occurrence of a known form in ``document`` with the type to suggest, best confidence first per
        span; forms whose every type is suppressed or below the minimum confidence are left out."""
        tokens = tokens or Tokenized.of(document.text)
        out: list[Match] = []
        best: dict[tuple[Layer, str], tuple[str, float] | None] = {}  # a form occurs many times: rank it once
        for hit, (start, end) in self._hits(tokens):
            if hit.layer not in layers:
                continue
            form = (hit.layer, hit.key)
            st = self.forms[form]
            if form not in best:
                best[form] = st.best(self.min_confidence)
            chosen = best[form]
            if chosen is None:
                continue
            type_, conf = chosen
            out.append(Match(hit.layer, type_, start, end, document.text[start:end], round(conf, 4),
                             st.canonical_id(type_) if hit.layer == "entity" else None, hit.key))
        return out

    # --- snapshot -------------------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The gazetteer as JSON-ready data (sorted, so equal matchers give equal files)."""
        return {
            "min_confidence": self.min_confidence,
            "max_tokens": dict(self._max_tokens),
            "forms": [{"layer": layer, "key": key, **st.to_json()}
                      for (layer, key), st in sorted(self.forms.items())],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StringMatcher:
        """A matcher from :meth:`to_json` output."""
        m = cls(min_confidence=float(data["min_confidence"]))
        m._max_tokens = {layer: int(data["max_tokens"].get(layer, 0)) for layer in LAYERS}
        for row in data["forms"]:
            m.forms[(row["layer"], row["key"])] = FormStats.from_json(row)
            m._prefixes[row["layer"]].update(row["key"][:i] for i in range(1, len(row["key"]) + 1))
        return m


@dataclass(frozen=True)
class Example:
    """One annotation set of one document to learn from."""

    document: Document
    aset: AnnotationSet


def build_matcher(examples: Sequence[Example], feedback: Iterable[tuple[Document, AnnotationSet]] = (), *,
                  min_confidence: float = MIN_CONFIDENCE, tokens: Mapping[str, Tokenized] | None = None
                  ) -> StringMatcher:
    """A string matcher that learnt ``examples`` (their labels, then what they left unlabelled) and counted the
    decisions about suggestions recorded in the ``feedback`` sets (``tokens``: documents already tokenized)."""
    m = StringMatcher(min_confidence=min_confidence)
    by_doc: dict[str, list[Example]] = {}
    for ex in examples:
        m.learn(ex.aset)
        by_doc.setdefault(ex.document.id, []).append(ex)
    for exs in by_doc.values():
        doc = exs[0].document
        m.observe(doc, [x.aset for x in exs], tokens.get(doc.id) if tokens is not None else None)
    for document, aset in feedback:
        for d in decisions(document, aset):
            m.record(d.layer, d.text, d.type, accepted=d.accepted)
    return m
