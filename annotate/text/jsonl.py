"""Reading JSON Lines input: one object per line, every error naming ``file:line``.

Input lines come from people and other tools, so parsing one never raises anything but :class:`InputError`:
nesting deeper than :data:`MAX_DEPTH`, numbers too long for Python's int conversion, lone surrogate escapes and
whatever else makes the parser (or, later, the database) choke are each one named error for that line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import InputError

MAX_DEPTH = 100
"""Deepest nesting of arrays and objects accepted in one JSON value (a document or a dump record needs < 10)."""


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


def json_depth(value: object) -> int:
    """How deeply ``value`` nests arrays and objects (a scalar is 0, ``[]`` is 1), without recursion."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Iterable[object] = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        depth += 1
        deepest = max(deepest, depth)
        stack.extend((child, depth) for child in children)
    return deepest


def parse_json(line: str, where: str) -> Any:
    """The JSON value on ``line``; :class:`InputError` naming ``where`` for anything the parser or limits refuse."""
    try:
        value = json.loads(line, parse_constant=_refuse_constant, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg} at column {exc.colno})", where=where) from None
    except RecursionError:
        raise InputError(f"JSON nested deeper than {MAX_DEPTH} levels", where=where) from None
    except ValueError as exc:  # e.g. an integer with more digits than int() converts
        raise InputError(f"not usable JSON ({exc})", where=where) from None
    if json_depth(value) > MAX_DEPTH:
        raise InputError(f"JSON nested deeper than {MAX_DEPTH} levels", where=where)
    if "\\u" in line and _has_lone_surrogate(value):
        raise InputError(
            "a string holds a lone UTF-16 surrogate escape (\\ud800-\\udfff), which is not a character",
            where=where, hint="escape characters outside the BMP as a surrogate pair, or write them as UTF-8",
        )
    return value


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"the number {text[:40]} is too large for a float")
    return value


def _has_lone_surrogate(value: object) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def json_object(line: str, where: str) -> dict[str, Any]:
    """The JSON object on ``line``; :class:`InputError` naming ``where`` if it is not JSON or not an object."""
    value = parse_json(line, where)
    if not isinstance(value, dict):
        raise InputError(f"expected a JSON object per line, got {json_type(value)}", where=where)
    return value


def iter_json_objects(lines: Iterable[str], source: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(where, object)`` for every non-blank line, ``where`` being ``source:line``; stops at the first bad line."""
    for lineno, line in enumerate(lines, start=1):
        if line.strip():
            where = f"{source}:{lineno}"
            yield where, json_object(line, where)
