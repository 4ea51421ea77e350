"""Panels of every page that edits a workspace with the labeler (an annotator's set on the Annotate page, the gold
set on the Adjudicate page): for the mark selected in the labeler, a date's value, flags and note, an event's
type and arguments; undo and redo; the set's date links with their verdicts and notes; notes on marks and links;
and the list of what is unfinished, confirmed before a submit or a save as gold.

Every change goes through ``do(workspace.edit, operation, *args)``, the page's way of running a workspace
operation and keeping the result.  Widget keys start with ``key`` so that two pages' panels never share state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import streamlit as st

from ..annotation import editing, panel, workspace
from ..annotation.comments import comment_label
from ..annotation.completeness import Unfinished
from ..annotation.workspace import Workspace
from ..models import (
    COMMENT_MAX,
    EVENT_ATTRIBUTES,
    LEXICONS,
    Calendar,
    Comment,
    CommentKind,
    CommentStatus,
    DateLink,
    DateMention,
    Event,
    Modality,
    Tense,
)
from ..text.bidi import isolate_rtl, quote
from .labeler import key_cap
from .ui import code, plain, user_text

__all__ = [
    "comment_lines",
    "confirm_unfinished",
    "date_label",
    "date_panel",
    "event_panel",
    "history_button_keys",
    "history_buttons",
    "link_notes",
    "link_verdict",
    "links_panel",
    "note_form",
    "synced_key",
]

Do = Callable[..., None]
"""The page's ``do(fn, *args)``: run a workspace operation on its workspace, keep the result or show the refusal."""


def synced_key(key: str, value: Any) -> str:
    """``key`` for a widget showing ``value`` of the set, reset to it when the set changed under the widget.

    A keyed widget keeps its own value across runs: after a retype in the labeler, an undo or a redo it would
    still show the old value, and a type box would even put the old type back on its next run.
    """
    seen = f"{key}__seen"
    if key not in st.session_state or st.session_state.get(seen) != value:  # a widget not drawn last run is gone
        st.session_state[key] = value
        st.session_state[seen] = value
    return key


def date_panel(ws: Workspace, d: DateMention, do: Do, *, key: str) -> None:
    """The date's Gregorian range and note, then forms for its calendar, month names and native value (the range
    is computed from them) and for its flags and note."""
    st.markdown(f"**Gregorian:** {code(d.gregorian_label())} · {d.granularity.value}")
    if d.note:
        st.caption(plain(d.note))
    cals = [c.value for c in Calendar]
    lexes = list(LEXICONS)
    # Compact rows (two or three to a line) so that the whole editor fits beside the text in a 720-pixel window.
    with st.form(f"{key}_date_{d.id}", border=False):
        c1, c2 = st.columns(2)
        cal = c1.selectbox("Calendar", cals, key=synced_key(f"{key}_cal_{d.id}", d.calendar.value))
        lex = c2.selectbox("Month names", lexes, key=synced_key(f"{key}_lex_{d.id}", d.lexicon),
                           format_func=lambda k: f"{k}: {LEXICONS[k]}")
        y, mo, da = st.columns([4, 3, 3])
        year = y.number_input("Year", min_value=1, max_value=9999, step=1,
                              key=synced_key(f"{key}_y_{d.id}", d.native.year))
        month = mo.number_input("Month", min_value=1, max_value=12, step=1,
                                key=synced_key(f"{key}_m_{d.id}", d.native.month))
        day = da.number_input("Day", min_value=1, max_value=31, step=1, key=synced_key(f"{key}_d_{d.id}", d.native.day))
        if st.form_submit_button("Set value", disabled=ws.read_only, help="Set the calendar, month names and value"):
            do(workspace.edit, editing.set_date_value, d.id, cal, _int(year), _int(month), _int(day), lex)
    with st.form(f"{key}_flags_{d.id}", border=False):
        f1, f2 = st.columns(2)
        inferred = f1.checkbox("Year inferred", key=synced_key(f"{key}_yi_{d.id}", d.year_inferred))
        relative = f2.checkbox("Relative", key=synced_key(f"{key}_rel_{d.id}", d.relative))
        n1, n2 = st.columns([2, 1], vertical_alignment="bottom")
        note = n1.text_input("Note", key=synced_key(f"{key}_note_{d.id}", d.note or ""))
        if n2.form_submit_button("Set note", disabled=ws.read_only, help="Set the two flags and the note"):
            do(workspace.edit, workspace.set_date_flags, d.id, year_inferred=inferred, relative=relative, note=note)


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def event_attributes(ws: Workspace, ev: Event, do: Do, *, key: str) -> None:
    """Modality, polarity and tense (guidelines §4.3), one row of choices each; a choice is an undoable edit.

    Each widget's key carries the value it shows, so that after an undo (or any other change of the value) a
    fresh widget shows the stored value instead of the one clicked before.
    """
    for name, values in EVENT_ATTRIBUTES.items():
        current = str(getattr(ev, name))
        options = list(values)
        chosen = st.radio(name.capitalize(), options, index=options.index(current), horizontal=True,
                          key=f"{key}_{name}_{ev.id}_{current}", disabled=ws.read_only,
                          help="; ".join(f"{v}: {d}" for v, d in values.items()))
        if chosen is not None and chosen != current:
            do(workspace.edit, editing.set_event_attribute, ev.id, name, chosen)
    if ev.tense == Tense.future and ev.modality == Modality.asserted:
        st.caption(":orange[An event after the time of writing has modality other (guidelines §4.3).]")


