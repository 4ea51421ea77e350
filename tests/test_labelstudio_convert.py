"""Pure tests of the Label Studio conversion (no server): round trips, and what a bad result is refused for."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import annotation_sets, documents

from annotate.dates import normalize_native
from annotate.errors import InvalidAnnotation, InvalidDate
from annotate.labelstudio import config as c
from annotate.labelstudio.convert import format_native, from_ls_result, parse_native, to_ls_result
from annotate.models import (
    AnnotationSet,
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
)
from annotate.taxonomy import default_taxonomy

TAX = default_taxonomy()


def normalised(d: DateMention) -> DateMention:
    """``d`` with the Gregorian range and granularity our pull computes from its calendar and native value."""
    native = d.native
    if native.year is None and native.month is None:
        return d.model_copy(update={"native": NativeDate(), "gregorian_start": None, "gregorian_end": None})
    for candidate in (native, native.model_copy(update={"day": None}), None):
        if candidate is None:
            return d.model_copy(update={"native": NativeDate(), "gregorian_start": None, "gregorian_end": None})
        try:
            n = normalize_native(d.calendar, candidate.year, candidate.month, candidate.day)
        except InvalidDate:
            continue
        return d.model_copy(update={"native": candidate, "granularity": n.granularity,
                                    "gregorian_start": n.gregorian_start, "gregorian_end": n.gregorian_end})
    raise AssertionError("unreachable")


@st.composite
def consistent_pairs(draw: st.DrawFn) -> tuple[Document, AnnotationSet]:
    """A valid document and set whose dates carry the values an annotator's native input normalises to."""
    doc = draw(documents())
    aset = draw(annotation_sets(doc))
    return doc, aset.model_copy(update={"dates": [normalised(d) for d in aset.dates], "metadata": {}})


def layers(aset: AnnotationSet) -> dict[str, Any]:
    return aset.model_dump(mode="json", include={"entities", "dates", "events", "links"})


@settings(max_examples=150, deadline=None)
@given(consistent_pairs())
def test_round_trip_is_identical(pair: tuple[Document, AnnotationSet]) -> None:
    doc, aset = pair
    result = to_ls_result(aset, doc.text)
    back = from_ls_result(result, doc, TAX, author=aset.author, where="test")
    assert layers(back) == layers(aset)


@settings(max_examples=50, deadline=None)
@given(consistent_pairs())
def test_round_trip_survives_json_and_display_choice_values(pair: tuple[Document, AnnotationSet]) -> None:
    """The frontend may store a choice's displayed value instead of its alias; both read the same."""
    doc, aset = pair
    result = json.loads(json.dumps(to_ls_result(aset, doc.text)))
    shown = {c.CALENDAR: c.CALENDAR_NAMES, c.DATE_FLAGS: c.FLAGS}
    for item in result:
        names = shown.get(item.get("from_name", ""))
        if names:
            item["value"]["choices"] = [names[x] for x in item["value"]["choices"]]
    back = from_ls_result(result, doc, TAX, author=aset.author, where="test")
    assert layers(back) == layers(aset)


TEXT = "در ۱۰ بهمن 1398 (30 January 2020) قاسم\u200cسلیمانی 😀 به بغداد رسید."


def doc() -> Document:
    return Document.create(TEXT, lang="fa", id="doc-1")


def span(s: str, nth: int = 0) -> dict[str, Any]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(s, start + 1)
    return {"start": start, "end": start + len(s), "text": s}


def sample() -> AnnotationSet:
    d1 = DateMention(id="d1", **span("۱۰ بهمن 1398"), calendar=Calendar.solar_hijri, lexicon="solar-IR",
                     granularity=Granularity.day, native=NativeDate(year=1398, month=11, day=10),
                     gregorian_start=date(2020, 1, 30), gregorian_end=date(2020, 1, 30))
    d2 = DateMention(id="d2", **span("30 January 2020"), calendar=Calendar.gregorian, lexicon="numeric",
                     granularity=Granularity.day, native=NativeDate(year=2020, month=1, day=30),
                     gregorian_start=date(2020, 1, 30), gregorian_end=date(2020, 1, 30), note="in English")
    per = EntityMention(id="e1", **span("قاسم\u200cسلیمانی"), type="PER", canonical_id="Q183455")
    gpe = EntityMention(id="e2", **span("بغداد"), type="GPE")
    ev = Event(id="ev1", type="DEPLOYMENT", trigger=Trigger(**span("رسید")), cluster_id="c-9",
               arguments=[EventArgument(role="actor", ref="e1"), EventArgument(role="destination", ref="e2"),
                          EventArgument(role="time", ref="d1")])
    return AnnotationSet(doc_id="doc-1", author="ali", entities=[per, gpe], dates=[d1, d2], events=[ev],
                         links=[DateLink(id="l1", source="d1", target="d2")])


