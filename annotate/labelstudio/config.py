"""The Label Studio labeling config, generated from the project taxonomy.

One ``<Text>`` (RTL, ``white-space: pre-wrap`` so every character counts in offsets) with three span tags bound
to it: ``entity`` (one label per entity type), ``date`` (one ``DATE`` label) and ``trigger`` (one label per event
type), each with the taxonomy's hotkeys.  ``<Relations>`` carries every event role name (trigger -> argument)
plus ``same_date`` (date -> date).  Per-region controls hold what a span alone cannot: an entity's canonical id,
a date's calendar, month-name set, granularity, native value, flags and note, an event's cluster id.  Label
Studio has no calendar-aware widget, so the Gregorian range is not edited there: it is recomputed on pull.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from ..models import LEXICONS, Calendar, Granularity
from ..taxonomy import Taxonomy

TEXT = "text"
"""Name of the ``<Text>`` tag (and of the task data field holding the document text)."""
DOC_ID = "doc_id"
"""Task data field holding our document id."""
ENTITY = "entity"
DATE = "date"
TRIGGER = "trigger"
DATE_LABEL = "DATE"
"""The single label of the ``date`` span tag."""
SAME_DATE = "same_date"
"""Relation label of a date link (events use their role names)."""

CANONICAL_ID = "canonical_id"
CALENDAR = "calendar"
LEXICON = "lexicon"
GRANULARITY = "granularity"
NATIVE = "native"
DATE_FLAGS = "date_flags"
NOTE = "note"
CLUSTER_ID = "cluster_id"

CALENDAR_NAMES: dict[str, str] = {
    Calendar.gregorian.value: "Gregorian",
    Calendar.solar_hijri.value: "Solar Hijri (Iranian / Afghan solar)",
    Calendar.lunar_hijri.value: "Lunar Hijri (Umm al-Qura)",
}
"""Display name of each calendar; results carry the calendar's own value through the choice ``alias``."""

FLAGS: dict[str, str] = {
    "year_inferred": "year not written (inferred)",
    "relative": "relative (decided by a deictic word or weekday)",
}
"""Boolean date fields, shown as one multiple-choice control."""

NATIVE_HINT = "native date as written: year-month-day in its own calendar, ? for a part not given (1398-02-?)"

_STYLE = (
    ".htx-text { white-space: pre-wrap; direction: rtl; unicode-bidi: plaintext; text-align: right; "
    "font-size: 1.1em; line-height: 1.9; }"
)


def _attrs(**kw: str | None) -> str:
    return "".join(f" {k.rstrip('_')}={quoteattr(v)}" for k, v in kw.items() if v is not None)


def _choices(name: str, tag: str, options: dict[str, str], *, multiple: bool = False, required: bool = False) -> str:
    head = _attrs(
        name=name, toName=TEXT, perRegion="true", whenTagName=tag, choice="multiple" if multiple else "single-radio",
        required="true" if required else None, showInline="false",
    )
    body = "".join(f"<Choice{_attrs(value=label, alias=value)}/>" for value, label in options.items())
    return f"<Choices{head}>{body}</Choices>"


def _textarea(name: str, tag: str, placeholder: str) -> str:
    attrs = _attrs(name=name, toName=TEXT, perRegion="true", whenTagName=tag, editable="true", rows="1",
                   maxSubmissions="1", placeholder=placeholder)
    return f"<TextArea{attrs}/>"


def relation_labels(taxonomy: Taxonomy) -> list[str]:
    """Every relation label: the event role names in taxonomy order, then ``same_date``."""
    names: list[str] = []
    for et in taxonomy.event_types:
        for role in et.roles:
            if role.name not in names:
                names.append(role.name)
    return [*names, SAME_DATE]


def label_config(taxonomy: Taxonomy) -> str:
    """The labeling config XML for ``taxonomy`` (deterministic: same taxonomy, same text)."""
    entity_labels = "".join(
        f"<Label{_attrs(value=t.name, hint=t.label, background=t.color, hotkey=t.hotkey)}/>"
        for t in taxonomy.entity_types
    )
    trigger_labels = "".join(
        f"<Label{_attrs(value=t.name, hint=t.label, background='#ff8fab', hotkey=t.hotkey)}/>"
        for t in taxonomy.event_types
    )
    relations = "".join(f"<Relation{_attrs(value=r)}/>" for r in relation_labels(taxonomy))
    lexicons = {k: f"{k}: {v}" for k, v in LEXICONS.items()}
    granularities = {g.value: g.value for g in Granularity}
    parts = [
        "<View>",
        f"<Style>{_STYLE}</Style>",
        f"<Header{_attrs(value='Entities')}/>",
        f"<Labels{_attrs(name=ENTITY, toName=TEXT, showInline='true')}>{entity_labels}</Labels>",
        f"<Header{_attrs(value='Dates and event triggers')}/>",
        f"<Labels{_attrs(name=DATE, toName=TEXT, showInline='true')}>"
        f"<Label{_attrs(value=DATE_LABEL, background='#fdffb6', hotkey=taxonomy.date_hotkey)}/></Labels>",
        f"<Labels{_attrs(name=TRIGGER, toName=TEXT, showInline='true')}>{trigger_labels}</Labels>",
        f"<Relations>{relations}</Relations>",
        f"<Text{_attrs(name=TEXT, value='$' + TEXT, granularity='symbol')}/>",
        f"<View{_attrs(visibleWhen='region-selected', whenTagName=ENTITY)}>",
        f"<Header{_attrs(value='Canonical id (same entity across documents)')}/>",
        _textarea(CANONICAL_ID, ENTITY, "e.g. Q42 or a project id"),
        "</View>",
        f"<View{_attrs(visibleWhen='region-selected', whenTagName=DATE)}>",
        f"<Header{_attrs(value='Calendar')}/>",
        _choices(CALENDAR, DATE, CALENDAR_NAMES),
        f"<Header{_attrs(value='Month-name set')}/>",
        _choices(LEXICON, DATE, lexicons),
        f"<Header{_attrs(value='Granularity (used only when the native value has neither year nor month)')}/>",
        _choices(GRANULARITY, DATE, granularities),
        f"<Header{_attrs(value='Native value')}/>",
        _textarea(NATIVE, DATE, NATIVE_HINT),
        _choices(DATE_FLAGS, DATE, FLAGS, multiple=True),
        f"<Header{_attrs(value='Note')}/>",
        _textarea(NOTE, DATE, "why the date is unusual, if it is"),
        "</View>",
        f"<View{_attrs(visibleWhen='region-selected', whenTagName=TRIGGER)}>",
        f"<Header{_attrs(value='Event cluster id (same event across documents)')}/>",
        _textarea(CLUSTER_ID, TRIGGER, "e.g. cluster-12"),
        "</View>",
        "</View>",
    ]
    return "\n".join(parts) + "\n"
