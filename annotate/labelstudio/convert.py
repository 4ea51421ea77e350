"""Our :class:`~annotate.models.AnnotationSet` <-> Label Studio result JSON, both ways, with nothing lost.

Shapes (see :mod:`annotate.labelstudio.config` for the tags):

* a mention or trigger is a ``labels`` region of :data:`~annotate.labelstudio.config.LABELS` whose ``id`` is our
  mention id (event id for a trigger), with ``value = {start, end, text, labels: [type]}`` (``DATE`` for a date);
  offsets are code points into the frozen text.  Results drawn with the earlier config, one ``<Labels>`` per kind
  (``from_name`` ``entity``, ``date`` or ``trigger``), are read too;
* per-region values (:data:`~annotate.labelstudio.config.CONTROLS`: canonical id, a date's calendar, month-name
  set, native value, granularity, flags and note, an event's modality, polarity, tense and cluster id) are
  ``choices``/``taxonomy``/``textarea`` results that reuse the region's ``id``; an event attribute left unchosen
  reads as its default (asserted, positive, unspecified), so results made before the attributes existed read alike;
* an event argument is a ``relation`` from the trigger to the mention labelled with the role; a date link is a
  ``relation`` labelled ``same_date`` (``same_date_inconsistent`` when the engine says the dates disagree, with the
  reason in both date regions' ``meta``) whose ``meta`` keeps our link id, ``consistent`` and ``reason`` (a link
  drawn in Label Studio has no meta: its id is derived and its consistency checked with the date engine).

On the way back every span is checked against the frozen text (``text[start:end] == value.text``), every label,
control and relation end must be known, and a date's Gregorian range is *recomputed* from its calendar and native
value with :func:`annotate.dates.normalize_native`: Label Studio never decides it.  What an annotator left out is
completed where it can be, and said so in :attr:`ReadResult.notes`:

* a DATE region without calendar, month-name set or native value (a plain region, as Label Studio accepts it) gets
  them from the date engine's reading of its text, with a note on the date; a region the engine cannot read is
  stored without a value, with :data:`~annotate.annotation.editing.UNRECOGNISED_NOTE` (the flag the app shows);
  an explicit ``?`` native value means "no value" and is kept as it is;
* a relation drawn without a label gets the one label that fits its two ends, when exactly one does;
* a per-region value set on a region of another kind (a choice hotkey pressed with an entity selected) is dropped.

Everything else that is wrong is collected per region and raised together as one
:class:`~annotate.errors.InvalidAnnotation` naming the task and region.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from .. import dates
from ..annotation.editing import UNRECOGNISED_NOTE, EditContext, engine_reading, unrecognised_date
from ..dates import check_link, normalize_native
from ..errors import InvalidAnnotation, InvalidDate
from ..models import (
    AnnotationSet,
    AnnotationStatus,
    AuthorKind,
    Calendar,
    DateLink,
    DateMention,
    Document,
    EntityMention,
    Event,
    EventArgument,
    Granularity,
    NativeDate,
    Trigger,
    validate_annotation_set,
)
from ..taxonomy import Taxonomy
from . import config as c

__all__ = [
    "Note",
    "ReadResult",
    "format_native",
    "parse_native",
    "read_ls_result",
    "to_ls_result",
]

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,127}$")
"""What :data:`annotate.models.Id` accepts; Label Studio's own region ids may start with ``_`` or ``-``."""

_NATIVE_RE = re.compile(r"^\s*(-?\d+|\?)\s*(?:[-/]\s*(\d{1,2}|\?)\s*(?:[-/]\s*(\d{1,2}|\?)\s*)?)?$")

READ_NOTE = "read from the text by the date engine on Label Studio pull"
"""Added to a date's note when the pull took some of its fields from the date engine."""


def format_native(native: NativeDate) -> str:
    """``year-month-day`` with ``?`` for an unknown part, e.g. ``1398-02-?`` (what the native TextArea holds)."""
    parts = (native.year, native.month, native.day)
    return "-".join("?" if p is None else (f"{p:02d}" if i else str(p)) for i, p in enumerate(parts))


