"""One tokenizer for the BIO export and token-level agreement: ZWNJ, harakat, clitic cuts, punctuation."""

from __future__ import annotations

import pytest

from annotate.text.tokens import tokenize

TOKEN_CASES = [
    ("می‌گویند", ["می‌گویند"]),  # ZWNJ keeps one word
    ("تهران-کابل،بغداد.", ["تهران", "کابل", "بغداد"]),
    ("كَتَبَ الولدُ", ["كَتَبَ", "الولدُ"]),  # harakat stay in their word
    ("۱۰ بهمن ۱۳۹۸", ["۱۰", "بهمن", "۱۳۹۸"]),
    ("\u200cخانه\u200c ها", ["خانه", "ها"]),  # a ZWNJ at a word edge is not part of it
    ("«قدس»؛ (2020)", ["قدس", "2020"]),
    ("", []),
]


@pytest.mark.parametrize(("text", "words"), TOKEN_CASES)
def test_words_only(text: str, words: list[str]) -> None:
    assert [text[s:e] for s, e in tokenize(text, words_only=True)] == words


@pytest.mark.parametrize(
    ("text", "cuts", "tokens"),
    [
        ("می\u200cگویند که", (), ["می\u200cگویند", "که"]),
        ("وبغداد.", (1,), ["و", "بغداد", "."]),
        ("بتهران،۱۴۰۰/۰۴/۲۲", (1,), ["ب", "تهران", "،", "۱۴۰۰", "/", "۰۴", "/", "۲۲"]),
        ("كـتاب \u200fقال", (), ["كـتاب", "قال"]),
        (".\u200cمی", (), [".", "می"]),
    ],
)
def test_tokens_with_cuts(text: str, cuts: tuple[int, ...], tokens: list[str]) -> None:
    assert [text[s:e] for s, e in tokenize(text, cuts)] == tokens


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("خانه\u200c ها", ["خانه", "ها"]),  # a trailing ZWNJ is not part of the word
        ("كـ", ["ك"]),  # nor a trailing tatweel
        ("«قدس»", ["«", "قدس", "»"]),  # punctuation is a token unless words_only
    ],
)
def test_joiners_at_word_edges_and_punctuation(text: str, tokens: list[str]) -> None:
    assert [text[s:e] for s, e in tokenize(text)] == tokens
