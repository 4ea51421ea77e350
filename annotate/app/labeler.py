"""The span labeler component (Streamlit components v2): the data it draws, and the actions it reports.

The browser side (``components/labeler/``: plain HTML, CSS and JS, no build step) renders the document and
reports *actions* with UTF-16 offsets.  This module builds the data the component draws
(:func:`labeler_payload`) and queues the actions its callback parses with
:func:`annotate.annotation.actions.parse_actions` (:func:`take_actions`); applying them is the core's job
(:func:`annotate.annotation.actions.apply_action`).  Only :func:`labeler` and :func:`take_actions` touch
Streamlit.

Components v2 (no iframe) is used as it exists in Streamlit 1.67: inline ``html``/``css``/``js`` strings read
from the package files (asset-dir paths work only for installed packages with a manifest), and
``isolate_styles=False`` so that the document's selection is the page's ``document.getSelection()`` (inside a
shadow root Chromium reports selections re-targeted to the host).  Styles are scoped by ``annot-`` classes.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

from ..annotation.actions import LabelerAction, parse_actions
from ..annotation.editing import pending_suggestions
from ..errors import InputError
from ..models import AnnotationSet, Document
from ..taxonomy import Taxonomy
from ..text.offsets import offset_map

__all__ = ["KEYBOARD", "keyboard_help", "labeler", "labeler_payload", "take_actions", "text_direction"]

RTL_LANGS = frozenset({"fa", "prs", "ar", "ps", "ur", "ckb", "he", "yi", "dv", "sd", "ug"})
DATE_COLOR = "#ffe08a"
EVENT_COLOR = "#ffadad"
_ASSETS = Path(__file__).parent / "components" / "labeler"


KEYBOARD: tuple[tuple[str, str], ...] = (
    ("select text, then a label key", "create a mention (the label keys are listed below)"),
    ("shift + arrows, Home, End (ctrl: by word)", "select with the keyboard"),
    ("click a mark", "select it (click again to cycle through overlapping marks)"),
    ("a label key on a selected mark", "change its type (an entity to another entity, an event to another event)"),
    ("Delete / Backspace", "delete the selected mark (rejects a suggestion)"),
    ("j / Tab", "next mark"),
    ("k / shift+Tab", "previous mark"),
    ("a / r", "accept / reject the selected suggestion (dashed underline: dates, entities, triggers)"),
    ("A", "accept all suggestions"),
    ("L, or l on a selected date", "link the last two selected dates same_date (l on selected text is the "
     "label whose key is l, if there is one)"),
    ("Escape", "clear the selection"),
    ("ctrl + s", "save"),
    ("ctrl + z; ctrl + shift + z or ctrl + y", "undo; redo (every edit of this session, also across a save)"),
    ("?", "show or hide this help inside the labeler"),
)
"""The labeler's own keys, as ``components/labeler/labeler.js`` handles them (a test keeps the two together)."""


def keyboard_help(taxonomy: Taxonomy) -> list[tuple[str, str]]:
    """Every key of the labeler and what it does: :data:`KEYBOARD`, then the taxonomy's label keys."""
    rows = list(KEYBOARD)
    rows += [(t.hotkey, f"entity {t.name}: {t.label}") for t in taxonomy.entity_types if t.hotkey]
    rows += [(t.hotkey, f"event {t.name}: {t.label}") for t in taxonomy.event_types if t.hotkey]
    rows.append((taxonomy.date_hotkey, "date"))
    return rows


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
        "help": keyboard_help(taxonomy),
        "marks": marks,
        "ack": dict(ack or {}),
        "select": select,
        "status": status,
    }


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
