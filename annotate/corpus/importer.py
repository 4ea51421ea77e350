"""Corpus import: ``.txt`` files, ``.jsonl`` documents, manifests and directories into the project store.

* ``.txt``: one document per file (id derived from the text hash).
* ``.jsonl``: one document per line, an object with at least ``text`` and optionally ``id``, ``lang``,
  ``title``, ``publisher``, ``url``, ``reference_date`` (``YYYY-MM-DD``) and ``metadata`` (an object);
  other keys go into ``metadata``.
* Manifests (``.jsonl`` whose lines have ``file`` instead of ``text``, like ``shared/seeds/manifest.jsonl``):
  each line names a ``.txt`` file relative to the manifest, with the same optional fields. Only files inside
  the manifest's folder: ``..``, absolute paths, hidden files and symlinks leading out are refused per line
  (:func:`annotate.paths.contained_file`).
* Directories: every ``.txt`` and ``.jsonl`` below, in sorted order (hidden files skipped, symlinked folders not
  entered, a symlinked file leading out of the directory refused); files that a manifest in the tree names are
  read through the manifest only.

Problems are collected per file and line and never stop the batch; each document is stored in its own
transaction. A line the JSON parser cannot take (bad syntax, nesting deeper than
:data:`annotate.text.jsonl.MAX_DEPTH`, an integer too long to convert, a lone surrogate) is one such problem.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any, Literal

from tqdm import tqdm

from ..errors import InputError, StorageError, pydantic_input
from ..models import Document
from ..paths import check_readable_file, contained_file, walk_files
from ..store import PutOutcome, Store
from ..text.jsonl import json_object, json_type, parse_json
from .langid import detect_language

DOCUMENT_FIELDS = ("id", "lang", "title", "publisher", "url", "reference_date", "metadata")
_STRING_FIELDS = ("id", "lang", "title", "publisher", "url")
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUL = b"\x00"
_PROGRESS_STEP = 200
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
    (b"\xff\xfe", "UTF-16 (little-endian)"),
    (b"\xfe\xff", "UTF-16 (big-endian)"),
)
"""Byte order marks of the wide Unicode encodings, longest first (UTF-32 LE starts like UTF-16 LE)."""


@dataclass(frozen=True)
class LanguageDecision:
    """How a document's language was chosen: ``given`` in the input, ``override`` (--lang) or ``detected``."""

    lang: str
    how: Literal["given", "override", "detected"]
    reason: str = ""

    def describe(self) -> str:
        """One-line wording, e.g. ``prs (detected: Dari month names جنوری, دلو)``."""
        if self.how == "detected":
            return f"{self.lang} (detected: {self.reason})" if self.reason else f"{self.lang} (detected)"
        return f"{self.lang} ({'given' if self.how == 'given' else '--lang'})"


