"""Year inference for year-less dates and weekday resolution, against the document's reference date.

The policy (calendars.md §6, guidelines §5.5), in order:

1. An explicit marker wins.  ``سال گذشته``/``العام الماضي`` (last year), ``امسال``/``هذا العام``/``الجاري`` (this
   year) and ``سال آینده``/``العام المقبل`` (next year) set the year relative to the reference date's year *in the
   date's own calendar*.  ``الماضي``/``المنصرم``/``گذشته`` (past) pick the latest occurrence strictly before the
   reference date (for a month: a month that has ended); ``القادم``/``المقبل``/``آینده`` (future) the first
   occurrence strictly after it (for a month: one that has not begun).
2. A date in apposition to a dated partner takes the occurrence nearest that partner.
3. The year named earlier in the same sentence (or, for a year far from the reference date, the same paragraph):
   the occurrence nearest that dated mention's range (``اسفند ۱۴۰۲ ... به اردیبهشت موکول شد`` is 1403).
4. Otherwise the occurrence nearest the reference date (a month containing it is at distance 0); a tie goes to
   the past, since news reports what happened.  The tense of the sentence breaks near-ties: a future verb takes
   the next occurrence that is not over, a past verb the last one that has begun when it is within 300 days.  A
   weekday written with the date (``الاربعاء، 13 شباط``) picks, among the candidate years, one where the weekday
   matches when there is one.
5. Solar and Hijri dates are resolved in their own calendar: the reference date is converted first, so
   ``سوم بهمن`` in an article of 2022-01-25 resolves in 1400, not "2022".

Weekday-only expressions (``اليوم السبت``, ``روز پنجشنبه``) resolve to the reference date itself when it is that
weekday, otherwise to the nearest *preceding* such day (news is past tense); ``القادم``/``آینده`` (or a future verb)
take the next one and ``الماضي``/``گذشته`` the previous one strictly before the reference date.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from functools import lru_cache

from ..errors import InvalidDate
from ..models import Calendar
from .calendars import from_gregorian, native_range

__all__ = ["PAST_TENSE_WINDOW_DAYS", "Direction", "Tense", "resolve_weekday", "resolve_year"]

PAST_TENSE_WINDOW_DAYS = 300
"""A past verb moves a year-less date to its last occurrence only when that one is at most this many days back."""


class Direction(StrEnum):
    """What a relative marker next to a year-less date says about its year."""

    nearest = "nearest"
    past = "past"
    future = "future"
    last_year = "last_year"
    this_year = "this_year"
    next_year = "next_year"


class Tense(StrEnum):
    """The tense of the sentence a year-less date is written in (``none`` when no verb decides it)."""

    none = "none"
    past = "past"
    future = "future"


_Occurrence = tuple[int, dt.date, dt.date]


def _occurrences(calendar: Calendar, month: int, day: int | None, around: dt.date,
                 weekday: int | None) -> tuple[list[_Occurrence], InvalidDate | None]:
    ref_year = from_gregorian(calendar, around)[0]
    found: list[_Occurrence] = []
    last_error: InvalidDate | None = None
    for year in range(ref_year - 2, ref_year + 3):
        try:
            start, end = native_range(calendar, year, month, day)
        except InvalidDate as exc:
            last_error = exc
            continue
        found.append((year, start, end))
    if weekday is not None and day is not None:
        matching = [c for c in found if c[1].weekday() == weekday]
        if matching:
            found = matching
    return found, last_error


def _gap(c: _Occurrence, first: dt.date, last: dt.date) -> int:
    _, start, end = c
    if start <= last and first <= end:
        return 0
    return (first - end).days if end < first else (start - last).days


@lru_cache(maxsize=65536)
def resolve_year(
    calendar: Calendar,
    month: int,
    day: int | None,
    reference: dt.date,
    direction: Direction = Direction.nearest,
    weekday: int | None = None,
    reference_end: dt.date | None = None,
    tense: Tense = Tense.none,
) -> int:
    """The native year of a year-less ``day``/``month`` in ``calendar`` written in a text dated ``reference``.

    See the module docstring for the policy.  ``weekday`` is ``date.weekday()`` of a weekday written with the date.
    ``reference_end`` makes the reference a range (a dated mention the sentence is about): the occurrence nearest
    the range is taken.  ``tense`` is the sentence's tense (only with ``Direction.nearest``).  Raises
    :class:`annotate.errors.InvalidDate` when no candidate year has such a date (31 Mehr) or the reference date is
    outside the calendar's table.
    """
    ref_year = from_gregorian(calendar, reference)[0]
    if direction is Direction.this_year:
        return ref_year
    if direction is Direction.last_year:
        return ref_year - 1
    if direction is Direction.next_year:
        return ref_year + 1
    candidates, last_error = _occurrences(calendar, month, day, reference, weekday)
    if direction is Direction.past:
        past = [c for c in candidates if c[2] < reference]
        if past:
            return max(past)[0]
    elif direction is Direction.future:
        future = [c for c in candidates if c[1] > reference]
        if future:
            return min(future)[0]
    if not candidates:
        raise last_error or InvalidDate(f"no year has month {month} day {day} in the {calendar.value} calendar")
    last = reference_end or reference

    def distance(c: _Occurrence) -> tuple[int, int]:
        return _gap(c, reference, last), 0 if c[2] <= last else 1  # ties go to the past

    nearest = min(candidates, key=distance)
    if tense is Tense.future and nearest[2] < reference:
        ahead = [c for c in candidates if c[2] >= reference]
        if ahead:
            return min(ahead, key=distance)[0]
    elif tense is Tense.past and nearest[1] > reference:
        behind = [c for c in candidates if c[1] <= reference
                  and (reference - c[1]).days <= PAST_TENSE_WINDOW_DAYS]
        if behind:
            return min(behind, key=distance)[0]
    return nearest[0]


def resolve_weekday(weekday: int, reference: dt.date, direction: Direction = Direction.nearest) -> dt.date:
    """The day a weekday-only expression means in a text dated ``reference`` (``weekday`` as ``date.weekday()``)."""
    back = (reference.weekday() - weekday) % 7
    if direction is Direction.future or direction is Direction.next_year:
        ahead = (weekday - reference.weekday()) % 7 or 7
        return reference + dt.timedelta(days=ahead)
    if direction is Direction.past and back == 0:
        back = 7
    return reference - dt.timedelta(days=back)


WEEK_START: int = 5
"""Weeks start on Saturday (``date.weekday()`` 5), as in Iran, Afghanistan and most Arab states."""


def resolve_weekday_of_week(weekday: int, reference: dt.date, week: int) -> dt.date:
    """The ``weekday`` of the week ``week`` weeks from the reference date's (``دوشنبه هفته گذشته``: week -1)."""
    week_start = reference - dt.timedelta(days=(reference.weekday() - WEEK_START) % 7)
    return week_start + dt.timedelta(days=(weekday - WEEK_START) % 7 + 7 * week)
