"""Inter-annotator agreement over annotation sets: pure functions, no store and no UI.

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

Once a document has an adjudicated gold set (status ``gold``), each annotator is also scored against it
(:class:`AnnotatorQuality`): gold is the reference, so precision is the share of the annotator's items that
gold kept, recall the share of gold items the annotator found.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..models import GOLD_AUTHOR, AnnotationSet, AnnotationStatus, AuthorKind, Document, Span
from ..store import Store
from ..text.tokens import tokenize

__all__ = [
    "CONFUSION_LAYERS",
    "LAYERS",
    "NONE",
    "AgreementReport",
    "AnnotatorQuality",
    "ConfusionMatrix",
    "Counts",
    "DocumentAgreement",
    "DocumentSets",
    "chart_rows",
    "cohen_kappa",
    "compute_agreement",
    "confusion_units",
    "krippendorff_alpha",
    "layer_items",
    "load_document_sets",
    "match_overlap",
    "pair_counts",
    "project_agreement",
    "report_lines",
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


@dataclass(frozen=True)
class DocumentSets:
    """One document with the annotation sets to compare, by author, and its adjudicated gold set if it has one."""

    document: Document
    sets: Mapping[str, AnnotationSet]
    gold: AnnotationSet | None = None


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


def _date_value_matches(ref: AnnotationSet, other: AnnotationSet) -> tuple[int, int]:
    """(dates at the same span in both, of those with the same calendar and Gregorian range)."""
    values = {(d.start, d.end): (d.calendar, d.gregorian_start, d.gregorian_end) for d in other.dates}
    same_span = same_value = 0
    for d in ref.dates:
        v = values.get((d.start, d.end))
        if v is not None:
            same_span += 1
            same_value += v == (d.calendar, d.gregorian_start, d.gregorian_end)
    return same_span, same_value


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
        la, lb = Counter(by_a.get(span, [])), Counter(by_b.get(span, []))
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
    labels = []
    for ts, te in tokens:
        hit = sorted({lab for s, e, lab in spans if s < te and ts < e})
        labels.append("+".join(hit) if hit else "O")
    return labels


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
    coincidence: dict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        for i, j in itertools.permutations(range(m), 2):
            coincidence[(values[i], values[j])] += 1 / (m - 1)
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


# --- the report ---------------------------------------------------------------------------------------------


@dataclass
class DocumentAgreement:
    """Agreement on one document."""

    doc_id: str
    lang: str
    annotators: list[str]
    layers: dict[str, Counts]
    alpha: float | None
    score: float | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "doc_id": self.doc_id,
            "lang": self.lang,
            "annotators": self.annotators,
            "score": self.score,
            "alpha": self.alpha,
            "layers": {k: v.as_dict() for k, v in self.layers.items()},
        }


@dataclass
class AnnotatorQuality:
    """One annotator against adjudicated gold: gold is the reference (recall), the annotator the other side
    (precision), per layer and per label."""

    annotator: str
    documents: int = 0
    layers: dict[str, Counts] = field(default_factory=lambda: {layer: Counts() for layer in LAYERS})
    labels: dict[str, dict[str, Counts]] = field(default_factory=lambda: {layer: {} for layer in LAYERS})

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "documents": self.documents,
            "layers": {k: v.as_dict() for k, v in self.layers.items()},
            "labels": {k: {lab: c.as_dict() for lab, c in sorted(v.items())} for k, v in self.labels.items()},
        }


@dataclass
class AgreementReport:
    """Agreement over a set of documents: per layer, label, annotator pair, language and document."""

    annotators: list[str]
    documents: int
    compared_documents: int
    layers: dict[str, Counts] = field(default_factory=dict)
    labels: dict[str, dict[str, Counts]] = field(default_factory=dict)
    pairs: dict[tuple[str, str], dict[str, Counts]] = field(default_factory=dict)
    kappa: dict[tuple[str, str], dict[str, float | None]] = field(default_factory=dict)
    alpha: dict[str, float | None] = field(default_factory=dict)
    date_value_agreement: float | None = None
    languages: dict[str, dict[str, Any]] = field(default_factory=dict)
    per_document: list[DocumentAgreement] = field(default_factory=list)
    confusion: dict[str, ConfusionMatrix] = field(default_factory=dict)
    """Pooled over every pair, per :data:`CONFUSION_LAYERS` layer."""
    pair_confusion: dict[tuple[str, str], dict[str, ConfusionMatrix]] = field(default_factory=dict)
    quality: dict[str, AnnotatorQuality] = field(default_factory=dict)
    """Per annotator, against the adjudicated gold of the documents that have one."""
    gold_documents: int = 0

    def confusion_matrix(self, layer: str, pair: tuple[str, str] | None = None) -> ConfusionMatrix:
        """The pooled matrix of ``layer``, or the matrix of one pair (empty if they share no document)."""
        if layer not in CONFUSION_LAYERS:
            raise ValueError(f"unknown confusion layer {layer!r}; use one of {', '.join(CONFUSION_LAYERS)}")
        if pair is None:
            return self.confusion.get(layer, ConfusionMatrix(layer))
        return self.pair_confusion.get(pair, {}).get(layer, ConfusionMatrix(layer))

    def lowest(self, n: int | None = None) -> list[DocumentAgreement]:
        """Compared documents, lowest agreement first (documents without a score last)."""
        ranked = sorted(
            self.per_document, key=lambda d: (d.score is None, d.score if d.score is not None else 0.0, d.doc_id)
        )
        return ranked if n is None else ranked[:n]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (pairs as ``"a|b"``)."""
        return {
            "annotators": self.annotators,
            "documents": self.documents,
            "compared_documents": self.compared_documents,
            "layers": {k: v.as_dict() for k, v in self.layers.items()},
            "labels": {k: {lab: c.as_dict() for lab, c in v.items()} for k, v in self.labels.items()},
            "pairs": {
                f"{a}|{b}": {
                    "layers": {k: c.as_dict() for k, c in v.items()},
                    "kappa": self.kappa.get((a, b), {}),
                }
                for (a, b), v in self.pairs.items()
            },
            "alpha": self.alpha,
            "date_value_agreement": self.date_value_agreement,
            "languages": self.languages,
            "documents_lowest_first": [d.as_dict() for d in self.lowest()],
            "confusion": {
                layer: {
                    "pooled": self.confusion_matrix(layer).as_dict(),
                    "pairs": {f"{a}|{b}": self.confusion_matrix(layer, (a, b)).as_dict() for a, b in self.pairs},
                }
                for layer in CONFUSION_LAYERS
            },
            "gold_documents": self.gold_documents,
            "quality": {name: q.as_dict() for name, q in sorted(self.quality.items())},
        }


