"""Score predictions against a gold release or export: entities, events, dates and date links.

Gold is a release (version or directory with ``manifest.json``) or an export directory (``release.json``).
Predictions are JSON Lines in any of these layouts (the document is named by ``doc``, ``doc_id`` or ``id``):

* documents layout, one line per document: ``{"id": DOC_ID, "entities": [{start, end, type, id?, text?}],
  "dates": [{start, end, id?, gregorian_start?, gregorian_end?, value?}], "events": [{type, trigger: {start, end},
  arguments: [{role, ref}], modality?, polarity?, tense?}], "date_links": [{source, target}]}`` (``links`` is
  accepted too);
* the date engine's own output (``annotate dates extract docs.jsonl``): one ``{"kind": "mention", "doc", "id",
  "start", "end", "gregorian_start", "gregorian_end", ...}`` line per date and one ``{"kind": "link", "doc",
  "source", "target"}`` line per link;
* dates layout, one line per date: ``{"doc_id", "start", "end", "value"}``, or ``{"id": "DOC#MENTION",
  "answer": ...}`` for a value given to a gold mention;
* lm-evaluation-harness ``--log_samples`` output of the export's task (``samples_<task>_*.jsonl``): each line's
  ``doc_id`` is the row index in the task's evaluated split of the ``dates`` config; it is mapped to the gold mention
  through that config of the export directory given as gold (and checked against the logged ``doc.id``), and the
  answer is the filtered response.

A date's value is its Gregorian range written ``YYYY-MM-DD`` (one day) or ``START/END`` (both inclusive).
Layers that the predictions do not give at all are reported as "not predicted", not as zeros; values given to gold
mentions (the last two layouts) are scored for value accuracy only, since their spans are the gold's.

Formulas (micro-averaged over all documents; P, R, F1 are 0 when their denominator is 0; F1 = 2PR/(P+R)):

* Entities, nervaluate definitions (MantisAI/nervaluate 1.x, half-open spans, any overlap): each prediction is
  COR, INC, PAR or SPU and each unmatched gold entity MIS. POS = COR+INC+PAR+MIS, ACT = COR+INC+PAR+SPU.
  strict (same span and type), exact (same span): P = COR/ACT, R = COR/POS. partial (same span COR, overlap PAR),
  type (overlap with same type COR, with another type INC): P = (COR + 0.5 PAR)/ACT, R = (COR + 0.5 PAR)/POS.
* Events (ACE levels): trigger identification matches ``(start, end)``, trigger classification
  ``(start, end, type)``, argument identification ``(event type, argument start, argument end)``, argument
  classification adds the role. Each level: TP = size of the multiset intersection, P = TP/|pred|, R = TP/|gold|.
* Event attributes (modality, polarity, tense): accuracy on matched triggers, i.e. over the pairs of a gold and a
  predicted event with the same ``(start, end, type)`` (paired one to one, equal values first), the share whose
  attribute is the same. Scored when any predicted event gives any attribute; an event that leaves one out has
  the model's default (asserted, positive, unspecified).
* Dates, TempEval-3: strict P = sys mentions with an identical gold span / |sys|, strict R = gold mentions with
  an identical sys span / |gold|; relaxed the same with any overlap. Value accuracy = gold mentions whose aligned
  sys mention (identical span first, else largest overlap) has the same value / relaxed-matched gold mentions;
  value F1 = value accuracy x relaxed F1.
* Links: unordered pairs of the two linked spans; TP = pairs in both; P = TP/|pred|, R = TP/|gold|.

Every block is reported overall, per language and (dates) per gold calendar. With a split, only the gold
documents of that split are scored; predictions for documents of other splits are ignored and counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, NotFound
from ..models import EVENT_ATTRIBUTES, AnnotationSet, Document, Event, match_event_attributes
from ..paths import check_readable_file
from ..text.jsonl import iter_json_objects

Span = tuple[int, int]
STRATEGIES = ("strict", "exact", "partial", "type")
LAYERS = ("entities", "events", "event_attributes", "dates", "date_values", "links")
"""What predictions can give: ``dates`` are spans with values, ``date_values`` values on gold spans only."""


# ---------------------------------------------------------------------------------------------- gold


@dataclass
class Gold:
    """Gold documents with their splits, and the export directory they came from (for lm-eval samples)."""

    documents: dict[str, tuple[Document, AnnotationSet]]
    splits: dict[str, str]
    export_dir: Path | None = None

    def only(self, split: str | None) -> dict[str, tuple[Document, AnnotationSet]]:
        """The documents of ``split`` (all of them for None)."""
        if split is None:
            return dict(self.documents)
        return {d: v for d, v in self.documents.items() if self.splits[d] == split}


def read_gold(source: str | Path, project_dir: str | Path | None = None) -> Gold:
    """Gold documents from an export directory, a release directory or a released version of ``project_dir``."""
    from ..release.export import iter_export_documents
    from ..release.layout import is_export_dir
    from ..release.versions import MANIFEST, iter_records, release_path

    path = Path(source)
    if is_export_dir(path):
        docs, splits = {}, {}
        for doc, gold, split in iter_export_documents(path):
            docs[doc.id] = (doc, gold)
            splits[doc.id] = split
        return Gold(docs, splits, export_dir=path)
    if not (path / MANIFEST).is_file():
        if project_dir is None:
            raise NotFound(f"{source}: not an export or release directory")
        path = release_path(project_dir, str(source))
    docs, splits = {}, {}
    for doc, gold, split in iter_records(path):
        docs[doc.id] = (doc, gold)
        splits[doc.id] = split
    return Gold(docs, splits)


def load_gold(source: str | Path, project_dir: str | Path | None = None, split: str | None = None
              ) -> dict[str, tuple[Document, AnnotationSet]]:
    """The gold documents of ``split`` (all without one); see :func:`read_gold`."""
    return read_gold(source, project_dir).only(split)


# ---------------------------------------------------------------------------------------------- predictions


@dataclass
class Pred:
    """One document's predictions, reduced to what scoring needs."""

    entities: list[tuple[int, int, str]] = field(default_factory=list)
    dates: list[tuple[int, int, str | None]] = field(default_factory=list)
    triggers: list[tuple[int, int, str]] = field(default_factory=list)
    attributes: list[tuple[str, ...]] = field(default_factory=list)
    """Each trigger's attribute values, in :data:`~annotate.models.EVENT_ATTRIBUTES` order (parallel to triggers)."""
    arguments: list[tuple[str, int, int, str]] = field(default_factory=list)
    links: list[frozenset[Span]] = field(default_factory=list)


