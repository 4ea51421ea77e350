"""What agreement is measured with: items per layer, matching, confusion matrices, Cohen's kappa and
Krippendorff's alpha over annotation sets (pure functions, no store and no UI; :mod:`annotate.curation.agreement`
sums them over documents into a report).

Layers compared (each item reduced to a hashable key, so two annotators agree on an item when the keys are
equal):

=================  ===================================================  ==================
layer              key                                                  label
=================  ===================================================  ==================
entities           (start, end, type)                                   entity type
entities_overlap   same type and overlapping spans, matched one-to-one  entity type
dates              (start, end)                                         calendar
date_values        (start, end, calendar, gregorian_start, _end)        calendar
links              unordered pair of the two date spans                 ``same_date``
triggers           (start, end, event type)                             event type
arguments          (trigger span, role, argument span)                  role
=================  ===================================================  ==================

Event attributes (modality, polarity, tense) are compared on the events two annotators both marked, with the same
trigger span and type (:func:`event_attribute_pairs`, summed in :class:`AttributeAgreement`): the share with the
same value, Cohen's kappa and the value confusion.

For a pair of annotators A (the reference) and B, precision is ``matched / |B|``, recall ``matched / |A|`` and
F1 ``2·matched / (|A| + |B|)``, which is symmetric.  Counts are summed over documents and over pairs (micro
average).  Chance-corrected figures work on word tokens of the frozen text (ZWNJ stays inside a word), each
labelled with what covers it (entity type, ``DATE``, event type, joined by ``+``; ``O`` for nothing):
Cohen's kappa per pair, and Krippendorff's alpha (nominal) across every annotator, with missing values for
annotators who did not annotate a document.

Confusion matrices (:data:`CONFUSION_LAYERS`) show *what* two annotators disagree on.  A unit is a span (exact
``[start, end)``) that either annotator marked in the layer; each side labels it with its type, calendar or
granularity, or ``none`` when it did not mark that span.  Rows are the first annotator of the pair (by name),
columns the second; the pooled matrix is the sum over every pair, so it equals a confusion matrix over the
concatenated label sequences of all pairs.  Each cell keeps the documents its units came from.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..models import AnnotationSet, Span, match_event_attributes

__all__ = [
    "CONFUSION_LAYERS",
    "LAYERS",
    "NONE",
    "TOKEN_LAYERS",
    "AttributeAgreement",
    "Coincidence",
    "ConfusionMatrix",
    "Counts",
    "KappaTally",
    "add_coincidence",
    "alpha_from_coincidence",
    "cohen_kappa",
    "coincidence_counts",
    "confusion_units",
    "date_value_matches",
    "event_attribute_pairs",
    "krippendorff_alpha",
    "layer_items",
    "match_overlap",
    "pair_counts",
    "token_labels",
]

LAYERS: tuple[str, ...] = (
    "entities",
    "entities_overlap",
    "dates",
    "date_values",
    "links",
    "triggers",
    "arguments",
)
"""The layers agreement is reported for, in display order."""

CONFUSION_LAYERS: tuple[str, ...] = ("entity_types", "event_types", "date_calendars", "date_granularities")
"""The layers confusion matrices are drawn for: what labels each unit (span) got from each annotator."""

NONE = "none"
"""The label of a span an annotator did not mark, in confusion matrices."""

TOKEN_LAYERS: tuple[str, ...] = ("entities", "dates", "events", "all")
"""The token-label views kappa and alpha are computed on."""

Key = tuple[Any, ...]


@dataclass
class Counts:
    """Matched items and the number of items each side of a comparison has."""

    matched: int = 0
    n_ref: int = 0
    n_other: int = 0

    def add(self, other: Counts) -> None:
        """Add ``other`` into this count."""
        self.matched += other.matched
        self.n_ref += other.n_ref
        self.n_other += other.n_other

    @property
    def precision(self) -> float | None:
        """Matched share of the other annotator's items (None when they have none)."""
        return self.matched / self.n_other if self.n_other else None

    @property
    def recall(self) -> float | None:
        """Matched share of the reference annotator's items (None when they have none)."""
        return self.matched / self.n_ref if self.n_ref else None

    @property
    def f1(self) -> float | None:
        """Symmetric F1, ``2·matched / (n_ref + n_other)``; None when neither side has an item."""
        total = self.n_ref + self.n_other
        return 2 * self.matched / total if total else None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "matched": self.matched,
            "n_ref": self.n_ref,
            "n_other": self.n_other,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


