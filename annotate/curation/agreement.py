"""Inter-annotator agreement of a project: each document's pairs compared with :mod:`annotate.curation.measures`
(F1 per layer and label, confusion matrices, kappa and alpha on word tokens, event attributes on matched events),
summed over documents into an
:class:`AgreementReport`; no UI.

A report is the sum of per-document tallies (:func:`document_tally`, additive), so :class:`AgreementCache` keeps
the tallies of documents whose sets did not change.  Counts are summed over documents and over pairs (micro
average).

Once a document has an adjudicated gold set (status ``gold``), each annotator is also scored against it
(:class:`AnnotatorQuality`): gold is the reference, so precision is the share of the annotator's items that
gold kept, recall the share of gold items the annotator found.
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..models import EVENT_ATTRIBUTES, GOLD_AUTHOR, AnnotationSet, AnnotationStatus, AuthorKind, Document
from ..store import Store
from ..text.tokens import tokenize
from .measures import (
    CONFUSION_LAYERS,
    LAYERS,
    TOKEN_LAYERS,
    AttributeAgreement,
    Coincidence,
    ConfusionMatrix,
    Counts,
    KappaTally,
    add_coincidence,
    alpha_from_coincidence,
    coincidence_counts,
    confusion_units,
    date_value_matches,
    event_attribute_pairs,
    pair_counts,
    token_labels,
)

__all__ = [
    "AgreementCache",
    "AgreementReport",
    "AnnotatorQuality",
    "DocumentAgreement",
    "DocumentSets",
    "DocumentTally",
    "chart_rows",
    "compute_agreement",
    "document_tally",
    "load_document_sets",
    "project_agreement",
    "report_from_tallies",
    "report_lines",
]


@dataclass(frozen=True)
class DocumentSets:
    """One document with the annotation sets to compare, by author, and its adjudicated gold set if it has one."""

    document: Document
    sets: Mapping[str, AnnotationSet]
    gold: AnnotationSet | None = None


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
    attributes: dict[str, AttributeAgreement] = field(
        default_factory=lambda: {name: AttributeAgreement(name) for name in EVENT_ATTRIBUTES})
    """Event attributes over every pair's matched events."""
    pair_attributes: dict[tuple[str, str], dict[str, AttributeAgreement]] = field(default_factory=dict)
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
                    "event_attributes": {k: x.as_dict() for k, x in self.pair_attributes.get((a, b), {}).items()},
                }
                for (a, b), v in self.pairs.items()
            },
            "alpha": self.alpha,
            "date_value_agreement": self.date_value_agreement,
            "event_attributes": {k: x.as_dict() for k, x in self.attributes.items()},
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


@dataclass
class DocumentTally:
    """Everything a report needs from one document, in additive form (:func:`document_tally`); a report is the
    sum of its documents' tallies, so a page can keep the tallies of documents that did not change."""

    doc_id: str
    lang: str
    annotators: list[str]
    compared: bool = False
    agreement: DocumentAgreement | None = None
    pairs: dict[tuple[str, str], dict[str, dict[str, Counts]]] = field(default_factory=dict)
    """Pair -> layer -> label (``""``: the total) -> counts."""
    kappa: dict[tuple[str, str], dict[str, KappaTally]] = field(default_factory=dict)
    coincidence: dict[str, Coincidence] = field(default_factory=dict)
    confusion: dict[tuple[str, str], dict[str, ConfusionMatrix]] = field(default_factory=dict)
    attributes: dict[tuple[str, str], dict[str, Counter[tuple[str, str]]]] = field(default_factory=dict)
    """Pair -> event attribute -> (first's value, second's value) -> matched events."""
    same_span: int = 0
    same_value: int = 0
    quality: dict[str, dict[str, dict[str, Counts]]] | None = None
    """Against gold, when the document has it: annotator -> layer -> label (``""``: the total) -> counts."""