def parse_native(text: str) -> NativeDate:
    """Read a native value as an annotator types it: ``1398-02-15``, ``1398/2``, ``?-02-15``, Persian digits too.

    Raises :class:`ValueError` with a message saying what is expected.
    """
    m = _NATIVE_RE.match(text)
    if not m:
        raise ValueError(f"{text!r} is not a native date; write year-month-day with ? for a part not given "
                         "(e.g. 1398-02-15, 1398-02-?, ?-02-15)")
    year, month, day = (None if g is None or g == "?" else int(g) for g in m.groups())
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        raise ValueError(f"{text!r}: the month must be 1-12 and the day 1-31 (write year-month-day)")
    return NativeDate(year=year, month=month, day=day)


# ----------------------------------------------------------------------------------------------- ours -> LS


def _choice_value(ctl: c.Control, values: Sequence[str]) -> dict[str, Any]:
    if ctl.kind == "taxonomy":
        return {ctl.value_key: [[v] for v in values]}
    return {ctl.value_key: list(values)}


def to_ls_result(aset: AnnotationSet, text: str) -> list[dict[str, Any]]:
    """The Label Studio result list of ``aset`` (annotations and predictions use the same shape).

    ``text`` is the document's frozen text.  Offsets stay code points: Label Studio 1.23's editor stores code
    points for ``<Text>`` (checked in a browser with astral characters before the span, see
    ``tests/labelstudio/test_browser_editor.py``), so no UTF-16 conversion is needed either way.  A date's native
    value is always written (``?-?-?`` when it has none), so that reading it back never asks the engine.  A span
    that does not match ``text`` raises :class:`InvalidAnnotation` (nothing wrong is sent to annotators).
    """
    wrong = [f"{path}.text: {sp.text!r} is not the text at [{sp.start}, {sp.end})"
             for path, sp in aset.spans() if text[sp.start : sp.end] != sp.text]
    if wrong:
        raise InvalidAnnotation(wrong, where=f"document {aset.doc_id}, author {aset.author}")
    out: list[dict[str, Any]] = []
    disagree: dict[str, list[str]] = {}
    texts = {d.id: d.text for d in aset.dates}
    for link in aset.links:
        if not link.consistent:
            for end, other in ((link.source, link.target), (link.target, link.source)):
                disagree.setdefault(end, []).append(
                    f"same_date with '{texts.get(other, other)}' is inconsistent: {link.reason or 'the dates differ'}")

    def region(rid: str, label: str, start: int, end: int, span_text: str) -> tuple[int, int]:
        item: dict[str, Any] = {"id": rid, "from_name": c.LABELS, "to_name": c.TEXT, "type": "labels",
                                "value": {"start": start, "end": end, "text": span_text, "labels": [label]}}
        if rid in disagree:
            item["meta"] = {"text": disagree[rid]}
        out.append(item)
        return start, end

    def control(rid: str, name: str, se: tuple[int, int], values: Sequence[str]) -> None:
        ctl = c.CONTROLS_BY_NAME[name]
        payload = {ctl.value_key: list(values)} if ctl.kind == "textarea" else _choice_value(ctl, values)
        out.append({"id": rid, "from_name": name, "to_name": c.TEXT, "type": ctl.kind,
                    "value": {"start": se[0], "end": se[1], **payload}})

    for e in aset.entities:
        se = region(e.id, e.type, e.start, e.end, e.text)
        if e.canonical_id is not None:
            control(e.id, c.CANONICAL_ID, se, [e.canonical_id])
    for d in aset.dates:
        se = region(d.id, c.DATE_LABEL, d.start, d.end, d.text)
        control(d.id, c.CALENDAR, se, [d.calendar.value])
        control(d.id, c.LEXICON, se, [d.lexicon])
        control(d.id, c.NATIVE, se, [format_native(d.native)])
        control(d.id, c.GRANULARITY, se, [d.granularity.value])
        flags = [name for name in c.FLAGS if getattr(d, name)]
        if flags:
            control(d.id, c.DATE_FLAGS, se, flags)
        if d.note is not None:
            control(d.id, c.NOTE, se, [d.note])
    for ev in aset.events:
        t = ev.trigger
        se = region(ev.id, ev.type, t.start, t.end, t.text)
        for name, value in ev.attributes().items():
            control(ev.id, name, se, [value])
        if ev.cluster_id is not None:
            control(ev.id, c.CLUSTER_ID, se, [ev.cluster_id])
    for ev in aset.events:
        for arg in ev.arguments:
            out.append({"from_id": ev.id, "to_id": arg.ref, "type": "relation", "direction": "right",
                        "labels": [arg.role]})
    for link in aset.links:
        out.append({"from_id": link.source, "to_id": link.target, "type": "relation", "direction": "right",
                    "labels": [c.SAME_DATE if link.consistent else c.SAME_DATE_INCONSISTENT],
                    "meta": {"id": link.id, "consistent": link.consistent, "reason": link.reason}})
    return out


