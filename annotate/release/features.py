"""`datasets` Features derived from the pydantic models, and the row encoding both ways.

The export's nested layers are not written by hand: :func:`model_features` walks a model's fields, so a field added
to :class:`~annotate.models.Event` (say a modality) appears in the export and is read back by the importer without
touching this module. Type mapping: ``str``, enums and literals -> ``string``; ``int`` -> ``int32``; ``bool``;
``float`` -> ``float64``; ``date`` -> ``date32``; ``datetime`` -> ``timestamp[us, tz=UTC]``; a nested model -> a
struct; ``list[X]`` -> ``List(X)``; ``dict`` -> a JSON string (``null`` when empty).

Nested field names never repeat a top-level column name: a nested ``id`` becomes ``mention_id`` / ``event_id`` /
``link_id`` (:data:`NESTED_ID`) and a nested ``text`` becomes ``surface``, so flattening a row (``ds.flatten()``,
pandas ``json_normalize``) never gives two meanings of one name.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

from datasets import List, Value
from pydantic import BaseModel

from ..canonical import canonical_json
from ..errors import ExportError
from ..models import DateLink, DateMention, EntityMention, Event

NESTED_ID: dict[type[BaseModel], str] = {
    EntityMention: "mention_id",
    DateMention: "mention_id",
    Event: "event_id",
    DateLink: "link_id",
}
"""Name of a nested model's ``id`` in the export."""
NESTED_TEXT = "surface"
"""Name of a nested span's ``text`` (the mention as written) in the export."""

Feature = Any  # a datasets feature: Value, List, ClassLabel or a dict of them


def _unwrap_optional(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
        raise ExportError(f"cannot export a union field of {args}")
    return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def field_feature(annotation: Any) -> Feature:
    """The feature of one field annotation (see the module docstring for the mapping)."""
    a = _unwrap_optional(annotation)
    origin = typing.get_origin(a)
    if origin is typing.Literal:
        return Value("string")
    if origin is list:
        return List(field_feature(typing.get_args(a)[0]))
    if origin is dict or a is dict:
        return Value("string")
    if _is_model(a):
        return model_features(a)
    if a is bool:
        return Value("bool")
    if a is int:
        return Value("int32")
    if a is float:
        return Value("float64")
    if a is datetime:
        return Value("timestamp[us, tz=UTC]")
    if a is date:
        return Value("date32")
    if a is str or (isinstance(a, type) and issubclass(a, Enum)):
        return Value("string")
    raise ExportError(f"no export type for the field type {a!r}")


def export_name(model: type[BaseModel], field: str) -> str:
    """The export's name of a nested model's field."""
    if field == "id":
        return NESTED_ID.get(model, "id")
    if field == "text":
        return NESTED_TEXT
    return field


def model_features(model: type[BaseModel], *, nested: bool = True) -> dict[str, Feature]:
    """Features of ``model``'s fields in declaration order (``nested``: rename ``id``/``text``)."""
    return {(export_name(model, name) if nested else name): field_feature(f.annotation)
            for name, f in model.model_fields.items()}


def _encode_value(annotation: Any, value: Any) -> Any:
    a = _unwrap_optional(annotation)
    if value is None:
        return None
    origin = typing.get_origin(a)
    if origin is list:
        item = typing.get_args(a)[0]
        return [_encode_value(item, v) for v in value]
    if origin is dict or a is dict:
        return canonical_json(value) if value else None
    if _is_model(a):
        return encode(value)
    if isinstance(value, Enum):
        return value.value
    return value


def encode(obj: BaseModel, *, nested: bool = True) -> dict[str, Any]:
    """The export row (or struct) of a model instance."""
    model = type(obj)
    return {(export_name(model, name) if nested else name): _encode_value(f.annotation, getattr(obj, name))
            for name, f in model.model_fields.items()}


def _decode_value(annotation: Any, value: Any) -> Any:
    a = _unwrap_optional(annotation)
    if value is None:
        return {} if (typing.get_origin(a) is dict or a is dict) else None
    origin = typing.get_origin(a)
    if origin is list:
        item = typing.get_args(a)[0]
        return [_decode_value(item, v) for v in value]
    if origin is dict or a is dict:
        return json.loads(value)
    if _is_model(a):
        return decode(a, value)
    return value


def decode_field(model: type[BaseModel], name: str, value: Any) -> Any:
    """The model-validate input of one exported field value of ``model``."""
    return _decode_value(model.model_fields[name].annotation, value)


def decode(model: type[BaseModel], row: Mapping[str, Any], *, nested: bool = True) -> dict[str, Any]:
    """The model-validate input of an export row (the inverse of :func:`encode`); fields absent stay unset."""
    out: dict[str, Any] = {}
    for name, f in model.model_fields.items():
        key = export_name(model, name) if nested else name
        if key in row:
            out[name] = _decode_value(f.annotation, row[key])
    return out
