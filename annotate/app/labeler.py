"""The span labeler component (Streamlit components v2): the data it draws, and the actions it reports.

The browser side (``components/labeler/``: plain HTML, CSS and JS, no build step) renders the document and
reports *actions* with UTF-16 offsets.  This module builds the data the component draws
(:func:`labeler_payload`), cuts it down to what the browser does not have yet (:func:`wire_payload`: the text,
labels and colours once per document, then only the marks and arcs that changed), holds the labeler's keys
(:data:`KEYS`) and queues the actions its callback parses with :func:`annotate.annotation.actions.parse_actions`
in a :class:`Channel` (:func:`take_actions`, :func:`settle_actions`: each action applied exactly once, also when
Streamlit stops a run half-way); applying them is the core's job (:func:`annotate.annotation.actions.apply_action`).
Only :func:`labeler`, :func:`take_actions` and :func:`settle_actions` touch Streamlit.

Components v2 (no iframe) is used as it exists in Streamlit 1.67: inline ``html``/``css``/``js`` strings read
from the package files (asset-dir paths work only for installed packages with a manifest), and
``isolate_styles=False`` so that the document's selection is the page's ``document.getSelection()`` (inside a
shadow root Chromium reports selections re-targeted to the host).  Styles are scoped by ``annot-`` classes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..annotation.actions import LabelerAction, parse_actions
from ..annotation.editing import pending_suggestions
from ..errors import ConfigError, InputError
from ..models import AnnotationSet, Document
from ..taxonomy import Taxonomy
from ..text.offsets import offset_map
from ..text.view import fold_table
from .palette import EVENT_PALETTE, theme_colors

if TYPE_CHECKING:
    from ..annotation.workspace import Preview

__all__ = [
    "KEYS",
    "Channel",
    "Key",
    "Sent",
    "asset_component",
    "follow_labeler",
    "key_help",
    "labeler",
    "labeler_payload",
    "preview_delta",
    "send_previews",
    "settle_actions",
    "take_actions",
    "text_direction",
    "wire_payload",
]

RTL_LANGS = frozenset({"fa", "prs", "ar", "ps", "ur", "ckb", "he", "yi", "dv", "sd", "ug"})
_COMPONENTS = Path(__file__).parent / "components"
_ASSETS = _COMPONENTS / "labeler"
# One module, concatenated in this order (shared scope, no build step); labeler.js holds the entry point.
_JS_PARTS = ("keys.js", "search.js", "arcs.js", "preview.js", "labeler.js")
DATE = "DATE"


def text_direction(lang: str) -> Literal["rtl", "ltr"]:
    """``rtl`` for fa, prs, ar and other right-to-left languages (by primary subtag), else ``ltr``."""
    return "rtl" if lang.split("-")[0].lower() in RTL_LANGS else "ltr"


# --- the keyboard -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """A key of the labeler: ``codes`` are physical keys (``KeyboardEvent.code``), so a Persian or Arabic layout
    (where the key marked G types ل) works alike; ``chars`` are characters that also trigger it whatever the key.

    ``action`` names what the browser does (``components/labeler/keys.js``); rows whose action is ``""`` only
    document keys the browser handles itself (caret keys, Tab).
    """

    action: str
    cap: str
    does: str
    codes: tuple[str, ...] = ()
    shift: bool = False
    ctrl: bool = False
    chars: tuple[str, ...] = ()


KEYS: tuple[Key, ...] = (
    Key("", "select text, then a label key", "mark it (the label keys are on the toolbar buttons)"),
    Key("", "arrows, Home / End, Page Up / Down", "move the caret in the text (in reading order: ← is forward "
        "in right-to-left text); ctrl + arrows by word, ctrl + Home / End to either end"),
    Key("", "shift + those keys", "select from the caret"),
    Key("", "click a mark", "select it (click again for the next of overlapping marks)"),
    Key("", "a label key on a selected mark", "change its type"),
    Key("next", "J", "next mark", ("KeyJ",)),
    Key("previous", "K", "previous mark", ("KeyK",)),
    Key("accept", "A / R", "accept / reject the selected suggestion (dashed underline: dates, entities, triggers)",
        ("KeyA",)),
    Key("reject", "", "", ("KeyR",)),
    Key("accept_all", "shift + A", "accept all suggestions", ("KeyA",), shift=True),
    Key("link", "=", "link the last two selected dates (same_date)", ("Equal",)),
    Key("delete", "Delete / Backspace", "delete the selected mark (rejects a suggestion)", ("Delete", "Backspace")),
    Key("escape", "Esc", "clear the selection; in the search box: back to the text with the hit selected",
        ("Escape",)),
    Key("search", "/ or ctrl + F", "search the text (ی/ي, ک/ك, ZWNJ and digit forms match); Enter: next hit, "
        "shift + Enter: previous", ("Slash",)),
    Key("search", "", "", ("KeyF",), ctrl=True),
    Key("undo", "ctrl + Z", "undo", ("KeyZ",), ctrl=True),
    Key("redo", "ctrl + shift + Z or ctrl + Y", "redo", ("KeyZ",), shift=True, ctrl=True),
    Key("redo", "", "", ("KeyY",), ctrl=True),
    Key("save", "ctrl + S", "save", ("KeyS",), ctrl=True),
    Key("help", "?", "show or hide this help", ("Slash",), shift=True, chars=("?", "\u061f")),
    Key("", "Tab / shift + Tab", "leave the labeler (to the search box, then the panels)"),
)
"""Every key of the labeler, in the order the help lists them (one home: the browser binds these, the help and
the page's key list show them)."""


def key_cap(action: str) -> str:
    """How the help writes the keys of ``action`` (``"undo"`` -> ``ctrl + Z``), for a button's tooltip."""
    return next(k.cap for k in KEYS if k.action == action and k.cap)


def key_help(taxonomy: Taxonomy, labels: list[dict[str, Any]] | None = None) -> list[tuple[str, str]]:
    """(keys, what they do) rows: :data:`KEYS`, then the taxonomy's label keys (``labels``: its labels, if made)."""
    rows = [(k.cap, k.does) for k in KEYS if k.cap]
    rows += [(lab["cap"], f"{lab['kind']}: {lab['label']} ({lab['name']})")
             for lab in labels or _labels(taxonomy) if lab["cap"]]
    return rows


def _check_hotkeys(taxonomy: Taxonomy) -> None:
    """A taxonomy hotkey on a key the labeler uses itself would do two things: refuse it, naming the type."""
    own = {c for k in KEYS if k.action and not k.ctrl for c in k.codes}
    hotkeys = [(t.name, t.hotkey) for t in taxonomy.entity_types] + [(t.name, t.hotkey) for t in taxonomy.event_types]
    for name, hotkey in [*hotkeys, ("dates", taxonomy.date_hotkey)]:
        if hotkey and _hotkey_code(hotkey) in own:
            raise ConfigError(
                f"taxonomy hotkey {hotkey!r} of {name} is a labeler key",
                hint="choose another hotkey in taxonomy.json; the labeler's own keys are J K A R = / ? Delete Esc",
            )


def _hotkey_code(key: str) -> str | None:
    """The ``KeyboardEvent.code`` of a taxonomy hotkey: letters and digits by position on the key (US names)."""
    if len(key) == 1 and key.isascii() and key.isalpha():
        return f"Key{key.upper()}"
    if len(key) == 1 and key.isascii() and key.isdigit():
        return f"Digit{key}"
    return None


# --- data for the browser -----------------------------------------------------------------------------------


def _hotkey_cap(key: str | None) -> str | None:
    """What is printed on the key: hotkeys match the physical key (``KeyboardEvent.code``) of a US layout."""
    return key.upper() if key else None


def _labels(taxonomy: Taxonomy) -> list[dict[str, Any]]:
    """Every label the toolbar offers, in order; ``c`` is its colour index, ``colors`` its colours per theme."""
    out: list[dict[str, Any]] = [
        {"name": t.name, "label": t.label, "kind": "entity", "hotkey": t.hotkey, "color": t.color}
        for t in taxonomy.entity_types
    ]
    out += [
        {"name": t.name, "label": t.label, "kind": "event", "hotkey": t.hotkey,
         "color": t.color or EVENT_PALETTE[i % len(EVENT_PALETTE)]}
        for i, t in enumerate(taxonomy.event_types)
    ]
    out.append({"name": DATE, "label": "Date", "kind": "date", "hotkey": taxonomy.date_hotkey,
                "color": taxonomy.date_color})
    for i, lab in enumerate(out):
        lab["c"] = i
        lab["cap"] = _hotkey_cap(lab["hotkey"])
        lab["code"] = _hotkey_code(lab["hotkey"]) if lab["hotkey"] else None
        lab["colors"] = theme_colors(lab.pop("color"))
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
    """Everything the component draws: text, direction, labels with colours, marks and arcs (UTF-16 offsets).

    Engine suggestions still pending (see :func:`annotate.annotation.editing.pending_suggestions`) are included with
    ``suggestion: true`` so the browser draws them apart from the annotator's own marks.  ``arcs`` are the
    ``same_date`` links (``kind: link``, ``ok`` false when inconsistent) and event arguments (``kind: arg``, from
    the trigger to the argument, labelled with the role).  ``fold`` is the matching view's character table
    (:func:`annotate.text.view.fold_table`) for the in-text search.
    """
    om = offset_map(document.text)
    _check_hotkeys(taxonomy)
    labels = _labels(taxonomy)
    index = {(lab["kind"], lab["name"]): lab for lab in labels}
    marks: list[dict[str, Any]] = []
    arcs: list[dict[str, Any]] = []

    bmp = om.all_bmp  # the offsets of checked marks are the same in both units then (the usual case)

    def add(item_id: str, kind: str, name: str, start: int, end: int, suggestion: bool) -> None:
        s, e = (start, end) if bmp else om.span_to_utf16(start, end, field=item_id)
        lab = index.get((kind, name))
        marks.append({"id": item_id, "kind": kind, "type": name, "label": lab["label"] if lab else name,
                      "start": s, "end": e, "c": lab["c"] if lab else -1, "suggestion": suggestion})

    def add_links(aset_: AnnotationSet, only: set[str] | None, suggestion: bool) -> None:
        for ln in aset_.links:
            if only is None or ln.id in only:
                arcs.append({"id": ln.id, "kind": "link", "from": ln.source, "to": ln.target, "label": "=",
                             "ok": ln.consistent, "c": index[("date", DATE)]["c"], "suggestion": suggestion})

    for m in aset.entities:
        add(m.id, "entity", m.type, m.start, m.end, False)
    for d in aset.dates:
        add(d.id, "date", DATE, d.start, d.end, False)
    for ev in aset.events:
        add(ev.id, "event", ev.type, ev.trigger.start, ev.trigger.end, False)
        c = index[("event", ev.type)]["c"] if ("event", ev.type) in index else -1
        for i, arg in enumerate(ev.arguments):
            arcs.append({"id": f"{ev.id}>{i}", "kind": "arg", "from": ev.id, "to": arg.ref, "label": arg.role,
                         "ok": True, "c": c, "suggestion": False})
    add_links(aset, None, False)
    if suggestions is not None:
        pending = set(pending_suggestions(aset, suggestions))
        for m in suggestions.entities:
            if m.id in pending:
                add(m.id, "entity", m.type, m.start, m.end, True)
        for d in suggestions.dates:
            if d.id in pending:
                add(d.id, "date", DATE, d.start, d.end, True)
        for ev in suggestions.events:
            if ev.id in pending:
                add(ev.id, "event", ev.type, ev.trigger.start, ev.trigger.end, True)
        add_links(suggestions, pending, True)
    return {
        "doc_id": document.id,
        "lang": document.lang,
        "dir": text_direction(document.lang),
        "text": document.text,
        "labels": labels,
        "fold": fold_table(),
        "keys": [{"action": k.action, "codes": list(k.codes), "shift": k.shift, "ctrl": k.ctrl,
                  "chars": list(k.chars)} for k in KEYS if k.action],
        "help": key_help(taxonomy, labels),
        "marks": marks,
        "arcs": arcs,
        "ack": dict(ack or {}),
        "select": select,
        "status": status,
    }


# --- what goes over the wire ----------------------------------------------------------------------------------

_STATIC = ("lang", "dir", "text", "labels", "fold", "keys", "help")


@dataclass(frozen=True)
class Sent:
    """What one browser session of the labeler already holds: the document's static part and a marks version."""

    static_key: str
    version: int
    marks: Mapping[str, Mapping[str, Any]]
    arcs: Mapping[str, Mapping[str, Any]]


def _static_key(full: Mapping[str, Any]) -> str:
    digest = hashlib.sha1(json.dumps([full[k] for k in _STATIC], ensure_ascii=False, sort_keys=True).encode())
    return f"{full['doc_id']}:{digest.hexdigest()[:16]}"


def _by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {x["id"]: x for x in items}


def _diff(
    old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]]
) -> dict[str, list[Any]]:
    return {"upsert": [v for k, v in new.items() if old.get(k) != v], "remove": [k for k in old if k not in new]}