def test_sample_round_trip_keeps_zwnj_and_emoji_offsets() -> None:
    aset = sample()
    result = to_ls_result(aset, TEXT)
    gpe = next(x for x in result if x.get("id") == "e2" and x["type"] == "labels")
    assert TEXT[gpe["value"]["start"]:gpe["value"]["end"]] == "بغداد"  # code points, after the emoji
    back = from_ls_result(result, doc(), TAX, author="ali", where="task 7")
    assert layers(back) == layers(aset)


def test_an_offset_counted_in_utf16_units_is_refused_not_guessed() -> None:
    """One unit more per emoji is what a UTF-16 count gives, and also a plain off-by-one: never accepted."""
    result = to_ls_result(sample(), TEXT)
    gpe = next(x for x in result if x.get("id") == "e2" and x["type"] == "labels")
    gpe["value"]["start"] += 1
    gpe["value"]["end"] += 1
    with pytest.raises(InvalidAnnotation, match=r"region 'e2' value\.text: 'بغداد' does not match"):
        from_ls_result(result, doc(), TAX, author="ali", where="task 7")


def test_gregorian_range_is_recomputed_not_trusted() -> None:
    aset = sample()
    result = to_ls_result(aset, TEXT)
    for item in result:
        if item.get("id") == "d1" and item.get("from_name") == c.NATIVE:
            item["value"]["text"] = ["1398-11"]
    back = from_ls_result(result, doc(), TAX, author="ali", where="task 7")
    d1 = back.dates[0]
    assert (d1.granularity, d1.gregorian_start, d1.gregorian_end) == (
        Granularity.month, date(2020, 1, 21), date(2020, 2, 19))


def test_link_drawn_in_label_studio_gets_an_id_and_a_consistency_check() -> None:
    aset = sample()
    result = to_ls_result(aset, TEXT)
    link = next(x for x in result if x.get("labels") == [c.SAME_DATE])
    del link["meta"]
    for item in result:
        if item.get("id") == "d2" and item.get("from_name") == c.NATIVE:
            item["value"]["text"] = ["2020-01-31"]
    back = from_ls_result(result, doc(), TAX, author="ali", where="task 7")
    assert back.links[0].id == "ln-d1-d2"
    assert back.links[0].consistent is False and back.links[0].reason


def test_label_studio_region_ids_that_break_our_id_rules_are_renamed_consistently() -> None:
    aset = sample()
    result = to_ls_result(aset, TEXT)
    for item in result:
        for key in ("id", "from_id", "to_id"):
            if item.get(key) == "e1":
                item[key] = "_x-9"
    back = from_ls_result(result, doc(), TAX, author="ali", where="task 7")
    assert back.entities[0].id == "ls-_x-9"
    assert back.events[0].arguments[0].ref == "ls-_x-9"


def _mutate(result: list[dict[str, Any]], rid: str, from_name: str, path: tuple[str, ...], value: Any) -> None:
    for item in result:
        if item.get("id") == rid and item.get("from_name") == from_name:
            target = item
            for p in path[:-1]:
                target = target[p]
            target[path[-1]] = value
            return
    raise AssertionError(f"no {rid}/{from_name}")


