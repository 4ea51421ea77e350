"""Month-name sets, ordinal words and calendar arithmetic of the date engine (normalize_native, invalid dates)."""

from __future__ import annotations

from datetime import date

import pytest

from annotate.dates import normalize_native
from annotate.dates.lexicon import (
    MONTH_SETS,
    arabic_ordinals,
    base_language,
    canonical_name,
    month_names,
    persian_ordinals,
)
from annotate.errors import InvalidDate
from annotate.models import LEXICONS, Calendar, Granularity
from annotate.text.view import normalize, squeeze


def test_every_month_set_is_a_model_lexicon_with_twelve_months() -> None:
    for ms in MONTH_SETS:
        assert ms.lexicon in LEXICONS
        assert len(ms.months) == 12 and all(ms.months)
        assert {normalize(a) for a in ms.ambiguous} <= {normalize(s) for m in ms.months for s in m}


@pytest.mark.parametrize(
    ("lang", "spelling", "lexicon", "month"),
    [
        ("fa", "فروردين", "solar-IR", 1),
        ("fa", "امرداد", "solar-IR", 5),
        ("fa", "شهريور", "solar-IR", 6),
        ("fa", "دي", "solar-IR", 10),
        ("prs", "جوزاء", "solar-AF", 3),
        ("prs", "سنبلهٔ", "solar-AF", 6),
        ("prs", "جدي", "solar-AF", 10),
        ("fa", "ژانویهٔ", "fa-IR", 1),
        ("fa", "مارچ", "fa-AF", 3),  # Dari's word, even in Iranian Persian text (issue 13)
        ("prs", "مارچ", "fa-AF", 3),
        ("fa", "جون", "fa-IR", 6),  # a spelling both Persian sets have: the language decides
        ("prs", "جون", "fa-AF", 6),
        ("prs", "اکتوبر", "fa-AF", 10),
        ("ar", "أكتوبر", "ar-EG", 10),
        ("ar", "اكتوبر", "ar-EG", 10),
        ("ar", "يونيه", "ar-EG", 6),
        ("ar", "كانون ثاني", "ar-SY", 1),
        ("ar", "كانون 2", "ar-SY", 1),
        ("ar", "تشرين 1", "ar-SY", 10),
        ("ar", "تشرین الثاني", "ar-SY", 11),
        ("ar", "اذار", "ar-SY", 3),
        ("ar", "جانفي", "ar-DZ", 1),
        ("ar", "أوت", "ar-DZ", 8),
        ("fa", "اوت", "fa-IR", 8),  # same letters, Persian text
        ("ar", "يوليوز", "ar-MA", 7),
        ("ar", "غشت", "ar-MA", 8),
        ("ar", "دجمبر", "ar-MR", 12),
        ("ar", "أغشت", "ar-MR", 8),
        ("ar", "ربيع الأنور", "hijri", 3),
        ("ar", "جمادى الآخرة", "hijri", 6),
        ("ar", "ذي الحجة", "hijri", 12),
        ("fa", "ذیقعده", "hijri", 11),
        ("fa", "ربیع‌الثانی", "hijri", 4),
    ],
)
def test_spellings_and_variants(lang: str, spelling: str, lexicon: str, month: int) -> None:
    names = month_names(lang)
    key = normalize(spelling).replace("\u200c", " ")
    hit = names.get(key) or next(v for k, v in names.items() if squeeze(k) == squeeze(key))
    assert (hit.lexicon, hit.month) == (lexicon, month)


def test_ambiguous_names_of_another_language_are_left_out() -> None:
    assert normalize("آب") not in month_names("fa")  # Persian "water"
    assert normalize("آب") in month_names("ar")
    assert month_names("ar")[normalize("آب")].ambiguous
    assert not month_names("ar")[normalize("يناير")].ambiguous


@pytest.mark.parametrize(
    ("word", "n"),
    [("یکم", 1), ("اول", 1), ("سوم", 3), ("هفتم", 7), ("هجدهم", 18), ("بیستم", 20), ("بیست و یکم", 21),
     ("سی ام", 30), ("سی و یکم", 31), ("پانزدهمین", 15), ("بیست و یکمین", 21)],
)
def test_persian_ordinals(word: str, n: int) -> None:
    assert persian_ordinals()[normalize(word)] == n


@pytest.mark.parametrize(
    ("word", "n"),
    [("الأول", 1), ("الأولى", 1), ("الخامس", 5), ("السادسة", 6), ("العاشر", 10), ("الحادي عشر", 11),
     ("الحادية عشرة", 11), ("التاسع عشر", 19), ("العشرين", 20), ("الحادي والعشرين", 21),
     ("الثانية والعشرون", 22), ("الثامنة والعشرين", 28), ("الثلاثين", 30), ("الحادي والثلاثين", 31)],
)
def test_arabic_ordinals(word: str, n: int) -> None:
    assert arabic_ordinals()[normalize(word)] == n