def wire_payload(full: Mapping[str, Any], sent: Sent | None) -> tuple[dict[str, Any], Sent]:
    """The part of :func:`labeler_payload`'s ``full`` data that the browser lacks, and what it holds afterwards.

    The text, labels and fold table (``static``) go out only when ``sent`` is None or was for another document
    or taxonomy.  Marks and arcs go out as a delta against ``sent``: ``base`` is the version the browser must
    hold to apply it, ``version`` the one it holds afterwards; with ``full: true`` it replaces everything.  A
    browser that finds itself on another version asks for everything again (``resync``, see :func:`labeler`).
    """
    key = _static_key(full)
    marks, arcs = _by_id(full["marks"]), _by_id(full["arcs"])
    fresh = sent is None or sent.static_key != key
    data: dict[str, Any] = {k: full[k] for k in ("doc_id", "ack", "select", "status")}
    data["static_key"] = key
    if fresh:
        data["static"] = {k: full[k] for k in _STATIC}
        version = (sent.version if sent else 0) + 1
        data["delta"] = {"full": True, "base": None, "version": version, "marks": _diff({}, marks),
                         "arcs": _diff({}, arcs)}
        return data, Sent(key, version, marks, arcs)
    assert sent is not None
    dm, da = _diff(sent.marks, marks), _diff(sent.arcs, arcs)
    changed = any(dm.values()) or any(da.values())
    version = sent.version + 1 if changed else sent.version
    data["delta"] = {"full": False, "base": sent.version, "version": version, "marks": dm, "arcs": da}
    return data, Sent(key, version, marks, arcs) if changed else sent


