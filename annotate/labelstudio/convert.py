"""Our :class:`~annotate.models.AnnotationSet` <-> Label Studio result JSON, both ways, with nothing lost.

Shapes (see :mod:`annotate.labelstudio.config` for the tags):

* a mention or trigger is a ``labels`` region whose ``id`` is our mention id (event id for a trigger), with
  ``value = {start, end, text, labels: [type]}``; offsets are code points into the frozen text;
* per-region values (canonical id, a date's calendar, month-name set, granularity, native value, flags and note,
  an event's cluster id) are ``choices``/``textarea`` results that reuse the region's ``id``;
* an event argument is a ``relation`` from the trigger to the mention labelled with the role; a date link is a
  ``relation`` labelled ``same_date`` whose ``meta`` keeps our link id, ``consistent`` and ``reason`` (a link
  drawn in Label Studio has no meta: its id is derived and its consistency checked with the date engine).

On the way back every span is checked against the frozen text (``text[start:end] == value.text``), every label,
control and relation end must be known, and a date's Gregorian range is *recomputed* from its calendar and
native value with :func:`annotate.dates.normalize_native`: Label Studio never decides it.  Problems are collected
per region and raised together as one :class:`~annotate.errors.InvalidAnnotation` naming the task and region.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..dates import check_link, normalize_native
from ..errors import InvalidAnnotation, InvalidDate
from ..models import (
    LEXICONS,
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
    "format_native",
    "from_ls_result",
    "parse_native",
    "to_ls_result",
]

_CONTROLS: dict[str, tuple[str, str]] = {
    c.CANONICAL_ID: (c.ENTITY, "textarea"),
    c.CALENDAR: (c.DATE, "choices"),
    c.LEXICON: (c.DATE, "choices"),
    c.GRANULARITY: (c.DATE, "choices"),
    c.NATIVE: (c.DATE, "textarea"),
    c.DATE_FLAGS: (c.DATE, "choices"),
    c.NOTE: (c.DATE, "textarea"),
    c.CLUSTER_ID: (c.TRIGGER, "textarea"),
}
"""Per-region control -> (span tag it belongs to, result type)."""

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,127}$")
"""What :data:`annotate.models.Id` accepts; Label Studio's own region ids may start with ``_`` or ``-``."""

_NATIVE_RE = re.compile(r"^\s*(-?\d+|\?)\s*(?:[-/]\s*(\d{1,2}|\?)\s*(?:[-/]\s*(\d{1,2}|\?)\s*)?)?$")


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