def test_no_ordinal_beyond_31() -> None:
    assert max(persian_ordinals().values()) == 31 == max(arabic_ordinals().values())
    assert normalize("الثاني والثلاثين") not in arabic_ordinals()


@pytest.mark.parametrize(("tag", "base"), [("fa", "fa"), ("fa-IR", "fa"), ("fa-AF", "prs"), ("prs", "prs"),
                                           ("ar-EG", "ar"), ("AR", "ar"), ("en", None), ("far", None)])
def test_base_language(tag: str, base: str | None) -> None:
    assert base_language(tag) == base


def test_canonical_names() -> None:
    assert canonical_name("solar-IR", 11) == "بهمن"
    assert canonical_name("ar-SY", 12) == "كانون الأول"


# --- normalize_native: what an annotator types --------------------------------------------------------------

@pytest.mark.parametrize(
    ("calendar", "ymd", "granularity", "start", "end"),
    [
        (Calendar.solar_hijri, (1400, 4, 22), Granularity.day, "2021-07-13", "2021-07-13"),
        (Calendar.solar_hijri, (1382, 10, 17), Granularity.day, "2004-01-07", "2004-01-07"),
        (Calendar.solar_hijri, (1403, 12, 30), Granularity.day, "2025-03-20", "2025-03-20"),  # 1403 is leap
        (Calendar.solar_hijri, (1404, 1, 1), Granularity.day, "2025-03-21", "2025-03-21"),
        (Calendar.solar_hijri, (1398, 2, None), Granularity.month, "2019-04-21", "2019-05-21"),
        (Calendar.solar_hijri, (1400, 4, None), Granularity.month, "2021-06-22", "2021-07-22"),
        (Calendar.solar_hijri, (1400, None, None), Granularity.year, "2021-03-21", "2022-03-20"),
        (Calendar.solar_hijri, (1403, 12, None), Granularity.month, "2025-02-19", "2025-03-20"),
        (Calendar.lunar_hijri, (1445, 9, None), Granularity.month, "2024-03-11", "2024-04-09"),
        (Calendar.lunar_hijri, (1439, 3, 13), Granularity.day, "2017-12-01", "2017-12-01"),
        (Calendar.lunar_hijri, (1343, 5, 15), Granularity.day, "1924-12-12", "1924-12-12"),
        (Calendar.gregorian, (2017, 12, None), Granularity.month, "2017-12-01", "2017-12-31"),
        (Calendar.gregorian, (2020, 2, None), Granularity.month, "2020-02-01", "2020-02-29"),
        (Calendar.gregorian, (2014, None, None), Granularity.year, "2014-01-01", "2014-12-31"),
    ],
)
def test_normalize_native(calendar: Calendar, ymd: tuple[int, int | None, int | None], granularity: Granularity,
                          start: str, end: str) -> None:
    got = normalize_native(calendar, *ymd)
    assert got.granularity is granularity
    assert (got.gregorian_start, got.gregorian_end) == (date.fromisoformat(start), date.fromisoformat(end))


def test_hijri_day_notes_its_uncertainty() -> None:
    assert "±1 day" in (normalize_native(Calendar.lunar_hijri, 1445, 9, 1).note or "")
    assert normalize_native(Calendar.solar_hijri, 1400, 1, 1).note is None


def test_year_less_native_date_has_no_range() -> None:
    got = normalize_native(Calendar.solar_hijri, None, 11, 10)
    assert got.gregorian_start is None and got.gregorian_end is None
    assert got.granularity is Granularity.day and got.note


@pytest.mark.parametrize(
    ("calendar", "ymd", "fragment"),
    [
        (Calendar.solar_hijri, (1392, 12, 30), "not a leap year"),  # jdatetime test_kabiseh
        (Calendar.solar_hijri, (1400, 7, 31), "does not exist"),  # 31 Mehr
        (Calendar.solar_hijri, (None, 7, 31), "any year"),
        (Calendar.lunar_hijri, (1342, 1, 1), "1343-1500"),
        (Calendar.lunar_hijri, (1501, 1, 1), "1343-1500"),
        (Calendar.lunar_hijri, (1433, 2, 30), "does not exist"),  # Safar 1433 has 29 days
        (Calendar.gregorian, (2019, 2, 29), "does not exist"),
        (Calendar.gregorian, (2020, 13, None), "month 13"),
        (Calendar.gregorian, (2020, None, 5), "needs a month"),
        (Calendar.gregorian, (None, None, None), "at least"),
    ],
)
def test_invalid_dates_are_rejected_not_shifted(calendar: Calendar, ymd: tuple[int | None, int | None, int | None],
                                                fragment: str) -> None:
    with pytest.raises(InvalidDate) as err:
        normalize_native(calendar, *ymd)
    assert fragment in str(err.value)