def _mean(values: Iterable[float | None]) -> float | None:
    got = [v for v in values if v is not None]
    return sum(got) / len(got) if got else None


def _same_lang(tag: str, wanted: str) -> bool:
    return tag == wanted or tag.split("-")[0] == wanted


def _human_sets(sets: Mapping[str, AnnotationSet]) -> dict[str, AnnotationSet]:
    return {a: s for a, s in sorted(sets.items()) if s.author_kind is AuthorKind.human}


def compute_agreement(docs: Sequence[DocumentSets], *, lang: str | None = None) -> AgreementReport:
    """Agreement between the human annotation sets of ``docs`` (engine and gold sets are ignored).

    Only documents with at least two human sets are compared; ``lang`` restricts to one language (exact tag
    or its primary subtag, so ``fa`` also takes ``fa-IR``).  Every annotator of a document with a gold set is
    scored against it (:attr:`AgreementReport.quality`), whatever the number of annotators.
    """
    chosen = [d for d in docs if lang is None or _same_lang(d.document.lang, lang)]
    annotators = sorted({a for d in chosen for a in _human_sets(d.sets)})
    report = AgreementReport(annotators=annotators, documents=len(chosen), compared_documents=0)
    for layer in LAYERS:
        report.layers[layer] = Counts()
        report.labels[layer] = {}
    report.confusion = {layer: ConfusionMatrix(layer) for layer in CONFUSION_LAYERS}
    for d in chosen:
        if d.gold is not None:
            _add_quality(report, d)
    same_span = same_value = 0
    token_units: dict[str, list[list[str | None]]] = {v: [] for v in TOKEN_LAYERS}
    pair_tokens: dict[tuple[str, str], dict[str, tuple[list[str], list[str]]]] = {}
    by_lang: dict[str, list[DocumentAgreement]] = defaultdict(list)
    lang_units: dict[str, list[list[str | None]]] = defaultdict(list)
    for d in chosen:
        sets = _human_sets(d.sets)
        if len(sets) < 2:
            continue
        report.compared_documents += 1
        tokens = tokenize(d.document.text, words_only=True)
        labelled = {v: {a: token_labels(tokens, s, v) for a, s in sets.items()} for v in TOKEN_LAYERS}
        for view in TOKEN_LAYERS:
            units = [[labelled[view][a][t] if a in sets else None for a in annotators] for t in range(len(tokens))]
            token_units[view] += units
            if view == "all":
                lang_units[d.document.lang] += units
        doc_layers = {layer: Counts() for layer in LAYERS}
        for a, b in itertools.combinations(sorted(sets), 2):
            pair_total = report.pairs.setdefault((a, b), {layer: Counts() for layer in LAYERS})
            for layer in LAYERS:
                counts = pair_counts(sets[a], sets[b], layer)
                total = counts.pop("")
                pair_total[layer].add(total)
                doc_layers[layer].add(total)
                report.layers[layer].add(total)
                for label, c in counts.items():
                    report.labels[layer].setdefault(label, Counts()).add(c)
            pair_matrices = report.pair_confusion.setdefault(
                (a, b), {layer: ConfusionMatrix(layer) for layer in CONFUSION_LAYERS}
            )
            for layer in CONFUSION_LAYERS:
                for _, row, column in confusion_units(sets[a], sets[b], layer):
                    pair_matrices[layer].add(d.document.id, row, column)
                    report.confusion[layer].add(d.document.id, row, column)
            ss, sv = _date_value_matches(sets[a], sets[b])
            same_span += ss
            same_value += sv
            seqs = pair_tokens.setdefault((a, b), {v: ([], []) for v in TOKEN_LAYERS})
            for view in TOKEN_LAYERS:
                seqs[view][0].extend(labelled[view][a])
                seqs[view][1].extend(labelled[view][b])
        doc_alpha = krippendorff_alpha(
            [[labelled["all"][a][t] for a in sets] for t in range(len(tokens))]
        )
        score = _mean(doc_layers[layer].f1 for layer in ("entities", "date_values", "links", "triggers", "arguments"))
        da = DocumentAgreement(d.document.id, d.document.lang, sorted(sets), doc_layers, doc_alpha, score)
        report.per_document.append(da)
        by_lang[d.document.lang].append(da)
    for names, seqs in pair_tokens.items():
        report.kappa[names] = {view: cohen_kappa(*seqs[view]) for view in TOKEN_LAYERS}
    report.alpha = {view: krippendorff_alpha(token_units[view]) for view in TOKEN_LAYERS}
    report.date_value_agreement = same_value / same_span if same_span else None
    for code, items in sorted(by_lang.items()):
        layer_totals = {layer: Counts() for layer in LAYERS}
        for da in items:
            for layer in LAYERS:
                layer_totals[layer].add(da.layers[layer])
        report.languages[code] = {
            "documents": len(items),
            "f1": {layer: c.f1 for layer, c in layer_totals.items()},
            "alpha": krippendorff_alpha(lang_units[code]),
        }
    return report


