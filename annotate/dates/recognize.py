"""The date recogniser: find date expressions in a :class:`~annotate.text.view.TextView` and read their parts.

Two compiled scans per language find *anchors*: one for words (month names of every set, weekdays, year words,
relative words such as أمس/امسال/الشهر الماضي, Hijri holidays, years written in Arabic words), one for digits
(numeric dates, years with an era marker or after a preposition). The parts around an anchor are read with small
anchored patterns: what comes before a month (weekday, day in digits, ordinal or cardinal words, ``غرة``, a last-day
phrase, a part-of-month word, ``من``/``از``, ``ماه``/``برج``/``شهر``, an n-th weekday) by one match on the
*reversed* text, what comes after it (second name of a dual name, year, era, relative marker) by one match forward.
So the cost over plain text is two C-level regex passes (the patterns are built in :mod:`annotate.dates.patterns`,
the candidates they yield are the classes of :mod:`annotate.dates.candidates`). Candidates are then filtered for the
traps of calendars.md §4 (ambiguous names need a day, a year or ماه/برج/شهر; venue, street and agency names;
quantities) and overlaps are resolved longest-first. This module returns :class:`Candidate` values in view offsets;
turning them into :class:`~annotate.models.DateMention` objects (normalisation, year inference, links) is the job of
``annotate.dates`` itself.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from functools import cache
from typing import Any, Final

from ..errors import InvalidDate
from ..models import Calendar, Granularity
from ..text.view import squeeze
from .calendars import to_gregorian
from .candidates import Candidate, Group, gregorian_two_digit, solar_two_digit, written_year_calendar, year_calendar
from .lexicon import (
    VERSE_CUES,
    MonthName,
    persian_year_value,
    sets_of_spelling,
    words_pattern,
)
from .patterns import (
    AGO_KEYS,
    AMBIGUOUS_WEEKDAYS,
    AZAR,
    BARE_WEEKDAY_BY_KEY,
    CLOCK_BEFORE,
    DIRECTION_BY_KEY,
    ERA_BY_KEY,
    HOLIDAY_BY_KEY,
    NTH_BY_KEY,
    NUMBER_CHARS,
    PART_BY_KEY,
    RELATIVE_BY_KEY,
    SHOT_AFTER,
    SHOT_BEFORE,
    VERB_AFTER,
    WEEK_BY_KEY,
    WEEKDAY_BY_KEY,
    YEAR_HEAD_KEYS,
    Patterns,
    compiled,
    key_of,
    rmatch,
    scan,
)
from .resolve import Direction

__all__ = ["Candidate", "Group", "find_candidates", "year_calendar"]


def find_candidates(view: str, lang: str | None) -> list[Group]:
    """Every date expression of the view text ``view`` in text order, overlaps resolved (longest first)."""
    p = compiled(lang)
    groups: list[Group] = []
    rev = view[::-1]
    first = p.first_word.match(view)
    for m in itertools.chain([first] if first else [], p.word_matches(view)):
        w = squeeze(m.group("w"))
        g: Group | None = None
        if w in p.months:
            g = _month_group(view, rev, m.start("w"), m, p.months[w], p)
        elif w in p.proclitic:
            skip, key = p.proclitic[w]
            if key in p.months:
                g = _month_group(view, rev, m.start("w") + skip, m, p.months[key], p)
            elif key in RELATIVE_BY_KEY:
                g = _relative_group(view, rev, m, *RELATIVE_BY_KEY[key], p, lang, skip)
            else:  # وعام 2020
                g = _year_word_group(view, m.start("w") + skip, m.end("w"), p, lang)
        elif w in WEEKDAY_BY_KEY:
            g = _weekday_group(view, rev, m, WEEKDAY_BY_KEY[w], p)
        elif w in HOLIDAY_BY_KEY:
            g = _holiday_group(view, m, *HOLIDAY_BY_KEY[w], p, lang)
        elif w in RELATIVE_BY_KEY:
            g = _relative_group(view, rev, m, *RELATIVE_BY_KEY[w], p, lang)
        elif w in YEAR_HEAD_KEYS:
            g = _year_in_words_group(view, rev, m.start("w"), p)
        else:
            g = _year_word_group(view, m.start("w"), m.end("w"), p, lang)
        if g is not None:
            groups.append(g)
    word_starts = [g.members[0].start for g in groups]  # in text order: the word scan runs left to right
    word_ends = [g.members[-1].end for g in groups]
    for m in scan(p.digits_fast, p.digits, view):
        s = m.start()
        if s > 0 and view[s - 1] in NUMBER_CHARS:
            continue
        if m.group("sep") is not None:
            g = _numeric_group(view, rev, m, p, lang)
        elif len(m.group("n1")) != 4:
            continue
        elif m.group("bare") is not None:
            k = bisect_right(word_starts, s) - 1
            if k >= 0 and word_ends[k] > s:
                continue  # the year of a date already read (۱۲ مهر ۱۳۹۹)
            g = _bare_year_group(view, rev, m, p, lang)
        else:
            g = _year_group(view, s, s, m.end("n1"), p, lang)
        if g is not None:
            groups.append(g)
    groups.sort(key=_longest_first)
    kept: list[Group] = []
    last_end = -1
    since_before, n = p.since_before.match, len(rev)
    for g in groups:
        start = g.members[0].start
        if start >= last_end:
            kept.append(g)
            last_end = g.members[-1].end
            mark = since_before(rev, n - start)
            if mark is not None and (mark.group("since") is not None or _anniversary(rev, mark, kept)):
                g.members[0].since = True  # از سال ۱۳۹۹ به این سو, منذ 2003, عيد الاستقلال المصادف لـ 5 جويلية 1962
    for g in kept:
        for c in g.members:
            if view[c.end - 1] == "." and _full_stop_after_era(view, c.end):
                c.end -= 1
    _settle_shared_spellings([c for g in kept for c in g.members])
    return kept


_LINE_END: Final = re.compile(r"[ \t]*(?:\n|\Z)")


def _full_stop_after_era(view: str, end: int) -> bool:
    """Whether the dot that ends a date (after its era marker: ``2024م.``, ``ه.ش.``) is the full stop of a sentence
    that ends the line (mid-line, ``۲۰۱۰ م. بود`` keeps the abbreviation's dot)."""
    return _LINE_END.match(view, end) is not None


def _longest_first(g: Group) -> tuple[int, int]:
    """Sort key: text order, the longer of two groups that start together first."""
    return g.members[0].start, g.members[0].start - g.members[-1].end


def _anniversary(rev: str, mark: re.Match[str], kept: list[Group]) -> bool:
    """A date a connector joins to a name, not to a date before it (``عيد الاستقلال المصادف لـ 5 جويلية 1962``):
    the day a holiday commemorates, not the time the sentence is about."""
    connector_start = len(rev) - mark.end()
    return not (len(kept) > 1 and connector_start - kept[-2].end <= 3)


def _settle_shared_spellings(cands: list[Candidate]) -> None:
    """Give a spelling shared by several sets (يناير: ar-EG, ar-MA, ar-MR) to the set the document shows.

    A document that writes a name only one regional set has (دجنبر, جانفي, جنوری) uses that set for its shared
    names too.  ar-SY is left out as evidence: Levantine names accompany the Egyptian ones in dual names.
    """
    single = _single_owner()
    evidence: set[str] = set()
    for c in cands:
        if c.spelling is not None and c.calendar is Calendar.gregorian:
            owner = single.get(c.spelling)
            if owner is not None:
                evidence.add(owner)
    if not evidence:
        return
    sets = sets_of_spelling()
    for c in cands:
        owners = sets.get(c.spelling or "", frozenset())
        choice = owners & evidence
        if len(owners) > 1 and len(choice) == 1:
            c.lexicon = next(iter(choice))


@cache
def _single_owner() -> dict[str, str]:
    """Spellings that only one set other than ar-SY has, with that set: the evidence of a document's set."""
    return {k: next(iter(v)) for k, v in sets_of_spelling().items() if len(v) == 1 and "ar-SY" not in v}


class _Left:
    """A match of ``left`` on the reversed text, read in the original orientation and offsets."""

    __slots__ = ("_m", "_n")

    def __init__(self, m: re.Match[str], n: int) -> None:
        self._m = m
        self._n = n

    def group(self, name: str) -> Any:
        g = self._m.group(name)  # one group at a time: groupdict() of this many groups costs more than the reads
        return None if g is None else g[::-1]

    def has(self, name: str) -> bool:
        return self._m.group(name) is not None

    def start(self, name: str) -> int:
        return self._n - self._m.end(name)


def _left(p: Patterns, rev: str, pos: int) -> _Left:
    """What stands before view offset ``pos``: weekday, day, من, ماه/برج/شهر (every part optional)."""
    m = p.left.match(rev, len(rev) - pos)
    assert m is not None  # every part is optional
    return _Left(m, len(rev))


def _read_day(lm: _Left, p: Patterns) -> tuple[int | None, int, str]:
    """The day written before a month and where it starts: (day, start, kind); kind is ``digits``, ``word``,
    ``cardinal``, ``last`` or ``part`` (day None for the last two), or ``""`` when no day is written."""
    if lm.has("d"):
        return int(lm.group("d")), lm.start("d"), "digits"
    if lm.has("dw"):
        return p.ordinals[key_of(lm.group("dw"))], lm.start("dw"), "word"
    if lm.has("dc"):
        return p.cardinals[key_of(lm.group("dc"))], lm.start("dc"), "cardinal"
    if lm.has("last"):
        return None, lm.start("last"), "last"
    if lm.has("part"):
        return None, lm.start("part"), "part"
    return None, -1, ""


def _month_group(
    view: str, rev: str, mon_start: int, m: re.Match[str], name1: MonthName, p: Patterns
) -> Group | None:
    mon_end = m.end("w")
    suffix = m.group("suf") is not None
    if suffix:
        if name1.calendar is Calendar.solar_hijri:
            mon_end = m.end("suf")
        elif view[m.start("suf")] not in " \u200c":
            return None  # "Xماه" glued to a non-solar month is another word
    lm = _left(p, rev, mon_start)
    day_value, day_start, day_kind = _read_day(lm, p)
    if (not day_kind and p.lang == "ar" and name1.calendar is Calendar.gregorian):
        md = p.month_day.match(view, mon_end)
        if md is not None:  # يناير الثاني والعشرين، 2018 / شباط 13 (English word order, in Arabic)
            number = int(md.group("md")) if md.group("md") else p.ordinals[key_of(md.group("mdw"))]
            if 1 <= number <= 31:
                return _month_first(view, mon_start, md.end("day"), number, lm, name1, p)
    rm = p.right.match(view, mon_end)
    assert rm is not None

    day: int | None = None
    start = mon_start
    weekday: int | None = None
    year: int | None = None
    nth: int | None = None
    last_day = False
    part: str | None = None
    weak_day = False
    ymd_year = lm.group("ly")
    if day_kind in ("digits", "word", "cardinal"):
        if day_value is not None and 1 <= day_value <= 31:
            day, start, weak_day = day_value, day_start, day_kind == "cardinal"
    elif day_kind == "last":
        last_day, start = True, day_start
    elif day_kind == "part":
        part = PART_BY_KEY[key_of(lm.group("part"))]  # the modifier narrows the value but stays outside the span
    elif ymd_year is not None and rm.group("rd") is not None:
        year, day = int(ymd_year), int(rm.group("rd"))
        start = lm.start("ly")
    elif lm.has("nth"):
        nth, start = NTH_BY_KEY[key_of(lm.group("nth"))], lm.start("nth")
        weekday = BARE_WEEKDAY_BY_KEY[key_of(lm.group("nwd"))]
    elif lm.has("nth2"):
        nth, weekday, start = -1, WEEKDAY_BY_KEY[key_of(lm.group("wd2"))], lm.start("wd2")
    if (day is not None or last_day) and lm.has("wd"):
        weekday = WEEKDAY_BY_KEY[key_of(lm.group("wd"))]
        start = lm.start("dayword") if lm.has("dayword") else lm.start("wd")
    if lm.has("mw") and start == mon_start:
        start = lm.start("mw")
    has_mw = lm.has("mw") or lm.has("mws")

    name2: MonthName | None = None
    end = mon_end
    m2 = "m2" if rm.group("m2") is not None else "m2p" if rm.group("m2p") is not None else None
    if m2 is not None:
        name2 = p.months[key_of(rm.group(m2))]
        if name2.lexicon == name1.lexicon or name2.calendar is not name1.calendar:
            name2 = None
    if name2 is None and m2 is not None:
        rm = p.right.match(view, mon_end, mon_end)  # only the empty match: the slash is not a dual name
        assert rm is not None
    year_written = year is not None
    cross_year: tuple[Calendar, int] | None = None
    if rm.group("rd") is not None and year is not None:
        end = rm.end("rd")
    elif rm.group("y") is not None or rm.group("yword") is not None:
        ygroup = "y" if rm.group("y") is not None else "yword"
        written = int(rm.group("y")) if ygroup == "y" else p.year_words[key_of(rm.group("yword"))]
        era = ERA_BY_KEY[key_of(rm.group("era"))] if rm.group("era") is not None else None
        year_cal = written_year_calendar(name1.calendar, written, era, p.lang)
        if year_cal is name1.calendar:
            year = written
        else:
            cross_year = (year_cal, written)
        year_written = True
        end = rm.end(ygroup)
    elif rm.group("y2") is not None or rm.group("y2s") is not None or rm.group("y2w") is not None:
        # Two-digit years: for solar months (۱۴مهر۹۴, 26 شهریور 94; before a word only 1321-1399 and 1400-1410:
        # ۱۲ تیر ۱۵ کشته is a count), and in Arabic for a Gregorian month before punctuation (أكتوبر 73،).
        group = next(g for g in ("y2", "y2s", "y2w") if rm.group(g) is not None)
        yy = int(rm.group(group))
        calendar = (name2 or name1).calendar
        if calendar is Calendar.solar_hijri and (group != "y2w" or yy > 20 or yy <= 10):
            year = solar_two_digit(yy)
            year_written = True
            end = rm.end(group)
        elif calendar is Calendar.gregorian and p.lang == "ar" and group == "y2s":
            year = gregorian_two_digit(yy)
            year_written = True
            end = rm.end(group)
        else:
            rm = p.right.match(view, mon_end, rm.start(group))  # read only what comes before the digits
            assert rm is not None
    if rm.group("era") is not None and year_written:
        # The era marker stays inside the extent; the year's calendar was read with it above.
        end = rm.end("era")
    if name1.foreign and not (year_written and rm.group("era") is not None
                              and ERA_BY_KEY[key_of(rm.group("era"))] is Calendar.solar_hijri):
        return None  # حوت in Arabic text is a whale unless a year and its Solar era marker follow
    if (cross_year is not None and cross_year[0] is Calendar.solar_hijri and name1.lexicon == "ar-SY"
            and name1.month == 3 and AZAR in p.months):
        # آذار ۱۴۰۲ in Persian text: the Solar month آذر written with the Levantine spelling, not March.
        name1, year, cross_year = p.months[AZAR], cross_year[1], None
    direction = Direction.nearest
    marker = False
    if rm.group("rel") is not None and not year_written:
        direction = DIRECTION_BY_KEY[key_of(rm.group("rel"))]
        marker = True
        end = rm.end("rel")
    if name2 is not None and m2 == "m2" and end < rm.end("m2"):
        end = rm.end("suf2") if rm.group("suf2") is not None else rm.end("m2")

    # Traps: an ambiguous name needs a day, a year, ماه/برج/شهر, a relative marker (نيسان الماضي), a part or
    # last-day word or a safe partner (calendars.md §4); a cardinal word (یک تیر: "one arrow") is not enough.
    if weak_day and name1.ambiguous and rmatch(p.temporal_before, rev, start):
        weak_day = False  # از یک حمل: a cardinal day after از/تا/در/روز
    context = ((day is not None and not weak_day) or nth is not None or year_written or has_mw or suffix or marker
               or last_day or part is not None)
    if not context and name1.ambiguous and (name2 is None or name2.ambiguous):
        return None
    if rmatch(p.place, rev, start):
        return None  # ورزشگاه ۱۷ تیر, خبرگزاری مهر, شارع 26 يوليو
    if name1.spelling == "می" and not year_written and VERB_AFTER.match(view, end):
        return None  # ۵ می رسد: the verb prefix written with a space, not "5 May" (۱۲ می برگزار شد is May)
    if (name1.spelling == "تیر" and not year_written
            and (SHOT_BEFORE.search(view, max(0, start - 8), start) or SHOT_AFTER.match(view, end))):
        return None  # شلیک ۲ تیر, سه تیر هوایی: shots, not the month Tir (۲ تیر هوایی در ۵ تیر ۱۴۰۳ keeps the date)

    granularity = Granularity.day if day is not None or nth is not None or last_day else Granularity.month
    first = Candidate(start, end if name2 is None else mon_end, name1.calendar, name1.lexicon, granularity,
                      year, name1.month, day, weekday, direction, marker, nth=nth, cross_year=cross_year,
                      spelling=key_of(name1.spelling), last_day=last_day, part=part)
    # The first day of a range (۱۰ in از ۱۰ تا ۱۵ مهر) is a date of its own that shares month, year and marker.
    range_start: list[Candidate] = []
    d0_start = lm.start("d0") if lm.has("d0") else -1
    if (day is not None and d0_start >= 0 and 1 <= int(lm.group("d0")) < day and start == lm.start("d")
            and not CLOCK_BEFORE.search(view, max(0, d0_start - 8), d0_start)):
        range_start.append(Candidate(d0_start, d0_start + len(lm.group("d0")), name1.calendar, name1.lexicon,
                                     granularity, year, name1.month, int(lm.group("d0")), None, direction, marker,
                                     cross_year=cross_year, spelling=key_of(name1.spelling)))
    if name2 is None:
        return Group([*range_start, first])
    assert m2 is not None
    # كانون الثاني (يناير) 2020: the parenthesised name is a mention of its own; the year after it is shared.
    second_end = end if m2 == "m2" else rm.end("m2p")
    if cross_year is not None and cross_year[0] is name2.calendar:
        cross_year = None  # cannot happen for a true dual name (same calendar); kept for clarity
    second = Candidate(rm.start(m2), second_end, name2.calendar, name2.lexicon, granularity, year, name2.month, day,
                       weekday if nth is not None else None, direction, marker, nth=nth, cross_year=cross_year,
                       spelling=key_of(name2.spelling), last_day=last_day, part=part)
    return Group([*range_start, first, second], dual=True)


_PLURAL_AFTER: Final = re.compile(
    r"\u200c?(?:ها|های)(?![^\W\d_])|[ \u200c]?"
    + words_pattern(("خان", "گل", "آخر", "اول", "نخست", "دوم", "سوم", "الأخير", "الأخيرة", "الأول", "الثاني"))
    + r"(?![^\W\d_])"
)
"""جمعه‌ها (Fridays: a habit), جمعه خان, جمعه گل (names), پنجشنبه آخر سال (the last Thursday of something)."""


def _weekday_group(view: str, rev: str, m: re.Match[str], weekday: int, p: Patterns) -> Group | None:
    start = m.start("w")
    dm = p.dayword.search(view, max(0, start - 12), start)
    today = dm is not None and dm.group("today") is not None
    offset: int | None = None
    if dm is not None:
        start = dm.start()
        if today:  # غداً الخميس, دیروز دوشنبه: the day word decides the day (the weekday is checked in the note)
            offset = RELATIVE_BY_KEY[key_of(dm.group("today"))][2] or None
    rm = p.rel_only.match(view, m.end("w"))
    end = m.end("w")
    direction = Direction.nearest
    rel = False
    week: int | None = None
    if rm is not None:
        direction = DIRECTION_BY_KEY[key_of(rm.group("rel"))]
        rel = True
        end = rm.end("rel")
    else:
        wm = p.week_after.match(view, end)
        if wm is not None:  # دوشنبه هفته گذشته, الاثنين من الأسبوع الماضي
            week, rel, end = WEEK_BY_KEY[key_of(wm.group("week"))], True, wm.end("week")
    # With روز/يوم/اليوم, a relative marker, a connector (الأحد الموافق 5 مايو) or a comma before a date (اليوم
    # الجمعة، 14 يونيو) a weekday is a date; alone, only where it is not a name or a habit (نماز جمعه، خطبة
    # الجمعة، هر دوشنبه) nor an everyday word (الاثنين "the two").
    if not (today or dm is not None or rel or p.connector_after.match(view, end)
            or p.comma_date_after.match(view, end)):
        if (key_of(m.group("w")) in AMBIGUOUS_WEEKDAYS or rmatch(p.not_date_before, rev, start)
                or _PLURAL_AFTER.match(view, end)):
            return None
    if offset is not None:
        return Group([Candidate(start, end, Calendar.gregorian, "none", Granularity.day, weekday=weekday,
                                marker=True, offset=offset)])
    return Group([Candidate(start, end, Calendar.gregorian, "none", Granularity.day, weekday=weekday,
                            direction=direction, marker=True, weekday_only=True, week=week)])


def _month_first(
    view: str, mon_start: int, day_end: int, day: int, lm: _Left, name1: MonthName, p: Patterns
) -> Group | None:
    start = mon_start
    weekday = None
    if lm.has("wd"):
        weekday = WEEKDAY_BY_KEY[key_of(lm.group("wd"))]
        start = lm.start("dayword") if lm.has("dayword") else lm.start("wd")
    after = day_end + 1 if view[day_end:day_end + 1] in ("،", ",") else day_end
    ym = p.year_after.match(view, after)
    year: int | None = None
    end = day_end
    if ym is not None and (ym.group("y") or ym.group("yword")):
        year = int(ym.group("y")) if ym.group("y") else p.year_words[key_of(ym.group("yword"))]
        end = ym.end()
    return Group([Candidate(start, end, name1.calendar, name1.lexicon, Granularity.day, year, name1.month, day,
                            weekday, spelling=key_of(name1.spelling))])


_VERSE_WINDOW: Final = 160
_QUOTED_VERSE: Final = re.compile(
    rf"(?<![^\W\d_]){words_pattern(VERSE_CUES)}(?![^\W\d_])[^.!?؟\n:]*:[^.!?؟\n:]*\Z"
)
"""A verse cue, a colon, then no sentence end up to the word: the word is inside a quoted verse."""


def _relative_group(
    view: str, rev: str, m: re.Match[str], granularity: Granularity, unit: str, offset: int, p: Patterns,
    lang: str | None, skip: int = 0,
) -> Group | None:
    start, end = m.start("w") + skip, m.end("w")
    if m.group("suf") is not None:
        return None
    day: int | None = None
    calendar: Calendar | None = None
    if granularity is Granularity.day:
        if offset == 0:
            if p.not_today.search(view, max(0, start - 12), start) or re.match(r" ?ال", view[end:end + 3]):
                return None  # روسيا اليوم, ذلك اليوم, اليوم التالي
        if offset < 0 and key_of(view[start:end]) in AGO_KEYS and p.ago_before.match(view, end):
            return None  # دو روز پیش از انتخابات, قبل يومين من الحادث: counted from that event
        if rmatch(p.place, rev, start) or rmatch(p.meaning_before, rev, start):
            return None  # رادیو فردا; دی به معنای دیروز (the word, not the day)
        if _QUOTED_VERSE.search(view, max(0, start - _VERSE_WINDOW), start):
            return None  # در این بیت آمده است: دی رفت و امروز ... (the poet's today)
    else:
        if lang != "ar" and p.number_before.search(view, max(0, start - 12), start):
            return None  # ۱۰ سال گذشته: a duration, not a date
        if granularity is Granularity.month:
            lm = _left(p, rev, start)
            if (lm.group("d") or lm.group("dw")) and lang == "ar":
                day = int(lm.group("d")) if lm.group("d") else p.ordinals[key_of(lm.group("dw"))]
                if 1 <= day <= 31:
                    start = lm.start("d") if lm.group("d") else lm.start("dw")
                    granularity = Granularity.day
                else:
                    day = None
        em = p.era_only.match(view, end)
        if em is not None:  # سال گذشتهٔ میلادی, العام الهجري الماضي: the calendar is named
            calendar = ERA_BY_KEY[key_of(em.group("era"))]
            end = em.end()
    # Iran and Afghanistan count months and years in the solar calendar: ماه گذشته, امسال are solar.
    if calendar is None:
        calendar = Calendar.gregorian if lang == "ar" or granularity is Granularity.day else Calendar.solar_hijri
    if unit == "day" and granularity is not Granularity.day:
        unit = granularity.value
    return Group([Candidate(start, end, calendar, "none", granularity, day=day, marker=True, offset=offset,
                            unit=unit)])


def _holiday_group(
    view: str, m: re.Match[str], month: int, day: int, p: Patterns, lang: str | None
) -> Group | None:
    """عيد الأضحى 2013, رأس السنة الهجرية 1441: a Hijri day; a Gregorian year picks the Hijri year it falls in.

    Only with a written year: without one the holiday is usually the occasion (به مناسبت عید فطر), not a date.
    """
    ym = p.year_after.match(view, m.end("w"))
    if ym is None or ym.group("y") is None:
        return None  # به مناسبت عید فطر: a holiday named without a year is the occasion, not a date
    year = int(ym.group("y"))
    end = ym.end("y")
    tail = p.year_tail.match(view, end)
    era = ERA_BY_KEY[key_of(tail.group("era"))] if tail is not None and tail.group("era") is not None else None
    if tail is not None and era is not None:
        end = tail.end("era")
    gregorian = year_calendar(year, "ar", era) is Calendar.gregorian
    return Group([Candidate(m.start("w"), end, Calendar.lunar_hijri, "none", Granularity.day,
                            None if gregorian else year, month, day,
                            cross_year=(Calendar.gregorian, year) if gregorian else None)])


def _year_word_group(view: str, start: int, word_end: int, p: Patterns, lang: str | None) -> Group | None:
    """سال ۱۳۹۹, عام 1443, سال ۹۸, عام ألفين وتسعة عشر: a year after a year word."""
    ym = p.year_after.match(view, word_end)
    if ym is None:
        return None
    if ym.group("y") is not None:
        return _year_group(view, start, ym.start("y"), ym.end("y"), p, lang)
    if ym.group("yword") is not None:
        year = p.year_words[key_of(ym.group("yword"))]
        return Group([Candidate(start, ym.end(), Calendar.gregorian, "none", Granularity.year, year)])
    if ym.group("fword") is not None:  # سال هزار و سیصد و پنجاه و هفت, سال دو هزار و بیست و یک
        read = persian_year_value(ym.group("fword"))
        if read is None:
            return None
        return Group([Candidate(start, ym.end(), read[1], "none", Granularity.year, read[0])])
    if ym.group("y2") is not None:
        yy = int(ym.group("y2"))
        if lang in ("fa", "prs"):  # سال ۹۸, سال 59: a two-digit Solar year
            return Group([Candidate(start, ym.end("y2"), Calendar.solar_hijri, "none", Granularity.year,
                                    solar_two_digit(yy))])
        if lang == "ar":  # عام 48: a two-digit Gregorian year
            return Group([Candidate(start, ym.end("y2"), Calendar.gregorian, "none", Granularity.year,
                                    gregorian_two_digit(yy))])
    return None


def _year_in_words_group(view: str, rev: str, start: int, p: Patterns) -> Group | None:
    """في ألفين وعشرين, منذ ألف وتسعمائة وخمسة وثمانين: a year in Arabic words after a preposition."""
    if rmatch(p.year_prep, rev, start) is None:
        return None
    ym = p.year_after.match(view, start)
    if ym is None or ym.group("yword") is None:
        return None
    return Group([Candidate(start, ym.end(), Calendar.gregorian, "none", Granularity.year,
                            p.year_words[key_of(ym.group("yword"))])])


def _year_group(
    view: str, start: int, ystart: int, yend: int, p: Patterns, lang: str | None
) -> Group | None:
    year = int(view[ystart:yend])
    tail = p.year_tail.match(view, yend)
    assert tail is not None
    era = ERA_BY_KEY[key_of(tail.group("era"))] if tail.group("era") is not None else None
    calendar = year_calendar(year, lang, era)
    if calendar is None:
        return None
    end = tail.end("era") if era is not None else yend
    members = [Candidate(start, end, calendar, "none", Granularity.year, year)]
    if tail.group("y_to") is not None and era is None:
        y_to = int(tail.group("y_to"))
        cal_to = year_calendar(y_to, lang, None)
        if cal_to is calendar and y_to > year:
            members.append(Candidate(tail.start("y_to"), tail.end("y_to"), calendar, "none", Granularity.year,
                                     y_to))
    return Group(members)


def _bare_year_group(view: str, rev: str, m: re.Match[str], p: Patterns, lang: str | None) -> Group | None:
    """في 2022, منذ 2003 وحتى 2011, در ۱۴۰۲: a four-digit year after a preposition, in a plausible range, not a
    count (``في 2000 منزل``)."""
    s, e = m.start(), m.end("n1")
    prep = rmatch(p.year_prep, rev, s)
    if prep is None:
        return None
    if key_of(prep.group("p")[::-1]) == "و" and not re.search(r"\d[ ]?\Z", view[max(0, s - 8):len(view) - prep.end()]):
        return None  # و before a year only continues a list of years
    if p.quantity_after.match(view, e):
        return None
    year = int(view[s:e])
    calendar = year_calendar(year, lang, None)
    if calendar is Calendar.gregorian:
        if not 1900 <= year <= 2100:
            return None
    elif calendar is not Calendar.solar_hijri or not 1300 <= year <= 1415:
        return None  # a bare Hijri year needs its era marker (1445 هـ)
    return _year_group(view, s, s, e, p, lang)


def _numeric_group(view: str, rev: str, m: re.Match[str], p: Patterns, lang: str | None) -> Group | None:
    n1, n2, n3 = m.group("n1"), m.group("n2"), m.group("n3")
    if n3 is None:
        return _numeric_pair_group(view, rev, m, p, lang)
    if len(n2) > 2:
        return None
    two_digit: Calendar | None = None
    if len(n1) == 4 and len(n3) <= 2:
        y, mo, d = int(n1), int(n2), int(n3)
    elif len(n3) == 4 and len(n1) <= 2:
        d, mo, y = int(n1), int(n2), int(n3)
    elif lang == "ar" and len(n3) == 2 and len(n1) <= 2 and m.group("sep") in "/-":
        # DD/MM/YY in Arabic news: a Gregorian 19YY/20YY date, or a Hijri 13YY/14YY one when that does not exist.
        d, mo, yy = int(n1), int(n2), int(n3)
        y, two_digit = (2000 + yy if yy < 50 else 1900 + yy), Calendar.gregorian
        if not _exists(Calendar.gregorian, y, mo, d):
            y, two_digit = (1300 + yy if yy >= 90 else 1400 + yy), Calendar.lunar_hijri
            if not _exists(two_digit, y, mo, d):
                return None  # 30-02-33: no such day in either calendar; digits, not a date
    elif lang in ("fa", "prs") and len(n1) == 2 and len(n3) == 2 and m.group("sep") in "/-":
        y, mo, d = solar_two_digit(int(n1)), int(n2), int(n3)  # ۹۹/۱۰/۱۷: a two-digit solar year first
        two_digit = Calendar.solar_hijri
    else:
        return None
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    tail = p.year_tail.match(view, m.end())
    assert tail is not None
    era = ERA_BY_KEY[key_of(tail.group("era"))] if tail.group("era") is not None else None
    calendar = era or two_digit or year_calendar(y, lang, era)
    if calendar is None:
        return None
    start, weekday = _weekday_before(rev, m.start(), p)
    end = tail.end("era") if era is not None else m.end()
    return Group([Candidate(start, end, calendar, "numeric", Granularity.day, y, mo, d, weekday)])


def _weekday_before(rev: str, start: int, p: Patterns) -> tuple[int, int | None]:
    """A weekday (with روز/يوم/اليوم) written right before a numeric date: (new start, weekday)."""
    wm = rmatch(p.weekday_before, rev, start)
    if wm is None:
        return start, None
    n = len(rev)
    name = "dayword" if wm.group("dayword") is not None else "wd"
    return n - wm.end(name), WEEKDAY_BY_KEY[key_of(wm.group("wd")[::-1])]


def _numeric_pair_group(view: str, rev: str, m: re.Match[str], p: Patterns, lang: str | None) -> Group | None:
    """``MM/YYYY`` (a month) and ``DD/MM`` after a date word (``في 15/3``): two numbers with one separator."""
    n1, n2, sep = m.group("n1"), m.group("n2"), m.group("sep")
    if sep not in "/-" or rmatch(p.number_label, rev, m.start()):
        return None
    if len(n2) == 4 and len(n1) <= 2:
        mo, y = int(n1), int(n2)
        calendar = year_calendar(y, lang, None)
        if not 1 <= mo <= 12 or calendar is None or p.quantity_after.match(view, m.end()):
            return None
        lm = _left(p, rev, m.start())  # شهر 11/2023: the month word is inside
        start = lm.start("mw") if lm.has("mw") and not any(lm.has(g) for g in ("d", "dw", "dc")) else m.start()
        return Group([Candidate(start, m.end(), calendar, "numeric", Granularity.month, y, mo)])
    if len(n1) <= 2 and len(n2) <= 2 and sep == "/":
        d, mo = int(n1), int(n2)
        if not (1 <= d <= 31 and 1 <= mo <= 12):
            return None
        start, weekday = _weekday_before(rev, m.start(), p)
        if (weekday is None and rmatch(p.numeric_day_before, rev, m.start()) is None) or _FRACTION_OF.match(
                view, m.end()):
            return None  # 3/4, 2/1, في 2/3 من: a fraction or a score unless a date word or a weekday comes first
        calendar = Calendar.gregorian if lang == "ar" else Calendar.solar_hijri
        return Group([Candidate(start, m.end(), calendar, "numeric", Granularity.day, None, mo, d, weekday)])
    return None


_FRACTION_OF: Final = re.compile(r"[ \u200c]?(?:من|از)(?![^\W\d_])")


def _exists(calendar: Calendar, y: int, m: int, d: int) -> bool:
    try:
        to_gregorian(calendar, y, m, d)
    except InvalidDate:
        return False
    return True
