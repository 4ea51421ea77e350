"""What is still unfinished in an annotation set: the list an annotator confirms before submitting.

Four kinds, in this order:

* ``link``: a ``same_date`` link the date engine finds inconsistent, with no note saying why it stays (a comment
  on the link, or a note or comment on one of its dates; guidelines §6.3: link anyway and record the problem);
* ``role``: an event whose type has a ``required`` role nobody fills (the annotator confirms when the text
  does not name it);
* ``date``: a date mention without a Gregorian value;
* ``suggestions``: engine suggestions neither accepted nor rejected.

Nothing here refuses a submit; :func:`annotate.annotation.workspace.submit` asks for confirmation when the list
is not empty.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from ..models import AnnotationSet
from ..taxonomy import Taxonomy
from ..text.bidi import quote
from .editing import pending_suggestions

__all__ = ["Unfinished", "unfinished"]


@dataclass(frozen=True)
class Unfinished:
    """One unfinished thing: its kind, the mark to go to (a link's first date; None for the suggestions), and what
    to tell."""

    kind: Literal["link", "role", "date", "suggestions"]
    item: str | None
    message: str


def unfinished(
    aset: AnnotationSet,
    taxonomy: Taxonomy,
    suggestions: AnnotationSet | None = None,
    noted: Collection[str] = (),
) -> list[Unfinished]:
    """The unfinished things of ``aset``; ``noted`` holds the ids of marks and links that carry a comment."""
    out: list[Unfinished] = []
    dates = {d.id: d for d in aset.dates}
    for link in aset.links:
        if link.consistent:
            continue
        ends = [dates[i] for i in (link.source, link.target) if i in dates]
        if link.id in noted or any(d.note or d.id in noted for d in ends):
            continue
        names = " = ".join(quote(d.text) for d in ends)
        # Go to its first date: the date's panel takes a note, and the links list is beside it.
        out.append(Unfinished("link", link.source, f"link {names} is inconsistent ({link.reason or 'no reason given'}) "
                                               "and has no note saying why it stays"))
    for ev in aset.events:
        et = taxonomy.event_type(ev.type)
        if et is None:
            continue
        filled = {a.role for a in ev.arguments}
        missing = [r for r in et.required_roles() if r not in filled]
        if missing:
            out.append(Unfinished("role", ev.id, f"{ev.type} {quote(ev.trigger.text)} has no "
                                                 f"{' and no '.join(missing)}"))
    for d in aset.dates:
        if d.gregorian_start is None:
            out.append(Unfinished("date", d.id, f"DATE {quote(d.text)} has no value ({d.gregorian_label()})"))
    if suggestions is not None:
        n = len(pending_suggestions(aset, suggestions))
        if n:
            out.append(Unfinished("suggestions", None, f"{n} suggestion{'s are' if n > 1 else ' is'} neither "
                                                       "accepted nor rejected"))
    return out
