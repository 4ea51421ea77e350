"""Checks the real-forms date case table itself (``tests/data/dates_real_forms.jsonl``), not the engine.

The table (issue 13) holds fa/prs/ar news sentences written in the forms real articles use, with gold date
mentions and ``same_date`` links.  ``tests/data/dates_real_forms.md`` describes the fields and categories.
This module re-derives every value independently of the date engine, with jdatetime (Solar Hijri),
hijridate (Umm al-Qura) and datetime, so a mistyped native date, a wrong offset, an unlinked "pinned" Hijri
day or a link whose consistency flag contradicts its two values fails here, naming the sentence.
Scoring the engine against the table is a separate test.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import jdatetime
import pytest
from hijridate import Gregorian, Hijri

from annotate.models import LEXICONS, Calendar, Granularity

TABLE = Path(__file__).resolve().parent / "data" / "dates_real_forms.jsonl"
RECORDS: list[dict[str, Any]] = [
    json.loads(line) for line in TABLE.read_text(encoding="utf-8").splitlines() if line.strip()
]
IDS = [r["id"] for r in RECORDS]

LANGS = {"fa", "prs", "ar"}
POLICIES = {"written", "nearest", "past", "future", "context", "tense", "ref", "relative", "pair"}
MENTION_CATEGORIES = {
    "full_date", "weekday_date", "dateline_date", "today_word", "weekday_only", "hijri_sighted",
    "year_nearest", "year_context", "year_relative_phrase", "year_historical", "year_tense", "year_pair",
    "year_shared_after_pair", "two_digit_year", "bare_year", "year_after_preposition", "year_in_words",
    "month_name_set", "levantine_solar_year", "compound_ordinal", "cardinal_day_word", "ordinal_day_word",
    "ghurra", "last_day", "dari_ordinal_suffix", "numeric_spaced", "numeric_dd_mm", "numeric_mm_yyyy",
    "numeric_yyyy_mm_dd", "numeric_dd_mm_yyyy", "numeric_weekday", "part_of_month", "relative_month",
    "relative_year", "hijri_month_gregorian_year", "dual_month_name", "month_year", "deictic_date",
    "range_end", "list_item", "invalid_date", "weekday_mismatch",
}
LINK_KINDS = {"connector", "paren", "slash", "dateline", "apposition", "copula", "dual_name"}
LINK_TAGS = {"triple", "hijri_pm1", "hijri_pm2", "today_apposition", "year_shared_after_pair", "overlap_equivalence"}
SENTENCE_TAGS = {"no_link_range", "no_link_list", "no_link_equal", "no_link_cross_calendar", "linebreak",
                 "year_tense", "historical_arithmetic"}
PARTS = {"early", "mid", "late", "start", "end"}
WEEKDAYS = {"Mon": 0, "Tue": 1, "Wed": 2, "Thu": 3, "Fri": 4, "Sat": 5, "Sun": 6}

# What issue 13 asks the table to cover: every connector, and every value form it lists.
REQUIRED_CUES = {"برابر با", "مطابق با", "مصادف با", "معادل", "یعنی", "=", "الموافق", "الموافق لـ", "الذي يوافق",
                 "ويوافق", "بتاريخ"}
REQUIRED_CATEGORIES = {
    "dateline_date", "today_word", "hijri_sighted", "year_context", "year_relative_phrase", "year_historical",
    "year_tense", "two_digit_year", "bare_year", "year_after_preposition", "year_in_words", "month_name_set",
    "levantine_solar_year", "compound_ordinal", "cardinal_day_word", "ghurra", "last_day", "dari_ordinal_suffix",
    "numeric_spaced", "numeric_dd_mm", "numeric_mm_yyyy", "numeric_yyyy_mm_dd", "numeric_weekday",
    "part_of_month", "relative_month", "relative_year", "hijri_month_gregorian_year", "dual_month_name",
    "year_shared_after_pair", "range_end", "list_item",
}
REQUIRED_LINK_KINDS = {"connector", "paren", "dateline", "apposition", "dual_name", "copula"}
REQUIRED_SENTENCE_TAGS = {"no_link_range", "no_link_list", "no_link_cross_calendar", "linebreak"}
TARGET_SENTENCES, TARGET_LINKS, TARGET_PER_LANG, TARGET_TRAPS = 170, 70, 50, 25


def _day(cal: str, y: int, m: int, d: int) -> dt.date:
    if cal == Calendar.gregorian:
        return dt.date(y, m, d)
    if cal == Calendar.solar_hijri:
        day: dt.date = jdatetime.date(y, m, d).togregorian()
        return day
    return dt.date(*Hijri(y, m, d).to_gregorian().datetuple())


def _month_len(cal: str, y: int, m: int) -> int:
    if cal == Calendar.gregorian:
        return _calendar.monthrange(y, m)[1]
    if cal == Calendar.lunar_hijri:
        return int(Hijri(y, m, 1).month_length())
    return (_day(cal, y + (m == 12), m % 12 + 1, 1) - _day(cal, y, m, 1)).days


def native_range(cal: str, y: int, m: int | None, d: int | None) -> tuple[dt.date, dt.date]:
    """The inclusive Gregorian range of a native day, month or year."""
    if d is not None:
        assert m is not None
        day = _day(cal, y, m, d)
        return day, day
    if m is not None:
        return _day(cal, y, m, 1), _day(cal, y, m, _month_len(cal, y, m))
    return _day(cal, y, 1, 1), _day(cal, y, 12, _month_len(cal, y, 12))


def native_year_of(cal: str, day: dt.date) -> tuple[int, int]:
    if cal == Calendar.gregorian:
        return day.year, day.month
    if cal == Calendar.solar_hijri:
        j = jdatetime.date.fromgregorian(date=day)
        return j.year, j.month
    h = Gregorian(day.year, day.month, day.day).to_hijri()
    return h.year, h.month


def occurrence_year(cal: str, month: int, day: int | None, ref: dt.date, policy: str) -> int:
    """The year a year-less month/day takes under the nearest / past / future rule (guidelines §5.5)."""
    y0 = native_year_of(cal, ref)[0]
    cands = []
    for y in range(y0 - 2, y0 + 3):
        try:
            cands.append((y, native_range(cal, y, month, day)))
        except ValueError:  # the day does not exist that year (30 Esfand)
            continue

    def distance(rng: tuple[dt.date, dt.date]) -> int:
        a, b = rng
        return 0 if a <= ref <= b else min(abs((a - ref).days), abs((b - ref).days))

    if policy == "nearest":
        return min(cands, key=lambda c: (distance(c[1]), c[0]))[0]
    if policy == "past":
        return max(c[0] for c in cands if c[1][0] <= ref)
    return min(c[0] for c in cands if c[1][0] >= ref)


def relative_range(cal: str, kind: str, ref: dt.date, weekday: str | None) -> tuple[dt.date, dt.date]:
    """prev/this/next day, month or year in ``cal``, or a weekday resolved against the reference date."""
    if kind.startswith("wd_"):
        assert weekday is not None
        days = [ref + dt.timedelta(days=k) for k in range(-6, 7)]
        same = [d for d in days if d.weekday() == WEEKDAYS[weekday]]
        pick = {
            "wd_today": lambda: ref,
            "wd_nearest": lambda: min(same, key=lambda d: (abs((d - ref).days), d)),
            "wd_future": lambda: min(d for d in same if d > ref),
            "wd_past": lambda: max(d for d in same if d < ref),
        }[kind]()
        return pick, pick
    unit, _, step = kind.partition("_")
    n = {"prev": -1, "this": 0, "next": 1}[step]
    if unit == "day":
        day = ref + dt.timedelta(days=n)
        return day, day
    y, m = native_year_of(cal, ref)
    if unit == "year":
        return native_range(cal, y + n, None, None)
    t = y * 12 + m - 1 + n
    return native_range(cal, t // 12, t % 12 + 1, None)


def gold_range(m: dict[str, Any]) -> tuple[dt.date, dt.date] | None:
    if m["gregorian_start"] is None:
        return None
    return dt.date.fromisoformat(m["gregorian_start"]), dt.date.fromisoformat(m["gregorian_end"])


@pytest.mark.parametrize("rec", RECORDS, ids=IDS)
def test_sentence_fields_and_spans(rec: dict[str, Any]) -> None:
    sentence = rec["sentence"]
    assert rec["lang"] in LANGS
    dt.date.fromisoformat(rec["reference_date"])
    assert "\r" not in sentence and not sentence.startswith("\ufeff"), "text must be frozen (no CR, no BOM)"
    assert set(rec.get("tags", [])) <= SENTENCE_TAGS
    previous_end = -1
    for i, m in enumerate(rec["mentions"]):
        assert sentence[m["start"]:m["end"]] == m["text"], f"mention {i}: offsets do not give its text"
        assert m["text"] == m["text"].strip() and m["text"], f"mention {i}: surrounding space in the span"
        assert m["start"] >= previous_end, f"mention {i}: mentions overlap or are out of text order"
        previous_end = m["end"]
        assert m["calendar"] in set(Calendar), m["calendar"]
        assert m["lexicon"] in LEXICONS, m["lexicon"]
        assert m["granularity"] in set(Granularity), m["granularity"]
        assert m["category"] in MENTION_CATEGORIES, m["category"]
        assert m["policy"] in POLICIES, m["policy"]
        native = m["native"]
        expected = "day" if native["day"] is not None else "month" if native["month"] is not None else "year"
        assert m["granularity"] == expected, f"mention {i}: granularity does not match the native date"
        assert native["year"] is not None, f"mention {i}: every gold mention resolves its native year"
    for span in rec.get("ignore_spans", []):
        assert sentence[span["start"]:span["end"]] == span["text"] and span["reason"]
    if rec.get("trap") == "no_date":
        assert not rec["mentions"] and not rec["links"]


@pytest.mark.parametrize("rec", RECORDS, ids=IDS)
def test_values_recomputed_from_native_dates(rec: dict[str, Any]) -> None:
    ref = dt.date.fromisoformat(rec["reference_date"])
    mentions = rec["mentions"]
    linked = {frozenset((lk["source"], lk["target"])) for lk in rec["links"]}
    for i, m in enumerate(mentions):
        n = m["native"]
        if m["gregorian_start"] is None:
            assert m["category"] == "invalid_date" and m.get("note")
            with pytest.raises(ValueError):
                native_range(m["calendar"], n["year"], n["month"], n["day"])
            continue
        computed = native_range(m["calendar"], n["year"], n["month"], n["day"])
        got = gold_range(m)
        if "pinned_by" in m:
            j = m["pinned_by"]
            assert m["calendar"] == Calendar.lunar_hijri and m["granularity"] == "day"
            uq = (dt.date.fromisoformat(m["umm_al_qura_start"]), dt.date.fromisoformat(m["umm_al_qura_end"]))
            assert uq == computed, f"mention {i}: the recorded Umm al-Qura value is not hijridate's"
            assert got == gold_range(mentions[j]), f"mention {i}: a pinned Hijri day takes its partner's day"
            assert got is not None and abs((got[0] - uq[0]).days) <= 1, f"mention {i}: pinned more than a day away"
            if got != uq:
                assert frozenset((i, j)) in linked, f"mention {i}: pinned by an equivalence that is not linked"
                assert "Umm al-Qura" in m.get("note", ""), f"mention {i}: the note must keep the Umm al-Qura value"
        else:
            assert got == computed, f"mention {i} {m['text']!r}: gold {got}, recomputed {computed}"
        if m["policy"] in ("nearest", "past", "future"):
            assert n["month"] is not None
            year = occurrence_year(m["calendar"], n["month"], n["day"], ref, m["policy"])
            assert year == n["year"], f"mention {i}: the {m['policy']} rule gives {year}, gold says {n['year']}"
        if m["policy"] == "ref":
            assert got == (ref, ref)
        if "relative_kind" in m:
            expected = relative_range(m["calendar"], m["relative_kind"], ref, m.get("weekday"))
            assert got == expected, f"mention {i}: {m['relative_kind']} from {ref} is {expected}, gold {got}"
        if "weekday" in m:
            assert got is not None
            matches = got[0].weekday() == WEEKDAYS[m["weekday"]]
            assert matches != (m["category"] == "weekday_mismatch"), f"mention {i}: weekday vs date"
        if "part" in m:
            assert m["part"] in PARTS and m["granularity"] == "month"
            assert got is not None
            start, end = got
            part_start, part_end = {
                "early": (start, start + dt.timedelta(days=9)), "start": (start, start + dt.timedelta(days=9)),
                "mid": (start + dt.timedelta(days=10), start + dt.timedelta(days=19)),
                "late": (start + dt.timedelta(days=20), end), "end": (start + dt.timedelta(days=20), end),
            }[m["part"]]
            assert (m["part_start"], m["part_end"]) == (part_start.isoformat(), part_end.isoformat())


@pytest.mark.parametrize("rec", RECORDS, ids=IDS)
def test_links_are_well_formed_and_consistency_follows_values(rec: dict[str, Any]) -> None:
    mentions = rec["mentions"]
    seen: set[frozenset[int]] = set()
    for lk in rec["links"]:
        a, b = lk["source"], lk["target"]
        assert a != b and 0 <= a < len(mentions) and 0 <= b < len(mentions), lk
        pair = frozenset((a, b))
        assert pair not in seen, f"duplicate link {a}-{b}"
        seen.add(pair)
        assert lk["kind"] in LINK_KINDS, lk["kind"]
        tags = set(lk.get("tags", []))
        assert tags <= LINK_TAGS, tags
        if "cue" in lk:
            assert lk["cue"] in rec["sentence"], f"cue {lk['cue']!r} not in the sentence"
        ra, rb = gold_range(mentions[a]), gold_range(mentions[b])
        if lk["consistent"]:
            assert ra is not None and rb is not None
            if "overlap_equivalence" in tags:
                assert ra != rb and ra[0] <= rb[1] and rb[0] <= ra[1], f"link {a}-{b}: no overlap"
            else:
                assert ra == rb, f"link {a}-{b} is consistent but {ra} != {rb}"
        else:
            assert ra != rb and lk.get("reason"), f"link {a}-{b}: an inconsistent link needs two values and a reason"
        sighted = [m for m in (mentions[a], mentions[b])
                   if "pinned_by" in m and m["umm_al_qura_start"] != m["gregorian_start"]]
        assert bool(sighted) == ("hijri_pm1" in tags), f"link {a}-{b}: hijri_pm1 tag vs pinned values"
        if sighted:
            assert "moon sighting" in lk.get("note", ""), f"link {a}-{b}: the note must name the convention"
    if {"no_link_range", "no_link_list", "no_link_equal", "no_link_cross_calendar"} & set(rec.get("tags", [])):
        assert not rec["links"], "a no-link trap sentence carries a link"


def test_table_meets_the_targets_of_issue_13() -> None:
    assert len(IDS) == len(set(IDS)), "duplicate ids"
    assert len({r["sentence"] for r in RECORDS}) == len(RECORDS), "duplicate sentences"
    links = [(r, lk) for r in RECORDS for lk in r["links"]]
    assert len(RECORDS) >= TARGET_SENTENCES and len(links) >= TARGET_LINKS
    per_lang = Counter(r["lang"] for r in RECORDS)
    links_per_lang = Counter(r["lang"] for r, _ in links)
    for lang in LANGS:
        assert per_lang[lang] >= TARGET_PER_LANG, (lang, per_lang[lang])
        assert links_per_lang[lang] >= 20, (lang, links_per_lang[lang])
    assert sum(r.get("trap") == "no_date" for r in RECORDS) >= TARGET_TRAPS
    categories = {m["category"] for r in RECORDS for m in r["mentions"]}
    assert REQUIRED_CATEGORIES <= categories, REQUIRED_CATEGORIES - categories
    cues = {lk.get("cue") for _, lk in links}
    assert REQUIRED_CUES <= cues, REQUIRED_CUES - cues
    kinds = {lk["kind"] for _, lk in links}
    assert REQUIRED_LINK_KINDS <= kinds, REQUIRED_LINK_KINDS - kinds
    link_tags = {t for _, lk in links for t in lk.get("tags", [])}
    assert {"triple", "hijri_pm1", "today_apposition", "year_shared_after_pair"} <= link_tags
    assert sum(not lk["consistent"] for _, lk in links) >= 4, "too few source-error (inconsistent) links"
    sentence_tags = {t for r in RECORDS for t in r.get("tags", [])}
    assert REQUIRED_SENTENCE_TAGS <= sentence_tags, REQUIRED_SENTENCE_TAGS - sentence_tags
    layouts = " ".join(r["sentence"] for r in RECORDS if any(lk["kind"] == "dateline" for lk in r["links"]))
    assert all(sep in layouts for sep in (" - ", " | ", "\n")), "datelines need dash, pipe and line-break layouts"
