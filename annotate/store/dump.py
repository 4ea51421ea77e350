"""Lossless JSON Lines dump of a whole store, and restore into an empty project.

One JSON object per line, keys sorted, in a fixed order: a header, the store's meta entries, documents (each
with its earlier versions), users, annotation sets (each with all its revisions), conflicts, the audit log.
Every row is written as stored, so ``dump -> restore -> dump`` gives the same bytes, on SQLite and PostgreSQL
alike. Restore writes no audit entry of its own for that reason: the restored audit log is the dumped one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import IO, Any

import pydantic

from ..errors import InputError, pydantic_problems
from ..models import SCHEMA_VERSION, AnnotationSet, Document
from ..text.jsonl import iter_json_objects
from . import STORE_FORMAT, Store, canonical_json
from .backup import Restorer

DUMP_FORMAT = "annotate-dump"
DUMP_VERSION = 1


def _drop(row: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in keys}


def iter_dump(store: Store) -> Iterator[dict[str, Any]]:
    """The dump as records, in order (what :func:`dump` writes one per line)."""
    yield {
        "kind": "header",
        "format": DUMP_FORMAT,
        "dump_version": DUMP_VERSION,
        "store_format": STORE_FORMAT,
        "model_schema": SCHEMA_VERSION,
    }
    rows = store.backup.rows
    for row in rows("meta"):
        yield {"kind": "meta", **row}
    versions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows("document_versions"):
        versions[row["doc_id"]].append(_drop(row, "doc_id"))
    for row in rows("documents"):
        yield {"kind": "document", "row": row, "versions": versions.pop(row["id"], [])}
    for row in rows("users"):
        yield {"kind": "user", "row": row}
    revisions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows("revisions"):
        revisions[row["set_id"]].append(_drop(row, "set_id"))
    for row in rows("annotation_sets"):
        yield {"kind": "annotation_set", "row": _drop(row, "id"), "revisions": revisions.pop(row["id"], [])}
    for row in rows("conflicts"):
        yield {"kind": "conflict", "row": row}
    for row in rows("drafts"):
        yield {"kind": "draft", "row": row}
    for row in rows("assignments"):
        yield {"kind": "assignment", "row": row}
    for row in rows("external_ids"):
        yield {"kind": "external_id", "row": row}
    for row in rows("audit_log"):
        yield {"kind": "audit", "row": row}


def dump(store: Store, out: IO[str]) -> int:
    """Write the whole store to ``out`` as JSON Lines; return the number of lines written."""
    n = 0
    for record in iter_dump(store):
        out.write(canonical_json(record))
        out.write("\n")
        n += 1
    return n


_PLAIN_KINDS: dict[str, tuple[str, type[pydantic.BaseModel] | None]] = {
    "user": ("users", None),
    "conflict": ("conflicts", AnnotationSet),
    "draft": ("drafts", AnnotationSet),
    "assignment": ("assignments", None),
    "external_id": ("external_ids", None),
    "audit": ("audit_log", None),
}
"""Record kinds that are one row of one table: the table, and the model its ``content`` must fit."""


class _Loader:
    """Checks each dump record and inserts it through the one open restore transaction."""

    def __init__(self, store: Store, restorer: Restorer) -> None:
        self.store = store
        self.restorer = restorer
        self.counts: dict[str, int] = defaultdict(int)

    def _columns(self, table: str, row: Any, where: str, drop: tuple[str, ...] = ()) -> dict[str, Any]:
        if not isinstance(row, dict):
            raise InputError(f"'row' must be an object, not {type(row).__name__}", where=where)
        expected = self.store.backup.columns(table) - set(drop)
        missing, extra = sorted(expected - row.keys()), sorted(row.keys() - expected)
        if missing or extra:
            parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
                [f"unexpected {', '.join(extra)}"] if extra else []
            )
            raise InputError(f"{table} row: {'; '.join(parts)}", where=where)
        return row

    def load(self, record: dict[str, Any], where: str) -> None:
        kind = record.get("kind")
        if kind == "meta":
            key, value = record.get("key"), record.get("value")
            if not isinstance(key, str) or not isinstance(value, str):
                raise InputError("meta needs string 'key' and 'value'", where=where)
            self.restorer.put_meta(key, value)
        elif kind == "document":
            row = self._columns("documents", record.get("row"), where)
            self._check_document(row, where)
            self.restorer.insert("documents", row)
            for i, v in enumerate(_list(record, "versions", where)):
                vrow = self._columns("document_versions", v, f"{where} versions[{i}]", drop=("doc_id",))
                _validate(Document, vrow["document"], f"{where} versions[{i}].document")
                self.restorer.insert("document_versions", {"doc_id": row["id"], **vrow})
        elif kind == "annotation_set":
            row = self._columns("annotation_sets", record.get("row"), where, drop=("id",))
            set_id = self.restorer.insert("annotation_sets", row)
            for i, r in enumerate(_list(record, "revisions", where)):
                rw = f"{where} revisions[{i}]"
                rrow = self._columns("revisions", r, rw, drop=("set_id",))
                _validate(
                    AnnotationSet,
                    {"doc_id": row["doc_id"], "author": row["author"], **_object(rrow["content"], f"{rw}.content")},
                    f"{rw}.content",
                )
                self.restorer.insert("revisions", {"set_id": set_id, **rrow})
        elif isinstance(kind, str) and kind in _PLAIN_KINDS:
            table, model = _PLAIN_KINDS[kind]
            row = self._columns(table, record.get("row"), where)
            if model is not None:
                _validate(model, row["content"], f"{where} content")
            self.restorer.insert(table, row)
        else:
            raise InputError(f"unknown record kind {kind!r}", where=where)
        self.counts[str(kind)] += 1

    @staticmethod
    def _check_document(row: dict[str, Any], where: str) -> None:
        data = {k: row[k] for k in ("id", "lang", "text", "text_sha256", "title", "publisher", "url", "reference_date")}
        _validate(Document, {**data, "metadata": row["metadata"]}, f"{where} row")


def _list(record: dict[str, Any], key: str, where: str) -> list[Any]:
    value = record.get(key, [])
    if not isinstance(value, list):
        raise InputError(f"{key!r} must be an array", where=where)
    return value


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"must be an object, not {type(value).__name__}", where=where)
    return value


def _validate(model: type[pydantic.BaseModel], data: Any, where: str) -> None:
    try:
        model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise InputError("; ".join(pydantic_problems(exc)), where=where) from None


def restore(store: Store, inp: IO[str], *, name: str = "<dump>") -> dict[str, int]:
    """Load a dump made by :func:`dump` into an empty store, all or nothing; return records per kind.

    Refuses (:class:`InputError`) a store that already holds data, a file that is not an annotate dump, and
    any malformed line, naming the line; nothing is stored then.
    """
    if not store.backup.is_empty():
        raise InputError(
            "the project is not empty; restore only loads into a new, empty project",
            where=name,
            hint="run `annotate --project NEW_DIR init` and restore into NEW_DIR",
        )
    with store.backup.restoring() as restorer:
        loader = _Loader(store, restorer)
        header_seen = False
        for where, record in iter_json_objects(inp, name):
            if not header_seen:
                if record.get("kind") != "header" or record.get("format") != DUMP_FORMAT:
                    raise InputError("not an annotate dump (the first line must be its header)", where=where)
                if record.get("dump_version") != DUMP_VERSION or record.get("store_format") != STORE_FORMAT:
                    raise InputError(
                        f"dump version {record.get('dump_version')}, store format "
                        f"{record.get('store_format')} cannot be read by this version "
                        f"(expects {DUMP_VERSION}, {STORE_FORMAT})",
                        where=where,
                    )
                header_seen = True
                continue
            loader.load(record, where)
        if not header_seen:
            raise InputError("the file is empty; expected an annotate dump", where=name)
    return dict(loader.counts)
