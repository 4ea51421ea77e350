"""The date recogniser: find date expressions in a :class:`~annotate.textview.TextView` and read their parts.

One compiled scan per language finds *anchors* (month names, weekdays, year words before a year, numeric dates,
years with an era marker); the parts around an anchor (weekday, day, ``من``, ``ماه``/``برج``/``شهر`` before it;
dual name, year, era and relative marker after it) are read with two small anchored patterns, so the cost over
plain text is one C-level regex pass.  Candidates are then filtered for the traps of calendars.md §4 and
overlaps are resolved longest-first.  This module returns :class:`Candidate` values in view offsets; turning them
into :class:`~annotate.models.DateMention` objects (normalisation, year inference, links) is the job of
``annotate.dates`` itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Final

from ..models import Calendar, Granularity
from ..textview import SEP, normalize, squeeze
from .lexicon import (
    DAY_WORDS,
    ERA_MARKERS,
    FUTURE_MARKERS,
    LAST_YEAR,
    MONTH_WORDS,
    NEXT_YEAR,
    NOT_TODAY_BEFORE,
    PAST_MARKERS,
    PLACE_WORDS,
    QUANTITY_WORDS,
    RELATIVE_DAYS,
    RELATIVE_MONTHS,
    RELATIVE_YEARS,
    THIS_YEAR,
    TODAY_WORDS,
    WEEKDAYS,
    YEAR_WORDS,
    MonthName,
    arabic_ordinals,
    month_names,
    persian_ordinals,
    words_pattern,
)
from .resolve import Direction

__all__ = ["Candidate", "Group", "find_candidates"]

_NL: Final = r"(?<![^\W\d_])"  # not after a letter
_LEFT_REACH: Final = 48
"""How far before a month name its weekday, day and ماه/برج/شهر may start (``روز سه‌شنبه، بیست و یکمین``)."""
_NUMBER_CHARS: Final = frozenset("0123456789/.\\-")
_NR: Final = r"(?![^\W\d_])"  # not before a letter
_NR_WORD: Final = "(?![^\\W\\d_])(?!\u200c(?!ی(?![^\\W\\d_]))[^\\W\\d_])"
"""Not before a letter, nor before ZWNJ + letters (``می‌کنند``), except the ezafe ``‌ی``."""
_SP: Final = SEP

_PROCLITICS: Final = ("در", "از", "تا", "به", "و", "ب", "ل", "ف", "وب", "ول")
"""Prepositions and conjunctions written glued to a month name (``درژوئن``); never part of the mention."""


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
    year_shared: bool = False
    weekday_only: bool = False
    offset: int | None = None
    """For a relative day, month or year (أمس، الشهر الماضي، امسال): its offset from the reference date."""


@dataclass
class Group:
    """Candidates read from one stretch of text: one date, or the two halves of a dual name ``X/Y``."""

    members: list[Candidate] = field(default_factory=list)
    dual: bool = False
    """The members are the two halves of one dual-name expression (to be linked)."""

    @property
    def start(self) -> int:
        return self.members[0].start

    @property
    def end(self) -> int:
        return self.members[-1].end


def _rel_table() -> dict[str, Direction]:
    table: dict[str, Direction] = {}
    for words, d in ((PAST_MARKERS, Direction.past), (FUTURE_MARKERS, Direction.future),
                     (LAST_YEAR, Direction.last_year), (THIS_YEAR, Direction.this_year),
                     (NEXT_YEAR, Direction.next_year)):
        for w in words:
            table[squeeze(normalize(w))] = d
    return table


_REL: Final = _rel_table()
_ERA: Final = {squeeze(normalize(k)): v for k, v in ERA_MARKERS.items()}
_WEEKDAY: Final = {squeeze(normalize(k)): v for k, v in WEEKDAYS.items()}
_RELATIVE: Final = {
    **{squeeze(normalize(k)): (Granularity.day, v) for k, v in RELATIVE_DAYS.items()},
    **{squeeze(normalize(k)): (Granularity.month, v) for k, v in RELATIVE_MONTHS.items()},
    **{squeeze(normalize(k)): (Granularity.year, v) for k, v in RELATIVE_YEARS.items()},
}


@dataclass(frozen=True)
class _Patterns:
    lang: str | None
    month_day: re.Pattern[str]
    months: dict[str, MonthName]
    ordinals: dict[str, int]
    proclitic: dict[str, tuple[int, str]]
    words: re.Pattern[str]
    digits: re.Pattern[str]
    year_after: re.Pattern[str]
    left: re.Pattern[str]
    right: re.Pattern[str]
    year_tail: re.Pattern[str]
    place: re.Pattern[str]
    dayword: re.Pattern[str]
    rel_only: re.Pattern[str]
    not_today: re.Pattern[str]
    number_before: re.Pattern[str]


@cache
def _patterns(lang: str | None) -> _Patterns:
    months = month_names(lang)
    month_alt = words_pattern(list(months))
    ordinals = {**persian_ordinals(), **arabic_ordinals()}
    ord_alt = words_pattern(list(ordinals))
    wd_alt = words_pattern(WEEKDAYS)
    era_alt = words_pattern(ERA_MARKERS)
    rel_alt = words_pattern(_all_rel_words())
    yw_alt = words_pattern(YEAR_WORDS)
    mw_alt = words_pattern((*MONTH_WORDS, "ماه مبارک"))
    qty_alt = words_pattern(QUANTITY_WORDS)
    year4 = rf"(?<!\d)\d{{4}}(?!\d)(?!{_SP}{qty_alt})"
    safe = [k for k, v in months.items() if not v.ambiguous]
    proclitic = {
        squeeze(pro + k): (len(pro), squeeze(k))
        for k in [*safe, *map(normalize, ("الأمس", "أمس", "اليوم"))] for pro in _PROCLITICS
    }
    words = re.compile(
        rf"{_NL}(?P<w>{words_pattern([*months, *proclitic, *WEEKDAYS, *YEAR_WORDS, *_RELATIVE_WORDS])})"
        rf"(?P<suf>{_SP}ماه)?{_NR_WORD}"
    )
    digits = re.compile(
        rf"(?P<n1>\d{{1,4}})(?:{_SP}(?P<sep>[/.\\-]){_SP}(?P<n2>\d{{1,2}}){_SP}(?P=sep){_SP}"
        rf"(?P<n3>\d{{1,4}})(?!\d|[/.\\-]\d)|{_SP}(?=(?:{era_alt}){_NR}))"
    )
    year_after = re.compile(rf"{_SP}(?P<y>{year4})")
    month_day = re.compile(
        rf"{_SP}(?P<day>(?P<md>\d{{1,2}})(?!\d)|(?P<mdw>{ord_alt}){_NR})(?=[ ]?(?:[،,.\n]|\Z|\d{{4}}))"
    )
    left = re.compile(
        rf"(?:(?:(?P<dayword>{words_pattern(DAY_WORDS)}) )?(?P<wd>{wd_alt}){_SP}[،,]?{_SP})?"
        rf"(?:(?:(?<!\d)(?P<d>\d{{1,2}})|{_NL}(?P<dw>{ord_alt}))[.]?{_SP}(?:[-/]{_SP})?(?:من{_SP})?"
        rf"|(?<![\d/.\\-])(?P<ly>\d{{4}}){_SP}-{_SP})?"
        rf"(?:{_NL}(?P<mw>{mw_alt}){_SP})?\Z"
    )
    right = re.compile(
        rf"(?:{_SP}/{_SP}(?P<m2>{month_alt})(?P<suf2>{_SP}ماه)?{_NR_WORD})?"
        rf"(?:{_SP}-{_SP}(?P<rd>\d{{1,2}})(?!\d))?"
        rf"(?:{_SP}ی(?={_SP}(?:\d|{yw_alt})))?"
        rf"(?:[.]?{_SP}[،,]?{_SP}(?:(?:من{_SP})?(?P<yw>{yw_alt}){_SP})?(?P<y>{year4})"
        rf"|(?P<gl>{_SP})(?P<y2>\d{{2}})(?!\d)(?=[ ]?(?:\Z|[^\w ]|ساعت)|[^\W\d_]))?"
        rf"(?:{_SP}(?P<era>{era_alt}){_NR})?"
        rf"(?:{_SP}(?P<rel>{rel_alt}){_NR})?"
    )
    year_tail = re.compile(
        rf"(?:{_SP}(?P<era>{era_alt}){_NR})?"
        rf"(?:{_SP}(?:تا|الی|إلى|الى|حتى|و|-|–){_SP}(?P<y_to>{year4}))?"
    )
    place = re.compile(rf"{_NL}{words_pattern(PLACE_WORDS)}{_SP}\Z")
    dayword = re.compile(
        rf"{_NL}(?:(?P<today>{words_pattern(TODAY_WORDS)}){_SP}[،,]?|{words_pattern(DAY_WORDS)}){_SP}\Z"
    )
    rel_only = re.compile(rf"{_SP}(?P<rel>{rel_alt}){_NR}")
    not_today = re.compile(rf"{_NL}{words_pattern(NOT_TODAY_BEFORE)}{_SP}\Z")
    number_before = re.compile(rf"(?:\d|{_NL}{words_pattern(_NUMBER_WORDS)}){_SP}\Z")
    return _Patterns(
        lang, month_day,
        {_key(k): v for k, v in months.items()}, {_key(k): v for k, v in ordinals.items()},
        proclitic, words, digits, year_after, left, right, year_tail, place, dayword, rel_only, not_today,
        number_before,
    )


_RELATIVE_WORDS: Final = (*RELATIVE_DAYS, *RELATIVE_MONTHS, *RELATIVE_YEARS)
_NUMBER_WORDS: Final = ("یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه", "ده", "چند", "بیست", "سی", "صد")


def _all_rel_words() -> list[str]:
    return [*PAST_MARKERS, *FUTURE_MARKERS, *LAST_YEAR, *THIS_YEAR, *NEXT_YEAR]


def _key(s: str) -> str:
    return squeeze(s)


def _solar_two_digit(yy: int) -> int:
    return 1300 + yy if yy >= 50 else 1400 + yy


def _year_calendar(year: int, lang: str | None, era: Calendar | None) -> Calendar | None:
    """The calendar of a bare year: its era marker, else its range read with the language (calendars.md §4)."""
    if era is not None:
        return era
    if 1300 <= year <= 1500:
        return Calendar.lunar_hijri if lang == "ar" else Calendar.solar_hijri
    if 1800 <= year <= 2200:
        return Calendar.gregorian
    return None


def find_candidates(view: str, lang: str | None) -> list[Group]:
    """Every date expression of the view text ``view`` in text order, overlaps resolved (longest first)."""
    p = _patterns(lang)
    groups: list[Group] = []
    for m in p.words.finditer(view):
        w = squeeze(m.group("w"))
        g: Group | None = None
        if w in p.months:
            g = _month_group(view, m.start("w"), m, p.months[w], p)
        elif w in p.proclitic:
            skip, key = p.proclitic[w]
            if key in p.months:
                g = _month_group(view, m.start("w") + skip, m, p.months[key], p)
            else:
                g = _relative_group(view, m, *_RELATIVE[key], p, lang, skip)
        elif w in _WEEKDAY:
            g = _weekday_group(view, m, _WEEKDAY[w], p)
        elif w in _RELATIVE:
            g = _relative_group(view, m, *_RELATIVE[w], p, lang)
        else:
            ym = p.year_after.match(view, m.end("w"))
            if ym is not None:
                g = _year_group(view, m.start(), ym.start("y"), ym.end("y"), p, lang)
        if g is not None:
            groups.append(g)
    for m in p.digits.finditer(view):
        s = m.start()
        if s > 0 and view[s - 1] in _NUMBER_CHARS:
            continue
        if m.group("sep") is not None:
            g = _numeric_group(view, m, p, lang)
        elif len(m.group("n1")) == 4:
            g = _year_group(view, s, s, m.end("n1"), p, lang)
        else:
            continue
        if g is not None:
            groups.append(g)
    groups.sort(key=lambda g: (g.start, -(g.end - g.start)))
    kept: list[Group] = []
    last_end = -1
    for g in groups:
        if g.start >= last_end:
            kept.append(g)
            last_end = g.end
    return kept


def _month_group(view: str, mon_start: int, m: re.Match[str], name1: MonthName, p: _Patterns) -> Group | None:
    mon_end = m.end("w")
    suffix = m.group("suf") is not None
    if suffix:
        if name1.calendar is Calendar.solar_hijri:
            mon_end = m.end("suf")
        elif view[m.start("suf")] not in " \u200c":
            return None  # "Xماه" glued to a non-solar month is another word
    window = max(0, mon_start - _LEFT_REACH)
    lm = p.left.search(view, window, mon_start)
    assert lm is not None  # every part is optional
    if (lm.group("d") is None and lm.group("dw") is None and p.lang == "ar"
            and name1.calendar is Calendar.gregorian):
        md = p.month_day.match(view, mon_end)
        if md is not None:  # يناير الثاني والعشرين، 2018 / شباط 13 (English word order, in Arabic)
            number = int(md.group("md")) if md.group("md") else p.ordinals[_key(md.group("mdw"))]
            if 1 <= number <= 31:
                return _month_first(view, mon_start, md.end("day"), number, lm, name1, p)
    rm = p.right.match(view, mon_end)
    assert rm is not None

    day: int | None = None
    start = mon_start
    weekday: int | None = None
    year: int | None = None
    ymd_year = lm.group("ly")
    if lm.group("d") is not None or lm.group("dw") is not None:
        day = int(lm.group("d")) if lm.group("d") is not None else p.ordinals[_key(lm.group("dw"))]
        if not 1 <= day <= 31:
            day = None
        else:
            start = lm.start("d") if lm.group("d") is not None else lm.start("dw")
            if lm.group("wd") is not None:
                weekday = _WEEKDAY[_key(lm.group("wd"))]
                start = lm.start("dayword") if lm.group("dayword") is not None else lm.start("wd")
    elif ymd_year is not None and rm.group("rd") is not None:
        year, day = int(ymd_year), int(rm.group("rd"))
        start = lm.start("ly")
    if lm.group("mw") is not None and start == mon_start:
        start = lm.start("mw")
    has_mw = lm.group("mw") is not None

    name2: MonthName | None = None
    end = mon_end
    if rm.group("m2") is not None:
        name2 = p.months[_key(rm.group("m2"))]
        if name2.lexicon == name1.lexicon or name2.calendar is not name1.calendar:
            name2 = None
    if name2 is None and rm.group("m2") is not None:
        rm = p.right.match(view, mon_end, mon_end)  # only the empty match: the slash is not a dual name
        assert rm is not None
    era: Calendar | None = None
    year_written = year is not None
    if rm.group("rd") is not None and year is not None:
        end = rm.end("rd")
    elif rm.group("y") is not None:
        year = int(rm.group("y"))
        year_written = True
        end = rm.end("y")
    elif rm.group("y2") is not None:
        # Two-digit years only for solar months (۱۴مهر۹۴, 26 شهریور 94): elsewhere they are counts.
        if (name2 or name1).calendar is Calendar.solar_hijri:
            year = _solar_two_digit(int(rm.group("y2")))
            year_written = True
            end = rm.end("y2")
    if rm.group("era") is not None and year_written:
        era = _ERA[_key(rm.group("era"))]
        end = rm.end("era")
    direction = Direction.nearest
    marker = False
    if rm.group("rel") is not None and not year_written:
        direction = _REL[_key(rm.group("rel"))]
        marker = True
        end = rm.end("rel")
    if name2 is not None and end < rm.end("m2"):
        end = rm.end("suf2") if rm.group("suf2") is not None else rm.end("m2")

    # Traps: an ambiguous name needs a day, a year, ماه/برج/شهر, or a safe partner (calendars.md §4).
    context = day is not None or year_written or has_mw or suffix
    if not context and name1.ambiguous and (name2 is None or name2.ambiguous):
        return None
    if p.place.search(view, max(0, start - 20), start):
        return None  # ورزشگاه ۱۷ تیر, خبرگزاری مهر, شارع 26 يوليو
    del era  # the month's calendar wins over a conflicting era marker; the marker stays inside the extent

    granularity = Granularity.day if day is not None else Granularity.month
    first = Candidate(start, end if name2 is None else mon_end, name1.calendar, name1.lexicon, granularity,
                      year, name1.month, day, weekday, direction, marker)
    if name2 is None:
        return Group([first])
    second = Candidate(rm.start("m2"), end, name2.calendar, name2.lexicon, granularity, year, name2.month, day,
                       None, direction, marker, year_shared=True)
    return Group([first, second], dual=True)




def _weekday_group(view: str, m: re.Match[str], weekday: int, p: _Patterns) -> Group | None:
    start = m.start("w")
    dm = p.dayword.search(view, max(0, start - 10), start)
    today = dm is not None and dm.group("today") is not None
    if dm is not None:
        start = dm.start()
    rm = p.rel_only.match(view, m.end("w"))
    end = m.end("w")
    direction = Direction.nearest
    rel = False
    if rm is not None:
        direction = _REL[_key(rm.group("rel"))]
        rel = True
        end = rm.end("rel")
    if not (today or dm is not None or rel):
        return None  # a weekday alone (نماز جمعه, امام جمعه) is not a date
    return Group([Candidate(start, end, Calendar.gregorian, "none", Granularity.day, weekday=weekday,
                            direction=direction, marker=True, weekday_only=True)])


def _month_first(
    view: str, mon_start: int, day_end: int, day: int, lm: re.Match[str], name1: MonthName, p: _Patterns
) -> Group | None:
    start = mon_start
    weekday = None
    if lm.group("wd") is not None:
        weekday = _WEEKDAY[_key(lm.group("wd"))]
        start = lm.start("dayword") if lm.group("dayword") is not None else lm.start("wd")
    after = day_end + 1 if view[day_end:day_end + 1] in ("،", ",") else day_end
    ym = p.year_after.match(view, after)
    year = int(ym.group("y")) if ym is not None else None
    end = ym.end("y") if ym is not None else day_end
    return Group([Candidate(start, end, name1.calendar, name1.lexicon, Granularity.day, year, name1.month, day,
                            weekday)])


def _relative_group(
    view: str, m: re.Match[str], granularity: Granularity, offset: int, p: _Patterns, lang: str | None,
    skip: int = 0,
) -> Group | None:
    start, end = m.start("w") + skip, m.end("w")
    if m.group("suf") is not None:
        return None
    day: int | None = None
    if granularity is Granularity.day:
        if offset == 0:
            if p.not_today.search(view, max(0, start - 12), start) or re.match(r" ?ال", view[end:end + 3]):
                return None  # روسيا اليوم, ذلك اليوم, اليوم التالي
        if p.place.search(view, max(0, start - 20), start):
            return None  # رادیو فردا
    else:
        if lang != "ar" and p.number_before.search(view, max(0, start - 12), start):
            return None  # ۱۰ سال گذشته: a duration, not a date
        if granularity is Granularity.month:
            lm = p.left.search(view, max(0, start - _LEFT_REACH), start)
            if lm is not None and (lm.group("d") or lm.group("dw")) and lang == "ar":
                day = int(lm.group("d")) if lm.group("d") else p.ordinals[_key(lm.group("dw"))]
                if 1 <= day <= 31:
                    start = lm.start("d") if lm.group("d") else lm.start("dw")
                    granularity = Granularity.day
                else:
                    day = None
    calendar = Calendar.gregorian if lang == "ar" or granularity is Granularity.day else Calendar.solar_hijri
    return Group([Candidate(start, end, calendar, "none", granularity, day=day, marker=True, offset=offset)])


def _year_group(
    view: str, start: int, ystart: int, yend: int, p: _Patterns, lang: str | None
) -> Group | None:
    year = int(view[ystart:yend])
    tail = p.year_tail.match(view, yend)
    assert tail is not None
    era = _ERA[_key(tail.group("era"))] if tail.group("era") is not None else None
    calendar = _year_calendar(year, lang, era)
    if calendar is None:
        return None
    end = tail.end("era") if era is not None else yend
    members = [Candidate(start, end, calendar, "none", Granularity.year, year)]
    if tail.group("y_to") is not None and era is None:
        y_to = int(tail.group("y_to"))
        cal_to = _year_calendar(y_to, lang, None)
        if cal_to is calendar and y_to > year:
            members.append(Candidate(tail.start("y_to"), tail.end("y_to"), calendar, "none", Granularity.year,
                                     y_to))
    return Group(members)


def _numeric_group(view: str, m: re.Match[str], p: _Patterns, lang: str | None) -> Group | None:
    n1, n2, n3 = m.group("n1"), m.group("n2"), m.group("n3")
    if len(n1) == 4 and len(n3) <= 2:
        y, mo, d = int(n1), int(n2), int(n3)
    elif len(n3) == 4 and len(n1) <= 2:
        d, mo, y = int(n1), int(n2), int(n3)
    else:
        return None
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    tail = p.year_tail.match(view, m.end())
    assert tail is not None
    era = _ERA[_key(tail.group("era"))] if tail.group("era") is not None else None
    calendar = _year_calendar(y, lang, era)
    if calendar is None:
        return None
    end = tail.end("era") if era is not None else m.end()
    return Group([Candidate(m.start(), end, calendar, "numeric", Granularity.day, y, mo, d)])
