"""Score predictions against a gold release or export: entities, events, dates and date links.

Gold is a release (version or directory with ``manifest.json``) or an export directory (``release.json``).
Predictions are JSON Lines in one of two layouts:

* documents layout, one line per document: ``{"id": DOC_ID, "entities": [{start, end, type, id?, text?}],
  "dates": [{start, end, id?, gregorian_start?, gregorian_end?, value?}], "events": [{type, trigger: {start, end},
  arguments: [{role, ref}]}], "date_links": [{source, target}]}`` (``doc_id`` and ``links`` are accepted too);
* dates layout, one line per date: ``{"doc_id", "start", "end", "value"}``, or ``{"id": "DOC#MENTION",
  "answer": ...}`` for a value predicted on a gold mention (what the lm-eval task over the ``dates`` config gives).

A date's value is its Gregorian range written ``YYYY-MM-DD`` (one day) or ``START/END``.

Formulas (micro-averaged over all documents; P, R, F1 are 0 when their denominator is 0; F1 = 2PR/(P+R)):

* Entities, nervaluate definitions (MantisAI/nervaluate 1.x, half-open spans, any overlap): each prediction is
  COR, INC, PAR or SPU and each unmatched gold entity MIS. POS = COR+INC+PAR+MIS, ACT = COR+INC+PAR+SPU.
  strict (same span and type), exact (same span): P = COR/ACT, R = COR/POS. partial (same span COR, overlap PAR),
  type (overlap with same type COR, with another type INC): P = (COR + 0.5 PAR)/ACT, R = (COR + 0.5 PAR)/POS.
* Events (ACE levels): trigger identification matches ``(start, end)``, trigger classification
  ``(start, end, type)``, argument identification ``(event type, argument start, argument end)``, argument
  classification adds the role. Each level: TP = size of the multiset intersection, P = TP/|pred|, R = TP/|gold|.
* Dates, TempEval-3: strict P = sys mentions with an identical gold span / |sys|, strict R = gold mentions with
  an identical sys span / |gold|; relaxed the same with any overlap. Value accuracy = gold mentions whose aligned
  sys mention (identical span first, else largest overlap) has the same value / relaxed-matched gold mentions;
  value F1 = value accuracy x relaxed F1.
* Links: unordered pairs of the two linked spans; TP = pairs in both; P = TP/|pred|, R = TP/|gold|.

Every block is reported overall, per language and (dates) per gold calendar.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, NotFound
from ..models import AnnotationSet, Document
from ..text.jsonl import iter_json_objects

Span = tuple[int, int]
STRATEGIES = ("strict", "exact", "partial", "type")


# ---------------------------------------------------------------------------------------------- gold


def load_gold(source: str | Path, project_dir: str | Path | None = None, split: str | None = None
              ) -> dict[str, tuple[Document, AnnotationSet]]:
    """Gold documents from an export directory, a release directory or a released version of ``project_dir``."""
    from ..release.export import from_document_row
    from ..release.versions import MANIFEST, iter_records, release_path

    path = Path(source)
    out: dict[str, tuple[Document, AnnotationSet]] = {}
    if (path / "release.json").is_file():
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        files = sorted((path / "documents").glob("*.parquet"))
        for f in files:
            if split is not None and not f.name.startswith(split + "-"):
                continue
            for batch in pq.ParquetFile(f).iter_batches(batch_size=1000):
                for row in batch.to_pylist():
                    doc, gold = from_document_row(row)
                    out[doc.id] = (doc, gold)
        return out
    if not (path / MANIFEST).is_file():
        if project_dir is None:
            raise NotFound(f"{source}: not an export or release directory")
        path = release_path(project_dir, str(source))
    for doc, gold, s in iter_records(path):
        if split is None or s == split:
            out[doc.id] = (doc, gold)
    return out


# ---------------------------------------------------------------------------------------------- predictions


@dataclass
class Pred:
    """One document's predictions, reduced to what scoring needs."""

    entities: list[tuple[int, int, str]] = field(default_factory=list)
    dates: list[tuple[int, int, str | None]] = field(default_factory=list)
    triggers: list[tuple[int, int, str]] = field(default_factory=list)
    arguments: list[tuple[str, int, int, str]] = field(default_factory=list)
    links: list[frozenset[Span]] = field(default_factory=list)


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


def _parse_document_line(data: Mapping[str, Any], doc: Document, where: str) -> Pred:
    text = doc.text
    pred = Pred()
    ids: dict[str, Span] = {}
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


