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

from annotate.annotation.editing import UNRECOGNISED_NOTE
from annotate.dates import extract_dates, normalize_native
from annotate.errors import InvalidAnnotation, InvalidDate
from annotate.labelstudio import config as c
from annotate.labelstudio.convert import (
    READ_NOTE,
    format_native,
    parse_native,
    read_ls_result,
    to_ls_result,
)
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
    Modality,
    NativeDate,
    Polarity,
    Tense,
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
    back = read_ls_result(result, doc, TAX, author=aset.author, where="test").aset
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
    back = read_ls_result(result, doc, TAX, author=aset.author, where="test").aset
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
    assert gpe["from_name"] == c.LABELS and gpe["value"]["labels"] == ["GPE"]
    back = read_ls_result(result, doc(), TAX, author="ali", where="task 7").aset
    assert layers(back) == layers(aset)


def test_an_offset_counted_in_utf16_units_is_refused_not_guessed() -> None:
    """One unit more per emoji is what a UTF-16 count gives, and also a plain off-by-one: never accepted."""
    result = to_ls_result(sample(), TEXT)
    gpe = next(x for x in result if x.get("id") == "e2" and x["type"] == "labels")
    gpe["value"]["start"] += 1
    gpe["value"]["end"] += 1
    with pytest.raises(InvalidAnnotation, match=r"region 'e2' value\.text: 'بغداد' does not match"):
        read_ls_result(result, doc(), TAX, author="ali", where="task 7")


def test_gregorian_range_is_recomputed_not_trusted() -> None:
    aset = sample()
    result = to_ls_result(aset, TEXT)
    for item in result:
        if item.get("id") == "d1" and item.get("from_name") == c.NATIVE:
            item["value"]["text"] = ["1398-11"]
    back = read_ls_result(result, doc(), TAX, author="ali", where="task 7").aset
    d1 = back.dates[0]
    assert (d1.granularity, d1.gregorian_start, d1.gregorian_end) == (
        Granularity.month, date(2020, 1, 21), date(2020, 2, 19))


def test_link_drawn_in_label_studio_gets_an_id_and_a_consistency_check() -> None:
    aset = sample()
    result = to_ls_result(aset, TEXT)
    link = next(x for x in result if x.get("labels") == [c.SAME_DATE])
    del link["meta"]
    link["labels"] = [c.SAME_DATE_INCONSISTENT]  # the label says nothing: the engine decides
    for item in result:
        if item.get("id") == "d2" and item.get("from_name") == c.NATIVE:
            item["value"]["text"] = ["2020-01-31"]
    back = read_ls_result(result, doc(), TAX, author="ali", where="task 7").aset
    assert back.links[0].id == "ln-d1-d2"
    assert back.links[0].consistent is False and back.links[0].reason