def to_ls_prediction(aset: AnnotationSet, text: str) -> tuple[list[dict[str, Any]], float | None]:
    """A suggestion set as a Label Studio prediction: its result (:func:`to_ls_result`) with each region's
    confidence as the region's ``score``, and the mean confidence as the prediction's score (None without any).

    The confidences are the set's ``metadata["confidence"]`` (suggestion id -> 0..1, :mod:`annotate.suggest`).
    """
    result = to_ls_result(aset, text)
    given = aset.metadata.get("confidence")
    scores = given if isinstance(given, dict) else {}
    used = []
    for item in result:
        conf = scores.get(item.get("id")) if item.get("type") == "labels" else None
        if isinstance(conf, int | float):
            item["score"] = float(conf)
            used.append(float(conf))
    return result, (round(sum(used) / len(used), 4) if used else None)


# ----------------------------------------------------------------------------------------------- LS -> ours


@dataclass(frozen=True)
class Note:
    """One thing a reading completed or fixed, naming the region or relation (``region 'x': ...``)."""

    text: str
    flagged: bool = False
    """A date stored with fields neither the annotator nor the engine gave: someone has to complete it."""


@dataclass(frozen=True)
class ReadResult:
    """An annotation set read from Label Studio, and what the reading completed or fixed: dates read by the
    engine, dates flagged for review, relations labelled, values dropped."""

    aset: AnnotationSet
    notes: list[Note] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    """Our ids of the flagged dates."""


@dataclass
class _Region:
    rid: str
    our_id: str
    kind: c.SpanKind
    label: str
    start: int
    end: int
    text: str
    controls: dict[str, list[str]] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"region {self.rid!r}"


def _our_id(rid: str, taken: set[str]) -> str:
    """Our id for a Label Studio region id: itself when it fits our id rules, else a sanitised ``ls-`` form."""
    if _ID_RE.match(rid) and rid not in taken:
        return rid
    base = "ls-" + re.sub(r"[^A-Za-z0-9_.:\-]", "_", rid)[:120]
    our, n = base, 1
    while our in taken:
        n += 1
        our = f"{base}.{n}"
    return our


def _alias(value: str, options: Mapping[str, str]) -> str | None:
    """A choice as stored (the alias, i.e. our value) or as displayed (the label): our value, or None."""
    if value in options:
        return value
    return next((k for k, label in options.items() if label == value), None)


