"""Year inference for year-less dates and weekday resolution, against the document's reference date.

The policy (calendars.md §6), in order:

1. An explicit marker wins.  ``سال گذشته``/``العام الماضي`` (last year), ``امسال``/``هذا العام`` (this year) and
   ``سال آینده``/``العام المقبل`` (next year) set the year relative to the reference date's year *in the date's
   own calendar*.  ``الماضي``/``المنصرم``/``گذشته`` (past) pick the latest occurrence strictly before the reference
   date (for a month: a month that has ended); ``القادم``/``المقبل``/``آینده`` (future) the first occurrence
   strictly after it (for a month: one that has not begun).
2. Otherwise the occurrence nearest the reference date (a month containing it is at distance 0); a tie goes to
   the past, since news reports what happened.  A weekday written with the date (``الاربعاء، 13 شباط``) picks,
   among the candidate years, one where the weekday matches when there is one.
3. Solar and Hijri dates are resolved in their own calendar: the reference date is converted first, so
   ``سوم بهمن`` in an article of 2022-01-25 resolves in 1400, not "2022".

Weekday-only expressions (``اليوم السبت``, ``روز پنجشنبه``) resolve to the reference date itself when it is that
weekday, otherwise to the nearest *preceding* such day (news is past tense); ``القادم``/``آینده`` take the next
one and ``الماضي``/``گذشته`` the previous one strictly before the reference date.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from functools import lru_cache

from ..errors import InvalidDate
from ..models import Calendar
from .calendars import from_gregorian, native_range

__all__ = ["Direction", "resolve_weekday", "resolve_year"]


class Direction(StrEnum):
    """What a relative marker next to a year-less date says about its year."""

    nearest = "nearest"
    past = "past"
    future = "future"
    last_year = "last_year"
    this_year = "this_year"
    next_year = "next_year"


@lru_cache(maxsize=65536)
def resolve_year(
    calendar: Calendar,
    month: int,
    day: int | None,
    reference: dt.date,
    direction: Direction = Direction.nearest,
    weekday: int | None = None,
) -> int:
    """The native year of a year-less ``day``/``month`` in ``calendar`` written in a text dated ``reference``.

    See the module docstring for the policy.  ``weekday`` is ``date.weekday()`` of a weekday written with the date.
    Raises :class:`annotate.errors.InvalidDate` when no candidate year has such a date (31 Mehr) or the reference
    date is outside the calendar's table.
    """
    ref_year = from_gregorian(calendar, reference)[0]
    if direction is Direction.this_year:
        return ref_year
    if direction is Direction.last_year:
        return ref_year - 1
    if direction is Direction.next_year:
        return ref_year + 1
    candidates: list[tuple[int, dt.date, dt.date]] = []
    last_error: InvalidDate | None = None
    for year in range(ref_year - 2, ref_year + 3):
        try:
            start, end = native_range(calendar, year, month, day)
        except InvalidDate as exc:
            last_error = exc
            continue
        candidates.append((year, start, end))
    if weekday is not None and day is not None:
        matching = [c for c in candidates if c[1].weekday() == weekday]
        if matching:
            candidates = matching
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

    def distance(c: tuple[int, dt.date, dt.date]) -> tuple[int, int]:
        _, start, end = c
        if start <= reference <= end:
            gap = 0
        else:
            gap = min(abs((start - reference).days), abs((end - reference).days))
        return gap, 0 if end <= reference else 1  # ties go to the past

    return min(candidates, key=distance)[0]


def resolve_weekday(weekday: int, reference: dt.date, direction: Direction = Direction.nearest) -> dt.date:
    """The day a weekday-only expression means in a text dated ``reference`` (``weekday`` as ``date.weekday()``)."""
    back = (reference.weekday() - weekday) % 7
    if direction is Direction.future or direction is Direction.next_year:
        ahead = (weekday - reference.weekday()) % 7 or 7
        return reference + dt.timedelta(days=ahead)
    if direction is Direction.past and back == 0:
        back = 7
    return reference - dt.timedelta(days=back)
