"""The date recogniser: find date expressions in a :class:`~annotate.text.view.TextView` and read their parts.

Two compiled scans per language find *anchors*: one for words (month names of every set, weekdays, year words,
relative words such as أمس/امسال/الشهر الماضي, Hijri holidays), one for digits (numeric dates, years with an
era marker).  The parts around an anchor are read with small anchored patterns: what comes before a month
(weekday, day, ``من``, ``ماه``/``برج``/``شهر``, an n-th weekday) by one match on the *reversed* text, what comes
after it (dual name, year, era, relative marker) by one match forward.  So the cost over plain text is two
C-level regex passes.  Candidates are then filtered for the traps of calendars.md §4 (ambiguous names need a
day, a year or ماه/برج/شهر; venue, street and agency names; quantities) and overlaps are resolved
longest-first.  This module returns :class:`Candidate` values in view offsets; turning them
into :class:`~annotate.models.DateMention` objects (normalisation, year inference, links) is the job of
``annotate.dates`` itself.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Final

from ..errors import InvalidDate
from ..models import Calendar, Granularity
from ..text.view import SEP, normalize, squeeze
from .calendars import to_gregorian
from .lexicon import (
    AGO,
    BARE_WEEKDAYS,
    DAY_WORDS,
    ERA_MARKERS,
    FUTURE_MARKERS,
    HOLIDAYS,
    LAST_AFTER_WEEKDAY,
    LAST_YEAR,
    MONTH_WORDS,
    NEXT_YEAR,
    NOT_TODAY_BEFORE,
    NTH_BEFORE_WEEKDAY,
    PAST_MARKERS,
    PLACE_WORDS,
    QUANTITY_WORDS,
    RANGE_WORDS,
    RELATIVE_DAYS,
    RELATIVE_MONTHS,
    RELATIVE_YEARS,
    THIS_YEAR,
    TODAY_WORDS,
    WEEKDAYS,
    YEAR_WORDS,
    MonthName,
    arabic_ordinals,
    arabic_year_words,
    month_names,
    persian_ordinals,
    sets_of_spelling,
    words_pattern,
)
from .resolve import Direction

__all__ = ["Candidate", "Group", "find_candidates"]

_NL: Final = r"(?<![^\W\d_])"  # not after a letter
_NUMBER_CHARS: Final = frozenset("0123456789/.\\-")
_NR: Final = r"(?![^\W\d_])"  # not before a letter
_NR_WORD: Final = "(?![^\\W\\d_])(?!\u200c(?!ی(?![^\\W\\d_]))[^\\W\\d_])"
"""Not before a letter, nor before ZWNJ + letters (``می‌کنند``), except the ezafe ``‌ی``."""
_SP: Final = SEP

_WORD_AFTER: Final = re.compile(r"[ \u200c]?[^\W\d_]")
_CLOCK_BEFORE: Final = re.compile(r"(?:ساعت|الساعه)[ ]?\Z")
"""``ساعت 10 تا 15 مهر``: the first number of a range after a clock word is an hour, not a day."""

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
    weekday_only: bool = False
    offset: int | None = None
    """For a relative day, month or year (أمس، الشهر الماضي، امسال): its offset from the reference date."""
    unit: str = "day"
    """Unit of ``offset``: day, week, month or year."""
    nth: int | None = None
    """The n-th ``weekday`` of the month (-1: the last), for ``ثاني اربعاء من شهر اكتوبر``."""
    gregorian_year: int | None = None
    """A Gregorian year written after a Hijri holiday (``عيد الأضحى 2013``)."""
    spelling: str | None = None
    """The month name as matched (squeezed view form), to settle its set from the rest of the document."""


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
    **{squeeze(normalize(k)): (Granularity.day, "day", v) for k, v in RELATIVE_DAYS.items()},
    **{squeeze(normalize(k)): (Granularity.month, "month", v) for k, v in RELATIVE_MONTHS.items()},
    **{squeeze(normalize(k)): (Granularity.year, "year", v) for k, v in RELATIVE_YEARS.items()},
    **{squeeze(normalize(k)): (Granularity.day, unit, -n) for k, (unit, n) in AGO.items()},
}
_HOLIDAY: Final = {squeeze(normalize(k)): v for k, v in HOLIDAYS.items()}
_NTH: Final = {squeeze(normalize(k)): v for k, v in NTH_BEFORE_WEEKDAY.items()}
_BARE_WEEKDAY: Final = {squeeze(normalize(k)): v for k, v in BARE_WEEKDAYS.items()}


@dataclass(frozen=True)
class _Patterns:
    lang: str | None
    month_day: re.Pattern[str]
    year_words: dict[str, int]
    months: dict[str, MonthName]
    ordinals: dict[str, int]
    proclitic: dict[str, tuple[int, str]]
    words: re.Pattern[str]
    words_fast: re.Pattern[str]
    first_word: re.Pattern[str]
    digits: re.Pattern[str]
    digits_fast: re.Pattern[str]
    year_after: re.Pattern[str]
    left: re.Pattern[str]
    right: re.Pattern[str]
    year_tail: re.Pattern[str]
    place: re.Pattern[str]
    dayword: re.Pattern[str]
    rel_only: re.Pattern[str]
    not_today: re.Pattern[str]
    number_before: re.Pattern[str]


_BUILT: Final[dict[str | None, _Patterns]] = {}


def _patterns(lang: str | None) -> _Patterns:
    """The compiled patterns of a base language (or of every set, for None), built once per process.

    The first call builds those of fa, prs and ar together: compiling one language's patterns takes ~0.1 s, a
    one-off cost that belongs to start-up rather than to whichever document of another language comes first.
    """
    p = _BUILT.get(lang)
    if p is None:
        for each in {lang, "fa", "prs", "ar"}:
            if each not in _BUILT:
                _BUILT[each] = _build_patterns(each)
        p = _BUILT[lang]
    return p


def _build_patterns(lang: str | None) -> _Patterns:
    months = month_names(lang)
    month_alt = words_pattern(list(months))
    ordinals = {**persian_ordinals(), **arabic_ordinals()}
    ord_alt = words_pattern(list(ordinals))
    era_alt = words_pattern(ERA_MARKERS)
    rel_alt = words_pattern(_all_rel_words())
    yw_alt = words_pattern(YEAR_WORDS)
    qty_alt = words_pattern(QUANTITY_WORDS)
    year4 = rf"(?<!\d)\d{{4}}(?!\d)(?!{_SP}{qty_alt})"
    safe = [k for k, v in months.items() if not v.ambiguous]
    proclitic = {
        squeeze(pro + k): (len(pro), squeeze(k))
        for k in [*safe, *map(normalize, ("الأمس", "أمس", "اليوم", *YEAR_WORDS))] for pro in _PROCLITICS
    }
    # The scan consumes the non-letter before a word instead of looking behind for it: a pattern that starts
    # with a character class lets the regex engine skip letters in C, which makes the scan ~35% faster.
    words = re.compile(
        rf"[\W\d_](?P<w>{words_pattern([*months, *proclitic, *WEEKDAYS, *YEAR_WORDS, *_RELATIVE_WORDS])})"
        rf"(?P<suf>{_SP}ماه)?{_NR_WORD}"
    )
    first_word = re.compile(words.pattern[len("[\\W\\d_]"):])  # the same at the start of the text
    words_fast = re.compile(_bmp_class(r"[\W\d_]") + first_word.pattern)
    digits_tail = (
        rf"(?:{_SP}(?P<sep>[/.\\-]){_SP}(?P<n2>\d{{1,2}}){_SP}(?P=sep){_SP}"
        rf"(?P<n3>\d{{1,4}})(?!\d|[/.\\-]\d)|{_SP}(?=(?:{era_alt}){_NR}))"
    )
    digits = re.compile(rf"(?P<n1>\d{{1,4}}){digits_tail}")
    digits_fast = re.compile(rf"(?P<n1>{_bmp_class(_DIGIT)}\d{{0,3}}){digits_tail}")
    year_words = words_pattern(arabic_year_words()) if lang in ("ar", None) else "(?!)"
    year_after = re.compile(rf"{_SP}(?:(?P<y>{year4})|(?P<yword>{year_words}){_NR})")
    month_day = re.compile(
        rf"{_SP}(?P<day>(?P<md>\d{{1,2}})(?!\d)|(?P<mdw>{ord_alt}){_NR})(?=[ ]?(?:[،,.\n]|\Z|\d{{4}}|{year_words}))"
    )
    # The context before a month name is read backwards: the pattern runs on the reversed text, anchored at the
    # month, so one match replaces a search over every start position of a window.
    def rw(words: Iterable[str]) -> str:
        return words_pattern(words, reverse=True)

    month_words = MONTH_WORDS.get(lang or "", tuple(w for ws in MONTH_WORDS.values() for w in ws))
    r_mw, r_of, r_wd = rw(month_words), rw(("من", "في")), rw(WEEKDAYS)
    r_nth, r_bare, r_last = rw(NTH_BEFORE_WEEKDAY), rw(BARE_WEEKDAYS), rw(LAST_AFTER_WEEKDAY)
    left = re.compile(
        rf"(?:{_SP}(?P<mw>{r_mw}){_NR})?"
        rf"(?:(?:{_SP}نم)?(?:{_SP}[-/])?{_SP}[.]?(?:(?P<d>\d{{1,2}})(?!\d)"
        rf"(?:{_SP}(?:{rw(RANGE_WORDS)}|[-–]){_SP}(?P<d0>\d{{1,2}})(?![\d/.:]))?"  # از ۱۰ تا ۱۵ مهر
        rf"|(?P<dw>{rw(ordinals)}){_NR})"
        rf"|{_SP}-{_SP}(?P<ly>\d{{4}})(?![\d/.\\-])"
        rf"|(?:{_SP}{r_of})?{_SP}(?P<nwd>{r_bare}){_SP}(?P<nth>{r_nth}){_NR}"
        rf"|{_SP}{r_of}{_SP}(?P<nth2>{r_last}){_SP}(?P<wd2>{r_wd}))?"
        rf"(?:{_SP}[،,]?{_SP}(?P<wd>{r_wd})(?:{_SP}[،,]?{_SP}(?P<dayword>{rw((*DAY_WORDS, *TODAY_WORDS))}){_NR})?)?"
    )
    right = re.compile(
        rf"(?:{_SP}/{_SP}(?P<m2>{month_alt})(?P<suf2>{_SP}ماه)?{_NR_WORD}"
        rf"|{_SP}\({_SP}(?P<m2p>{month_alt}){_SP}\))?"
        rf"(?:{_SP}-{_SP}(?P<rd>\d{{1,2}})(?!\d))?"
        rf"(?:{_SP}ی(?={_SP}(?:\d|{yw_alt})))?"
        rf"(?:[.]?{_SP}[،,]?{_SP}(?:(?:من{_SP})?(?P<yw>{yw_alt}){_SP})?(?P<y>{year4})"
        rf"|(?<=[^\W\d_])(?P<y2>\d{{2}})(?!\d)"  # glued: ۱۴مهر۹۴
        rf"|{_SP}(?P<y2s>\d{{2}})(?!\d)(?=[ ]?(?:\Z|[^\w ]|ساعت)))?"
        rf"(?:{_SP}(?P<era>{era_alt}){_NR})?"
        rf"(?:{_SP}(?P<rel>{rel_alt}){_NR})?"
    )
    to_alt = words_pattern(RANGE_WORDS)
    year_tail = re.compile(
        rf"(?:{_SP}(?P<era>{era_alt}){_NR})?"
        rf"(?:{_SP}(?:{to_alt}|-|–){_SP}(?P<y_to>{year4}))?"
    )
    place = re.compile(rf"{_SP}{rw(PLACE_WORDS)}{_NR}")  # on reversed text, like ``left``
    dayword = re.compile(
        rf"{_NL}(?:(?P<today>{words_pattern(TODAY_WORDS)}){_SP}[،,]?|{words_pattern(DAY_WORDS)}){_SP}\Z"
    )
    rel_only = re.compile(rf"{_SP}(?P<rel>{rel_alt}){_NR}")
    not_today = re.compile(rf"{_NL}{words_pattern(NOT_TODAY_BEFORE)}{_SP}\Z")
    number_before = re.compile(rf"(?:\d|{_NL}{words_pattern(_NUMBER_WORDS)}){_SP}\Z")
    return _Patterns(
        lang, month_day, {_key(k): v for k, v in arabic_year_words().items()},
        {_key(k): v for k, v in months.items()}, {_key(k): v for k, v in ordinals.items()},
        proclitic, words, words_fast, first_word, digits, digits_fast, year_after, left, right, year_tail, place,
        dayword, rel_only, not_today, number_before,
    )


_RELATIVE_WORDS: Final = (*RELATIVE_DAYS, *RELATIVE_MONTHS, *RELATIVE_YEARS, *AGO, *HOLIDAYS)
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


_DIGIT: Final = r"\d"
_BEYOND_BMP: Final = "\U00010000-\U0010ffff"


@cache
def _bmp_class(cls: str) -> str:
    """The character class ``cls`` spelled out as code-point ranges over the BMP, plus every code point beyond it.

    The regex engine skips ahead to where a scan can start by testing each character against the pattern's first
    class: a class of categories (``\\W``, ``\\d``) costs a Unicode database lookup per character, a class of
    ranges one bitmap lookup, which makes the scans ~1.6x faster.  The bitmap stops at U+FFFF, so the ranges
    admit every code point beyond it and :func:`_scan` falls back to the exact pattern when a match starts there.
    """
    bmp = "".join(map(chr, range(0x10000)))
    ranges = [f"\\U{m.start():08x}-\\U{m.end() - 1:08x}" for m in re.finditer(f"{cls}+", bmp)]
    return "[" + "".join(ranges) + _BEYOND_BMP + "]"


def _scan(fast: re.Pattern[str], exact: re.Pattern[str], view: str) -> list[re.Match[str]]:
    """The matches of ``exact`` in ``view``, found with ``fast``: the same pattern whose first character class
    also admits every code point beyond the BMP.

    Where a match of ``fast`` starts inside the BMP, ``exact`` matches the same way at that position, so the two
    scans give the same matches unless some match of ``fast`` starts beyond the BMP (then ``exact`` runs).
    """
    found = list(fast.finditer(view))
    if any(view[m.start()] > "\uffff" for m in found):
        return list(exact.finditer(view))
    return found


def find_candidates(view: str, lang: str | None) -> list[Group]:
    """Every date expression of the view text ``view`` in text order, overlaps resolved (longest first)."""
    p = _patterns(lang)
    groups: list[Group] = []
    rev = view[::-1]
    first = p.first_word.match(view)
    for m in itertools.chain([first] if first else [], _scan(p.words_fast, p.words, view)):
        w = squeeze(m.group("w"))
        g: Group | None = None
        if w in p.months:
            g = _month_group(view, rev, m.start("w"), m, p.months[w], p)
        elif w in p.proclitic:
            skip, key = p.proclitic[w]
            if key in p.months:
                g = _month_group(view, rev, m.start("w") + skip, m, p.months[key], p)
            elif key in _RELATIVE:
                g = _relative_group(view, rev, m, *_RELATIVE[key], p, lang, skip)
            else:  # وعام 2020
                ym = p.year_after.match(view, m.end("w"))
                if ym is not None and ym.group("y") is not None:
                    g = _year_group(view, m.start("w") + skip, ym.start("y"), ym.end("y"), p, lang)
        elif w in _WEEKDAY:
            g = _weekday_group(view, m, _WEEKDAY[w], p)
        elif w in _HOLIDAY:
            g = _holiday_group(view, m, *_HOLIDAY[w], p, lang)
        elif w in _RELATIVE:
            g = _relative_group(view, rev, m, *_RELATIVE[w], p, lang)
        else:
            ym = p.year_after.match(view, m.end("w"))
            if ym is not None and ym.group("y") is not None:
                g = _year_group(view, m.start("w"), ym.start("y"), ym.end("y"), p, lang)
        if g is not None:
            groups.append(g)
    for m in _scan(p.digits_fast, p.digits, view):
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
    _settle_shared_spellings([c for g in kept for c in g.members])
    return kept


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

    __slots__ = ("_g", "_m", "_n")

    def __init__(self, m: re.Match[str], n: int) -> None:
        self._m = m
        self._n = n
        self._g = m.groupdict()

    def group(self, name: str) -> Any:
        g = self._g[name]
        return None if g is None else g[::-1]

    def has(self, name: str) -> bool:
        return self._g[name] is not None

    def start(self, name: str) -> int:
        return self._n - self._m.end(name)


def _left(p: _Patterns, rev: str, pos: int) -> _Left:
    """What stands before view offset ``pos``: weekday, day, من, ماه/برج/شهر (every part optional)."""
    m = p.left.match(rev, len(rev) - pos)
    assert m is not None  # every part is optional
    return _Left(m, len(rev))


def _month_group(
    view: str, rev: str, mon_start: int, m: re.Match[str], name1: MonthName, p: _Patterns
) -> Group | None:
    mon_end = m.end("w")
    suffix = m.group("suf") is not None
    if suffix:
        if name1.calendar is Calendar.solar_hijri:
            mon_end = m.end("suf")
        elif view[m.start("suf")] not in " \u200c":
            return None  # "Xماه" glued to a non-solar month is another word
    lm = _left(p, rev, mon_start)
    if (not lm.has("d") and not lm.has("dw") and p.lang == "ar"
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
    nth: int | None = None
    ymd_year = lm.group("ly")
    if lm.has("d") or lm.has("dw"):
        day = int(lm.group("d")) if lm.has("d") else p.ordinals[_key(lm.group("dw"))]
        if not 1 <= day <= 31:
            day = None
        else:
            start = lm.start("d") if lm.has("d") else lm.start("dw")
            if lm.has("wd"):
                weekday = _WEEKDAY[_key(lm.group("wd"))]
                start = lm.start("dayword") if lm.has("dayword") else lm.start("wd")
    elif ymd_year is not None and rm.group("rd") is not None:
        year, day = int(ymd_year), int(rm.group("rd"))
        start = lm.start("ly")
    elif lm.has("nth"):
        nth, weekday, start = _NTH[_key(lm.group("nth"))], _BARE_WEEKDAY[_key(lm.group("nwd"))], lm.start("nth")
    elif lm.has("nth2"):
        nth, weekday, start = -1, _WEEKDAY[_key(lm.group("wd2"))], lm.start("wd2")
    if lm.has("mw") and start == mon_start:
        start = lm.start("mw")
    has_mw = lm.has("mw")

    name2: MonthName | None = None
    end = mon_end
    m2 = "m2" if rm.group("m2") is not None else "m2p" if rm.group("m2p") is not None else None
    if m2 is not None:
        name2 = p.months[_key(rm.group(m2))]
        if name2.lexicon == name1.lexicon or name2.calendar is not name1.calendar:
            name2 = None
    if name2 is None and m2 is not None:
        rm = p.right.match(view, mon_end, mon_end)  # only the empty match: the slash is not a dual name
        assert rm is not None
    year_written = year is not None
    if rm.group("rd") is not None and year is not None:
        end = rm.end("rd")
    elif rm.group("y") is not None:
        year = int(rm.group("y"))
        year_written = True
        end = rm.end("y")
    elif rm.group("y2") is not None or rm.group("y2s") is not None:
        # Two-digit years only for solar months (۱۴مهر۹۴, 26 شهریور 94): elsewhere they are counts.
        group = "y2" if rm.group("y2") is not None else "y2s"
        if (name2 or name1).calendar is Calendar.solar_hijri:
            year = _solar_two_digit(int(rm.group(group)))
            year_written = True
            end = rm.end(group)
        else:
            rm = p.right.match(view, mon_end, rm.start(group))  # read only what comes before the digits
            assert rm is not None
    if rm.group("era") is not None and year_written:
        # The month's calendar wins over a conflicting era marker; the marker stays inside the extent.
        end = rm.end("era")
    direction = Direction.nearest
    marker = False
    if rm.group("rel") is not None and not year_written:
        direction = _REL[_key(rm.group("rel"))]
        marker = True
        end = rm.end("rel")
    if name2 is not None and m2 == "m2" and end < rm.end("m2"):
        end = rm.end("suf2") if rm.group("suf2") is not None else rm.end("m2")

    # Traps: an ambiguous name needs a day, a year, ماه/برج/شهر, a relative marker (نيسان الماضي) or a safe
    # partner (calendars.md §4).
    context = day is not None or nth is not None or year_written or has_mw or suffix or marker
    if not context and name1.ambiguous and (name2 is None or name2.ambiguous):
        return None
    if p.place.match(rev, len(rev) - start):
        return None  # ورزشگاه ۱۷ تیر, خبرگزاری مهر, شارع 26 يوليو
    if name1.spelling == "می" and not year_written and _WORD_AFTER.match(view, end):
        return None  # ۵ می رسد: the verb prefix written with a space, not "5 May"

    granularity = Granularity.day if day is not None or nth is not None else Granularity.month
    first = Candidate(start, end if name2 is None else mon_end, name1.calendar, name1.lexicon, granularity,
                      year, name1.month, day, weekday, direction, marker, nth=nth, spelling=_key(name1.spelling))
    # The first day of a range (۱۰ in از ۱۰ تا ۱۵ مهر) is a date of its own that shares month, year and marker.
    range_start: list[Candidate] = []
    d0_start = lm.start("d0") if lm.has("d0") else -1
    if (day is not None and d0_start >= 0 and 1 <= int(lm.group("d0")) < day and start == lm.start("d")
            and not _CLOCK_BEFORE.search(view, max(0, d0_start - 8), d0_start)):
        range_start.append(Candidate(d0_start, d0_start + len(lm.group("d0")), name1.calendar, name1.lexicon,
                                     granularity, year, name1.month, int(lm.group("d0")), None, direction, marker,
                                     spelling=_key(name1.spelling)))
    if name2 is None:
        return Group([*range_start, first])
    assert m2 is not None
    # كانون الثاني (يناير) 2020: the parenthesised name is a mention of its own; the year after it is shared.
    second_end = end if m2 == "m2" else rm.end("m2p")
    second = Candidate(rm.start(m2), second_end, name2.calendar, name2.lexicon, granularity, year, name2.month, day,
                       weekday if nth is not None else None, direction, marker, nth=nth,
                       spelling=_key(name2.spelling))
    return Group([*range_start, first, second], dual=True)


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
    view: str, mon_start: int, day_end: int, day: int, lm: _Left, name1: MonthName, p: _Patterns
) -> Group | None:
    start = mon_start
    weekday = None
    if lm.has("wd"):
        weekday = _WEEKDAY[_key(lm.group("wd"))]
        start = lm.start("dayword") if lm.has("dayword") else lm.start("wd")
    after = day_end + 1 if view[day_end:day_end + 1] in ("،", ",") else day_end
    ym = p.year_after.match(view, after)
    year: int | None = None
    end = day_end
    if ym is not None:
        year = int(ym.group("y")) if ym.group("y") else p.year_words[_key(ym.group("yword"))]
        end = ym.end()
    return Group([Candidate(start, end, name1.calendar, name1.lexicon, Granularity.day, year, name1.month, day,
                            weekday, spelling=_key(name1.spelling))])


def _relative_group(
    view: str, rev: str, m: re.Match[str], granularity: Granularity, unit: str, offset: int, p: _Patterns,
    lang: str | None, skip: int = 0,
) -> Group | None:
    start, end = m.start("w") + skip, m.end("w")
    if m.group("suf") is not None:
        return None
    day: int | None = None
    if granularity is Granularity.day:
        if offset == 0:
            if p.not_today.search(view, max(0, start - 12), start) or re.match(r" ?ال", view[end:end + 3]):
                return None  # روسيا اليوم, ذلك اليوم, اليوم التالي
        if p.place.match(rev, len(rev) - start):
            return None  # رادیو فردا
    else:
        if lang != "ar" and p.number_before.search(view, max(0, start - 12), start):
            return None  # ۱۰ سال گذشته: a duration, not a date
        if granularity is Granularity.month:
            lm = _left(p, rev, start)
            if (lm.group("d") or lm.group("dw")) and lang == "ar":
                day = int(lm.group("d")) if lm.group("d") else p.ordinals[_key(lm.group("dw"))]
                if 1 <= day <= 31:
                    start = lm.start("d") if lm.group("d") else lm.start("dw")
                    granularity = Granularity.day
                else:
                    day = None
    # Iran and Afghanistan count months and years in the solar calendar: ماه گذشته, امسال are solar.
    calendar = Calendar.gregorian if lang == "ar" or granularity is Granularity.day else Calendar.solar_hijri
    if unit == "day" and granularity is not Granularity.day:
        unit = granularity.value
    return Group([Candidate(start, end, calendar, "none", granularity, day=day, marker=True, offset=offset,
                            unit=unit)])


def _holiday_group(
    view: str, m: re.Match[str], month: int, day: int, p: _Patterns, lang: str | None
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
    era = _ERA[_key(tail.group("era"))] if tail is not None and tail.group("era") is not None else None
    if tail is not None and era is not None:
        end = tail.end("era")
    gregorian_year = _year_calendar(year, "ar", era) is Calendar.gregorian
    return Group([Candidate(m.start("w"), end, Calendar.lunar_hijri, "none", Granularity.day,
                            None if gregorian_year else year, month, day,
                            gregorian_year=year if gregorian_year else None)])


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
        y, mo, d = _solar_two_digit(int(n1)), int(n2), int(n3)  # ۹۹/۱۰/۱۷: a two-digit solar year first
        two_digit = Calendar.solar_hijri
    else:
        return None
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    tail = p.year_tail.match(view, m.end())
    assert tail is not None
    era = _ERA[_key(tail.group("era"))] if tail.group("era") is not None else None
    calendar = era or two_digit or _year_calendar(y, lang, era)
    if calendar is None:
        return None
    end = tail.end("era") if era is not None else m.end()
    return Group([Candidate(m.start(), end, calendar, "numeric", Granularity.day, y, mo, d)])


def _exists(calendar: Calendar, y: int, m: int, d: int) -> bool:
    try:
        to_gregorian(calendar, y, m, d)
    except InvalidDate:
        return False
    return True