def document_tally(d: DocumentSets) -> DocumentTally:
    """One document's share of a report: its pairs' counts, token statistics, confusion and quality."""
    sets = _human_sets(d.sets)
    out = DocumentTally(d.document.id, d.document.lang, sorted(sets))
    if d.gold is not None:
        out.quality = {name: {layer: pair_counts(d.gold, aset, layer) for layer in LAYERS}
                       for name, aset in sets.items()}
    if len(sets) < 2:
        return out
    out.compared = True
    tokens = tokenize(d.document.text, words_only=True)
    labelled = {v: {a: token_labels(tokens, s, v) for a, s in sets.items()} for v in TOKEN_LAYERS}
    out.coincidence = {v: coincidence_counts(zip(*labelled[v].values(), strict=True)) for v in TOKEN_LAYERS}
    doc_layers = {layer: Counts() for layer in LAYERS}
    for a, b in itertools.combinations(sorted(sets), 2):
        out.pairs[(a, b)] = {layer: pair_counts(sets[a], sets[b], layer) for layer in LAYERS}
        for layer in LAYERS:
            doc_layers[layer].add(out.pairs[(a, b)][layer][""])
        matrices = {layer: ConfusionMatrix(layer) for layer in CONFUSION_LAYERS}
        for layer in CONFUSION_LAYERS:
            for _, row, column in confusion_units(sets[a], sets[b], layer):
                matrices[layer].add(d.document.id, row, column)
        out.confusion[(a, b)] = matrices
        out.attributes[(a, b)] = event_attribute_pairs(sets[a], sets[b])
        same_span, same_value = date_value_matches(sets[a], sets[b])
        out.same_span += same_span
        out.same_value += same_value
        out.kappa[(a, b)] = {
            v: KappaTally(len(tokens), sum(x == y for x, y in zip(labelled[v][a], labelled[v][b], strict=True)),
                           Counter(labelled[v][a]), Counter(labelled[v][b]))
            for v in TOKEN_LAYERS
        }
    score = _mean(doc_layers[layer].f1 for layer in ("entities", "date_values", "links", "triggers", "arguments"))
    out.agreement = DocumentAgreement(d.document.id, d.document.lang, sorted(sets), doc_layers,
                                      alpha_from_coincidence(out.coincidence["all"]), score)
    return out


def report_from_tallies(tallies: Sequence[DocumentTally]) -> AgreementReport:
    """The report of the documents whose tallies are given (see :func:`document_tally`)."""
    report = AgreementReport(annotators=sorted({a for t in tallies for a in t.annotators}), documents=len(tallies),
                             compared_documents=sum(t.compared for t in tallies))
    report.layers = {layer: Counts() for layer in LAYERS}
    report.labels = {layer: {} for layer in LAYERS}
    report.confusion = {layer: ConfusionMatrix(layer) for layer in CONFUSION_LAYERS}
    kappa: dict[tuple[str, str], dict[str, KappaTally]] = {}
    alpha: dict[str, Coincidence] = {v: {} for v in TOKEN_LAYERS}
    lang_alpha: dict[str, Coincidence] = defaultdict(dict)
    same_span = same_value = 0
    for t in tallies:
        if t.quality is not None:
            report.gold_documents += 1
            for name, by_layer in t.quality.items():
                q = report.quality.setdefault(name, AnnotatorQuality(name))
                q.documents += 1
                for layer, counts in by_layer.items():
                    for label, c in counts.items():
                        (q.layers[layer] if label == "" else q.labels[layer].setdefault(label, Counts())).add(c)
        if not t.compared:
            continue
        for pair, by_layer in t.pairs.items():
            pair_total = report.pairs.setdefault(pair, {layer: Counts() for layer in LAYERS})
            for layer, counts in by_layer.items():
                for label, c in counts.items():
                    if label == "":
                        pair_total[layer].add(c)
                        report.layers[layer].add(c)
                    else:
                        report.labels[layer].setdefault(label, Counts()).add(c)
            matrices = report.pair_confusion.setdefault(pair, {layer: ConfusionMatrix(layer)
                                                               for layer in CONFUSION_LAYERS})
            for layer, m in t.confusion[pair].items():
                matrices[layer].merge(m)
                report.confusion[layer].merge(m)
            attributes = report.pair_attributes.setdefault(
                pair, {name: AttributeAgreement(name) for name in EVENT_ATTRIBUTES})
            for name, value_pairs in t.attributes[pair].items():
                attributes[name].add(value_pairs)
                report.attributes[name].add(value_pairs)
            for view, k in t.kappa[pair].items():
                kappa.setdefault(pair, {v: KappaTally() for v in TOKEN_LAYERS})[view].add(k)
        for view, co in t.coincidence.items():
            add_coincidence(alpha[view], co)
        add_coincidence(lang_alpha[t.lang], t.coincidence["all"])
        same_span += t.same_span
        same_value += t.same_value
        assert t.agreement is not None
        report.per_document.append(t.agreement)
    report.kappa = {pair: {v: k.kappa() for v, k in by_view.items()} for pair, by_view in kappa.items()}
    report.alpha = {view: alpha_from_coincidence(co) for view, co in alpha.items()}
    report.date_value_agreement = same_value / same_span if same_span else None
    by_lang: dict[str, list[DocumentAgreement]] = defaultdict(list)
    for da in report.per_document:
        by_lang[da.lang].append(da)
    for code, items in sorted(by_lang.items()):
        layer_totals = {layer: Counts() for layer in LAYERS}
        for da in items:
            for layer in LAYERS:
                layer_totals[layer].add(da.layers[layer])
        report.languages[code] = {
            "documents": len(items),
            "f1": {layer: c.f1 for layer, c in layer_totals.items()},
            "alpha": alpha_from_coincidence(lang_alpha[code]),
        }
    return report


