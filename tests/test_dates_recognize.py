"""The date recogniser: forms, digit scripts, month-name sets, traps, offsets and year inference."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotate.dates import ENGINE_VERSION, Direction, extract_dates, resolve_weekday, resolve_year
from annotate.dates.resolve import Tense
from annotate.models import Calendar, DateMention

REF = date(2020, 2, 2)
ZWNJ, RLM, TATWEEL = "\u200c", "\u200f", "\u0640"


def only(text: str, lang: str, ref: date | None = REF) -> DateMention:
    """The single mention of ``text``; fails when there are none or several."""
    ms = extract_dates(text, lang, ref).mentions
    assert len(ms) == 1, [m.text for m in ms]
    assert text[ms[0].start:ms[0].end] == ms[0].text
    return ms[0]


def value(m: DateMention) -> tuple[Any, ...]:
    s, e = m.gregorian_start, m.gregorian_end
    return (m.text, m.calendar.value, m.lexicon, m.granularity.value,
            (m.native.year, m.native.month, m.native.day), str(s) if s == e else f"{s}..{e}")


# (lang, sentence, mention text, calendar, lexicon, granularity, native, gregorian)
CASES = [
    # Iranian solar, every digit script, ordinal words, weekday, era, ماه suffix, glued tokens
    ("fa", "خبرگزاری فارس سه شنبه 22 تیر 1400 - 18:10", "سه شنبه 22 تیر 1400", "solar_hijri", "solar-IR", "day",
     (1400, 4, 22), "2021-07-13"),
    ("fa", "در ۲۲ تیر ۱۴۰۰ گفت", "۲۲ تیر ۱۴۰۰", "solar_hijri", "solar-IR", "day", (1400, 4, 22), "2021-07-13"),
    ("fa", "در ٢٢ تير ١٤٠٠ گفت", "٢٢ تير ١٤٠٠", "solar_hijri", "solar-IR", "day", (1400, 4, 22), "2021-07-13"),
    ("fa", "در ۲2 تیر 1۴0٠ گفت", "۲2 تیر 1۴0٠", "solar_hijri", "solar-IR", "day", (1400, 4, 22), "2021-07-13"),
    ("fa", "پنجشنبه چهارم تیر ۱۳۹۴ بود", "پنجشنبه چهارم تیر ۱۳۹۴", "solar_hijri", "solar-IR", "day",
     (1394, 4, 4), "2015-06-25"),
    ("fa", "جمعه سی ام اسفند ۱۳۸۷", "جمعه سی ام اسفند ۱۳۸۷", "solar_hijri", "solar-IR", "day", (1387, 12, 30),
     "2009-03-20"),
    ("fa", "در بیست و یکم دی‌ماه ۱۳۹۹", "بیست و یکم دی‌ماه ۱۳۹۹", "solar_hijri", "solar-IR", "day",
     (1399, 10, 21), "2021-01-10"),
    ("fa", "در پانزدهمین روز", None, None, None, None, None, None),
    ("fa", "از ۱۴مهر۹۴ تا", "۱۴مهر۹۴", "solar_hijri", "solar-IR", "day", (1394, 7, 14), "2015-10-06"),
    ("fa", "26 شهریور 94 ساعت 11", "26 شهریور 94", "solar_hijri", "solar-IR", "day", (1394, 6, 26), "2015-09-17"),
    ("fa", "۱۴۰۰-فروردین-۱۵", "۱۴۰۰-فروردین-۱۵", "solar_hijri", "solar-IR", "day", (1400, 1, 15), "2021-04-04"),
    ("fa", "سه‌شنبه 18 آبان 1395 هجري خورشيدي برگزار", "سه‌شنبه 18 آبان 1395 هجري خورشيدي", "solar_hijri",
     "solar-IR", "day", (1395, 8, 18), "2016-11-08"),
    ("fa", "اوایل اردیبهشت سال 1398، با", "اردیبهشت سال 1398", "solar_hijri", "solar-IR", "month",
     (1398, 2, None), "2019-04-21..2019-04-30"),  # اوایل narrows the value to days 1-10 (guidelines §5.4)
    ("fa", "مصوب ۱۳۸۲/۱۰/۱۷ مجلس", "۱۳۸۲/۱۰/۱۷", "solar_hijri", "numeric", "day", (1382, 10, 17), "2004-01-07"),
    ("fa", "تا ۹۹/۱۰/۱۷ ادامه", "۹۹/۱۰/۱۷", "solar_hijri", "numeric", "day", (1399, 10, 17), "2021-01-06"),
    # Afghan solar: only with a day, a year, برج or ماه
    ("prs", "در برج جدی ۱۳۹۷ آغاز", "برج جدی ۱۳۹۷", "solar_hijri", "solar-AF", "month", (1397, 10, None),
     "2018-12-22..2019-01-20"),
    ("prs", "روز ۲۲ سرطان ۱۴۰۰", "۲۲ سرطان ۱۴۰۰", "solar_hijri", "solar-AF", "day", (1400, 4, 22), "2021-07-13"),
    ("prs", "در ماه حمل", "ماه حمل", "solar_hijri", "solar-AF", "month", (1398, 1, None), "2019-03-21..2019-04-20"),
    # Gregorian in Persian and Dari
    ("fa", "پنجشنبه ۱۴ ژانویهٔ ۲۰۱۰ م. بود", "پنجشنبه ۱۴ ژانویهٔ ۲۰۱۰ م.", "gregorian", "fa-IR", "day",
     (2010, 1, 14), "2010-01-14"),
    ("fa", "یکم ژانویه" + ZWNJ + "ی سال 2000 بود", "یکم ژانویه" + ZWNJ + "ی سال 2000", "gregorian", "fa-IR", "day",
     (2000, 1, 1), "2000-01-01"),
    ("fa", "درژوئن ۱۹۹۱ بود", "ژوئن ۱۹۹۱", "gregorian", "fa-IR", "month", (1991, 6, None),
     "1991-06-01..1991-06-30"),
    ("fa", "در ۲۵ مه ۲۰۲۰ بود", "۲۵ مه ۲۰۲۰", "gregorian", "fa-IR", "day", (2020, 5, 25), "2020-05-25"),
    ("fa", "روز ۵ می، نشست", "۵ می", "gregorian", "fa-IR", "day", (2019, 5, 5), "2019-05-05"),
    ("prs", "از ۱۷ اکتوبر ۲۰۲۳ تا", "۱۷ اکتوبر ۲۰۲۳", "gregorian", "fa-AF", "day", (2023, 10, 17), "2023-10-17"),
    ("prs", "در سال ۲۰۰۳ حضور", "سال ۲۰۰۳", "gregorian", "none", "year", (2003, None, None),
     "2003-01-01..2003-12-31"),
    # Arabic sets
    ("ar", "في 6 يناير، 2015، الساعة 05:16", "6 يناير، 2015", "gregorian", "ar-EG", "day", (2015, 1, 6),
     "2015-01-06"),
    ("ar", "في الخامس من يناير 2020 أعلن", "الخامس من يناير 2020", "gregorian", "ar-EG", "day", (2020, 1, 5),
     "2020-01-05"),
    ("ar", "16. نوفمبر. 2016", "16. نوفمبر. 2016", "gregorian", "ar-EG", "day", (2016, 11, 16), "2016-11-16"),
    ("ar", "في الحادي والعشرين من كانون الثاني 2019", "الحادي والعشرين من كانون الثاني 2019", "gregorian",
     "ar-SY", "day", (2019, 1, 21), "2019-01-21"),
    ("ar", "منذ كانون 2 2019", "كانون 2 2019", "gregorian", "ar-SY", "month", (2019, 1, None),
     "2019-01-01..2019-01-31"),
    ("ar", "في 5 جويلية 2019 بالجزائر", "5 جويلية 2019", "gregorian", "ar-DZ", "day", (2019, 7, 5), "2019-07-05"),
    ("ar", "في 20 غشت 1953", "20 غشت 1953", "gregorian", "ar-MA", "day", (1953, 8, 20), "1953-08-20"),
    ("ar", "يوم 28 نوفمبر 1960", "28 نوفمبر 1960", "gregorian", "ar-EG", "day", (1960, 11, 28), "1960-11-28"),
    ("ar", "في 10 دجمبر 2019", "10 دجمبر 2019", "gregorian", "ar-MR", "day", (2019, 12, 10), "2019-12-10"),
    ("ar", "الاثنين يناير الثاني والعشرين، 2018", "الاثنين يناير الثاني والعشرين، 2018", "gregorian", "ar-EG",
     "day", (2018, 1, 22), "2018-01-22"),
    # Hijri
    ("ar", "في 5 رمضان 1445 هـ", "5 رمضان 1445 هـ", "lunar_hijri", "hijri", "day", (1445, 9, 5), "2024-03-15"),
    ("ar", "شهر رمضان 1445", "شهر رمضان 1445", "lunar_hijri", "hijri", "month", (1445, 9, None),
     "2024-03-11..2024-04-09"),
    ("ar", "20-02-1430 هـ, 07:21", "20-02-1430 هـ", "lunar_hijri", "numeric", "day", (1430, 2, 20), "2009-02-15"),
    ("fa", "سوم ربیع" + ZWNJ + "الاول ۱۴۴۵ قمری", "سوم ربیع" + ZWNJ + "الاول ۱۴۴۵ قمری", "lunar_hijri", "hijri",
     "day", (1445, 3, 3), "2023-09-18"),
    ("ar", "القاهرة – اليوم الأحد ١٠ مارس ٢٠٢٤ الساعة", "اليوم الأحد ١٠ مارس ٢٠٢٤", "gregorian", "ar-EG", "day",
     (2024, 3, 10), "2024-03-10"),
    ("ar", "عيد الأضحى 2013", "عيد الأضحى 2013", "lunar_hijri", "none", "day", (1434, 12, 10), "2013-10-15"),
    # numeric in Arabic: D/M/Y
    ("ar", "1/9/2021", "1/9/2021", "gregorian", "numeric", "day", (2021, 9, 1), "2021-09-01"),
    ("ar", "سأعود 2016/04/21", "2016/04/21", "gregorian", "numeric", "day", (2016, 4, 21), "2016-04-21"),
    # n-th weekday of a month
    ("ar", "ثاني اربعاء من شهر اكتوبر من عام 2014", "ثاني اربعاء من شهر اكتوبر من عام 2014", "gregorian", "ar-EG",
     "day", (2014, 10, 8), "2014-10-08"),
]


@pytest.mark.parametrize(("lang", "sentence", "text", "calendar", "lexicon", "granularity", "native", "greg"),
                         CASES, ids=[c[1][:30] for c in CASES])
def test_forms_sets_and_digits(lang: str, sentence: str, text: str | None, calendar: str | None,
                               lexicon: str | None, granularity: str | None, native: tuple[Any, ...] | None,
                               greg: str | None) -> None:
    ms = extract_dates(sentence, lang, date(2019, 4, 1)).mentions
    if text is None:
        assert ms == [], [m.text for m in ms]
        return
    assert len(ms) == 1, [m.text for m in ms]
    assert value(ms[0]) == (text, calendar, lexicon, granularity, native, greg)


TRAPS = [
    ("fa", "به گزارش خبرگزاری مهر، وزیر گفت"),
    ("fa", "به گزارش خبرگزاری مهر، 1400 نفر آمدند"),
    ("fa", "از روی مهر و محبت"),
    ("fa", "بهمن نامور مطلق، معاون صنايع‌دستي"),
    ("fa", "آلبوم پیوند مهر - اثر مهدی آذر یزدی - تیره - زبان آذری"),
    ("fa", "وقتی میای مه می‌گیره فضا رو"),
    ("fa", "آنها می" + ZWNJ + "گویند که دی جی آمد"),
    ("fa", "یک لیوان آب سرد"),
    ("fa", "پایگاه عین الاسد در استان الانبار"),
    ("fa", "در ورزشگاه ۱۷ تیر تهران"),
    ("fa", "در میدان اردیبهشت"),
    ("fa", "با سخنرانی سردار آذری در سالن 22 بهمن"),
    ("prs", "در جنگ جدی و مهم"),
    ("prs", "به میزان 1400 میلیارد افغانی"),
    ("prs", "حملات راکتی بر نیروها"),
    ("prs", "حمل و نقل عمومی"),
    ("prs", "امام جمعه گفت"),
    ("ar", "اياب"),
    ("ar", "ابحث"),
    ("ar", "في جلسته الثامنة والعشرين، في"),
    ("ar", "شارع 26 يوليو في القاهرة"),
    ("ar", "الحرس الثوري الإيراني"),
    ("ar", "مارس الضغط على الحكومة"),
    ("ar", "غداة قيام إيران بقصف"),
    ("ar", "قناة روسيا اليوم"),
    ("ar", "في اليوم التالي"),
    ("ar", "25 إرهابيا و3 سنوات"),
    ("ar", "بين 1000 و2000 شخص"),
    ("fa", "در شهر مهر گفت"),  # Persian شهر is "city"
    ("fa", "تعداد کشته ها به ۵ می رسد"),  # the verb prefix written with a space
    ("fa", "در ۱۰ سال گذشته"),  # a duration
    ("ar", "اليوم الأول من المؤتمر"),
    ("ar", "القائد العام للقوات"),
    ("prs", "به مناسبت عید قربان رها شدند"),  # a holiday without a year is the occasion
]


@pytest.mark.parametrize(("lang", "text"), TRAPS, ids=[t[1][:25] for t in TRAPS])
def test_traps_are_not_dates(lang: str, text: str) -> None:
    ms = extract_dates(text, lang, REF).mentions
    assert ms == [], [(m.text, m.lexicon) for m in ms]


OFFSET_TEXTS = [
    ("fa", "در\u200f 30 ژانو" + TATWEEL + "یه (10 بهمـن) ارتش", ["30 ژانو" + TATWEEL + "یه", "10 بهمـن"]),
    ("ar", "في ١٠ ديسمبر/كانون الأوَّل عام ٢٠١٧\u200f، بعد", ["١٠ ديسمبر", "كانون الأوَّل عام ٢٠١٧"]),
    ("fa", "در ۲۵ شهريور ۱۳۹۴ و دی" + ZWNJ + "ماه ۱۳۹۹", ["۲۵ شهريور ۱۳۹۴", "دی" + ZWNJ + "ماه ۱۳۹۹"]),
    ("ar", "في الخامـــس من يناير الماضي" + RLM, ["الخامـــس من يناير الماضي"]),
    ("fa", "\u200e۱۴۰۰/۰۴/۲۲\u200e و رمضان ۱۴۴۲ هـ", ["۱۴۰۰/۰۴/۲۲", "رمضان ۱۴۴۲ هـ"]),
]


@pytest.mark.parametrize(("lang", "text", "expected"), OFFSET_TEXTS)
def test_offsets_index_the_original_text(lang: str, text: str, expected: list[str]) -> None:
    ms = extract_dates(text, lang, REF).mentions
    assert [m.text for m in ms] == expected
    assert all(text[m.start:m.end] == m.text for m in ms)
    assert [m.id for m in ms] == [f"dt-{m.start}-{m.end}" for m in ms]


# --- year inference and relative expressions -----------------------------------------------------------------

RELATIVE = [
    # text, lang, reference, mention text, value, year_inferred, relative
    ("در 30 ژانویه گفت", "fa", date(2020, 2, 2), "30 ژانویه", "2020-01-30", True, False),
    ("سوم بهمن", "fa", date(2022, 1, 25), "سوم بهمن", "2022-01-23", True, False),  # solved in 1400, not "2022"
    ("في 2 أكتوبر", "ar", date(2016, 11, 7), "2 أكتوبر", "2016-10-02", True, False),
    ("في 5 يناير", "ar", date(2019, 12, 20), "5 يناير", "2020-01-05", True, False),  # nearest is next year
    ("في 5 يناير الماضي", "ar", date(2019, 12, 20), "5 يناير الماضي", "2019-01-05", True, True),
    ("في ديسمبر المقبل", "ar", date(2020, 3, 14), "ديسمبر المقبل", "2020-12-01..2020-12-31", True, True),
    ("كانون الاول المنصرم", "ar", date(2021, 9, 1), "كانون الاول المنصرم", "2020-12-01..2020-12-31", True, True),
    ("۱۷ اکتوبر سال گذشته", "prs", date(2024, 1, 27), "۱۷ اکتوبر سال گذشته", "2023-10-17", True, True),
    ("۱۱ جنوری امسال", "prs", date(2024, 1, 27), "۱۱ جنوری امسال", "2024-01-11", True, True),
    ("الاربعاء 13 شباط", "ar", date(2013, 2, 12), "الاربعاء 13 شباط", "2013-02-13", True, False),
    ("اليوم السبت", "ar", date(2020, 3, 14), "اليوم السبت", "2020-03-14", True, True),
    ("روز پنجشنبه اعلام شد", "prs", date(2024, 1, 27), "روز پنجشنبه", "2024-01-25", True, True),
    ("يوم الأحد القادم", "ar", date(2016, 11, 7), "يوم الأحد القادم", "2016-11-13", True, True),
    ("قال أمس إن", "ar", date(2016, 11, 7), "أمس", "2016-11-06", True, True),
    ("سأعود بالأمس", "ar", date(2016, 11, 7), "الأمس", "2016-11-06", True, True),
    ("وزیر امروز گفت", "fa", date(2016, 11, 7), "امروز", "2016-11-07", True, True),
    ("لقد عدت قبل عامين", "ar", date(2016, 11, 7), "قبل عامين", "2014-11-07", True, True),
    ("في 20 من الشهر المقبل", "ar", date(2017, 12, 7), "20 من الشهر المقبل", "2018-01-20", True, True),
    ("في الشهر الماضي", "ar", date(2020, 3, 14), "الشهر الماضي", "2020-02-01..2020-02-29", True, True),
    ("امسال", "fa", date(2021, 7, 13), "امسال", "2021-03-21..2022-03-20", True, True),  # solar year 1400
    ("در العام الماضي", "ar", date(2021, 7, 13), "العام الماضي", "2020-01-01..2020-12-31", True, True),
    ("في نيسان الماضي", "ar", date(2020, 3, 14), "نيسان الماضي", "2019-04-01..2019-04-30", True, True),
    ("الثلاثاء الاخير من شهر مارس السنة القادمة", "ar", date(2013, 2, 12),
     "الثلاثاء الاخير من شهر مارس السنة القادمة", "2014-03-25", True, True),
]


@pytest.mark.parametrize(("text", "lang", "ref", "mtext", "greg", "inferred", "relative"), RELATIVE,
                         ids=[r[0][:25] for r in RELATIVE])
def test_year_inference_and_relative_dates(text: str, lang: str, ref: date, mtext: str, greg: str,
                                           inferred: bool, relative: bool) -> None:
    m = only(text, lang, ref)
    assert value(m)[0] == mtext
    assert value(m)[5] == greg
    assert (m.year_inferred, m.relative) == (inferred, relative)


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("ar", "من 10 إلى 15 يناير 2020", [("10", "2020-01-10"), ("15 يناير 2020", "2020-01-15")]),
        ("fa", "از ۱۰ تا ۱۵ مهر ۱۴۰۲", [("۱۰", "2023-10-02"), ("۱۵ مهر ۱۴۰۲", "2023-10-07")]),
        ("fa", "ساعت 10 تا 15 مهر ۱۴۰۲", [("15 مهر ۱۴۰۲", "2023-10-07")]),
        ("fa", "در سال‌های ۱۳۹۰ تا ۱۳۹۵", [("سال‌های ۱۳۹۰", "2011-03-21"), ("۱۳۹۵", "2016-03-20")]),
        ("fa", "از سال 2014 تا 2020", [("سال 2014", "2014-01-01"), ("2020", "2020-01-01")]),
    ],
)
def test_ranges_give_one_mention_per_end(lang: str, text: str, expected: list[tuple[str, str]]) -> None:
    result = extract_dates(text, lang)
    assert [(m.text, str(m.gregorian_start)) for m in result.mentions] == expected
    assert result.links == []


def test_shared_spellings_follow_the_documents_regional_set() -> None:
    text = "في 28 دجنبر 2023 ... إلى غاية متم شهر فبراير و10 يناير"
    assert [m.lexicon for m in extract_dates(text, "ar", date(2023, 12, 28)).mentions] == ["ar-MA"] * 3
    assert [m.lexicon for m in extract_dates("في 10 يناير 2020", "ar").mentions] == ["ar-EG"]
    assert [m.lexicon for m in extract_dates("5 جانفي و6 مارس 2020", "ar").mentions] == ["ar-DZ", "ar-DZ"]


def test_glued_conjunction_before_a_year_word() -> None:
    ms = extract_dates("في عام 2019 وعام 2020", "ar").mentions
    assert [m.text for m in ms] == ["عام 2019", "عام 2020"]


def test_without_reference_a_year_less_date_keeps_native_values() -> None:
    m = only("در 10 بهمن گفت", "fa", None)
    assert (m.native.year, m.native.month, m.native.day) == (None, 11, 10)
    assert m.gregorian_start is None and m.gregorian_end is None
    assert m.year_inferred and m.note


def test_a_written_weekday_fixes_a_hijri_day_within_two_days() -> None:
    m = only("پنجشنبه ۲۹ محرم ۱۴۳۱ هجری قمری", "fa")
    assert m.gregorian_start == date(2010, 1, 14)  # Umm al-Qura says Friday 2010-01-15
    assert m.note and "2010-01-15" in m.note


def test_a_wrong_weekday_on_a_solar_date_is_noted_not_applied() -> None:
    m = only("شنبه 22 تیر 1400", "fa")
    assert m.gregorian_start == date(2021, 7, 13)
    assert m.note and "Saturday" in m.note


def test_invalid_date_in_text_is_kept_without_a_value() -> None:
    m = only("در 30 اسفند 1392 گفت", "fa")
    assert m.gregorian_start is None and m.note and "leap" in m.note


@pytest.mark.parametrize(
    ("calendar", "month", "day", "ref", "direction", "year"),
    [
        (Calendar.gregorian, 1, 3, date(2020, 2, 2), Direction.nearest, 2020),
        (Calendar.gregorian, 12, 20, date(2020, 1, 5), Direction.nearest, 2019),
        (Calendar.gregorian, 1, 6, date(2020, 1, 6), Direction.past, 2019),  # strictly before
        (Calendar.gregorian, 3, None, date(2020, 3, 14), Direction.past, 2019),  # a month that has ended
        (Calendar.gregorian, 3, None, date(2020, 3, 14), Direction.nearest, 2020),  # contains the reference
        (Calendar.gregorian, 3, None, date(2020, 3, 14), Direction.future, 2021),
        (Calendar.solar_hijri, 11, 3, date(2022, 1, 25), Direction.nearest, 1400),
        (Calendar.solar_hijri, 12, 30, date(2024, 1, 1), Direction.nearest, 1403),  # only leap years have it
        (Calendar.lunar_hijri, 9, None, date(2024, 3, 20), Direction.nearest, 1445),
        (Calendar.gregorian, 5, 1, date(2020, 3, 14), Direction.last_year, 2019),
        (Calendar.solar_hijri, 1, 1, date(2021, 7, 13), Direction.this_year, 1400),
        (Calendar.gregorian, 2, 13, date(2013, 2, 12), Direction.nearest, 2013),
    ],
)
def test_resolve_year_policy(calendar: Calendar, month: int, day: int | None, ref: date, direction: Direction,
                             year: int) -> None:
    assert resolve_year(calendar, month, day, ref, direction) == year


@pytest.mark.parametrize(
    ("month", "day", "ref", "ref_end", "tense", "year"),
    [
        # nearest a dated range (the sentence's Esfand 1402), not the reference date: Ordibehesht 1403 follows it
        (2, None, date(2024, 2, 20), date(2024, 3, 19), Tense.none, 1403),
        # a year named earlier: 15 May inside the year 2019's range
        (5, 15, date(2019, 1, 1), date(2019, 12, 31), Tense.none, 2019),
        # a future verb moves a date that is over to its next occurrence; a past verb a date far ahead back
        (12, 20, date(2024, 2, 1), None, Tense.future, 2024),
        (12, 20, date(2024, 6, 30), None, Tense.past, 2023),
        # ... but not further back than 300 days: 15 January written on 10 January stays ahead
        (1, 15, date(2024, 1, 10), None, Tense.past, 2024),
        # a future verb keeps a month that is not over
        (3, None, date(2024, 3, 10), None, Tense.future, 2024),
    ],
)
def test_resolve_year_against_a_range_and_a_tense(month: int, day: int | None, ref: date, ref_end: date | None,
                                                  tense: Tense, year: int) -> None:
    calendar = Calendar.solar_hijri if day is None and month == 2 else Calendar.gregorian
    assert resolve_year(calendar, month, day, ref, Direction.nearest, None, ref_end, tense) == year


@pytest.mark.parametrize(
    ("weekday", "ref", "direction", "expected"),
    [
        (5, date(2020, 3, 14), Direction.nearest, date(2020, 3, 14)),  # same day
        (3, date(2024, 1, 27), Direction.nearest, date(2024, 1, 25)),  # preceding Thursday
        (5, date(2020, 3, 14), Direction.past, date(2020, 3, 7)),
        (6, date(2016, 11, 7), Direction.future, date(2016, 11, 13)),
    ],
)
def test_resolve_weekday_policy(weekday: int, ref: date, direction: Direction, expected: date) -> None:
    assert resolve_weekday(weekday, ref, direction) == expected


def test_output_is_deterministic_and_versioned() -> None:
    text = "في 10 ديسمبر/كانون الأول عام 2017 و5 رمضان 1445"
    assert extract_dates(text, "ar", REF) == extract_dates(text, "ar", REF)
    assert ENGINE_VERSION.startswith("dates-engine ")


def test_unknown_language_tries_every_set() -> None:
    assert [m.lexicon for m in extract_dates("10 بهمن 1398 و 5 يناير 2020", "en").mentions] == ["solar-IR",
                                                                                                 "ar-EG"]


# --- invariants on arbitrary text --------------------------------------------------------------------------------

_TOKENS = [
    "ژانویه", "بهمن", "دی", "می", "مه", "جدی", "حمل", "برج", "ماه", "سال", "امسال", "گذشته", "روز", "شنبه",
    "يناير", "كانون الأول", "كانون 2", "أيلول", "آب", "الماضي", "المقبل", "عام", "من", "الخامس", "اليوم", "السبت",
    "أمس", "الشهر", "رمضان", "ذو الحجة", "ربیع\u200cالاول", "هـ", "م.", "ه.ش", "قمری", "الموافق", "برابر با", "قبل",
    "عيد الأضحى", "سوم", "بیست و یکم", "ثاني", "اربعاء", "الأخير", "۱۴۰۰", "2020", "٢٩", "1", "31", "30", "99",
    "/", "-", "(", ")", "،", ".", ":", "\u200c", "\u200f", "\u0640", "\u064e", "\n",
]


@given(st.lists(st.sampled_from(_TOKENS), max_size=25), st.lists(st.sampled_from(["", " ", " ", "\u200c"]),
                                                                   min_size=25, max_size=25),
       st.sampled_from(["fa", "prs", "ar", "en"]), st.none() | st.dates(date(1930, 1, 1), date(2070, 12, 31)))
@settings(max_examples=300, deadline=None)
def test_arbitrary_text_gives_valid_non_overlapping_mentions(tokens: list[str], seps: list[str], lang: str,
                                                             ref: date | None) -> None:
    text = "".join(t + s for t, s in zip(tokens, seps, strict=False)) or "x"
    result = extract_dates(text, lang, ref)
    ends = -1
    for m in result.mentions:
        assert text[m.start:m.end] == m.text
        assert m.start >= ends  # text order, no overlap
        ends = m.end
        if m.gregorian_start is not None:
            assert m.gregorian_end is not None and m.gregorian_start <= m.gregorian_end
    ids = {m.id for m in result.mentions}
    assert len(ids) == len(result.mentions)
    for link in result.links:
        assert {link.source, link.target} <= ids and (link.reason is None) is link.consistent
