"""Adjudication marks drawn as HTML: the document text escaped, each marked span coloured by its kind.

The core (:mod:`annotate.curation.adjudication`) says which spans to mark and what kind each is; this module
only draws them.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence

from ..curation.adjudication import Mark

MARK_COLOURS: dict[str, str] = {
    "agreed": "#c8e6c9",
    "partial": "#fff59d",
    "conflict": "#ffab91",
    "auto": "#c8e6c9",
    "accepted": "#bbdefb",
    "edited": "#e1bee7",
}
"""Background colour of each kind of highlighted span (diff kinds for annotators, provenance for gold)."""

_SEVERITY = ("agreed", "auto", "accepted", "edited", "partial", "conflict")


def marked_html(text: str, marks: Sequence[Mark]) -> str:
    """``text`` as escaped HTML with ``marks`` highlighted (overlaps show the most severe kind).

    Every piece of document text goes through :func:`html.escape`, so the result is safe to render.
    """
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    parts = []
    for s, e in itertools.pairwise(cuts):
        if s >= e:
            continue
        piece = html.escape(text[s:e])
        over = [m for m in marks if m.start <= s and e <= m.end]
        if not over:
            parts.append(piece)
            continue
        kind = max((m.kind for m in over), key=lambda k: _SEVERITY.index(k) if k in _SEVERITY else 0)
        title = html.escape("; ".join(dict.fromkeys(m.label for m in over)), quote=True)
        colour = MARK_COLOURS.get(kind, "#eeeeee")
        parts.append(f'<mark title="{title}" style="background:{colour};padding:0 1px">{piece}</mark>')
    style = "white-space:pre-wrap;line-height:2;unicode-bidi:plaintext"
    return f'<div dir="auto" style="{style}">' + "".join(parts) + "</div>"