def preview_delta(full: Mapping[str, Any], sent: Sent) -> dict[str, Any]:
    """What the browser holding ``sent`` would change to draw :func:`labeler_payload`'s ``full`` data of another
    state of the set (an undo or redo not applied yet): marks and arcs to upsert and remove, the mark to select and
    the status to show, for version ``sent.version`` only."""
    return {"marks": _diff(sent.marks, _by_id(full["marks"])), "arcs": _diff(sent.arcs, _by_id(full["arcs"])),
            "select": full["select"], "status": full["status"]}


# --- the Streamlit component --------------------------------------------------------------------------------


@cache
def asset_component(name: str, folder: str, stem: str) -> Any:
    """The Streamlit component ``annotate.<name>`` made of ``components/<folder>/<stem>.html``, ``.css`` and ``.js``
    (registered once per process)."""
    import streamlit as st

    assets = _COMPONENTS / folder
    return st.components.v2.component(
        f"annotate.{name}",
        html=(assets / f"{stem}.html").read_text(encoding="utf-8"),
        css=(assets / f"{stem}.css").read_text(encoding="utf-8"),
        js=(assets / f"{stem}.js").read_text(encoding="utf-8"),
        isolate_styles=False,
    )


@cache
def _component() -> Any:
    import streamlit as st

    return st.components.v2.component(
        "annotate.labeler",
        html=_read_asset("labeler.html"),
        css=_read_asset("labeler.css"),
        js="\n".join(f"// ---- {name} ----\n" + _read_asset(name) for name in _JS_PARTS),
        isolate_styles=False,
    )


