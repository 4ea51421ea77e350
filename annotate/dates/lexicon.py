"""Every word the date recogniser knows: month names per month-name set, weekdays, ordinal day words, year words,
era markers, relative markers and the trap contexts that make a month name *not* a date.

Spellings are written here as they appear in text (see ``shared/reference/calendars.md`` §3, §4, §8) and compiled
through :func:`annotate.text.view.normalize`, so ``ي``/``ی``, ``ك``/``ک``, hamza and madda forms, ``ة``/``ه``,
ZWNJ and diacritic variants need not be listed twice.  A space inside an entry matches an optional space or ZWNJ.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from ..models import Calendar
from ..text.view import SEP, normalize

__all__ = [
    "ENGLISH_MONTHS",
    "MONTH_SETS",
    "MonthName",
    "MonthSet",
    "arabic_ordinals",
    "canonical_name",
    "lexicon_order",
    "month_names",
    "persian_ordinals",
    "words_pattern",
]


@dataclass(frozen=True)
class MonthSet:
    """One month-name set (``DateMention.lexicon``): its calendar, home languages and spellings per month."""

    lexicon: str
    calendar: Calendar
    languages: frozenset[str]
    months: tuple[tuple[str, ...], ...]
    """Twelve tuples of spellings; the first is the canonical (CLDR) one."""
    ambiguous: frozenset[str]
    """Spellings that are also everyday words or names: dates only next to a day, a year, ماه/برج/شهر."""


_FA = frozenset({"fa", "prs"})
_AR = frozenset({"ar"})
_ALL = frozenset({"fa", "prs", "ar"})

MONTH_SETS: Final[tuple[MonthSet, ...]] = (
    MonthSet(
        "solar-IR",
        Calendar.solar_hijri,
        _FA,
        (
            ("فروردین",),
            ("اردیبهشت",),
            ("خرداد",),
            ("تیر",),
            ("مرداد", "امرداد"),
            ("شهریور",),
            ("مهر",),
            ("آبان",),
            ("آذر",),
            ("دی",),
            ("بهمن",),
            ("اسفند",),
        ),
        frozenset({"تیر", "مهر", "آذر", "دی", "بهمن"}),
    ),
    MonthSet(
        "solar-AF",
        Calendar.solar_hijri,
        _FA,
        (
            ("حمل",),
            ("ثور",),
            ("جوزا", "جوزاء"),
            ("سرطان",),
            ("اسد",),
            ("سنبله",),
            ("میزان",),
            ("عقرب",),
            ("قوس",),
            ("جدی",),
            ("دلو",),
            ("حوت",),
        ),
        # Every Dari solar month name is also an everyday word (calendars.md §4).
        frozenset({"حمل", "ثور", "جوزا", "جوزاء", "سرطان", "اسد", "سنبله", "میزان", "عقرب", "قوس", "جدی", "دلو",
                   "حوت"}),
    ),
    MonthSet(
        "fa-IR",
        Calendar.gregorian,
        _FA,
        (
            ("ژانویه",),
            ("فوریه", "فبریه"),
            ("مارس",),
            ("آوریل", "آپریل", "اوریل"),
            ("مه", "می"),
            ("ژوئن", "ژوین", "ژون", "جون"),
            ("ژوئیه", "ژوییه", "جولای"),
            ("اوت", "آگوست", "اگوست", "آگست"),
            ("سپتامبر", "سپتامر"),
            ("اکتبر",),
            ("نوامبر",),
            ("دسامبر",),
        ),
        frozenset({"مارس", "مه", "می", "جون"}),
    ),
    MonthSet(
        "fa-AF",
        Calendar.gregorian,
        _FA,
        (
            ("جنوری", "جنو"),
            ("فبروری",),
            ("مارچ",),
            ("اپریل",),
            ("می",),
            ("جون",),
            ("جولای", "جول"),
            ("اگست", "آگست"),
            ("سپتمبر",),
            ("اکتوبر",),
            ("نومبر",),
            ("دسمبر", "دسم"),
        ),
        frozenset({"می", "جون", "جنو", "جول", "دسم"}),
    ),
    MonthSet(
        "ar-EG",
        Calendar.gregorian,
        _AR,
        (
            ("يناير",),
            ("فبراير",),
            ("مارس",),
            ("أبريل", "إبريل"),
            ("مايو",),
            ("يونيو", "يونيه"),
            ("يوليو", "يوليه"),
            ("أغسطس",),
            ("سبتمبر", "سيبتمبر"),
            ("أكتوبر",),
            ("نوفمبر",),
            ("ديسمبر",),
        ),
        frozenset({"مارس", "مايو"}),
    ),
    MonthSet(
        "ar-SY",
        Calendar.gregorian,
        _AR,
        (
            ("كانون الثاني", "كانون ثاني", "كانون 2"),
            ("شباط",),
            ("آذار",),
            ("نيسان",),
            ("أيار",),
            ("حزيران",),
            ("تموز",),
            ("آب",),
            ("أيلول",),
            ("تشرين الأول", "تشرين اول", "تشرين 1"),
            ("تشرين الثاني", "تشرين ثاني", "تشرين 2"),
            ("كانون الأول", "كانون اول", "كانون 1"),
        ),
        frozenset({"نيسان", "تموز", "آب"}),
    ),
    MonthSet(
        "ar-DZ",
        Calendar.gregorian,
        _AR,
        (
            ("جانفي",),
            ("فيفري",),
            ("مارس",),
            ("أفريل",),
            ("ماي",),
            ("جوان",),
            ("جويلية",),
            ("أوت",),
            ("سبتمبر",),
            ("أكتوبر",),
            ("نوفمبر",),
            ("ديسمبر",),
        ),
        frozenset({"مارس", "ماي", "جوان"}),  # جوان: "young" in Persian and Dari text (۴۰ جوان)
    ),
    MonthSet(
        "ar-MA",
        Calendar.gregorian,
        _AR,
        (
            ("يناير",),
            ("فبراير",),
            ("مارس",),
            ("أبريل",),
            ("ماي",),
            ("يونيو",),
            ("يوليوز",),
            ("غشت",),
            ("شتنبر",),
            ("أكتوبر",),
            ("نونبر",),
            ("دجنبر",),
        ),
        frozenset({"مارس", "ماي"}),
    ),
    MonthSet(
        "ar-MR",
        Calendar.gregorian,
        _AR,
        (
            ("يناير",),
            ("فبراير",),
            ("مارس",),
            ("إبريل",),
            ("مايو",),
            ("يونيو",),
            ("يوليو",),
            ("أغشت",),
            ("شتمبر",),
            ("أكتوبر",),
            ("نوفمبر",),
            ("دجمبر",),
        ),
        frozenset({"مارس", "مايو"}),
    ),
    MonthSet(
        "hijri",
        Calendar.lunar_hijri,
        _ALL,
        (
            ("محرم", "محرم الحرام"),
            ("صفر", "صفر الخير", "صفر المظفر"),
            ("ربيع الأول", "ربيع الأنور", "ربیع اول"),
            ("ربيع الآخر", "ربيع الثاني", "ربیع ثانی"),
            ("جمادى الأولى", "جمادى الأول", "جمادی اول"),
            ("جمادى الآخرة", "جمادى الثانية", "جمادى الثاني", "جمادی ثانی"),
            ("رجب", "رجب المرجب"),
            ("شعبان", "شعبان المعظم"),
            ("رمضان", "رمضان المبارك"),
            ("شوال",),
            ("ذو القعدة", "ذي القعدة", "ذیقعده", "ذی القعده"),
            ("ذو الحجة", "ذي الحجة", "ذیحجه", "ذی الحجه"),
        ),
        frozenset({"محرم", "صفر", "رجب", "شعبان", "رمضان", "شوال"}),
    ),
)

ENGLISH_MONTHS: Final[dict[Calendar, tuple[str, ...]]] = {
    Calendar.gregorian: ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                         "October", "November", "December"),
    Calendar.solar_hijri: ("Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar", "Mehr", "Aban",
                           "Azar", "Dey", "Bahman", "Esfand"),
    Calendar.lunar_hijri: ("Muharram", "Safar", "Rabi al-Awwal", "Rabi al-Thani", "Jumada al-Ula",
                           "Jumada al-Akhira", "Rajab", "Shaban", "Ramadan", "Shawwal", "Dhu al-Qada",
                           "Dhu al-Hijja"),
}
"""Month names used in messages (link reasons), independent of the set a date was written in."""

_SETS_BY_NAME: Final = {s.lexicon: s for s in MONTH_SETS}


def canonical_name(lexicon: str, month: int) -> str:
    """The canonical spelling of ``month`` (1-12) in month-name set ``lexicon``."""
    return _SETS_BY_NAME[lexicon].months[month - 1][0]


_ORDERS: Final[dict[str, tuple[str, ...]]] = {
    "fa": ("solar-IR", "fa-IR", "hijri", "solar-AF", "fa-AF", "ar-EG", "ar-SY", "ar-DZ", "ar-MA", "ar-MR"),
    "prs": ("solar-AF", "fa-AF", "hijri", "solar-IR", "fa-IR", "ar-EG", "ar-SY", "ar-DZ", "ar-MA", "ar-MR"),
    "ar": ("ar-EG", "ar-SY", "ar-DZ", "ar-MA", "ar-MR", "hijri", "solar-IR", "fa-IR", "solar-AF", "fa-AF"),
}


def base_language(lang: str) -> str | None:
    """``fa``, ``prs`` or ``ar`` for a tag starting with one of them (``fa-AF`` counts as Dari), else None."""
    low = lang.lower().replace("_", "-")
    if low.startswith("prs") or low in {"fa-af"} or low.startswith("fa-af-"):
        return "prs"
    for base in ("fa", "ar"):
        if low == base or low.startswith(base + "-"):
            return base
    return None


def lexicon_order(lang: str | None) -> tuple[str, ...]:
    """Month-name sets in the order that decides which set a spelling shared by several sets belongs to."""
    return _ORDERS.get(lang or "fa", _ORDERS["fa"])


@cache
def sets_of_spelling() -> dict[str, frozenset[str]]:
    """Squeezed normalised spelling -> every month-name set that spells a month that way (يناير: EG, MA, MR)."""
    out: dict[str, set[str]] = {}
    for ms in MONTH_SETS:
        for spellings in ms.months:
            for sp in spellings:
                key = normalize(sp).replace(" ", "").replace("\u200c", "")
                out.setdefault(key, set()).add(ms.lexicon)
    return {k: frozenset(v) for k, v in out.items()}


@dataclass(frozen=True)
class MonthName:
    """A normalised month spelling with what it means in the language being read."""

    spelling: str
    lexicon: str
    calendar: Calendar
    month: int
    ambiguous: bool
    foreign: bool = False
    """An ambiguous name of another language's set (Dari حوت in Arabic text): a date only with a year and its
    Solar era marker (``24 حوت 1402 هـ.ش``)."""


@cache
def month_names(lang: str | None) -> dict[str, MonthName]:
    """Normalised spelling -> meaning for text in ``lang`` (fa, prs, ar, or None for unknown).

    A spelling shared by several sets goes to the first in :func:`lexicon_order`.  Ambiguous spellings of a set
    whose home language is not ``lang`` are left out (Persian آب "water" is not Arabic August in fa text), except
    the Afghan solar names in Arabic text, kept as ``foreign`` (a date only with a year and a Solar era marker).
    """
    out: dict[str, MonthName] = {}
    for name in lexicon_order(lang):
        ms = _SETS_BY_NAME[name]
        amb = {normalize(a) for a in ms.ambiguous}
        for i, spellings in enumerate(ms.months, start=1):
            for sp in spellings:
                key = normalize(sp)
                if key in out:
                    continue
                is_amb = key in amb
                foreign = is_amb and lang is not None and lang not in ms.languages
                if foreign and not (lang == "ar" and ms.lexicon == "solar-AF"):
                    continue
                out[key] = MonthName(key, ms.lexicon, ms.calendar, i, is_amb, foreign)
    return out


# --- ordinal day words -------------------------------------------------------------------------------------------

_FA_UNITS: Final = ("یکم", "دوم", "سوم", "چهارم", "پنجم", "ششم", "هفتم", "هشتم", "نهم")
_FA_ORD_1_19: Final = (
    "یکم", "دوم", "سوم", "چهارم", "پنجم", "ششم", "هفتم", "هشتم", "نهم", "دهم", "یازدهم", "دوازدهم", "سیزدهم",
    "چهاردهم", "پانزدهم", "شانزدهم", "هفدهم", "هجدهم", "نوزدهم",
)


@cache
def persian_ordinals() -> dict[str, int]:
    """Persian/Dari ordinal day words (``سوم``, ``بیست و یکم``, ``سی‌ام``, ``پانزدهمین`` ...) -> 1..31."""
    words: dict[str, int] = {}
    for i, w in enumerate(_FA_ORD_1_19, start=1):
        words[w] = i
    words.update({"اول": 1, "هیجدهم": 18, "هژدهم": 18, "بیستم": 20, "سی ام": 30, "سیم": 30})
    for tens_word, tens in (("بیست", 20), ("سی", 30)):
        for u, unit in enumerate(_FA_UNITS, start=1):
            if tens + u <= 31:
                words[f"{tens_word} و {unit}"] = tens + u
    words["بیست و اول"] = 21
    words["سی و اول"] = 31
    # -ین forms: پانزدهمین, بیست و یکمین, سی امین, اولین
    for w, n in list(words.items()):
        words[w + "ین"] = n
    return {normalize(w): n for w, n in words.items()}


_AR_MASC: Final = ("الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع",
                   "العاشر")
_AR_FEM: Final = ("الأولى", "الثانية", "الثالثة", "الرابعة", "الخامسة", "السادسة", "السابعة", "الثامنة",
                  "التاسعة", "العاشرة")


@cache
def arabic_ordinals() -> dict[str, int]:
    """Arabic ordinal day words, masculine and feminine (``الخامس``, ``الحادي والعشرين``, ``الثانية والعشرون``)."""
    words: dict[str, int] = {}
    for i, (m, f) in enumerate(zip(_AR_MASC, _AR_FEM, strict=True), start=1):
        words[m] = i
        words[f] = i
    words["أول"] = 1
    words["الحادي"] = 1
    words["الحادية"] = 1
    for n in range(11, 20):
        unit_m = "الحادي" if n == 11 else _AR_MASC[n - 11]
        unit_f = "الحادية" if n == 11 else _AR_FEM[n - 11]
        words[f"{unit_m} عشر"] = n
        words[f"{unit_f} عشرة"] = n
        words[f"{unit_f} عشر"] = n
    for tens_suffixes, tens in ((("العشرين", "العشرون"), 20), (("الثلاثين", "الثلاثون"), 30)):
        for t in tens_suffixes:
            words[t] = tens
            for u in range(1, 10):
                if tens + u > 31:
                    break
                units = [_AR_MASC[u - 1], _AR_FEM[u - 1]] + (["الحادي", "الحادية"] if u == 1 else [])
                for unit in units:
                    words[f"{unit} و{t}"] = tens + u
    del words["الحادي"], words["الحادية"]
    return {normalize(w): n for w, n in words.items()}


_AR_UNITS_WORDS: Final = (
    ("واحد", "واحدة"), ("اثنان", "اثنين", "اثنتان", "اثنتين"), ("ثلاثة", "ثلاث"), ("أربعة", "أربع"),
    ("خمسة", "خمس"), ("ستة", "ست"), ("سبعة", "سبع"), ("ثمانية", "ثماني", "ثمان"), ("تسعة", "تسع"),
)
_AR_TENS_WORDS: Final = (
    ("عشرون", "عشرين"), ("ثلاثون", "ثلاثين"), ("أربعون", "أربعين"), ("خمسون", "خمسين"), ("ستون", "ستين"),
    ("سبعون", "سبعين"), ("ثمانون", "ثمانين"), ("تسعون", "تسعين"),
)


def _arabic_below_100(n: int) -> tuple[str, ...]:
    if n < 10:
        return _AR_UNITS_WORDS[n - 1]
    if n == 10:
        return ("عشرة", "عشر")
    if n == 11:
        return ("أحد عشر", "إحدى عشرة", "احدى عشر")
    if n == 12:
        return ("اثنا عشر", "اثني عشر", "اثنتا عشرة", "اثنتي عشرة")
    if n < 20:
        return tuple(f"{u} {t}" for u in _AR_UNITS_WORDS[n - 11] for t in ("عشر", "عشرة"))
    tens = _AR_TENS_WORDS[n // 10 - 2]
    if n % 10 == 0:
        return tens
    return tuple(f"{u} و {t}" for u in _AR_UNITS_WORDS[n % 10 - 1] for t in tens)


_FA_ONES: Final = ("یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه")
_FA_TEENS: Final = ("ده", "یازده", "دوازده", "سیزده", "چهارده", "پانزده", "شانزده", "هفده", "هجده", "نوزده")
_FA_TENS: Final = ("بیست", "سی", "چهل", "پنجاه", "شصت", "هفتاد", "هشتاد", "نود")


def _persian_below_100(n: int) -> str:
    if n < 10:
        return _FA_ONES[n - 1]
    if n < 20:
        return _FA_TEENS[n - 10]
    tens = _FA_TENS[n // 10 - 2]
    return tens if n % 10 == 0 else f"{tens} و {_FA_ONES[n % 10 - 1]}"


def persian_year_pattern() -> str:
    """A regex for a year written in Persian words: Solar 1300-1499 (``هزار و سیصد و پنجاه و هفت``) and Gregorian
    1900-2099 (``دو هزار و بیست و یک``); :func:`persian_year_value` reads what it matched."""
    below = words_pattern([_persian_below_100(n) for n in range(1, 100)])
    heads = words_pattern(("هزار و سیصد", "یک هزار و سیصد", "هزار و چهارصد", "یک هزار و چهارصد", "هزار و نهصد",
                           "یک هزار و نهصد", "دو هزار"))
    return rf"{heads}(?:{SEP}و{SEP}{below})?"


_FA_WORD_VALUES: Final = {
    **{normalize(w): i for i, w in enumerate(_FA_ONES, start=1)},
    **{normalize(w): i for i, w in enumerate(_FA_TEENS, start=10)},
    **{normalize(w): 10 * i for i, w in enumerate(_FA_TENS, start=2)},
    **{normalize(w): v for w, v in (("سیصد", 300), ("چهارصد", 400), ("نهصد", 900))},
}


def persian_year_value(phrase: str) -> tuple[int, Calendar] | None:
    """The year and calendar of a match of :func:`persian_year_pattern` (normalised text), or None."""
    words = [w for w in normalize(phrase).replace("\u200c", " ").split() if w != "و"]
    if not words:
        return None
    if words[0] == "یک":
        words = words[1:]
    if words[:2] == ["دو", "هزار"]:
        base, rest = 2000, words[2:]
    elif words[:1] == ["هزار"] and len(words) > 1 and words[1] in ("سیصد", "چهارصد", "نهصد"):
        base, rest = 1000 + _FA_WORD_VALUES[words[1]], words[2:]
    else:
        return None
    total = base + sum(_FA_WORD_VALUES.get(w, 0) for w in rest)
    return total, Calendar.gregorian if base >= 1900 else Calendar.solar_hijri


_ARABIC_HUNDREDS_AFTER_1000: Final[dict[int, tuple[str, ...]]] = {
    3: ("ألف وثلاثمائة", "ألف وثلاثمئة", "ألف و ثلاثمائة"),
    4: ("ألف وأربعمائة", "ألف وأربعمئة", "ألف و أربعمائة"),
    9: ("ألف وتسعمائة", "ألف وتسعمئة", "ألف و تسعمائة"),
}


def arabic_year_pattern() -> str:
    """A regex for the years of :func:`arabic_year_words` as a small grammar (a thousands-and-hundreds head, then
    ``و`` and a number below 100): the same phrases as their alternation, at a fraction of its compile time."""
    heads = words_pattern(("ألفان", "ألفين", *(h for hs in _ARABIC_HUNDREDS_AFTER_1000.values() for h in hs)))
    below = words_pattern([w for n in range(1, 100) for w in _arabic_below_100(n)])
    return rf"(?:{heads})(?:{SEP}و{SEP}(?:{below}))?"


@cache
def arabic_year_words() -> dict[str, int]:
    """Years 1900-2099 and 1300-1499 (Hijri) written in Arabic words (``ألفان وثمانية عشر`` = 2018, ``ألف وأربعمائة
    وخمسة وأربعين هجريا`` = 1445), as formal texts (fatwa offices, official notices) do."""
    words: dict[str, int] = {}
    for year in (*range(1300, 1500), *range(1900, 2100)):
        heads = ("ألفان", "ألفين") if year >= 2000 else _ARABIC_HUNDREDS_AFTER_1000[year // 100 % 10]
        rest = year % 100
        for head in heads:
            if rest == 0:
                words[head] = year
                continue
            for tail in _arabic_below_100(rest):
                words[f"{head} و {tail}"] = year
    return {normalize(w): y for w, y in words.items()}


_FA_CARDINAL_1_19: Final = (
    "یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه", "ده", "یازده", "دوازده", "سیزده", "چهارده",
    "پانزده", "شانزده", "هفده", "هجده", "نوزده",
)


@cache
def persian_cardinals() -> dict[str, int]:
    """Persian/Dari cardinal day words (``یک خرداد``, ``بیست و پنج مهر``) -> 1..31."""
    words = {w: i for i, w in enumerate(_FA_CARDINAL_1_19, start=1)}
    words.update({"هیجده": 18, "بیست": 20, "سی": 30})
    for tens_word, tens in (("بیست", 20), ("سی", 30)):
        for u, unit in enumerate(_FA_CARDINAL_1_19[:9], start=1):
            if tens + u <= 31:
                words[f"{tens_word} و {unit}"] = tens + u
    return {normalize(w): n for w, n in words.items()}


FIRST_DAY_WORDS: Final = ("غرة", "غرّهٔ", "فاتح", "نخستین")
"""Words for the first day of a month (``غرة رمضان``, ``غرّهٔ ذی‌الحجه``, Moroccan ``فاتح شعبان``)."""

LAST_DAY_WORDS: Final = (
    "آخر يوم من", "آخر يوم في", "آخر يوم ب", "آخر يوم", "اليوم الأخير من", "اليوم الأخير في", "سلخ", "آخر",
    "آخرین روز از", "آخرین روز", "روز آخر", "روز پایانی", "واپسین روز",
)
"""Phrases for the last day of a month (``سلخ شعبان``, ``آخرین روز اسفند``, ``آخر يوم من شهر رمضان``)."""

PART_WORDS: Final[dict[str, str]] = {
    **dict.fromkeys(("أوائل", "بداية", "بدايات", "مطلع", "اوایل", "ابتدای", "دهه اول", "دهه نخست",
                     "العشر الأوائل من", "العشر الأول من"), "early"),
    **dict.fromkeys(("منتصف", "أواسط", "اواسط", "میانه", "دهه دوم", "دهه میانی", "العشر الأواسط من"), "mid"),
    **dict.fromkeys(("أواخر", "نهاية", "اواخر", "انتهای", "پایان", "متم", "دهه سوم", "دهه آخر", "دهه پایانی",
                     "العشر الأواخر من"), "late"),
    **dict.fromkeys(("نیمه اول", "نیمه نخست", "نیمهٔ اول", "نیمهٔ نخست", "النصف الأول من", "النصف الأول"),
                    "first_half"),
    **dict.fromkeys(("نیمه دوم", "نیمهٔ دوم", "النصف الثاني من", "النصف الثاني"), "second_half"),
}
"""Part-of-month words before a month name and the part they name: ``early`` = days 1-10, ``mid`` = 11-20,
``late`` = 21 to the month's last day, ``first_half`` = 1-15, ``second_half`` = 16 to the last (guidelines
§5.4)."""

DAY_NOUNS: Final = ("روز", "يوم", "أيام", "ايام")
"""``بیست و پنجمین روز از ماه مهر``, ``الخامس يوم من``, ``أول أيام شهر رجب``: a day noun between an ordinal and its
month."""

ORDINAL_SUFFIXES: Final = ("ام", "امین", "اُم")
"""Dari/Persian ordinal suffixes written after digits: ``۲۰ ام اپریل``, ``۲۰ام``, ``۲۰-ام``."""


# --- other words -------------------------------------------------------------------------------------------------

WEEKDAYS: Final[dict[str, int]] = {
    # Python weekday numbers: Monday 0 ... Sunday 6
    **{w: 5 for w in ("شنبه", "السبت")},
    **{w: 6 for w in ("یکشنبه", "یک شنبه", "الأحد", "الاحد")},
    **{w: 0 for w in ("دوشنبه", "دو شنبه", "الاثنين", "الإثنين", "الاثنین")},
    **{w: 1 for w in ("سه شنبه", "سه‌شنبه", "الثلاثاء", "الثلاثا")},
    **{w: 2 for w in ("چهارشنبه", "چهار شنبه", "الأربعاء", "الاربعا")},
    **{w: 3 for w in ("پنجشنبه", "پنج شنبه", "الخميس")},
    **{w: 4 for w in ("جمعه", "آدینه", "الجمعة")},
}
"""Weekday names -> ``date.weekday()`` numbers."""

TODAY_WORDS: Final = ("اليوم", "امروز", "غدا", "أمس", "الأمس", "البارحة", "فردا", "دیروز", "پریروز", "پس فردا",
                      "بعد غد", "أول أمس", "أمس الأول")
"""Words for "today" (or a day next to it) that make a following weekday a date and belong to its span
(``اليوم السبت``، ``غداً الخميس``، ``دیروز دوشنبه``); the word decides the day (:data:`RELATIVE_DAYS`)."""

DAY_WORDS: Final = ("روز", "يوم")
"""Words for "day" that may introduce a weekday; not part of the mention."""

YEAR_WORDS: Final = ("سال", "عام", "سنة", "العام", "السنة", "سال های", "سالهای", "أعوام", "الأعوام", "سنوات", "لعام",
                     "للعام", "لسنة", "للسنة", "عامي", "سنتي", "العامين")

RANGE_WORDS: Final = ("تا", "الی", "إلى", "حتى", "و")
"""Words between the two ends of a range (``از ۱۰ تا ۱۵ مهر``, ``من عام 2014 إلى 2020``)."""

MONTH_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "fa": ("ماه", "برج", "ماه مبارک"),
    "prs": ("ماه", "برج", "ماه مبارک"),
    "ar": ("شهر",),
}
"""Words that announce a month name, per language (``برج جدی``, ``ماه رمضان``, ``شهر شباط``); Persian شهر is
"city" (شهر مهر is a town), Arabic برج a tower or a zodiac sign."""

MONTHS_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "fa": ("ماه‌های", "ماه های", "ماههای"),
    "prs": ("ماه‌های", "ماه های", "ماههای", "برج‌های", "برج های"),
    "ar": ("شهري", "شهرى", "أشهر", "اشهر"),
}
"""Plural and dual month words before a list of months (``ماه‌های حمل و ثور``, ``شهري مارس وأبريل``): they make
the first name a month, as :data:`MONTH_WORDS` do, but stay outside its span (they belong to the whole list)."""

CORRESPONDS: Final = (
    "برابر با", "برابر", "برابر است با", "که برابر با", "که برابر است با", "مطابق با", "مطابق", "که مطابق با",
    "مصادف با", "مصادف", "که مصادف با", "مصادف است با", "معادل", "معادل با", "یعنی", "=",
    "مطابق به", "برابر به", "معادل به", "مورخ", "مورخه", "مورخهٔ", "به تاریخ",
    "الموافق", "موافق", "والموافق", "الذي يوافق", "الذي يوافقه", "التي توافق", "والذي يوافق", "ويوافق", "يوافق",
    "توافق", "وتوافق", "سيوافق", "ستوافق", "وهو ما يوافق", "ما يوافق", "أي", "بتاريخ", "المصادف", "الذي يصادف",
    "التي تصادف", "يصادف", "تصادف", "ويصادف", "هو", "هي", "وهو", "وهي",
    "وذلك يوافق", "وذلك الموافق", "ذلك يوافق", "وهو يوافق", "ويوافقه", "الذي يوافقه", "المقابل", "ويقابله", "يقابله",
    "الذي يعادل", "ما يعادل", "مقارن با", "مقارن", "همزمان با", "منطبق با",
)
"""Words joining a date to its equivalent (in another calendar, or a weekday or "today" to its date).  ``ل`` and
``يوم`` after them are read by the linker (``الموافق لـ``, ``الموافق ليوم``)."""

ERA_MARKERS: Final[dict[str, Calendar]] = {
    **{w: Calendar.solar_hijri for w in (
        "ه.ش.", "ه.ش", "ه ش", "ه. ش.", "ه. ش", "هجری شمسی", "هجری خورشیدی", "خورشیدی", "شمسی", "ش",
    )},
    **{w: Calendar.lunar_hijri for w in (
        "ه.ق.", "ه.ق", "ه ق", "ه. ق.", "هجری قمری", "قمری", "هـ.", "هـ", "ه.", "ه", "هجري", "هجرية", "للهجرة",
        "هجریه", "ق", "ق.", "هجري قمري", "هجريا", "هجرياً",
    )},
    **{w: Calendar.gregorian for w in (
        "م.", "م", "میلادی", "ميلادي", "ميلادية", "للميلاد", "ميلاديا", "ميلادياً", "عیسوی", "ترسایی",
        "ترسائی")},  # ترسایی: Afghan media
}
"""Era markers after a year, with the calendar they name."""

PAST_MARKERS: Final = ("الماضي", "الماضية", "المنصرم", "المنصرمة", "الفائت", "الفائتة", "السابق", "گذشته", "پیش",
                       "المنقضي")
FUTURE_MARKERS: Final = ("القادم", "القادمة", "المقبل", "المقبلة", "الجاي", "آینده", "آتی", "بعد")
LAST_YEAR: Final = ("سال گذشته", "سال پیش", "سال قبل", "پارسال", "العام الماضي", "السنة الماضية", "العام المنصرم",
                    "العام الفائت")
THIS_YEAR: Final = ("امسال", "سال جاری", "سال جاري", "هذا العام", "العام الجاري", "العام الحالي", "السنة الحالية",
                    "هذه السنة", "سال روان", "السنة الجارية", "الجاري", "الجارية", "الحالي", "جاری", "روان")
"""After a month: this year (``۳ مارچ امسال``); ``الجاري`` / ``جاری`` / ``روان`` name the current month's year."""
NEXT_YEAR: Final = ("سال آینده", "سال بعد", "سال دیگر", "العام المقبل", "العام القادم", "السنة المقبلة",
                    "السنة القادمة")