class _Reader:
    """Collects problems (refusals) and notes (completions) while reading one Label Studio result list."""

    def __init__(self, document: Document, taxonomy: Taxonomy) -> None:
        self.document = document
        self.text = document.text
        self.taxonomy = taxonomy
        self.labels = c.span_labels(taxonomy)
        self.problems: list[str] = []
        self.notes: list[Note] = []
        self.flagged: list[str] = []
        self.regions: dict[str, _Region] = {}
        self.order: list[str] = []
        self.relations: list[tuple[int, dict[str, Any]]] = []
        self.controls: list[tuple[int, dict[str, Any]]] = []

    def bad(self, where: str, msg: str) -> None:
        self.problems.append(f"{where}: {msg}")

    def note(self, where: str, msg: str, *, flagged: bool = False) -> None:
        self.notes.append(Note(f"{where}: {msg}", flagged))

    def read(self, result: Sequence[Any]) -> None:
        if not isinstance(result, list):
            self.bad("result", f"expected a list of results, got {type(result).__name__}")
            return
        for i, item in enumerate(result):
            if not isinstance(item, dict):
                self.bad(f"result[{i}]", f"expected an object, got {type(item).__name__}")
                continue
            kind = item.get("type")
            if kind == "relation":
                self.relations.append((i, item))
            elif kind == "labels":
                self.span(i, item)
            elif kind in ("choices", "taxonomy", "textarea"):
                self.controls.append((i, item))
            else:
                rid = item.get("id")
                self.bad(f"result[{i}] region {rid!r}" if rid else f"result[{i}]",
                         f"unsupported result type {kind!r} from control {item.get('from_name')!r}")
        for i, item in self.controls:
            self.control(i, item)

    def _kind(self, where: str, tag: str, label: str) -> c.SpanKind | None:
        """The kind of span ``label`` marks (None after reporting an unknown label)."""
        kind = self.labels.get(label)
        if tag == c.LABELS:
            if kind is None:
                self.bad(f"{where} value.labels", f"unknown label {label!r}; entity types: "
                         f"{', '.join(self.taxonomy.entity_names())}; dates: {c.DATE_LABEL}; event types: "
                         f"{', '.join(self.taxonomy.event_names())}")
            return kind
        if kind == tag:
            return kind
        if tag == c.ENTITY:
            self.bad(f"{where} value.labels", f"unknown entity type {label!r}; known: "
                     f"{', '.join(self.taxonomy.entity_names())}")
        elif tag == c.TRIGGER:
            self.bad(f"{where} value.labels", f"unknown event type {label!r}; known: "
                     f"{', '.join(self.taxonomy.event_names())}")
        else:
            self.bad(f"{where} value.labels", f"unknown date label {label!r}; expected {c.DATE_LABEL}")
        return None

    def span(self, i: int, item: dict[str, Any]) -> None:
        rid, tag = item.get("id"), item.get("from_name")
        where = f"region {rid!r}"
        if not isinstance(rid, str) or not rid:
            self.bad(f"result[{i}]", "a labels result needs a region id")
            return
        if tag != c.LABELS and tag not in c.LEGACY_LABELS:
            self.bad(where, f"unknown labels control {tag!r}; this project uses {c.LABELS}")
            return
        assert isinstance(tag, str)
        value = item.get("value")
        if not isinstance(value, dict):
            self.bad(where, "value is missing")
            return
        labels = value.get("labels")
        if not isinstance(labels, list) or not labels or not all(isinstance(x, str) for x in labels):
            self.bad(f"{where} value.labels", f"expected one label, got {labels!r}")
            return
        if rid in self.regions or len(labels) > 1:
            both = [*([self.regions[rid].label] if rid in self.regions else []), *labels]
            self.bad(where, f"the region has {len(both)} labels ({', '.join(both)}); keep one (with the region "
                     "selected, the label's hotkey replaces the label)")
            if rid in self.regions:
                self.order.remove(rid)
                del self.regions[rid]
            return
        label = labels[0]
        kind = self._kind(where, tag, label)
        if kind is None:
            return
        span = self.offsets(where, value)
        if span is None:
            return
        taken = {r.our_id for r in self.regions.values()}
        self.regions[rid] = _Region(rid, _our_id(rid, taken), kind, label, span[0], span[1], value["text"])
        self.order.append(rid)

    def offsets(self, where: str, value: dict[str, Any]) -> tuple[int, int] | None:
        start, end, span_text = value.get("start"), value.get("end"), value.get("text")
        for name, v in (("start", start), ("end", end)):
            if not isinstance(v, int) or isinstance(v, bool):
                self.bad(f"{where} value.{name}", f"expected an integer offset, got {v!r}")
                return None
        assert isinstance(start, int) and isinstance(end, int)
        if not isinstance(span_text, str):
            self.bad(f"{where} value.text", "missing: the labels result must carry the text it covers")
            return None
        if not 0 <= start < end <= len(self.text):
            self.bad(f"{where} value.start/end", f"[{start}, {end}) is not a span of the text "
                     f"(0..{len(self.text)} code points)")
            return None
        if self.text[start:end] == span_text:
            return start, end
        self.bad(f"{where} value.text", f"{span_text!r} does not match the document text "
                 f"{self.text[start:end]!r} at [{start}, {end})")
        return None

    def control(self, i: int, item: dict[str, Any]) -> None:
        rid, name = item.get("id"), item.get("from_name")
        where = f"region {rid!r} {name}"
        ctl = c.CONTROLS_BY_NAME.get(name) if isinstance(name, str) else None
        if ctl is None:
            self.bad(f"result[{i}] region {rid!r}", f"unknown control {name!r}")
            return
        kind = item.get("type")
        # The month-name set was a <Choices> before it became a <Taxonomy>: both are read.
        if kind != ctl.kind and not (ctl.kind == "taxonomy" and kind == "choices"):
            self.bad(where, f"expected a {ctl.kind} result, got {kind!r}")
            return
        region = self.regions.get(rid) if isinstance(rid, str) else None
        if region is None:
            if not any(p.startswith(f"region {rid!r}") for p in self.problems):
                self.bad(where, "refers to a region that is not in the result (dangling per-region value)")
            return
        value = item.get("value")
        key = "choices" if kind == "choices" else ctl.value_key
        got = value.get(key) if isinstance(value, dict) else None
        if kind == "taxonomy" and isinstance(got, list):
            # A taxonomy value is a list of paths from the root; ours are one level deep.
            got = [p[-1] if isinstance(p, list) and p else p for p in got]
        if not isinstance(got, list) or not all(isinstance(x, str) for x in got):
            self.bad(f"{where} value.{key}", f"expected a list of strings, got {got!r}")
            return
        if region.kind != ctl.applies_to:
            self.note(where, f"dropped: {name} belongs to {ctl.applies_to} regions, and this region is "
                      f"{region.label}")
            return
        if ctl.name in region.controls:
            self.bad(where, "given twice for the region")
            return
        region.controls[ctl.name] = got


