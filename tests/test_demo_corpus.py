"""The demo corpus shipped in the package, and its expected dates recomputed with jdatetime and hijridate."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections import Counter
from functools import cache
from importlib import resources
from typing import Any

import jdatetime
import pytest
from hijridate import Gregorian, Hijri

from annotate.corpus.langid import detect_language
from annotate.models import (
    LEXICONS,
    AnnotationSet,
    DateLink,
    DateMention,
    Document,
    freeze_text,
    validate_annotation_set,
)
from annotate.taxonomy import default_taxonomy

DEMO = resources.files("annotate").joinpath("data/demo")
FIELDS = {"id", "lang", "title", "publisher", "reference_date", "text"}


@cache
def _lines() -> tuple[dict[str, Any], ...]:
    raw = DEMO.joinpath("demo.jsonl").read_text(encoding="utf-8")
    return tuple(json.loads(line) for line in raw.splitlines() if line.strip())


@cache
def _expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEMO.joinpath("expected_dates.json").read_text(encoding="utf-8"))
    return data


def _docs() -> dict[str, dict[str, Any]]:
    return {d["id"]: d for d in _lines()}


def _expected_docs() -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = _expected()["documents"]
    return docs


def _dates() -> list[tuple[str, dict[str, Any]]]:
    return [(d["doc_id"], m) for d in _expected_docs() for m in d["dates"]]


_NOT_MODEL_FIELDS = ("occurrence", "anchor", "pinned_by", "part")
"""Keys of expected_dates.json entries that are test bookkeeping, not DateMention fields."""


# --- calendar arithmetic, from the libraries only -------------------------------------------------------------


def _to_gregorian(calendar: str, y: int, m: int, d: int) -> dt.date:
    if calendar == "gregorian":
        return dt.date(y, m, d)
    if calendar == "solar_hijri":
        g = jdatetime.date(y, m, d).togregorian()
        return dt.date(g.year, g.month, g.day)
    h = Hijri(y, m, d).to_gregorian()
    return dt.date(h.year, h.month, h.day)


def _range(calendar: str, granularity: str, y: int, m: int | None, d: int | None) -> tuple[dt.date, dt.date]:
    one = dt.timedelta(days=1)
    if granularity == "day":
        assert m is not None and d is not None
        day = _to_gregorian(calendar, y, m, d)
        return day, day
    if granularity == "month":
        assert m is not None
        nxt = (y + 1, 1) if m == 12 else (y, m + 1)
        return _to_gregorian(calendar, y, m, 1), _to_gregorian(calendar, *nxt, 1) - one
    return _to_gregorian(calendar, y, 1, 1), _to_gregorian(calendar, y + 1, 1, 1) - one


_PART_DAYS = {"early": (1, 10), "mid": (11, 20), "late": (21, None)}
"""Days of a month a part-of-month word names (guidelines §5.4): 1-10, 11-20, 21 to the last."""


def _part(month: tuple[dt.date, dt.date], part: str) -> tuple[dt.date, dt.date]:
    lo, hi = _PART_DAYS[part]
    first, last = month
    return first + dt.timedelta(days=lo - 1), last if hi is None else first + dt.timedelta(days=hi - 1)


def _year_in(calendar: str, day: dt.date) -> int:
    if calendar == "gregorian":
        return day.year
    if calendar == "solar_hijri":
        return int(jdatetime.date.fromgregorian(date=day).year)
    return int(Gregorian(day.year, day.month, day.day).to_hijri().year)


# --- the corpus file -----------------------------------------------------------------------------------------


def test_demo_corpus_parses_into_documents() -> None:
    lines = _lines()
    assert 12 <= len(lines) <= 18
    for i, line in enumerate(lines, 1):
        assert set(line) == FIELDS, f"demo.jsonl line {i}: fields {sorted(line)}"
        assert line["text"] == freeze_text(line["text"]), f"line {i}: text is not frozen"
        doc = Document.create(line["text"], **{k: v for k, v in line.items() if k != "text"})
        assert doc.reference_date is not None
        assert doc.publisher == "annotate demo"


def test_ids_are_unique() -> None:
    ids = [d["id"] for d in _lines()]
    assert len(ids) == len(set(ids))


def test_at_least_four_documents_per_language() -> None:
    counts = Counter(d["lang"] for d in _lines())
    assert set(counts) == {"fa", "prs", "ar"}
    assert min(counts.values()) >= 4


@pytest.mark.parametrize("doc", _lines(), ids=lambda d: d["id"])
def test_each_document_is_a_short_paragraph_in_its_detected_language(doc: dict[str, Any]) -> None:
    assert 60 <= len(doc["text"].split()) <= 150
    guess = detect_language(doc["text"])
    assert guess.lang == doc["lang"], guess.reason


def test_persian_documents_keep_zwnj() -> None:
    for doc in _lines():
        if doc["lang"] in ("fa", "prs"):
            assert "\u200c" in doc["text"], doc["id"]


# --- expected dates ------------------------------------------------------------------------------------------


def test_expected_dates_cover_every_document() -> None:
    assert [d["doc_id"] for d in _expected_docs()] == [d["id"] for d in _lines()]
    for d in _expected_docs():
        assert d["reference_date"] == _docs()[d["doc_id"]]["reference_date"]


@pytest.mark.parametrize(("doc_id", "mention"), _dates(), ids=lambda x: x if isinstance(x, str) else x["id"])
def test_expected_date_is_in_the_text_and_agrees_with_the_calendars(doc_id: str, mention: dict[str, Any]) -> None:
    text = _docs()[doc_id]["text"]
    # occurrence is 0-based in str.find order, as in tests/data/seed_dates.json
    pos = -1
    for _ in range(mention["occurrence"] + 1):
        pos = text.find(mention["text"], pos + 1)
        assert pos >= 0, f"{doc_id}: {mention['text']!r} occurs fewer than {mention['occurrence'] + 1} times"
    assert pos == mention["start"]
    assert text[mention["start"] : mention["end"]] == mention["text"]

    native = mention["native"]
    start, end = _range(mention["calendar"], mention["granularity"], native["year"], native["month"], native["day"])
    if mention.get("pinned_by"):
        # A Hijri day fixed by its linked date: the partner's day, within the Hijri tolerance of Umm al-Qura.
        assert mention["calendar"] == "lunar_hijri"
        partner = next(m for d in _expected_docs() if d["doc_id"] == doc_id for m in d["dates"]
                       if m["id"] == mention["pinned_by"])
        assert mention["gregorian_start"] == mention["gregorian_end"] == partner["gregorian_start"]
        gap = abs((dt.date.fromisoformat(mention["gregorian_start"]) - start).days)
        assert 0 < gap <= _expected()["hijri_tolerance_days"]
    else:
        if mention.get("part"):
            assert mention["granularity"] == "month"
            start, end = _part((start, end), mention["part"])
        assert (mention["gregorian_start"], mention["gregorian_end"]) == (start.isoformat(), end.isoformat())

    DateMention.model_validate({k: v for k, v in mention.items() if k not in _NOT_MODEL_FIELDS})


@pytest.mark.parametrize(("doc_id", "mention"), [x for x in _dates() if x[1]["year_inferred"]],
                         ids=lambda x: x if isinstance(x, str) else x["id"])
def test_inferred_years_follow_the_policy(doc_id: str, mention: dict[str, Any]) -> None:
    ref = dt.date.fromisoformat(_docs()[doc_id]["reference_date"])
    cal, gran, native = mention["calendar"], mention["granularity"], mention["native"]
    y = native["year"]

    def occurrence(year: int) -> tuple[dt.date, dt.date]:
        return _range(cal, gran, year, native["month"], native["day"])

    def neighbour(year: int) -> tuple[dt.date, dt.date]:
        """Another year's occurrence; a day it lacks (30 Esfand in a common year) is placed out of reach."""
        try:
            return occurrence(year)
        except ValueError:
            far = dt.date(1, 1, 1) if year < y else dt.date(9999, 12, 31)
            return far, far

    start, end = occurrence(y)
    anchor = mention["anchor"]
    if anchor == "current":
        assert start == end == ref
    elif anchor == "this_year":
        assert y == _year_in(cal, ref)
    elif anchor == "last_year":
        assert y == _year_in(cal, ref) - 1
    elif anchor == "past":
        assert start <= ref < occurrence(y + 1)[0]
    elif anchor == "future":
        assert occurrence(y - 1)[1] < ref <= end
    elif anchor == "context":
        # The occurrence nearest the last mention with a written year before it in the same paragraph.
        text = _docs()[doc_id]["text"]
        earlier = [m for d in _expected_docs() if d["doc_id"] == doc_id for m in d["dates"]
                   if not m["year_inferred"] and m["end"] <= mention["start"]
                   and "\n" not in text[m["end"]:mention["start"]]]
        assert earlier, "a context year needs a dated mention before it in the paragraph"
        last = earlier[-1]
        ctx = (dt.date.fromisoformat(last["gregorian_start"]), dt.date.fromisoformat(last["gregorian_end"]))

        def gap(r: tuple[dt.date, dt.date]) -> int:
            return 0 if r[0] <= ctx[1] and ctx[0] <= r[1] else min(abs((r[0] - ctx[1]).days), abs((ctx[0] - r[1]).days))

        assert gap((start, end)) <= min(gap(neighbour(y - 1)), gap(neighbour(y + 1)))
    else:
        assert anchor == "nearest"

        def distance(r: tuple[dt.date, dt.date]) -> int:
            return 0 if r[0] <= ref <= r[1] else min(abs((r[0] - ref).days), abs((r[1] - ref).days))

        assert distance((start, end)) <= min(distance(neighbour(y - 1)), distance(neighbour(y + 1)))