def load_predictions(path: str | Path, gold: Mapping[str, tuple[Document, AnnotationSet]]) -> dict[str, Pred]:
    """Parse a predictions file (either layout); :class:`InputError` naming the line for anything wrong."""
    p = Path(path)
    out: dict[str, Pred] = {}
    seen_docs: set[str] = set()
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read predictions: {exc}", where=str(p)) from None
    for where, data in iter_json_objects(lines, str(p)):
        if "doc_id" in data and "start" in data:  # dates layout, free span
            doc_id = str(data["doc_id"])
            doc = _known(doc_id, gold, where)
            s = _span(data, doc.text, where)
            out.setdefault(doc_id, Pred()).dates.append((*s, value_of(data)))
        elif "#" in str(data.get("id", "")) and not any(k in data for k in ("entities", "dates", "events")):
            doc_id, mention = str(data["id"]).split("#", 1)  # dates layout on a gold mention
            _known(doc_id, gold, where)
            mentions = {d.id: d for d in gold[doc_id][1].dates}
            if mention not in mentions:
                raise InputError(f"document {doc_id} has no gold date mention {mention!r}", where=where)
            m = mentions[mention]
            out.setdefault(doc_id, Pred()).dates.append((m.start, m.end, value_of(data)))
        else:
            doc_id = str(data.get("id", data.get("doc_id", "")))
            doc = _known(doc_id, gold, where)
            if doc_id in seen_docs:
                raise InputError(f"document {doc_id} appears on two lines", where=where)
            seen_docs.add(doc_id)
            pred = _parse_document_line(data, doc, where)
            prior = out.get(doc_id)
            if prior is not None:
                pred.dates = prior.dates + pred.dates
            out[doc_id] = pred
    return out


def _known(doc_id: str, gold: Mapping[str, tuple[Document, AnnotationSet]], where: str) -> Document:
    if doc_id not in gold:
        raise InputError(f"unknown document {doc_id!r}: it is not in the gold data being scored", where=where,
                         hint="check the id, or the --split you score against")
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
        }


def _event_levels(g: Pred, p: Pred) -> Iterator[tuple[str, tuple[int, int, int]]]:
    yield "trigger_identification", _multiset_tp((t[:2] for t in g.triggers), (t[:2] for t in p.triggers))
    yield "trigger_classification", _multiset_tp(g.triggers, p.triggers)
    yield "argument_identification", _multiset_tp((a[:3] for a in g.arguments), (a[:3] for a in p.arguments))
    yield "argument_classification", _multiset_tp(g.arguments, p.arguments)


def score(gold: Mapping[str, tuple[Document, AnnotationSet]], preds: Mapping[str, Pred]) -> dict[str, Any]:
    """Every score, overall, per language and per calendar (dates); see the module docstring."""
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
            acc.dates.add(date_counts(g.dates, p.dates))
            tp, n_p, n_g = _multiset_tp(g.links, p.links)
            acc.links = [acc.links[0] + tp, acc.links[1] + n_p, acc.links[2] + n_g]
        # per calendar: gold mentions by their calendar, each sys mention with the calendar of a gold it overlaps
        cal_of = {(d.start, d.end): d.calendar.value for d in gset.dates}
        for cal in sorted(set(cal_of.values())):
            gd = [x for x, d in zip(g.dates, gset.dates, strict=True) if d.calendar.value == cal]
            pd = [x for x in p.dates if any(_overlap(x, y) for y in gd)]
            by_cal.setdefault(cal, DateCounts()).add(date_counts(gd, pd))
    result = overall.result()
    result["by_language"] = {lang: acc.result() for lang, acc in sorted(by_lang.items())}
    result["dates_by_calendar"] = {cal: c.metrics() for cal, c in sorted(by_cal.items())}
    return result


def evaluate(gold_source: str | Path, predictions: str | Path, *, project_dir: str | Path | None = None,
             split: str | None = None) -> dict[str, Any]:
    """Load gold and predictions and score them (what ``annotate eval`` runs)."""
    gold = load_gold(gold_source, project_dir, split)
    if not gold:
        raise NotFound(f"{gold_source}: no gold documents" + (f" in split {split!r}" if split else ""))
    return score(gold, load_predictions(predictions, gold))


def format_report(result: Mapping[str, Any]) -> str:
    """A plain-text table of the main figures."""

    def row(name: str, m: Mapping[str, Any]) -> str:
        return f"  {name:<28} P {m['precision']:.4f}  R {m['recall']:.4f}  F1 {m['f1']:.4f}"

    def block(title: str, r: Mapping[str, Any]) -> list[str]:
        out = [f"{title} ({r['documents']} documents)"]
        out += [row(f"entities {s}", r["entities"][s]) for s in STRATEGIES]
        out += [row(f"events {k.replace('_', ' ')}", v) for k, v in r["events"].items()]
        d = r["dates"]
        out += [row("dates strict span", d["strict"]), row("dates relaxed span", d["relaxed"]),
                f"  {'dates value':<28} accuracy {d['value_accuracy']:.4f}  F1 {d['value_f1']:.4f}",
                row("links", r["links"])]
        return out

    lines = block("overall", result)
    for lang, r in result["by_language"].items():
        lines += block(f"language {lang}", r)
    for cal, d in result["dates_by_calendar"].items():
        lines.append(f"dates, calendar {cal}: relaxed F1 {d['relaxed']['f1']:.4f}, strict F1 "
                     f"{d['strict']['f1']:.4f}, value accuracy {d['value_accuracy']:.4f}, value F1 "
                     f"{d['value_f1']:.4f}")
    return "\n".join(lines)