def _one_choice(r: _Reader, rg: _Region, name: str) -> str | None:
    """The chosen value of a single-choice field (None when not given or after reporting a bad one)."""
    options = c.CONTROLS_BY_NAME[name].options
    got = rg.controls.get(name)
    if not got:
        return None
    where = f"{rg.where} {name}"
    if len(got) != 1:
        r.bad(where, f"choose exactly one, got {got!r}")
        return None
    value = _alias(got[0], options)
    if value is None:
        r.bad(where, f"unknown choice {got[0]!r}; expected one of {', '.join(options)}")
    return value


def _text(rg: _Region, name: str) -> str | None:
    got = rg.controls.get(name)
    return None if not got else "\n".join(got)


@lru_cache(maxsize=16)
def _extract(text: str, lang: str, reference_date: date | None) -> dates.DateExtraction:
    """The engine's reading of a whole document, once per pull of its task (a task may hold many plain dates)."""
    return dates.extract_dates(text, lang, reference_date)


class _Engine:
    """:mod:`annotate.dates` with whole-document extractions cached (the date engine of :class:`EditContext`)."""

    extract_dates = staticmethod(_extract)
    check_link = staticmethod(check_link)
    normalize_native = staticmethod(normalize_native)


def _reading(r: _Reader, rg: _Region) -> tuple[DateMention | None, str | None]:
    """What the date engine reads in the region, and where (None: the whole region)."""
    ctx = EditContext(r.document, r.taxonomy, engine=_Engine())
    found = engine_reading(ctx, rg.start, rg.end)
    if found is not None:
        return found, None
    inside = [m for m in _extract(r.text, r.document.lang, r.document.reference_date).mentions
              if rg.start <= m.start and m.end <= rg.end]
    if len(inside) == 1:
        return inside[0], inside[0].text
    return None, None


