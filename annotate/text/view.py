"""A matching view of frozen document text, with an offset map back to the original code points.

Document text is never changed (see :func:`annotate.models.freeze_text`).  Matchers work on a *view* of it in which
spelling variants that do not change meaning collapse to one form, and every match is mapped back to the frozen
text so that ``text[start:end]`` is exactly what was matched:

* digits: Persian ``۰-۹`` and Arabic-Indic ``٠-٩`` become ASCII ``0-9``;
* letters: Arabic ``ي``/``ى`` become Persian ``ی``, ``ك`` becomes ``ک``, ``أ إ آ ٱ`` become ``ا``, ``ة`` and ``ۀ``
  become ``ه``;
* spaces: NBSP, thin spaces and tabs become an ASCII space; ZWNJ is kept (patterns treat it as an optional
  separator, ``[ \u200c]?``: ``دی‌ماه`` / ``دی ماه`` / ``دیماه``, while ``می‌کنند`` stays one word);
* dropped: tatweel, Arabic diacritics (including the ezafe hamza of ``ژانویهٔ``), RLM/LRM/ALM and other
  bidirectional controls, ZWJ, zero-width space.

Substitutions are one code point for one code point (``str.replace``); only the dropped characters shift
offsets, and those shifts are recorded as a short list of breakpoints, so building a view costs two C-level passes
over the text and mapping an offset back is a binary search.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache
from typing import Final

__all__ = ["SEP", "TextView", "fold_table", "normalize", "squeeze", "variants"]

SEP: Final = "[ \u200c]?"
"""Regex for an optional separator between two parts of a word or phrase: a space, a ZWNJ or nothing."""

_ONE_FOR_ONE: Final[dict[int, str]] = {
    **{0x06F0 + i: str(i) for i in range(10)},  # Persian digits
    **{0x0660 + i: str(i) for i in range(10)},  # Arabic-Indic digits
    0x064A: "ی",  # ARABIC LETTER YEH
    0x0649: "ی",  # ARABIC LETTER ALEF MAKSURA
    0x0643: "ک",  # ARABIC LETTER KAF
    0x06AA: "ک",  # SWASH KAF
    0x0623: "ا",  # ALEF WITH HAMZA ABOVE
    0x0625: "ا",  # ALEF WITH HAMZA BELOW
    0x0622: "ا",  # ALEF WITH MADDA ABOVE
    0x0671: "ا",  # ALEF WASLA
    0x0629: "ه",  # TEH MARBUTA
    0x06C0: "ه",  # HEH WITH YEH ABOVE (ezafe)
    0x00A0: " ",
    0x202F: " ",
    0x2009: " ",
    0x2002: " ",
    0x2003: " ",
    0x0009: " ",
}
_PAIRS: Final = tuple((chr(k), v) for k, v in _ONE_FOR_ONE.items())


def _map_one_for_one(text: str) -> str:
    # A chain of str.replace, skipping characters the text lacks, runs ~15x faster than str.translate with a
    # dict on Persian/Arabic text: both are C loops, but translate looks every character up in the dict.
    for old, new in _PAIRS:
        if old in text:
            text = text.replace(old, new)
    return text

_DROPPED: Final[str] = (
    "\u0640"  # tatweel
    "\u064b-\u065f\u0670"  # harakat, hamza above/below, superscript alef
    "\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"  # Quranic annotation marks
    "\u200b\u200d\u200e\u200f\u061c"  # ZWSP, ZWJ, LRM, RLM, ALM
    "\u202a-\u202e\u2066-\u2069\ufeff"  # embeddings, isolates, stray BOM
)
_DROP_RE: Final = re.compile(f"[{_DROPPED}]+")
_COMBINING_RE: Final = re.compile("[\u0640\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]*")
_COMBINING: Final = frozenset(
    chr(c)
    for c in [0x640, *range(0x64B, 0x660), 0x670, *range(0x6D6, 0x6DD), *range(0x6DF, 0x6E9), *range(0x6EA, 0x6EE)]
)
"""The characters ``_COMBINING_RE`` matches, for a set lookup before the regex call."""


def normalize(text: str) -> str:
    """The matching form of ``text`` (no offset map): what lexicon entries are compiled from."""
    return _DROP_RE.sub("", _map_one_for_one(text))


def fold_table() -> dict[str, str]:
    """Every character the view changes, with what it becomes (``""`` when dropped), for matchers outside Python.

    The labeler's in-text search builds the same view in the browser from this table, so that both fold alike.
    """
    return dict(_fold_items())


@cache
def _fold_items() -> tuple[tuple[str, str], ...]:
    dropped = ((chr(c), "") for c in range(0x10000) if _DROP_RE.fullmatch(chr(c)))
    return (*((chr(k), v) for k, v in _ONE_FOR_ONE.items()), *dropped)


_FOLDED_WITH: Final[dict[str, str]] = {}
for _code, _target in _ONE_FOR_ONE.items():
    _FOLDED_WITH[_target] = _FOLDED_WITH.get(_target, _target) + chr(_code)


def variants(ch: str) -> str:
    """Every character the matching view folds together with ``ch``, ``ch`` first: ``ی`` → ``یيى``, ``1`` →
    ``1۱١``; Latin letters in both cases; a space or ZWNJ → both.  For searches that cannot run :func:`normalize`
    over the searched text (a database query builds a character class from it)."""
    if ch in (" ", "\u200c"):
        return ch + (" " if ch != " " else "\u200c") + "\u00a0"
    folded = _FOLDED_WITH.get(_ONE_FOR_ONE.get(ord(ch), ch), ch)
    cases = ch.lower() + ch.upper() if ch.lower() != ch.upper() else ""
    return "".join(dict.fromkeys(ch + cases + folded))


def squeeze(text: str) -> str:
    """``text`` without spaces and ZWNJ: the lookup key of a matched phrase whose separators are optional."""
    return text.replace(" ", "").replace("\u200c", "")


class TextView:
    """The matching form of a frozen text and the map from its offsets back to the original's.

    ``view.text`` is what patterns run on; :meth:`span` turns a half-open ``[start, end)`` of the view into the
    half-open span of the original that covers the same characters (plus any tatweel or combining marks attached to the
    last one, so a span never splits a letter from its diacritics).
    """

    __slots__ = ("_breaks", "_shifts", "original", "text")

    def __init__(self, original: str) -> None:
        self.original = original
        mapped = _map_one_for_one(original)
        breaks = [0]
        shifts = [0]
        dropped = 0
        pieces: list[str] = []
        last = 0
        for m in _DROP_RE.finditer(mapped):
            s, e = m.span()
            pieces.append(mapped[last:s])
            dropped += e - s
            breaks.append(e - dropped)  # view offset of the first kept character after the run
            shifts.append(dropped)
            last = e
        if len(breaks) == 1:
            self.text = mapped
        else:
            pieces.append(mapped[last:])
            self.text = "".join(pieces)
        self._breaks = breaks
        self._shifts = shifts

    def start(self, pos: int) -> int:
        """Original offset of the character at view offset ``pos`` (or the original's end for ``len(view)``)."""
        return pos + self._shifts[bisect_right(self._breaks, pos) - 1]

    def end(self, pos: int) -> int:
        """Original end offset for a view span ending at ``pos`` (exclusive), keeping trailing combining marks."""
        if pos <= 0:
            return 0
        after_last = self.start(pos - 1) + 1
        if self.original[after_last:after_last + 1] not in _COMBINING:
            return after_last  # the common case, without a regex call
        m = _COMBINING_RE.match(self.original, after_last)
        return m.end() if m else after_last

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map the view span ``[start, end)`` to the original text."""
        return self.start(start), self.end(end)
