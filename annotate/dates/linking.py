"""Cross-calendar equivalences: which date mentions denote the same day, and whether they agree.

Two mentions are joined by a ``same_date`` link when the text says they are one date (guidelines §6.1):

* the halves of a dual name (``ديسمبر/كانون الأول``, ``مارس آذار``, ``يناير-كانون الثاني``);
* a connector between them (``برابر با``، ``مطابق با``، ``مصادف با``، ``معادل``، ``یعنی``، ``=``، ``الموافق``،
  ``الموافق لـ``، ``الذي يوافق``، ``ويوافق``، ``بتاريخ``), also between a weekday or ``امروز``/``اليوم`` and a date;
* brackets: ``X (Y)``;
* between two calendars, a dash, slash or pipe (``۲۲ حمل ۱۴۰۳ / ۱ شوال ۱۴۴۵``);
* a dateline or masthead layout (spaces, line breaks, commas, a clock time between two days of different
  calendars) or ``و`` continuing a connector chain, *when the two days agree*.

Every mention of such a chain denotes one day, so each pair of them is linked.  Ranges (``از … تا``، ``بين … و``)
and lists are never linked.  Each link is checked (:func:`check_link`), never assumed: the Gregorian/Solar offset
moves with the leap cycle, sources pair the wrong month names (seed 003's ``يناير/كانون الأول``), and a Hijri day
written by local moon sighting may be one day off Umm al-Qura (consistent, with a note saying so).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

from ..errors import InvalidDate
from ..models import Calendar, DateMention, Granularity
from ..text.view import SEP
from .calendars import native_range
from .lexicon import CORRESPONDS, ENGLISH_MONTHS, canonical_name, words_pattern

__all__ = ["HIJRI_TOLERANCE_DAYS", "LONGEST_BETWEEN", "JoinKind", "check_link", "describe_native", "join_kind"]

HIJRI_TOLERANCE_DAYS: Final = 1
"""A Hijri day may be this many days off its partner and still agree: Umm al-Qura against local moon sighting
(Iran, Afghanistan, Morocco ...).  More than that is a disagreement (guidelines §5.4, §6.3)."""

JoinKind = str
"""How the text between two dates joins them: ``word`` (a connector), ``paren``, ``dash`` (dash, slash, pipe),
``and`` (و), ``in`` (في/در after a weekday), ``layout`` (spaces, line breaks, commas, a clock time)."""

_WS: Final = r"[ \u200c\t\n]{0,3}"
_BETWEEN_WORD: Final = re.compile(
    rf"{_WS}[-–—،,|(]?{_WS}(?:(?:است|بود|را){SEP})?(?:{words_pattern(CORRESPONDS)}){SEP}[:]?{SEP}(?:ل{SEP})?"
    rf"(?:يوم{SEP})?"
)
_BETWEEN_PAREN: Final = re.compile(rf"{_WS}[(\[]{_WS}")
_BETWEEN_DASH: Final = re.compile(rf"{_WS}[-–—|/•]{_WS}")
_BETWEEN_IN: Final = re.compile(rf"{_WS}[،,]?{_WS}(?:{words_pattern(('في', 'در'))}){SEP}")
"""``يوم السبت في الرابع عشر من أكتوبر``: a weekday, then the date it falls on (only after a weekday)."""
_BETWEEN_AND: Final = re.compile(rf"{_WS}[،,]?{_WS}و{SEP}")
_BETWEEN_LAYOUT: Final = re.compile(
    r"(?:[ \u200c\t\n]|[-–—|/•·،,:]|\d{1,2}:\d{2}(?::\d{2})?"
    r"|(?<![^\W\d_])(?:ص|م|صباحا|مساء|مساءا|ظهرا|ق\.?ظ|ب\.?ظ|GMT)(?![^\W\d_]))*"
)
LONGEST_BETWEEN: Final = 48
"""No text longer than this joins two dates (connector phrases are short; a masthead gap holds a clock time)."""


def join_kind(between: str) -> JoinKind | None:
    """How the view text between two dates joins them (see :data:`JoinKind`), or None."""
    if len(between) > LONGEST_BETWEEN:
        return None  # most dates are far apart: no need to try the patterns
    if _BETWEEN_PAREN.fullmatch(between):
        return "paren"
    if _BETWEEN_WORD.fullmatch(between):
        return "word"
    if _BETWEEN_DASH.fullmatch(between):
        return "dash"
    if _BETWEEN_AND.fullmatch(between):
        return "and"
    if _BETWEEN_IN.fullmatch(between):
        return "in"
    if between.count("\n") <= 2 and _BETWEEN_LAYOUT.fullmatch(between):
        return "layout"
    return None


def describe_native(m: DateMention) -> str:
    """A mention's native value in words, e.g. ``10 بهمن 1398``, ``كانون الأول 2019`` or ``2020-01-30``."""
    n = m.native
    if m.lexicon in ("none", "numeric") or n.month is None:
        parts = [str(n.year) if n.year is not None else "????"]
        if n.month is not None:
            parts.append(f"{n.month:02d}")
        if n.day is not None:
            parts.append(f"{n.day:02d}")
        return "-".join(parts)
    words = [str(n.day)] if n.day is not None else []
    words.append(canonical_name(m.lexicon, n.month))
    if n.year is not None:
        words.append(str(n.year))
    return " ".join(words)


