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

Event attributes (modality, polarity, tense) are compared on the events two annotators both marked, with the same
trigger span and type (:class:`AttributeAgreement`): the share with the same value, Cohen's kappa and the value
confusion, over every pair of annotators.

For a pair of annotators A (the reference) and B, precision is ``matched / |B|``, recall ``matched / |A|`` and
F1 ``2·matched / (|A| + |B|)``, which is symmetric.  Counts are summed over documents and over pairs (micro
average).  Chance-corrected figures work on word tokens of the frozen text (ZWNJ stays inside a word), each
labelled with what covers it (entity type, ``DATE``, event type, joined by ``+``; ``O`` for nothing):
Cohen's kappa per pair, and Krippendorff's alpha (nominal) across every annotator, with missing values for
annotators who did not annotate a document.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..models import (
    EVENT_ATTRIBUTES,
    AnnotationSet,
    AnnotationStatus,
    AuthorKind,
    Document,
    Span,
    match_event_attributes,
)
from ..store import Store
from ..text.tokens import tokenize

__all__ = [
    "LAYERS",
    "AgreementReport",
    "AttributeAgreement",
    "Counts",
    "DocumentAgreement",
    "DocumentSets",
    "chart_rows",
    "cohen_kappa",
    "compute_agreement",
    "event_attribute_pairs",
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

TOKEN_LAYERS: tuple[str, ...] = ("entities", "dates", "events", "all")
"""The token-label views kappa and alpha are computed on."""

Key = tuple[Any, ...]


@dataclass(frozen=True)
class DocumentSets:
    """One document with the annotation sets to compare, by author."""

    document: Document
    sets: Mapping[str, AnnotationSet]


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
    attributes: dict[str, AttributeAgreement] = field(
        default_factory=lambda: {name: AttributeAgreement(name) for name in EVENT_ATTRIBUTES})
    """Event attributes over every pair's matched events."""
    pair_attributes: dict[tuple[str, str], dict[str, AttributeAgreement]] = field(default_factory=dict)
    languages: dict[str, dict[str, Any]] = field(default_factory=dict)
    per_document: list[DocumentAgreement] = field(default_factory=list)

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
                    "event_attributes": {k: x.as_dict() for k, x in self.pair_attributes.get((a, b), {}).items()},
                }
                for (a, b), v in self.pairs.items()
            },
            "alpha": self.alpha,
            "date_value_agreement": self.date_value_agreement,
            "event_attributes": {k: x.as_dict() for k, x in self.attributes.items()},
            "languages": self.languages,
            "documents_lowest_first": [d.as_dict() for d in self.lowest()],
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
    or its primary subtag, so ``fa`` also takes ``fa-IR``).
    """
    chosen = [d for d in docs if lang is None or _same_lang(d.document.lang, lang)]
    annotators = sorted({a for d in chosen for a in _human_sets(d.sets)})
    report = AgreementReport(annotators=annotators, documents=len(chosen), compared_documents=0)
    for layer in LAYERS:
        report.layers[layer] = Counts()
        report.labels[layer] = {}
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
            attributes = report.pair_attributes.setdefault(
                (a, b), {name: AttributeAgreement(name) for name in EVENT_ATTRIBUTES})
            for name, pairs in event_attribute_pairs(sets[a], sets[b]).items():
                attributes[name].add(pairs)
                report.attributes[name].add(pairs)
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


def load_document_sets(store: Store, *, lang: str | None = None, submitted_only: bool = False) -> list[DocumentSets]:
    """Every document of ``store`` (of ``lang``) with its human annotation sets, ready for :func:`compute_agreement`.

    ``submitted_only`` leaves out sets still in progress; withdrawn sets are always left out.
    """
    by_doc: dict[str, dict[str, AnnotationSet]] = defaultdict(dict)
    for aset in store.sets.list():
        if aset.author_kind is not AuthorKind.human or aset.status is AnnotationStatus.withdrawn:
            continue
        if submitted_only and aset.status is AnnotationStatus.in_progress:
            continue
        by_doc[aset.doc_id][aset.author] = aset
    docs = [d for d in store.documents.list() if lang is None or _same_lang(d.lang, lang)]
    return [DocumentSets(d, by_doc.get(d.id, {})) for d in docs]


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
    out += ["", "event attribute (matched events)\tmatched\tagreed\taccuracy\tkappa"]
    out += [f"{name}\t{x.matched}\t{x.agreed}\t{_fmt(x.accuracy)}\t{_fmt(x.kappa)}"
            for name, x in report.attributes.items()]
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
    return out


def chart_rows(report: AgreementReport) -> dict[str, list[dict[str, Any]]]:
    """The report as flat records for charts and tables: ``layers``, ``labels``, ``pairs``, ``languages``,
    ``documents`` (lowest agreement first).  Undefined figures are left out of the chart rows."""
    layers = [{"layer": k, "F1": c.f1} for k, c in report.layers.items() if c.f1 is not None]
    labels = [
        {"layer": layer, "label": label, "F1": c.f1, "items": c.n_ref + c.n_other}
        for layer, by_label in report.labels.items()
        if layer != "entities_overlap"
        for label, c in sorted(by_label.items())
        if c.f1 is not None
    ]
    pairs = [
        {
            "pair": f"{a} / {b}",
            "layer": layer,
            "F1": c.f1,
        }
        for (a, b), by_layer in report.pairs.items()
        for layer, c in by_layer.items()
        if c.f1 is not None
    ]
    pairs += [
        {"pair": f"{a} / {b}", "layer": "kappa (tokens)", "F1": k["all"]}
        for (a, b), k in report.kappa.items()
        if k.get("all") is not None
    ]
    languages = [
        {"language": code, "layer": layer, "F1": f1}
        for code, row in report.languages.items()
        for layer, f1 in row["f1"].items()
        if f1 is not None
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
    return {"layers": layers, "labels": labels, "pairs": pairs, "languages": languages, "documents": documents}