@dataclass
class Predictions:
    """Predictions per document and the layers the file gives at all."""

    docs: dict[str, Pred] = field(default_factory=dict)
    layers: set[str] = field(default_factory=set)
    split: str | None = None
    """The split the predictions are for, when the file says (lm-eval samples: the task's evaluated split)."""

    def of(self, doc_id: str) -> Pred:
        """The predictions of ``doc_id`` (created empty)."""
        return self.docs.setdefault(doc_id, Pred())


def value_of(item: Mapping[str, Any]) -> str | None:
    """A date's value: ``value``/``answer`` if given, else from ``gregorian_start``/``gregorian_end``."""
    for key in ("value", "answer"):
        if item.get(key) is not None:
            return str(item[key]).strip()
    start, end = item.get("gregorian_start"), item.get("gregorian_end")
    if start is None:
        return None if "gregorian_start" not in item else ""
    start, end = str(start), str(end or start)
    return start if start == end else f"{start}/{end}"


def gold_pred(gold: AnnotationSet) -> Pred:
    """The gold set in the same reduced form as predictions."""
    spans = {m.id: (m.start, m.end) for m in gold.entities}
    spans.update({m.id: (m.start, m.end) for m in gold.dates})
    return Pred(
        entities=[(e.start, e.end, e.type) for e in gold.entities],
        dates=[(d.start, d.end, value_of(d.model_dump(mode="json"))) for d in gold.dates],
        triggers=[(ev.trigger.start, ev.trigger.end, ev.type) for ev in gold.events],
        attributes=[tuple(ev.attributes().values()) for ev in gold.events],
        arguments=[(ev.type, *spans[a.ref], a.role) for ev in gold.events for a in ev.arguments],
        links=[frozenset((spans[link.source], spans[link.target])) for link in gold.links],
    )