def _range(m: DateMention) -> str:
    assert m.gregorian_start is not None and m.gregorian_end is not None
    if m.gregorian_start == m.gregorian_end:
        return m.gregorian_start.isoformat()
    return f"{m.gregorian_start.isoformat()}..{m.gregorian_end.isoformat()}"


_CALENDAR_WORDS: Final = {Calendar.gregorian: "Gregorian", Calendar.solar_hijri: "Solar Hijri",
                          Calendar.lunar_hijri: "Hijri"}


def _sighting_note(hijri: DateMention, other: DateMention, umm_al_qura: dt.date) -> str:
    """Which convention each side of a Hijri link one day off Umm al-Qura follows."""
    assert other.gregorian_start is not None
    side = "after" if other.gregorian_start > umm_al_qura else "before"
    return (f"{describe_native(hijri)} is {umm_al_qura.isoformat()} by Umm al-Qura (hijridate); the "
            f"{_CALENDAR_WORDS[Calendar(other.calendar)]} date {describe_native(other)} is "
            f"{other.gregorian_start.isoformat()}, one day {side}: the text's Hijri day follows local moon "
            "sighting (as in Iran, Afghanistan, Morocco), within the ±1 day Hijri tolerance")


def check_link(a: DateMention, b: DateMention) -> tuple[bool, str | None]:
    """Whether two linked mentions denote the same day or range: ``(consistent, reason)``.

    Dual names of one calendar must name the same month (``January vs December``).  Otherwise the Gregorian
    ranges must be equal (``10 بهمن 1398 is 2020-01-30, not 2020-01-31``), except that a Hijri day may be one day
    (:data:`HIJRI_TOLERANCE_DAYS`) off its partner: then the link is consistent and ``reason`` is a note naming
    each side's convention.  Mentions without a Gregorian value (no year and no reference date) are compared on
    their native parts when they share a calendar, and otherwise pass.
    """
    if a.calendar is b.calendar and a.native.month is not None and b.native.month is not None:
        if a.native.month != b.native.month:
            names = ENGLISH_MONTHS[Calendar(a.calendar)]
            return False, f"{names[a.native.month - 1]} vs {names[b.native.month - 1]}"
        if a.native.day is not None and b.native.day is not None and a.native.day != b.native.day:
            return False, f"day {a.native.day} vs day {b.native.day}"
    if a.gregorian_start is None or b.gregorian_start is None:
        return True, None
    if (
        (a.calendar is Calendar.lunar_hijri) != (b.calendar is Calendar.lunar_hijri)
        and a.granularity is Granularity.day
        and b.granularity is Granularity.day
    ):
        hijri, partner = (a, b) if a.calendar is Calendar.lunar_hijri else (b, a)
        assert partner.gregorian_start is not None
        umm_al_qura = _umm_al_qura(hijri)
        gap = abs((partner.gregorian_start - umm_al_qura).days)
        if gap == 0:
            return True, None
        if gap <= HIJRI_TOLERANCE_DAYS:
            return True, _sighting_note(hijri, partner, umm_al_qura)
        return False, f"{describe_native(hijri)} is {umm_al_qura.isoformat()}, not {_range(partner)}"
    if (a.gregorian_start, a.gregorian_end) == (b.gregorian_start, b.gregorian_end):
        return True, None
    if (a.calendar is not b.calendar and a.granularity is b.granularity is Granularity.year
            and a.gregorian_end is not None and b.gregorian_end is not None
            and a.gregorian_start <= b.gregorian_end and b.gregorian_start <= a.gregorian_end):
        return True, (f"{describe_native(a)} is {_range(a)} and {describe_native(b)} is {_range(b)}: years of two "
                      "calendars overlap, which is what a year equivalence states")
    subject, other = a, b
    if a.calendar is Calendar.gregorian and b.calendar is not Calendar.gregorian:
        subject, other = b, a
    return False, f"{describe_native(subject)} is {_range(subject)}, not {_range(other)}"


def _umm_al_qura(hijri: DateMention) -> dt.date:
    """The Umm al-Qura day of a Hijri day mention (its own value when its native date cannot be converted)."""
    n = hijri.native
    assert hijri.gregorian_start is not None
    if n.year is None or n.month is None or n.day is None:
        return hijri.gregorian_start
    try:
        return native_range(Calendar.lunar_hijri, n.year, n.month, n.day)[0]
    except InvalidDate:
        return hijri.gregorian_start