RELATIVE_DAYS: Final[dict[str, int]] = {
    "اليوم": 0, "امروز": 0, "أمس": -1, "الأمس": -1, "البارحة": -1, "أمس الأول": -2, "أول أمس": -2, "غدا": 1,
    "بعد غد": 2, "دیروز": -1, "پریروز": -2, "فردا": 1, "پس فردا": 2,
}
"""Words for a day relative to the reference date, with its offset in days."""

RELATIVE_MONTHS: Final[dict[str, int]] = {
    "الشهر الماضي": -1, "الشهر المنصرم": -1, "الشهر الفائت": -1, "الشهر القادم": 1, "الشهر المقبل": 1,
    "الشهر الجاري": 0, "الشهر الحالي": 0, "هذا الشهر": 0, "ماه گذشته": -1, "ماه آینده": 1, "ماه جاری": 0,
    "این ماه": 0, "الشهر السابق": -1, "ماه پیش": -1, "ماه قبل": -1, "ماه آتی": 1, "ماه روان": 0,
}
"""Phrases for a month relative to the reference date, with its offset in months."""

RELATIVE_YEARS: Final[dict[str, int]] = {
    "العام الماضي": -1, "السنة الماضية": -1, "العام المنصرم": -1, "العام الفائت": -1, "العام المقبل": 1,
    "العام القادم": 1, "السنة المقبلة": 1, "السنة القادمة": 1, "العام الجاري": 0, "العام الحالي": 0,
    "السنة الحالية": 0, "هذا العام": 0, "سال گذشته": -1, "پارسال": -1, "سال آینده": 1, "سال جاری": 0, "امسال": 0,
    "سال روان": 0, "السنة الجارية": 0, "السنة الفائتة": -1, "السنة المنصرمة": -1, "سال آتی": 1, "العام المنقضي": -1,
}
"""Phrases for a year relative to the reference date, with its offset in years."""

