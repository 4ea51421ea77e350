"""Input and output of ``annotate dates extract``: documents in, JSON Lines of mentions and links out.

Input is a plain text (one document) or a ``.jsonl`` file of documents, one JSON object a line with ``id``,
``text``, ``lang`` and optionally ``reference_date``.  Every line is validated before anything is printed, so a bad
line stops the run with its file and line number and no partial output.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final, TextIO

from ..errors import InputError
from ..models import DateLink, DateMention, freeze_text
from ..text.jsonl import iter_json_objects
from . import DateExtraction, extract_dates
from .lexicon import base_language
from .patterns import warm_patterns

__all__ = ["DocumentInput", "extraction_lines", "link_line", "mention_line", "parse_jsonl", "run_extraction",
           "worker_count", "write_extraction"]

_LANGS = ("fa", "prs", "ar")


@dataclass(frozen=True)
class DocumentInput:
    """One document to run the engine on; ``doc_id`` is None for a plain-text input."""

    doc_id: str | None
    text: str
    lang: str
    reference_date: dt.date | None


def _parse_date(value: Any, where: str, field: str) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{field} must be a YYYY-MM-DD string, not {type(value).__name__}", where=where)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{field} {value!r} is not a date; write it as YYYY-MM-DD", where=where) from None


def parse_jsonl(content: str, *, source: str, default_lang: str | None,
                default_reference: dt.date | None) -> list[DocumentInput]:
    """Read a JSON Lines file of documents; raise :class:`InputError` naming ``source:line`` on the first problem.

    ``lang`` and ``reference_date`` of a line win over the defaults given on the command line.  Blank lines are
    skipped.
    """
    docs: list[DocumentInput] = []
    for where, obj in iter_json_objects(content.splitlines(), source):
        doc_id, text = obj.get("id"), obj.get("text")
        if not isinstance(doc_id, str) or not doc_id:
            raise InputError("field 'id' is missing or not a non-empty string", where=where)
        if not isinstance(text, str) or not text:
            raise InputError("field 'text' is missing or not a non-empty string", where=where)
        lang = obj.get("lang", default_lang)
        if not isinstance(lang, str) or not lang:
            raise InputError("field 'lang' is missing; add it to the line or pass --lang", where=where)
        ref = _parse_date(obj.get("reference_date"), where, "reference_date") or default_reference
        docs.append(DocumentInput(doc_id, freeze_text(text), lang, ref))
    return docs


def text_input(content: str, *, lang: str | None, reference_date: dt.date | None, source: str) -> DocumentInput:
    """A plain text as one document (frozen: BOM dropped, CRLF/CR turned into LF)."""
    if lang is None:
        raise InputError("--lang is required for a plain-text input (fa, prs or ar)", where=source)
    return DocumentInput(None, freeze_text(content), lang, reference_date)


def mention_record(m: DateMention, doc_id: str | None = None) -> dict[str, Any]:
    """The JSON object of one mention line, fields in the documented order."""
    head: dict[str, Any] = {"kind": "mention"}
    if doc_id is not None:
        head["doc"] = doc_id
    return {
        **head,
        "id": m.id,
        "start": m.start,
        "end": m.end,
        "text": m.text,
        "calendar": m.calendar.value,
        "lexicon": m.lexicon,
        "granularity": m.granularity.value,
        "native": {"year": m.native.year, "month": m.native.month, "day": m.native.day},
        "gregorian_start": m.gregorian_start.isoformat() if m.gregorian_start else None,
        "gregorian_end": m.gregorian_end.isoformat() if m.gregorian_end else None,
        "year_inferred": m.year_inferred,
        "relative": m.relative,
        "note": m.note,
    }


def link_record(link: DateLink, doc_id: str | None = None) -> dict[str, Any]:
    """The JSON object of one link line, fields in the documented order."""
    head: dict[str, Any] = {"kind": "link"}
    if doc_id is not None:
        head["doc"] = doc_id
    return {**head, "id": link.id, "type": link.type, "source": link.source, "target": link.target,
            "consistent": link.consistent, "reason": link.reason}


_string = json.encoder.encode_basestring  # json.dumps(s, ensure_ascii=False), the C implementation


def _opt(value: object) -> str:
    return "null" if value is None else _string(value) if isinstance(value, str) else str(value)


def _day(day: dt.date | None) -> str:
    return "null" if day is None else f'"{day.isoformat()}"'


def mention_line(m: DateMention, doc_id: str | None = None) -> str:
    """``json.dumps(mention_record(m, doc_id), ensure_ascii=False)``, formatted directly (about 3x faster)."""
    head = '{"kind": "mention", ' + ("" if doc_id is None else f'"doc": {_string(doc_id)}, ')
    n = m.native
    return (f'{head}"id": {_string(m.id)}, "start": {m.start}, "end": {m.end}, "text": {_string(m.text)}, '
            f'"calendar": "{m.calendar.value}", "lexicon": {_string(m.lexicon)}, '
            f'"granularity": "{m.granularity.value}", "native": {{"year": {_opt(n.year)}, "month": {_opt(n.month)}, '
            f'"day": {_opt(n.day)}}}, "gregorian_start": {_day(m.gregorian_start)}, '
            f'"gregorian_end": {_day(m.gregorian_end)}, "year_inferred": {"true" if m.year_inferred else "false"}, '
            f'"relative": {"true" if m.relative else "false"}, "note": {_opt(m.note)}}}')


def link_line(link: DateLink, doc_id: str | None = None) -> str:
    """``json.dumps(link_record(link, doc_id), ensure_ascii=False)``, formatted directly."""
    head = '{"kind": "link", ' + ("" if doc_id is None else f'"doc": {_string(doc_id)}, ')
    return (f'{head}"id": {_string(link.id)}, "type": {_string(link.type)}, "source": {_string(link.source)}, '
            f'"target": {_string(link.target)}, "consistent": {"true" if link.consistent else "false"}, '
            f'"reason": {_opt(link.reason)}}}')


def extraction_lines(result: DateExtraction, doc_id: str | None = None) -> Iterator[str]:
    """JSON Lines (no newline) for one document's result: its mentions in text order, then its links."""
    for m in result.mentions:
        yield mention_line(m, doc_id)
    for link in result.links:
        yield link_line(link, doc_id)