def test_mentions_with_a_written_year_have_no_anchor() -> None:
    for doc_id, m in _dates():
        assert (m["anchor"] is None) == (not m["year_inferred"]), f"{doc_id} {m['id']}"


def _link_is_consistent(a: dict[str, Any], b: dict[str, Any], tolerance: int) -> bool:
    def days(x: str, y: str) -> int:
        return abs((dt.date.fromisoformat(x) - dt.date.fromisoformat(y)).days)

    gap = max(days(a["gregorian_start"], b["gregorian_start"]), days(a["gregorian_end"], b["gregorian_end"]))
    hijri = "lunar_hijri" in (a["calendar"], b["calendar"])
    return gap <= tolerance if hijri else gap == 0


def test_links_have_the_consistency_the_calendars_give() -> None:
    tolerance = _expected()["hijri_tolerance_days"]
    for doc in _expected_docs():
        by_id = {m["id"]: m for m in doc["dates"]}
        for link in doc["links"]:
            a, b = by_id[link["source"]], by_id[link["target"]]
            assert link["consistent"] == _link_is_consistent(a, b, tolerance), f"{doc['doc_id']} {link}"
            if not link["consistent"]:
                assert link["reason"]


def test_exactly_one_deliberate_inconsistent_pair() -> None:
    bad = [(d["doc_id"], link) for d in _expected_docs() for link in d["links"] if not link["consistent"]]
    assert len(bad) == 1
    doc_id, link = bad[0]
    by_id = {m["id"]: m for d in _expected_docs() if d["doc_id"] == doc_id for m in d["dates"]}
    assert {by_id[link["source"]]["text"], by_id[link["target"]]["text"]} == {"التاسع من يناير", "كانون الأول"}