# --- items per layer ----------------------------------------------------------------------------------------


def _span(s: Span) -> tuple[int, int]:
    return (s.start, s.end)


def layer_items(aset: AnnotationSet, layer: str) -> list[tuple[Key, str]]:
    """The items of ``aset`` in ``layer`` as ``(key, label)`` pairs (see the module docstring)."""
    if layer in ("entities", "entities_overlap"):
        return [((e.start, e.end, e.type), e.type) for e in aset.entities]
    if layer == "dates":
        return [((d.start, d.end), d.calendar.value) for d in aset.dates]
    if layer == "date_values":
        return [
            ((d.start, d.end, d.calendar.value, d.gregorian_start, d.gregorian_end), d.calendar.value)
            for d in aset.dates
        ]
    spans: dict[str, tuple[int, int]] = {m.id: _span(m) for m in aset.entities}
    spans.update({d.id: _span(d) for d in aset.dates})
    if layer == "links":
        out: list[tuple[Key, str]] = []
        for link in aset.links:
            a, b = spans.get(link.source), spans.get(link.target)
            if a is not None and b is not None:
                out.append(((frozenset((a, b)),), link.type))
        return out
    if layer == "triggers":
        return [((ev.trigger.start, ev.trigger.end, ev.type), ev.type) for ev in aset.events]
    if layer == "arguments":
        return [
            ((_span(ev.trigger), arg.role, spans[arg.ref]), arg.role)
            for ev in aset.events
            for arg in ev.arguments
            if arg.ref in spans
        ]
    raise ValueError(f"unknown layer {layer!r}; use one of {', '.join(LAYERS)}")


def match_overlap(
    ref: Sequence[tuple[int, int, str]], other: Sequence[tuple[int, int, str]]
) -> list[tuple[int, int]]:
    """One-to-one matches between two lists of ``(start, end, label)`` of equal label and overlapping span.

    Greedy on the largest overlap first (then position), which is what overlap-match F1 usually means;
    returns index pairs ``(i_ref, i_other)``.
    """
    candidates = []
    for i, (s1, e1, l1) in enumerate(ref):
        for j, (s2, e2, l2) in enumerate(other):
            ov = min(e1, e2) - max(s1, s2)
            if l1 == l2 and ov > 0:
                candidates.append((-ov, s1, s2, i, j))
    candidates.sort()
    used_i: set[int] = set()
    used_j: set[int] = set()
    out = []
    for _, _, _, i, j in candidates:
        if i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
            out.append((i, j))
    return out


def pair_counts(ref: AnnotationSet, other: AnnotationSet, layer: str) -> dict[str, Counts]:
    """Counts for one pair on one document and layer: the total under ``""`` and one entry per label."""
    a, b = layer_items(ref, layer), layer_items(other, layer)
    out: dict[str, Counts] = defaultdict(Counts)
    total = out[""]
    for _, label in a:
        out[label].n_ref += 1
        total.n_ref += 1
    for _, label in b:
        out[label].n_other += 1
        total.n_other += 1
    if layer == "entities_overlap":
        ra = [(k[0], k[1], lab) for k, lab in a]
        rb = [(k[0], k[1], lab) for k, lab in b]
        for i, _ in match_overlap(ra, rb):
            out[a[i][1]].matched += 1
            total.matched += 1
    else:
        ca = Counter(a)
        cb = Counter(b)
        for item, n in ca.items():
            m = min(n, cb.get(item, 0))
            out[item[1]].matched += m
            total.matched += m
    return dict(out)