@dataclass(frozen=True)
class Problem:
    """Input that could not be imported: ``where`` is ``file`` or ``file:line``."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class DocumentResult:
    """What happened to one imported document."""

    source: str
    doc_id: str
    language: LanguageDecision
    outcome: Literal["added", "unchanged", "replaced", "refused"]
    reason: str | None = None
    stale_sets: int = 0


@dataclass(frozen=True)
class StoppedImport:
    """The storage failure (full disk, lost database) that ended an import before every document was stored."""

    source: str
    error: StorageError
    not_stored: int


@dataclass
class ImportSummary:
    """Everything an import did: a result per document and every problem, in input order.

    ``stopped`` is set when the disk or database failed: the documents before it are stored (each in its own
    transaction, listed in ``results``), the one it failed on and those after it are not.
    """

    results: list[DocumentResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    stopped: StoppedImport | None = None

    def counts(self) -> dict[str, int]:
        """Documents per outcome plus ``errors`` (input problems)."""
        c = Counter(r.outcome for r in self.results)
        return {
            "added": c["added"],
            "unchanged": c["unchanged"],
            "replaced": c["replaced"],
            "refused": c["refused"],
            "errors": len(self.problems),
        }

    @property
    def ok(self) -> bool:
        """True when every input was imported or already there."""
        return not self.problems and self.stopped is None and all(r.outcome != "refused" for r in self.results)

    def describe(self) -> str:
        """One-line summary, e.g. ``5 documents: 3 added, 2 unchanged, 0 replaced, 0 refused; 1 error``."""
        c = self.counts()
        errors = f"{c['errors']} error" + ("" if c["errors"] == 1 else "s")
        stopped = f"; stopped, {self.stopped.not_stored} not stored" if self.stopped else ""
        return (
            f"{len(self.results)} documents: {c['added']} added, {c['unchanged']} unchanged, "
            f"{c['replaced']} replaced, {c['refused']} refused; {errors}{stopped}"
        )


@dataclass(frozen=True)
class _Candidate:
    source: str
    record: dict[str, Any]


def _bare(exc: InputError) -> str:
    """The message of ``exc`` without its ``where:`` prefix (problems carry ``where`` separately)."""
    prefix = f"{exc.where}: "
    return exc.message[len(prefix) :] if exc.where and exc.message.startswith(prefix) else exc.message


def _problem(exc: InputError, where: str | None = None) -> Problem:
    """``exc`` as a problem at ``where`` (default: the error's own), its hint in brackets."""
    return Problem(where or exc.where or "?", _bare(exc) + (f" ({exc.hint})" if exc.hint else ""))


def parse_reference_date(value: object, *, where: str = "--reference-date") -> date:
    """Parse a ``YYYY-MM-DD`` date; :class:`InputError` naming ``where`` otherwise."""
    if not isinstance(value, str):
        raise InputError(f"expected a date string YYYY-MM-DD, got {json_type(value)}", where=where)
    if not _ISO_DATE_RE.match(value):
        raise InputError(f"{value!r} is not a date in the form YYYY-MM-DD", where=where)
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"{value!r} is not a valid date ({exc})", where=where) from None


