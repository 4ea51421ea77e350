"""Sentence spans of fa / prs / ar news: real punctuation, never inside numbers, dates or protected spans."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotate.text.sentences import sentence_spans


def pieces(text: str, protected: list[tuple[int, int]] | None = None) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text, protected or [])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وزیر آمد. او رفت.", ["وزیر آمد.", "او رفت."]),
        ("آیا جلسه برگزار شد؟ بله، دیروز.", ["آیا جلسه برگزار شد؟", "بله، دیروز."]),
        ("قال الوزير: «انتهى الاجتماع.» ثم غادر.", ["قال الوزير: «انتهى الاجتماع.»", "ثم غادر."]),
        ("ارتفع السعر؛ وانخفض الطلب!", ["ارتفع السعر؛", "وانخفض الطلب!"]),
        ("بارش‌ها ۲۳.۵ درصد کاهش یافت. پایان", ["بارش‌ها ۲۳.۵ درصد کاهش یافت.", "پایان"]),
        ("مکتوب مورخ 1402.06.15 رسید. بعد", ["مکتوب مورخ 1402.06.15 رسید.", "بعد"]),
        ("کابل – خبر\n\nمتن دوم", ["کابل – خبر", "متن دوم"]),
        ("چرا؟! هیچ‌کس نمی‌داند", ["چرا؟!", "هیچ‌کس نمی‌داند"]),
        ("no end", ["no end"]),
        ("  \n ", []),
    ],
)
def test_sentence_cases(text: str, expected: list[str]) -> None:
    assert pieces(text) == expected


def test_protected_span_is_never_cut() -> None:
    text = "سازمان ملل متحد. آمریکا اعلام کرد."
    assert len(pieces(text)) == 2
    assert pieces(text, [(0, 24)]) == [text]  # an entity over the first full stop keeps both in one sentence


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from([*list("اب پ ۱۲.؟!؛\n»"), "\u200c"]), max_size=60),
       cut=st.integers(0, 60), length=st.integers(1, 10))
def test_spans_are_ordered_trimmed_and_cover_every_letter(text: str, cut: int, length: int) -> None:
    protected = [(min(cut, len(text)), min(cut + length, len(text)))]
    spans = sentence_spans(text, protected)
    covered: set[int] = set()
    prev = 0
    for s, e in spans:
        assert prev <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
        covered.update(range(s, e))
        prev = e
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())
    ps, pe = protected[0]
    while ps < pe and text[ps].isspace():  # a mention never starts or ends with white space
        ps += 1
    while pe > ps and text[pe - 1].isspace():
        pe -= 1
    if ps < pe:
        assert any(s <= ps and pe <= e for s, e in spans)