def _add_quality(report: AgreementReport, d: DocumentSets) -> None:
    """Score each annotator of ``d`` against its gold set."""
    assert d.gold is not None
    report.gold_documents += 1
    for name, aset in _human_sets(d.sets).items():
        q = report.quality.setdefault(name, AnnotatorQuality(name))
        q.documents += 1
        for layer in LAYERS:
            counts = pair_counts(d.gold, aset, layer)
            q.layers[layer].add(counts.pop(""))
            for label, c in counts.items():
                q.labels[layer].setdefault(label, Counts()).add(c)


def load_document_sets(store: Store, *, lang: str | None = None, submitted_only: bool = False) -> list[DocumentSets]:
    """Every document of ``store`` (of ``lang``) with its human annotation sets and its final gold set (status
    ``gold``), ready for :func:`compute_agreement`.

    ``submitted_only`` leaves out sets still in progress; withdrawn sets are always left out.
    """
    by_doc: dict[str, dict[str, AnnotationSet]] = defaultdict(dict)
    gold: dict[str, AnnotationSet] = {}
    for aset in store.sets.list():
        if aset.author == GOLD_AUTHOR and aset.author_kind is AuthorKind.gold:
            if aset.status is AnnotationStatus.gold:
                gold[aset.doc_id] = aset
            continue
        if aset.author_kind is not AuthorKind.human or aset.status is AnnotationStatus.withdrawn:
            continue
        if submitted_only and aset.status is AnnotationStatus.in_progress:
            continue
        by_doc[aset.doc_id][aset.author] = aset
    docs = [d for d in store.documents.list() if lang is None or _same_lang(d.lang, lang)]
    return [DocumentSets(d, by_doc.get(d.id, {}), gold.get(d.id)) for d in docs]