def to_ls_result(aset: AnnotationSet, text: str) -> list[dict[str, Any]]:
    """The Label Studio result list of ``aset`` (annotations and predictions use the same shape).

    ``text`` is the document's frozen text.  Offsets stay code points: Label Studio 1.23's editor stores code
    points for ``<Text>`` (checked in a browser with astral characters before the span, see
    ``tests/labelstudio/test_browser_offsets.py``), so no UTF-16 conversion is needed either way.  A span that
    does not match ``text`` raises :class:`InvalidAnnotation` (nothing wrong is sent to annotators).
    """
    wrong = [f"{path}.text: {sp.text!r} is not the text at [{sp.start}, {sp.end})"
             for path, sp in aset.spans() if text[sp.start : sp.end] != sp.text]
    if wrong:
        raise InvalidAnnotation(wrong, where=f"document {aset.doc_id}, author {aset.author}")
    out: list[dict[str, Any]] = []

    def region(rid: str, tag: str, label: str, start: int, end: int, span_text: str) -> tuple[int, int]:
        out.append({"id": rid, "from_name": tag, "to_name": c.TEXT, "type": "labels",
                    "value": {"start": start, "end": end, "text": span_text, "labels": [label]}})
        return start, end

    def control(rid: str, name: str, se: tuple[int, int], payload: dict[str, Any]) -> None:
        kind = _CONTROLS[name][1]
        out.append({"id": rid, "from_name": name, "to_name": c.TEXT, "type": kind,
                    "value": {"start": se[0], "end": se[1], **payload}})

    for e in aset.entities:
        se = region(e.id, c.ENTITY, e.type, e.start, e.end, e.text)
        if e.canonical_id is not None:
            control(e.id, c.CANONICAL_ID, se, {"text": [e.canonical_id]})
    for d in aset.dates:
        se = region(d.id, c.DATE, c.DATE_LABEL, d.start, d.end, d.text)
        control(d.id, c.CALENDAR, se, {"choices": [d.calendar.value]})
        control(d.id, c.LEXICON, se, {"choices": [d.lexicon]})
        control(d.id, c.GRANULARITY, se, {"choices": [d.granularity.value]})
        if d.native != NativeDate():
            control(d.id, c.NATIVE, se, {"text": [format_native(d.native)]})
        flags = [name for name in c.FLAGS if getattr(d, name)]
        if flags:
            control(d.id, c.DATE_FLAGS, se, {"choices": flags})
        if d.note is not None:
            control(d.id, c.NOTE, se, {"text": [d.note]})
    for ev in aset.events:
        t = ev.trigger
        se = region(ev.id, c.TRIGGER, ev.type, t.start, t.end, t.text)
        if ev.cluster_id is not None:
            control(ev.id, c.CLUSTER_ID, se, {"text": [ev.cluster_id]})
    for ev in aset.events:
        for arg in ev.arguments:
            out.append({"from_id": ev.id, "to_id": arg.ref, "type": "relation", "direction": "right",
                        "labels": [arg.role]})
    for link in aset.links:
        out.append({"from_id": link.source, "to_id": link.target, "type": "relation", "direction": "right",
                    "labels": [c.SAME_DATE],
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


@dataclass
class _Region:
    rid: str
    our_id: str
    tag: str
    label: str
    start: int
    end: int
    text: str
    controls: dict[str, Any] = field(default_factory=dict)


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
    """Collects problems while reading one Label Studio result list."""

    def __init__(self, text: str, taxonomy: Taxonomy) -> None:
        self.text = text
        self.taxonomy = taxonomy
        self.problems: list[str] = []
        self.regions: dict[str, _Region] = {}
        self.order: list[str] = []
        self.relations: list[tuple[int, dict[str, Any]]] = []
        self.controls: list[tuple[int, dict[str, Any]]] = []

    def bad(self, where: str, msg: str) -> None:
        self.problems.append(f"{where}: {msg}")

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
            elif kind in ("choices", "textarea"):
                self.controls.append((i, item))
            else:
                rid = item.get("id")
                self.bad(f"result[{i}] region {rid!r}" if rid else f"result[{i}]",
                         f"unsupported result type {kind!r} from control {item.get('from_name')!r}")
        for i, item in self.controls:
            self.control(i, item)

    def span(self, i: int, item: dict[str, Any]) -> None:
        rid, tag = item.get("id"), item.get("from_name")
        where = f"region {rid!r}"
        if not isinstance(rid, str) or not rid:
            self.bad(f"result[{i}]", "a labels result needs a region id")
            return
        if tag not in (c.ENTITY, c.DATE, c.TRIGGER):
            self.bad(where, f"unknown labels control {tag!r}; this project uses {c.ENTITY}, {c.DATE}, {c.TRIGGER}")
            return
        if rid in self.regions:
            self.bad(where, "the region id is used by two labels results")
            return
        value = item.get("value")
        if not isinstance(value, dict):
            self.bad(where, "value is missing")
            return
        labels = value.get("labels")
        if not isinstance(labels, list) or len(labels) != 1 or not isinstance(labels[0], str):
            self.bad(f"{where} value.labels", f"expected exactly one label, got {labels!r}")
            return
        label = labels[0]
        if tag == c.ENTITY and not self.taxonomy.has_entity_type(label):
            self.bad(f"{where} value.labels", f"unknown entity type {label!r}; known: "
                     f"{', '.join(self.taxonomy.entity_names())}")
            return
        if tag == c.TRIGGER and self.taxonomy.event_type(label) is None:
            self.bad(f"{where} value.labels", f"unknown event type {label!r}; known: "
                     f"{', '.join(self.taxonomy.event_names())}")
            return
        if tag == c.DATE and label != c.DATE_LABEL:
            self.bad(f"{where} value.labels", f"unknown date label {label!r}; expected {c.DATE_LABEL}")
            return
        span = self.offsets(where, value)
        if span is None:
            return
        taken = {r.our_id for r in self.regions.values()}
        self.regions[rid] = _Region(rid, _our_id(rid, taken), tag, label, span[0], span[1], value["text"])
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
        if name not in _CONTROLS:
            self.bad(f"result[{i}] region {rid!r}", f"unknown control {name!r}")
            return
        tag, kind = _CONTROLS[name]
        if item.get("type") != kind:
            self.bad(where, f"expected a {kind} result, got {item.get('type')!r}")
            return
        region = self.regions.get(rid) if isinstance(rid, str) else None
        if region is None:
            if not any(p.startswith(f"region {rid!r}") for p in self.problems):
                self.bad(where, "refers to a region that is not in the result (dangling per-region value)")
            return
        if region.tag != tag:
            self.bad(where, f"belongs to {tag} regions, but this region is a {region.tag}")
            return
        value = item.get("value")
        key = "choices" if kind == "choices" else "text"
        got = value.get(key) if isinstance(value, dict) else None
        if not isinstance(got, list) or not all(isinstance(x, str) for x in got):
            self.bad(f"{where} value.{key}", f"expected a list of strings, got {got!r}")
            return
        if name in region.controls:
            self.bad(where, "given twice for the region")
            return
        region.controls[name] = got


def _one_choice(r: _Reader, rg: _Region, name: str, options: Mapping[str, str], *, required: bool) -> str | None:
    got: list[str] | None = rg.controls.get(name)
    where = f"region {rg.rid!r} {name}"
    if not got:
        if required:
            r.bad(where, f"missing: choose one of {', '.join(options)}")
        return None
    if len(got) != 1:
        r.bad(where, f"choose exactly one, got {got!r}")
        return None
    value = _alias(got[0], options)
    if value is None:
        r.bad(where, f"unknown choice {got[0]!r}; expected one of {', '.join(options)}")
    return value


def _text(rg: _Region, name: str) -> str | None:
    got: list[str] | None = rg.controls.get(name)
    return None if got is None or not got else "\n".join(got)


def _date(r: _Reader, rg: _Region) -> DateMention | None:
    n = len(r.problems)
    calendar = _one_choice(r, rg, c.CALENDAR, c.CALENDAR_NAMES, required=True)
    lexicon = _one_choice(r, rg, c.LEXICON, {k: f"{k}: {v}" for k, v in LEXICONS.items()}, required=True)
    chosen = _one_choice(r, rg, c.GRANULARITY, {g.value: g.value for g in Granularity}, required=False)
    flags = rg.controls.get(c.DATE_FLAGS, [])
    known = [_alias(f, c.FLAGS) for f in flags]
    for f, k in zip(flags, known, strict=True):
        if k is None:
            r.bad(f"region {rg.rid!r} {c.DATE_FLAGS}", f"unknown flag {f!r}; expected {', '.join(c.FLAGS)}")
    native_text = _text(rg, c.NATIVE)
    native = NativeDate()
    if native_text is not None and native_text.strip():
        try:
            native = parse_native(native_text)
        except ValueError as exc:
            r.bad(f"region {rg.rid!r} {c.NATIVE}", str(exc))
    if len(r.problems) > n or calendar is None or lexicon is None:
        return None
    start = end = None
    granularity: Granularity | None = Granularity(chosen) if chosen else None
    if native.year is not None or native.month is not None:
        try:
            norm = normalize_native(Calendar(calendar), native.year, native.month, native.day)
        except InvalidDate as exc:
            r.bad(f"region {rg.rid!r} {c.NATIVE}", f"{format_native(native)} ({calendar}): {exc.message}")
            return None
        granularity, start, end = norm.granularity, norm.gregorian_start, norm.gregorian_end
    elif native.day is not None:
        r.bad(f"region {rg.rid!r} {c.NATIVE}", "a day needs a month; give the month or leave the day as ?")
        return None
    if granularity is None:
        r.bad(f"region {rg.rid!r} {c.GRANULARITY}", "missing: with neither year nor month in the native value, "
              "choose day, month or year")
        return None
    return DateMention(
        id=rg.our_id, start=rg.start, end=rg.end, text=rg.text, calendar=Calendar(calendar), lexicon=lexicon,
        granularity=granularity, native=native, gregorian_start=start, gregorian_end=end,
        year_inferred="year_inferred" in known, relative="relative" in known, note=_text(rg, c.NOTE),
    )


def _relation_ends(r: _Reader, i: int, item: dict[str, Any]) -> tuple[_Region, _Region, str] | None:
    src, dst = item.get("from_id"), item.get("to_id")
    where = f"relation {src!r} -> {dst!r}"
    missing = [f"{end_name} {v!r}" for end_name, v in (("from_id", src), ("to_id", dst)) if v not in r.regions]
    if missing:
        r.bad(where, f"dangling relation: {' and '.join(missing)} is not a region of this annotation")
        return None
    a, b = r.regions[str(src)], r.regions[str(dst)]
    direction = item.get("direction", "right")
    if direction == "left":
        a, b = b, a
    elif direction not in ("right", "bi"):
        r.bad(f"{where} direction", f"unknown direction {direction!r}")
        return None
    labels = item.get("labels") or []
    if not isinstance(labels, list) or len(labels) != 1 or not isinstance(labels[0], str):
        r.bad(f"{where} labels", f"give the relation exactly one label (an event role or {c.SAME_DATE}), "
              f"got {labels!r}")
        return None
    label = labels[0]
    if label == c.SAME_DATE:
        if a.tag != c.DATE or b.tag != c.DATE:
            r.bad(f"{where} labels", f"{c.SAME_DATE} joins two date regions, not a {a.tag} and a {b.tag}")
            return None
        return a, b, label
    if direction == "bi":
        r.bad(f"{where} direction", "an event role goes from the trigger to the mention, not both ways")
        return None
    if a.tag != c.TRIGGER and b.tag == c.TRIGGER:
        a, b = b, a  # drawn from the mention to the trigger: the role is the same
    if a.tag != c.TRIGGER or b.tag == c.TRIGGER:
        r.bad(f"{where} labels", f"role {label!r} joins an event trigger to an entity or date, "
              f"not a {a.tag} to a {b.tag}")
        return None
    et = r.taxonomy.event_type(a.label)
    assert et is not None  # checked when the trigger was read
    role = et.role(label)
    if role is None:
        r.bad(f"{where} labels", f"{label!r} is not a role of {et.name}; allowed: "
              f"{', '.join(x.name for x in et.roles)}")
        return None
    kind = "entity" if b.tag == c.ENTITY else "date"
    if not role.accepts(kind, b.label if kind == "entity" else None):
        r.bad(f"{where} labels", f"role {label!r} of {et.name} takes {role.describe()}, not "
              f"{'an entity ' + b.label if kind == 'entity' else 'a date'}")
        return None
    return a, b, label


def from_ls_result(
    result: Sequence[Any],
    document: Document,
    taxonomy: Taxonomy,
    *,
    author: str,
    author_kind: AuthorKind = AuthorKind.human,
    status: AnnotationStatus = AnnotationStatus.submitted,
    metadata: dict[str, Any] | None = None,
    where: str,
) -> AnnotationSet:
    """Read a Label Studio result list as ``author``'s annotation set of ``document``.

    ``where`` names the source in errors (e.g. ``task 12, annotation 40 by ali@example.org``).  Every problem
    is reported at once in an :class:`InvalidAnnotation`; nothing is returned half-read.
    """
    r = _Reader(document.text, taxonomy)
    r.read(result)
    entities: list[EntityMention] = []
    dates: list[DateMention] = []
    events: dict[str, Event] = {}
    for rid in r.order:
        rg = r.regions[rid]
        if rg.tag == c.ENTITY:
            entities.append(EntityMention(id=rg.our_id, start=rg.start, end=rg.end, text=rg.text, type=rg.label,
                                          canonical_id=_text(rg, c.CANONICAL_ID)))
        elif rg.tag == c.DATE:
            d = _date(r, rg)
            if d is not None:
                dates.append(d)
        else:
            events[rid] = Event(id=rg.our_id, type=rg.label,
                                trigger=Trigger(start=rg.start, end=rg.end, text=rg.text),
                                cluster_id=_text(rg, c.CLUSTER_ID))
    links: list[DateLink] = []
    by_id = {d.id: d for d in dates}
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
        if isinstance(meta.get("consistent"), bool):
            consistent, reason = meta["consistent"], meta.get("reason")
            if reason is not None and not isinstance(reason, str):
                reason = str(reason)
        elif a.our_id in by_id and b.our_id in by_id:
            consistent, reason = check_link(by_id[a.our_id], by_id[b.our_id])
        else:
            continue  # one end was rejected above; the set is refused anyway
        links.append(DateLink(id=lid, source=a.our_id, target=b.our_id, consistent=consistent, reason=reason))
    if r.problems:
        raise InvalidAnnotation(r.problems, where=where)
    aset = AnnotationSet(
        doc_id=document.id, author=author, author_kind=author_kind, status=status,
        text_sha256=document.text_sha256, entities=entities, dates=dates, events=list(events.values()),
        links=links, metadata=metadata or {},
    )
    try:
        validate_annotation_set(aset, document, taxonomy)
    except InvalidAnnotation as exc:
        raise InvalidAnnotation(exc.problems, where=where) from None
    return aset


def result_region_ids(result: Iterable[Mapping[str, Any]]) -> list[str]:
    """The ids of the span regions of a result list, in order (for tests and status displays)."""
    return [str(x["id"]) for x in result if x.get("type") == "labels"]
