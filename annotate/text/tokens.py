"""Word tokens of fa / prs / ar text as ``[start, end)`` code-point spans of the frozen text.

A token is a maximal run of letters, marks (harakat stay with their letter), digits and joiners (ZWNJ U+200C, ZWJ,
tatweel), or a single punctuation character. ZWNJ never splits a word (``می‌گویند`` is one token); a joiner at a
word's edge is not part of it. White space and bidi marks separate tokens and are never tokens. ``cuts`` also split
tokens at given offsets, so a clitic written onto a name (``وبغداد``, ``بتهران``) can be its own token.

Used by the ``entities`` (BIO) export config and by token-level agreement (``words_only``: no punctuation tokens).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

_JOINERS = frozenset("\u200c\u200d\u0640")


def _is_word_char(ch: str) -> bool:
    return ch in _JOINERS or unicodedata.category(ch)[0] in "LMN"


def _is_separator(ch: str) -> bool:
    return ch.isspace() or (unicodedata.category(ch) == "Cf" and ch not in _JOINERS)


def tokenize(text: str, cuts: Sequence[int] = (), *, words_only: bool = False) -> list[tuple[int, int]]:
    """Token spans of ``text``, also cut at every offset in ``cuts``; ``words_only`` leaves punctuation out."""
    cut = set(cuts)
    out: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if _is_separator(ch) or ch in _JOINERS:  # a joiner only joins inside a word, never starts one
            i += 1
            continue
        j = i + 1
        if _is_word_char(ch):
            while j < n and _is_word_char(text[j]) and j not in cut:
                j += 1
            end = j
            while text[end - 1] in _JOINERS:  # nor ends one
                end -= 1
            out.append((i, end))
        elif not words_only:
            out.append((i, j))
        i = j
    return out