def _span(item: Any, text: str, where: str) -> Span:
    if not isinstance(item, Mapping):
        raise InputError(f"expected an object with start and end, got {type(item).__name__}", where=where)
    start, end = item.get("start"), item.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
        raise InputError("start and end must be integers (code-point offsets)", where=where)
    if not 0 <= start < end <= len(text):
        raise InputError(
            f"bad offsets [{start}, {end}): need 0 <= start < end <= {len(text)} (the text length)", where=where
        )
    if item.get("text") is not None and item["text"] != text[start:end]:
        raise InputError(f"text {item['text']!r} does not match the document {text[start:end]!r} at "
                         f"[{start}, {end})", where=where)
    return start, end


def _parse_document_line(data: Mapping[str, Any], doc: Document, where: str, layers: set[str]) -> Pred:
    text = doc.text
    pred = Pred()
    ids: dict[str, Span] = {}
    for key, layer in (("entities", "entities"), ("dates", "dates"), ("events", "events"),
                       ("date_links", "links"), ("links", "links")):
        if key in data:
            layers.add(layer)
    for i, e in enumerate(data.get("entities") or []):
        s = _span(e, text, f"{where}: entities[{i}]")
        if not isinstance(e.get("type"), str):
            raise InputError("type must be a string", where=f"{where}: entities[{i}]")
        pred.entities.append((*s, e["type"]))
        if e.get("id") is not None:
            ids[str(e["id"])] = s
    for i, d in enumerate(data.get("dates") or []):
        s = _span(d, text, f"{where}: dates[{i}]")
        pred.dates.append((*s, value_of(d)))
        if d.get("id") is not None:
            ids[str(d["id"])] = s
    for i, ev in enumerate(data.get("events") or []):
        w = f"{where}: events[{i}]"
        if not isinstance(ev, Mapping) or not isinstance(ev.get("type"), str):
            raise InputError("an event needs a type and a trigger", where=w)
        ts = _span(ev.get("trigger"), text, f"{w}.trigger")
        pred.triggers.append((*ts, ev["type"]))
        pred.attributes.append(_attributes(ev, w, layers))
        for j, arg in enumerate(ev.get("arguments") or []):
            aw = f"{w}.arguments[{j}]"
            if not isinstance(arg, Mapping) or not isinstance(arg.get("role"), str):
                raise InputError("an argument needs a role and a ref (or start and end)", where=aw)
            if "ref" in arg:
                if arg["ref"] not in ids:
                    raise InputError(f"ref {arg['ref']!r} is not the id of a predicted entity or date", where=aw)
                a_span = ids[arg["ref"]]
            else:
                a_span = _span(arg, text, aw)
            pred.arguments.append((ev["type"], *a_span, arg["role"]))
    for i, link in enumerate(data.get("date_links") or data.get("links") or []):
        w = f"{where}: date_links[{i}]"
        ends = [link.get(k) if isinstance(link, Mapping) else None for k in ("source", "target")]
        for ref in ends:
            if ref not in ids:
                raise InputError(f"{ref!r} is not the id of a predicted date", where=w)
        pred.links.append(frozenset((ids[str(ends[0])], ids[str(ends[1])])))
    return pred


_DEFAULTS = {name: str(Event.model_fields[name].default) for name in EVENT_ATTRIBUTES}


def _attributes(event: Mapping[str, Any], where: str, layers: set[str]) -> tuple[str, ...]:
    """A predicted event's attribute values (the default for one it leaves out); a value that is not one of the
    attribute's is an :class:`InputError`."""
    out = []
    for name, values in EVENT_ATTRIBUTES.items():
        if name not in event:
            out.append(_DEFAULTS[name])
            continue
        layers.add("event_attributes")
        value = event[name]
        if value not in values:
            raise InputError(f"{name} {value!r} is not one of {', '.join(values)}", where=f"{where}.{name}")
        out.append(str(value))
    return tuple(out)


