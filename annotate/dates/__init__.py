"""The calendar-aware date engine: find, normalise and link dates across calendars in fa, prs and ar text.

``extract_dates(text, lang, reference_date)`` returns :class:`~annotate.models.DateMention` objects (Gregorian,
Solar Hijri and Umm al-Qura Hijri, every month-name set of ``annotate.models.LEXICONS``) and ``same_date``
:class:`~annotate.models.DateLink` objects between the halves of dual names and appositions, each checked for
consistency.  Offsets index the frozen text given; matching runs on a normalised
:class:`~annotate.text.view.TextView`.

Conventions (shared with the seed gold ``tests/data/seed_dates.json``):

* the mention covers the date expression: an attached weekday (with روز/يوم before it), ordinal day words with
  their ``من``, ``ماه``/``برج``/``شهر`` before the month, the year word, an era marker and a deictic marker
  (الماضي، گذشته، امسال، سال گذشته); never a preposition (في، در، از، تا) or part-of-month modifier (اوایل);
* a dual name ``X/Y`` or an apposition gives two mentions and one link; what is written once is shared;
* ``year_inferred``: no year number is written for the mention (nor shared with its pair); ``relative``: a
  deictic marker or a bare weekday decides the value;
* year inference follows :mod:`annotate.dates.resolve`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..errors import InvalidDate
from ..models import Calendar, DateLink, DateMention, Granularity
from ..text.view import TextView
from .calendars import HIJRI_NOTE, NormalizedDate, from_gregorian, native_range, normalize_native
from .lexicon import base_language
from .linking import apposition_kind, check_link
from .recognize import Candidate, find_candidates
from .resolve import Direction, resolve_weekday, resolve_year

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

ENGINE_VERSION = "dates-engine 0.1.0"
"""Recorded with engine pre-annotations; bump it whenever the output for some input changes."""

_NO_REFERENCE = "year not written and no reference date to infer it"


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
        start, end = native_range(c.calendar, year, c.month, c.day)
    except InvalidDate as exc:
        return _Value(year, c.month, c.day, None, None, _invalid(exc), inferred, c.marker)
    note = HIJRI_NOTE if c.calendar is Calendar.lunar_hijri and c.day is not None else None
    if c.weekday is not None and c.day is not None and start.weekday() != c.weekday:
        start, note = _weekday_check(c, start, note)
        end = start
    return _Value(year, c.month, c.day, start, end, note, inferred, c.marker and inferred)


_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _weekday_check(c: Candidate, day: dt.date, note: str | None) -> tuple[dt.date, str | None]:
    """A written weekday that disagrees with the date: it fixes a Hijri day within ±2, otherwise it is noted."""
    assert c.weekday is not None
    written, computed = _WEEKDAY_NAMES[c.weekday], _WEEKDAY_NAMES[day.weekday()]
    if c.calendar is Calendar.lunar_hijri:
        for delta in (-1, 1, -2, 2):
            moved = day + dt.timedelta(days=delta)
            if moved.weekday() == c.weekday:
                return moved, (f"Umm al-Qura (hijridate) gives {day.isoformat()} ({computed}); the written weekday "
                               f"({written}) puts the day on {moved.isoformat()}, as a sighting-based calendar would")
    return day, f"the written weekday ({written}) does not match {day.isoformat()} ({computed})"


def _resolve(c: Candidate, reference: dt.date | None, anchor: dt.date | None) -> _Value:
    """The value of one candidate; ``anchor`` is the Gregorian day of an apposition partner with a year."""
    if c.offset is not None:
        return _relative_value(c, reference)
    if c.weekday_only:
        assert c.weekday is not None
        if reference is None:
            return _Value(None, None, None, None, None, "weekday only and no reference date", True, True)
        day = resolve_weekday(c.weekday, reference, c.direction)
        return _Value(day.year, day.month, day.day, day, day, None, True, True)
    if c.year is not None:
        return _value_from_year(c, c.year, inferred=False)
    assert c.month is not None
    if c.gregorian_year is not None:
        return _holiday_in_gregorian_year(c, c.gregorian_year)
    base, direction = (anchor, Direction.nearest) if anchor is not None else (reference, c.direction)
    if base is None:
        return _Value(None, c.month, c.day, None, None, _NO_REFERENCE, True, c.marker)
    try:
        year = resolve_year(c.calendar, c.month, None if c.nth is not None else c.day, base, direction,
                            None if c.nth is not None else c.weekday)
    except InvalidDate as exc:
        return _Value(None, c.month, c.day, None, None, f"cannot infer the year: {exc.message}", True, c.marker)
    return _value_from_year(c, year, inferred=True)


def _holiday_in_gregorian_year(c: Candidate, gregorian_year: int) -> _Value:
    """A Hijri holiday with a Gregorian year: the first Hijri year whose holiday falls in that Gregorian year."""
    assert c.month is not None and c.gregorian_year is not None
    try:
        first_hijri_year = from_gregorian(Calendar.lunar_hijri, dt.date(gregorian_year, 1, 1))[0]
    except (InvalidDate, ValueError) as exc:
        return _Value(None, c.month, c.day, None, None, f"cannot place the holiday: {exc}", True, False)
    for hy in (first_hijri_year, first_hijri_year + 1):
        value = _value_from_year(c, hy, inferred=True)
        if value.start is not None and value.start.year == gregorian_year:
            return value
    return _Value(None, c.month, c.day, None, None, f"no such holiday in {gregorian_year}", True, False)


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


def extract_dates(text: str, lang: str, reference_date: dt.date | None = None) -> DateExtraction:
    """Find, normalise and link every date in ``text`` (the frozen document text).

    ``lang`` is ``fa``, ``prs`` or ``ar`` (or a tag starting with one; other languages try every month-name set
    with no preference).  ``reference_date`` (the document creation time) resolves year-less and relative
    dates; without it they keep their native parts, no Gregorian range and a note.  Ids are derived from offsets
    (``dt-<start>-<end>``, ``ln-<source>-<target>``), so the same input always gives the same output.
    """
    view = TextView(text)
    lang_key = base_language(lang)
    groups = find_candidates(view.text, lang_key)
    cands: list[Candidate] = []
    pairs: list[tuple[int, int]] = []
    apposition: dict[int, int] = {}
    prev_last: int | None = None
    prev_end = -1
    for g in groups:
        first = len(cands)
        cands.extend(g.members)
        if g.dual:
            pairs.append((len(cands) - 2, len(cands) - 1))
        if prev_last is not None:
            kind = apposition_kind(view.text[prev_end:g.start])
            a, b = cands[prev_last], cands[first]
            if kind is not None and not (a.weekday_only or b.weekday_only) and (
                kind == "word" or a.calendar is not b.calendar
            ):
                pairs.append((prev_last, first))
                apposition[prev_last] = first
                apposition[first] = prev_last
        prev_last = len(cands) - 1
        prev_end = g.end

    values: dict[int, _Value] = {}
    order = sorted(range(len(cands)), key=lambda i: cands[i].year is None)  # written years first
    for i in order:
        c = cands[i]
        anchor = None
        partner = apposition.get(i)
        if c.year is None and partner is not None and cands[partner].year is not None:
            anchor = values[partner].start
        values[i] = _resolve(c, reference_date, anchor)
    mentions = [_mention(text, view, c, values[i]) for i, c in enumerate(cands)]

    links: list[DateLink] = []
    for i, j in pairs:
        src, tgt = mentions[i], mentions[j]
        consistent, reason = check_link(src, tgt)
        links.append(DateLink.model_validate({"id": f"ln-{src.id}-{tgt.id}", "source": src.id, "target": tgt.id,
                                              "consistent": consistent, "reason": reason}))
        if consistent:
            for h, o in ((i, j), (j, i)):
                mentions[h] = _fix_hijri(mentions[h], mentions[o])
    return DateExtraction(mentions=mentions, links=links)


def _fix_hijri(h: DateMention, other: DateMention) -> DateMention:
    """A Hijri day consistently linked to a non-Hijri day takes that day; the note says what Umm al-Qura gave."""
    if (
        h.calendar is not Calendar.lunar_hijri
        or other.calendar is Calendar.lunar_hijri
        or h.granularity is not Granularity.day
        or other.granularity is not Granularity.day
        or other.gregorian_start is None
        or h.gregorian_start is None
    ):
        return h
    if h.gregorian_start == other.gregorian_start:
        note = "day fixed by the linked date (agrees with Umm al-Qura)"
    else:
        note = (f"day fixed by the linked date; Umm al-Qura (hijridate) gives {h.gregorian_start.isoformat()}, "
                "within the 1-2 day spread of Hijri calendars")
    return DateMention.model_validate({**dict(h), "gregorian_start": other.gregorian_start,
                                       "gregorian_end": other.gregorian_end, "note": note})

