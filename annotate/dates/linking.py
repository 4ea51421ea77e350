"""Cross-calendar equivalences: which date mentions denote the same day, and whether they agree.

Two mentions are joined by a ``same_date`` link when they are the halves of a dual name (``ديسمبر/كانون الأول``)
or stand in apposition: ``X (Y)``, ``X الموافق Y``, ``X برابر با Y``, ``X مطابق با Y``, ``X معادل Y`` and, between
two different calendars, ``X - Y`` and ``X / Y`` (datelines: ``۲۲ حمل ۱۴۰۳ / ۱ شوال ۱۴۴۵ / ۱۰ اپریل ۲۰۲۴``).
Each link is checked (:func:`check_link`), never assumed: the Gregorian/Solar offset moves with the leap cycle
and sources pair the wrong month names (seed 003's ``يناير/كانون الأول``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

from ..models import Calendar, DateMention, Granularity
from ..text.view import SEP
from .lexicon import CORRESPONDS, ENGLISH_MONTHS, canonical_name, words_pattern

__all__ = ["HIJRI_TOLERANCE_DAYS", "apposition_kind", "check_link", "describe_native"]

HIJRI_TOLERANCE_DAYS: Final = 2
"""Hijri days vary by up to this many days between Umm al-Qura, civil and sighting calendars (calendars.md §2.9)."""

_BETWEEN_WORD: Final = re.compile(rf"{SEP}[،,]?{SEP}{words_pattern(CORRESPONDS)}{SEP}(?:ل{SEP})?")
_BETWEEN_PAREN: Final = re.compile(rf"{SEP}\({SEP}")
_BETWEEN_DASH: Final = re.compile(rf"{SEP}[-–—|/]{SEP}")
_LONGEST_BETWEEN: Final = max(len(w) for w in CORRESPONDS) + 6
"""No text longer than this matches one of the ``_BETWEEN`` patterns (separators, comma, the word, ``ل``)."""


def apposition_kind(between: str) -> str | None:
    """How the view text between two dates joins them: ``word``, ``paren``, ``dash`` (or slash) or None."""
    if len(between) > _LONGEST_BETWEEN:
        return None  # most dates are far apart: no need to try the patterns
    if _BETWEEN_PAREN.fullmatch(between):
        return "paren"
    if _BETWEEN_WORD.fullmatch(between):
        return "word"
    if _BETWEEN_DASH.fullmatch(between):
        return "dash"
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


def _days_apart(a: dt.date, b: dt.date) -> int:
    return abs((a - b).days)


def check_link(a: DateMention, b: DateMention) -> tuple[bool, str | None]:
    """Whether two linked mentions denote the same day or range, and why not when they do not.

    Dual names of one calendar must name the same month (``January vs December``).  Otherwise the Gregorian
    ranges must be equal (``10 بهمن 1398 is 2020-01-30, not 2020-01-31``), except that a Hijri day may be
    :data:`HIJRI_TOLERANCE_DAYS` away from its partner.  Mentions without a Gregorian value (no year and no
    reference date) are compared on their native parts when they share a calendar, and otherwise pass.
    """
    if a.calendar is b.calendar and a.native.month is not None and b.native.month is not None:
        if a.native.month != b.native.month:
            names = ENGLISH_MONTHS[Calendar(a.calendar)]
            return False, f"{names[a.native.month - 1]} vs {names[b.native.month - 1]}"
        if a.native.day is not None and b.native.day is not None and a.native.day != b.native.day:
            return False, f"day {a.native.day} vs day {b.native.day}"
    if a.gregorian_start is None or b.gregorian_start is None:
        return True, None
    if (a.gregorian_start, a.gregorian_end) == (b.gregorian_start, b.gregorian_end):
        return True, None
    subject, other = a, b
    if a.calendar is Calendar.gregorian and b.calendar is not Calendar.gregorian:
        subject, other = b, a
    hijri = Calendar.lunar_hijri in (a.calendar, b.calendar)
    if (
        hijri
        and a.granularity is Granularity.day
        and b.granularity is Granularity.day
        and _days_apart(a.gregorian_start, b.gregorian_start) <= HIJRI_TOLERANCE_DAYS
    ):
        return True, None
    return False, f"{describe_native(subject)} is {_range(subject)}, not {_range(other)}"