def date_value_matches(ref: AnnotationSet, other: AnnotationSet) -> tuple[int, int]:
    """(dates at the same span in both, of those with the same calendar and Gregorian range)."""
    values = {(d.start, d.end): (d.calendar, d.gregorian_start, d.gregorian_end) for d in other.dates}
    same_span = same_value = 0
    for d in ref.dates:
        v = values.get((d.start, d.end))
        if v is not None:
            same_span += 1
            same_value += v == (d.calendar, d.gregorian_start, d.gregorian_end)
    return same_span, same_value


# --- event attributes -------------------------------------------------------------------------------------


@dataclass
class AttributeAgreement:
    """Agreement on one event attribute over matched events: how often one side said ``a`` and the other ``b``."""

    name: str
    pairs: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, pairs: Mapping[tuple[str, str], int]) -> None:
        """Count more matched events."""
        self.pairs.update(pairs)

    @property
    def matched(self) -> int:
        """Events both sides marked with the same trigger span and type."""
        return sum(self.pairs.values())

    @property
    def agreed(self) -> int:
        """Matched events with the same value on both sides."""
        return sum(n for (a, b), n in self.pairs.items() if a == b)

    @property
    def accuracy(self) -> float | None:
        """Observed agreement, ``agreed / matched`` (None without matched events)."""
        return self.agreed / self.matched if self.matched else None

    @property
    def kappa(self) -> float | None:
        """Cohen's kappa of the matched events' values (None when undefined: no events, or one value only)."""
        if not self.matched:
            return None
        a, b = zip(*self.pairs.elements(), strict=True)
        return cohen_kappa(a, b)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form; ``confusion`` maps one side's value to the other side's values and counts."""
        confusion: dict[str, dict[str, int]] = {}
        for (a, b), n in sorted(self.pairs.items()):
            confusion.setdefault(a, {})[b] = n
        return {"matched": self.matched, "agreed": self.agreed, "accuracy": self.accuracy, "kappa": self.kappa,
                "confusion": confusion}


def event_attribute_pairs(ref: AnnotationSet, other: AnnotationSet) -> dict[str, Counter[tuple[str, str]]]:
    """Per attribute, the (``ref`` value, ``other`` value) of the events both marked on one trigger with one type."""
    def events(aset: AnnotationSet) -> list[tuple[Hashable, list[str]]]:
        return [(ev.match_key(), list(ev.attributes().values())) for ev in aset.events]

    return match_event_attributes(events(ref), events(other))


# --- confusion matrices -------------------------------------------------------------------------------------


def _confusion_items(aset: AnnotationSet, layer: str) -> list[tuple[tuple[int, int], str]]:
    if layer == "entity_types":
        return [((e.start, e.end), e.type) for e in aset.entities]
    if layer == "event_types":
        return [((ev.trigger.start, ev.trigger.end), ev.type) for ev in aset.events]
    if layer == "date_calendars":
        return [((d.start, d.end), d.calendar.value) for d in aset.dates]
    if layer == "date_granularities":
        return [((d.start, d.end), d.granularity.value) for d in aset.dates]
    raise ValueError(f"unknown confusion layer {layer!r}; use one of {', '.join(CONFUSION_LAYERS)}")


def confusion_units(a: AnnotationSet, b: AnnotationSet, layer: str) -> list[tuple[tuple[int, int], str, str]]:
    """``(span, label by a, label by b)`` for every span either set marked in ``layer``, :data:`NONE` where one
    did not.  Several items on one span: equal labels pair first, the rest pair in label order, and what is left
    pairs with :data:`NONE`."""
    by_a: dict[tuple[int, int], list[str]] = defaultdict(list)
    by_b: dict[tuple[int, int], list[str]] = defaultdict(list)
    for span, label in _confusion_items(a, layer):
        by_a[span].append(label)
    for span, label in _confusion_items(b, layer):
        by_b[span].append(label)
    out: list[tuple[tuple[int, int], str, str]] = []
    for span in sorted(by_a.keys() | by_b.keys()):
        one_a, one_b = by_a.get(span, []), by_b.get(span, [])
        if len(one_a) <= 1 and len(one_b) <= 1:  # the usual case: at most one item per side on a span
            out.append((span, one_a[0] if one_a else NONE, one_b[0] if one_b else NONE))
            continue
        la, lb = Counter(one_a), Counter(one_b)
        common = la & lb
        for label in sorted(common):
            out += [(span, label, label)] * common[label]
        rest_a, rest_b = sorted((la - common).elements()), sorted((lb - common).elements())
        for i in range(max(len(rest_a), len(rest_b))):
            out.append((span, rest_a[i] if i < len(rest_a) else NONE, rest_b[i] if i < len(rest_b) else NONE))
    return out


@dataclass
class ConfusionMatrix:
    """How often one side labelled a unit ``row`` while the other labelled it ``column``, and in which documents."""

    layer: str
    cells: dict[tuple[str, str], int] = field(default_factory=dict)
    documents: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)

    def add(self, doc_id: str, row: str, column: str, n: int = 1) -> None:
        """Count ``n`` units of ``doc_id`` in cell ``(row, column)``."""
        self.cells[(row, column)] = self.cells.get((row, column), 0) + n
        docs = self.documents.setdefault((row, column), {})
        docs[doc_id] = docs.get(doc_id, 0) + n

    def merge(self, other: ConfusionMatrix) -> None:
        """Add every cell of ``other`` into this matrix."""
        for cell, docs in other.documents.items():
            for doc_id, n in docs.items():
                self.add(doc_id, *cell, n=n)

    @property
    def labels(self) -> list[str]:
        """Every label on either side, sorted, :data:`NONE` last."""
        found = {x for cell in self.cells for x in cell}
        return sorted(found - {NONE}) + ([NONE] if NONE in found else [])

    @property
    def total(self) -> int:
        """Units counted."""
        return sum(self.cells.values())

    @property
    def agreed(self) -> int:
        """Units both sides gave the same label."""
        return sum(n for (r, c), n in self.cells.items() if r == c)

    def count(self, row: str, column: str) -> int:
        """Units in one cell."""
        return self.cells.get((row, column), 0)

    def matrix(self) -> list[list[int]]:
        """The counts as rows and columns in the order of :attr:`labels`."""
        labels = self.labels
        return [[self.count(r, c) for c in labels] for r in labels]

    def documents_of(self, row: str, column: str) -> list[tuple[str, int]]:
        """The documents behind one cell with their unit counts, most first."""
        docs = self.documents.get((row, column), {})
        return sorted(docs.items(), key=lambda kv: (-kv[1], kv[0]))

    def confusions(self) -> list[tuple[str, str, int]]:
        """Off-diagonal cells as ``(row, column, count)``, most frequent first."""
        off = [(r, c, n) for (r, c), n in self.cells.items() if r != c]
        return sorted(off, key=lambda x: (-x[2], x[0], x[1]))

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form: labels, the matrix in label order, and every non-empty cell with its documents."""
        return {
            "labels": self.labels,
            "matrix": self.matrix(),
            "total": self.total,
            "agreed": self.agreed,
            "cells": [
                {"row": r, "column": c, "count": n, "documents": dict(self.documents_of(r, c))}
                for (r, c), n in sorted(self.cells.items())
            ],
        }