@pytest.mark.parametrize("expected", _expected_docs(), ids=lambda d: d["doc_id"])
def test_expected_annotations_validate_against_the_model(expected: dict[str, Any]) -> None:
    line = _docs()[expected["doc_id"]]
    doc = Document.create(line["text"], **{k: v for k, v in line.items() if k != "text"})
    aset = AnnotationSet(
        doc_id=doc.id,
        author="demo",
        dates=[DateMention.model_validate({k: v for k, v in m.items() if k not in _NOT_MODEL_FIELDS})
               for m in expected["dates"]],
        links=[DateLink(id=f"l{i}", **link) for i, link in enumerate(expected["links"], 1)],
    )
    validate_annotation_set(aset, doc, default_taxonomy())


WEEKDAY = ("شنبه|یکشنبه|یک\u200cشنبه|دوشنبه|سه\u200cشنبه|چهارشنبه|پنجشنبه|پنج\u200cشنبه|جمعه|"
           "السبت|الأحد|الاثنين|الإثنين|الثلاثاء|الأربعاء|الخميس|الجمعة")


@pytest.mark.parametrize("expected", _expected_docs(), ids=lambda d: d["doc_id"])
def test_date_extents_follow_the_weekday_and_preposition_convention(expected: dict[str, Any]) -> None:
    """روز/يوم/اليوم written before a weekday is inside the span; prepositions and modifiers are outside."""
    text = _docs()[expected["doc_id"]]["text"]
    for m in expected["dates"]:
        before = text[: m["start"]]
        if re.match(f"(?:{WEEKDAY})(?!\\S)", m["text"]):
            assert not re.search(r"(?:روز|يوم|اليوم) $", before), f"{m['text']!r}: its روز/يوم is left outside"
        assert not re.match(r"(?:در|از|تا|في|منذ|اوایل|اواخر|أواخر|متم) ", m["text"]), m["text"]
        assert not re.search(r"\s$|^\s", m["text"]), m["text"]


