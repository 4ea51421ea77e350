"""The matching view of frozen text and its offset map back to the original code points."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotate.text.view import SEP, TextView, normalize, squeeze

ZWNJ, RLM, LRM, TATWEEL = "\u200c", "\u200f", "\u200e", "\u0640"


@pytest.mark.parametrize(
    ("raw", "view"),
    [
        ("۱۴۰۰/۰۴/۲۲", "1400/04/22"),
        ("٢٠٢٠", "2020"),
        ("1۳9٨", "1398"),  # three digit scripts in one token
        ("يناير", "ینایر"),
        ("كانون الأول", "کانون الاول"),
        ("إبريل آذار ٱ", "ابریل اذار ا"),
        ("ذو الحجة", "ذو الحجه"),
        ("ژانویهٔ", "ژانویه"),  # ezafe hamza above is a diacritic
        ("خانهٔ", "خانه"),
        ("ربیع" + ZWNJ + "الاول", "ربیع" + ZWNJ + "الاول"),  # ZWNJ kept: patterns treat it as optional
        ("هـ", "ه"),
        ("رمـــضان", "رمضان"),
        ("مُحَرَّم", "محرم"),
        (RLM + "2017" + LRM, "2017"),
        ("a\u00a0b\tc", "a b c"),
    ],
)
def test_view_text(raw: str, view: str) -> None:
    assert TextView(raw).text == view
    assert normalize(raw) == view


def test_letters_of_the_original_are_never_changed() -> None:
    raw = "ي ك ة ۱ " + ZWNJ + TATWEEL + RLM
    v = TextView(raw)
    assert v.original is raw
    assert v.text != raw


@pytest.mark.parametrize(
    ("raw", "word", "expected"),
    [
        ("در " + RLM + "30 ژانویه", "30 ژانویه", "30 ژانویه"),
        ("رمـــضان 1445 هـ", "1445 ه", "1445 هـ"),  # a trailing tatweel stays with its letter
        ("في ١٠ ديسمبر" + RLM + " عام", "10 دیسمبر", "١٠ ديسمبر"),
        ("ژانویهٔ ۲۰۱۰", "ژانویه", "ژانویهٔ"),  # a trailing diacritic stays with its letter
        ("مُحَرَّم الحرام", "محرم", "مُحَرَّم"),
        (TATWEEL * 3 + "بهمن", "بهمن", "بهمن"),
    ],
)
def test_span_maps_back_to_original(raw: str, word: str, expected: str) -> None:
    v = TextView(raw)
    i = v.text.index(word)
    s, e = v.span(i, i + len(word))
    assert raw[s:e] == expected


def test_identity_map_when_nothing_is_dropped() -> None:
    v = TextView("سه شنبه 22 تیر 1400")
    assert [v.start(i) for i in range(len(v.text) + 1)] == list(range(len(v.text) + 1))


def test_squeeze_and_sep() -> None:
    assert squeeze("ربیع" + ZWNJ + "الاول ماه") == "ربیعالاولماه"
    assert SEP == "[ \u200c]?"


_noisy = st.text(alphabet="ابپتیيكکة ۱٢3" + ZWNJ + TATWEEL + RLM + LRM + "\u064e\u0654", max_size=40)


@given(_noisy)
def test_every_view_character_maps_to_the_same_letter(raw: str) -> None:
    """Each view character comes from the original character its offset maps to (modulo the one-for-one map)."""
    v = TextView(raw)
    for i, ch in enumerate(v.text):
        s = v.start(i)
        assert normalize(raw[s]) == ch
        s2, e2 = v.span(i, i + 1)
        assert s2 == s and e2 > s
        assert normalize(raw[s2:e2]) == ch


@given(_noisy, st.data())
def test_spans_are_monotonic_and_in_range(raw: str, data: st.DataObject) -> None:
    v = TextView(raw)
    if not v.text:
        return
    i = data.draw(st.integers(0, len(v.text) - 1))
    j = data.draw(st.integers(i + 1, len(v.text)))
    s, e = v.span(i, j)
    assert 0 <= s < e <= len(raw)
    assert normalize(raw[s:e]) == v.text[i:j]


def test_combining_set_is_the_combining_pattern() -> None:
    """``end`` skips the regex when the next character is not in ``_COMBINING``: the two must agree everywhere."""
    from annotate.text.view import _COMBINING, _COMBINING_RE

    for cp in range(0x10000):
        ch = chr(cp)
        assert (ch in _COMBINING) == (_COMBINING_RE.fullmatch(ch) is not None), hex(cp)


@pytest.mark.parametrize(
    ("raw", "end", "expected"),
    [
        ("مه\u064e", 2, 3),  # a harakat after the last letter stays with it
        ("مه" + TATWEEL + "\u064e ب", 2, 4),
        ("مه ب", 2, 2),
        ("مه", 2, 2),  # at the end of the text
    ],
)
def test_end_keeps_trailing_marks(raw: str, end: int, expected: int) -> None:
    assert TextView(raw).end(end) == expected