@cache
def _feed() -> Any:
    import streamlit as st

    return st.components.v2.component("annotate.labeler_feed", js=_read_asset("feed.js"), isolate_styles=False)


def _read_asset(name: str) -> str:
    return (_ASSETS / name).read_text(encoding="utf-8")


@dataclass
class Channel:
    """What passes between one labeler in the browser and the page, kept in plain Python.

    Streamlit may stop a run for a newer rerun request at any ``st.session_state`` read or write, which is how an
    action got lost: its acknowledgement was already on its way when the run that applied it stopped before the
    workspace was kept.  So the channel lives in session state as ONE object whose fields change only by plain
    attribute writes (no point where a run can stop): ``received`` is the acknowledgement (per browser client, the
    highest action number taken in, so resent and duplicated actions are dropped), ``pending`` holds the actions
    taken in and not yet applied (they stay until :func:`settle_actions` drops them with the page's new state),
    ``sent`` what the browser holds (:func:`wire_payload`), ``error`` a refused payload to show.
    """

    received: dict[str, int] = field(default_factory=dict)
    pending: list[LabelerAction] = field(default_factory=list)
    sent: Sent | None = None
    error: str | None = None

    def intake(self, payload: Any, document: Document) -> None:
        """Take in a trigger payload of the browser: the actions not taken in before, in number order.

        A malformed payload is kept as ``error`` and nothing of it is taken; ``resync`` (the browser lost track of
        the marks) makes the next run send everything again.
        """
        if isinstance(payload, dict) and payload.get("resync") and self.sent is not None:
            self.sent = Sent("", self.sent.version, {}, {})  # everything again, under a new version number
        try:
            actions, self.received = parse_actions(payload, document, self.received)
        except InputError as exc:
            self.error = str(exc)
            return
        self.pending = [*self.pending, *actions]

    def drop(self, applied: list[LabelerAction]) -> None:
        """Forget ``applied`` (by identity: actions taken in meanwhile stay)."""
        done = {id(a) for a in applied}
        self.pending = [a for a in self.pending if id(a) not in done]