def _doc_key(data: Mapping[str, Any]) -> str:
    for key in ("doc", "doc_id", "id"):
        if isinstance(data.get(key), str) and data[key]:
            return str(data[key])
    return ""


def _is_lm_eval_sample(data: Mapping[str, Any]) -> bool:
    return isinstance(data.get("doc_id"), int) and "doc" in data and ("filtered_resps" in data or "resps" in data)


def _sample_answer(data: Mapping[str, Any], where: str) -> str:
    resp: Any = data.get("filtered_resps", data.get("resps"))
    while isinstance(resp, list):
        if not resp:
            raise InputError("the sample has no response", where=where)
        resp = resp[0]
    if not isinstance(resp, str):
        raise InputError(f"the sample's response is {type(resp).__name__}, not text", where=where)
    return resp.strip()


def load_predictions(path: str | Path, gold: Mapping[str, tuple[Document, AnnotationSet]] | Gold) -> Predictions:
    """Parse a predictions file (any layout); :class:`InputError` naming the line for anything wrong."""
    g = gold if isinstance(gold, Gold) else Gold(dict(gold), {d: "" for d in gold})
    docs = g.documents
    p = Path(path)
    check_readable_file(p, what="predictions file")
    out = Predictions()
    seen_docs: set[str] = set()
    engine_links: list[tuple[str, str, dict[str, Any]]] = []
    engine_ids: dict[str, dict[str, Span]] = {}
    sample_rows: list[tuple[str, str]] | None = None
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read predictions: {exc}", where=str(p)) from None
    for where, data in iter_json_objects(lines, str(p)):
        if _is_lm_eval_sample(data):
            if sample_rows is None:
                out.split, sample_rows = _sample_rows(g, where)
            doc_id, m = _sample_mention(data, sample_rows, docs, where)
            out.of(doc_id).dates.append((m.start, m.end, _sample_answer(data, where)))
            out.layers.add("date_values")
        elif data.get("kind") in ("mention", "link"):  # the date engine's output
            doc_id = _doc_key(data)
            if not doc_id:
                raise InputError("an engine line needs 'doc' (run `annotate dates extract` on a .jsonl of "
                                 "documents so that every line names its document)", where=where)
            doc = _known(doc_id, docs, where)
            out.layers.update(("dates", "links"))
            if data["kind"] == "mention":
                s = _span(data, doc.text, where)
                out.of(doc_id).dates.append((*s, value_of(data)))
                engine_ids.setdefault(doc_id, {})[str(data.get("id"))] = s
            else:
                engine_links.append((doc_id, where, data))
        elif "start" in data and "doc_id" in data:  # dates layout, free span
            doc_id = _doc_key(data)
            doc = _known(doc_id, docs, where)
            s = _span(data, doc.text, where)
            out.of(doc_id).dates.append((*s, value_of(data)))
            out.layers.add("dates")
        elif "#" in str(data.get("id", "")) and not any(k in data for k in ("entities", "dates", "events")):
            doc_id, mention = str(data["id"]).split("#", 1)  # dates layout on a gold mention
            _known(doc_id, docs, where)
            mentions = {d.id: d for d in docs[doc_id][1].dates}
            if mention not in mentions:
                raise InputError(f"document {doc_id} has no gold date mention {mention!r}", where=where)
            m = mentions[mention]
            out.of(doc_id).dates.append((m.start, m.end, value_of(data)))
            out.layers.add("date_values")
        else:
            doc_id = _doc_key(data)
            doc = _known(doc_id, docs, where)
            if doc_id in seen_docs:
                raise InputError(f"document {doc_id} appears on two lines", where=where)
            seen_docs.add(doc_id)
            pred = _parse_document_line(data, doc, where, out.layers)
            prior = out.docs.get(doc_id)
            if prior is not None:
                pred.dates = prior.dates + pred.dates
            out.docs[doc_id] = pred
    for doc_id, where, data in engine_links:
        ids = engine_ids.get(doc_id, {})
        ends = [str(data.get(k)) for k in ("source", "target")]
        for ref in ends:
            if ref not in ids:
                raise InputError(f"link end {ref!r} is not a mention of document {doc_id} in this file", where=where)
        out.of(doc_id).links.append(frozenset((ids[ends[0]], ids[ends[1]])))
    if "dates" in out.layers:
        out.layers.discard("date_values")
    return out


