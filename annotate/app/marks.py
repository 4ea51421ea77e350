"""The adjudication panes (Streamlit components v2): the annotators' versions and gold side by side.

The core (:mod:`annotate.curation.adjudication`) says which spans to mark, what state or provenance each has and
where the difference under decision sits; this module turns that into the data the browser side
(``components/adjudication/``: plain HTML, CSS and JS, no build step) draws with UTF-16 offsets, and parses the
decisions it reports (one key each: next, previous, take a side, both, reject).  Applying a decision is the
core's job.  Only :func:`panes` and :func:`take_pane_actions` touch Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ..curation.adjudication import Mark, annotator_marks, gold_marks
from ..curation.comparison import SetsDiff
from ..errors import InputError
from ..models import GOLD_AUTHOR, AnnotationSet, Document
from ..text.offsets import offset_map
from .labeler import asset_component, text_direction

__all__ = [
    "KIND_NAMES",
    "PaneAction",
    "pane_keys",
    "panes",
    "panes_payload",
    "parse_pane_actions",
    "take_pane_actions",
]


KIND_NAMES: dict[str, str] = {
    "agreed": "agreed by all",
    "undecided": "undecided",
    "accepted": "accepted",
    "rejected": "rejected",
    "auto": "gold: auto-merged",
    "curator": "gold: the curator's",
}
"""What each mark colour means, for the legend under the panes (CSS classes ``k-<kind>`` in ``panes.css``)."""

PaneActionType = Literal["next", "prev", "goto", "take", "both", "reject"]
_TYPES: frozenset[str] = frozenset(PaneActionType.__args__)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class PaneAction:
    """One decision key (or click) in the panes: on which difference, and for ``take`` whose version."""

    type: PaneActionType
    seq: int
    group: str | None = None
    side: str | None = None


def pane_keys(annotators: Sequence[str]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """The key that takes each annotator's version: ``(shown, physical key codes)``.

    Digits 1-9 in pane order; with two annotators also the arrow pointing at the pane (← the left one, → the
    right one).
    """
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for i, name in enumerate(annotators[:9]):
        codes: tuple[str, ...] = (f"Digit{i + 1}", f"Numpad{i + 1}")
        shown = str(i + 1)
        if len(annotators) == 2:
            arrow, code = ("←", "ArrowLeft") if i == 0 else ("→", "ArrowRight")
            codes, shown = (code, *codes), f"{arrow} or {i + 1}"
        out[name] = (shown, codes)
    return out


def _marks(om: Any, marks: Sequence[Mark]) -> list[dict[str, Any]]:
    out = []
    for m in marks:
        s, e = om.span_to_utf16(m.start, m.end, field="mark")
        out.append({"start": s, "end": e, "label": m.label, "kind": m.kind, "group": m.group})
    return out


def panes_payload(
    document: Document,
    diff: SetsDiff,
    gold: AnnotationSet | None,
    *,
    focus: Sequence[tuple[int, int]] = (),
    current: str | None = None,
    keys: bool = True,
    ack: Mapping[str, int] | None = None,
    status: str | None = None,
    height: int = 420,
    gold_pane: bool = True,
) -> dict[str, Any]:
    """What the panes draw: text, direction, one pane per annotator (marks by their state against ``gold``) and,
    with ``gold_pane``, one for gold; the focus spans of the difference under decision; whether decision keys
    are on."""
    om = offset_map(document.text)
    shortcut = pane_keys(diff.annotators)
    panes: list[dict[str, Any]] = [
        {"name": name, "title": name, "key": shortcut[name][0] if keys and name in shortcut else None,
         "codes": list(shortcut[name][1]) if keys and name in shortcut else [], "gold": False,
         "marks": _marks(om, annotator_marks(diff, name, gold))}
        for name in diff.annotators
    ]
    if gold is not None and gold_pane:
        panes.append({"name": GOLD_AUTHOR, "title": "gold (working copy)", "key": None, "codes": [], "gold": True,
                      "marks": _marks(om, gold_marks(gold, diff))})
    return {
        "doc_id": document.id,
        "lang": document.lang,
        "dir": text_direction(document.lang),
        "text": document.text,
        "panes": panes,
        "focus": [list(om.span_to_utf16(s, e, field="focus")) for s, e in focus],
        "current": current,
        "keys": keys,
        "ack": dict(ack or {}),
        "status": status,
        "height": height,
        "legend": [[k, v] for k, v in KIND_NAMES.items()
                   if (gold is not None and gold_pane) or k not in ("auto", "curator")],
    }


def parse_pane_actions(
    payload: Any, document: Document, annotators: Sequence[str], ack: Mapping[str, int]
) -> tuple[list[PaneAction], dict[str, int]]:
    """The new actions of a trigger payload and the updated acknowledgement map.

    The browser resends every action not acknowledged yet, so actions at or below ``ack[client]`` are skipped;
    actions for another document (a stale tab) are dropped.  A malformed payload raises :class:`InputError`.
    """
    new_ack = dict(ack)
    if payload is None:
        return [], new_ack
    if not isinstance(payload, dict) or not isinstance(payload.get("client"), str) \
            or not isinstance(payload.get("actions"), list):
        raise InputError("needs 'client' (text) and 'actions' (a list)", where="panes payload")
    if payload.get("doc_id") != document.id:
        return [], new_ack
    client: str = payload["client"]
    seen = new_ack.get(client, 0)
    out: list[PaneAction] = []
    for i, raw in enumerate(payload["actions"]):
        where = f"panes actions[{i}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("seq"), int):
            raise InputError("each action is an object with an integer 'seq'", where=where)
        if raw["seq"] <= seen:
            continue
        if raw.get("type") not in _TYPES:
            raise InputError(f"unknown action type {raw.get('type')!r}", where=f"{where}.type")
        group, side = raw.get("group"), raw.get("side")
        if group is not None and not isinstance(group, str):
            raise InputError(f"must be text, got {group!r}", where=f"{where}.group")
        if raw["type"] == "take" and side not in annotators:
            raise InputError(f"{side!r} is not one of the annotators ({', '.join(annotators)})", where=f"{where}.side")
        out.append(PaneAction(type=raw["type"], seq=raw["seq"], group=group, side=side))
        seen = max(seen, raw["seq"])
    new_ack[client] = seen
    return out, new_ack


# --- the Streamlit component --------------------------------------------------------------------------------


def _component() -> Any:
    return asset_component("adjudication_panes", "adjudication", "panes")


def take_pane_actions(key: str) -> list[PaneAction]:
    """The decisions taken since the last run, oldest first; empties the queue.  Call it BEFORE :func:`panes`."""
    import streamlit as st

    actions: list[PaneAction] = st.session_state.get(f"_{key}_queue", [])
    st.session_state[f"_{key}_queue"] = []
    return actions


def panes(
    document: Document,
    diff: SetsDiff,
    gold: AnnotationSet | None,
    *,
    key: str,
    focus: Sequence[tuple[int, int]] = (),
    current: str | None = None,
    keys: bool = True,
    status: str | None = None,
    height: int = 420,
    gold_pane: bool = True,
) -> None:
    """Draw the panes; read what the curator decided with :func:`take_pane_actions` on the next run."""
    import streamlit as st

    ack_key, queue_key, err_key = f"_{key}_ack", f"_{key}_queue", f"_{key}_error"
    state = st.session_state
    state.setdefault(ack_key, {})
    state.setdefault(queue_key, [])

    def on_actions() -> None:
        payload = (state.get(key) or {}).get("actions")
        try:
            actions, state[ack_key] = parse_pane_actions(payload, document, diff.annotators, state[ack_key])
        except InputError as exc:
            state[err_key] = str(exc)
            return
        state[queue_key] = [*state[queue_key], *actions]

    _component()(
        key=key,
        data=panes_payload(document, diff, gold, focus=focus, current=current, keys=keys, ack=state[ack_key],
                           status=status or state.pop(err_key, None), height=height, gold_pane=gold_pane),
        on_actions_change=on_actions,
    )