def _channel(key: str) -> Channel:
    import streamlit as st

    name = f"_{key}_channel"
    channel = st.session_state.get(name)
    if not isinstance(channel, Channel):
        channel = st.session_state[name] = Channel()
    return channel


def take_actions(key: str = "labeler") -> list[LabelerAction]:
    """The actions taken in and not applied yet, oldest first, with code-point offsets.

    Apply them to a local copy of the page's state without touching ``st.session_state`` meanwhile, then hand
    the result to :func:`settle_actions`: until then they stay queued, so a run stopped half-way (Streamlit stops
    a run for a newer rerun request at any session-state access) applies them again from the same state instead
    of losing them.  Call it BEFORE :func:`labeler` in the same run.
    """
    return list(_channel(key).pending)


def settle_actions(key: str, applied: list[LabelerAction], updates: Mapping[str, Any]) -> None:
    """Write ``updates`` into session state and drop ``applied`` from the queue, as one step no rerun splits.

    A session-state write first checks for a rerun request and raises it before writing; that request is handed
    over by then, so the write is done again, the queue settled, and the request raised afterwards: the actions
    are applied exactly once (never lost with a stopped run, never applied again to a state that has them).
    """
    import streamlit as st
    from streamlit.runtime.scriptrunner_utils.exceptions import RerunException

    stopped: list[RerunException] = []

    def unstopped(step: Callable[[], Any]) -> Any:
        while True:
            try:
                return step()
            except RerunException as exc:  # raised before the access; the next check finds no request
                stopped.append(exc)

    channel: Channel = unstopped(lambda: _channel(key))  # a read is a stopping point too
    for name, value in updates.items():
        unstopped(partial(st.session_state.__setitem__, name, value))
    channel.drop(applied)
    if stopped:
        raise stopped[-1]