def test_label_studio_region_ids_that_break_our_id_rules_are_renamed_consistently() -> None:
    aset = sample()
    result = to_ls_result(aset, TEXT)
    for item in result:
        for key in ("id", "from_id", "to_id"):
            if item.get(key) == "e1":
                item[key] = "_x-9"
    back = read_ls_result(result, doc(), TAX, author="ali", where="task 7").aset
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
    ("offset shifted", lambda r: _mutate(r, "e2", c.LABELS, ("value", "start"), span("بغداد")["start"] + 1),
     "region 'e2' value.text: 'بغداد' does not match the document text"),
    ("unknown label", lambda r: _mutate(r, "e1", c.LABELS, ("value", "labels"), ["WEAPON"]),
     "region 'e1' value.labels: unknown label 'WEAPON'; entity types: PER, ORG"),
    ("two labels on a region", lambda r: _mutate(r, "e1", c.LABELS, ("value", "labels"), ["PER", "DATE"]),
     "region 'e1': the region has 2 labels (PER, DATE); keep one"),
    ("two labels from the old config", lambda r: r.append(
        {"id": "d1", "from_name": c.ENTITY, "to_name": "text", "type": "labels",
         "value": {**span("۱۰ بهمن 1398"), "labels": ["PER"]}}),
     "region 'd1': the region has 2 labels (DATE, PER); keep one (with the region selected, the label's hotkey"),
    ("unknown entity type (old config)", lambda r: r.append(
        {"id": "x1", "from_name": c.ENTITY, "to_name": "text", "type": "labels",
         "value": {**span("رسید"), "labels": ["WEAPON"]}}),
     "region 'x1' value.labels: unknown entity type 'WEAPON'"),
    ("unknown event type (old config)", lambda r: r.append(
        {"id": "x1", "from_name": c.TRIGGER, "to_name": "text", "type": "labels",
         "value": {**span("رسید"), "labels": ["PER"]}}),
     "region 'x1' value.labels: unknown event type 'PER'"),
    ("dangling relation", lambda r: r.append({"from_id": "ev1", "to_id": "gone", "type": "relation",
                                              "direction": "right", "labels": ["place"]}),
     "relation 'ev1' -> 'gone': dangling relation: to_id 'gone' is not a region"),
    ("dangling per-region value", lambda r: r.append({"id": "gone", "from_name": c.NOTE, "to_name": "text",
                                                      "type": "textarea", "value": {"text": ["x"]}}),
     "region 'gone' note: refers to a region that is not in the result"),
    ("role not of the event", lambda r: r.append({"from_id": "ev1", "to_id": "e2", "type": "relation",
                                                  "direction": "right", "labels": ["victim"]}),
     "'victim' cannot join DEPLOYMENT 'رسید' and GPE 'بغداد' (labels that fit: actor, destination)"),
    ("role wrong target", lambda r: r.append({"from_id": "ev1", "to_id": "d2", "type": "relation",
                                              "direction": "right", "labels": ["destination"]}),
     "'destination' cannot join DEPLOYMENT 'رسید' and DATE '30 January 2020' (labels that fit: time)"),
    ("same_date on an entity", lambda r: r.append({"from_id": "d1", "to_id": "e2", "type": "relation",
                                                   "direction": "right", "labels": [c.SAME_DATE]}),
     "'same_date' cannot join DATE '۱۰ بهمن 1398' and GPE 'بغداد' (no relation joins these two)"),
    ("same_date between a trigger and a person", lambda r: r.append(
        {"from_id": "ev1", "to_id": "e1", "type": "relation", "direction": "right", "labels": [c.SAME_DATE]}),
     "'same_date' cannot join DEPLOYMENT 'رسید' and PER 'قاسم\u200cسلیمانی' (labels that fit: actor)"),
    ("relation without label, two fit", lambda r: r.append({"from_id": "ev1", "to_id": "e2", "type": "relation",
                                                            "direction": "right"}),
     "the relation between DEPLOYMENT 'رسید' and GPE 'بغداد' has no label; choose one of actor, destination"),
    ("relation with two labels", lambda r: r.append({"from_id": "ev1", "to_id": "e2", "type": "relation",
                                                     "direction": "right", "labels": ["actor", "destination"]}),
     "give the relation one label, got ['actor', 'destination']"),
    ("unknown calendar", lambda r: _mutate(r, "d1", c.CALENDAR, ("value", "choices"), ["Julian"]),
     "region 'd1' calendar: unknown choice 'Julian'"),
    ("unknown month-name set", lambda r: _mutate(r, "d1", c.LEXICON, ("value", "taxonomy"), [["Julian"]]),
     "region 'd1' lexicon: unknown choice 'Julian'"),
    ("bad native", lambda r: _mutate(r, "d1", c.NATIVE, ("value", "text"), ["next tuesday"]),
     "region 'd1' native: 'next tuesday' is not a native date"),
    ("impossible native", lambda r: _mutate(r, "d1", c.NATIVE, ("value", "text"), ["1398-07-31"]),
     "region 'd1' native: 1398-07-31 (solar_hijri)"),
    ("unknown control", lambda r: r.append({"id": "d1", "from_name": "sentiment", "to_name": "text",
                                            "type": "choices", "value": {"choices": ["x"]}}),
     "unknown control 'sentiment'"),
    ("unknown modality", lambda r: _mutate(r, "ev1", c.MODALITY, ("value", "choices"), ["planned"]),
     "region 'ev1' modality: unknown choice 'planned'; expected one of asserted, other"),
    ("two tenses", lambda r: _mutate(r, "ev1", c.TENSE, ("value", "choices"), ["past", "future"]),
     "region 'ev1' tense: choose exactly one, got ['past', 'future']"),
    ("polarity given twice", lambda r: r.append({"id": "ev1", "from_name": c.POLARITY, "to_name": "text",
                                                  "type": "choices", "value": {"choices": ["negative"]}}),
     "region 'ev1' polarity: given twice for the region"),
    ("offset past the end", lambda r: _mutate(r, "e2", c.LABELS, ("value", "end"), 10_000),
     "region 'e2' value.start/end: [")
]


