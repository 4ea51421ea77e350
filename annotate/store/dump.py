"""Lossless JSON Lines dump of a whole store, and restore into an empty project.

One JSON object per line, keys sorted, in a fixed order: a header, the store's meta entries, documents (each
with its earlier versions), users, annotation sets (each with all its revisions), conflicts, the audit log.
Every row is written as stored, so ``dump -> restore -> dump`` gives the same bytes, on SQLite and PostgreSQL
alike. Restore writes no audit entry of its own for that reason: the restored audit log is the dumped one.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import IO, Any

import pydantic
from sqlalchemy import Connection, Table, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from ..errors import InputError, pydantic_problems
from ..models import SCHEMA_VERSION, AnnotationSet, Document
from ..text.jsonl import json_object
from . import (
    STORE_FORMAT,
    Store,
    assignments_table,
    audit_table,
    canonical_json,
    conflicts_table,
    document_versions_table,
    documents_table,
    drafts_table,
    external_ids_table,
    meta_table,
    revisions_table,
    sets_table,
    users_table,
)

DUMP_FORMAT = "annotate-dump"
DUMP_VERSION = 1

_JSON_COLUMNS: dict[str, str] = {
    "documents": "metadata",
    "document_versions": "document",
    "revisions": "content",
    "conflicts": "content",
    "audit_log": "details",
    "drafts": "content",
    "external_ids": "data",
}
"""The text column of each table that holds JSON; dumps embed it parsed so the file stays readable."""


def _out_row(table: Table, row: dict[str, Any], drop: tuple[str, ...] = ()) -> dict[str, Any]:
    out = {k: v for k, v in row.items() if k not in drop}
    col = _JSON_COLUMNS.get(table.name)
    if col is not None:
        out[col] = json.loads(out[col])
    return out


def _in_row(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    col = _JSON_COLUMNS.get(table.name)
    if col is not None:
        out[col] = canonical_json(out[col])
    return out


def iter_dump(store: Store) -> Iterator[dict[str, Any]]:
    """The dump as records, in order (what :func:`dump` writes one per line)."""
    yield {
        "kind": "header",
        "format": DUMP_FORMAT,
        "dump_version": DUMP_VERSION,
        "store_format": STORE_FORMAT,
        "model_schema": SCHEMA_VERSION,
    }
    for row in store.iter_rows(meta_table, ["key"]):
        yield {"kind": "meta", **row}
    versions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in store.iter_rows(document_versions_table, ["doc_id", "version"]):
        versions[row["doc_id"]].append(_out_row(document_versions_table, row, drop=("doc_id",)))
    for row in store.iter_rows(documents_table, ["id"]):
        yield {
            "kind": "document",
            "row": _out_row(documents_table, row),
            "versions": versions.pop(row["id"], []),
        }
    for row in store.iter_rows(users_table, ["name"]):
        yield {"kind": "user", "row": row}
    revisions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in store.iter_rows(revisions_table, ["set_id", "revision"]):
        revisions[row["set_id"]].append(_out_row(revisions_table, row, drop=("set_id",)))
    for row in store.iter_rows(sets_table, ["doc_id", "author"]):
        yield {
            "kind": "annotation_set",
            "row": _out_row(sets_table, row, drop=("id",)),
            "revisions": revisions.pop(row["id"], []),
        }
    for row in store.iter_rows(conflicts_table, ["id"]):
        yield {"kind": "conflict", "row": _out_row(conflicts_table, row)}
    for row in store.iter_rows(drafts_table, ["doc_id", "author"]):
        yield {"kind": "draft", "row": _out_row(drafts_table, row)}
    for row in store.iter_rows(assignments_table, ["doc_id", "annotator"]):
        yield {"kind": "assignment", "row": row}
    for row in store.iter_rows(external_ids_table, ["system", "kind", "local_id"]):
        yield {"kind": "external_id", "row": _out_row(external_ids_table, row)}
    for row in store.iter_rows(audit_table, ["id"]):
        yield {"kind": "audit", "row": _out_row(audit_table, row)}


def dump(store: Store, out: IO[str]) -> int:
    """Write the whole store to ``out`` as JSON Lines; return the number of lines written."""
    n = 0
    for record in iter_dump(store):
        out.write(canonical_json(record))
        out.write("\n")
        n += 1
    return n


class _Loader:
    """Checks each dump record and inserts it through one open transaction."""

    def __init__(self, store: Store, conn: Connection, name: str) -> None:
        self.store = store
        self.conn = conn
        self.name = name
        self.counts: dict[str, int] = defaultdict(int)

    def _columns(self, table: Table, row: Any, where: str, drop: tuple[str, ...] = ()) -> dict[str, Any]:
        if not isinstance(row, dict):
            raise InputError(f"'row' must be an object, not {type(row).__name__}", where=where)
        expected = {c.name for c in table.columns} - set(drop)
        missing, extra = sorted(expected - row.keys()), sorted(row.keys() - expected)
        if missing or extra:
            parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
                [f"unexpected {', '.join(extra)}"] if extra else []
            )
            raise InputError(f"{table.name} row: {'; '.join(parts)}", where=where)
        return _in_row(table, row)

    def load(self, record: dict[str, Any], where: str) -> None:
        kind = record.get("kind")
        if kind == "meta":
            key, value = record.get("key"), record.get("value")
            if not isinstance(key, str) or not isinstance(value, str):
                raise InputError("meta needs string 'key' and 'value'", where=where)
            if self.conn.execute(select(meta_table.c.key).where(meta_table.c.key == key)).first():
                self.conn.execute(update(meta_table).where(meta_table.c.key == key).values(value=value))
            else:
                self.conn.execute(insert(meta_table).values(key=key, value=value))
        elif kind == "document":
            row = self._columns(documents_table, record.get("row"), where)
            self._check_document(row, where)
            self.conn.execute(insert(documents_table).values(**row))
            for i, v in enumerate(_list(record, "versions", where)):
                vrow = self._columns(document_versions_table, v, f"{where} versions[{i}]", drop=("doc_id",))
                _validate(Document, json.loads(vrow["document"]), f"{where} versions[{i}].document")
                self.conn.execute(insert(document_versions_table).values(doc_id=row["id"], **vrow))
        elif kind == "user":
            self.conn.execute(insert(users_table).values(**self._columns(users_table, record.get("row"), where)))
        elif kind == "annotation_set":
            row = self._columns(sets_table, record.get("row"), where, drop=("id",))
            set_id = self.conn.execute(insert(sets_table).values(**row)).inserted_primary_key[0]  # type: ignore[index]
            for i, r in enumerate(_list(record, "revisions", where)):
                rw = f"{where} revisions[{i}]"
                rrow = self._columns(revisions_table, r, rw, drop=("set_id",))
                _validate(
                    AnnotationSet,
                    {"doc_id": row["doc_id"], "author": row["author"], **json.loads(rrow["content"])},
                    f"{rw}.content",
                )
                self.conn.execute(insert(revisions_table).values(set_id=set_id, **rrow))
        elif kind == "conflict":
            row = self._columns(conflicts_table, record.get("row"), where)
            _validate(AnnotationSet, json.loads(row["content"]), f"{where} content")
            self.conn.execute(insert(conflicts_table).values(**row))
        elif kind == "draft":
            row = self._columns(drafts_table, record.get("row"), where)
            _validate(AnnotationSet, json.loads(row["content"]), f"{where} content")
            self.conn.execute(insert(drafts_table).values(**row))
        elif kind == "assignment":
            self.conn.execute(
                insert(assignments_table).values(**self._columns(assignments_table, record.get("row"), where))
            )
        elif kind == "external_id":
            self.conn.execute(
                insert(external_ids_table).values(**self._columns(external_ids_table, record.get("row"), where))
            )
        elif kind == "audit":
            self.conn.execute(insert(audit_table).values(**self._columns(audit_table, record.get("row"), where)))
        else:
            raise InputError(f"unknown record kind {kind!r}", where=where)
        self.counts[str(kind)] += 1

    @staticmethod
    def _check_document(row: dict[str, Any], where: str) -> None:
        data = {k: row[k] for k in ("id", "lang", "text", "text_sha256", "title", "publisher", "url", "reference_date")}
        _validate(Document, {**data, "metadata": json.loads(row["metadata"])}, f"{where} row")


def _list(record: dict[str, Any], key: str, where: str) -> list[Any]:
    value = record.get(key, [])
    if not isinstance(value, list):
        raise InputError(f"{key!r} must be an array", where=where)
    return value


def _validate(model: type[pydantic.BaseModel], data: Any, where: str) -> None:
    try:
        model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise InputError("; ".join(pydantic_problems(exc)), where=where) from None


def _dump_lines(inp: IO[str] | IO[bytes], name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(where, record)`` for each non-blank line; a line that is not UTF-8 or not a JSON object is an error."""
    lines: Iterable[str | bytes] = inp
    for lineno, raw in enumerate(lines, start=1):
        where = f"{name}:{lineno}"
        if isinstance(raw, bytes):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(f"invalid UTF-8 at byte {exc.start} of the line ({exc.reason})", where=where,
                                 hint="a dump is UTF-8 JSON Lines as `annotate dump` writes it") from None
        else:
            line = raw
        if line.strip():
            yield where, json_object(line, where)


