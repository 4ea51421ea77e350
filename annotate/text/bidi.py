"""Document text inside interface strings: quoted and bidi-isolated.

A right-to-left word inside a left-to-right message (``GPE «بغداد» [10, 15)``) is reordered with its neighbours by
the Unicode bidi algorithm: the closing guillemet and the numbers after it join the Arabic run and the line reads
mirrored.  Wrapping the word in FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE (U+2068 / U+2069) makes it one
neutral unit for the surrounding line, in any direction, while its own letters keep their order and joining.
The isolates are invisible; they are added only to messages, never to document text or stored values.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["FSI", "PDI", "isolate_rtl", "quote"]

FSI: Final = "\u2068"
PDI: Final = "\u2069"


def quote(text: str) -> str:
    """``text`` between guillemets, isolated: ``«`` FSI text PDI ``»``."""
    return f"«{FSI}{text}{PDI}»"


_RTL: Final = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff"
_DIGITS: Final = "0-9\u06f0-\u06f9\u0660-\u0669"
_RTL_RUN: Final = re.compile(rf"(?:[{_DIGITS}]+[ \u200c])?[{_RTL}](?:[{_RTL}{_DIGITS} \u200c]*[{_RTL}{_DIGITS}])?")
"""A right-to-left phrase with the numbers that belong to it (``1 شوال 1446``, ``10 بهمن 1398``)."""


def isolate_rtl(message: str) -> str:
    """``message`` (a left-to-right interface string) with each right-to-left phrase in it isolated, so that a
    date such as ``1 شوال 1446`` inside an English sentence keeps its own order and does not pull the words and
    numbers around it into its run."""
    return _RTL_RUN.sub(lambda m: f"{FSI}{m.group()}{PDI}", message)
