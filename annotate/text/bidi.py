"""Document text inside interface strings: quoted and bidi-isolated.

A right-to-left word inside a left-to-right message (``GPE «بغداد» [10, 15)``) is reordered with its neighbours by
the Unicode bidi algorithm: the closing guillemet and the numbers after it join the Arabic run and the line reads
mirrored.  Wrapping the word in FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE (U+2068 / U+2069) makes it one
neutral unit for the surrounding line, in any direction, while its own letters keep their order and joining.
The isolates are invisible; they are added only to messages, never to document text or stored values.
"""

from __future__ import annotations

from typing import Final

__all__ = ["FSI", "PDI", "quote"]

FSI: Final = "\u2068"
PDI: Final = "\u2069"


def quote(text: str) -> str:
    """``text`` between guillemets, isolated: ``«`` FSI text PDI ``»``."""
    return f"«{FSI}{text}{PDI}»"