# --- tokens and chance-corrected agreement ------------------------------------------------------------------


def token_labels(tokens: Sequence[tuple[int, int]], aset: AnnotationSet, view: str = "all") -> list[str]:
    """A label per token: what covers it in ``view`` (``entities``, ``dates``, ``events`` or ``all``), else ``O``.

    A token is covered by a span it overlaps.  Several labels on one token are sorted and joined with ``+``.
    """
    spans: list[tuple[int, int, str]] = []
    if view in ("entities", "all"):
        spans += [(e.start, e.end, e.type) for e in aset.entities]
    if view in ("dates", "all"):
        spans += [(d.start, d.end, "DATE") for d in aset.dates]
    if view in ("events", "all"):
        spans += [(ev.trigger.start, ev.trigger.end, "EV:" + ev.type) for ev in aset.events]
    if view not in TOKEN_LAYERS:
        raise ValueError(f"unknown token view {view!r}; use one of {', '.join(TOKEN_LAYERS)}")
    # Tokens are sorted and do not overlap, so the tokens a span overlaps are one run found by bisection.
    starts = [ts for ts, _ in tokens]
    ends = [te for _, te in tokens]
    hits: dict[int, set[str]] = defaultdict(set)
    for s, e, lab in spans:
        for i in range(bisect.bisect_right(ends, s), bisect.bisect_left(starts, e)):
            hits[i].add(lab)
    return ["+".join(sorted(hits[i])) if i in hits else "O" for i in range(len(tokens))]


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two equally long label sequences; None when undefined (chance agreement is 1)."""
    if len(a) != len(b):
        raise ValueError(f"label sequences differ in length ({len(a)} vs {len(b)})")
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb.get(k, 0) for k in ca) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(units: Iterable[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha for nominal data; each unit lists one value per annotator, None when missing.

    Units with fewer than two values are not pairable and are skipped.  None when alpha is undefined (fewer
    than two pairable values, or every value the same).
    """
    return alpha_from_coincidence(coincidence_counts(units))


