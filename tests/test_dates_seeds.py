"""Acceptance tests of the date engine (issue 3) on the five seed articles, against hand-made gold.

The gold is ``tests/data/seed_dates.json``; its ``conventions`` key is the contract the engine follows.
In short:

* A mention covers the date expression only: an attached weekday (with روز/يوم before it), the year
  word (سال/عام/سنة), era markers, ordinal day words with their من (``الخامس من يناير``) and deictic
  markers (الماضي، گذشته، امسال) are inside; prepositions (في، در، از، تا), part-of-month modifiers
  (اوایل، أواخر: they narrow the value to that part of the month) and clock times are outside.
* Dual names and appositions are two non-overlapping mentions joined by one ``same_date`` link, and what
  is written once is shared: ``سبتمبر/أيلول 2014`` is ``سبتمبر`` + ``أيلول 2014`` (both 2014-09);
  ``10 ديسمبر/كانون الأول عام 2017`` is ``10 ديسمبر`` + ``كانون الأول عام 2017``;
  ``السادس من يناير/كانون الأول الماضي`` is ``السادس من يناير`` + ``كانون الأول الماضي`` (day and marker
  shared, so the pair is inconsistent: January vs December); ``30 ژانویه (10 بهمن)`` and
  ``۲۷ جنوری (هفتم دلو)`` are consistent pairs.
* ``gregorian_start``/``gregorian_end`` are inclusive; ``year_inferred`` means no year number is written
  for the mention; ``relative`` means a deictic marker or a bare weekday decides the value.

Each gold mention, each gold link and each document's extra mentions is its own test case, so a failure
names the input, what was expected and what the engine returned.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from shared_data import SEEDS, require

from annotate.dates import extract_dates
from annotate.models import DateLink, DateMention, freeze_text, text_sha256

GOLD_PATH = Path(__file__).resolve().parent / "data" / "seed_dates.json"
SEEDS_DIR = SEEDS
FIELDS = ("calendar", "lexicon", "granularity", "native", "gregorian_start", "gregorian_end", "year_inferred",
          "relative")

GOLD: dict[str, Any] = json.loads(GOLD_PATH.read_text(encoding="utf-8"))
SEED_GOLD: dict[str, dict[str, Any]] = {seed["file"]: seed for seed in GOLD["seeds"]}


@cache
def seed_text(fname: str) -> str:
    """The frozen text of a seed article (skips when the shared seed corpus is not checked out)."""
    path = require(SEEDS_DIR / fname, "the seed corpus")
    text = freeze_text(path.read_text(encoding="utf-8"))
    if text_sha256(text) != SEED_GOLD[fname]["text_sha256"]:
        pytest.fail(f"{path} changed since the gold was written: re-check {GOLD_PATH} against it")
    return text


@cache
def engine_run(fname: str) -> tuple[tuple[DateMention, ...], tuple[DateLink, ...]]:
    """The engine's mentions and links for one seed, with the manifest's language and reference date."""
    seed = SEED_GOLD[fname]
    result = extract_dates(seed_text(fname), seed["lang"], date.fromisoformat(seed["reference_date"]))
    return tuple(result.mentions), tuple(result.links)


def mention_values(m: DateMention) -> dict[str, Any]:
    """The gold-comparable fields of an engine mention, as JSON-like values."""
    return {
        "calendar": str(m.calendar.value),
        "lexicon": m.lexicon,
        "granularity": str(m.granularity.value),
        "native": {"year": m.native.year, "month": m.native.month, "day": m.native.day},
        "gregorian_start": m.gregorian_start.isoformat() if m.gregorian_start else None,
        "gregorian_end": m.gregorian_end.isoformat() if m.gregorian_end else None,
        "year_inferred": m.year_inferred,
        "relative": m.relative,
    }


def describe(m: DateMention) -> str:
    """One line for a failure message: text, offsets and value."""
    v = mention_values(m)
    rng = v["gregorian_start"] if v["gregorian_start"] == v["gregorian_end"] else (
        f"{v['gregorian_start']}..{v['gregorian_end']}")
    return (f"{m.id} {m.text!r} [{m.start}, {m.end}) = {rng} ({v['calendar']}, {v['lexicon']}, "
            f"{v['granularity']}, native {v['native']})")


def context(text: str, start: int, end: int, width: int = 25) -> str:
    """The mention with some text either side, for failure messages."""
    return f"…{text[max(0, start - width):start]}[{text[start:end]}]{text[end:end + width]}…"


def find_engine_mention(fname: str, start: int, end: int) -> DateMention | None:
    """The engine mention with exactly these offsets, if any."""
    mentions, _ = engine_run(fname)
    return next((m for m in mentions if m.start == start and m.end == end), None)


def header(fname: str, g: dict[str, Any]) -> str:
    seed = SEED_GOLD[fname]
    return (f"seed {fname} ({seed['lang']}, reference {seed['reference_date']}) gold {g['key']} "
            f"{g['text']!r} [{g['start']}, {g['end']}): {context(seed_text(fname), g['start'], g['end'])}")


MENTION_CASES = [
    pytest.param(seed["file"], g, id=f"{seed['file'][:3]}-{g['key']}-{g['text']}")
    for seed in GOLD["seeds"] for g in seed["mentions"]
]
LINK_CASES = [
    pytest.param(seed["file"], link, id=f"{seed['file'][:3]}-{link['source']}-{link['target']}")
    for seed in GOLD["seeds"] for link in seed["links"]
]
SEED_FILES = [pytest.param(seed["file"], id=seed["file"][:3]) for seed in GOLD["seeds"]]


@pytest.mark.parametrize(("fname", "gold"), MENTION_CASES)
def test_gold_itself_is_sound(fname: str, gold: dict[str, Any]) -> None:
    """The gold's offsets cover its text, and its occurrence index points at the same place."""
    text = seed_text(fname)
    assert text[gold["start"]:gold["end"]] == gold["text"], header(fname, gold)
    pos = -1
    for _ in range(gold["occurrence"] + 1):
        pos = text.find(gold["text"], pos + 1)
    assert pos == gold["start"], f"{header(fname, gold)}: occurrence {gold['occurrence']} is at {pos}"