NTH_BEFORE_WEEKDAY: Final[dict[str, int]] = {
    "أول": 1, "ثاني": 2, "ثالث": 3, "رابع": 4, "خامس": 5, "آخر": -1, "اولین": 1, "دومین": 2, "سومین": 3,
    "چهارمین": 4, "آخرین": -1,
}
"""Ordinals before a weekday (``ثاني اربعاء من شهر اكتوبر``, ``آخرین جمعه``): the n-th weekday of a month; -1 = last."""

LAST_AFTER_WEEKDAY: Final = ("الأخير", "الأخيرة")
"""``الثلاثاء الأخير من شهر مارس``: the last such weekday of the month."""

BARE_WEEKDAYS: Final[dict[str, int]] = {
    "اثنين": 0, "ثلاثاء": 1, "ثلاثا": 1, "أربعاء": 2, "أربعا": 2, "خميس": 3, "جمعة": 4, "سبت": 5, "أحد": 6,
}
"""Arabic weekday names without the article, as they follow an ordinal (``أول اثنين``)."""

HOLIDAYS: Final[dict[str, tuple[int, int]]] = {
    "رأس السنة الهجرية": (1, 1), "عاشوراء": (1, 10), "عاشورا": (1, 10), "المولد النبوي": (3, 12),
    "عيد الفطر": (10, 1), "عید فطر": (10, 1), "يوم عرفة": (12, 9), "روز عرفه": (12, 9), "عيد الأضحى": (12, 10),
    "عید قربان": (12, 10), "عيد الغدير": (12, 18), "عید غدیر": (12, 18),
}
"""Islamic holidays as Hijri (month, day); a Gregorian year after one picks the Hijri year it falls in."""