Coincidence = dict[tuple[Hashable, Hashable], float]


def coincidence_counts(units: Iterable[Sequence[Hashable | None]]) -> Coincidence:
    """Krippendorff's coincidence counts of ``units`` (additive: the counts of two lists of units add up)."""
    # Most units repeat (every annotator said "O"): each distinct list of values is counted once, then weighted.
    patterns: Counter[tuple[Hashable, ...]] = Counter()
    for unit in units:
        values = tuple(v for v in unit if v is not None)  # order does not matter to the pairs counted below
        if len(values) >= 2:
            patterns[values] += 1
    coincidence: Coincidence = defaultdict(float)
    for values, times in patterns.items():
        m = len(values)
        for i, j in itertools.permutations(range(m), 2):
            coincidence[(values[i], values[j])] += times / (m - 1)
    return coincidence


def alpha_from_coincidence(coincidence: Mapping[tuple[Hashable, Hashable], float]) -> float | None:
    n_c: dict[Hashable, float] = defaultdict(float)
    for (c, _), w in coincidence.items():
        n_c[c] += w
    n = sum(n_c.values())
    if n <= 1:
        return None
    disagreement_observed = sum(w for (c, k), w in coincidence.items() if c != k)
    disagreement_expected = (n * n - sum(v * v for v in n_c.values())) / (n - 1)
    if disagreement_expected == 0:
        return None
    return 1 - disagreement_observed / disagreement_expected


@dataclass
class KappaTally:
    """What Cohen's kappa needs of two label sequences, in a form that adds up over documents."""

    n: int = 0
    agree: int = 0
    a: Counter[str] = field(default_factory=Counter)
    b: Counter[str] = field(default_factory=Counter)

    def add(self, other: KappaTally) -> None:
        self.n += other.n
        self.agree += other.agree
        self.a.update(other.a)
        self.b.update(other.b)

    def kappa(self) -> float | None:
        if self.n == 0:
            return None
        expected = sum(self.a[k] * self.b.get(k, 0) for k in self.a) / (self.n * self.n)
        if expected >= 1.0:
            return None
        return (self.agree / self.n - expected) / (1 - expected)


def add_coincidence(into: Coincidence, more: Coincidence) -> None:
    for key, w in more.items():
        into[key] = into.get(key, 0.0) + w