def _decode(data: bytes, where: str, *, offset: int = 0) -> str:
    """UTF-8 text of ``data``; errors give the byte offset in the file (``data`` starts at ``offset``)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"invalid UTF-8 at byte offset {offset + exc.start} ({exc.reason})",
            where=where,
            hint="save the file as UTF-8",
        ) from None


def _wide_encoding_error(data: bytes, where: str) -> InputError | None:
    """An error naming the encoding when ``data`` starts with a UTF-16 or UTF-32 byte order mark."""
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            return InputError(f"the file is {name} text (it starts with its byte order mark), not UTF-8",
                              where=where, hint="save it as UTF-8, e.g. iconv -f UTF-16 -t UTF-8")
    return None


def _read_text_file(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", where=str(path)) from None
    if not data.strip():
        raise InputError("the file is empty", where=str(path))
    wide = _wide_encoding_error(data, str(path))
    if wide is not None:
        raise wide
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"this looks like a binary file (NUL byte at offset {nul}), not UTF-8 text", where=str(path))
    text = _decode(data, str(path))
    if not text.strip():
        raise InputError("the file has only white space", where=str(path))
    return text


def _jsonl_lines(path: Path) -> Iterator[tuple[int, str | InputError]]:
    """``(line number, text or error)`` for each non-blank line of a JSON Lines file."""
    data = path.read_bytes()
    if not data.strip():
        yield 0, InputError("the file is empty", where=str(path))
        return
    wide = _wide_encoding_error(data, str(path))
    if wide is not None:
        yield 0, wide
        return
    offset = 0
    for lineno, raw in enumerate(data.split(b"\n"), start=1):
        where = f"{path}:{lineno}"
        start, offset = offset, offset + len(raw) + 1
        if not raw.strip():
            continue
        if b"\x00" in raw:
            yield (
                lineno,
                InputError(f"NUL byte at offset {start + raw.index(_NUL)}; binary data?", where=where),
            )
            continue
        try:
            line = _decode(raw, where, offset=start)
        except InputError as exc:
            yield lineno, exc
            continue
        yield lineno, line.lstrip("\ufeff") if lineno == 1 else line


def _is_manifest(path: Path) -> bool:
    """A ``.jsonl`` file whose first object line has ``file`` and no ``text``."""
    if path.name == "manifest.jsonl":
        return True
    try:
        with path.open("rb") as fh:
            for raw in fh:
                if raw.strip():
                    first = parse_json(raw.decode("utf-8", errors="replace"), str(path))
                    return isinstance(first, dict) and "file" in first and "text" not in first
    except (OSError, InputError):
        return False
    return False


def _manifest_targets(path: Path) -> set[Path]:
    """The files a manifest names that it may read (inside its folder), resolved."""
    targets: set[Path] = set()
    for lineno, item in _jsonl_lines(path):
        if isinstance(item, str):
            try:
                obj = json_object(item, f"{path}:{lineno}")
                name = obj.get("file")
                if isinstance(name, str):
                    targets.add(contained_file(path.parent, name, where=f"{path}:{lineno}").resolve())
            except InputError:
                continue  # reported when the manifest itself is read
    return targets


def _expand(paths: Sequence[Path], problems: list[Problem]) -> list[Path]:
    """Files to read: explicit files as given, directories recursively sorted, minus manifest targets.

    A symlinked file that leads out of its directory is reported, never read.
    """
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            found: list[Path] = []
            for f, inside in walk_files(p):
                if f.suffix.lower() not in (".txt", ".jsonl"):
                    continue
                if not inside:
                    problems.append(Problem(str(f), f"a symlink that leads out of {p} (to {f.resolve()}); refused"))
                elif f.is_file():
                    found.append(f)
            covered: set[Path] = set()
            for f in found:
                if f.suffix.lower() == ".jsonl" and _is_manifest(f):
                    covered |= _manifest_targets(f)
            files.extend(f for f in found if f.resolve() not in covered)
        elif p.exists() or p.is_symlink():
            try:
                check_readable_file(p)
            except InputError as exc:
                problems.append(_problem(exc, exc.where or str(p)))
                continue
            files.append(p)
        else:
            problems.append(Problem(str(p), "no such file or directory"))
    return files


def _candidates(path: Path) -> Iterator[_Candidate | Problem]:
    suffix = path.suffix.lower()
    if suffix == ".txt":
        try:
            text = _read_text_file(path)
        except InputError as exc:
            yield _problem(exc, exc.where or str(path))
            return
        yield _Candidate(str(path), {"text": text, "metadata": {"source_file": path.name}})
        return
    if suffix != ".jsonl":
        yield Problem(str(path), f"unsupported file type {suffix or '(none)'!r}; import .txt, .jsonl or a directory")
        return
    try:
        lines = list(_jsonl_lines(path))
    except OSError as exc:
        yield Problem(str(path), f"cannot read file: {exc.strerror}")
        return
    for lineno, item in lines:
        where = f"{path}:{lineno}" if lineno else str(path)
        if isinstance(item, InputError):
            yield _problem(item, item.where or where)
            continue
        try:
            obj = json_object(item, where)
        except InputError as exc:
            yield _problem(exc, where)
            continue
        if "text" in obj or "file" not in obj:
            yield _Candidate(where, obj)
            continue
        yield from _manifest_entry(path, lineno, obj)


def _manifest_entry(manifest: Path, lineno: int, obj: dict[str, Any]) -> Iterator[_Candidate | Problem]:
    where = f"{manifest}:{lineno}"
    name = obj.pop("file")
    if not isinstance(name, str) or not name:
        yield Problem(where, f"field 'file': expected a file name string, got {json_type(name)}")
        return
    try:
        target = contained_file(manifest.parent, name, where=where)
    except InputError as exc:
        yield _problem(exc, where)
        return
    if not target.is_file():
        found = "is not a regular file" if target.exists() else "not found"
        yield Problem(where, f"field 'file': {name!r} {found} (looked in {manifest.parent})")
        return
    try:
        text = _read_text_file(target)
    except InputError as exc:
        yield _problem(exc, f"{where} ({exc.where})")
        return
    meta = obj.get("metadata")
    if isinstance(meta, dict):
        obj["metadata"] = {"source_file": name, **meta}
    elif meta is None:
        obj["metadata"] = {"source_file": name}
    yield _Candidate(f"{where} ({target})", {**obj, "text": text})


def _check_fields(record: dict[str, Any]) -> list[str]:
    problems = []
    text = record.get("text")
    if "text" not in record:
        problems.append("field 'text' is missing (each line needs the document text)")
    elif not isinstance(text, str):
        problems.append(f"field 'text': expected a string, got {json_type(text)}")
    elif not text.strip():
        problems.append("field 'text' is empty")
    for key in _STRING_FIELDS:
        if record.get(key) is not None and not isinstance(record[key], str):
            problems.append(f"field {key!r}: expected a string, got {json_type(record[key])}")
    if record.get("metadata") is not None and not isinstance(record["metadata"], dict):
        problems.append(f"field 'metadata': expected an object, got {json_type(record['metadata'])}")
    if record.get("reference_date") is not None:
        try:
            parse_reference_date(record["reference_date"], where="field 'reference_date'")
        except InputError as exc:
            problems.append(str(exc))
    return problems


def _decide_language(text: str, given: str | None, override: str | None) -> LanguageDecision:
    if override:
        return LanguageDecision(override, "override")
    if given:
        return LanguageDecision(given, "given")
    guess = detect_language(text)
    return LanguageDecision(guess.lang, "detected", guess.reason)


def build_document(
    record: dict[str, Any],
    *,
    where: str,
    lang: str | None = None,
    reference_date: date | None = None,
) -> tuple[Document, LanguageDecision]:
    """Turn one input record into a :class:`Document`, choosing its language; :class:`InputError` if invalid.

    ``lang`` and ``reference_date`` override the record's own values. Keys other than the document fields go
    into ``metadata``.
    """
    problems = _check_fields(record)
    if problems:
        raise InputError("; ".join(problems), where=where)
    extra = {k: v for k, v in record.items() if k not in (*DOCUMENT_FIELDS, "text")}
    metadata = dict(record.get("metadata") or {})
    clash = sorted(k for k in extra if k in metadata)
    if clash:
        raise InputError(f"keys {', '.join(clash)} appear both at top level and in 'metadata'", where=where)
    metadata.update(extra)
    decision = _decide_language(record["text"], record.get("lang"), lang)
    ref = reference_date or record.get("reference_date")
    with pydantic_input(where):
        doc = Document.create(
            record["text"],
            lang=decision.lang,
            id=record.get("id"),
            title=record.get("title"),
            publisher=record.get("publisher"),
            url=record.get("url"),
            reference_date=ref,
            metadata=metadata,
        )
    return doc, decision


def import_paths(
    store: Store,
    paths: Sequence[str | Path],
    *,
    actor: str,
    lang: str | None = None,
    reference_date: date | str | None = None,
    replace: bool = False,
    progress: bool = False,
    progress_file: IO[str] | None = None,
) -> ImportSummary:
    """Import files, manifests and directories; return what happened to each document and every problem.

    Bad input is reported per file and line and skipped; the valid documents of the same batch are still
    stored, each in its own transaction. When the disk or database fails (:class:`StorageError`), storing stops
    there and ``summary.stopped`` says where and how many were not stored. ``progress`` shows a tqdm bar (on
    ``progress_file``) while storing.
    """
    ref = parse_reference_date(reference_date) if isinstance(reference_date, str) else reference_date
    summary = ImportSummary()
    pending: list[tuple[str, Document, LanguageDecision]] = []
    for path in _expand([Path(p) for p in paths], summary.problems):
        for item in _candidates(path):
            if isinstance(item, Problem):
                summary.problems.append(item)
                continue
            try:
                doc, decision = build_document(item.record, where=item.source, lang=lang, reference_date=ref)
            except InputError as exc:
                summary.problems.append(_problem(exc, item.source))
                continue
            pending.append((item.source, doc, decision))
    with tqdm(
        total=len(pending),
        desc="importing",
        unit="doc",
        disable=not progress,
        file=progress_file,
        leave=False,
        mininterval=0,  # it moves only every _PROGRESS_STEP documents: draw each step, however fast they come
    ) as bar:
        for n, (source, doc, decision) in enumerate(pending):
            try:
                outcomes: list[PutOutcome] = store.documents.put([doc], replace=replace, actor=actor)
            except StorageError as exc:
                error = StorageError(f"storing {source} failed: {exc.message}", hint=exc.hint)
                summary.stopped = StoppedImport(source, error, len(pending) - n)
                break
            out = outcomes[0]
            summary.results.append(DocumentResult(source, out.doc_id, decision, out.outcome, out.reason,
                                                  out.stale_sets))
            if (n + 1) % _PROGRESS_STEP == 0 or n + 1 == len(pending):
                bar.update((n + 1) - (n // _PROGRESS_STEP) * _PROGRESS_STEP)
    return summary
