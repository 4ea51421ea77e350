"""The engine's fast paths give exactly what the plain paths give (issue 3, throughput).

* mentions and links are built without pydantic validation: every one must still validate and equal the object
  validation builds, with the same ``model_fields_set``;
* the two scans start with a bitmap class that admits every code point beyond the BMP: on text with such code
  points they must find what the exact patterns find;
* ``to_gregorian`` adds days to a cached month start: it must agree with jdatetime and hijridate, errors included;
* ``join_kind`` gives up on text longer than its connector, bracket, dash and و patterns can match.
"""

from __future__ import annotations

import datetime as dt
import random
import re

import jdatetime
import pytest
from hijridate import Hijri
from hypothesis import given, settings
from hypothesis import strategies as st
from shared_data import SEEDS, require

from annotate.dates import extract_dates
from annotate.dates.calendars import to_gregorian
from annotate.dates.linking import _BETWEEN_AND, _BETWEEN_DASH, _BETWEEN_PAREN, _BETWEEN_WORD, LONGEST_BETWEEN
from annotate.dates.patterns import compiled as _patterns
from annotate.dates.patterns import scan as _scan
from annotate.dates.recognize import find_candidates
from annotate.errors import InvalidDate
from annotate.models import Calendar, DateLink, DateMention, freeze_text

SEED_LANGS = {"000": "fa", "001": "ar", "002": "fa", "003": "ar", "004": "prs"}


def _seed_texts() -> list[tuple[str, str]]:
    paths = sorted(require(SEEDS, "the seed corpus").glob("*.txt"))
    return [(freeze_text(p.read_text(encoding="utf-8")), SEED_LANGS.get(p.name[:3], "fa")) for p in paths]


SAMPLES = [
    ("در ۱۴ مهر ۱۴۰۲ (۶ اکتبر ۲۰۲۳) و سه‌شنبه گذشته، امسال و ۱۰ تا ۱۵ دی‌ماه", "fa"),
    ("الأربعاء، 13 شباط/فبراير 2019 الموافق 8 جمادى الآخرة 1440 هـ، أمس والشهر الماضي", "ar"),
    ("۲۶ حوت ۱۳۹۹ برابر با ۱۶ مارچ ۲۰۲۱، روز پنجشنبه", "prs"),
    ("عيد الأضحى 2013 و 30/12/2020 و ۹۹/۱۰/۱۷", "ar"),
]


def _cases() -> list[tuple[str, str]]:
    return SAMPLES + _seed_texts()


@pytest.mark.parametrize("reference", [dt.date(2021, 3, 20), None])
def test_every_mention_and_link_validates(reference: dt.date | None) -> None:
    found = 0
    for text, lang in _cases():
        result = extract_dates(text, lang, reference)
        for m in result.mentions:
            dumped = m.model_dump()
            validated = DateMention.model_validate(dumped)
            assert validated == m
            assert DateMention(**dumped).model_fields_set == m.model_fields_set
            assert validated.model_dump_json() == m.model_dump_json()
            assert text[m.start:m.end] == m.text
            found += 1
        for lk in result.links:
            args = lk.model_dump(exclude_unset=True)
            assert DateLink.model_validate(lk.model_dump()) == lk
            assert DateLink(**args).model_fields_set == lk.model_fields_set
    assert found > len(SAMPLES)


# Letters, digits and symbols beyond the BMP around month names, digits and separators.
_PIECES = ["ژانویه", "مهر", "يناير", "سال", "شنبه", "2020", "۱۴", "12/03/2019", "1402", " ", " ", "\n", "/", ".",
           "\U0001d400", "\U0001d7d9", "\U0001f600", "\U00020000", "\U0001d7e2\U0001d7e0", "ب", "هـ"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30), st.sampled_from(["fa", "prs", "ar"]))
def test_fast_scans_find_what_exact_scans_find(pieces: list[str], lang: str) -> None:
    view = "".join(pieces)
    p = _patterns(lang)
    for fast, exact in ((p.words_fast, p.words), (p.digits_fast, p.digits)):
        got = [(m.span(), m.groupdict()) for m in _scan(fast, exact, view)]
        assert got == [(m.span(), m.groupdict()) for m in exact.finditer(view)]


def test_fast_scan_falls_back_beyond_the_bmp() -> None:
    p = _patterns("fa")
    view = "\U0001d400ژانویه 2020 و ۵ ژانویه"  # a letter beyond the BMP: no non-letter before the first name
    assert [m.start("w") for m in _scan(p.words_fast, p.words, view)] == [17]
    assert [g.start for g in find_candidates(view, "fa")] == [15]


def _library(calendar: Calendar, y: int, m: int, d: int) -> dt.date:
    if calendar is Calendar.solar_hijri:
        g = jdatetime.date(y, m, d).togregorian()
    else:
        g = Hijri(y, m, d).to_gregorian()
    return dt.date(g.year, g.month, g.day)


@pytest.mark.parametrize(("calendar", "years"), [(Calendar.solar_hijri, (1300, 1500)),
                                                 (Calendar.lunar_hijri, (1343, 1500))])
def test_to_gregorian_agrees_with_the_libraries(calendar: Calendar, years: tuple[int, int]) -> None:
    rng = random.Random(3)
    for _ in range(400):
        y, m, d = rng.randint(*years), rng.randint(1, 12), rng.randint(1, 31)
        try:
            want: dt.date | str = _library(calendar, y, m, d)
        except ValueError as exc:
            want = str(exc)
        try:
            got: dt.date | str = to_gregorian(calendar, y, m, d)
        except InvalidDate as exc:
            got = exc.message
            assert isinstance(want, str) and want in got, (calendar, y, m, d, got, want)
            continue
        assert got == want, (calendar, y, m, d)


@pytest.mark.parametrize("pattern", [_BETWEEN_WORD, _BETWEEN_PAREN, _BETWEEN_DASH, _BETWEEN_AND])
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_between_patterns_fit_the_length_bound(pattern: re.Pattern[str], data: st.DataObject) -> None:
    between = data.draw(st.from_regex(pattern, fullmatch=True))
    assert len(between) <= LONGEST_BETWEEN