@pytest.mark.parametrize(("fname", "gold"), MENTION_CASES)
def test_seed_mention(fname: str, gold: dict[str, Any]) -> None:
    """Every gold date is found with its exact extent and its exact values."""
    text = seed_text(fname)
    mentions, _ = engine_run(fname)
    got = find_engine_mention(fname, gold["start"], gold["end"])
    if got is None:
        overlapping = [describe(m) for m in mentions if m.start < gold["end"] and gold["start"] < m.end]
        pytest.fail(
            f"{header(fname, gold)}\n  expected a mention with exactly these offsets; "
            + (f"overlapping engine mentions: {overlapping}" if overlapping else "the engine found nothing")
        )
    assert text[got.start:got.end] == got.text, f"{header(fname, gold)}: engine text {got.text!r} != span"
    expected = {f: gold[f] for f in FIELDS}
    values = mention_values(got)
    diff = [f"    {f}: expected {expected[f]!r}, got {values[f]!r}"
            for f in FIELDS if expected[f] != values[f]]
    assert not diff, f"{header(fname, gold)}\n  got {describe(got)}\n" + "\n".join(diff)


@pytest.mark.parametrize(("fname", "link"), LINK_CASES)
def test_seed_link(fname: str, link: dict[str, Any]) -> None:
    """Every gold same_date link is found between the right two mentions, with the right consistency."""
    by_key = {g["key"]: g for g in SEED_GOLD[fname]["mentions"]}
    a, b = by_key[link["source"]], by_key[link["target"]]
    what = (f"seed {fname}: link {a['text']!r} [{a['start']}, {a['end']}) <-> {b['text']!r} "
            f"[{b['start']}, {b['end']}), expected consistent={link['consistent']}")
    ma = find_engine_mention(fname, a["start"], a["end"])
    mb = find_engine_mention(fname, b["start"], b["end"])
    missing = [g["text"] for g, m in ((a, ma), (b, mb)) if m is None]
    assert ma is not None and mb is not None, f"{what}\n  the engine has no mention for {missing}"
    _, links = engine_run(fname)
    found = [lk for lk in links if {lk.source, lk.target} == {ma.id, mb.id}]
    linked_a = [f"{lk.source}->{lk.target}" for lk in links if ma.id in (lk.source, lk.target)]
    assert found, f"{what}\n  no link between {ma.id} and {mb.id}; links touching {ma.id}: {linked_a}"
    assert len(found) == 1, f"{what}\n  {len(found)} links between the same two mentions"
    got = found[0]
    assert got.type == "same_date"
    assert got.consistent is link["consistent"], (
        f"{what}\n  got consistent={got.consistent} reason={got.reason!r}\n"
        f"  {describe(ma)}\n  {describe(mb)}")
    if not link["consistent"]:
        assert got.reason, f"{what}\n  an inconsistent link must say why (reason is {got.reason!r})"


@pytest.mark.parametrize("fname", SEED_FILES)
def test_seed_no_extra_mentions(fname: str) -> None:
    """The engine finds nothing beyond the gold (traps: حملات، الثوري، عین الاسد، الثامنة والعشرين ...)."""
    text = seed_text(fname)
    mentions, links = engine_run(fname)
    spans = {(g["start"], g["end"]) for g in SEED_GOLD[fname]["mentions"]}
    extras = [f"  {describe(m)}: {context(text, m.start, m.end)}"
              for m in mentions if (m.start, m.end) not in spans]
    assert not extras, f"seed {fname}: {len(extras)} mention(s) not in the gold:\n" + "\n".join(extras)
    by_span = {(m.start, m.end): m.id for m in mentions}
    gold_pairs = {
        frozenset((by_span.get((by_key[lk["source"]]["start"], by_key[lk["source"]]["end"])),
                   by_span.get((by_key[lk["target"]]["start"], by_key[lk["target"]]["end"]))))
        for by_key in [{g["key"]: g for g in SEED_GOLD[fname]["mentions"]}]
        for lk in SEED_GOLD[fname]["links"]
    }
    extra_links = [f"  {lk.source}->{lk.target} consistent={lk.consistent}" for lk in links
                   if frozenset((lk.source, lk.target)) not in gold_pairs]
    assert not extra_links, f"seed {fname}: link(s) not in the gold:\n" + "\n".join(extra_links)


@pytest.mark.parametrize("fname", SEED_FILES)
def test_seed_output_invariants(fname: str) -> None:
    """Offsets index the frozen text, ids are unique, mentions in text order, links join known mentions."""
    text = seed_text(fname)
    mentions, links = engine_run(fname)
    bad = [describe(m) for m in mentions if text[m.start:m.end] != m.text]
    assert not bad, f"seed {fname}: text[start:end] != text for {bad}"
    ids = [m.id for m in mentions] + [lk.id for lk in links]
    assert len(ids) == len(set(ids)), f"seed {fname}: duplicate ids in {ids}"
    starts = [m.start for m in mentions]
    assert starts == sorted(starts), f"seed {fname}: mentions are not in text order: {starts}"
    known = {m.id for m in mentions}
    dangling = [lk.id for lk in links if lk.source not in known or lk.target not in known]
    assert not dangling, f"seed {fname}: links {dangling} point at unknown mentions"
