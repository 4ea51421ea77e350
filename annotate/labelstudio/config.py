"""The Label Studio labeling config, generated from the project taxonomy.

What an annotator sees (checked in Label Studio 1.23.2 in Chromium, ``tests/labelstudio/test_browser_editor.py``):

* **two columns**: the document on the left, right to left (the ``<Style>`` targets the classes 1.23.2 renders,
  ``.lsf-htx-richtext`` and ``.lsf-richtext__line``), and beside it, kept in view while the text scrolls, the
  labels, then the fields of the selected region under a header of their own;
* **one** ``<Labels>`` (:data:`LABELS`) holding every span type, entity types, ``DATE`` and event types, each with
  the taxonomy's hotkey: Label Studio replaces a region's label within one single-choice ``<Labels>``, so a hotkey
  pressed on a selected region changes its type instead of adding a second label;
* **single-choice relations** (choosing another label replaces it): the event role names, ``same_date``, and
  ``same_date_inconsistent``, the label of a link the date engine finds inconsistent in a pushed prediction (the
  arrow says so, and each of its dates says why in its region meta);
* **per-region fields** from :data:`CONTROLS`, shown only for the span type they belong to: an entity's canonical
  id, a date's calendar and month-name set (``required``: Label Studio refuses to submit a DATE region without
  them), granularity, native value, flags and note, an event's modality, polarity and tense (one single-choice
  field each, from :data:`annotate.models.EVENT_ATTRIBUTES`; left unchosen, an attribute reads as its default) and
  its cluster id.  Every choice has an explicit
  mnemonic hotkey (Shift+letter) or none at all (the month-name set is a searchable ``<Taxonomy>`` dropdown that
  takes one value): Label Studio would otherwise bind the next free key of ``1234567890qwet...`` to every choice;
* **readable colours**: each label's colour is the taxonomy's hue darkened until white text on it (a selected
  label chip) and the colour as text on white (the region list) reach a contrast of 4.5:1;
* **feedback** from annotate above the text (:data:`FEEDBACK`, a task data field the pull writes): why an
  annotation was not stored, and which of its dates were stored without a value (flagged for review).

Label Studio has no calendar-aware widget, so the Gregorian range is not edited there: it is recomputed on pull.
:data:`CONTROLS` is the one table of per-region fields; :mod:`annotate.labelstudio.convert` reads and writes
results from it, so a new field (say, an event attribute) is one more :class:`Control` entry.
"""

from __future__ import annotations

import colorsys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal
from xml.sax.saxutils import quoteattr

from ..errors import ConfigError
from ..models import EVENT_ATTRIBUTES, LEXICONS, Calendar, Granularity
from ..taxonomy import Taxonomy

TEXT = "text"
"""Name of the ``<Text>`` tag (and of the task data field holding the document text)."""
DOC_ID = "doc_id"
"""Task data field holding our document id."""
FEEDBACK = "annotate_feedback"
"""Task data field with annotate's message about the task's annotations (shown above the text)."""
LABELS = "label"
"""Name of the one ``<Labels>`` tag: every span type is a label of it."""

SpanKind = Literal["entity", "date", "trigger"]
ENTITY: SpanKind = "entity"
DATE: SpanKind = "date"
TRIGGER: SpanKind = "trigger"
LEGACY_LABELS: tuple[SpanKind, ...] = (ENTITY, DATE, TRIGGER)
"""Before one ``<Labels>`` held every span type, each kind had a ``<Labels>`` of its own, named like the kind;
results drawn with that config still say so in ``from_name`` and are read as such."""
DATE_LABEL = "DATE"
"""The label of a date span."""
SAME_DATE = "same_date"
"""Relation label of a date link (events use their role names)."""
SAME_DATE_INCONSISTENT = "same_date_inconsistent"
"""Relation label of a date link the date engine found inconsistent (read back as ``same_date``)."""

CANONICAL_ID = "canonical_id"
CALENDAR = "calendar"
LEXICON = "lexicon"
GRANULARITY = "granularity"
NATIVE = "native"
DATE_FLAGS = "date_flags"
NOTE = "note"
CLUSTER_ID = "cluster_id"
MODALITY = "modality"
POLARITY = "polarity"
TENSE = "tense"
EVENT_ATTRIBUTE_FIELDS: tuple[str, ...] = tuple(EVENT_ATTRIBUTES)
"""The trigger fields named after the :class:`~annotate.models.Event` attributes (same name, same values)."""