def _join_notes(*notes: str | None) -> str | None:
    parts = [n for n in notes if n]
    return "; ".join(dict.fromkeys(parts)) or None


def _date(r: _Reader, rg: _Region) -> DateMention | None:
    """The date of a DATE region: what the annotator gave, completed from the engine's reading, else flagged."""
    n = len(r.problems)
    calendar = _one_choice(r, rg, c.CALENDAR)
    lexicon = _one_choice(r, rg, c.LEXICON)
    chosen = _one_choice(r, rg, c.GRANULARITY)
    flags = rg.controls.get(c.DATE_FLAGS, [])
    known = [_alias(f, c.FLAGS) for f in flags]
    for f, k in zip(flags, known, strict=True):
        if k is None:
            r.bad(f"{rg.where} {c.DATE_FLAGS}", f"unknown flag {f!r}; expected {', '.join(c.FLAGS)}")
    native_text = _text(rg, c.NATIVE)
    native: NativeDate | None = None  # None: not given, so the engine reads it; NativeDate(): "?" given
    if native_text is not None and native_text.strip():
        try:
            native = parse_native(native_text)
        except ValueError as exc:
            r.bad(f"{rg.where} {c.NATIVE}", str(exc))
    if len(r.problems) > n:
        return None
    note = _text(rg, c.NOTE)
    inferred, relative = "year_inferred" in known, "relative" in known
    took: list[str] = []  # fields the engine gave
    assumed: list[str] = []  # fields neither the annotator nor the engine gave
    reading: DateMention | None = None
    if calendar is None or lexicon is None or native is None:
        reading, inside = _reading(r, rg)
        if reading is not None:
            if calendar is None:
                calendar = reading.calendar.value
                took.append("calendar")
            if lexicon is None:
                lexicon = reading.lexicon
                took.append("month-name set")
            if native is None and reading.calendar.value == calendar:
                took.append("value")
                where = f" in {inside!r}" if inside else ""
                r.note(rg.where, f"{', '.join(took)} read by the date engine{where}: {calendar} "
                       f"{format_native(reading.native)} = {reading.gregorian_label()}")
                return reading.model_copy(update={
                    "id": rg.our_id, "start": rg.start, "end": rg.end, "text": rg.text, "lexicon": lexicon,
                    "year_inferred": reading.year_inferred or inferred, "relative": reading.relative or relative,
                    "note": _join_notes(note, reading.note, f"{', '.join(took)} {READ_NOTE}"),
                })
    blank = unrecognised_date(rg.our_id, rg.start, rg.end, rg.text)
    calendar_known = calendar is not None
    if calendar is None:
        calendar = blank.calendar.value
        assumed.append(f"calendar {calendar}")
    if lexicon is None:
        lexicon = blank.lexicon
        assumed.append(f"month-name set {lexicon}")
    if native is None:
        native = NativeDate()
        assumed.append("no value" if reading is None else
                       f"no value (the engine reads a {reading.calendar.value} date here, not {calendar})")
    if chosen is None and native.year is None and native.month is None:
        chosen = reading.granularity.value if reading is not None else blank.granularity.value
        if reading is None:
            assumed.append(f"granularity {chosen}")
    if took:
        r.note(rg.where, f"{', '.join(took)} read by the date engine ({calendar}, {lexicon})")
        note = _join_notes(note, f"{', '.join(took)} {READ_NOTE}")
    if assumed:
        r.flagged.append(rg.our_id)
        cannot = "the date engine cannot read it" if reading is None else "the date engine reads it otherwise"
        r.note(rg.where, f"flagged for review ({cannot}): stored with {', '.join(assumed)}", flagged=True)
        note = _join_notes(note, UNRECOGNISED_NOTE, f"assumed on Label Studio pull: {', '.join(assumed)}")
    if not calendar_known:
        # A value typed without a calendar is kept as typed, with no Gregorian range until one is chosen.
        return DateMention(id=rg.our_id, start=rg.start, end=rg.end, text=rg.text, calendar=Calendar(calendar),
                           lexicon=lexicon, granularity=Granularity(chosen or blank.granularity.value),
                           native=native, year_inferred=inferred, relative=relative, note=note)
    return _valued(r, rg, Calendar(calendar), lexicon, native, chosen, note, inferred, relative)