def event_panel(ws: Workspace, ev: Event, do: Do, *, key: str) -> None:
    """The event's type, its arguments by role (each removable), the roles still unfilled, and a form to add an
    argument with a mention of the set that the taxonomy allows in that role."""
    names = ws.taxonomy.event_names()
    new_type = st.selectbox("Event type", names if ev.type in names else [ev.type, *names],
                            key=synced_key(f"{key}_evtype_{ev.id}", ev.type), disabled=ws.read_only)
    if new_type != ev.type:
        do(workspace.edit, editing.set_event_type, ev.id, new_type)
    event_attributes(ws, ev, do, key=key)
    texts = {m.id: f"{m.type} {quote(m.text)}" for m in ws.aset.entities}
    texts |= {d.id: f"DATE {quote(d.text)}" for d in ws.aset.dates}
    for i, arg in enumerate(ev.arguments):
        a1, a2 = st.columns([4, 1], vertical_alignment="center")
        a1.markdown(f"{code(arg.role)} → {plain(texts.get(arg.ref, arg.ref))}")
        if a2.button("✕", key=f"{key}_rmarg_{ev.id}_{i}", disabled=ws.read_only, help="Remove this argument"):
            do(workspace.edit, editing.remove_argument, ev.id, arg.role, arg.ref)
    unfilled = panel.event_unfilled(ws, ev)
    st.caption("Unfilled roles: " + (", ".join(unfilled) if unfilled else "none"))
    choices = panel.role_choices(ws, ev)
    if not choices or ws.read_only:
        return
    roles = list(choices)
    first = next((r for r in unfilled if choices.get(r)), roles[0])
    role = st.selectbox("Role", roles, index=roles.index(first), key=f"{key}_role_{ev.id}")
    options = dict(choices[role])
    if not options:
        st.caption(f"No mention in this set can fill {role}: mark one first.")
        return
    ref = st.selectbox("Mention", list(options), format_func=options.__getitem__, key=f"{key}_ref_{ev.id}_{role}")
    if st.button("Add argument", key=f"{key}_addarg_{ev.id}"):
        do(workspace.edit, editing.add_argument, ev.id, role, ref)


def history_button_keys(key: str) -> dict[Literal["undo", "redo"], str]:
    """The widget keys of :func:`history_buttons` drawn with ``key`` (the labeler draws a step's preview as they
    are clicked: :func:`annotate.app.labeler.send_previews`)."""
    return {"undo": f"{key}_undo", "redo": f"{key}_redo"}


