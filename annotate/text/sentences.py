"""Sentences of fa / prs / ar text as ``[start, end)`` code-point spans of the frozen text.

A sentence ends at a line break or after a run of sentence punctuation (``.`` ``!`` ``?`` ``؟`` ``؛`` ``۔`` ``…``)
with the closing quotes and brackets that follow it (``».``, ``؟»``), when white space or the end of the text comes
next. So a dot inside a number or a date (``۲۳.۵``, ``1402.06.15``, ``3.5``) or an address never ends a sentence.
``protected`` spans (entities, dates) are never cut: a boundary inside one is skipped. Spans are trimmed of white
space; empty pieces are dropped.

Used by the ``entities`` export config (one row per sentence, with document offsets).
"""

from __future__ import annotations

from collections.abc import Iterable

TERMINALS = frozenset(".!?\u061f\u061b\u06d4\u2026")
"""Sentence punctuation: full stop, ``!``, ``?``, Arabic question mark ؟, Arabic semicolon ؛, Urdu full stop ۔, …"""
_CLOSERS = frozenset("\u00bb\u201d\u2019\"')]}\u203a")


def _boundaries(text: str) -> list[int]:
    """Offsets after which a sentence ends (before protection is applied)."""
    out: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            out.append(i)
            i += 1
            continue
        if ch not in TERMINALS:
            i += 1
            continue
        j = i + 1
        while j < n and text[j] in TERMINALS:
            j += 1
        while j < n and text[j] in _CLOSERS:
            j += 1
        if j == n or text[j].isspace():
            out.append(j)
        i = j
    return out


def sentence_spans(text: str, protected: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Sentence spans of ``text``, never cutting inside a ``protected`` ``(start, end)`` span."""
    guarded = sorted(protected)
    cuts = [b for b in _boundaries(text) if not any(s < b < e for s, e in guarded)]
    out: list[tuple[int, int]] = []
    start = 0
    for cut in [*cuts, len(text)]:
        s, e = start, cut
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
        start = cut
    return out
