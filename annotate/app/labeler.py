"""The span labeler component (Streamlit components v2) and the glue that turns its actions into edits.

The browser side (``components/labeler/``: plain HTML, CSS and JS, no build step) renders the document and
reports *actions* with UTF-16 offsets.  This module builds the data the component draws
(:func:`labeler_payload`), turns raw actions into typed ones with code-point offsets (:func:`parse_actions`)
and applies one to an annotation set with :mod:`annotate.annotation.editing` (:func:`apply_action`).  Only
:func:`labeler` touches Streamlit; everything else is pure and tested without a browser.

Components v2 (no iframe) is used as it exists in Streamlit 1.67: inline ``html``/``css``/``js`` strings read
from the package files (asset-dir paths work only for installed packages with a manifest), and
``isolate_styles=False`` so that the document's selection is the page's ``document.getSelection()`` (inside a
shadow root Chromium reports selections re-targeted to the host).  Styles are scoped by ``annot-`` classes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from ..annotation.editing import (
    EditContext,
    accept_suggestions,
    add_date,
    add_entity,
    add_event,
    delete_item,
    link_dates,
    pending_suggestions,
    reject_suggestions,
    set_entity_type,
    set_event_type,
    trim_span,
)
from ..errors import AnnotateError, InputError
from ..models import AnnotationSet, Document
from ..taxonomy import Taxonomy
from ..text.bidi import quote
from ..text.offsets import offset_map

__all__ = [
    "ActionOutcome",
    "LabelerAction",
    "apply_action",
    "labeler",
    "labeler_payload",
    "parse_actions",
    "take_actions",
    "text_direction",
]

RTL_LANGS = frozenset({"fa", "prs", "ar", "ps", "ur", "ckb", "he", "yi", "dv", "sd", "ug"})
DATE_COLOR = "#ffe08a"
EVENT_COLOR = "#ffadad"
ActionType = Literal["create", "set_type", "delete", "accept", "reject", "link", "select", "save", "undo", "redo"]
_TYPES: frozenset[str] = frozenset(ActionType.__args__)  # type: ignore[attr-defined]
_ASSETS = Path(__file__).parent / "components" / "labeler"


def text_direction(lang: str) -> Literal["rtl", "ltr"]:
    """``rtl`` for fa, prs, ar and other right-to-left languages (by primary subtag), else ``ltr``."""
    return "rtl" if lang.split("-")[0].lower() in RTL_LANGS else "ltr"


# --- data for the browser -----------------------------------------------------------------------------------


def _labels(taxonomy: Taxonomy) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [
        {"name": t.name, "label": t.label, "kind": "entity", "hotkey": t.hotkey, "color": t.color}
        for t in taxonomy.entity_types
    ]
    out += [
        {"name": t.name, "label": t.label, "kind": "event", "hotkey": t.hotkey, "color": EVENT_COLOR}
        for t in taxonomy.event_types
    ]
    out.append({"name": "DATE", "label": "Date", "kind": "date", "hotkey": taxonomy.date_hotkey,
                "color": DATE_COLOR})
    return out


def labeler_payload(
    document: Document,
    aset: AnnotationSet,
    taxonomy: Taxonomy,
    suggestions: AnnotationSet | None = None,
    *,
    ack: Mapping[str, int] | None = None,
    select: str | None = None,
    status: str | None = None,
) -> dict[str, Any]:
    """What the component draws: text, direction, labels and every mark with UTF-16 offsets.

    Engine suggestions still pending (see :func:`annotate.annotation.editing.pending_suggestions`) are included with
    ``suggestion: true`` so the browser draws them apart from the annotator's own marks.
    """
    om = offset_map(document.text)
    colors = {t.name: t.color for t in taxonomy.entity_types}
    label_of = {t.name: t.label for t in taxonomy.entity_types}
    label_of.update({t.name: t.label for t in taxonomy.event_types})
    marks: list[dict[str, Any]] = []

    def add(item_id: str, kind: str, label: str, start: int, end: int, color: str, suggestion: bool) -> None:
        s, e = om.span_to_utf16(start, end, field=item_id)
        marks.append({"id": item_id, "kind": kind, "label": label, "start": s, "end": e, "color": color,
                      "suggestion": suggestion})

    for m in aset.entities:
        add(m.id, "entity", m.type, m.start, m.end, colors.get(m.type, "#dddddd"), False)
    for d in aset.dates:
        add(d.id, "date", "DATE", d.start, d.end, DATE_COLOR, False)
    for ev in aset.events:
        add(ev.id, "event", ev.type, ev.trigger.start, ev.trigger.end, EVENT_COLOR, False)
    if suggestions is not None:
        pending = set(pending_suggestions(aset, suggestions))
        for m in suggestions.entities:
            if m.id in pending:
                add(m.id, "entity", m.type, m.start, m.end, colors.get(m.type, "#999999"), True)
        for d in suggestions.dates:
            if d.id in pending:
                add(d.id, "date", "DATE", d.start, d.end, "#c98a00", True)
        for ev in suggestions.events:
            if ev.id in pending:
                add(ev.id, "event", ev.type, ev.trigger.start, ev.trigger.end, "#d00000", True)
    for mk in marks:
        mk["label"] = label_of.get(mk["label"], "Date" if mk["kind"] == "date" else mk["label"])
    return {
        "doc_id": document.id,
        "lang": document.lang,
        "dir": text_direction(document.lang),
        "text": document.text,
        "labels": _labels(taxonomy),
        "marks": marks,
        "ack": dict(ack or {}),
        "select": select,
        "status": status,
    }


# --- actions from the browser -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelerAction:
    """One thing the annotator did, with offsets already in code points."""

    type: ActionType
    seq: int
    kind: str | None = None
    label: str | None = None
    start: int | None = None
    end: int | None = None
    id: str | None = None
    ids: list[str] | None = None
    source: str | None = None
    target: str | None = None


def parse_actions(
    payload: Any, document: Document, ack: Mapping[str, int]
) -> tuple[list[LabelerAction], dict[str, int]]:
    """Turn the component's trigger payload into new actions and the updated acknowledgement map.

    The browser resends every action Python has not acknowledged, so actions at or below ``ack[client]`` are
    skipped.  Actions for another document (a stale browser tab) are dropped.  Offsets are converted from
    UTF-16 to code points; a malformed payload raises :class:`InputError` naming the field.
    """
    new_ack = dict(ack)
    if payload is None:
        return [], new_ack
    if not isinstance(payload, dict):
        raise InputError(f"expected an object, got {type(payload).__name__}", where="labeler payload")
    client = payload.get("client")
    actions = payload.get("actions")
    if not isinstance(client, str) or not isinstance(actions, list):
        raise InputError("needs 'client' (text) and 'actions' (a list)", where="labeler payload")
    if payload.get("doc_id") != document.id:
        return [], new_ack
    om = offset_map(document.text)
    seen = new_ack.get(client, 0)
    out: list[LabelerAction] = []
    for i, raw in enumerate(actions):
        where = f"labeler actions[{i}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("seq"), int):
            raise InputError("each action is an object with an integer 'seq'", where=where)
        if raw["seq"] <= seen:
            continue
        if raw.get("type") not in _TYPES:
            raise InputError(f"unknown action type {raw.get('type')!r}", where=f"{where}.type")
        start = end = None
        if raw["type"] == "create":
            start, end = om.span_to_codepoints(raw.get("start"), raw.get("end"), field=where)  # type: ignore[arg-type]
        ids = raw.get("ids")
        if ids is not None and not (isinstance(ids, list) and all(isinstance(x, str) for x in ids)):
            raise InputError("must be a list of ids or null", where=f"{where}.ids")
        out.append(
            LabelerAction(
                type=raw["type"], seq=raw["seq"], kind=_opt_str(raw, "kind", where),
                label=_opt_str(raw, "label", where), start=start, end=end, id=_opt_str(raw, "id", where),
                ids=ids, source=_opt_str(raw, "source", where), target=_opt_str(raw, "target", where),
            )
        )
        seen = max(seen, raw["seq"])
    new_ack[client] = seen
    return out, new_ack


def _opt_str(raw: Mapping[str, Any], name: str, where: str) -> str | None:
    value = raw.get(name)
    if value is not None and not isinstance(value, str):
        raise InputError(f"must be text, got {value!r}", where=f"{where}.{name}")
    return value


@dataclass(frozen=True)
class ActionOutcome:
    """The set after an action, what to tell the annotator, which mark to select and whether to save."""

    aset: AnnotationSet
    message: str | None = None
    select: str | None = None
    save: bool = False
    error: bool = False
    removed: list[str] = field(default_factory=list)


def apply_action(
    ctx: EditContext, aset: AnnotationSet, action: LabelerAction, suggestions: AnnotationSet | None = None
) -> ActionOutcome:
    """Apply one labeler action with :mod:`annotate.annotation.editing`.

    An edit the model refuses leaves ``aset`` as it was and comes back as ``error=True`` with the message, so
    the app shows it next to the document instead of failing.
    """
    try:
        return _apply(ctx, aset, action, suggestions)
    except AnnotateError as exc:
        return ActionOutcome(aset, message=str(exc), error=True)


def _need(value: str | None, name: str) -> str:
    if value is None:
        raise InputError("is missing", where=name)
    return value


def _apply(
    ctx: EditContext, aset: AnnotationSet, a: LabelerAction, suggestions: AnnotationSet | None
) -> ActionOutcome:
    if a.type == "create":
        assert a.start is not None and a.end is not None
        s, e = trim_span(ctx.document.text, a.start, a.end)
        label = _need(a.label, "label")
        if a.kind == "entity":
            new = add_entity(ctx, aset, s, e, label)
            made = next(m.id for m in new.entities if (m.start, m.end) == (s, e))
        elif a.kind == "event":
            new = add_event(ctx, aset, s, e, label)
            made = next(x.id for x in new.events if (x.trigger.start, x.trigger.end) == (s, e))
        elif a.kind == "date":
            new = add_date(ctx, aset, s, e)
            made = next(d.id for d in new.dates if (d.start, d.end) == (s, e))
        else:
            raise InputError(f"unknown kind {a.kind!r}; use entity, event or date", where="kind")
        return ActionOutcome(new, message=f"{label} {quote(ctx.document.text[s:e])}", select=made)
    if a.type == "set_type":
        item = _need(a.id, "id")
        label = _need(a.label, "label")
        if any(ev.id == item for ev in aset.events):
            return ActionOutcome(set_event_type(ctx, aset, item, label), select=item)
        return ActionOutcome(set_entity_type(ctx, aset, item, label), select=item)
    if a.type == "delete":
        res = delete_item(ctx, aset, _need(a.id, "id"))
        msg = "deleted" + (" with " + ", ".join(res.removed) if res.removed else "")
        return ActionOutcome(res.aset, message=msg, removed=res.removed)
    if a.type in ("accept", "reject"):
        if suggestions is None:
            raise InputError("there are no engine suggestions for this document", where="ids")
        if a.type == "reject":
            return ActionOutcome(reject_suggestions(ctx, aset, a.ids or []), message="suggestion rejected")
        acc = accept_suggestions(ctx, aset, suggestions, a.ids)
        first = acc.ids.get(a.ids[0]) if a.ids else None
        return ActionOutcome(acc.aset, message=f"accepted {len(a.ids) if a.ids else 'all'}", select=first)
    if a.type == "link":
        new = link_dates(ctx, aset, _need(a.source, "source"), _need(a.target, "target"))
        link = new.links[-1]
        msg = "linked: consistent" if link.consistent else f"linked: INCONSISTENT ({link.reason})"
        return ActionOutcome(new, message=msg)
    if a.type == "select":
        return ActionOutcome(aset, select=a.id)
    if a.type == "save":
        return ActionOutcome(aset, save=True, message="saving…")
    # undo and redo need the workspace's history: annotate.annotation.workspace.apply handles them.
    raise InputError(f"{a.type} is applied by the workspace, not to a bare annotation set", where="type")


# --- the Streamlit component --------------------------------------------------------------------------------


@cache
def _component() -> Any:
    import streamlit as st

    return st.components.v2.component(
        "annotate.labeler",
        html=_read_asset("labeler.html"),
        css=_read_asset("labeler.css"),
        js=_read_asset("labeler.js"),
        isolate_styles=False,
    )


def _read_asset(name: str) -> str:
    return (_ASSETS / name).read_text(encoding="utf-8")


def take_actions(key: str = "labeler") -> list[LabelerAction]:
    """The actions taken since the last run, oldest first, with code-point offsets; empties the queue.

    Call it BEFORE :func:`labeler` in the same run, apply the actions, then draw the labeler with the result:
    the component's callback has already read them, before the script body started.
    """
    import streamlit as st

    actions: list[LabelerAction] = st.session_state.get(f"_{key}_queue", [])
    st.session_state[f"_{key}_queue"] = []
    return actions


def labeler(
    document: Document,
    aset: AnnotationSet,
    taxonomy: Taxonomy,
    suggestions: AnnotationSet | None = None,
    *,
    key: str = "labeler",
    select: str | None = None,
    status: str | None = None,
) -> None:
    """Draw the labeler for ``aset`` and the pending ``suggestions``; read actions with :func:`take_actions`.

    Actions are parsed in the component's callback, before the next script body runs, so the acknowledgement
    sent back with that run already covers them and the browser stops resending them.
    """
    import streamlit as st

    ack_key, queue_key, err_key = f"_{key}_ack", f"_{key}_queue", f"_{key}_error"
    state = st.session_state
    if ack_key not in state:
        state[ack_key] = {}
    if queue_key not in state:
        state[queue_key] = []

    def on_actions() -> None:
        payload = (state.get(key) or {}).get("actions")
        try:
            actions, state[ack_key] = parse_actions(payload, document, state[ack_key])
        except InputError as exc:
            state[err_key] = str(exc)
            return
        state[queue_key] = [*state[queue_key], *actions]

    _component()(
        key=key,
        data=labeler_payload(document, aset, taxonomy, suggestions, ack=state[ack_key], select=select,
                             status=status or state.pop(err_key, None)),
        on_actions_change=on_actions,
    )
