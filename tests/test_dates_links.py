"""Cross-calendar equivalences: dual names and appositions become two mentions and one checked link."""

from __future__ import annotations

from datetime import date

import pytest

from annotate.dates import check_link, extract_dates
from annotate.models import Calendar, DateMention, Granularity, NativeDate


def pair(text: str, lang: str, ref: date | None = None) -> tuple[list[str], bool, str | None]:
    """The two mention texts of ``text`` and their one link's consistency and reason."""
    result = extract_dates(text, lang, ref)
    assert len(result.mentions) == 2, [m.text for m in result.mentions]
    assert len(result.links) == 1, result.links
    link = result.links[0]
    a, b = result.mentions
    assert (link.source, link.target) == (a.id, b.id)
    assert link.id == f"ln-{a.id}-{b.id}"
    return [a.text, b.text], link.consistent, link.reason


PAIRS = [
    # dual names: the components written once are shared
    ("ar", "منذ تأسيسه في سبتمبر/أيلول 2014، بقيادة", None, ["سبتمبر", "أيلول 2014"], True),
    ("ar", "في 10 ديسمبر/كانون الأول عام 2017، بعد", None, ["10 ديسمبر", "كانون الأول عام 2017"], True),
    ("ar", "في أواخر فبراير / شباط الماضي", date(2020, 3, 14), ["فبراير", "شباط الماضي"], True),
    ("ar", "كانون الثاني (يناير) 2020", None, ["كانون الثاني", "يناير"], True),
    ("ar", "في 5 تشرين الأول (أكتوبر) 2019", None, ["5 تشرين الأول", "أكتوبر"], True),
    ("ar", "في السادس من يناير/كانون الأول الماضي، إيقاف", date(2020, 3, 14),
     ["السادس من يناير", "كانون الأول الماضي"], False),
    ("ar", "يناير/كانون الأول 2020", None, ["يناير", "كانون الأول 2020"], False),
    # appositions between calendars
    ("fa", "در 30 ژانویه (10 بهمن) ارتش", date(2020, 2, 2), ["30 ژانویه", "10 بهمن"], True),
    ("prs", "روز شنبه ۲۷ جنوری (هفتم دلو) به", date(2024, 1, 27), ["روز شنبه ۲۷ جنوری", "هفتم دلو"], True),
    ("fa", "30 ژانویه (10 بهمن)", date(2021, 2, 2), ["30 ژانویه", "10 بهمن"], False),  # 2021: 11 Bahman
    ("fa", "۲۷ جنوری (هفتم دلو)", date(2021, 2, 1), ["۲۷ جنوری", "هفتم دلو"], False),  # 2021: 8 Dalv
    ("fa", "22 تیر 1400 برابر با 13 ژوئیه 2021", None, ["22 تیر 1400", "13 ژوئیه 2021"], True),
    ("fa", "10 بهمن 1398 برابر با 31 ژانویه 2020", None, ["10 بهمن 1398", "31 ژانویه 2020"], False),
    ("ar", "الجمعة 1 ديسمبر 2017 الموافق 13 ربيع الأول 1439 هـ", None,
     ["الجمعة 1 ديسمبر 2017", "13 ربيع الأول 1439 هـ"], True),
    ("ar", "1 ديسمبر 2017 الموافق 12 ربيع الأول 1439", None, ["1 ديسمبر 2017", "12 ربيع الأول 1439"], True),
    ("ar", "1 ديسمبر 2017 الموافق 16 ربيع الأول 1439", None, ["1 ديسمبر 2017", "16 ربيع الأول 1439"], False),
    ("fa", "10 آذر 1396 (1 دسامبر 2017)", None, ["10 آذر 1396", "1 دسامبر 2017"], True),
    # the year of a year-less half comes from its partner
    ("fa", "30 ژانویه 2020 (10 بهمن)", None, ["30 ژانویه 2020", "10 بهمن"], True),
    # a dateline: Hijri - Gregorian
    ("ar", "الأحد 14 رمضان 1445 هـ - 24 مارس 2024 م", None, ["الأحد 14 رمضان 1445 هـ", "24 مارس 2024 م"], True),
    ("ar", "الأحد 4 رمضان 1445 هـ - 24 مارس 2024 م", None, ["الأحد 4 رمضان 1445 هـ", "24 مارس 2024 م"], False),
]


@pytest.mark.parametrize(("lang", "text", "ref", "texts", "consistent"), PAIRS, ids=[p[1][:30] for p in PAIRS])
def test_pairs_are_two_mentions_and_one_checked_link(lang: str, text: str, ref: date | None, texts: list[str],
                                                     consistent: bool) -> None:
    got, ok, reason = pair(text, lang, ref)
    assert got == texts
    assert ok is consistent
    # An inconsistent link always says why; a consistent one only notes a Hijri day one day off Umm al-Qura.
    assert reason is not None if not consistent else (reason is None or "Umm al-Qura" in reason)


def test_triple_dateline_links_every_pair() -> None:
    text = "کابل، چهارشنبه ۲۲ حمل ۱۴۰۳ / ۱ شوال ۱۴۴۵ / ۱۰ اپریل ۲۰۲۴"
    result = extract_dates(text, "prs")
    assert [m.text for m in result.mentions] == ["چهارشنبه ۲۲ حمل ۱۴۰۳", "۱ شوال ۱۴۴۵", "۱۰ اپریل ۲۰۲۴"]
    a, b, c = (m.id for m in result.mentions)
    assert [(lk.source, lk.target, lk.consistent) for lk in result.links] == [(a, b, True), (a, c, True),
                                                                             (b, c, True)]
    assert {m.gregorian_start for m in result.mentions} == {date(2024, 4, 10)}