CALENDAR_NAMES: dict[str, str] = {
    Calendar.gregorian.value: "Gregorian",
    Calendar.solar_hijri.value: "Solar Hijri",
    Calendar.lunar_hijri.value: "Lunar Hijri",
}
"""Display name of each calendar; results carry the calendar's own value through the choice ``alias``."""
CALENDAR_HINTS: dict[str, str] = {
    Calendar.solar_hijri.value: "the Iranian and Afghan solar calendar (Farvardin/Hamal ...)",
    Calendar.lunar_hijri.value: "the lunar Hijri calendar, as Umm al-Qura computes it (Muharram ...)",
}

LEXICON_NAMES: dict[str, str] = {k: f"{k}: {v}" for k, v in LEXICONS.items()}
"""Display name of each month-name set."""

FLAGS: dict[str, str] = {"year_inferred": "year inferred", "relative": "relative"}
"""Boolean date fields, shown as one multiple-choice control."""
FLAG_HINTS: dict[str, str] = {
    "year_inferred": "the year is not written: it comes from the document date or a linked date",
    "relative": "a deictic word (last, next, this year) or a bare weekday decides the value",
}

NATIVE_HINT = "as written, year-month-day in its own calendar, ? for a part not given (1398-02-?)"

ControlKind = Literal["choices", "taxonomy", "textarea"]


@dataclass(frozen=True)
class Control:
    """A per-region field: what it is called, which span kind it belongs to and how Label Studio shows it.

    ``options`` maps the stored value (the choice ``alias``) to what the annotator reads; ``hotkeys`` maps a stored
    value to its hotkey (every choice needs one or none can be given: see the module docstring).  The result type
    of the field in Label Studio's JSON is ``kind``.
    """

    name: str
    applies_to: SpanKind
    header: str
    kind: ControlKind
    options: Mapping[str, str] = field(default_factory=dict)
    hotkeys: Mapping[str, str] = field(default_factory=dict)
    hints: Mapping[str, str] = field(default_factory=dict)
    multiple: bool = False
    required: bool = False
    placeholder: str | None = None

    @property
    def value_key(self) -> str:
        """The key of the result ``value`` holding the field (``choices``, ``taxonomy`` or ``text``)."""
        return {"choices": "choices", "taxonomy": "taxonomy", "textarea": "text"}[self.kind]


CONTROLS: tuple[Control, ...] = (
    Control(CANONICAL_ID, ENTITY, "Canonical id (same entity across documents)", "textarea",
            placeholder="e.g. Q42 or a project id"),
    Control(CALENDAR, DATE, "Calendar", "choices", CALENDAR_NAMES, required=True, hints=CALENDAR_HINTS,
            hotkeys={"gregorian": "shift+g", "solar_hijri": "shift+s", "lunar_hijri": "shift+h"}),
    Control(LEXICON, DATE, "Month-name set", "taxonomy", LEXICON_NAMES, required=True,
            placeholder="the month names the text uses"),
    Control(NATIVE, DATE, "Native value (left empty: the date engine reads it)", "textarea",
            placeholder=NATIVE_HINT),
    Control(GRANULARITY, DATE, "Granularity (only for a value without year and month)", "choices",
            {g.value: g.value for g in Granularity},
            hotkeys={"day": "shift+d", "month": "shift+m", "year": "shift+y"}),
    Control(DATE_FLAGS, DATE, "Flags", "choices", FLAGS, hints=FLAG_HINTS,
            hotkeys={"year_inferred": "shift+i", "relative": "shift+r"}, multiple=True),
    Control(NOTE, DATE, "Note", "textarea", placeholder="why the date is unusual, if it is"),
    Control(MODALITY, TRIGGER, "Modality", "choices", {v: v for v in EVENT_ATTRIBUTES[MODALITY]},
            hotkeys={"asserted": "shift+a", "other": "shift+o"}, hints=EVENT_ATTRIBUTES[MODALITY]),
    Control(POLARITY, TRIGGER, "Polarity", "choices", {v: v for v in EVENT_ATTRIBUTES[POLARITY]},
            hotkeys={"positive": "shift+p", "negative": "shift+n"}, hints=EVENT_ATTRIBUTES[POLARITY]),
    Control(TENSE, TRIGGER, "Tense", "choices", {v: v for v in EVENT_ATTRIBUTES[TENSE]},
            hotkeys={"past": "shift+b", "present": "shift+c", "future": "shift+f", "unspecified": "shift+u"},
            hints=EVENT_ATTRIBUTES[TENSE]),
    Control(CLUSTER_ID, TRIGGER, "Event cluster id (same event across documents)", "textarea",
            placeholder="e.g. cluster-12"),
)
"""Every per-region field, in the order shown."""

CONTROLS_BY_NAME: dict[str, Control] = {ctl.name: ctl for ctl in CONTROLS}

