"""The data model's invariants: frozen text, span checks, ids, taxonomy rules, and the generated schemas."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pydantic
import pytest

from annotate.errors import InputError, InvalidAnnotation
from annotate.models import (
    EVENT_ATTRIBUTES,
    AnnotationSet,
    DateMention,
    Document,
    Event,
    document_id_for,
    freeze_text,
    parse_model,
    validate_annotation_set,
)
from annotate.schemas import stale_schemas
from annotate.taxonomy import Taxonomy, default_taxonomy, load_taxonomy

ROOT = Path(__file__).resolve().parent.parent
ZWNJ = "\u200c"
# "On 30 January (10 Bahman) the Iraqi army announced" with a ZWNJ in می‌گوید.
TEXT = f"ارتش عراق در 30 ژانویه (10 بهمن) اعلام کرد و سخنگو می{ZWNJ}گوید ۱۴۰۰"


@pytest.mark.parametrize(
    ("raw", "frozen"),
    [
        ("\ufeffسلام", "سلام"),
        ("a\r\nb\rc\n", "a\nb\nc\n"),
        (f"می{ZWNJ}گوید", f"می{ZWNJ}گوید"),  # ZWNJ kept
        ("كتاب يوم", "كتاب يوم"),  # Arabic kaf/yeh not unified
        ("۱۴۰۰ ١٤٠٠", "۱۴۰۰ ١٤٠٠"),  # digits not mapped
        ("e\u0301", "e\u0301"),  # no NFC
        ("x\ufeffy", "x\ufeffy"),  # only a *leading* BOM goes
    ],
)
def test_freeze_text_changes_only_bom_and_line_ends(raw: str, frozen: str) -> None:
    assert freeze_text(raw) == frozen


def test_document_id_is_derived_from_text_and_stable() -> None:
    a = Document.create("\ufeffمتن\r\n", lang="fa")
    b = Document.create("متن\n", lang="fa")
    assert a.id == b.id == document_id_for("متن\n")
    assert a.text == "متن\n"
    assert Document.create("متن", lang="fa", id="given-1").id == "given-1"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lang": "fa_IR!"}, "BCP-47"),
        ({"text": "a\r\nb"}, "not frozen"),
        ({"text_sha256": "0" * 64}, "does not match"),
        ({"id": "has space"}, "pattern"),
        ({"reference_date": "2020-13-01"}, "reference_date"),
    ],
)
def test_document_rejects(change: dict[str, Any], message: str) -> None:
    data = Document.create(TEXT, lang="fa").model_dump()
    data.update(change)
    with pytest.raises(pydantic.ValidationError, match=message):
        Document.model_validate(data)


def _doc() -> Document:
    return Document.create(TEXT, lang="fa", reference_date=date(2020, 2, 2))


def _span(sub: str, occurrence: int = 0) -> dict[str, Any]:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(sub, start + 1)
    return {"start": start, "end": start + len(sub), "text": sub}


def _valid() -> dict[str, Any]:
    return {
        "doc_id": _doc().id,
        "author": "maryam",
        "entities": [{"id": "e1", "type": "ORG", **_span("ارتش عراق")}],
        "dates": [
            {"id": "d1", "calendar": "gregorian", "lexicon": "fa-IR", "granularity": "day",
             "native": {"year": 2020, "month": 1, "day": 30}, "gregorian_start": "2020-01-30",
             "gregorian_end": "2020-01-30", "year_inferred": True, **_span("30 ژانویه")},
            {"id": "d2", "calendar": "solar_hijri", "lexicon": "solar-IR", "granularity": "day",
             "native": {"year": 1398, "month": 11, "day": 10}, "gregorian_start": "2020-01-30",
             "gregorian_end": "2020-01-30", "year_inferred": True, **_span("10 بهمن")},
        ],
        "events": [
            {"id": "ev1", "type": "STATEMENT", "trigger": _span("اعلام کرد"),
             "arguments": [{"role": "speaker", "ref": "e1"}, {"role": "time", "ref": "d1"}]}
        ],
        "links": [{"id": "l1", "source": "d1", "target": "d2", "consistent": True}],
    }


def test_valid_set_passes_and_zwnj_span_counts_code_points() -> None:
    data = _valid()
    data["entities"].append({"id": "e2", "type": "PER", **_span(f"می{ZWNJ}گوید")})
    aset = AnnotationSet.model_validate(data)
    validate_annotation_set(aset, _doc(), default_taxonomy())
    assert aset.entities[1].end - aset.entities[1].start == 7  # م ی ZWNJ گ و ی د


def _edit(path: str, value: Any) -> dict[str, Any]:
    data = _valid()
    *parents, last = path.split(".")
    node: Any = data
    for p in parents:
        node = node[int(p)] if p.isdigit() else node[p]
    if last.isdigit():
        node[int(last)] = value
    else:
        node[last] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("entities.0.type", "WEAPON", "entities[0].type: unknown entity type 'WEAPON'"),
        ("events.0.type", "PARTY", "events[0].type: unknown event type 'PARTY'"),
        ("events.0.arguments.0.role", "victim", "events[0].arguments[0].role: 'victim' is not a role of STATEMENT"),
        ("events.0.arguments.0.ref", "nope", "events[0].arguments[0].ref: 'nope' is not an entity or date mention"),
        ("events.0.arguments.1.ref", "e1", "role 'time' of STATEMENT takes a date, not an entity ORG mention"),
        ("links.0.target", "e1", "links[0].target: 'e1' is an entity mention"),
        ("links.0.source", "zz", "links[0].source: 'zz' is not a mention of this set"),
        ("dates.1.id", "d1", "dates[1].id: duplicate id 'd1'"),
        ("entities.0.start", 1, "entities[0].text: 'ارتش عراق' does not match the document text"),
        ("doc_id", "other", "doc_id: 'other' is not document"),
    ],
)
def test_invalid_sets_name_the_field(path: str, value: Any, message: str) -> None:
    data = _edit(path, value)
    if path == "entities.0.start":
        data["entities"][0]["end"] = 1 + len("ارتش عراق")
    aset = AnnotationSet.model_validate(data)
    with pytest.raises(InvalidAnnotation) as info:
        validate_annotation_set(aset, _doc(), default_taxonomy())
    assert message in str(info.value)


def test_span_past_end_of_text() -> None:
    data = _valid()
    n = len(TEXT)
    data["entities"][0].update(start=n - 2, end=n + 1, text="۰۰x")
    aset = AnnotationSet.model_validate(data)
    with pytest.raises(InvalidAnnotation, match=r"entities\[0\]: end .* past the end of the text"):
        validate_annotation_set(aset, _doc(), default_taxonomy())


def test_every_problem_is_listed_at_once() -> None:
    data = _edit("entities.0.type", "WEAPON")
    data["links"][0]["target"] = "e1"
    aset = AnnotationSet.model_validate(data)
    with pytest.raises(InvalidAnnotation) as info:
        validate_annotation_set(aset, _doc(), default_taxonomy())
    assert len(info.value.problems) == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end": 3, "start": 5}, "end (3) must be greater than start (5)"),
        ({"text": "x"}, "text has 1 code points"),
        ({"lexicon": "fa-XX"}, "unknown month-name set 'fa-XX'"),
        ({"gregorian_end": None}, "given together"),
        ({"gregorian_end": "2020-01-01"}, "gregorian_end is before gregorian_start"),
        ({"calendar": "julian"}, "calendar"),
        ({"native": {"month": 13}}, "native.month"),
    ],
)
def test_date_mention_invariants(change: dict[str, Any], message: str) -> None:
    data = _valid()["dates"][0] | change
    with pytest.raises(pydantic.ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        DateMention.model_validate(data)


def test_self_link_rejected() -> None:
    data = _valid()
    data["links"][0]["target"] = "d1"
    with pytest.raises(pydantic.ValidationError, match="two different mentions"):
        AnnotationSet.model_validate(data)


def test_default_taxonomy_roles_point_at_known_types() -> None:
    tax = default_taxonomy()
    assert {"PER", "ORG", "GPE", "LOC", "FAC"} <= set(tax.entity_names())
    assert {"ATTACK", "MEETING", "STATEMENT", "WITHDRAWAL", "VOTE", "SUSPENSION", "RESUMPTION"} <= set(
        tax.event_names()
    )
    for et in tax.event_types:
        assert et.roles, et.name


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda t: t["entity_types"].append(dict(t["entity_types"][0])), "type names used twice: PER"),
        (lambda t: t["event_types"][0].update(hotkey="p"), "hotkeys used twice: p"),
        (lambda t: t["event_types"][0]["roles"][0].update(entity_types=["WEAPON"]), "unknown entity types: WEAPON"),
    ],
)
def test_taxonomy_file_errors_name_the_file(tmp_path: Path, mutate: Any, message: str) -> None:
    data = default_taxonomy().model_dump(mode="json")
    mutate(data)
    path = tmp_path / "taxonomy.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(Exception, match=message) as info:
        load_taxonomy(path)
    assert str(path) in str(info.value)


def test_project_taxonomy_round_trips() -> None:
    tax = default_taxonomy()
    assert Taxonomy.model_validate_json(tax.model_dump_json()) == tax


def test_schemas_directory_matches_the_models() -> None:
    stale = stale_schemas(ROOT / "schemas")
    assert not stale, f"schemas/ is out of date ({stale}); run `annotate schemas --write`"


@pytest.mark.parametrize(
    ("change", "label"),
    [
        ({}, "2020-01-30"),
        ({"granularity": "month", "gregorian_start": "2014-09-01", "gregorian_end": "2014-09-30"},
         "2014-09-01 .. 2014-09-30"),
        ({"gregorian_start": None, "gregorian_end": None}, "no Gregorian value (year unknown)"),
    ],
)
def test_date_gregorian_label_shows_ranges(change: dict[str, Any], label: str) -> None:
    assert DateMention.model_validate(_valid()["dates"][0] | change).gregorian_label() == label


# --- event attributes (modality, polarity, tense) ---------------------------------------------------------------


def test_an_event_saved_before_the_attributes_reads_as_asserted_positive_unspecified() -> None:
    data = _valid()
    assert not {"modality", "polarity", "tense"} & data["events"][0].keys()
    aset = AnnotationSet.model_validate(data)
    validate_annotation_set(aset, _doc(), default_taxonomy())
    assert aset.events[0].attributes() == {"modality": "asserted", "polarity": "positive", "tense": "unspecified"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("modality", "planned", "Input should be 'asserted' or 'other'"),
        ("polarity", "no", "Input should be 'positive' or 'negative'"),
        ("tense", "futur", "Input should be 'past', 'present', 'future' or 'unspecified'"),
        ("modality", None, "Input should be 'asserted' or 'other'"),
    ],
)
def test_event_attribute_values_are_checked(field: str, value: Any, message: str) -> None:
    data = _valid()
    data["events"][0][field] = value
    with pytest.raises(InputError, match=re.escape(message)) as info:
        parse_model(AnnotationSet, data, where="set.json")
    assert f"events.0.{field}" in str(info.value) and "set.json" in str(info.value)


def test_the_attribute_table_is_the_models_enums_and_defaults() -> None:
    """EVENT_ATTRIBUTES (what the labeler, Label Studio, agreement and the export read) lists each field's values
    in the enum's order, and an event's default is the value the guidelines call the default."""
    fields = Event.model_fields
    for name, values in EVENT_ATTRIBUTES.items():
        enum = fields[name].annotation
        assert list(values) == [m.value for m in enum], name
        assert "(the default)" in values[fields[name].default], name
        assert all(values.values()), name


def test_the_event_schema_lists_the_attribute_values() -> None:
    schema = Event.model_json_schema()
    assert schema["$defs"]["Modality"]["enum"] == ["asserted", "other"]
    assert schema["$defs"]["Tense"]["enum"] == ["past", "present", "future", "unspecified"]
    assert schema["properties"]["polarity"]["default"] == "positive"
    assert "modality" not in schema.get("required", [])