def labeler(
    document: Document,
    aset: AnnotationSet,
    taxonomy: Taxonomy,
    suggestions: AnnotationSet | None = None,
    *,
    key: str = "labeler",
    select: str | None = None,
    status: str | None = None,
    follow: str | None = None,
    stale: Mapping[str, int] | None = None,
) -> None:
    """Draw the labeler for ``aset`` and the pending ``suggestions``; read actions with :func:`take_actions`.

    Actions are taken in by the component's callback, before the next script body runs, so the acknowledgement
    sent back with that run already covers them and the browser stops resending them (the page holds them in
    the :class:`Channel` until they are applied).  Only what the browser lacks is sent (:func:`wire_payload`); a
    browser that lost track asks for everything (``resync``).  ``follow`` is a CSS selector of the element
    holding the selected mark's editor: the browser scrolls it into view when the annotator selects a mark.
    ``stale`` names the panels drawn by :func:`follow_labeler` whose content is out of date, with the version
    they drew: each asks for its own rerun once this run is through.
    """
    import streamlit as st

    channel = _channel(key)
    state = st.session_state

    def on_actions() -> None:
        payload = (state.get(key) or {}).get("actions")  # the one session-state read, before anything changes
        channel.intake(payload, document)

    error, channel.error = channel.error, None
    full = labeler_payload(document, aset, taxonomy, suggestions, ack=channel.received, select=select,
                           status=status or error)
    data, sent = wire_payload(full, channel.sent)
    data["key"] = key
    data["follow"] = follow
    data["stale"] = dict(stale or {})
    # The labeler element is the same in every run (Streamlit sends it as a cached reference); what changed goes
    # through the small feed element next to it.
    _component()(key=key, data={"key": key}, on_actions_change=on_actions)
    _feed()(key=f"{key}_feed", data=data)
    channel.sent = sent  # only once it is on its way (a run stopped before leaves the browser where it was)


def send_previews(
    document: Document,
    taxonomy: Taxonomy,
    previews: Mapping[Literal["undo", "redo"], Preview | None],
    *,
    key: str = "labeler",
    buttons: Mapping[Literal["undo", "redo"], str] | None = None,
) -> None:
    """Send what an undo and a redo would draw (:func:`annotate.annotation.workspace.preview`), as deltas against
    what the browser holds after this run's :func:`labeler` (call it after that, at the end of the run: the
    labeler's own data goes first).  The browser draws the step the moment Ctrl+Z (Ctrl+Y) is pressed, if it is
    still at that version with no edit on its way, and the run that applies the step then puts in what the server
    did (``components/labeler/preview.js``).  ``buttons`` are the Streamlit keys of the page's Undo and Redo
    buttons: a click on one draws its preview too."""
    sent = _channel(key).sent
    data: dict[str, Any] = {"key": key, "previews": {}, "static_key": None, "version": None,
                            "buttons": dict(buttons or {})}
    if sent is not None:
        data["static_key"], data["version"] = sent.static_key, sent.version
        for name, p in previews.items():
            if p is not None:
                after = labeler_payload(document, p.aset, taxonomy, p.suggestions, select=p.focus, status=p.message)
                data["previews"][name] = preview_delta(after, sent)
    _feed()(key=f"{key}_previews", data=data)


@cache
def _follower() -> Any:
    import streamlit as st

    return st.components.v2.component("annotate.labeler_follower", js=_read_asset("refresh.js"),
                                      isolate_styles=False)


def follow_labeler(key: str, name: str, shown: int) -> None:
    """Make the fragment this is called in follow the labeler ``key``: draw it as version ``shown``; when the
    labeler's run says version ``shown`` of ``name`` is stale (:func:`labeler`'s ``stale``), the browser asks for
    a rerun of this fragment alone, after the labeler's run.  So a page can redraw the labeler alone after an edit
    and let slower panels follow, instead of sending them again with every edit."""
    # The callback only registers the trigger: its rerun (of this fragment) is the point.
    _follower()(key=f"{key}_follow_{name}", data={"key": key, "name": name, "shown": shown},
                on_refresh_change=_rerun_follower)


def _rerun_follower() -> None:
    """Nothing to do: the trigger's own rerun redraws the fragment."""