def restore(store: Store, inp: IO[str] | IO[bytes], *, name: str = "<dump>") -> dict[str, int]:
    """Load a dump made by :func:`dump` into an empty store, all or nothing; return records per kind.

    Refuses (:class:`InputError`) a store that already holds data, a file that is not an annotate dump, and
    any malformed line (not UTF-8, not JSON, nested too deep, a row the database refuses), naming the line;
    nothing is stored then. ``inp`` may be text or bytes (bytes are decoded line by line).
    """
    if not store.is_empty():
        raise InputError(
            "the project is not empty; restore only loads into a new, empty project",
            where=name,
            hint="run `annotate --project NEW_DIR init` and restore into NEW_DIR",
        )
    with store.transaction() as conn:
        loader = _Loader(store, conn, name)
        header_seen = False
        for where, record in _dump_lines(inp, name):
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
            try:
                loader.load(record, where)
            except SQLAlchemyError as exc:
                raise InputError(
                    f"the database refused this {record.get('kind')} record: {_db_reason(exc)}", where=where,
                    hint="restore only dumps written by `annotate dump`, unedited",
                ) from None
        if not header_seen:
            raise InputError("the file is empty; expected an annotate dump", where=name)
        store.fix_sequences(conn)
    return dict(loader.counts)


def _db_reason(exc: SQLAlchemyError) -> str:
    """The first line of the database's own complaint, without the SQL statement and parameters."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
