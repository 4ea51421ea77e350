"""The calendar-aware date engine: find, normalise and link dates across calendars in fa, prs and ar text.

``extract_dates(text, lang, reference_date)`` returns :class:`~annotate.models.DateMention` objects (Gregorian,
Solar Hijri and Umm al-Qura Hijri, every month-name set of ``annotate.models.LEXICONS``) and ``same_date``
:class:`~annotate.models.DateLink` objects between mentions the text states are one day (dual names,
connectors, brackets, datelines; see :mod:`annotate.dates.linking`), each checked for consistency.  Offsets index
the frozen text given; matching runs on a normalised :class:`~annotate.text.view.TextView`.

Conventions (shared with the seed gold ``tests/data/seed_dates.json`` and ``guidelines.md`` §5-6):

* the mention covers the date expression: an attached weekday (with روز/يوم before it), ordinal or cardinal day
  words with their ``من``/``از``, ``غرة``, a last-day phrase (``سلخ``, ``آخرین روز``), a part-of-month word
  (``أوائل``, ``اواخر``), ``ماه``/``برج``/``شهر`` before the month, the year word, an era marker and a deictic
  marker (الماضي، گذشته، امسال، سال گذشته); never a preposition (في، در، از، تا);
* a dual name ``X/Y`` or an apposition gives two mentions and one link; what is written once is shared;
* ``year_inferred``: no year number is written for the mention (nor shared with its pair); ``relative``: a
  deictic marker or a bare weekday decides the value;
* year inference follows :mod:`annotate.dates.resolve`; a part of a month is a range (days 1-10, 11-20, 21-end);
* a Hijri day pinned by a consistent link carries the day the text means, the Umm al-Qura value in ``note``;
  an unpinned Hijri day carries Umm al-Qura with its ±1 day uncertainty in ``note``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from ..errors import InvalidDate
from ..models import Calendar, DateLink, DateMention, Granularity
from ..text.view import TextView
from .calendars import HIJRI_NOTE, NormalizedDate, from_gregorian, native_range, normalize_native
from .lexicon import PART_WORDS, base_language, words_pattern
from .linking import LONGEST_BETWEEN as _LONGEST_JOIN
from .linking import check_link, join_kind
from .recognize import Candidate, Group, find_candidates, year_calendar
from .resolve import Direction, Tense, resolve_weekday, resolve_weekday_of_week, resolve_year

__all__ = [
    "ENGINE_VERSION",
    "DateExtraction",
    "Direction",
    "NormalizedDate",
    "check_link",
    "extract_dates",
    "normalize_native",
    "resolve_weekday",
    "resolve_year",
]

ENGINE_VERSION = "dates-engine 0.2.0"
"""Recorded with engine pre-annotations; bump it whenever the output for some input changes."""

_NO_REFERENCE = "year not written and no reference date to infer it"
_HISTORICAL_DAYS: Final = 365
"""A dated mention earlier in the paragraph (not the sentence) sets the year only when it is this far from the
reference date: near it, the nearest occurrence already gives the same answer and handles year ends better."""


@dataclass(frozen=True)
class DateExtraction:
    """What :func:`extract_dates` found: mentions in text order and the links between them."""

    mentions: list[DateMention]
    links: list[DateLink]


@dataclass
class _Value:
    year: int | None
    month: int | None
    day: int | None
    start: dt.date | None
    end: dt.date | None
    note: str | None
    year_inferred: bool
    relative: bool


def _invalid(exc: InvalidDate) -> str:
    return f"invalid date: {exc.message}" + (f"; {exc.hint}" if exc.hint else "")


_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_PART_DAYS: Final = {"early": (1, 10), "mid": (11, 20), "late": (21, 31), "first_half": (1, 15),
                      "second_half": (16, 31)}
"""The days a part of the month covers (31: to the month's last day)."""
_PART_NOTE: Final = {"early": "early part of the month (days 1-10)", "mid": "middle of the month (days 11-20)",
                     "late": "late part of the month (days 21 to the last)",
                     "first_half": "first half of the month (days 1-15)",
                     "second_half": "second half of the month (days 16 to the last)"}


def _nth_weekday(c: Candidate, year: int, *, inferred: bool) -> _Value:
    """``ثاني اربعاء من شهر اكتوبر من عام 2014``: the n-th (or last) weekday of the month, as a day."""
    assert c.nth is not None and c.weekday is not None
    try:
        first, last = native_range(c.calendar, year, c.month)
    except InvalidDate as exc:
        return _Value(year, c.month, None, None, None, f"invalid date: {exc.message}", inferred, c.marker)
    if c.nth > 0:
        day = first + dt.timedelta(days=(c.weekday - first.weekday()) % 7 + 7 * (c.nth - 1))
    else:
        day = last - dt.timedelta(days=(last.weekday() - c.weekday) % 7)
    if day > last:
        return _Value(year, c.month, None, None, None, f"the month has no {c.nth}th {_WEEKDAY_NAMES[c.weekday]}",
                      inferred, c.marker)
    native = from_gregorian(c.calendar, day)
    note = HIJRI_NOTE if c.calendar is Calendar.lunar_hijri else None
    return _Value(year, c.month, native[2], day, day, note, inferred, c.marker and inferred)


def _value_from_year(c: Candidate, year: int, *, inferred: bool) -> _Value:
    if c.nth is not None:
        return _nth_weekday(c, year, inferred=inferred)
    try:
        if c.month is not None and (c.last_day or c.part is not None):
            first, last = native_range(c.calendar, year, c.month)
            if c.last_day:
                start = end = last
                day: int | None = from_gregorian(c.calendar, last)[2]
                last_note = "last day of the month" + (
                    "; " + HIJRI_NOTE if c.calendar is Calendar.lunar_hijri else "")
                return _Value(year, c.month, day, start, end, last_note, inferred, c.marker and inferred)
            assert c.part is not None
            lo, hi = _PART_DAYS[c.part]
            start = first + dt.timedelta(days=lo - 1)
            end = min(first + dt.timedelta(days=hi - 1), last) if hi < 31 else last
            return _Value(year, c.month, None, start, end, _PART_NOTE[c.part], inferred, c.marker and inferred)
        start, end = native_range(c.calendar, year, c.month, c.day)
    except InvalidDate as exc:
        return _Value(year, c.month, c.day, None, None, _invalid(exc), inferred, c.marker)
    note: str | None = HIJRI_NOTE if c.calendar is Calendar.lunar_hijri and c.day is not None else None
    if c.weekday is not None and c.day is not None and start.weekday() != c.weekday:
        start, note = _weekday_check(c, start, note)
        end = start
    return _Value(year, c.month, c.day, start, end, note, inferred, c.marker and inferred)


def _weekday_check(c: Candidate, day: dt.date, note: str | None) -> tuple[dt.date, str | None]:
    """A written weekday that disagrees with the date: it fixes a Hijri day within ±1, otherwise it is noted."""
    assert c.weekday is not None
    written, computed = _WEEKDAY_NAMES[c.weekday], _WEEKDAY_NAMES[day.weekday()]
    if c.calendar is Calendar.lunar_hijri:
        for delta in (-1, 1):
            moved = day + dt.timedelta(days=delta)
            if moved.weekday() == c.weekday:
                return moved, (f"Umm al-Qura (hijridate) gives {day.isoformat()} ({computed}); the written weekday "
                               f"({written}) puts the day on {moved.isoformat()}, as local moon sighting would")
    return day, f"the written weekday ({written}) does not match {day.isoformat()} ({computed})"


@dataclass(frozen=True)
class _Basis:
    """What a year-less date is resolved against: the reference date, a partner's day or the sentence's date.

    ``sentence`` is ``(view text, start, end)`` of a date resolved against the reference date: the tense of its
    sentence is read only when it can matter (a weekday, or a date far enough from the reference to be a near-tie).
    """

    start: dt.date
    end: dt.date
    direction: Direction
    sentence: tuple[str, int, int] | None = None

    def says(self, tense: Tense) -> bool:
        """Whether the sentence's tense is ``tense`` (a future marker wins over a past verb)."""
        return self.sentence is not None and _tense(*self.sentence, tense) is tense


_TENSE_FUTURE_DAYS: Final = 14
"""A future verb moves a year-less date that ended at least this long before the reference date to its next
occurrence (a date a few days back is what a report of the past names; its verb is read only beyond that)."""
_TENSE_TIE_DAYS: Final = 75
"""A year-less date at least this far after the reference date is a near-tie a past verb may break."""


def _resolve(c: Candidate, reference: dt.date | None, basis: _Basis | None) -> _Value:
    """The value of one candidate (``basis`` is None when nothing dates a year-less one)."""
    if c.offset is not None:
        return _relative_value(c, reference)
    if c.weekday_only:
        assert c.weekday is not None
        if reference is None:
            return _Value(None, None, None, None, None, "weekday only and no reference date", True, True)
        direction = c.direction
        if direction is Direction.nearest and basis is not None and basis.says(Tense.future):
            direction = Direction.future
        if c.week is not None:
            day = resolve_weekday_of_week(c.weekday, reference, c.week)
        else:
            day = resolve_weekday(c.weekday, reference, direction)
        return _Value(day.year, day.month, day.day, day, day, None, True, True)
    if c.year is not None:
        return _value_from_year(c, c.year, inferred=False)
    assert c.month is not None
    if c.cross_year is not None:
        return _cross_year_value(c, *c.cross_year)
    if basis is None:
        return _Value(None, c.month, c.day, None, None, _NO_REFERENCE, True, c.marker)
    plain_day = None if c.nth is not None or c.last_day or c.part is not None else c.day
    weekday = c.weekday if plain_day is not None else None
    end = basis.end if basis.end != basis.start else None
    try:
        year = resolve_year(c.calendar, c.month, plain_day, basis.start, basis.direction, weekday, end)
        if basis.sentence is not None:
            first, last = native_range(c.calendar, year, c.month, plain_day)
            want = (Tense.future if (basis.start - last).days >= _TENSE_FUTURE_DAYS
                    else Tense.past if (first - basis.start).days >= _TENSE_TIE_DAYS else Tense.none)
            if want is not Tense.none and basis.says(want):
                year = resolve_year(c.calendar, c.month, plain_day, basis.start, basis.direction, weekday, end, want)
    except InvalidDate as exc:
        return _Value(None, c.month, c.day, None, None, f"cannot infer the year: {exc.message}", True, c.marker)
    return _value_from_year(c, year, inferred=True)


def _cross_year_value(c: Candidate, year_calendar: Calendar, written: int) -> _Value:
    """A month or day with a year of another calendar (``شوال 2022``, ``عيد الأضحى 2013``, ``آذار ۱۴۰۲``): the
    occurrence that falls in that year (for a month, the one with most of its days in it)."""
    assert c.month is not None
    try:
        year_first, year_last = native_range(year_calendar, written)
        lo = from_gregorian(c.calendar, year_first)[0]
        hi = from_gregorian(c.calendar, year_last)[0]
    except InvalidDate as exc:
        return _Value(None, c.month, c.day, None, None, _invalid(exc), False, c.marker)
    best: tuple[int, _Value] | None = None
    for native_year in range(lo, hi + 1):
        value = _value_from_year(c, native_year, inferred=False)
        if value.start is None or value.end is None:
            continue
        overlap = (min(value.end, year_last) - max(value.start, year_first)).days + 1
        if overlap > 0 and (best is None or overlap > best[0]):
            best = overlap, value
    where = f"{written} read as a {year_calendar.value} year"
    if best is None:
        return _Value(None, c.month, c.day, None, None, f"{where}: no such date in it", False, c.marker)
    value = best[1]
    value.note = where + (f"; {value.note}" if value.note else "")
    return value


def _shift(day: dt.date, unit: str, n: int) -> dt.date:
    """``day`` moved by ``n`` days, weeks, months or years (Gregorian; the day clamped to the month's end)."""
    if unit == "day":
        return day + dt.timedelta(days=n)
    if unit == "week":
        return day + dt.timedelta(weeks=n)
    months = n * 12 if unit == "year" else n
    y, m = day.year + (day.month - 1 + months) // 12, (day.month - 1 + months) % 12 + 1
    for d in range(day.day, 27, -1):
        try:
            return dt.date(y, m, d)
        except ValueError:
            continue
    return dt.date(y, m, min(day.day, 28))


def _relative_value(c: Candidate, reference: dt.date | None) -> _Value:
    """أمس، الشهر الماضي، 20 من الشهر القادم، امسال، قبل عامين: the reference date moved by days to years."""
    assert c.offset is not None
    if reference is None:
        return _Value(None, None, None, None, None, "relative date and no reference date", True, True)
    if c.granularity is Granularity.day and c.day is None:
        day = _shift(reference, c.unit, c.offset)
        return _Value(day.year, day.month, day.day, day, day, None, True, True)
    y, m, _ = from_gregorian(c.calendar, reference)
    if c.granularity is Granularity.year:
        y += c.offset
        month, dayn = None, None
    else:
        y, m = y + (m - 1 + c.offset) // 12, (m - 1 + c.offset) % 12 + 1
        month, dayn = m, c.day
    try:
        start, end = native_range(c.calendar, y, month, dayn)
    except InvalidDate as exc:
        return _Value(y, month, dayn, None, None, f"invalid date: {exc.message}", True, True)
    return _Value(y, month, dayn, start, end, None, True, True)


def _mention(text: str, view: TextView, c: Candidate, v: _Value) -> DateMention:
    start, end = view.span(c.start, c.end)
    # Validated like any other write: pydantic-core builds the model (and its NativeDate) from a plain dict in
    # ~5 us, cheaper than model_construct's Python loop over the fields.
    return DateMention.model_validate({
        "start": start,
        "end": end,
        "text": text[start:end],
        "id": f"dt-{start}-{end}",
        "calendar": c.calendar,
        "lexicon": c.lexicon,
        "granularity": c.granularity,
        "native": {"year": v.year, "month": v.month, "day": v.day},
        "gregorian_start": v.start,
        "gregorian_end": v.end,
        "year_inferred": v.year_inferred,
        "relative": v.relative,
        "note": v.note,
    })


# --- tense ---------------------------------------------------------------------------------------------------------

_FUTURE_WORDS: Final = (
    "خواهد", "خواهند", "خواهیم", "خواهی", "خواهم", "قرار است", "قرار شده است", "برگزار می شود",
    "آغاز می شود", "اجرا می شود", "سوف", "سيتم", "ستتم", "سيعقد", "ستعقد", "سيجري", "ستجري", "سيكون", "ستكون",
    "سيبدأ", "ستبدأ", "سينطلق", "ستنطلق", "سيصل", "ستصل", "سيزور", "ستزور", "المقرر", "المزمع",
    "المرتقب", "يعتزم", "تعتزم", "سيشهد", "ستشهد", "سيقام", "ستقام", "سيلتقي", "ستلتقي", "سيتوجه", "ستتوجه",
    "سيصدر", "ستصدر", "سيعلن", "ستعلن", "سينظم", "ستنظم", "ستستضيف", "سيستضيف", "ستفتتح", "سيفتتح", "على أن",
    "ستُجرى", "سيجري", "ستجرى", "سيتوجه", "سيشارك", "ستشارك",
)
_PAST_WORDS: Final = (
    "شد", "شدند", "بود", "بودند", "کرد", "کردند", "گفت", "گفتند", "داد", "دادند", "رسید", "رسیدند", "شده", "کرده",
    "بوده", "داشت", "آمد", "رفت", "گذشت", "درگذشت", "پیوست", "انجامید", "برگزار شد", "کشته شدند",
    "أعلن", "أعلنت", "قال", "قالت", "أكد", "أكدت", "كان", "كانت", "جرى", "جرت", "وقع", "وقعت", "شهد", "شهدت",
    "عقد", "عقدت", "انعقد", "انعقدت", "بدأ", "بدأت", "انطلق", "انطلقت", "أقيم", "أقيمت", "تم", "توفي", "قتل",
    "اغتيل", "صدر", "صدرت", "نشر", "نشرت", "أصدر", "أصدرت", "زار", "زارت", "التقى", "التقت", "وصل", "وصلت",
    "افتتح", "افتتحت", "اندلع", "اندلعت", "حدث", "حدثت", "سجل", "سجلت", "أعلنوا", "اختتم", "اختتمت", "انتهى",
    "انتهت", "وافق", "وافقت", "شارك", "شاركت", "استضاف", "استضافت",
)
def _marker_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """The marker words, also with a glued و/ف, as one trie that starts with literal letters: the regex engine
    skips to candidates in C, and the word boundaries are checked on each hit (:func:`_says`)."""
    return re.compile(words_pattern([*words, *("و" + w for w in words), *("ف" + w for w in words)]))


_FUTURE_RE: Final = _marker_pattern(_FUTURE_WORDS)
_PAST_RE: Final = _marker_pattern(_PAST_WORDS)
_BOUNDARY: Final = re.compile(r"[.!?؟؛\n]")
_BOUNDARY_CHARS: Final = ".!?؟؛\n"
_CLAUSE_END: Final = re.compile(r"[.!?؟؛\n]|[،,][ \u200c]*(?:و[ \u200c]|وب|وت|وي|وا|ثم|لكن|ولكن|اما|ولی)")
_TENSE_WINDOW: Final = 160


def _sentence_window(view: str, start: int, end: int) -> tuple[int, int]:
    """The stretch of the date at ``[start, end)``'s sentence that its tense is read from: at most
    :data:`_TENSE_WINDOW` characters each side, cut at the sentence boundaries."""
    lo = max(0, start - _TENSE_WINDOW)
    lo = max(lo, *(view.rfind(ch, lo, start) + 1 for ch in _BOUNDARY_CHARS))  # str.rfind: C, no backtracking
    hi = min(len(view), end + _TENSE_WINDOW)
    m = _BOUNDARY.search(view, end, hi)
    return lo, hi if m is None else m.start()


def _says(pattern: re.Pattern[str], view: str, window: tuple[int, int]) -> bool:
    """Whether a marker of ``pattern`` stands as a word in ``window`` (:func:`_sentence_window`)."""
    for m in pattern.finditer(view, *window):
        s, e = m.span()
        if not ((s > 0 and view[s - 1].isalpha()) or (e < len(view) and view[e].isalpha())):
            return True
    return False


def _tense(view: str, start: int, end: int, want: Tense = Tense.past) -> Tense:
    """The tense of the sentence around a date: a future marker wins over a past verb (``قال إن ... سيعقد``).
    When only a future tense matters (``want``), past verbs are not looked for."""
    window = _sentence_window(view, start, end)
    if _says(_FUTURE_RE, view, window):
        return Tense.future
    if want is Tense.past and _says(_PAST_RE, view, window):
        return Tense.past
    return Tense.none


# --- the pipeline --------------------------------------------------------------------------------------------------

class _Components:
    """Union-find over candidate indices: the mentions a text states are one day."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, i: int) -> int:
        parent = self.parent
        root = parent.setdefault(i, i)
        while root != parent[root]:
            root = parent[root]
        while parent[i] != root:  # path compression
            parent[i], i = root, parent[i]
        return root

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)

    def groups(self) -> list[list[int]]:
        """Each set of two or more joined indices, in index order."""
        out: dict[int, list[int]] = {}
        for i in sorted(self.parent):
            out.setdefault(self.find(i), []).append(i)
        return [g for g in out.values() if len(g) > 1]


_RANGE_START: Final = re.compile(rf"(?<![^\W\d_])(?:{words_pattern(('از', 'بين', 'من', 'بین'))})[ \u200c]?\Z")
_LIST_BETWEEN: Final = re.compile(
    rf"[ \u200c]*(?:[،,]|{words_pattern(('تا', 'الی', 'إلى', 'حتى', 'و', 'وحتى', 'وإلى', 'ثم'))})[ \u200c]?"
    rf"(?:{words_pattern(PART_WORDS)}[ \u200c]?)?"  # از اول تیر تا پایان شهریور ۱۴۰۳
)
_RANGE_BETWEEN: Final = re.compile(rf"[ \u200c\n]*(?:{words_pattern(('تا', 'الی', 'إلى', 'حتى', 'و', 'وحتى', 'وإلى'))})"
                                   r"[ \u200c]?")
_YEAR_AFTER_PAREN: Final = re.compile(r"[ \u200c]*\)[ \u200c]*[،,]?[ \u200c]*")


def _is_free(c: Candidate) -> bool:
    """A weekday or a relative day (امروز، اليوم): it may stand for a date only through a connector or brackets."""
    return c.weekday_only or (c.offset is not None and c.granularity is Granularity.day)


def _explicit_join(kind: str, a: Candidate, b: Candidate) -> bool:
    """Whether a join of ``kind`` between ``a`` and ``b`` links them whatever their values (checked later)."""
    if kind == "in":  # يوم السبت في الرابع عشر من أكتوبر: a weekday, then its date
        return a.weekday_only and not _is_free(b) and b.granularity is Granularity.day
    if _is_free(a) or _is_free(b):
        return kind in ("word", "paren")  # امروز (یکشنبه، ۲۴ سرطان), يوم الأحد الموافق 11 فبراير
    if kind == "word":
        return True
    if kind == "paren":  # ۲۵ ژوئیه (۳ مرداد); ۲۱ اسفند (۱۴۰۲/۱۲/۲۱): the same day restated in digits
        return a.calendar is not b.calendar or (a.lexicon == "numeric") is not (b.lexicon == "numeric")
    if kind == "dash":
        return a.calendar is not b.calendar and a.granularity is b.granularity is Granularity.day
    return False


def extract_dates(text: str, lang: str, reference_date: dt.date | None = None) -> DateExtraction:
    """Find, normalise and link every date in ``text`` (the frozen document text).

    ``lang`` is ``fa``, ``prs`` or ``ar`` (or a tag starting with one; other languages try every month-name set
    with no preference).  ``reference_date`` (the document creation time) resolves year-less and relative
    dates; without it they keep their native parts, no Gregorian range and a note.  Ids are derived from offsets
    (``dt-<start>-<end>``, ``ln-<source>-<target>``), so the same input always gives the same output.
    """
    view = TextView(text)
    vt = view.text
    groups = find_candidates(vt, base_language(lang))
    if not groups:
        return DateExtraction([], [])
    cands: list[Candidate] = []
    explicit: list[tuple[int, int]] = []
    checked: list[tuple[int, int]] = []  # layout and و joins: linked only when the two days agree
    partner: dict[int, int] = {}
    list_next: dict[int, int] = {}  # a year-less date followed by the next item of a list or range
    year_from: dict[int, int] = {}  # ... that takes its year from that item (which has one, or takes it in turn)
    shared_year: set[int] = set()  # both sides of a bracketed pair whose year is written once after it
    joined: set[int] = set()  # joined to the date before it: a following و may continue the chain
    prev: Group | None = None
    for g in groups:
        first = len(cands)
        near = prev is not None and g.start - prev.end <= _LONGEST_JOIN
        if near and prev is not None and first - 1 in partner and _share_year_after_paren(
                vt[prev.end:g.start], cands, partner, first - 1, g):
            shared_year.update((first - 1, partner[first - 1]))
            continue  # ۱۰ حمل (۲۹ مارچ) سال ۲۰۲۰: the year belongs to the pair, not a mention of its own
        cands.extend(g.members)
        if g.dual:
            explicit.append((len(cands) - 2, len(cands) - 1))
        if near and prev is not None:
            i, j = first - 1, first
            between = vt[prev.end:g.start]
            kind = join_kind(between)
            a, b = cands[i], cands[j]
            if _LIST_BETWEEN.fullmatch(between):
                if a.calendar is b.calendar and not a.year_written and a.month is not None and b.month is not None:
                    list_next[i] = j  # ۵ مهر، ۱۲ مهر و ۱۹ مهر ۱۴۰۲, بين 12 يناير و3 فبراير 2025: a year written once
                if kind is not None and _RANGE_BETWEEN.fullmatch(between) and _RANGE_START.search(
                        vt, max(0, prev.start - 6), prev.start):
                    kind = None  # از ۱۰ فروردین تا ۲۰ آوریل, بين 1 محرم و 10 أغسطس: a range, never one day
            if kind is not None and _explicit_join(kind, a, b):
                explicit.append((i, j))
                partner.setdefault(i, j)
                partner.setdefault(j, i)
                joined.update((i, j))
                if kind == "paren" and _bracket_year(vt, lang, a, b):
                    shared_year.update((i, j))  # ۱ فروردین (۲۰ مارس) ۱۴۰۳: the year after the bracket
            elif kind == "layout" or (kind == "and" and i in joined):
                if _is_free(a) != _is_free(b) or (
                        not _is_free(a) and a.calendar is not b.calendar and a.granularity is b.granularity
                        is Granularity.day):
                    checked.append((i, j))
                    joined.update((i, j))
        prev = g
    _weekday_hints(cands, explicit)
    for i in sorted(list_next, reverse=True):
        j = list_next[i]
        if cands[j].year_written or j in year_from:
            year_from[i] = j

    values = _resolve_all(vt, cands, partner, year_from, reference_date)
    for k in shared_year:
        values[k].year_inferred = False  # the year is written once for both sides
    mentions = [_mention(text, view, c, values[i]) for i, c in enumerate(cands)]

    if not explicit and not checked:
        return DateExtraction(mentions=mentions, links=[])
    comps = _Components()
    for i, j in explicit:
        comps.union(i, j)
    for i, j in checked:
        if _agree(mentions, cands, i, j):
            comps.union(i, j)
    found: list[tuple[int, int, DateLink]] = []
    for members in comps.groups():
        if any(_is_free(cands[k]) for k in members):
            _align_free(mentions, cands, members)
        verdicts = {}
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                verdicts[i, j] = check_link(mentions[i], mentions[j])
        for (i, j), (consistent, reason) in verdicts.items():
            src, tgt = mentions[i], mentions[j]
            found.append((i, j, DateLink.model_validate({
                "id": f"ln-{src.id}-{tgt.id}", "source": src.id, "target": tgt.id, "consistent": consistent,
                "reason": reason})))
        for i in members:
            pins = [j for j in members if j != i and verdicts.get((min(i, j), max(i, j)), (False, None))[0]]
            mentions[i] = _pin_hijri(mentions[i], [mentions[j] for j in pins])
    found.sort(key=lambda f: (f[0], f[1]))
    return DateExtraction(mentions=mentions, links=[f[2] for f in found])


_BRACKET_YEAR: Final = re.compile(
    rf"[ \u200c]*\)[ \u200c]*[،,]?[ \u200c]*(?:{words_pattern(('سال', 'عام', 'سنة'))}[ \u200c]?)?(\d{{4}})(?!\d)"
)


def _bracket_year(vt: str, lang: str, a: Candidate, b: Candidate) -> bool:
    """``۱ فروردین (۲۰ مارس) ۱۴۰۳``: a bare year right after the bracket of a pair with no year of its own is the
    pair's year; the side in the year's calendar takes it.  Whether one did."""
    m = _BRACKET_YEAR.match(vt, b.end)
    if m is None or a.year_written or b.year_written:
        return False
    year = int(m.group(1))
    calendar = year_calendar(year, base_language(lang), None)
    for c in (a, b):
        if c.calendar is calendar and c.month is not None and c.offset is None:
            c.year = year
            return True
    return False


def _share_year_after_paren(between: str, cands: list[Candidate], partner: dict[int, int], i: int,
                            g: Group) -> bool:
    """``۱۰ حمل (۲۹ مارچ) سال ۲۰۲۰``: a year written once after a bracketed pair applies to both sides; the side
    in the year's calendar takes it (the other is dated through the link).  Whether it did."""
    if len(g.members) != 1 or g.members[0].granularity is not Granularity.year or not _YEAR_AFTER_PAREN.fullmatch(
            between):
        return False
    y = g.members[0]
    for k in (i, partner[i]):
        c = cands[k]
        if c.calendar is y.calendar and c.month is not None and c.offset is None and y.year is not None and (
                c.year == y.year or not c.year_written):  # (its year may be set already by _bracket_year)
            c.year = y.year
            return True
    return False


def _weekday_hints(cands: list[Candidate], explicit: list[tuple[int, int]]) -> None:
    """``روز چهارشنبه (۲۴ اسد)``: a weekday joined to a year-less day helps pick that day's year."""
    for i, j in explicit:
        for w, d in ((i, j), (j, i)):
            cw, cd = cands[w], cands[d]
            if cw.weekday_only and cd.weekday is None and cd.day is not None and cd.nth is None and not cd.year_written:
                cd.weekday = cw.weekday


def _agree(mentions: list[DateMention], cands: list[Candidate], i: int, j: int) -> bool:
    """Whether two dates side by side with no connector (a dateline, a comma) name one day: a weekday its date's
    weekday, امروز the same day, two calendars days that check as consistent."""
    a, b = mentions[i], mentions[j]
    if _is_free(cands[i]) or _is_free(cands[j]):
        free, (k, dated) = (cands[i], (j, b)) if _is_free(cands[i]) else (cands[j], (i, a))
        if _is_free(cands[k]) or dated.granularity is not Granularity.day or dated.gregorian_start is None:
            return False
        if free.weekday_only:
            return free.weekday == dated.gregorian_start.weekday()
        day = a.gregorian_start if dated is b else b.gregorian_start
        return day is None or day == dated.gregorian_start
    return check_link(a, b)[0]


def _resolve_all(vt: str, cands: list[Candidate], partner: dict[int, int], year_from: dict[int, int],
                 reference: dt.date | None) -> list[_Value]:
    """Every candidate's value, in text order: a written year or a relative word needs nothing else; a year-less
    date is resolved against its partner, a list's shared year, its marker, the sentence's dated mention or the
    reference date (resolve.py's policy).  Values a later one depends on are computed when first needed."""
    values: list[_Value | None] = [None] * len(cands)

    def fixed(k: int) -> _Value:
        """The value of a candidate with a written year (or a relative word): no basis needed."""
        v = values[k]
        if v is None:
            v = values[k] = _resolve(cands[k], reference, None)
        return v

    for i in sorted(year_from, reverse=True):  # right to left: ۵ مهر، ۱۲ مهر و ۱۹ مهر ۱۴۰۲
        c, j = cands[i], year_from[i]
        known = values[j]
        shared = known if known is not None else fixed(j)
        if c.direction is Direction.nearest and shared.start is not None and shared.end is not None:
            v = _resolve(c, reference, _Basis(shared.start, shared.end, Direction.nearest))
            v.year_inferred = False  # the year is written once for the whole list
            values[i] = v
    context: tuple[int, _Value] | None = None
    for i, c in enumerate(cands):
        found = values[i]
        written = c.year is not None or c.cross_year is not None
        if found is None:
            basis = None if written or c.offset is not None else _basis(
                vt, cands, fixed, partner, i, context, reference)
            found = values[i] = _resolve(c, reference, basis)
        if (written or (c.offset is not None and c.granularity is Granularity.year)) and not (
                c.weekday_only or c.since) and found.start is not None:
            context = i, found  # a written year, or a relative one (سال گذشته), dates the rest of its clause
    return [v for v in values if v is not None]


def _basis(vt: str, cands: list[Candidate], fixed: Callable[[int], _Value], partner: dict[int, int], i: int,
           context: tuple[int, _Value] | None, reference: dt.date | None) -> _Basis | None:
    c = cands[i]
    k = partner.get(i)
    if k is not None and cands[k].year_written:
        pv = fixed(k)
        if pv.start is not None and pv.end is not None:
            return _Basis(pv.start, pv.end, Direction.nearest)
    if c.direction is not Direction.nearest:
        return None if reference is None else _Basis(reference, reference, c.direction)
    if context is not None and not c.weekday_only:
        ci, cv = context
        assert cv.start is not None and cv.end is not None
        a, b = cands[ci].end, c.start
        if vt.find("\n", a, b) < 0:
            # In its clause, the dated mention dates the rest; beyond it (another sentence of the paragraph, or
            # "، و…") only a date far from the reference date does: the period a historical text is about.
            historical = reference is None or (cv.end < reference - dt.timedelta(days=_HISTORICAL_DAYS)
                                               or cv.start > reference + dt.timedelta(days=_HISTORICAL_DAYS))
            if historical or not _CLAUSE_END.search(vt, a, b):
                return _Basis(cv.start, cv.end, Direction.nearest)
    if reference is None:
        return None
    return _Basis(reference, reference, Direction.nearest, (vt, c.start, c.end))


def _align_free(mentions: list[DateMention], cands: list[Candidate], members: list[int]) -> None:
    """A weekday or ``امروز``/``اليوم`` stated to be a dated day takes that day (when the weekday fits it)."""
    dated = next((mentions[k] for k in members if not _is_free(cands[k]) and mentions[k].gregorian_start is not None
                  and mentions[k].granularity is Granularity.day), None)
    if dated is None or dated.gregorian_start is None:
        return
    day = dated.gregorian_start
    for k in members:
        c, m = cands[k], mentions[k]
        fits = (c.weekday_only and c.weekday == day.weekday()) or (
            _is_free(c) and not c.weekday_only and m.gregorian_start is None)
        if fits and m.gregorian_start != day:
            mentions[k] = DateMention.model_validate({
                **dict(m), "native": {"year": day.year, "month": day.month, "day": day.day},
                "gregorian_start": day, "gregorian_end": day,
                "note": f"the day of the date it is stated to be ({dated.text})"})


def _pin_hijri(h: DateMention, partners: list[DateMention]) -> DateMention:
    """A Hijri day consistently linked to a non-Hijri day carries the day the text means; the note keeps what
    Umm al-Qura gives (guidelines §5.4)."""
    if h.calendar is not Calendar.lunar_hijri or h.granularity is not Granularity.day or h.gregorian_start is None:
        return h
    other = next((o for o in partners if o.calendar is not Calendar.lunar_hijri and o.granularity is Granularity.day
                  and o.gregorian_start is not None), None)
    if other is None or other.gregorian_start is None:
        return h
    n = h.native
    try:
        umm_al_qura = native_range(Calendar.lunar_hijri, n.year, n.month, n.day)[0] if (
            n.year is not None and n.month is not None and n.day is not None) else h.gregorian_start
    except InvalidDate:
        umm_al_qura = h.gregorian_start
    if umm_al_qura == other.gregorian_start:
        note = "day fixed by the linked date (agrees with Umm al-Qura)"
    else:
        note = (f"day fixed by the linked date {other.text}: the day the text means; Umm al-Qura (hijridate) gives "
                f"{umm_al_qura.isoformat()}, one day apart (local moon sighting)")
    return DateMention.model_validate({**dict(h), "gregorian_start": other.gregorian_start,
                                       "gregorian_end": other.gregorian_end, "note": note})

