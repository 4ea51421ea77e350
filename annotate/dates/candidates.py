"""What the recogniser reads: :class:`Candidate` (one date expression, its parts in native values) and
:class:`Group` (candidates read from one stretch of text), and the year rules they share (the calendar of a bare
year, two-digit years)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Calendar, Granularity
from .resolve import Direction

__all__ = ["Candidate", "Group", "gregorian_two_digit", "solar_two_digit", "written_year_calendar", "year_calendar"]


def year_calendar(year: int, lang: str | None, era: Calendar | None) -> Calendar | None:
    """The calendar of a bare year: its era marker, else its range read with the language (calendars.md §4).

    In fa/prs a 13xx/14xx year up to 1430 is Solar Hijri and a later one Hijri (the Solar year 1431 is in 2052);
    in Arabic a 13xx/14xx year is Hijri; 1800-2200 is Gregorian.
    """
    if era is not None:
        return era
    if 1300 <= year <= 1500:
        if lang == "ar" or year > 1430:
            return Calendar.lunar_hijri
        return Calendar.solar_hijri
    if 1800 <= year <= 2200:
        return Calendar.gregorian
    return None


def written_year_calendar(month_calendar: Calendar, year: int, era: Calendar | None, lang: str | None) -> Calendar:
    """The calendar a year written after a month counts in: the month's own unless the number cannot be one of its
    years (``شوال 2022``: a Gregorian year; ``آذار ۱۴۰۲`` in Persian: a Solar year)."""
    if month_calendar is Calendar.gregorian:
        if era is not None and era is not Calendar.gregorian and 1300 <= year <= 1500:
            return era
        if lang in ("fa", "prs") and era is None and 1300 <= year <= 1450:
            return Calendar.solar_hijri
        return Calendar.gregorian
    if 1800 <= year <= 2200:
        return Calendar.gregorian
    return month_calendar


@dataclass
class Candidate:
    """One date expression in view offsets, with the parts read from the text (native values)."""

    start: int
    end: int
    calendar: Calendar
    lexicon: str
    granularity: Granularity
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    direction: Direction = Direction.nearest
    """Relative marker written with (or shared by) the expression."""
    marker: bool = False
    """A deictic marker (الماضي، امسال، اليوم ...) or a bare weekday decides the value."""
    weekday_only: bool = False
    offset: int | None = None
    """For a relative day, month or year (أمس، الشهر الماضي، امسال): its offset from the reference date."""
    unit: str = "day"
    """Unit of ``offset``: day, week, month or year."""
    nth: int | None = None
    """The n-th ``weekday`` of the month (-1: the last), for ``ثاني اربعاء من شهر اكتوبر``."""
    cross_year: tuple[Calendar, int] | None = None
    """A year written in another calendar than the month's (``شوال 2022``, ``عيد الأضحى 2013``, ``آذار ۱۴۰۲``):
    the month or day is the one that falls in that year."""
    spelling: str | None = None
    """The month name as matched (squeezed view form), to settle its set from the rest of the document."""
    last_day: bool = False
    """``سلخ شعبان``, ``آخرین روز اسفند``: the last day of the month."""
    part: str | None = None
    """``early``, ``mid`` or ``late``: a part of the month (``أوائل مارس``, ``اواخر برج سنبله``)."""
    week: int | None = None
    """For a weekday with a week word (``دوشنبه هفته گذشته``): the week, counted from the reference date's (-1: the
    week before)."""
    since: bool = False
    """Written after ``از``/``منذ`` (since): an open-ended start, not the time a paragraph is about."""

    @property
    def year_written(self) -> bool:
        """Whether a year is written for the expression (in its own calendar or another)."""
        return self.year is not None or self.cross_year is not None


@dataclass
class Group:
    """Candidates read from one stretch of text: one date, the two halves of a dual name ``X/Y``, or the two
    years of a year list (``سال 2014 تا 2020``)."""

    members: list[Candidate] = field(default_factory=list)
    dual: bool = False
    """The last two members are the two halves of one dual-name expression (to be linked)."""

    @property
    def start(self) -> int:
        return self.members[0].start

    @property
    def end(self) -> int:
        return self.members[-1].end


def solar_two_digit(yy: int) -> int:
    """The Solar year of a two-digit year (``۹۸`` = 1398, ``۰۲`` = 1402): 00-20 are 14xx, the rest 13xx."""
    return 1400 + yy if yy <= 20 else 1300 + yy


def gregorian_two_digit(yy: int) -> int:
    """The Gregorian year of a two-digit year in Arabic text (``أكتوبر 73`` = 1973): 00-25 are 20xx, the rest 19xx."""
    return 2000 + yy if yy <= 25 else 1900 + yy