BAD_CASES = [
    ("offset shifted", lambda r: _mutate(r, "e2", c.ENTITY, ("value", "start"), span("بغداد")["start"] + 1),
     "region 'e2' value.text: 'بغداد' does not match the document text"),
    ("unknown entity type", lambda r: _mutate(r, "e1", c.ENTITY, ("value", "labels"), ["WEAPON"]),
     "region 'e1' value.labels: unknown entity type 'WEAPON'"),
    ("unknown event type", lambda r: _mutate(r, "ev1", c.TRIGGER, ("value", "labels"), ["PARTY"]),
     "region 'ev1' value.labels: unknown event type 'PARTY'"),
    ("dangling relation", lambda r: r.append({"from_id": "ev1", "to_id": "gone", "type": "relation",
                                              "direction": "right", "labels": ["place"]}),
     "relation 'ev1' -> 'gone': dangling relation: to_id 'gone' is not a region"),
    ("dangling per-region value", lambda r: r.append({"id": "gone", "from_name": c.NOTE, "to_name": "text",
                                                      "type": "textarea", "value": {"text": ["x"]}}),
     "region 'gone' note: refers to a region that is not in the result"),
    ("role not of the event", lambda r: r.append({"from_id": "ev1", "to_id": "e2", "type": "relation",
                                                  "direction": "right", "labels": ["victim"]}),
     "'victim' is not a role of DEPLOYMENT"),
    ("role wrong target", lambda r: r.append({"from_id": "ev1", "to_id": "d2", "type": "relation",
                                              "direction": "right", "labels": ["destination"]}),
     "role 'destination' of DEPLOYMENT takes an entity (GPE, LOC, FAC), not a date"),
    ("same_date on an entity", lambda r: r.append({"from_id": "d1", "to_id": "e2", "type": "relation",
                                                   "direction": "right", "labels": [c.SAME_DATE]}),
     "same_date joins two date regions, not a date and a entity"),
    ("relation without label", lambda r: r.append({"from_id": "ev1", "to_id": "e2", "type": "relation",
                                                   "direction": "right"}),
     "give the relation exactly one label"),
    ("unknown calendar", lambda r: _mutate(r, "d1", c.CALENDAR, ("value", "choices"), ["Julian"]),
     "region 'd1' calendar: unknown choice 'Julian'"),
    ("missing calendar", lambda r: r.remove(next(x for x in r if x.get("from_name") == c.CALENDAR)),
     "region 'd1' calendar: missing"),
    ("bad native", lambda r: _mutate(r, "d1", c.NATIVE, ("value", "text"), ["next tuesday"]),
     "region 'd1' native: 'next tuesday' is not a native date"),
    ("impossible native", lambda r: _mutate(r, "d1", c.NATIVE, ("value", "text"), ["1398-07-31"]),
     "region 'd1' native: 1398-07-31 (solar_hijri)"),
    ("unknown control", lambda r: r.append({"id": "d1", "from_name": "sentiment", "to_name": "text",
                                            "type": "choices", "value": {"choices": ["x"]}}),
     "unknown control 'sentiment'"),
    ("offset past the end", lambda r: _mutate(r, "e2", c.ENTITY, ("value", "end"), 10_000),
     "region 'e2' value.start/end: [")
]


@pytest.mark.parametrize(("name", "mutate", "message"), BAD_CASES, ids=[x[0] for x in BAD_CASES])
def test_bad_results_are_refused_with_task_and_region(name: str, mutate: Any, message: str) -> None:
    result = to_ls_result(sample(), TEXT)
    bad = copy.deepcopy(result)
    mutate(bad)
    with pytest.raises(InvalidAnnotation) as info:
        from_ls_result(bad, doc(), TAX, author="ali", where="task 7, annotation 3 by ali@example.org")
    text = str(info.value)
    assert text.startswith("task 7, annotation 3 by ali@example.org: invalid annotation")
    assert message in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1398-02-15", NativeDate(year=1398, month=2, day=15)),
        ("1398/2", NativeDate(year=1398, month=2)),
        ("۱۳۹۸-۰۲-?", NativeDate(year=1398, month=2)),
        ("?-02-15", NativeDate(month=2, day=15)),
        ("2020", NativeDate(year=2020)),
        ("-44-03-15", NativeDate(year=-44, month=3, day=15)),
    ],
)
def test_parse_native(text: str, expected: NativeDate) -> None:
    assert parse_native(text) == expected


@given(st.builds(NativeDate, year=st.none() | st.integers(-5000, 5000), month=st.none() | st.integers(1, 12),
                 day=st.none() | st.integers(1, 31)))
def test_native_format_parses_back(native: NativeDate) -> None:
    assert parse_native(format_native(native)) == native


@pytest.mark.parametrize("text", ["", "1398-13", "1398-02-15-1", "tomorrow", "1398--2"])
def test_parse_native_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="year-month-day"):
        parse_native(text)