def _sample_rows(gold: Gold, where: str) -> tuple[str, list[tuple[str, str]]]:
    """The split the export's lm-eval task evaluates and ``(doc_id, mention_id)`` of its rows, in task order."""
    from ..release.export import lm_eval_rows

    if gold.export_dir is None:
        raise InputError("lm-eval samples are mapped through the exported `dates` config: give the export "
                         "directory as --gold", where=where, hint="annotate eval --gold EXPORT_DIR --pred SAMPLES")
    return lm_eval_rows(gold.export_dir)


def _sample_mention(data: Mapping[str, Any], rows: list[tuple[str, str]],
                    docs: Mapping[str, tuple[Document, AnnotationSet]], where: str) -> tuple[str, Any]:
    index = data["doc_id"]
    if not 0 <= index < len(rows):
        raise InputError(f"sample row {index} is not in the task's split ({len(rows)} rows): the samples come "
                         "from another export", where=where)
    doc_id, mention_id = rows[index]
    logged = data["doc"].get("id") if isinstance(data["doc"], Mapping) else None
    if logged is not None and logged != f"{doc_id}#{mention_id}":
        raise InputError(f"sample row {index} is {logged!r} in the samples but {doc_id}#{mention_id} in the "
                         "export: the samples come from another export", where=where)
    _known(doc_id, docs, where)
    mention = next((m for m in docs[doc_id][1].dates if m.id == mention_id), None)
    if mention is None:
        raise InputError(f"document {doc_id} has no gold date mention {mention_id!r}", where=where)
    return doc_id, mention


def _known(doc_id: str, gold: Mapping[str, tuple[Document, AnnotationSet]], where: str) -> Document:
    if doc_id not in gold:
        raise InputError(f"unknown document {doc_id!r}: it is not in the gold data being scored", where=where,
                         hint="check the document id and the --gold release")
    return gold[doc_id][0]


# ---------------------------------------------------------------------------------------------- metrics


def prf(tp_p: float, n_pred: int, tp_r: float, n_gold: int) -> dict[str, float]:
    """Precision, recall and F1 from (true positives, size) on each side."""
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}


@dataclass
class NerCounts:
    """nervaluate counts of one strategy."""

    correct: int = 0
    incorrect: int = 0
    partial: int = 0
    missed: int = 0
    spurious: int = 0

    def add(self, other: NerCounts) -> None:
        """Add ``other`` into these counts."""
        for k in ("correct", "incorrect", "partial", "missed", "spurious"):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def metrics(self, half_partial: bool) -> dict[str, float]:
        """Counts with precision, recall and F1 (``half_partial``: partial and type strategies)."""
        act = self.correct + self.incorrect + self.partial + self.spurious
        pos = self.correct + self.incorrect + self.partial + self.missed
        tp = self.correct + (0.5 * self.partial if half_partial else 0)
        return {**self.__dict__, "actual": act, "possible": pos, **prf(tp, act, tp, pos)}


