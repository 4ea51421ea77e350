"""The quick-reference card (:mod:`annotate.annotation.quickref`): its parts come from the taxonomy, the models, the
guidelines' §11 list and the labeler's keys; it renders as Markdown for the app and as one printable A4 page."""

from __future__ import annotations

import re

import pytest

from annotate.annotation.guidelines import guidelines_text, guidelines_version
from annotate.annotation.quickref import card_html, card_markdown, extent_rules, quick_reference
from annotate.errors import ConfigError
from annotate.models import EVENT_ATTRIBUTES
from annotate.taxonomy import Taxonomy, default_taxonomy

KEYS = [("j / Tab", "next mark"), ("ctrl + s", "save"), ("", "a row without a key is left out")]


def test_the_card_takes_types_roles_attributes_and_keys_from_their_sources() -> None:
    taxonomy = default_taxonomy()
    ref = quick_reference(taxonomy, KEYS)
    assert ref.guidelines_version == guidelines_version()
    assert [(k, n) for k, n, _, _ in ref.entities] == [(t.hotkey, t.name) for t in taxonomy.entity_types]
    assert [(k, n) for k, n, _ in ref.events] == [(t.hotkey, t.name) for t in taxonomy.event_types]
    attack = dict((n, r) for _, n, r in ref.events)["ATTACK"]
    assert attack.startswith("attacker (PER/ORG/GPE), **target** (any entity)") and "time (date)" in attack
    assert [a for a, _ in ref.attributes] == list(EVENT_ATTRIBUTES)
    assert dict(ref.attributes)["modality"] == "**asserted** · other"  # the model's default in bold
    assert ref.keys == (("j / Tab", "next mark"), ("ctrl + s", "save"))
    assert ref.date_key == taxonomy.date_hotkey


def test_the_extent_rules_are_the_list_of_section_11() -> None:
    rules = extent_rules()
    block = guidelines_text().split("<!-- quickref:start -->", 1)[1].split("<!-- quickref:end -->", 1)[0]
    assert len(rules) == block.count("\n- ") and len(rules) >= 8
    assert rules[0].startswith("**Names only** (§2)")
    assert all("\n" not in r for r in rules)  # continuation lines are joined
    assert any("`للعراق`" in r for r in rules) and any("modality `other`" in r for r in rules)


@pytest.mark.parametrize("text", ["no markers at all", "<!-- quickref:start -->\n<!-- quickref:end -->"])
def test_a_guidelines_file_without_the_list_is_a_config_error(text: str) -> None:
    with pytest.raises(ConfigError, match="no quick-reference list") as info:
        extent_rules(text)
    assert "§11" in (info.value.hint or "")


def test_a_project_taxonomy_makes_its_own_card() -> None:
    """A project that renames a type and adds one sees its own labels, keys and roles on the card."""
    data = default_taxonomy().model_dump(mode="json")
    data["name"], data["version"] = "elections", "0.3.0"
    data["entity_types"].append({"name": "NORP", "label": "Nationality or group", "hotkey": "n",
                                 "description": "Nationality and religious adjectives", "examples": ["آمریکایی"]})
    taxonomy = Taxonomy.model_validate(data)
    ref = quick_reference(taxonomy, KEYS)
    assert ref.taxonomy == "elections 0.3.0"
    assert ("n", "NORP", "Nationality or group", "آمریکایی") in ref.entities
    assert "**Quick reference** · guidelines" in card_markdown(ref) and "elections 0.3.0" in card_markdown(ref)


def test_markdown_cells_cannot_break_the_table_or_inject_html() -> None:
    data = default_taxonomy().model_dump(mode="json")
    data["entity_types"][0]["label"] = 'A | B <img src=x onerror="alert(1)"> & co'
    md = card_markdown(quick_reference(Taxonomy.model_validate(data), KEYS))
    row = next(line for line in md.splitlines() if "A \\| B" in line)
    assert row.count(" | ") == 3  # still four cells
    assert re.search(r"(?<!\\)[<>&]", md.replace("`<`", "")) is None  # a backslash before < makes it a letter
    assert "\\<img" in md and "\\&" in md


def test_the_html_card_escapes_text_and_isolates_examples() -> None:
    data = default_taxonomy().model_dump(mode="json")
    data["entity_types"][0]["label"] = "<script>alert(1)</script>"
    page = card_html(quick_reference(Taxonomy.model_validate(data), KEYS))
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert '<code dir="auto">قاسم سلیمانی</code>' in page
    assert re.search(r"@page \{ size: A4", page)
    assert page.count("<section>") == 5  # entities, events, attributes, rules, keys
