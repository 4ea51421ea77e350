"""The one-page quick-reference card: types, roles, event attributes, extent rules and keys.

One source for each part: entity and event types, roles and hotkeys come from the project's taxonomy, the event
attributes from :data:`annotate.models.EVENT_ATTRIBUTES`, the extent rules from the guidelines' own section
(between ``<!-- quickref:start -->`` and ``<!-- quickref:end -->``, §11) and the keys from the caller (the app
passes the labeler's key table, which the browser binds).  :func:`card_markdown` is what the app shows;
:func:`card_html` is a standalone page sized to print on one A4 sheet.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import ConfigError
from ..models import EVENT_ATTRIBUTES, Event
from ..taxonomy import Role, Taxonomy
from .guidelines import guidelines_path, guidelines_text, guidelines_version

__all__ = ["QuickReference", "card_html", "card_markdown", "extent_rules", "quick_reference"]

START = "<!-- quickref:start -->"
END = "<!-- quickref:end -->"


@dataclass(frozen=True)
class QuickReference:
    """The card's content, in rows (every cell is plain text with Markdown code spans and bold)."""

    guidelines_version: str
    taxonomy: str
    entities: tuple[tuple[str, str, str, str], ...]
    """(key, type, what, example)"""
    events: tuple[tuple[str, str, str], ...]
    """(key, type, roles: required ones in bold, with what fills them)"""
    date_key: str
    attributes: tuple[tuple[str, str], ...]
    """(attribute, values with the default marked)"""
    rules: tuple[str, ...]
    keys: tuple[tuple[str, str], ...]
    """(keys, what they do)"""


def extent_rules(text: str | None = None) -> list[str]:
    """The guidelines' quick-reference list, one rule per item (continuation lines joined).

    :class:`ConfigError` naming the guidelines file when the markers are missing or the list is empty.
    """
    source = guidelines_text() if text is None else text
    found = re.search(re.escape(START) + r"\n(.*?)\n" + re.escape(END), source, re.S)
    items: list[str] = []
    for line in (found.group(1) if found else "").splitlines():
        if line.startswith("- "):
            items.append(line[2:].strip())
        elif line.startswith("  ") and items:
            items[-1] += " " + line.strip()
    if not items:
        raise ConfigError(f"{guidelines_path()}: no quick-reference list between {START} and {END}",
                          hint="restore the list of §11 Quick reference card")
    return items


def _role(role: Role) -> str:
    fills = "date" if role.targets == ["date"] else "/".join(role.entity_types) or "any entity"
    if "date" in role.targets and "entity" in role.targets:
        fills += "/date"
    name = f"**{role.name}**" if role.required else role.name
    return f"{name} ({fills})"


def _default(name: str) -> str:
    return str(Event.model_fields[name].default)


def quick_reference(taxonomy: Taxonomy, keys: Sequence[tuple[str, str]], *, text: str | None = None,
                    version: str | None = None) -> QuickReference:
    """The card for ``taxonomy`` with the labeler's ``keys``; ``text``/``version``: the guidelines (default: ours)."""
    entities = tuple(
        (t.hotkey or "", t.name, t.label, t.examples[0].split("→")[-1].strip() if t.examples else "")
        for t in taxonomy.entity_types
    )
    events = tuple((t.hotkey or "", t.name, ", ".join(_role(r) for r in t.roles)) for t in taxonomy.event_types)
    attributes = tuple(
        (name, " · ".join(f"**{v}**" if v == _default(name) else v for v in values))
        for name, values in EVENT_ATTRIBUTES.items()
    )
    return QuickReference(
        guidelines_version=version or guidelines_version(),
        taxonomy=f"{taxonomy.name} {taxonomy.version}",
        entities=entities,
        events=events,
        date_key=taxonomy.date_hotkey,
        attributes=attributes,
        rules=tuple(extent_rules(text)),
        keys=tuple((k, d) for k, d in keys if k),
    )


_MD_HTML = re.compile(r"([<>&])")


