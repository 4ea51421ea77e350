"""The compiled patterns of the date recogniser, one set per base language, and the lookup tables they key.

Two scans find anchors (``words`` for month names, weekdays, year words, relative words, holidays and years in
words; ``digits`` for numeric dates and years); the other patterns read the context of an anchor, most of them on
the reversed text so that one anchored match reads what stands before it.  Building one language's patterns costs
~0.1 s, so each language's are built when first needed and kept for the process (:func:`compiled`;
:func:`warm_patterns` before forking workers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Final

from ..models import Granularity
from ..text.view import SEP, normalize, squeeze
from .lexicon import (
    AGO,
    BARE_WEEKDAYS,
    CORRESPONDS,
    COUNT_NOUNS,
    DAY_NOUNS,
    DAY_WORDS,
    ERA_MARKERS,
    FIRST_DAY_WORDS,
    FUTURE_MARKERS,
    HOLIDAYS,
    LAST_AFTER_WEEKDAY,
    LAST_DAY_WORDS,
    LAST_YEAR,
    MONTH_WORDS,
    MONTHS_WORDS,
    NEXT_YEAR,
    NOT_TODAY_BEFORE,
    NTH_BEFORE_WEEKDAY,
    ORDINAL_SUFFIXES,
    PART_WORDS,
    PAST_MARKERS,
    PLACE_WORDS,
    QUANTITY_WORDS,
    RANGE_WORDS,
    RELATIVE_DAYS,
    RELATIVE_MONTHS,
    RELATIVE_YEARS,
    THIS_YEAR,
    TODAY_WORDS,
    WEEK_MARKERS,
    WEEKDAYS,
    YEAR_WORDS,
    MonthName,
    arabic_ordinals,
    arabic_year_pattern,
    arabic_year_words,
    month_names,
    persian_cardinals,
    persian_ordinals,
    persian_year_pattern,
    words_pattern,
)
from .resolve import Direction

_NL: Final = r"(?<![^\W\d_])"  # not after a letter
NUMBER_CHARS: Final = frozenset("0123456789/.\\-")
_NR: Final = r"(?![^\W\d_])"  # not before a letter
_NR_WORD: Final = "(?![^\\W\\d_])(?!\u200c(?!ی(?![^\\W\\d_]))[^\\W\\d_])"
"""Not before a letter, nor before ZWNJ + letters (``می‌کنند``), except the ezafe ``‌ی``."""
_SP: Final = SEP

VERB_AFTER: Final = re.compile(r"[ \u200c]?[^\W\d_]*(?:د|ند|م|یم|ید)(?![^\W\d_])")
"""A verb after ``می`` (شود، کنند، رسد): then ``می`` is the verb prefix, not May."""
AZAR: Final = "اذر"
"""The view spelling of the Solar month آذر."""
SHOT_BEFORE: Final = re.compile(r"(?:شلیک|پرتاب|گلوله)[ \u200c]?\Z")
"""``شلیک ۲ تیر``: a number of تیر after a firing word counts shots, not a day of the Solar month Tir."""
SHOT_AFTER: Final = re.compile(r"[ \u200c]?(?:هوایی|خلاص|مشقی|جنگی)(?![^\W\d_])")
"""``سه تیر هوایی``: a kind of shot after تیر."""
CLOCK_BEFORE: Final = re.compile(r"(?:ساعت|الساعه)[ ]?\Z")
"""``ساعت 10 تا 15 مهر``: the first number of a range after a clock word is an hour, not a day."""

_PROCLITICS: Final = ("در", "از", "تا", "به", "و", "ب", "ل", "ف", "وب", "ول")
"""Prepositions and conjunctions written glued to a month name (``درژوئن``); never part of the mention."""

_YEAR_PREPOSITIONS: Final[dict[str, tuple[str, ...]]] = {
    "ar": ("في", "وفي", "منذ", "ومنذ", "حتى", "وحتى", "إلى", "الى", "وإلى", "قبل", "بعد", "خلال", "مطلع",
           "أوائل", "أواخر", "منتصف", "بداية", "نهاية", "لغاية", "ولغاية", "بين", "و",
           "ربيع", "صيف", "خريف", "شتاء", "الربيع", "الصيف", "الخريف", "الشتاء", "ربيع عام", "صيف عام", "مواليد"),
    "fa": ("در", "از", "تا", "به", "پس از", "پیش از", "قبل از", "بعد از", "اوایل", "اواخر", "اواسط", "ابتدای",
           "طی", "و", "بهار", "تابستان", "پاییز", "زمستان", "بهار سال", "تابستان سال", "پاییز سال", "زمستان سال",
           "متولد", "زادهٔ", "زاده"),
}
"""Words after which a bare four-digit number is a year (``في 2022``, ``منذ 2003 وحتى 2011``, ``در ۱۴۰۲``, and a
season: ``زمستان ۱۴۰۲``, ``صيف 2024``, the season itself not a date, guidelines §5.1; a birth year: ``متولد ۱۳۴۵``)."""

_NUMERIC_DAY_BEFORE: Final = ("في", "يوم", "بتاريخ", "تاريخ", "منذ", "حتى", "الموافق", "مورخ", "تاریخ", "روز",
                              "مورخه", "بتأريخ")
"""Words after which a year-less numeric ``DD/MM`` is a date (``في 15/3``); elsewhere it is a fraction or a score."""

_NUMBER_LABELS: Final = ("شماره", "رقم", "ماده", "المادة", "بند", "البند", "شمارهٔ", "کد", "قانون", "القانون",
                         "آیه", "الآية", "صفحه", "الصفحة", "عدد", "العدد")
"""Words after which digits with slashes are a reference number (``شمارهٔ ۱۲/۱۴۰۲``), not a date."""



def _rel_table() -> dict[str, Direction]:
    table: dict[str, Direction] = {}
    for words, d in ((PAST_MARKERS, Direction.past), (FUTURE_MARKERS, Direction.future),
                     (LAST_YEAR, Direction.last_year), (THIS_YEAR, Direction.this_year),
                     (NEXT_YEAR, Direction.next_year)):
        for w in words:
            table[squeeze(normalize(w))] = d
    return table


DIRECTION_BY_KEY: Final = _rel_table()
ERA_BY_KEY: Final = {squeeze(normalize(k)): v for k, v in ERA_MARKERS.items()}
WEEKDAY_BY_KEY: Final = {squeeze(normalize(k)): v for k, v in WEEKDAYS.items()}
RELATIVE_BY_KEY: Final = {
    **{squeeze(normalize(k)): (Granularity.day, "day", v) for k, v in RELATIVE_DAYS.items()},
    **{squeeze(normalize(k)): (Granularity.month, "month", v) for k, v in RELATIVE_MONTHS.items()},
    **{squeeze(normalize(k)): (Granularity.year, "year", v) for k, v in RELATIVE_YEARS.items()},
    **{squeeze(normalize(k)): (Granularity.day, unit, -n) for k, (unit, n) in AGO.items()},
}
HOLIDAY_BY_KEY: Final = {squeeze(normalize(k)): v for k, v in HOLIDAYS.items()}
NTH_BY_KEY: Final = {squeeze(normalize(k)): v for k, v in NTH_BEFORE_WEEKDAY.items()}
BARE_WEEKDAY_BY_KEY: Final = {squeeze(normalize(k)): v for k, v in BARE_WEEKDAYS.items()}
PART_BY_KEY: Final = {squeeze(normalize(k)): v for k, v in PART_WORDS.items()}
WEEK_BY_KEY: Final = {squeeze(normalize(k)): v for k, v in WEEK_MARKERS.items()}
AGO_KEYS: Final = frozenset(squeeze(normalize(k)) for k in AGO)
_WEEKDAY_NOT_DATE_BEFORE: Final = (
    "نماز", "امام", "خطبه", "خطبه های", "هر", "روزهای", "شب های", "صلاة", "خطبة", "كل", "أيام", "ايام", "ليلة", "ليالي",
)
"""Words that make a following bare weekday a name or a habit, not a date (نماز جمعه, خطبة الجمعة, هر دوشنبه)."""
AMBIGUOUS_WEEKDAYS: Final = frozenset(squeeze(normalize(w)) for w in ("الاثنين", "الإثنين", "الأحد", "الاحد", "آدینه"))
"""Weekdays that are also everyday words (الاثنين "the two", الأحد "the one", آدینه a name): never dates alone."""
_YEAR_HEADS: Final = ("ألفين", "ألفان", "ألف وتسعمائة", "ألف وتسعمئة", "ألف و تسعمائة", "ألف وأربعمائة", "ألف وأربعمئة",
                      "ألف و أربعمائة", "ألف وثلاثمائة", "ألف وثلاثمئة", "ألف و ثلاثمائة")
"""The first words of a year written in Arabic words (``ألفين وتسعة عشر``): anchors of the word scan."""


@dataclass(frozen=True)
class Patterns:
    lang: str | None
    month_day: re.Pattern[str]
    months: dict[str, MonthName]
    ordinals: dict[str, int]
    cardinals: dict[str, int]
    proclitic: dict[str, tuple[int, str]]
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
    era_only: re.Pattern[str]
    not_today: re.Pattern[str]
    number_before: re.Pattern[str]
    year_prep: re.Pattern[str]
    since_before: re.Pattern[str]
    numeric_day_before: re.Pattern[str]
    number_label: re.Pattern[str]
    weekday_before: re.Pattern[str]
    connector_after: re.Pattern[str]
    comma_date_after: re.Pattern[str]
    not_date_before: re.Pattern[str]
    temporal_before: re.Pattern[str]
    meaning_before: re.Pattern[str]
    quantity_after: re.Pattern[str]
    week_after: re.Pattern[str]
    ago_before: re.Pattern[str]

    @cached_property
    def year_words(self) -> dict[str, int]:
        """Years written in Arabic words by key (:func:`arabic_year_words`): built when a text first has one."""
        return {key_of(k): v for k, v in arabic_year_words().items()}

    @cached_property
    def words(self) -> re.Pattern[str]:
        """The exact word scan (``words_fast`` with its first class as written): compiled only for a text where a
        match of ``words_fast`` starts beyond the BMP (see :func:`scan`), which news text hardly ever has."""
        return re.compile(_WORD_BEFORE + self.first_word.pattern)

    def word_matches(self, view: str) -> list[re.Match[str]]:
        """The word scan's matches in ``view``: :func:`scan` of ``words_fast``, compiling ``words`` only if needed."""
        found = list(self.words_fast.finditer(view))
        return list(self.words.finditer(view)) if _starts_beyond_bmp(view, found) else found


