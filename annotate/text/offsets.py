"""Convert offsets between Python code points and the browser's UTF-16 code units.

Stored offsets are Python code points (what ``len`` and slicing count).  A browser counts UTF-16 code units,
so every character outside the Basic Multilingual Plane (emoji, some rare CJK, mathematical letters) counts
twice there.  Arabic, Persian, ZWNJ and every other BMP character count once in both.

An :class:`OffsetMap` indexes a text once (O(n), and nothing at all when the text is all-BMP) and then
converts each offset in O(log n) with a binary search over the positions of astral characters.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

from ..errors import InputError

__all__ = ["OffsetMap", "codepoints_to_utf16", "offset_map", "utf16_to_codepoints"]


class OffsetMap:
    """Both-way offset conversion for one text.

    ``to_utf16(cp)`` turns a code-point offset into a UTF-16 offset; ``to_codepoint(u)`` does the reverse and
    refuses a UTF-16 offset that falls between the two halves of a surrogate pair.  Offsets are boundaries, so
    ``0`` and the text length are both valid.
    """

    __slots__ = ("_astral_cp", "_astral_u16", "length", "utf16_length")

    def __init__(self, text: str) -> None:
        self.length = len(text)
        # Code-point index of every astral character, and where each one starts in UTF-16 units.
        self._astral_cp: list[int] = []
        if text and max(text) > "\uffff":
            self._astral_cp = [i for i, ch in enumerate(text) if ch > "\uffff"]
        self._astral_u16: list[int] = [cp + k for k, cp in enumerate(self._astral_cp)]
        self.utf16_length = self.length + len(self._astral_cp)

    @property
    def all_bmp(self) -> bool:
        """True when both units agree everywhere (no character outside the BMP)."""
        return not self._astral_cp

    def to_utf16(self, offset: int, *, field: str = "offset") -> int:
        """The UTF-16 offset of code-point boundary ``offset``; ``field`` names the value in errors."""
        _check_int(offset, field)
        if not 0 <= offset <= self.length:
            raise InputError(
                f"code-point offset {offset} is outside the text (0..{self.length})",
                where=field,
                hint="offsets are boundaries between characters, from 0 to the text length",
            )
        if not self._astral_cp:
            return offset
        return offset + bisect_left(self._astral_cp, offset)

    def to_codepoint(self, offset: int, *, field: str = "offset") -> int:
        """The code-point offset of UTF-16 boundary ``offset``; refuses the middle of a surrogate pair."""
        _check_int(offset, field)
        if not 0 <= offset <= self.utf16_length:
            raise InputError(
                f"UTF-16 offset {offset} is outside the text (0..{self.utf16_length} code units)",
                where=field,
                hint="the browser sent an offset for a different or longer text; reload the document",
            )
        if not self._astral_u16:
            return offset
        k = bisect_left(self._astral_u16, offset)
        if k > 0 and self._astral_u16[k - 1] + 1 == offset:
            cp = self._astral_cp[k - 1]
            raise InputError(
                f"UTF-16 offset {offset} falls inside the surrogate pair of the character at code point {cp}",
                where=field,
                hint="extend the selection to cover the whole character (emoji and other non-BMP characters "
                "take two UTF-16 units)",
            )
        return offset - k

    def span_to_utf16(self, start: int, end: int, *, field: str = "span") -> tuple[int, int]:
        """Convert a code-point span ``[start, end)`` to UTF-16 units."""
        return self.to_utf16(start, field=f"{field}.start"), self.to_utf16(end, field=f"{field}.end")

    def span_to_codepoints(self, start: int, end: int, *, field: str = "span") -> tuple[int, int]:
        """Convert a UTF-16 span ``[start, end)`` to code points."""
        return self.to_codepoint(start, field=f"{field}.start"), self.to_codepoint(end, field=f"{field}.end")


def _check_int(offset: object, field: str) -> None:
    # bool is an int subclass; a JSON true/false from the browser is a bug, not an offset.
    if not isinstance(offset, int) or isinstance(offset, bool):
        raise InputError(f"offset must be an integer, got {offset!r}", where=field)


@lru_cache(maxsize=64)
def offset_map(text: str) -> OffsetMap:
    """The (cached) :class:`OffsetMap` of ``text``; the app converts many offsets of the same document."""
    return OffsetMap(text)


def codepoints_to_utf16(text: str, offset: int, *, field: str = "offset") -> int:
    """Convert one code-point offset of ``text`` to UTF-16 units."""
    return offset_map(text).to_utf16(offset, field=field)


def utf16_to_codepoints(text: str, offset: int, *, field: str = "offset") -> int:
    """Convert one UTF-16 offset of ``text`` to code points (InputError inside a surrogate pair)."""
    return offset_map(text).to_codepoint(offset, field=field)
