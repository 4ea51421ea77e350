"""Reading JSON Lines input: one object per line, every error naming ``file:line``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import InputError


def json_type(value: object) -> str:
    """How a JSON value's type reads in an error message: ``an array``, ``a number``, ``null``, ..."""
    return {
        type(None): "null",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def json_object(line: str, where: str) -> dict[str, Any]:
    """The JSON object on ``line``; :class:`InputError` naming ``where`` if it is not JSON or not an object."""
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg} at column {exc.colno})", where=where) from None
    if not isinstance(value, dict):
        raise InputError(f"expected a JSON object per line, got {json_type(value)}", where=where)
    return value


def iter_json_objects(lines: Iterable[str], source: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(where, object)`` for every non-blank line, ``where`` being ``source:line``; stops at the first bad line."""
    for lineno, line in enumerate(lines, start=1):
        if line.strip():
            where = f"{source}:{lineno}"
            yield where, json_object(line, where)