def _md_cell(value: str) -> str:
    """``value`` safe in a table cell of Markdown rendered with HTML allowed: ``|`` never ends the cell, and
    ``<``, ``>``, ``&`` outside code spans are backslash-escaped (a taxonomy label is text, never markup)."""
    parts = value.split("`")
    for i in range(0, len(parts), 2):  # outside code spans (code spans show their text as written)
        parts[i] = _MD_HTML.sub(r"\\\1", parts[i])
    return "`".join(parts).replace("|", "\\|")


def _md_table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _key(k: str) -> str:
    return f"`{k}`" if k else ""


def card_markdown(ref: QuickReference) -> str:
    """The card as Markdown (what the app renders)."""
    parts = [
        f"**Quick reference** · guidelines {ref.guidelines_version} · taxonomy {ref.taxonomy}",
        "#### Entities — names only",
        _md_table(["key", "type", "what", "example"], [(_key(k), n, w, f"`{e}`" if e else "")
                                                     for k, n, w, e in ref.entities]),
        f"#### Events — trigger, then roles (required in bold) · dates: `{ref.date_key}`",
        _md_table(["key", "type", "roles"], [(_key(k), n, r) for k, n, r in ref.events]),
        "#### Event attributes (default in bold)",
        _md_table(["attribute", "values"], list(ref.attributes)),
        "#### Extent rules",
        "\n".join(f"- {r}" for r in ref.rules),
        "#### Keys",
        _md_table(["keys", "does"], [(_key(k), d) for k, d in ref.keys]),
    ]
    return "\n\n".join(parts) + "\n"


_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")


def _inline(text: str) -> str:
    """Escaped ``text`` with Markdown code spans as isolated ``<code>`` and ``**bold**`` as ``<b>``."""
    out = html.escape(text, quote=False)
    out = _CODE.sub(lambda m: f'<code dir="auto">{m.group(1)}</code>', out)
    return _BOLD.sub(lambda m: f"<b>{m.group(1)}</b>", out)


def _html_table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


_CSS = """
@page { size: A4; margin: 8mm; }
* { box-sizing: border-box; }
body { font: 7.9pt/1.28 "Vazirmatn", "Noto Sans Arabic", "DejaVu Sans", sans-serif; margin: 0; color: #111;
       background: #fff; }
main { columns: 2; column-gap: 6mm; }
h1 { font-size: 11pt; margin: 0 0 2mm; column-span: all; }
h2 { font-size: 9pt; margin: 2.2mm 0 1mm; break-after: avoid; }
section { break-inside: avoid; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.4pt solid #999; padding: 0.5mm 1mm; text-align: start; vertical-align: top; }
th { background: #eee; }
code { unicode-bidi: isolate; font-family: inherit; background: #f3f3f3; padding: 0 0.6mm; }
ul { margin: 0; padding-inline-start: 4mm; }
li { margin: 0 0 0.6mm; }
.print { position: fixed; top: 2mm; right: 2mm; }
@media print { .print { display: none; } }
"""


def card_html(ref: QuickReference) -> str:
    """The card as a standalone HTML page (escaped text, RTL examples isolated) that prints on one A4 page."""
    sections = [
        ("Entities — names only", _html_table(["key", "type", "what", "example"],
                                              [(_key(k), n, w, f"`{e}`" if e else "") for k, n, w, e in ref.entities])),
        (f"Events — trigger, then roles (required in bold) · dates: {ref.date_key}",
         _html_table(["key", "type", "roles"], [(_key(k), n, r) for k, n, r in ref.events])),
        ("Event attributes (default in bold)", _html_table(["attribute", "values"], list(ref.attributes))),
        ("Extent rules", "<ul>" + "".join(f"<li>{_inline(r)}</li>" for r in ref.rules) + "</ul>"),
        ("Keys", _html_table(["keys", "does"], [(_key(k), d) for k, d in ref.keys])),
    ]
    title = (f"Quick reference · guidelines {html.escape(ref.guidelines_version)} · taxonomy "
             f"{html.escape(ref.taxonomy)}")
    body = "".join(f"<section><h2>{html.escape(h)}</h2>{content}</section>" for h, content in sections)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{_CSS}</style></head><body>"
        '<button class="print" onclick="window.print()">Print</button>'
        f"<h1>{title}</h1><main>{body}</main></body></html>\n"
    )