def project_agreement(store: Store, *, lang: str | None = None, submitted_only: bool = False) -> AgreementReport:
    """Agreement over the whole project (or one language) as stored now."""
    return compute_agreement(load_document_sets(store, lang=lang, submitted_only=submitted_only), lang=lang)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def report_lines(report: AgreementReport, *, lowest: int = 10) -> list[str]:
    """The report as plain-text tables (tab-separated columns), as ``annotate agreement`` prints it."""
    out = [
        f"annotators: {', '.join(report.annotators) or '-'}; documents: {report.documents}, "
        f"compared (2+ annotators): {report.compared_documents}",
        "",
        "layer\tmatched\tn_ref\tn_other\tF1",
    ]
    for layer, c in report.layers.items():
        out.append(f"{layer}\t{c.matched}\t{c.n_ref}\t{c.n_other}\t{_fmt(c.f1)}")
    out.append(f"date value agreement (same span, same calendar and range)\t{_fmt(report.date_value_agreement)}")
    out += ["", "token agreement\tKrippendorff alpha"]
    out += [f"{view}\t{_fmt(a)}" for view, a in report.alpha.items()]
    out += ["", "layer\tlabel\tmatched\tn_ref\tn_other\tF1"]
    for layer, labels in report.labels.items():
        if layer == "entities_overlap":
            continue
        for label, c in sorted(labels.items()):
            out.append(f"{layer}\t{label}\t{c.matched}\t{c.n_ref}\t{c.n_other}\t{_fmt(c.f1)}")
    out += ["", "pair\tentities F1\tdates F1\tdate values F1\tlinks F1\ttriggers F1\targuments F1\tkappa (all tokens)"]
    for (a, b), layers in report.pairs.items():
        out.append(
            f"{a} / {b}\t"
            + "\t".join(_fmt(layers[x].f1) for x in LAYERS if x != "entities_overlap")
            + f"\t{_fmt(report.kappa.get((a, b), {}).get('all'))}"
        )
    out += ["", "language\tdocuments\tentities F1\tdate values F1\tlinks F1\ttriggers F1\talpha"]
    for code, row in report.languages.items():
        f1 = row["f1"]
        out.append(
            f"{code}\t{row['documents']}\t{_fmt(f1['entities'])}\t{_fmt(f1['date_values'])}\t{_fmt(f1['links'])}\t"
            f"{_fmt(f1['triggers'])}\t{_fmt(row['alpha'])}"
        )
    out += ["", "lowest agreement first\tlang\tscore\talpha\tannotators"]
    for d in report.lowest(lowest):
        out.append(f"{d.doc_id}\t{d.lang}\t{_fmt(d.score)}\t{_fmt(d.alpha)}\t{', '.join(d.annotators)}")
    for layer in CONFUSION_LAYERS:
        m = report.confusion_matrix(layer)
        if not m.total:
            continue
        out += ["", f"confusion {layer} (pooled over pairs; rows: first annotator, columns: second)"]
        out.append("\t".join(["", *m.labels]))
        out += ["\t".join([label, *map(str, row)]) for label, row in zip(m.labels, m.matrix(), strict=True)]
    if report.quality:
        out += ["", f"against gold ({report.gold_documents} document(s))\tlayer\tdocuments\tprecision\trecall\tF1"]
        for name, q in sorted(report.quality.items()):
            for layer, c in q.layers.items():
                if layer == "entities_overlap" or not (c.n_ref or c.n_other):
                    continue
                out.append(f"{name}\t{layer}\t{q.documents}\t{_fmt(c.precision)}\t{_fmt(c.recall)}\t{_fmt(c.f1)}")
    return out


