"""The Hijri value policy (issue 13, guidelines §5.4), one rule for the engine, the guidelines and the demo gold.

* A Hijri day that an explicit equivalence in the text (a connector, brackets, a slash, a dateline) joins to a Solar
  or Gregorian day at most one day away is **pinned**: it carries the day the text means, and its ``note`` keeps the
  Umm al-Qura value.
* Nothing pins it: the Umm al-Qura value, with the ±1 day uncertainty in ``note``.
* Two days or more from its partner: not pinned; an explicit join stays as an inconsistent link, a layout join is
  no link at all.

Expected values come from ``jdatetime`` and ``hijridate`` here, never from the engine.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import jdatetime
import pytest
from hijridate import Hijri

from annotate.dates import DateExtraction, extract_dates
from annotate.models import Calendar, DateMention

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "annotate" / "data" / "demo"


def umm_al_qura(y: int, m: int, d: int) -> dt.date:
    g = Hijri(y, m, d).to_gregorian()
    return dt.date(g.year, g.month, g.day)


def solar(y: int, m: int, d: int) -> dt.date:
    g: dt.date = jdatetime.date(y, m, d).togregorian()
    return g


def _hijri(result: DateExtraction) -> DateMention:
    (h,) = [m for m in result.mentions if m.calendar is Calendar.lunar_hijri]
    return h


GUIDELINE_EXAMPLE = "روز پنجشنبه ۸ تیر ۱۴۰۲ برابر با دهم ذی‌الحجه ۱۴۴۴"

PINNED = [
    # (text, lang, Hijri (y, m, d), the day the text means)
    (GUIDELINE_EXAMPLE, "fa", (1444, 12, 10), solar(1402, 4, 8)),  # connector; Iran's Eid al-Adha 1444
    ("دومین روز نوروز، ۲ فروردین ۱۴۰۳ (۱۰ رمضان ۱۴۴۵)، تعطیل بود.", "fa", (1445, 9, 10), solar(1403, 1, 2)),
    ("۲۳ حمل ۱۴۰۳ / ۱ شوال ۱۴۴۵", "prs", (1445, 10, 1), solar(1403, 1, 23)),  # slash in a Dari dateline
    ("الاثنين 31 مارس 2025 09:10 ص 1 شوال 1446هـ", "ar", (1446, 10, 1), dt.date(2025, 3, 31)),  # masthead layout
    ("أعلنت الوزارة أن فاتح شوال 1446 هـ يوافق الاثنين 31 مارس 2025.", "ar", (1446, 10, 1), dt.date(2025, 3, 31)),
]


@pytest.mark.parametrize(("text", "lang", "hijri", "meant"), PINNED, ids=[p[0][:24] for p in PINNED])
def test_an_equivalence_pins_the_hijri_day_and_the_note_keeps_umm_al_qura(
        text: str, lang: str, hijri: tuple[int, int, int], meant: dt.date) -> None:
    uq = umm_al_qura(*hijri)
    assert abs((uq - meant).days) <= 1
    result = extract_dates(text, lang)
    h = _hijri(result)
    assert (h.gregorian_start, h.gregorian_end) == (meant, meant)
    assert (h.native.year, h.native.month, h.native.day) == hijri  # the native value stays as written
    assert len(result.links) >= 1 and all(link.consistent for link in result.links)
    if uq != meant:
        assert h.note is not None and uq.isoformat() in h.note and "Umm al-Qura" in h.note
        reasons = [link.reason for link in result.links if h.id in (link.source, link.target)]
        assert reasons and all(r is not None and uq.isoformat() in r for r in reasons)


@pytest.mark.parametrize(("text", "lang", "hijri"), [
    ("صدر القرار في 13 ربيع الأول 1439 هـ.", "ar", (1439, 3, 13)),
    ("این کتاب در ۱۲ ربیع‌الثانی ۱۴۴۵ ه.ق منتشر شد.", "fa", (1445, 4, 12)),
    ("مراسم در ۱۰ محرم ۱۴۴۶ برگزار شد و ۲۰ تیر ۱۴۰۳ تعطیل بود.", "fa", (1446, 1, 10)),  # near, but not joined
])
def test_nothing_pins_it_umm_al_qura_with_its_uncertainty(text: str, lang: str, hijri: tuple[int, int, int]) -> None:
    result = extract_dates(text, lang, dt.date(2024, 7, 20))
    h = _hijri(result)
    uq = umm_al_qura(*hijri)
    assert (h.gregorian_start, h.gregorian_end) == (uq, uq)
    assert h.note is not None and "±1 day" in h.note and "Umm al-Qura" in h.note
    assert not result.links


def test_two_days_off_is_not_pinned_an_explicit_join_is_inconsistent() -> None:
    text = "روز پنجشنبه ۸ تیر ۱۴۰۲ برابر با نهم ذی‌الحجه ۱۴۴۴"  # 9 Dhu al-Hijja 1444 is two days before 8 Tir
    result = extract_dates(text, "fa")
    h = _hijri(result)
    uq = umm_al_qura(1444, 12, 9)
    assert abs((uq - solar(1402, 4, 8)).days) == 2
    assert h.gregorian_start == uq
    (link,) = result.links
    assert not link.consistent and link.reason


def test_two_days_off_in_a_layout_is_no_link() -> None:
    result = extract_dates("الاثنين 31 مارس 2025 09:10 ص 4 شوال 1446هـ", "ar")
    h = _hijri(result)
    assert abs((umm_al_qura(1446, 10, 4) - dt.date(2025, 3, 31)).days) == 2
    assert h.gregorian_start == umm_al_qura(1446, 10, 4)
    assert not result.links


def test_the_guidelines_state_the_policy_with_the_example_the_engine_follows() -> None:
    text = (ROOT / "guidelines.md").read_text(encoding="utf-8")
    section = text[text.index("**Hijri days: which value.**"):text.index("**Parts of a month are ranges**")]
    assert "**pinned**" in section and "**Umm al-Qura** when nothing pins it" in section
    assert f"`{GUIDELINE_EXAMPLE}`" in section
    assert umm_al_qura(1444, 12, 10).isoformat() in section and solar(1402, 4, 8).isoformat() in section


@cache
def _demo() -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    docs = {d["id"]: d for d in map(json.loads, (DEMO / "demo.jsonl").read_text(encoding="utf-8").splitlines())}
    expected = json.loads((DEMO / "expected_dates.json").read_text(encoding="utf-8"))["documents"]
    return docs, expected


HIJRI_DAYS = [(e["doc_id"], m) for e in _demo()[1] for m in e["dates"]
              if m["calendar"] == "lunar_hijri" and m["granularity"] == "day"]


@pytest.mark.parametrize(("doc_id", "gold"), HIJRI_DAYS, ids=[f"{d}:{m['id']}" for d, m in HIJRI_DAYS])
def test_demo_gold_and_engine_follow_the_policy(doc_id: str, gold: dict[str, Any]) -> None:
    """Each Hijri day of the demo gold: pinned (its partner's day, the Umm al-Qura value in the note of the gold and
    of the engine) or the Umm al-Qura value; the engine gives the gold's value."""
    docs, _ = _demo()
    n = gold["native"]
    uq = umm_al_qura(n["year"], n["month"], n["day"]) if n["year"] is not None else None
    doc = docs[doc_id]
    result = extract_dates(doc["text"], doc["lang"], dt.date.fromisoformat(doc["reference_date"]))
    (mine,) = [m for m in result.mentions if m.start == gold["start"] and m.end == gold["end"]]
    assert mine.gregorian_start is not None
    assert mine.gregorian_start.isoformat() == gold["gregorian_start"]
    if uq is None:
        return  # a year-less Hijri day: its year comes from the reference date (§5.5), checked elsewhere
    meant = dt.date.fromisoformat(gold["gregorian_start"])
    if gold.get("pinned_by"):
        assert 0 < abs((meant - uq).days) <= 1
        assert uq.isoformat() in gold["note"] and mine.note is not None and uq.isoformat() in mine.note
    elif meant != uq:
        assert "weekday" in (mine.note or ""), "an unpinned Hijri day moved off Umm al-Qura only by its weekday"