def test_dual_names_share_day_year_and_marker() -> None:
    result = extract_dates("في السادس من يناير/كانون الأول الماضي", "ar", date(2020, 3, 14))
    a, b = result.mentions
    assert (a.native.day, b.native.day) == (6, 6)
    assert (a.gregorian_start, b.gregorian_start) == (date(2020, 1, 6), date(2019, 12, 6))
    assert a.relative and b.relative
    assert result.links[0].reason == "January vs December"


@pytest.mark.parametrize("text", ["سبتمبر/أيلول 2014", "أيلول (سبتمبر) 2014"])
def test_shared_year_is_not_inferred(text: str) -> None:
    a, b = extract_dates(text, "ar").mentions
    assert not a.year_inferred and not b.year_inferred
    assert a.native.year == b.native.year == 2014


def test_same_set_slash_is_not_a_dual_name() -> None:
    result = extract_dates("يناير/فبراير 2020", "ar")
    assert result.links == []


def _m(mid: str, cal: Calendar, lex: str, ymd: tuple[int, int, int | None], start: str, end: str | None = None,
       text: str = "x") -> DateMention:
    return DateMention(
        id=mid, start=0, end=len(text), text=text, calendar=cal, lexicon=lex,
        granularity=Granularity.day if ymd[2] else Granularity.month,
        native=NativeDate(year=ymd[0], month=ymd[1], day=ymd[2]),
        gregorian_start=date.fromisoformat(start), gregorian_end=date.fromisoformat(end or start),
    )


@pytest.mark.parametrize(
    ("a", "b", "consistent", "reason"),
    [
        (_m("a", Calendar.solar_hijri, "solar-IR", (1398, 11, 10), "2020-01-30"),
         _m("b", Calendar.gregorian, "fa-IR", (2020, 1, 31), "2020-01-31"),
         False, "10 بهمن 1398 is 2020-01-30, not 2020-01-31"),
        (_m("a", Calendar.gregorian, "fa-IR", (2020, 1, 31), "2020-01-31"),
         _m("b", Calendar.solar_hijri, "solar-IR", (1398, 11, 10), "2020-01-30"),
         False, "10 بهمن 1398 is 2020-01-30, not 2020-01-31"),
        (_m("a", Calendar.gregorian, "ar-EG", (2020, 1, 6), "2020-01-06"),
         _m("b", Calendar.gregorian, "ar-SY", (2019, 12, 6), "2019-12-06"), False, "January vs December"),
        (_m("a", Calendar.gregorian, "ar-EG", (2010, 1, 14), "2010-01-14"),  # Hijri ±1: consistent, with a note
         _m("b", Calendar.lunar_hijri, "hijri", (1431, 1, 29), "2010-01-15"), True,
         "29 محرم 1431 is 2010-01-15 by Umm al-Qura (hijridate); the Gregorian date 14 يناير 2010 is 2010-01-14, "
         "one day before: the text's Hijri day follows local moon sighting (as in Iran, Afghanistan, Morocco), "
         "within the ±1 day Hijri tolerance"),
        (_m("a", Calendar.gregorian, "ar-EG", (2010, 1, 14), "2010-01-14"),
         _m("b", Calendar.lunar_hijri, "hijri", (1431, 1, 26), "2010-01-12"), False,  # Hijri ±2: inconsistent
         "26 محرم 1431 is 2010-01-12, not 2010-01-14"),
        (_m("a", Calendar.gregorian, "ar-EG", (2010, 1, 14), "2010-01-14"),
         _m("b", Calendar.lunar_hijri, "hijri", (1431, 2, 1), "2010-01-16"), False,
         "1 صفر 1431 is 2010-01-16, not 2010-01-14"),
        # A Hijri day already pinned to its partner (guidelines §5.4) keeps the note on a re-check.
        (_m("a", Calendar.gregorian, "ar-EG", (2017, 12, 1), "2017-12-01"),
         _m("b", Calendar.lunar_hijri, "hijri", (1439, 3, 12), "2017-12-01"), True,
         "12 ربيع الأول 1439 is 2017-11-30 by Umm al-Qura (hijridate); the Gregorian date 1 ديسمبر 2017 is "
         "2017-12-01, one day after: the text's Hijri day follows local moon sighting (as in Iran, Afghanistan, "
         "Morocco), within the ±1 day Hijri tolerance"),
        (_m("a", Calendar.solar_hijri, "solar-IR", (1400, 4, None), "2021-06-22", "2021-07-22"),
         _m("b", Calendar.gregorian, "fa-IR", (2021, 7, None), "2021-07-01", "2021-07-31"), False,
         "تیر 1400 is 2021-06-22..2021-07-22, not 2021-07-01..2021-07-31"),
    ],
)
def test_check_link(a: DateMention, b: DateMention, consistent: bool, reason: str | None) -> None:
    assert check_link(a, b) == (consistent, reason)


def test_linked_hijri_day_takes_its_partner_and_says_so() -> None:
    result = extract_dates("1 ديسمبر 2017 الموافق 12 ربيع الأول 1439", "ar")
    g, h = result.mentions
    assert result.links[0].consistent
    assert h.gregorian_start == g.gregorian_start == date(2017, 12, 1)
    assert h.note and "fixed by the linked date" in h.note and "2017-11-30" in h.note


def test_unlinked_hijri_day_notes_uncertainty() -> None:
    (h,) = extract_dates("في 13 ربيع الأول 1439 هـ", "ar").mentions
    assert h.gregorian_start == date(2017, 12, 1)  # Umm al-Qura
    assert h.note and "±1 day" in h.note and "Umm al-Qura" in h.note