def _f1_rows(name: str, value: str, by: Mapping[str, Counts]) -> list[dict[str, Any]]:
    return [{name: value, "layer": layer, "F1": c.f1} for layer, c in by.items() if c.f1 is not None]


def chart_rows(report: AgreementReport) -> dict[str, list[dict[str, Any]]]:
    """The report as flat records for charts and tables.

    ``layers``, ``labels``, ``pairs`` and ``languages`` hold F1 (0..1; an F1 of 0 is a row like any other);
    ``chance`` holds the chance-corrected figures (Cohen's kappa per pair, Krippendorff's alpha overall and per
    language, -1..1) apart from F1; ``quality`` and ``quality_labels`` each annotator's precision, recall and
    F1 against gold; ``documents`` the compared documents, lowest agreement first.  Undefined figures are left
    out of the chart rows.
    """
    layers = [{"layer": k, "F1": c.f1} for k, c in report.layers.items() if c.f1 is not None]
    labels = [
        {"layer": layer, "label": label, "F1": c.f1, "items": c.n_ref + c.n_other}
        for layer, by_label in report.labels.items()
        if layer != "entities_overlap"
        for label, c in sorted(by_label.items())
        if c.f1 is not None
    ]
    pairs = [row for (a, b), by_layer in report.pairs.items() for row in _f1_rows("pair", f"{a} / {b}", by_layer)]
    chance = [
        {"measure": "Cohen's kappa", "of": f"{a} / {b}", "view": view, "value": v}
        for (a, b), k in report.kappa.items()
        for view, v in k.items()
        if v is not None
    ]
    chance += [
        {"measure": "Krippendorff's alpha", "of": "all annotators", "view": view, "value": v}
        for view, v in report.alpha.items()
        if v is not None
    ]
    chance += [
        {"measure": "Krippendorff's alpha", "of": f"language {code}", "view": "all", "value": row["alpha"]}
        for code, row in report.languages.items()
        if row["alpha"] is not None
    ]
    languages = [
        {"language": code, "layer": layer, "F1": f1}
        for code, row in report.languages.items()
        for layer, f1 in row["f1"].items()
        if f1 is not None
    ]
    quality = [
        {"annotator": name, "layer": layer, "documents": q.documents, "precision": c.precision,
         "recall": c.recall, "F1": c.f1}
        for name, q in sorted(report.quality.items())
        for layer, c in q.layers.items()
        if layer != "entities_overlap" and c.f1 is not None
    ]
    quality_labels = [
        {"annotator": name, "layer": layer, "label": label, "precision": c.precision, "recall": c.recall,
         "F1": c.f1, "gold items": c.n_ref}
        for name, q in sorted(report.quality.items())
        for layer, by_label in q.labels.items()
        if layer != "entities_overlap"
        for label, c in sorted(by_label.items())
        if c.f1 is not None
    ]
    documents = [
        {
            "document": d.doc_id,
            "lang": d.lang,
            "score": d.score,
            "alpha": d.alpha,
            "annotators": ", ".join(d.annotators),
            **{f"{layer} F1": c.f1 for layer, c in d.layers.items()},
        }
        for d in report.lowest()
    ]
    return {"layers": layers, "labels": labels, "pairs": pairs, "chance": chance, "languages": languages,
            "quality": quality, "quality_labels": quality_labels, "documents": documents}