@pytest.mark.parametrize(("name", "mutate", "message"), BAD_CASES, ids=[x[0] for x in BAD_CASES])
def test_bad_results_are_refused_with_task_and_region(name: str, mutate: Any, message: str) -> None:
    result = to_ls_result(sample(), TEXT)
    bad = copy.deepcopy(result)
    mutate(bad)
    with pytest.raises(InvalidAnnotation) as info:
        read_ls_result(bad, doc(), TAX, author="ali", where="task 7, annotation 3 by ali@example.org")
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


# --- what a pull completes: plain DATE regions, unlabelled relations, values on the wrong region -------------


TEXT2 = "نشست در ۳۱ ژانویه ۲۰۲۰ برگزار شد."


def doc2() -> Document:
    return Document.create(TEXT2, lang="fa", id="doc-2")


def plain(rid: str, s: str, label: str = c.DATE_LABEL, text: str = TEXT) -> dict[str, Any]:
    """A region as Label Studio's editor saves one drawn with a label and nothing else."""
    i = text.index(s)
    return {"id": rid, "from_name": c.LABELS, "to_name": c.TEXT, "type": "labels", "origin": "manual",
            "value": {"start": i, "end": i + len(s), "text": s, "labels": [label]}}


def field_(rid: str, name: str, values: list[str]) -> dict[str, Any]:
    ctl = c.CONTROLS_BY_NAME[name]
    payload = [[v] for v in values] if ctl.kind == "taxonomy" else values
    return {"id": rid, "from_name": name, "to_name": c.TEXT, "type": ctl.kind, "value": {ctl.value_key: payload}}


def read(result: list[dict[str, Any]], document: Document | None = None) -> Any:
    return read_ls_result(result, document or doc(), TAX, author="ali", where="task 7")


def test_a_plain_date_region_is_read_by_the_engine_and_noted() -> None:
    got = read([plain("R1", "۱۰ بهمن 1398")])
    (d,) = got.aset.dates
    engine = next(m for m in extract_dates(TEXT, "fa").mentions if m.text == "۱۰ بهمن 1398")
    assert (d.id, d.calendar, d.lexicon, d.native, d.gregorian_start, d.gregorian_end) == (
        "R1", engine.calendar, engine.lexicon, engine.native, engine.gregorian_start, engine.gregorian_end)
    assert (d.calendar, d.gregorian_start) == (Calendar.solar_hijri, date(2020, 1, 30))
    assert d.note is not None and READ_NOTE in d.note and "calendar, month-name set, value" in d.note
    assert got.flagged == []
    (note,) = got.notes
    assert not note.flagged
    assert note.text.startswith("region 'R1': calendar, month-name set, value read by the date engine: solar_hijri "
                                "1398-11-10 = 2020-01-30")


def test_a_date_with_calendar_and_month_names_gets_its_value_from_the_engine() -> None:
    """What the editor requires (calendar and month-name set) without the native value."""
    got = read([plain("R1", "۳۱ ژانویه ۲۰۲۰", text=TEXT2), field_("R1", c.CALENDAR, ["gregorian"]),
                field_("R1", c.LEXICON, ["fa-AF"])], doc2())
    (d,) = got.aset.dates
    assert (d.lexicon, d.native, d.gregorian_start) == ("fa-AF", NativeDate(year=2020, month=1, day=31),
                                                        date(2020, 1, 31))
    assert d.note == f"value {READ_NOTE}" and got.flagged == []


def test_a_date_region_wider_than_the_date_is_read_inside() -> None:
    got = read([plain("R1", "در ۱۰ بهمن 1398")])
    (d,) = got.aset.dates
    assert (d.text, d.gregorian_start) == ("در ۱۰ بهمن 1398", date(2020, 1, 30))
    assert "in '۱۰ بهمن 1398'" in got.notes[0].text


