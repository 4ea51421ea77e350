"""Scoring the date engine on a table of gold sentences, per category (shared by tests and benchmarks).

Two tables use it: ``tests/data/dates_real_forms.jsonl`` (real-news forms, written independently of the engine,
described in ``tests/data/dates_real_forms.md``) and our own ``tests/dates_forms.py``.  The rules:

* a gold **value** is right when an engine mention overlapping its span has its Gregorian range; for a mention
  with a part-of-month modifier the range is that part (days 1-10, 11-20, 21-last: guidelines §5.4, the
  table's ``part_start``/``part_end``);
* a gold **link** is right when the engine links two mentions overlapping its two spans with the same
  consistency;
* a **false date** is an engine mention in a no-date trap sentence (outside its ``ignore_spans``); a **false
  link** is an engine link in a sentence tagged ``no_link_*`` or between mentions the gold does not link.

Values are reported by the gold mention's ``category``, links by kind (``connector: <cue>`` for connectors).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotate.dates import DateExtraction

__all__ = ["REAL_FORMS", "Score", "Tally", "load_real_forms", "score_records"]

REAL_FORMS = Path(__file__).resolve().parent / "data" / "dates_real_forms.jsonl"

Extract = Callable[[str, str, dt.date | None], DateExtraction]


@dataclass
class Tally:
    """Right out of total, with a line per miss."""

    right: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, miss: str) -> None:
        self.total += 1
        self.right += ok
        if not ok:
            self.misses.append(miss)

    @property
    def rate(self) -> float:
        return self.right / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{self.right}/{self.total}"


@dataclass
class Score:
    """Per-category value tallies, per-kind link tallies, false dates and false links."""

    values: dict[str, Tally] = field(default_factory=dict)
    links: dict[str, Tally] = field(default_factory=dict)
    link_groups: dict[str, Tally] = field(default_factory=dict)
    """Links by what joins them (:func:`link_group`); a three-calendar link also counts in ``three calendars``."""
    false_dates: Tally = field(default_factory=Tally)
    false_links: list[str] = field(default_factory=list)

    def total(self, table: dict[str, Tally]) -> Tally:
        out = Tally()
        for t in table.values():
            out.right += t.right
            out.total += t.total
            out.misses.extend(t.misses)
        return out


def load_real_forms(path: Path = REAL_FORMS) -> list[dict[str, Any]]:
    """The records of a real-forms table (one JSON object per line)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _gold_range(m: dict[str, Any]) -> tuple[str | None, str | None]:
    if m.get("part_start") and m.get("part_end"):
        return m["part_start"], m["part_end"]
    return m.get("gregorian_start"), m.get("gregorian_end")


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def link_kind(link: dict[str, Any]) -> str:
    """The reporting key of a gold link: its kind, with the cue for connectors."""
    kind = str(link.get("kind", "link"))
    return f"{kind}: {link['cue']}" if kind == "connector" and link.get("cue") else kind


LINK_GROUPS = ("connector words", "dateline layout", "brackets", "slash", "apposition", "dual month names",
               "three calendars")


def link_group(record: dict[str, Any], link: dict[str, Any]) -> str:
    """What joins a gold link's two dates, read from the gold alone (its kind and the text between the two spans):
    ``brackets``, ``apposition`` (a weekday or today and a date), ``dual month names``, ``connector words`` (any
    word between them), ``slash``, else ``dateline layout`` (spaces, dashes, pipes, line breaks, a clock time)."""
    a, b = sorted((record["mentions"][link["source"]], record["mentions"][link["target"]]), key=lambda m: m["start"])
    between = record["sentence"][a["end"]:b["start"]]
    kind = str(link.get("kind", ""))
    if "(" in between or ")" in between:
        return "brackets"
    if "apposition" in kind:
        return "apposition"
    if "dual" in kind or "two names" in kind:
        return "dual month names"
    if any(ch.isalpha() for ch in between.replace("ص", "").replace("م", "")) or "=" in between:
        return "connector words"
    if "/" in between:
        return "slash"
    return "dateline layout"


