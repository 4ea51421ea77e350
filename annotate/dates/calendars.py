"""Calendar arithmetic: native (Gregorian, Solar Hijri, Umm al-Qura Hijri) dates, months and years as Gregorian
ranges, with validation.  Every conversion goes through ``jdatetime`` or ``hijridate``; an impossible date raises
:class:`annotate.errors.InvalidDate` and is never shifted to a neighbour.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import jdatetime
from hijridate import Gregorian, Hijri

from ..errors import InvalidDate
from ..models import Calendar, Granularity
from .lexicon import ENGLISH_MONTHS

__all__ = [
    "HIJRI_NOTE",
    "NormalizedDate",
    "from_gregorian",
    "native_range",
    "normalize_native",
    "to_gregorian",
]

HIJRI_MIN_YEAR = 1343
HIJRI_MAX_YEAR = 1500

HIJRI_NOTE = (
    "Umm al-Qura (hijridate); where the month starts by local moon sighting (Iran, Afghanistan, Morocco ...) the "
    "day may be one day later or earlier (±1 day)"
)


@dataclass(frozen=True)
class NormalizedDate:
    """A native date's granularity and Gregorian range (``None`` when the year is unknown), with a note."""

    granularity: Granularity
    gregorian_start: dt.date | None
    gregorian_end: dt.date | None
    note: str | None = None


def _describe(calendar: Calendar, year: int | None, month: int | None, day: int | None) -> str:
    parts = []
    if day is not None:
        parts.append(str(day))
    if month is not None:
        parts.append(ENGLISH_MONTHS[calendar][month - 1] if 1 <= month <= 12 else f"month {month}")
    if year is not None:
        parts.append(str(year))
    return f"{' '.join(parts)} ({calendar.value})"


def _hijri(year: int, month: int, day: int) -> Hijri:
    if not HIJRI_MIN_YEAR <= year <= HIJRI_MAX_YEAR:
        raise InvalidDate(
            f"Hijri year {year} is outside the Umm al-Qura table ({HIJRI_MIN_YEAR}-{HIJRI_MAX_YEAR} AH) that "
            "hijridate covers",
            hint="check the year, or give the Gregorian date instead",
        )
    try:
        return Hijri(year, month, day)
    except (ValueError, OverflowError) as exc:
        raise InvalidDate(f"{_describe(Calendar.lunar_hijri, year, month, day)} does not exist: {exc}") from None


def _solar(year: int, month: int, day: int) -> jdatetime.date:
    try:
        # Passing the Persian locale skips jdatetime's per-object locale.getlocale() probe (a third of its cost).
        return jdatetime.date(year, month, day, locale=jdatetime.FA_LOCALE)
    except (ValueError, OverflowError) as exc:
        hint = None
        if month == 12 and day == 30:
            hint = f"{year} is not a leap year in the Solar Hijri calendar, so Esfand has 29 days"
        raise InvalidDate(
            f"{_describe(Calendar.solar_hijri, year, month, day)} does not exist: {exc}", hint=hint
        ) from None


def _check_month(calendar: Calendar, month: int) -> None:
    if not 1 <= month <= 12:
        raise InvalidDate(f"month {month} does not exist in the {calendar.value} calendar (use 1-12)")


@lru_cache(maxsize=65536)
def to_gregorian(calendar: Calendar, year: int, month: int, day: int) -> dt.date:
    """The Gregorian day of a native day; raises :class:`InvalidDate` if it does not exist."""
    _check_month(calendar, month)
    if calendar is Calendar.gregorian:
        try:
            return dt.date(year, month, day)
        except ValueError as exc:
            raise InvalidDate(f"{_describe(calendar, year, month, day)} does not exist: {exc}") from None
    month_start = _month_start(calendar, year, month)
    if month_start is not None and 1 <= day <= month_start[1]:
        return month_start[0] + dt.timedelta(days=day - 1)
    if calendar is Calendar.solar_hijri:  # not a day of the month: the library says why
        g = _solar(year, month, day).togregorian()
        return dt.date(g.year, g.month, g.day)
    g2 = _hijri(year, month, day).to_gregorian()
    return dt.date(g2.year, g2.month, g2.day)


@lru_cache(maxsize=16384)
def _month_start(calendar: Calendar, year: int, month: int) -> tuple[dt.date, int] | None:
    """The Gregorian first day and the length of a Solar or Hijri month (None if the library rejects it).

    Days of a month are consecutive, so every other day is an addition: converting with the libraries costs
    ~15 us a day, and a corpus names far fewer months than days.
    """
    try:
        if calendar is Calendar.solar_hijri:
            g = _solar(year, month, 1).togregorian()
        else:
            g = _hijri(year, month, 1).to_gregorian()
        return dt.date(g.year, g.month, g.day), _month_length(calendar, year, month)
    except InvalidDate:
        return None