def history_buttons(ws: Workspace, move: Callable[[Callable[..., Workspace]], None], *, key: str) -> None:
    """Undo and Redo buttons naming the step they undo or redo (their tooltips name the labeler's keys for them);
    ``move(workspace.undo)`` (a button callback) runs the step on the page's workspace."""
    if ws.read_only:
        return
    undo_name, redo_name = ws.history.undo_name, ws.history.redo_name
    # One above the other, the width of the panel: the step's name is the point of the label.
    undo_label = f"Undo: {undo_name}" if undo_name else "Undo"
    redo_label = f"Redo: {redo_name}" if redo_name else "Redo"
    keys = history_button_keys(key)
    st.button(plain(undo_label), key=keys["undo"], disabled=undo_name is None, icon=":material/undo:",
              help=f"{plain(undo_label)} ({key_cap('undo')})", width="stretch", on_click=move, args=(workspace.undo,))
    st.button(plain(redo_label), key=keys["redo"], disabled=redo_name is None, icon=":material/redo:",
              help=f"{plain(redo_label)} ({key_cap('redo')})", width="stretch", on_click=move,
              args=(workspace.redo,))


# --- notes on marks, links and the document ---------------------------------------------------------------


def comment_lines(ws: Workspace, comments: list[Comment], do: Do, *, key: str) -> None:
    """Each comment with who wrote it and when; one's own open note or flag can be withdrawn (undoable)."""
    for c in comments:
        c1, c2 = st.columns([4, 1], vertical_alignment="center")
        when = c.created_at.strftime("%Y-%m-%d %H:%M") if c.created_at else ""
        state = "" if c.status is CommentStatus.open else f" · {c.status.value}"
        c1.caption(f"{plain(comment_label(c))} · {plain(c.author)} · {when}{state}")
        user_text(c.text, container=c1)
        mine = c.author == ws.viewer and c.status is CommentStatus.open and c.kind is not CommentKind.returned
        if mine and (c.kind is CommentKind.flag or not ws.read_only):
            if c2.button("✕", key=f"{key}_withdraw_{c.id}", help="Withdraw (undo brings it back)"):
                do(workspace.withdraw_comment, c.id)


def note_form(ws: Workspace, target: str | None, do: Do, *, key: str, slot: str, label: str = "Add a note") -> None:
    """A one-line form that adds a note on ``target`` (None: the document); ``slot`` tells the page's forms
    apart."""
    if ws.read_only:
        return
    with st.form(f"{key}_noteform_{slot}", border=False, clear_on_submit=True):
        n1, n2 = st.columns([2, 1], vertical_alignment="bottom")
        text = n1.text_input(label, key=f"{key}_note_in_{slot}", max_chars=COMMENT_MAX)
        if n2.form_submit_button("Add note", width="stretch"):
            do(workspace.add_note, target, text)


def link_notes(ws: Workspace, link_id: str, consistent: bool, do: Do, *, key: str) -> None:
    """Notes on a link; an inconsistent one offers a note saying why it stays (checked before a submit or a save
    as gold)."""
    notes = ws.notes_on(link_id)
    comment_lines(ws, notes, do, key=key)
    if ws.read_only or (consistent and not notes):
        return
    with st.popover("Add a note" if notes else "Note: why it stays", icon=":material/sticky_note_2:"):
        note_form(ws, link_id, do, key=key, slot=link_id, label="Note on this link")


# --- date links ---------------------------------------------------------------------------------------------


def date_label(d: DateMention) -> str:
    """How a date mention is named in pickers."""
    return f"{quote(d.text)} {d.gregorian_label()}"


def link_verdict(link: DateLink) -> str:
    """``consistent`` (with its note: a Hijri day one day off Umm al-Qura, an overlapping year) or
    ``INCONSISTENT: reason``."""
    if link.consistent:
        return "consistent" + (f" · {isolate_rtl(link.reason)}" if link.reason else "")
    return f"INCONSISTENT: {isolate_rtl(link.reason or '')}"