@pytest.mark.parametrize("expected", _expected_docs(), ids=lambda d: d["doc_id"])
def test_traps_are_in_the_text_and_outside_every_date(expected: dict[str, Any]) -> None:
    text = _docs()[expected["doc_id"]]["text"]
    for trap in expected["not_dates"]:
        assert text[trap["start"] : trap["end"]] == trap["text"]
        for m in expected["dates"]:
            assert trap["end"] <= m["start"] or trap["start"] >= m["end"], (trap["text"], m["text"])


@pytest.mark.parametrize("expected", _expected_docs(), ids=lambda d: d["doc_id"])
def test_entity_and_event_hints_use_taxonomy_types(expected: dict[str, Any]) -> None:
    text = _docs()[expected["doc_id"]]["text"]
    taxonomy = default_taxonomy()
    assert expected["entities"] and expected["events"]
    for e in expected["entities"]:
        assert taxonomy.has_entity_type(e["type"]) and e["text"] in text
    for ev in expected["events"]:
        assert taxonomy.event_type(ev["type"]) is not None and ev["trigger"] in text


# --- coverage: the corpus shows every calendar, month-name set and feature --------------------------------------


def test_every_calendar_granularity_and_month_name_set_is_used() -> None:
    mentions = [m for _, m in _dates()]
    assert {m["calendar"] for m in mentions} == {"gregorian", "solar_hijri", "lunar_hijri"}
    assert {m["granularity"] for m in mentions} == {"day", "month", "year"}
    required = {"fa-IR", "fa-AF", "solar-IR", "solar-AF", "ar-EG", "ar-SY", "ar-DZ", "ar-MA", "hijri", "numeric",
                "none"}
    used = {m["lexicon"] for m in mentions}
    assert required <= used <= set(LEXICONS)


@pytest.mark.parametrize(
    ("feature", "pattern"),
    [
        ("Persian digits", "[۰-۹]"),
        ("Arabic-Indic digits", "[٠-٩]"),
        ("ASCII digits", "[0-9]"),
        ("Iranian solar month with ماه", "(مرداد|تیر|اردیبهشت)\u200c?ماه"),
        ("numeric Solar Hijri date", r"^[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2}$"),
        ("Arabic numeric DD/MM/YYYY", r"^\d{2}/\d{2}/\d{4}$"),
        ("برج before an Afghan month", "^برج "),
        ("Hijri era marker", "هـ$"),
        ("ordinal day word", "^(سوم|دهم|بیستم|سیزدهم|الخامس|الثالث|التاسع|العاشر) "),
        ("relative marker", "(امسال|گذشته|الماضي|المقبل)$"),
        ("ZWNJ inside a date", "\u200c"),
        ("Persian Hijri spelling", "ذی\u200cالحجه"),
        ("Arabic Hijri spelling", "ربيع الأول"),
        ("Levantine name", "^(شباط|كانون|آب|تشرين)|الثالث من كانون"),
    ],
)
def test_corpus_shows_feature(feature: str, pattern: str) -> None:
    assert any(re.search(pattern, m["text"]) for _, m in _dates()), feature