def _valued(r: _Reader, rg: _Region, calendar: Calendar, lexicon: str, native: NativeDate, chosen: str | None,
            note: str | None, inferred: bool, relative: bool) -> DateMention | None:
    """The date with the Gregorian range computed from its native value (refused when the calendar lacks it)."""
    start = end = None
    granularity = Granularity(chosen) if chosen else None
    if native.year is not None or native.month is not None:
        try:
            norm = normalize_native(calendar, native.year, native.month, native.day)
        except InvalidDate as exc:
            r.bad(f"{rg.where} {c.NATIVE}", f"{format_native(native)} ({calendar.value}): {exc.message}")
            return None
        granularity, start, end = norm.granularity, norm.gregorian_start, norm.gregorian_end
    elif native.day is not None:
        r.bad(f"{rg.where} {c.NATIVE}", "a day needs a month; give the month or leave the day as ?")
        return None
    assert granularity is not None
    return DateMention(
        id=rg.our_id, start=rg.start, end=rg.end, text=rg.text, calendar=calendar, lexicon=lexicon,
        granularity=granularity, native=native, gregorian_start=start, gregorian_end=end,
        year_inferred=inferred, relative=relative, note=note,
    )


def _fitting_labels(r: _Reader, a: _Region, b: _Region) -> list[str]:
    """The relation labels that may join ``a`` to ``b`` (either way round, as a role goes trigger -> mention)."""
    if a.kind == c.DATE and b.kind == c.DATE:
        return [c.SAME_DATE]
    if (a.kind == c.TRIGGER) == (b.kind == c.TRIGGER):
        return []
    trigger, other = (a, b) if a.kind == c.TRIGGER else (b, a)
    et = r.taxonomy.event_type(trigger.label)
    assert et is not None  # checked when the trigger was read
    kind = "entity" if other.kind == c.ENTITY else "date"
    return [role.name for role in et.roles if role.accepts(kind, other.label if kind == "entity" else None)]


def _describe(rg: _Region) -> str:
    """``PER 'قاسم سلیمانی'``: the label and the text as an annotator reads them (no escapes)."""
    return f"{rg.label} '{rg.text}'"


def _relation_ends(r: _Reader, i: int, item: dict[str, Any]) -> tuple[_Region, _Region, str] | None:
    src, dst = item.get("from_id"), item.get("to_id")
    where = f"relation {src!r} -> {dst!r}"
    missing = [f"{end_name} {v!r}" for end_name, v in (("from_id", src), ("to_id", dst)) if v not in r.regions]
    if missing:
        if not any(p.startswith(f"region {v!r}") for v in (src, dst) for p in r.problems):
            r.bad(where, f"dangling relation: {' and '.join(missing)} is not a region of this annotation")
        return None
    a, b = r.regions[str(src)], r.regions[str(dst)]
    direction = item.get("direction", "right")
    if direction == "left":
        a, b = b, a
    elif direction not in ("right", "bi"):
        r.bad(f"{where} direction", f"unknown direction {direction!r}")
        return None
    fitting = _fitting_labels(r, a, b)
    labels = item.get("labels") or []
    if not isinstance(labels, list) or len(labels) > 1 or not all(isinstance(x, str) for x in labels):
        r.bad(f"{where} labels", f"give the relation one label, got {labels!r}"
              + (f"; between {_describe(a)} and {_describe(b)}: {', '.join(fitting)}" if fitting else ""))
        return None
    if not labels:
        if len(fitting) != 1:
            r.bad(f"{where} labels", f"the relation between {_describe(a)} and {_describe(b)} has no label; "
                  + (f"choose one of {', '.join(fitting)}" if fitting else "no relation joins these two"))
            return None
        r.note(where, f"labelled {fitting[0]}, the only label that joins {_describe(a)} and {_describe(b)}")
        labels = fitting
    label = c.SAME_DATE if labels[0] == c.SAME_DATE_INCONSISTENT else labels[0]
    if label not in fitting:
        allowed = f"labels that fit: {', '.join(fitting)}" if fitting else "no relation joins these two"
        r.bad(f"{where} labels", f"{labels[0]!r} cannot join {_describe(a)} and {_describe(b)} ({allowed})")
        return None
    if label == c.SAME_DATE:
        return a, b, label
    if direction == "bi":
        r.bad(f"{where} direction", "an event role goes from the trigger to the mention, not both ways")
        return None
    if a.kind != c.TRIGGER:
        a, b = b, a  # drawn from the mention to the trigger: the role is the same
    return a, b, label