AGO: Final[dict[str, tuple[str, int]]] = {
    "قبل يوم": ("day", 1), "قبل يومين": ("day", 2), "قبل أسبوع": ("week", 1), "قبل أسبوعين": ("week", 2),
    "قبل شهر": ("month", 1), "قبل شهرين": ("month", 2), "قبل عام": ("year", 1), "قبل عامين": ("year", 2),
    "قبل سنة": ("year", 1), "قبل سنتين": ("year", 2),
}
_PERSIAN_COUNTS: Final = (("یک", 1), ("دو", 2), ("سه", 3), ("چهار", 4), ("پنج", 5), ("شش", 6), ("هفت", 7),
                          ("هشت", 8), ("نه", 9), ("ده", 10))
AGO.update({f"{word} {noun} {ago}": (unit, n) for word, n in _PERSIAN_COUNTS
            for noun, unit in (("روز", "day"), ("هفته", "week"), ("ماه", "month"), ("سال", "year"))
            for ago in ("پیش", "قبل")})
"""``قبل عامين``، ``دو روز پیش`` (two days ago): a day that far before the reference date.  Not before از/من
(``دو روز پیش از انتخابات`` counts from the election, not from the reference date)."""

WEEK_MARKERS: Final[dict[str, int]] = {
    "هفته گذشته": -1, "هفته پیش": -1, "هفته قبل": -1, "هفته آینده": 1, "هفته بعد": 1, "هفته دیگر": 1,
    "هفتهٔ گذشته": -1, "هفته‌ی گذشته": -1, "هفتهٔ آینده": 1, "هفته‌ی آینده": 1, "هفته جاری": 0, "همین هفته": 0,
    "الأسبوع الماضي": -1, "الاسبوع الماضي": -1, "الأسبوع المنصرم": -1, "الأسبوع المقبل": 1, "الاسبوع المقبل": 1,
    "الأسبوع القادم": 1, "الاسبوع القادم": 1, "الأسبوع الجاري": 0, "هذا الأسبوع": 0,
}
"""A week word after a weekday (``دوشنبه هفته گذشته``، ``الاثنين من الأسبوع الماضي``): that weekday in the week
before, after or of the reference date (weeks start on Saturday, as in Iran, Afghanistan and most Arab states).
Alone, a week is not a date mention (guidelines §5.1)."""