@pytest.mark.parametrize(
    ("feature", "pattern"),
    [
        ("G (S) apposition", r"[۰-۹]+ [^\s()]+ [۰-۹]{4} \([۰-۹]+ [^\s()]+ [۰-۹]{4}\)|[۰-۹]+ ژوئیه \(۳ مرداد\)"),
        ("الموافق apposition", "الموافق"),
        ("برابر با apposition", "برابر با"),
        ("dual month name", "شباط/فبراير"),
        ("the source-error pair", "يناير/كانون الأول"),
        ("trap: خبرگزاری مهر", "خبرگزاری مهر"),
        ("trap: جدی meaning serious", "تهدیدی? جدی"),
        ("trap: میزان meaning amount", "میزان (تقاضا|بارش)"),
        ("trap: آب meaning water", "آب (شیرین|و انرژی)"),
    ],
)
def test_corpus_text_shows_feature(feature: str, pattern: str) -> None:
    assert any(re.search(pattern, d["text"]) for d in _lines()), feature


def test_links_join_adjacent_mentions_and_use_every_apposition_cue() -> None:
    """Each link joins neighbours, or two mentions of one chain of linked neighbours (a dateline in three
    calendars links every pair), and the corpus uses every kind of cue."""
    cues = {"الموافق": 0, "برابر با": 0, "/": 0, "(": 0, "مصادف با": 0, "یعنی": 0, "مطابق به": 0, "الموافق لـ": 0,
            "ويوافق": 0, "|": 0, ":": 0}
    for doc in _expected_docs():
        text = _docs()[doc["doc_id"]]["text"]
        by_id = {m["id"]: m for m in doc["dates"]}
        pairs = [sorted((by_id[lk["source"]], by_id[lk["target"]]), key=lambda m: m["start"]) for lk in doc["links"]]
        adjacent = {(a["id"], b["id"]) for a, b in pairs if len(text[a["end"]:b["start"]]) <= 14}
        for a, b in pairs:
            between = text[a["end"] : b["start"]]
            if (a["id"], b["id"]) not in adjacent:
                middle = [m for m in doc["dates"] if a["end"] <= m["start"] and m["end"] <= b["start"]]
                chain = [a, *sorted(middle, key=lambda m: m["start"]), b]
                assert all((x["id"], y["id"]) in adjacent for x, y in itertools.pairwise(chain)), (
                    f"{doc['doc_id']}: linked mentions far apart: {between!r}")
                continue
            for cue in cues:
                cues[cue] += cue in between
    assert all(cues.values()), cues


def test_readme_lists_every_document_date_and_value() -> None:
    readme = DEMO.joinpath("README.md").read_text(encoding="utf-8")
    for doc in _expected_docs():
        assert f"`{doc['doc_id']}`" in readme
        for m in doc["dates"]:
            row = f"| {m['id']} | {m['text']} | {m['calendar']} | {m['lexicon']} | {m['granularity']} |"
            assert row in readme, row
            assert m["gregorian_start"] in readme


def test_guidelines_cover_the_taxonomy_the_lexicons_and_the_demo_source_error() -> None:
    from pathlib import Path

    guidelines = (Path(__file__).resolve().parents[1] / "guidelines.md").read_text(encoding="utf-8")
    assert re.search(r"^Guidelines version: \d+\.\d+\.\d+$", guidelines, re.MULTILINE)
    taxonomy = default_taxonomy()
    for et in taxonomy.entity_types:
        assert f"### {et.name} " in guidelines and f"(`{et.hotkey}`)" in guidelines, et.name
    for ev in taxonomy.event_types:
        assert f"| {ev.name} (`{ev.hotkey}`) |" in guidelines, ev.name
        for role in ev.roles:
            assert role.name in guidelines, f"{ev.name}.{role.name}"
    for lexicon in LEXICONS:
        assert f"`{lexicon}`" in guidelines, lexicon
    assert "يناير/كانون الأول" in guidelines