def _overlap(a: tuple[int, int, Any], b: tuple[int, int, Any]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def ner_counts(gold: list[tuple[int, int, str]], pred: list[tuple[int, int, str]], strategy: str) -> NerCounts:
    """nervaluate's counts for one document and one strategy (same matching order as nervaluate 1.x)."""
    c = NerCounts()
    matched: set[int] = set()
    for p in pred:
        match: int | None = None
        other: int | None = None
        best: int | None = None
        for i, g in enumerate(gold):
            if i in matched:
                continue
            same_span = p[0] == g[0] and p[1] == g[1]
            if strategy == "type":
                if _overlap(p, g):
                    if p[2] == g[2]:
                        dist = abs(p[0] - g[0]) + abs(p[1] - g[1])
                        if best is None or dist < best:
                            match, best = i, dist
                    elif other is None:
                        other = i
                continue
            exact = same_span and (p[2] == g[2] if strategy == "strict" else True)
            if exact:
                match = i
                break
            if _overlap(p, g) and other is None:
                other = i
        if match is not None:
            c.correct += 1
            matched.add(match)
        elif other is not None:
            if strategy == "partial":
                c.partial += 1
            else:
                c.incorrect += 1
            matched.add(other)
        else:
            c.spurious += 1
    c.missed += len(gold) - len(matched)
    return c


def _multiset_tp(gold: Iterable[Any], pred: Iterable[Any]) -> tuple[int, int, int]:
    g, p = Counter(gold), Counter(pred)
    return sum((g & p).values()), sum(p.values()), sum(g.values())


@dataclass
class DateCounts:
    """TempEval-3 counts."""

    sys: int = 0
    gold: int = 0
    strict_sys: int = 0
    strict_gold: int = 0
    relaxed_sys: int = 0
    relaxed_gold: int = 0
    value_correct: int = 0

    def add(self, other: DateCounts) -> None:
        """Add ``other`` into these counts."""
        for k in self.__dict__:
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def metrics(self) -> dict[str, Any]:
        """Strict and relaxed P/R/F1, value accuracy and value F1."""
        strict = prf(self.strict_sys, self.sys, self.strict_gold, self.gold)
        relaxed = prf(self.relaxed_sys, self.sys, self.relaxed_gold, self.gold)
        acc = self.value_correct / self.relaxed_gold if self.relaxed_gold else 0.0
        return {"counts": dict(self.__dict__), "strict": strict, "relaxed": relaxed, "value_accuracy": acc,
                "value_f1": acc * relaxed["f1"]}


def date_counts(gold: list[tuple[int, int, str | None]], pred: list[tuple[int, int, str | None]]) -> DateCounts:
    """TempEval-3 counts for one document's date mentions."""
    c = DateCounts(sys=len(pred), gold=len(gold))
    c.strict_sys = sum(1 for p in pred if any(p[:2] == g[:2] for g in gold))
    c.strict_gold = sum(1 for g in gold if any(p[:2] == g[:2] for p in pred))
    c.relaxed_sys = sum(1 for p in pred if any(_overlap(p, g) for g in gold))
    for g in gold:
        cands = [p for p in pred if _overlap(p, g)]
        if not cands:
            continue
        c.relaxed_gold += 1
        best = max(cands, key=lambda p: (p[:2] == g[:2], min(p[1], g[1]) - max(p[0], g[0]), -p[0]))
        if best[2] is not None and g[2] is not None and best[2] == g[2]:
            c.value_correct += 1
    return c


# ---------------------------------------------------------------------------------------------- scoring


@dataclass
class _Acc:
    ner: dict[str, NerCounts] = field(default_factory=lambda: {s: NerCounts() for s in STRATEGIES})
    events: dict[str, list[int]] = field(default_factory=dict)
    dates: DateCounts = field(default_factory=DateCounts)
    links: list[int] = field(default_factory=lambda: [0, 0, 0])
    attributes: dict[str, Counter[tuple[str, str]]] = field(
        default_factory=lambda: {name: Counter() for name in EVENT_ATTRIBUTES})
    """Attribute -> (gold value, predicted value) -> matched triggers."""
    documents: int = 0

    def result(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "entities": {s: self.ner[s].metrics(s in ("partial", "type")) for s in STRATEGIES},
            "events": {k: {"tp": v[0], "pred": v[1], "gold": v[2], **prf(v[0], v[1], v[0], v[2])}
                       for k, v in self.events.items()},
            "dates": self.dates.metrics(),
            "links": {"tp": self.links[0], "pred": self.links[1], "gold": self.links[2],
                      **prf(self.links[0], self.links[1], self.links[0], self.links[2])},
            "event_attributes": {name: _attribute_metrics(pairs) for name, pairs in self.attributes.items()},
        }


def _attribute_metrics(pairs: Counter[tuple[str, str]]) -> dict[str, Any]:
    matched = sum(pairs.values())
    correct = sum(n for (g, p), n in pairs.items() if g == p)
    confusion: dict[str, dict[str, int]] = {}
    for (g, p), n in sorted(pairs.items()):
        confusion.setdefault(g, {})[p] = n
    return {"matched": matched, "correct": correct, "accuracy": correct / matched if matched else 0.0,
            "confusion": confusion}


def attribute_pairs(g: Pred, p: Pred) -> dict[str, Counter[tuple[str, str]]]:
    """For each event attribute, the (gold, predicted) values of the triggers matched on ``(start, end, type)``
    (:func:`annotate.models.match_event_attributes`)."""
    return match_event_attributes(zip(g.triggers, g.attributes, strict=True), zip(p.triggers, p.attributes,
                                                                                   strict=True))


def _event_levels(g: Pred, p: Pred) -> Iterator[tuple[str, tuple[int, int, int]]]:
    yield "trigger_identification", _multiset_tp((t[:2] for t in g.triggers), (t[:2] for t in p.triggers))
    yield "trigger_classification", _multiset_tp(g.triggers, p.triggers)
    yield "argument_identification", _multiset_tp((a[:3] for a in g.arguments), (a[:3] for a in p.arguments))
    yield "argument_classification", _multiset_tp(g.arguments, p.arguments)


def _mask(block: dict[str, Any], layers: set[str]) -> dict[str, Any]:
    """Replace the figures of layers that were not predicted by None (values-only dates keep their accuracy)."""
    if "entities" not in layers:
        block["entities"] = None
    if "events" not in layers:
        block["events"] = None
    if "event_attributes" not in layers:
        block["event_attributes"] = None
    if "links" not in layers:
        block["links"] = None
    if "dates" not in layers:
        d = block["dates"]
        block["dates"] = ({"counts": d["counts"], "value_accuracy": d["value_accuracy"], "spans": "gold"}
                          if "date_values" in layers else None)
    return block


def score(gold: Mapping[str, tuple[Document, AnnotationSet]], preds: Mapping[str, Pred],
          layers: Iterable[str] | None = None) -> dict[str, Any]:
    """Every score, overall, per language and per calendar (dates); see the module docstring.

    ``layers``: what the predictions give (:data:`LAYERS`); the others are reported as not predicted (None).
    """
    given = set(LAYERS if layers is None else layers)
    overall = _Acc()
    by_lang: dict[str, _Acc] = {}
    by_cal: dict[str, DateCounts] = {}
    for doc_id in sorted(gold):
        doc, gset = gold[doc_id]
        g, p = gold_pred(gset), preds.get(doc_id, Pred())
        accs = [overall, by_lang.setdefault(doc.lang, _Acc())]
        for acc in accs:
            acc.documents += 1
            for s in STRATEGIES:
                acc.ner[s].add(ner_counts(g.entities, p.entities, s))
            for level, (tp, n_p, n_g) in _event_levels(g, p):
                v = acc.events.setdefault(level, [0, 0, 0])
                v[0], v[1], v[2] = v[0] + tp, v[1] + n_p, v[2] + n_g
            for name, pairs in attribute_pairs(g, p).items():
                acc.attributes[name].update(pairs)
            acc.dates.add(date_counts(g.dates, p.dates))
            tp, n_p, n_g = _multiset_tp(g.links, p.links)
            acc.links = [acc.links[0] + tp, acc.links[1] + n_p, acc.links[2] + n_g]
        # per calendar: gold mentions by their calendar, each sys mention with the calendar of a gold it overlaps
        cal_of = {(d.start, d.end): d.calendar.value for d in gset.dates}
        for cal in sorted(set(cal_of.values())):
            gd = [x for x, d in zip(g.dates, gset.dates, strict=True) if d.calendar.value == cal]
            pd = [x for x in p.dates if any(_overlap(x, y) for y in gd)]
            by_cal.setdefault(cal, DateCounts()).add(date_counts(gd, pd))
    result = _mask(overall.result(), given)
    result["by_language"] = {lang: _mask(acc.result(), given) for lang, acc in sorted(by_lang.items())}
    result["dates_by_calendar"] = ({cal: c.metrics() for cal, c in sorted(by_cal.items())}
                                   if given & {"dates", "date_values"} else {})
    result["predicted_layers"] = [x for x in LAYERS if x in given]
    return result


def evaluate(gold_source: str | Path, predictions: str | Path, *, project_dir: str | Path | None = None,
             split: str | None = None) -> dict[str, Any]:
    """Load gold and predictions and score them (what ``annotate eval`` runs).

    Predictions are checked against every gold document; with ``split`` only that split's documents are scored
    and predictions for the others are ignored (listed under ``ignored_documents``).
    """
    check_readable_file(Path(predictions), what="predictions file")  # before any work on the gold
    gold = read_gold(gold_source, project_dir)
    preds = load_predictions(predictions, gold)
    split = split or preds.split
    scored = gold.only(split)
    if not scored:
        raise NotFound(f"{gold_source}: no gold documents" + (f" in split {split!r}" if split else ""))
    result = score(scored, {d: p for d, p in preds.docs.items() if d in scored}, preds.layers)
    result["split"] = split
    result["ignored_documents"] = sorted(d for d in preds.docs if d not in scored)
    return result


NOT_PREDICTED = "not predicted"


def format_report(result: Mapping[str, Any]) -> str:
    """A plain-text table of the main figures; layers without predictions say so."""

    def row(name: str, m: Mapping[str, Any]) -> str:
        return f"  {name:<28} P {m['precision']:.4f}  R {m['recall']:.4f}  F1 {m['f1']:.4f}"

    def missing(name: str) -> str:
        return f"  {name:<28} {NOT_PREDICTED}"

    def block(title: str, r: Mapping[str, Any]) -> list[str]:
        out = [f"{title} ({r['documents']} documents)"]
        if r["entities"] is None:
            out.append(missing("entities"))
        else:
            out += [row(f"entities {s}", r["entities"][s]) for s in STRATEGIES]
        if r["events"] is None:
            out.append(missing("events"))
        else:
            out += [row(f"events {k.replace('_', ' ')}", v) for k, v in r["events"].items()]
        if r["event_attributes"] is None:
            out.append(missing("event attributes"))
        else:
            out += [f"  {'events ' + name:<28} accuracy {m['accuracy']:.4f} ({m['correct']}/{m['matched']} matched "
                    "triggers)" for name, m in r["event_attributes"].items()]
        d = r["dates"]
        if d is None:
            out.append(missing("dates"))
        elif d.get("spans") == "gold":
            out += [missing("dates span") + " (values given to gold mentions)",
                    f"  {'dates value':<28} accuracy {d['value_accuracy']:.4f} "
                    f"({d['counts']['value_correct']}/{d['counts']['relaxed_gold']})"]
        else:
            out += [row("dates strict span", d["strict"]), row("dates relaxed span", d["relaxed"]),
                    f"  {'dates value':<28} accuracy {d['value_accuracy']:.4f}  F1 {d['value_f1']:.4f}"]
        out.append(missing("links") if r["links"] is None else row("links", r["links"]))
        return out

    lines = []
    if result.get("split"):
        lines.append(f"split {result['split']}")
    ignored = result.get("ignored_documents") or []
    if ignored:
        lines.append(f"ignored predictions for {len(ignored)} document(s) outside the split: "
                     + ", ".join(ignored[:10]) + (" ..." if len(ignored) > 10 else ""))
    lines += block("overall", result)
    for lang, r in result["by_language"].items():
        lines += block(f"language {lang}", r)
    values_only = result["dates"] is not None and result["dates"].get("spans") == "gold"
    for cal, d in result["dates_by_calendar"].items():
        if values_only:
            lines.append(f"dates, calendar {cal}: value accuracy {d['value_accuracy']:.4f} "
                         f"({d['counts']['value_correct']}/{d['counts']['relaxed_gold']} answered)")
        else:
            lines.append(f"dates, calendar {cal}: relaxed F1 {d['relaxed']['f1']:.4f}, strict F1 "
                         f"{d['strict']['f1']:.4f}, value accuracy {d['value_accuracy']:.4f}, value F1 "
                         f"{d['value_f1']:.4f}")
    return "\n".join(lines)