def run_extraction(docs: Sequence[DocumentInput]) -> Iterator[str]:
    """Run the engine over ``docs`` and yield the output lines."""
    for doc in docs:
        yield from extraction_lines(extract_dates(doc.text, doc.lang, doc.reference_date), doc.doc_id)


PARALLEL_MIN_CHARS: Final = 2_000_000
"""Below this much text ``jobs=0`` (automatic) runs in one process: starting workers would cost more than it saves."""
_CHUNK_CHARS: Final = 500_000
"""About this much text goes to a worker at a time (small enough to keep every worker busy to the end)."""

_shared_docs: Sequence[DocumentInput] = ()
"""The documents of a parallel run, set before the workers fork so that they inherit them instead of receiving
them through a pipe."""


def _chunk_lines(bounds: tuple[int, int]) -> tuple[str, int]:
    """In a worker: the output of documents ``[start, end)`` of :data:`_shared_docs` as one block of lines."""
    lines = list(run_extraction(_shared_docs[bounds[0]:bounds[1]]))
    return "".join(line + "\n" for line in lines), len(lines)


def _chunks(docs: Sequence[DocumentInput]) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    start = size = 0
    for i, doc in enumerate(docs):
        size += len(doc.text)
        if size >= _CHUNK_CHARS:
            bounds.append((start, i + 1))
            start, size = i + 1, 0
    if start < len(docs):
        bounds.append((start, len(docs)))
    return bounds


def worker_count(docs: Sequence[DocumentInput], jobs: int) -> int:
    """The processes to run ``docs`` in: ``jobs`` when given (> 0); automatically (0), one per available CPU when
    there is at least :data:`PARALLEL_MIN_CHARS` of text and the platform can fork, else one."""
    if jobs < 0:
        raise InputError(f"--jobs must be 0 (automatic) or a positive number, not {jobs}")
    if jobs > 0:
        return jobs
    if "fork" not in multiprocessing.get_all_start_methods() or sum(len(d.text) for d in docs) < PARALLEL_MIN_CHARS:
        return 1
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _parallel_blocks(docs: Sequence[DocumentInput], workers: int) -> Iterator[tuple[str, int]]:
    """Output blocks of ``docs`` computed by ``workers`` forked processes, in document order."""
    global _shared_docs
    for lang in {base_language(d.lang) for d in docs}:
        warm_patterns(lang)  # compiled once here, inherited by every worker
    _shared_docs = docs
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_chunk_lines, _chunks(docs))
    finally:
        _shared_docs = ()


def write_extraction(docs: Sequence[DocumentInput], out: TextIO, *, block: int = 1 << 16, jobs: int = 1) -> int:
    """Run the engine over ``docs`` and write the output lines to ``out`` in blocks of about ``block``
    characters (one write per block, not per line); returns the number of lines written.

    ``jobs`` processes share the work (0: automatic, see :func:`worker_count`); the output is the same, in the
    same order, whatever their number.
    """
    workers = worker_count(docs, jobs)
    if workers > 1:
        count = 0
        for text, lines in _parallel_blocks(docs, workers):
            out.write(text)
            count += lines
        return count
    pending: list[str] = []
    size = count = 0
    for line in run_extraction(docs):
        pending.append(line)
        size += len(line) + 1
        count += 1
        if size >= block:
            out.write("\n".join(pending) + "\n")
            pending, size = [], 0
    if pending:
        out.write("\n".join(pending) + "\n")
    return count


def read_input(content: str, *, source: str, is_jsonl: bool, lang: str | None,
               reference_date: dt.date | None) -> list[DocumentInput]:
    """The documents of one CLI input: a ``.jsonl`` of documents or one plain text."""
    if lang is not None and lang not in _LANGS:
        raise InputError(f"--lang {lang!r} is not one of {', '.join(_LANGS)}", where=source)
    if is_jsonl:
        return parse_jsonl(content, source=source, default_lang=lang, default_reference=reference_date)
    return [text_input(content, lang=lang, reference_date=reference_date, source=source)]