_WORD_BEFORE: Final = r"[\W\d_]"
"""What the word scan consumes before a word: a non-letter (see :func:`_build_patterns`)."""

_BUILT: Final[dict[str | None, Patterns]] = {}


def compiled(lang: str | None) -> Patterns:
    """The compiled patterns of a base language (or of every set, for None), built on first use, once per process.

    Only the languages a run meets are compiled (~0.1 s each): ``annotate dates extract --lang fa`` never pays
    for Arabic's.
    """
    p = _BUILT.get(lang)
    if p is None:
        p = _BUILT[lang] = _build_patterns(lang)
    return p


def warm_patterns(lang: str | None) -> None:
    """Compile the patterns of base language ``lang`` now: before forking workers, which then inherit them."""
    compiled(lang)


def _alt(words: Iterable[str], *, reverse: bool = False) -> str:
    """:func:`words_pattern`, or a pattern that never matches when there are no words."""
    listed = list(words)
    return words_pattern(listed, reverse=reverse) if listed else "(?!)"


def _build_patterns(lang: str | None) -> Patterns:
    months = month_names(lang)
    month_alt = words_pattern(list(months))
    ordinals = {**persian_ordinals(), **arabic_ordinals(), **{normalize(w): 1 for w in FIRST_DAY_WORDS}}
    ordinals.update({"لل" + k[2:]: v for k, v in ordinals.items() if k.startswith("ال")})  # الموافق للعاشر من
    cardinals = persian_cardinals() if lang in ("fa", "prs") else {}
    ord_alt = words_pattern(list(ordinals))
    era_alt = words_pattern(ERA_MARKERS)
    rel_alt = words_pattern(_all_rel_words())
    rel_year_alt = words_pattern([w for w in (*LAST_YEAR, *THIS_YEAR, *NEXT_YEAR) if w.startswith(_YEAR_PHRASE)])
    yw_alt = words_pattern(YEAR_WORDS)
    qty_alt = words_pattern(QUANTITY_WORDS)
    year4 = rf"(?<!\d)\d{{4}}(?!\d)(?!{_SP}{qty_alt})"
    safe = [k for k, v in months.items() if not v.ambiguous]
    proclitic = {
        squeeze(pro + k): (len(pro), squeeze(k))
        for k in [*safe, *map(normalize, ("الأمس", "أمس", "اليوم", *YEAR_WORDS))] for pro in _PROCLITICS
    }
    year_heads = _YEAR_HEADS if lang in ("ar", None) else ()
    # The scan consumes the non-letter before a word instead of looking behind for it: a pattern that starts
    # with a character class lets the regex engine skip letters in C, which makes the scan ~35% faster.
    first_word = re.compile(  # the word scan without the non-letter before it: a word at the start of the text
        rf"(?P<w>{words_pattern([*months, *proclitic, *WEEKDAYS, *YEAR_WORDS, *_RELATIVE_WORDS, *year_heads])})"
        rf"(?P<suf>{_SP}ماه)?{_NR_WORD}"
    )
    words_fast = re.compile(_bmp_class(_WORD_BEFORE) + first_word.pattern)
    # DD/MM/YYYY, YYYY/MM/DD, DD/MM, MM/YYYY (with or without spaces around the separators), a number before an
    # era marker, and a bare four-digit number (a year when a preposition comes before it; checked in Python).
    digits_tail = (
        rf"(?:{_SP}(?P<sep>[/.\\-]){_SP}(?P<n2>\d{{1,4}})(?:{_SP}(?P=sep){_SP}(?P<n3>\d{{1,4}}))?"
        rf"(?!\d|[/.\\-]\d)|{_SP}(?=(?:{era_alt}){_NR})|(?<=\d\d\d\d)(?P<bare>)(?![\d/.\\-]\d|[\d%٪]))"
    )
    digits = re.compile(rf"(?P<n1>\d{{1,4}}){digits_tail}")
    digits_fast = re.compile(rf"(?P<n1>{_bmp_class(_DIGIT)}\d{{0,3}}){digits_tail}")
    year_words = arabic_year_pattern() if lang in ("ar", None) else "(?!)"
    fa_years = persian_year_pattern() if lang in ("fa", "prs", None) else "(?!)"
    if lang in ("fa", "prs"):  # سال ۹۸; not سال ۲۴ اسفند (a day)
        two_digit = rf"(?P<y2>\d{{2}})(?!\d)(?!{_SP}(?:{qty_alt}|{month_alt}))(?![/.:]\d)"
    else:  # عام 48. (Arabic: only before punctuation or the end)
        two_digit = r"(?P<y2>\d{2})(?!\d)(?=[ ]?(?:\Z|[^\w ]))"
    year_after = re.compile(
        rf"{_SP}(?:(?P<y>{year4})|(?P<yword>{year_words}){_NR}|(?P<fword>{fa_years}){_NR}|{two_digit})"
    )
    month_day = re.compile(
        rf"{_SP}(?P<day>(?P<md>\d{{1,2}})(?!\d)|(?P<mdw>{ord_alt}){_NR})(?=[ ]?(?:[،,.\n]|\Z|\d{{4}}|{year_words}))"
    )
    # The context before a month name is read backwards: the pattern runs on the reversed text, anchored at the
    # month, so one match replaces a search over every start position of a window.
    def rw(words: Iterable[str]) -> str:
        return _alt(words, reverse=True)

    month_words = MONTH_WORDS.get(lang or "", tuple(w for ws in MONTH_WORDS.values() for w in ws))
    r_mw, r_of, r_wd = rw(month_words), rw(("من", "في")), rw(WEEKDAYS)
    r_of_az = rw(("من", "از"))
    r_nth, r_bare, r_last = rw(NTH_BEFORE_WEEKDAY), rw(BARE_WEEKDAYS), rw(LAST_AFTER_WEEKDAY)
    months_words = MONTHS_WORDS.get(lang or "", tuple(w for ws in MONTHS_WORDS.values() for w in ws))
    left = re.compile(
        rf"(?:{_SP}(?:(?P<mw>{r_mw})|(?P<mws>{rw(months_words)}))[بل]?{_NR})?"
        rf"(?:"
        rf"{_SP}(?P<part>{rw(PART_WORDS)})[وفبل]?{_NR}|"  # first: دهه اول محرم is a part, not day 1
        # digits, with من/از, a Dari ordinal suffix (۲۰ ام اپریل) and the first day of a range (از ۱۰ تا ۱۵ مهر)
        rf"(?:{_SP}{r_of_az})?(?:{_SP}(?P<osuf>{rw(ORDINAL_SUFFIXES)})(?:{_SP}-)?)?(?:{_SP}[-/])?{_SP}[.]?"
        rf"(?P<d>\d{{1,2}})(?!\d)"
        rf"(?:{_SP}(?:{rw(RANGE_WORDS)}|[-–]){_SP}(?P<d0>\d{{1,2}})(?![\d/.:]))?"
        # ordinal words, with من/از and a day noun (بیست و پنجمین روز از ماه مهر), غرة, فاتح
        rf"|(?:{_SP}{r_of_az})?(?:{_SP}{rw(DAY_NOUNS)})?{_SP}(?P<dw>{rw(ordinals)})[لبو]?{_NR}"  # للعاشر من
        rf"|{_SP}(?P<dc>{rw(cardinals)}){_NR}"  # Persian cardinal words: یک خرداد
        rf"|{_SP}(?P<last>{rw(LAST_DAY_WORDS)})[وفب]?{_NR}"
        rf"|{_SP}-{_SP}(?P<ly>\d{{4}})(?![\d/.\\-])"
        rf"|(?:{_SP}{r_of})?{_SP}(?P<nwd>{r_bare}){_SP}(?P<nth>{r_nth}){_NR}"
        rf"|{_SP}{r_of}{_SP}(?P<nth2>{r_last}){_SP}(?P<wd2>{r_wd})"
        rf")?"
        rf"(?:{_SP}(?P<wd>{r_wd})(?:{_SP}(?P<dayword>{rw((*DAY_WORDS, *TODAY_WORDS))}){_NR})?)?"
    )  # a comma between them makes two mentions in apposition (اليوم الجمعة، 14 يونيو)
    right = re.compile(
        rf"(?:(?:{_SP}[/\-–]{_SP}|[ ])(?P<m2>{month_alt})(?P<suf2>{_SP}ماه)?{_NR_WORD}"
        rf"|{_SP}\({_SP}(?P<m2p>{month_alt}){_SP}\))?"
        rf"(?:{_SP}-{_SP}(?P<rd>\d{{1,2}})(?!\d))?"
        rf"(?:{_SP}ی(?={_SP}(?:\d|{yw_alt})))?"
        rf"(?:[.]?{_SP}[،,]?{_SP}(?:[-/]{_SP})?(?:(?:من{_SP})?(?P<yw>{yw_alt}){_SP})?(?P<y>{year4})"
        rf"|{_SP}[،,]?{_SP}(?:من{_SP}|ل)?(?:{yw_alt}){_SP}(?P<yword>{year_words}){_NR}"  # لعام ألفين وثلاثة وعشرين
        rf"|(?<=[^\W\d_])(?P<y2>\d{{2}})(?!\d)"  # glued: ۱۴مهر۹۴
        rf"|{_SP}(?P<y2s>\d{{2}})(?!\d)(?=[ ]?(?:\Z|[^\w ]|ساعت))"
        rf"|{_SP}(?P<y2w>\d{{2}})(?![\d/.:])(?!{_SP}{qty_alt}))?"  # ۲۵ اسفند ۹۶ صادر شد: a word after it
        rf"(?:{_SP}(?P<era>{era_alt}){_NR})?"
        # ۱۴ تیر سال گذشته; 14 تموز من العام الماضي (من/في only before a year phrase)
        rf"(?:{_SP}(?:{words_pattern(('من', 'في'))}{_SP}(?={rel_year_alt}))?(?P<rel>{rel_alt}){_NR})?"
    )
    to_alt = words_pattern(RANGE_WORDS)
    year_tail = re.compile(
        rf"(?:{_SP}(?P<era>{era_alt}){_NR})?"
        rf"(?:{_SP}(?:{to_alt}|-|–){_SP}(?P<y_to>{year4}))?"
    )
    place = re.compile(rf"{_SP}{rw(PLACE_WORDS)}{_NR}")  # on reversed text, like ``left``
    dayword = re.compile(
        rf"{_NL}(?:(?P<today>{words_pattern(TODAY_WORDS)})|{words_pattern(DAY_WORDS)}){_SP}\Z"
    )
    rel_only = re.compile(rf"{_SP}(?P<rel>{rel_alt}){_NR}")
    era_only = re.compile(rf"{_SP}(?P<era>{era_alt}){_NR}")
    not_today = re.compile(rf"{_NL}{words_pattern(NOT_TODAY_BEFORE)}{_SP}\Z")
    number_before = re.compile(rf"(?:\d|{_NL}{words_pattern(_NUMBER_WORDS)}){_SP}\Z")
    preps = _YEAR_PREPOSITIONS["ar" if lang == "ar" else "fa"] if lang is not None else (
        *_YEAR_PREPOSITIONS["ar"], *_YEAR_PREPOSITIONS["fa"])
    year_prep = re.compile(rf"{_SP}(?P<p>{rw(preps)}){_NR}")  # reversed
    # reversed: a since-word (از سال ۱۳۹۹ به این سو) or a connector (المصادف لـ) right before a date
    since_before = re.compile(
        rf"{_SP}(?:(?P<since>{rw(('از', 'منذ', 'ومنذ', 'اعتبارا من', 'ابتداء من'))})|(?:ل{_SP})?{rw(CORRESPONDS)}){_NR}"
    )
    numeric_day_before = re.compile(rf"{_SP}[،,:]?{_SP}(?:{rw(_NUMERIC_DAY_BEFORE)}){_NR}")  # reversed
    number_label = re.compile(rf"{_SP}[:.]?{_SP}(?:{rw(_NUMBER_LABELS)}){_NR}")  # reversed
    weekday_before = re.compile(
        rf"{_SP}(?P<wd>{r_wd})(?:{_SP}(?P<dayword>{rw((*DAY_WORDS, *TODAY_WORDS))}){_NR})?"
    )  # reversed
    connector_after = re.compile(rf"{_SP}[،,]?{_SP}(?:{words_pattern(CORRESPONDS)}){_NR}(?=[^\n.]{{0,24}}\d)")
    comma_date_after = re.compile(rf"{_SP}[،,]{_SP}(?:\d|{ord_alt}|{month_alt})")
    not_date_before = re.compile(rf"{_SP}(?:{rw(_WEEKDAY_NOT_DATE_BEFORE)}){_NR}")  # reversed
    temporal_before = re.compile(rf"{_SP}(?:{rw(('از', 'تا', 'در', 'روز', 'تاریخ'))}){_NR}")  # reversed
    meaning_before = re.compile(rf"{_SP}(?:{rw(('به معنای', 'به معنی', 'بمعنى', 'کلمه', 'واژه', 'كلمة', 'لفظ'))}){_NR}")
    quantity_after = re.compile(rf"{_SP}(?:{words_pattern(COUNT_NOUNS)})ا?{_NR}")  # 2000 جندي، 1500 شخصا
    week_after = re.compile(rf"{_SP}(?:من{_SP})?(?P<week>{words_pattern(WEEK_MARKERS)}){_NR}")
    ago_before = re.compile(rf"{_SP}(?:از|من){_NR}")  # دو روز پیش از انتخابات: counted from the election
    return Patterns(
        lang, month_day,
        {key_of(k): v for k, v in months.items()},
        {key_of(k): v for k, v in ordinals.items()}, {key_of(k): v for k, v in cardinals.items()},
        proclitic, words_fast, first_word, digits, digits_fast, year_after, left, right,
        year_tail, place, dayword, rel_only, era_only, not_today, number_before, year_prep, since_before,
        numeric_day_before, number_label, weekday_before, connector_after, comma_date_after, not_date_before,
        temporal_before, meaning_before, quantity_after, week_after, ago_before,
    )


