"""Lossless JSON Lines dump of a whole store, and restore into an empty project.

One JSON object per line, keys sorted, in a fixed order: a header, the store's meta entries, documents (each
with its earlier versions), users, annotation sets (each with all its revisions), conflicts, drafts, assignments,
ids in other systems, comments, the audit log.
Every row is written as stored, so ``dump -> restore -> dump`` gives the same bytes, on SQLite and PostgreSQL
alike. Restore writes no audit entry of its own for that reason: the restored audit log is the dumped one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import IO, Any

import pydantic
from sqlalchemy.exc import SQLAlchemyError

from ..canonical import canonical_json
from ..errors import InputError
from ..models import SCHEMA_VERSION, AnnotationSet, Document, parse_model
from ..text.jsonl import iter_json_objects
from . import STORE_FORMAT, Store
from .backup import Restorer
from .rows import (
    AssignmentRow,
    AuditRow,
    CommentRow,
    ConflictRow,
    DocumentRow,
    DocumentVersionRow,
    DraftRow,
    ExternalIdRow,
    RevisionRow,
    SetRow,
    UserRow,
    meta_problem,
)
from .schema import READABLE_FORMATS

DUMP_FORMAT = "annotate-dump"
DUMP_VERSION = 1


def _drop(row: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in keys}


_ROW_TABLES: tuple[tuple[str, str], ...] = (
    ("conflicts", "conflict"),
    ("drafts", "draft"),
    ("assignments", "assignment"),
    ("external_ids", "external_id"),
    ("comments", "comment"),
    ("audit_log", "audit"),
)
"""Tables dumped one record per row, in dump order, with the record kind of each."""


def iter_dump(store: Store) -> Iterator[dict[str, Any]]:
    """The dump as records, in order (what :func:`dump` writes one per line)."""
    yield {
        "kind": "header",
        "format": DUMP_FORMAT,
        "dump_version": DUMP_VERSION,
        "store_format": STORE_FORMAT,
        "model_schema": SCHEMA_VERSION,
    }
    with store.backup.snapshot() as snapshot:  # one state of the store, however busy it is
        rows = snapshot.rows
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
        for table, kind in _ROW_TABLES:
            for row in rows(table):
                yield {"kind": kind, "row": row}


def dump(store: Store, out: IO[str]) -> int:
    """Write the whole store to ``out`` as JSON Lines; return the number of lines written."""
    n = 0
    for record in iter_dump(store):
        out.write(canonical_json(record))
        out.write("\n")
        n += 1
    return n


_PLAIN_KINDS: dict[str, tuple[str, type[pydantic.BaseModel]]] = {
    "user": ("users", UserRow),
    "conflict": ("conflicts", ConflictRow),
    "draft": ("drafts", DraftRow),
    "assignment": ("assignments", AssignmentRow),
    "external_id": ("external_ids", ExternalIdRow),
    "comment": ("comments", CommentRow),
    "audit": ("audit_log", AuditRow),
}
"""Record kinds that are one row of one table: the table, and the model (:mod:`.rows`) the row must fit."""

_ADDED_COLUMNS: dict[int, dict[str, dict[str, Any]]] = {1: {"users": {"disabled_at": None}}}
"""Columns a dump of an earlier store format lacks, with the value they get (format 1: users are enabled)."""


class _Loader:
    """Checks each dump record against the rules of :mod:`.rows` and inserts it through the one open restore
    transaction."""

    def __init__(self, store: Store, restorer: Restorer, store_format: int) -> None:
        self.store = store
        self.restorer = restorer
        self.added = _ADDED_COLUMNS.get(store_format, {})
        self.counts: dict[str, int] = defaultdict(int)

    def _columns(self, table: str, row: Any, where: str, drop: tuple[str, ...] = ()) -> dict[str, Any]:
        if not isinstance(row, dict):
            raise InputError(f"'row' must be an object, not {type(row).__name__}", where=where)
        merged: dict[str, Any] = {**self.added.get(table, {}), **row}
        expected = self.store.backup.columns(table) - set(drop)
        missing, extra = sorted(expected - merged.keys()), sorted(merged.keys() - expected)
        if missing or extra:
            parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
                [f"unexpected {', '.join(extra)}"] if extra else []
            )
            raise InputError(f"{table} row: {'; '.join(parts)}", where=where)
        return merged

    def load(self, record: dict[str, Any], where: str) -> None:
        kind = record.get("kind")
        if kind == "meta":
            key, value = record.get("key"), record.get("value")
            if not isinstance(key, str) or not isinstance(value, str):
                raise InputError("meta needs string 'key' and 'value'", where=where)
            problem = meta_problem(key, value)
            if problem is not None:
                raise InputError(problem, where=where)
            if key != "store_format":  # the new store keeps its own: the rows are brought up to it
                self.restorer.put_meta(key, value)
        elif kind == "document":
            row = self._columns("documents", record.get("row"), where)
            self._check_document(row, where)
            self.restorer.insert("documents", row)
            for i, v in enumerate(_list(record, "versions", where)):
                vw = f"{where} versions[{i}]"
                vrow = self._columns("document_versions", v, vw, drop=("doc_id",))
                parse_model(DocumentVersionRow, vrow, where=vw)
                if vrow["version"] >= row["version"]:
                    raise InputError(f"version {vrow['version']} is not earlier than the document's "
                                     f"{row['version']}", where=vw)
                self.restorer.insert("document_versions", {"doc_id": row["id"], **vrow})
        elif kind == "annotation_set":
            row = self._columns("annotation_sets", record.get("row"), where, drop=("id",))
            parse_model(SetRow, row, where=f"{where} row")
            revisions = _list(record, "revisions", where)
            if len(revisions) != row["head_revision"]:
                raise InputError(f"the set's head is revision {row['head_revision']} but the dump holds "
                                 f"{len(revisions)} revision(s)", where=where)
            set_id = self.restorer.insert("annotation_sets", row)
            for i, r in enumerate(revisions):
                rw = f"{where} revisions[{i}]"
                rrow = self._columns("revisions", r, rw, drop=("set_id",))
                parse_model(RevisionRow, rrow, where=rw)
                if rrow["revision"] != i + 1:
                    raise InputError(f"revision {rrow['revision']} where revision {i + 1} belongs", where=rw)
                parse_model(
                    AnnotationSet,
                    {"doc_id": row["doc_id"], "author": row["author"], **_object(rrow["content"], f"{rw}.content")},
                    where=f"{rw}.content",
                )
                self.restorer.insert("revisions", {"set_id": set_id, **rrow})
        elif isinstance(kind, str) and kind in _PLAIN_KINDS:
            table, model = _PLAIN_KINDS[kind]
            row = self._columns(table, record.get("row"), where)
            parse_model(model, row, where=f"{where} row")
            self.restorer.insert(table, row)
        else:
            raise InputError(f"unknown record kind {kind!r}", where=where)
        self.counts[str(kind)] += 1

    @staticmethod
    def _check_document(row: dict[str, Any], where: str) -> None:
        data = {k: row[k] for k in ("id", "lang", "text", "text_sha256", "title", "publisher", "url", "reference_date")}
        parse_model(Document, {**data, "metadata": row["metadata"]}, where=f"{where} row")
        parse_model(DocumentRow, {k: row[k] for k in ("id", "version", "imported_at", "imported_by")},
                    where=f"{where} row")


def _list(record: dict[str, Any], key: str, where: str) -> list[Any]:
    value = record.get(key, [])
    if not isinstance(value, list):
        raise InputError(f"{key!r} must be an array", where=where)
    return value


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"must be an object, not {type(value).__name__}", where=where)
    return value


def _decoded_lines(inp: Iterable[str] | Iterable[bytes], name: str) -> Iterator[str]:
    """The lines of ``inp`` as text; a line that is not UTF-8 is an error naming it."""
    lines: Iterable[str | bytes] = inp
    for lineno, raw in enumerate(lines, start=1):
        if not isinstance(raw, bytes):
            yield raw
            continue
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"invalid UTF-8 at byte {exc.start} of the line ({exc.reason})", where=f"{name}:{lineno}",
                             hint="a dump is UTF-8 JSON Lines as `annotate dump` writes it") from None


def restore(store: Store, inp: Iterable[str] | Iterable[bytes], *, name: str = "<dump>") -> dict[str, int]:
    """Load a dump made by :func:`dump` into an empty store, all or nothing; return records per kind.

    Refuses (:class:`InputError`) a store that already holds data, a file that is not an annotate dump, and
    any malformed line (not UTF-8, not JSON, nested too deep, a row the database refuses), naming the line;
    nothing is stored then. ``inp`` is a file or any iterable of lines, text or bytes (bytes are decoded line
    by line); an exception it raises while being read also leaves nothing stored.
    """
    if not store.backup.is_empty():
        raise InputError(
            "the project is not empty; restore only loads into a new, empty project",
            where=name,
            hint="run `annotate --project NEW_DIR init` and restore into NEW_DIR",
        )
    with store.backup.restoring() as restorer:
        loader: _Loader | None = None
        for where, record in iter_json_objects(_decoded_lines(inp, name), name):
            if loader is None:
                if record.get("kind") != "header" or record.get("format") != DUMP_FORMAT:
                    raise InputError("not an annotate dump (the first line must be its header)", where=where)
                dumped_format = record.get("store_format")
                if (record.get("dump_version") != DUMP_VERSION or type(dumped_format) is not int
                        or dumped_format not in READABLE_FORMATS):
                    raise InputError(
                        f"dump version {record.get('dump_version')}, store format "
                        f"{dumped_format} cannot be read by this version "
                        f"(expects {DUMP_VERSION}, one of {', '.join(map(str, READABLE_FORMATS))})",
                        where=where,
                    )
                loader = _Loader(store, restorer, int(dumped_format))
                continue
            try:
                loader.load(record, where)
            except SQLAlchemyError as exc:
                raise InputError(
                    f"the database refused this {record.get('kind')} record: {_db_reason(exc)}", where=where,
                    hint="restore only dumps written by `annotate dump`, unedited",
                ) from None
        if loader is None:
            raise InputError("the file is empty; expected an annotate dump", where=name)
    return dict(loader.counts)


def _db_reason(exc: SQLAlchemyError) -> str:
    """The first line of the database's own complaint, without the SQL statement and parameters."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