@lru_cache(maxsize=65536)
def from_gregorian(calendar: Calendar, day: dt.date) -> tuple[int, int, int]:
    """The native ``(year, month, day)`` of a Gregorian day."""
    if calendar is Calendar.gregorian:
        return day.year, day.month, day.day
    found = _find_month(calendar, day)
    if found is not None:
        return found
    if calendar is Calendar.solar_hijri:
        j = jdatetime.date.fromgregorian(date=day, locale=jdatetime.FA_LOCALE)
        return j.year, j.month, j.day
    try:
        h = Gregorian(day.year, day.month, day.day).to_hijri()
    except (ValueError, OverflowError) as exc:
        raise InvalidDate(f"{day.isoformat()} is outside the Umm al-Qura table: {exc}") from None
    return h.year, h.month, h.day


_SOLAR_1400: Final = dt.date(2021, 3, 21)  # 1 Farvardin 1400
_HIJRI_1440: Final = dt.date(2018, 9, 11)  # 1 Muharram 1440 (Umm al-Qura)


def _find_month(calendar: Calendar, day: dt.date) -> tuple[int, int, int] | None:
    """The native date of ``day`` read off the cached month starts (None: let the library convert it).

    A guess from the mean year or month length lands within a month or two; stepping to the month that contains
    the day uses the same starts and lengths the libraries give, so the answer is theirs, ~10x cheaper.
    """
    if calendar is Calendar.solar_hijri:
        delta = (day - _SOLAR_1400).days
        year = 1400 + int(delta // 365.2422)
        doy = delta - round((year - 1400) * 365.2422)
        month = 1 + doy // 31 if doy < 186 else 7 + (doy - 186) // 30
    else:
        months = int((day - _HIJRI_1440).days // 29.530589)
        year, month = 1440 + months // 12, months % 12 + 1
    month = min(max(month, 1), 12)
    for _ in range(6):
        start = _month_start(calendar, year, month)
        if start is None:
            return None
        offset = (day - start[0]).days
        if offset < 0:
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        elif offset >= start[1]:
            year, month = (year, month + 1) if month < 12 else (year + 1, 1)
        else:
            return year, month, offset + 1
    return None


def _month_length(calendar: Calendar, year: int, month: int) -> int:
    if calendar is Calendar.gregorian:
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        return (nxt - dt.date(year, month, 1)).days
    if calendar is Calendar.solar_hijri:
        if month < 12:
            return 31 if month <= 6 else 30
        return 30 if _solar(year, 1, 1).isleap() else 29
    return int(_hijri(year, month, 1).month_length())


@lru_cache(maxsize=65536)
def native_range(
    calendar: Calendar, year: int, month: int | None = None, day: int | None = None
) -> tuple[dt.date, dt.date]:
    """First and last Gregorian day of a native day, month or year (validated)."""
    if day is not None:
        if month is None:
            raise InvalidDate("a day needs a month")
        g = to_gregorian(calendar, year, month, day)
        return g, g
    if month is not None:
        _check_month(calendar, month)
        first = to_gregorian(calendar, year, month, 1)
        return first, to_gregorian(calendar, year, month, _month_length(calendar, year, month))
    first = to_gregorian(calendar, year, 1, 1)
    return first, to_gregorian(calendar, year, 12, _month_length(calendar, year, 12))


def normalize_native(
    calendar: Calendar, year: int | None, month: int | None, day: int | None
) -> NormalizedDate:
    """Normalise a native date as an annotator types it.

    A day is one Gregorian day; a month or a year of any calendar is the Gregorian range it covers
    (``اردیبهشت 1398`` = 2019-04-21 .. 2019-05-21).  Without a year the date keeps no Gregorian range and
    ``note`` says so.  Hijri days carry their ±1 day uncertainty in ``note``.  Raises
    :class:`annotate.errors.InvalidDate` for dates that do not exist (30 Esfand in a common year, 31 Mehr, Hijri
    years outside 1343-1500).
    """
    calendar = Calendar(calendar)
    if day is not None and month is None:
        raise InvalidDate("a day needs a month", hint="give the month, or leave the day empty")
    if year is None and month is None:
        raise InvalidDate("a date needs at least a year or a month")
    granularity = Granularity.day if day is not None else Granularity.month if month is not None else Granularity.year
    if year is None:
        assert month is not None
        _check_month(calendar, month)
        if day is not None:
            longest = 31 if calendar is not Calendar.lunar_hijri else 30
            if calendar is Calendar.solar_hijri and month > 6:
                longest = 30
            if calendar is Calendar.gregorian:
                longest = _month_length(calendar, 2000, month)  # 2000 is a leap year: Feb 29 may exist
            if not 1 <= day <= longest:
                raise InvalidDate(f"{_describe(calendar, None, month, day)} does not exist in any year")
        return NormalizedDate(granularity, None, None, "year not written and no reference date to infer it")
    start, end = native_range(calendar, year, month, day)
    note = HIJRI_NOTE if calendar is Calendar.lunar_hijri and day is not None else None
    return NormalizedDate(granularity, start, end, note)