NOT_TODAY_BEFORE: Final = ("روسيا", "المصري", "ذلك", "هذا", "نفس", "ذات", "روزنامه", "ایران")
"""Words before اليوم/امروز that make it a name or "that day" (روسيا اليوم, ذلك اليوم), not today."""

VERSE_CUES: Final = ("بیت", "ابیات", "شعر", "شعری", "مصراع", "سروده", "بيت", "أبيات", "قصيدة", "قصيدته", "الشعر")
"""Words that introduce a quoted verse (``در این بیت آمده است: ...``): a deictic word inside the quotation (امروز،
فردا، اليوم) is the poet's, not a day of the report."""

PLACE_WORDS: Final = (
    "خبرگزاری", "ورزشگاه", "استادیوم", "میدان", "خیابان", "سالن", "بزرگراه", "بلوار", "پل", "کوچه", "کوی",
    "مدرسه", "بیمارستان", "شهرک", "مجتمع", "پایگاه", "تالار", "روزنامه", "حزب", "جنبش", "هتل", "پارک", "رادیو",
    "شارع", "ميدان", "جسر", "ملعب", "مستشفى", "مدرسة", "حي", "ساحة", "وكالة", "صحيفة", "حركة", "فندق",
    "مدينة", "كوبري", "نفق", "محور", "قاعة", "مجمع", "حديقة", "جامعة", "استاد", "مسجد", "دانشگاه", "تونل", "بازار",
)
"""Words after which a date is a street, venue, agency or movement name (``ورزشگاه ۱۷ تیر``, ``خبرگزاری مهر``)."""