def test_a_date_the_engine_cannot_read_is_stored_without_a_value_and_flagged() -> None:
    got = read([plain("R1", "بغداد"), plain("e1", "قاسم\u200cسلیمانی", "PER")])
    (d,) = got.aset.dates
    assert (d.native, d.gregorian_start, d.gregorian_end) == (NativeDate(), None, None)
    assert d.note is not None and UNRECOGNISED_NOTE in d.note and "calendar gregorian" in d.note
    assert got.flagged == ["R1"] and [e.id for e in got.aset.entities] == ["e1"]
    assert "flagged for review (the date engine cannot read it)" in got.notes[0].text and got.notes[0].flagged


def test_a_calendar_the_engine_disagrees_with_keeps_the_annotators_choice_and_is_flagged() -> None:
    got = read([plain("R1", "۳۱ ژانویه ۲۰۲۰", text=TEXT2), field_("R1", c.CALENDAR, ["solar_hijri"])], doc2())
    (d,) = got.aset.dates
    assert (d.calendar, d.native, d.gregorian_start) == (Calendar.solar_hijri, NativeDate(), None)
    assert d.lexicon == "fa-IR"  # the month names the engine read are kept
    assert got.flagged == ["R1"] and "the engine reads a gregorian date here, not solar_hijri" in got.notes[-1].text


def test_an_explicit_question_mark_is_no_value_and_not_read() -> None:
    got = read([plain("R1", "۱۰ بهمن 1398"), field_("R1", c.CALENDAR, ["solar_hijri"]),
                field_("R1", c.LEXICON, ["solar-IR"]), field_("R1", c.NATIVE, ["?"]),
                field_("R1", c.GRANULARITY, ["month"])])
    (d,) = got.aset.dates
    assert (d.native, d.granularity, d.gregorian_start, d.note) == (NativeDate(), Granularity.month, None, None)
    assert got.notes == [] and got.flagged == []


def test_a_typed_value_without_calendar_takes_the_engines_calendar() -> None:
    got = read([plain("R1", "۱۰ بهمن 1398"), field_("R1", c.NATIVE, ["1398-11-11"])])
    (d,) = got.aset.dates
    assert (d.calendar, d.native.day, d.gregorian_start) == (Calendar.solar_hijri, 11, date(2020, 1, 31))
    assert got.flagged == [] and "calendar, month-name set read by the date engine" in got.notes[0].text


def test_a_date_field_on_an_entity_is_dropped_with_a_note() -> None:
    got = read([plain("e1", "قاسم\u200cسلیمانی", "PER"), field_("e1", c.CALENDAR, ["gregorian"])])
    assert [e.id for e in got.aset.entities] == ["e1"] and got.aset.dates == []
    assert [n.text for n in got.notes] == [
        "region 'e1' calendar: dropped: calendar belongs to date regions, and this region is PER"]


@pytest.mark.parametrize(("target", "role"), [("e1", "actor"), ("d2", "time")])
def test_a_relation_without_label_gets_the_one_label_that_fits(target: str, role: str) -> None:
    result = to_ls_result(sample(), TEXT)
    result.append({"from_id": target, "to_id": "ev1", "type": "relation", "direction": "right", "labels": []})
    aset = sample()
    aset.events[0].arguments = [a for a in aset.events[0].arguments if a.ref != target]
    trimmed = [x for x in result if not (x.get("type") == "relation" and x.get("from_id") == "ev1"
                                         and x.get("to_id") == target)]
    got = read(trimmed)
    assert EventArgument(role=role, ref=target) in got.aset.events[0].arguments
    assert [n.text for n in got.notes] == [f"relation '{target}' -> 'ev1': labelled {role}, the only label that joins "
                         + ("PER 'قاسم\u200cسلیمانی' and DEPLOYMENT 'رسید'" if target == "e1" else
                            "DATE '30 January 2020' and DEPLOYMENT 'رسید'")]