def read_ls_result(
    result: Sequence[Any],
    document: Document,
    taxonomy: Taxonomy,
    *,
    author: str,
    author_kind: AuthorKind = AuthorKind.human,
    status: AnnotationStatus = AnnotationStatus.submitted,
    metadata: dict[str, Any] | None = None,
    where: str,
) -> ReadResult:
    """Read a Label Studio result list as ``author``'s annotation set of ``document``, with what was completed.

    ``where`` names the source in errors (e.g. ``task 12, annotation 40 by ali@example.org``).  Every problem
    is reported at once in an :class:`InvalidAnnotation`; nothing is returned half-read.
    """
    r = _Reader(document, taxonomy)
    r.read(result)
    entities: list[EntityMention] = []
    dates_: list[DateMention] = []
    events: dict[str, Event] = {}
    for rid in r.order:
        rg = r.regions[rid]
        if rg.kind == c.ENTITY:
            entities.append(EntityMention(id=rg.our_id, start=rg.start, end=rg.end, text=rg.text, type=rg.label,
                                          canonical_id=_text(rg, c.CANONICAL_ID)))
        elif rg.kind == c.DATE:
            d = _date(r, rg)
            if d is not None:
                dates_.append(d)
        else:
            chosen = {name: _one_choice(r, rg, name) for name in c.EVENT_ATTRIBUTE_FIELDS}
            events[rid] = Event.model_validate({
                "id": rg.our_id, "type": rg.label, "trigger": Trigger(start=rg.start, end=rg.end, text=rg.text),
                "cluster_id": _text(rg, c.CLUSTER_ID), **{k: v for k, v in chosen.items() if v is not None},
            })
    links: list[DateLink] = []
    by_id = {d.id: d for d in dates_}
    taken = {x.our_id for x in r.regions.values()}
    for i, item in r.relations:
        ends = _relation_ends(r, i, item)
        if ends is None:
            continue
        a, b, label = ends
        if label != c.SAME_DATE:
            events[a.rid].arguments.append(EventArgument(role=label, ref=b.our_id))
            continue
        meta = item.get("meta") if isinstance(item.get("meta"), dict) else {}
        assert isinstance(meta, dict)
        lid = meta.get("id")
        if not (isinstance(lid, str) and _ID_RE.match(lid) and lid not in taken):
            lid = _our_id(f"ln-{a.our_id}-{b.our_id}", taken)
        taken.add(lid)
        if a.our_id not in by_id or b.our_id not in by_id:
            continue  # an end was refused above, so the whole set is refused
        if isinstance(meta.get("consistent"), bool):
            consistent, reason = meta["consistent"], meta.get("reason")
            if reason is not None and not isinstance(reason, str):
                reason = str(reason)
        else:
            consistent, reason = check_link(by_id[a.our_id], by_id[b.our_id])
        links.append(DateLink(id=lid, source=a.our_id, target=b.our_id, consistent=consistent, reason=reason))
    if r.problems:
        raise InvalidAnnotation(r.problems, where=where)
    aset = AnnotationSet(
        doc_id=document.id, author=author, author_kind=author_kind, status=status,
        text_sha256=document.text_sha256, entities=entities, dates=dates_, events=list(events.values()),
        links=links, metadata=metadata or {},
    )
    try:
        validate_annotation_set(aset, document, taxonomy)
    except InvalidAnnotation as exc:
        raise InvalidAnnotation(exc.problems, where=where) from None
    return ReadResult(aset, r.notes, r.flagged)