QUANTITY_WORDS: Final = (
    "میلیون", "میلیارد", "هزار", "تومان", "ریال", "دلار", "یورو", "درصد", "نفر", "تن", "کیلو", "متر", "افغانی",
    "مليون", "مليار", "ألف", "دولار", "بالمئة", "بالمائة", "شخص", "قتيل", "جريح", "طن",
)
"""Words after a number that make it a quantity, not a year (``به میزان 1400 میلیارد``)."""

COUNT_NOUNS: Final = (
    *QUANTITY_WORDS,
    "خانوار", "خانواده", "مورد", "واحد", "کیلومتر", "هکتار", "عدد", "دستگاه", "راس", "قطعه", "بشکه", "مگاوات",
    "کودک", "دانش آموز", "زائر", "زندانی", "پرواز", "رای", "نمونه", "روستا", "کارگر", "سرباز", "کیلوگرم", "لیتر",
    "سکه", "برابر", "پوند", "درهم", "دینار", "ليرة", "جنيه", "ريال", "يورو", "كيلومتر", "كيلو", "هكتار", "برميل",
    "ميغاواط", "عائلة", "أسرة", "منزل", "طفل", "حالة", "مصاب", "معتقل", "أسير", "طالب", "موظف", "عامل", "جندي",
    "مقاتل", "رحلة", "صوت", "عينة", "قرية", "كيلوغرام", "لتر", "نسمة", "حاج", "مرة", "متر", "دقيقة", "ثانية",
    "دقیقه", "ثانیه", "نقطه", "نقطة", "مترا", "كلم", "كم",
)
"""Nouns after a bare four-digit number that make it a count (``في 2000 منزل``), not a year."""


def words_pattern(words: Iterable[str], *, reverse: bool = False) -> str:
    """A regex matching any of ``words`` (normalised), longest first, factored as a trie.

    A space or ZWNJ inside a word matches an optional space or ZWNJ.  The trie keeps the regex engine from trying
    every word at every position of the text, which is what makes scanning megabytes affordable.  With
    ``reverse`` the words are spelled backwards, for patterns run on reversed text.
    """
    trie: dict[str, Any] = {}
    for w in {normalize(w).replace("\u200c", " ")[:: -1 if reverse else 1] for w in words}:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return "(?:" + _emit(trie) + ")"


def _emit(node: dict[str, Any]) -> str:
    alts = [(SEP if ch == " " else re.escape(ch)) + _emit(child) for ch, child in sorted(node.items()) if ch]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return f"(?:{body})?" if "" in node else body