def _three_calendar_links(record: dict[str, Any]) -> set[int]:
    """Indexes of the gold links inside a group of linked mentions that spans three calendars."""
    links = record["links"]
    group = {i: {i} for i in range(len(record["mentions"]))}
    for lk in links:
        merged = group[lk["source"]] | group[lk["target"]]
        for i in merged:
            group[i] = merged
    out = set()
    for n, lk in enumerate(links):
        members = group[lk["source"]]
        calendars = {record["mentions"][i].get("calendar") for i in members}
        if ("three" in str(lk.get("kind", "")) or (None not in calendars and len(calendars) >= 3)):
            out.add(n)
    return out


def score_records(records: Iterable[dict[str, Any]], extract: Extract) -> Score:
    """Score ``extract`` on table records (``sentence``, ``lang``, ``reference_date``, ``mentions``, ``links``)."""
    score = Score()
    for rec in records:
        text, lang = rec["sentence"], rec["lang"]
        ref = dt.date.fromisoformat(rec["reference_date"]) if rec.get("reference_date") else None
        result = extract(text, lang, ref)
        spans = {m.id: (m.start, m.end) for m in result.mentions}
        where = f"{rec['id']} ({lang}, ref {ref}): {text[:90]!r}"
        ignored = [(s["start"], s["end"]) for s in rec.get("ignore_spans", [])]
        if rec.get("trap") == "no_date":
            found = [m for m in result.mentions if not any(_overlaps((m.start, m.end), s) for s in ignored)]
            score.false_dates.add(not found, f"{where}: found {[m.text for m in found]}")
        for g in rec["mentions"]:
            want = _gold_range(g)
            span = (g["start"], g["end"])
            over = [m for m in result.mentions if _overlaps((m.start, m.end), span)]
            ok = any((m.gregorian_start.isoformat() if m.gregorian_start else None,
                      m.gregorian_end.isoformat() if m.gregorian_end else None) == want for m in over)
            got = [(m.text, str(m.gregorian_start), str(m.gregorian_end)) for m in over]
            score.values.setdefault(g["category"], Tally()).add(
                ok, f"{where}\n      {g['text']!r} want {want[0]}..{want[1]}, got {got or 'nothing'}")
        gold_pairs = []
        three = _three_calendar_links(rec)
        for n, link in enumerate(rec["links"]):
            a, b = rec["mentions"][link["source"]], rec["mentions"][link["target"]]
            sa, sb = (a["start"], a["end"]), (b["start"], b["end"])
            gold_pairs.append((sa, sb))
            found_link = next((lk for lk in result.links if (
                _overlaps(spans[lk.source], sa) and _overlaps(spans[lk.target], sb))
                or (_overlaps(spans[lk.source], sb) and _overlaps(spans[lk.target], sa))), None)
            ok = found_link is not None and found_link.consistent is link["consistent"]
            got = "no link" if found_link is None else f"consistent={found_link.consistent} ({found_link.reason})"
            miss = f"{where}\n      {a['text']!r} <-> {b['text']!r} want consistent={link['consistent']}, {got}"
            score.links.setdefault(link_kind(link), Tally()).add(ok, miss)
            score.link_groups.setdefault(link_group(rec, link), Tally()).add(ok, miss)
            if n in three:
                score.link_groups.setdefault("three calendars", Tally()).add(ok, miss)
        for lk in result.links:
            la, lb = spans[lk.source], spans[lk.target]
            if not any((_overlaps(la, ga) and _overlaps(lb, gb)) or (_overlaps(la, gb) and _overlaps(lb, ga))
                       for ga, gb in gold_pairs):
                score.false_links.append(f"{where}: {text[la[0]:la[1]]!r} <-> {text[lb[0]:lb[1]]!r}")
    return score