def links_panel(ws: Workspace, selected: str | None, do: Do, *, key: str) -> None:
    """The set's same_date links, each with its verdict, its notes (an inconsistent one asks why it stays) and a
    button that removes it, and a way to add one between two of its dates (starting at the ``selected`` one)."""
    with st.expander(f"Date links ({len(ws.aset.links)})", expanded=bool(ws.aset.dates)):
        dates = {d.id: d for d in ws.aset.dates}
        for ln in ws.aset.links:
            l1, l2 = st.columns([5, 1])
            a, b = dates.get(ln.source), dates.get(ln.target)
            verdict = link_verdict(ln)
            # Text and verdict on separate lines: mixing RTL text with Latin and digits reorders them.
            l1.markdown(f"{quote(plain(a.text if a else ln.source))} = {quote(plain(b.text if b else ln.target))}")
            l1.markdown(f"{':green[' if ln.consistent else ':red['}{plain(verdict)}]")
            with l1:
                link_notes(ws, ln.id, ln.consistent, do, key=key)
            if l2.button("✕", key=f"{key}_unlink_{ln.id}", disabled=ws.read_only, help="Remove this link"):
                do(workspace.edit, editing.unlink, ln.id)
        if len(dates) >= 2 and not ws.read_only:
            ids = list(dates)
            first = selected if selected in dates else ids[0]
            src = st.selectbox("Date", ids, index=ids.index(first), format_func=lambda i: date_label(dates[i]),
                               key=f"{key}_link_src")
            rest = [i for i in ids if i != src]
            tgt = st.selectbox("Same date as", rest, format_func=lambda i: date_label(dates[i]),
                               key=f"{key}_link_tgt")
            if st.button("Link same_date", key=f"{key}_link"):
                do(workspace.link, src, tgt)


# --- what is unfinished, confirmed before a submit or a save as gold ------------------------------------------


def confirm_unfinished(
    items: list[Unfinished],
    *,
    title: str,
    confirm: str,
    key: str,
    goto_key: str,
    on_confirm: Callable[[], None],
    on_goto: Callable[[str], None],
    on_close: Callable[[], None],
) -> None:
    """A dialog titled ``title`` listing what is unfinished (:func:`annotate.annotation.workspace.unfinished_items`):
    ``confirm`` (``on_confirm``) goes ahead anyway, "Go to" beside an item selects its mark (``on_goto`` with its
    id), "Keep working" closes it.  ``on_close`` forgets that the dialog is open (a button, Escape or its ✕);
    the page reruns after "Go to" and "Keep working"; ``on_confirm`` reruns it when it is done (what it shows
    when refused stays in the dialog).

    Buttons: ``{key}_confirm``, ``{key}_cancel``, ``{goto_key}_{i}`` for the i-th item.
    """

    def body() -> None:
        st.markdown(f"**{len(items)}** thing{'s are' if len(items) > 1 else ' is'} not finished in this document:")
        for i, u in enumerate(items):
            c1, c2 = st.columns([5, 1], vertical_alignment="center")
            c1.markdown(f"- {plain(u.message)}")
            if u.item is not None and c2.button("Go to", key=f"{goto_key}_{i}"):
                on_close()
                on_goto(u.item)
                st.rerun()
        b1, b2 = st.columns(2)
        if b1.button(confirm, key=f"{key}_confirm", type="primary", icon=":material/done_all:"):
            on_close()
            on_confirm()  # reruns the page when done; a refusal is shown here
        if b2.button("Keep working", key=f"{key}_cancel"):
            on_close()
            st.rerun()

    # One body for every page: Streamlit names a dialog by its function's qualified name and where it is called.
    body.__qualname__ = f"confirm_unfinished.{key}"
    st.dialog(title, width="large", on_dismiss=on_close)(body)()