def compute_agreement(docs: Sequence[DocumentSets], *, lang: str | None = None) -> AgreementReport:
    """Agreement between the human annotation sets of ``docs`` (engine and gold sets are ignored).

    Only documents with at least two human sets are compared; ``lang`` restricts to one language (exact tag
    or its primary subtag, so ``fa`` also takes ``fa-IR``).  Every annotator of a document with a gold set is
    scored against it (:attr:`AgreementReport.quality`), whatever the number of annotators.
    """
    return report_from_tallies([document_tally(d) for d in docs if lang is None or _same_lang(d.document.lang, lang)])


def _sorted_sets(sets: Iterable[AnnotationSet], submitted_only: bool
                 ) -> tuple[dict[str, dict[str, AnnotationSet]], dict[str, AnnotationSet]]:
    """The sets agreement uses, by document: human sets (not withdrawn; submitted ones only if asked) and final
    gold sets."""
    by_doc: dict[str, dict[str, AnnotationSet]] = defaultdict(dict)
    gold: dict[str, AnnotationSet] = {}
    for aset in sets:
        if aset.author == GOLD_AUTHOR and aset.author_kind is AuthorKind.gold:
            if aset.status is AnnotationStatus.gold:
                gold[aset.doc_id] = aset
            continue
        if aset.author_kind is not AuthorKind.human or aset.status is AnnotationStatus.withdrawn:
            continue
        if submitted_only and aset.status is AnnotationStatus.in_progress:
            continue
        by_doc[aset.doc_id][aset.author] = aset
    return by_doc, gold


def load_document_sets(store: Store, *, lang: str | None = None, submitted_only: bool = False) -> list[DocumentSets]:
    """Every document of ``store`` (of ``lang``) with its human annotation sets and its final gold set (status
    ``gold``), ready for :func:`compute_agreement`.

    ``submitted_only`` leaves out sets still in progress; withdrawn sets are always left out.
    """
    by_doc, gold = _sorted_sets(store.sets.list(), submitted_only)
    docs = [d for d in store.documents.list() if lang is None or _same_lang(d.lang, lang)]
    return [DocumentSets(d, by_doc.get(d.id, {}), gold.get(d.id)) for d in docs]


class AgreementCache:
    """Document tallies kept between reports of one project: after a save, a report computes only the documents
    whose sets changed (a document's key is its sets' authors, revisions and statuses, and its length).

    Thread-safe, so one cache may serve every session of the app.
    """

    BULK = 50
    """From this many changed documents on, their sets are read in one query rather than per document."""

    def __init__(self) -> None:
        self._tallies: dict[tuple[str, bool], tuple[tuple[Any, ...], DocumentTally]] = {}
        self._lock = threading.Lock()

    def report(self, store: Store, *, lang: str | None = None, submitted_only: bool = False) -> AgreementReport:
        """The same report as :func:`project_agreement`, from the tallies still valid plus the changed ones."""
        keys: dict[str, list[tuple[str, str, str, int, bool]]] = defaultdict(list)
        for info in store.sets.list_info():
            keys[info.doc_id].append((info.author, info.author_kind.value, info.status.value, info.head_revision,
                                      info.stale))
        docs = [d for d in store.documents.list_info() if lang is None or _same_lang(d.lang, lang)]
        wanted = {d.id: (d.lang, d.chars, tuple(keys.get(d.id, ()))) for d in docs}
        with self._lock:
            stale = [d for d, key in wanted.items()
                     if self._tallies.get((d, submitted_only), ((), None))[0] != key]
            if len(stale) >= self.BULK:
                by_doc, gold = _sorted_sets(store.sets.list(), submitted_only)
            else:
                by_doc, gold = _sorted_sets((a for d in stale for a in store.sets.list(doc_id=d)), submitted_only)
            for doc_id in stale:
                tally = document_tally(DocumentSets(store.documents.get(doc_id), by_doc.get(doc_id, {}),
                                                    gold.get(doc_id)))
                self._tallies[(doc_id, submitted_only)] = (wanted[doc_id], tally)
            return report_from_tallies([self._tallies[(d, submitted_only)][1] for d in wanted])


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