_RELATIVE_WORDS: Final = (*RELATIVE_DAYS, *RELATIVE_MONTHS, *RELATIVE_YEARS, *AGO, *HOLIDAYS)
_NUMBER_WORDS: Final = ("یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه", "ده", "چند", "بیست", "سی", "صد")


_YEAR_PHRASE: Final = ("العام", "السنة", "هذا", "هذه")
"""How an Arabic relative-year phrase starts (``العام الماضي``, ``هذه السنة``): ``من`` may come before it."""


def _all_rel_words() -> list[str]:
    return [*PAST_MARKERS, *FUTURE_MARKERS, *LAST_YEAR, *THIS_YEAR, *NEXT_YEAR]


def key_of(s: str) -> str:
    return squeeze(s)


_DIGIT: Final = r"\d"
_BEYOND_BMP: Final = "\U00010000-\U0010ffff"


@cache
def _bmp_class(cls: str) -> str:
    """The character class ``cls`` spelled out as code-point ranges over the BMP, plus every code point beyond it.

    The regex engine skips ahead to where a scan can start by testing each character against the pattern's first
    class: a class of categories (``\\W``, ``\\d``) costs a Unicode database lookup per character, a class of
    ranges one bitmap lookup, which makes the scans ~1.6x faster.  The bitmap stops at U+FFFF, so the ranges
    admit every code point beyond it and :func:`scan` falls back to the exact pattern when a match starts there.
    """
    bmp = "".join(map(chr, range(0x10000)))
    ranges = [f"\\U{m.start():08x}-\\U{m.end() - 1:08x}" for m in re.finditer(f"{cls}+", bmp)]
    return "[" + "".join(ranges) + _BEYOND_BMP + "]"