def test_an_inconsistent_link_is_shown_as_such() -> None:
    aset = sample()
    aset.links[0] = DateLink(id="l1", source="d1", target="d2", consistent=False, reason="30 vs 31")
    result = to_ls_result(aset, TEXT)
    (rel,) = [x for x in result if x.get("type") == "relation" and x["from_id"] == "d1"]
    assert rel["labels"] == [c.SAME_DATE_INCONSISTENT]
    metas = {x["id"]: x.get("meta") for x in result if x["type"] == "labels"}
    assert metas["d1"] == {"text": ["same_date with '30 January 2020' is inconsistent: 30 vs 31"]}
    assert metas["d2"] == {"text": ["same_date with '۱۰ بهمن 1398' is inconsistent: 30 vs 31"]}
    assert metas["e1"] is None
    assert layers(read(result).aset) == layers(aset)


def test_results_of_the_earlier_config_are_read_the_same() -> None:
    """One <Labels> per kind and the month-name set as <Choices>: annotations made before the change."""
    kinds = {"e1": c.ENTITY, "e2": c.ENTITY, "d1": c.DATE, "d2": c.DATE, "ev1": c.TRIGGER}
    old = []
    for item in to_ls_result(sample(), TEXT):
        item = copy.deepcopy(item)
        if item.get("type") == "labels":
            item["from_name"] = kinds[item["id"]]
        elif item.get("from_name") == c.LEXICON:
            item["type"], item["value"] = "choices", {"choices": [p[0] for p in item["value"]["taxonomy"]]}
        elif item.get("labels") == [c.SAME_DATE_INCONSISTENT]:
            item["labels"] = [c.SAME_DATE]
        old.append(item)
    assert layers(read(old).aset) == layers(sample())


@settings(max_examples=60, deadline=None)
@given(documents(), st.data())
def test_plain_date_regions_never_refuse_the_annotation(document: Document, data: st.DataObject) -> None:
    """Whatever text a DATE region covers, a label alone is stored: read by the engine, or flagged."""
    text = document.text
    regions = []
    for i in range(data.draw(st.integers(1, 4))):
        start = data.draw(st.integers(0, len(text) - 1))
        end = data.draw(st.integers(start + 1, min(len(text), start + 25)))
        regions.append({"id": f"R{i}", "from_name": c.LABELS, "to_name": c.TEXT, "type": "labels",
                        "value": {"start": start, "end": end, "text": text[start:end], "labels": ["DATE"]}})
    got = read_ls_result(regions, document, TAX, author="ali", where="fuzz")
    assert [d.id for d in got.aset.dates] == [r["id"] for r in regions]
    for d in got.aset.dates:
        assert text[d.start:d.end] == d.text
        assert d.note is not None and (READ_NOTE in d.note or UNRECOGNISED_NOTE in d.note)
        assert (d.id in got.flagged) == (UNRECOGNISED_NOTE in d.note)


def test_event_attributes_travel_as_one_choice_each_and_read_back() -> None:
    aset = sample()
    aset.events[0] = aset.events[0].model_copy(
        update={"modality": Modality.other, "polarity": Polarity.negative, "tense": Tense.future})
    result = to_ls_result(aset, TEXT)
    chosen = {x["from_name"]: x["value"]["choices"] for x in result
              if x.get("id") == "ev1" and x["from_name"] in c.EVENT_ATTRIBUTE_FIELDS}
    assert chosen == {"modality": ["other"], "polarity": ["negative"], "tense": ["future"]}
    assert all(x["type"] == "choices" for x in result if x.get("from_name") in chosen)
    (ev,) = read(result).aset.events
    assert ev.attributes() == {"modality": "other", "polarity": "negative", "tense": "future"}


def test_an_event_without_attribute_choices_reads_as_asserted_positive_unspecified() -> None:
    """What an annotator who never opens the fields submits, and what annotations made before them hold."""
    result = [x for x in to_ls_result(sample(), TEXT) if x.get("from_name") not in c.EVENT_ATTRIBUTE_FIELDS]
    (ev,) = read(result).aset.events
    assert ev.attributes() == {"modality": "asserted", "polarity": "positive", "tense": "unspecified"}


def test_an_attribute_chosen_on_a_date_is_dropped_with_a_note() -> None:
    result = to_ls_result(sample(), TEXT)
    result.append({"id": "d1", "from_name": c.MODALITY, "to_name": "text", "type": "choices",
                   "value": {**{k: span("۱۰ بهمن 1398")[k] for k in ("start", "end")}, "choices": ["other"]}})
    got = read(result)
    assert layers(got.aset) == layers(sample())
    assert any("modality belongs to trigger regions" in n.text for n in got.notes)