KIND_HEADERS: dict[SpanKind, str] = {ENTITY: "Selected entity", DATE: "Selected date", TRIGGER: "Selected event"}

# --------------------------------------------------------------------------------------------------- colours

DATE_COLOR = "#1a5fd6"
"""Hue of DATE regions (a blue no entity type of the default taxonomy uses)."""
TRIGGER_COLOR = "#c62828"
"""Hue of event triggers (one colour for every event type: the label text says which)."""
KIND_HEADER_STYLE = "font-size: 17px; font-weight: 700; line-height: 24px; margin: 14px 0 2px"
FIELD_HEADER_STYLE = "font-size: 14px; font-weight: 600; line-height: 20px; margin: 10px 0 4px"
FEEDBACK_STYLE = (
    "font-size: 14px; line-height: 20px; color: #5f2b00; white-space: pre-wrap; unicode-bidi: plaintext; margin: 0"
)
MIN_CONTRAST = 4.5
"""WCAG AA for normal text: what a label colour reaches against white, both ways."""


def _luminance(hex_color: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable(hex_color: str, minimum: float = MIN_CONTRAST) -> str:
    """``hex_color`` darkened (same hue and saturation, less lightness) until white on it reaches ``minimum``.

    Label Studio writes a selected label's name in white on the label colour, and lists regions with their label
    in that colour on white: both need the colour dark enough.  A colour dark enough already is kept.
    """
    r, g, b = (int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    h, lightness, s = colorsys.rgb_to_hls(r, g, b)
    out = hex_color.lower()
    while contrast(out, "#ffffff") < minimum:
        lightness = max(0.0, lightness - 0.01)
        out = "#" + "".join(f"{round(x * 255):02x}" for x in colorsys.hls_to_rgb(h, lightness, s))
    return out


# ------------------------------------------------------------------------------------------------------ XML


def _attrs(**kw: str | None) -> str:
    return "".join(f" {k.rstrip('_')}={quoteattr(v)}" for k, v in kw.items() if v is not None)


def span_labels(taxonomy: Taxonomy) -> dict[str, SpanKind]:
    """Every label of :data:`LABELS` with the kind of span it marks, in the order shown.

    Raises :class:`ConfigError` when an entity or event type is called ``DATE`` (the date label).
    """
    if taxonomy.has_entity_type(DATE_LABEL) or taxonomy.event_type(DATE_LABEL) is not None:
        raise ConfigError(f"the taxonomy has a type called {DATE_LABEL}, the label of date spans in Label Studio",
                          hint="rename that type")
    out: dict[str, SpanKind] = {t.name: ENTITY for t in taxonomy.entity_types}
    out[DATE_LABEL] = DATE
    out.update({t.name: TRIGGER for t in taxonomy.event_types})
    return out


def relation_labels(taxonomy: Taxonomy) -> list[str]:
    """Every relation label: the event role names in taxonomy order, then ``same_date`` and its inconsistent
    variant."""
    names: list[str] = []
    for et in taxonomy.event_types:
        for role in et.roles:
            if role.name not in names:
                names.append(role.name)
    return [*names, SAME_DATE, SAME_DATE_INCONSISTENT]


def _control(ctl: Control, labels: list[str]) -> str:
    """The tag of ``ctl``, shown for regions labelled with one of ``labels``.

    Label Studio checks ``required`` on every region of the text unless the control names the one label it is
    for (``whenLabelValue``; a list is not understood there), so a required field needs a kind with one label.
    """
    if ctl.required and len(labels) != 1:
        raise ConfigError(f"field {ctl.name!r} is required, but Label Studio can require it only for a span "
                          f"kind with one label, and {ctl.applies_to} has {len(labels)}")
    common = {"name": ctl.name, "toName": TEXT, "perRegion": "true", "whenTagName": LABELS,
              "whenLabelValue": labels[0] if len(labels) == 1 else None,
              "required": "true" if ctl.required else None}
    if ctl.kind == "textarea":
        attrs = _attrs(**common, editable="true", rows="1", maxSubmissions="1", placeholder=ctl.placeholder)
        return f"<TextArea{attrs}/>"
    body = "".join(
        f"<Choice{_attrs(value=shown, alias=value, hotkey=ctl.hotkeys.get(value), hint=ctl.hints.get(value))}/>"
        for value, shown in ctl.options.items()
    )
    if ctl.kind == "taxonomy":
        attrs = _attrs(**common, leafsOnly="true", maxUsages="1", placeholder=ctl.placeholder,
                       requiredMessage=f"Choose the {ctl.header.lower()} of every date region" if ctl.required
                       else None)
        return f"<Taxonomy{attrs}>{body}</Taxonomy>"
    attrs = _attrs(**common, choice="multiple" if ctl.multiple else "single-radio", showInline="true",
                   requiredMessage=f"Choose the {ctl.header.lower()} of every date region" if ctl.required
                   else None)
    return f"<Choices{attrs}>{body}</Choices>"


def _style(labels: Mapping[str, SpanKind]) -> str:
    """The CSS: RTL text with bidi isolation and room between lines; chips that wrap in the side column."""
    del labels  # one style for every label: colours travel in each <Label>'s background
    return (
        # The document text: Label Studio 1.23.2 renders it as <div class="lsf-richtext__container
        # lsf-htx-richtext"> holding one <span class="lsf-richtext__line"> per line, separated by <br>.
        ".lsf-htx-richtext { direction: rtl; text-align: right; unicode-bidi: isolate; font-size: 1.15em; "
        "line-height: 2.1; }"
        " .lsf-htx-richtext .lsf-richtext__line { direction: rtl; unicode-bidi: plaintext; text-align: right; "
        "white-space: pre-wrap; padding-left: 0; padding-right: 8px; }"
        # The feedback from annotate: hidden while empty.
        " .annotate-feedback:has(:empty) { display: none; }"
        " .annotate-feedback { background: #fff4e5; border-left: 4px solid #b45309; padding: 6px 10px; "
        "margin-bottom: 8px; }"
    )


def label_config(taxonomy: Taxonomy) -> str:
    """The labeling config XML for ``taxonomy`` (deterministic: same taxonomy, same text)."""
    labels = span_labels(taxonomy)
    hints = {t.name: t.label for t in taxonomy.entity_types} | {t.name: t.label for t in taxonomy.event_types}
    hints[DATE_LABEL] = "a date expression (then its calendar and month-name set)"
    hotkeys: dict[str, str | None] = {t.name: t.hotkey for t in taxonomy.entity_types}
    hotkeys |= {t.name: t.hotkey for t in taxonomy.event_types}
    hotkeys[DATE_LABEL] = taxonomy.date_hotkey
    colours = {t.name: readable(t.color) for t in taxonomy.entity_types}
    colours[DATE_LABEL] = readable(DATE_COLOR)
    colours |= {t.name: readable(TRIGGER_COLOR) for t in taxonomy.event_types}
    label_tags = "".join(
        f"<Label{_attrs(value=name, hint=hints[name], background=colours[name], hotkey=hotkeys[name])}/>"
        for name in labels
    )
    relations = "".join(f"<Relation{_attrs(value=r)}/>" for r in relation_labels(taxonomy))
    by_kind = {kind: [n for n, k in labels.items() if k == kind] for kind in (ENTITY, DATE, TRIGGER)}
    fields: list[str] = []
    for kind in (ENTITY, DATE, TRIGGER):
        controls = [ctl for ctl in CONTROLS if ctl.applies_to == kind]
        if not controls:
            continue
        shown_for = _attrs(visibleWhen="region-selected", whenTagName=LABELS, whenLabelValue=",".join(by_kind[kind]))
        fields.append(f"<View{shown_for}>")
        fields.append(f"<Header{_attrs(value=KIND_HEADERS[kind], size='4', style=KIND_HEADER_STYLE)}/>")
        for ctl in controls:
            fields.append(f"<Header{_attrs(value=ctl.header, size='5', style=FIELD_HEADER_STYLE)}/>")
            fields.append(_control(ctl, by_kind[kind]))
        fields.append("</View>")
    parts = [
        "<View>",
        f"<Style>{_style(labels)}</Style>",
        f"<Relations{_attrs(choice='single')}>{relations}</Relations>",
        "<View style=\"display: flex; gap: 20px; align-items: flex-start\">",
        "<View style=\"flex: 3 1 0; min-width: 0\">",
        f"<View className=\"annotate-feedback\"><Header{_attrs(value='$' + FEEDBACK, size='5', style=FEEDBACK_STYLE)}/>"
        "</View>",
        f"<Text{_attrs(name=TEXT, value='$' + TEXT, granularity='symbol')}/>",
        "</View>",
        "<View style=\"flex: 2 1 0; min-width: 280px; position: sticky; top: 0; max-height: 100vh; "
        "overflow-y: auto\">",
        f"<Header{_attrs(value='Labels', size='4', style=KIND_HEADER_STYLE)}/>",
        f"<Labels{_attrs(name=LABELS, toName=TEXT, choice='single', showInline='true')}>{label_tags}</Labels>",
        *fields,
        "</View>",
        "</View>",
        "</View>",
    ]
    return "\n".join(parts) + "\n"