def scan(fast: re.Pattern[str], exact: re.Pattern[str], view: str) -> list[re.Match[str]]:
    """The matches of ``exact`` in ``view``, found with ``fast``: the same pattern whose first character class
    also admits every code point beyond the BMP.

    Where a match of ``fast`` starts inside the BMP, ``exact`` matches the same way at that position, so the two
    scans give the same matches unless some match of ``fast`` starts beyond the BMP (then ``exact`` runs).
    """
    found = list(fast.finditer(view))
    return list(exact.finditer(view)) if _starts_beyond_bmp(view, found) else found


def _starts_beyond_bmp(view: str, found: list[re.Match[str]]) -> bool:
    """Whether a match of a fast scan starts beyond the BMP, where the exact pattern must decide instead."""
    return _ASTRAL.search(view) is not None and any(view[m.start()] > "\uffff" for m in found)


_ASTRAL: Final = re.compile("[\U00010000-\U0010ffff]")
"""A code point beyond the BMP (rare in news text: one C search spares a look at every match)."""


def rmatch(pattern: re.Pattern[str], rev: str, pos: int) -> re.Match[str] | None:
    """``pattern`` (written for reversed text) matched backwards from view offset ``pos``."""
    return pattern.match(rev, len(rev) - pos)


YEAR_HEAD_KEYS: Final = frozenset(squeeze(normalize(h)) for h in _YEAR_HEADS)
