"""Corpus import: ``.txt`` files, ``.jsonl`` documents, manifests and directories into the project store.

* ``.txt``: one document per file (id derived from the text hash).
* ``.jsonl``: one document per line, an object with at least ``text`` and optionally ``id``, ``lang``,
  ``title``, ``publisher``, ``url``, ``reference_date`` (``YYYY-MM-DD``) and ``metadata`` (an object);
  other keys go into ``metadata``.
* Manifests (``.jsonl`` whose lines have ``file`` instead of ``text``, like ``shared/seeds/manifest.jsonl``):
  each line names a ``.txt`` file relative to the manifest, with the same optional fields.
* Directories: every ``.txt`` and ``.jsonl`` below, in sorted order; files that a manifest in the tree names
  are read through the manifest only.

Problems are collected per file and line and never stop the batch; each document is stored in its own
transaction.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any, Literal

import pydantic
from tqdm import tqdm

from ..errors import InputError, pydantic_problems
from ..models import Document
from ..store import PutOutcome, Store
from ..text.jsonl import json_object, json_type
from .langid import detect_language

DOCUMENT_FIELDS = ("id", "lang", "title", "publisher", "url", "reference_date", "metadata")
_STRING_FIELDS = ("id", "lang", "title", "publisher", "url")
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BATCH = 200
_NUL = b"\x00"


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


@dataclass
class ImportSummary:
    """Everything an import did: a result per document and every problem, in input order."""

    results: list[DocumentResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

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
        return not self.problems and all(r.outcome != "refused" for r in self.results)

    def describe(self) -> str:
        """One-line summary, e.g. ``5 documents: 3 added, 2 unchanged, 0 replaced, 0 refused; 1 error``."""
        c = self.counts()
        errors = f"{c['errors']} error" + ("" if c["errors"] == 1 else "s")
        return (
            f"{len(self.results)} documents: {c['added']} added, {c['unchanged']} unchanged, "
            f"{c['replaced']} replaced, {c['refused']} refused; {errors}"
        )


@dataclass(frozen=True)
class _Candidate:
    source: str
    record: dict[str, Any]


def _bare(exc: InputError) -> str:
    """The message of ``exc`` without its ``where:`` prefix (problems carry ``where`` separately)."""
    prefix = f"{exc.where}: "
    return exc.message[len(prefix) :] if exc.where and exc.message.startswith(prefix) else exc.message


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


def _read_text_file(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", where=str(path)) from None
    if not data.strip():
        raise InputError("the file is empty", where=str(path))
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
                    first = json.loads(raw.decode("utf-8", errors="replace"))
                    return isinstance(first, dict) and "file" in first and "text" not in first
    except (OSError, json.JSONDecodeError):
        return False
    return False


def _manifest_targets(path: Path) -> set[Path]:
    targets: set[Path] = set()
    for _lineno, item in _jsonl_lines(path):
        if isinstance(item, str):
            try:
                obj = json.loads(item)
            except json.JSONDecodeError:
                continue
            if isinstance(obj, dict) and isinstance(obj.get("file"), str):
                targets.add((path.parent / obj["file"]).resolve())
    return targets


def _expand(paths: Sequence[Path], problems: list[Problem]) -> list[Path]:
    """Files to read: explicit files as given, directories recursively sorted, minus manifest targets."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted(
                f
                for f in p.rglob("*")
                if f.is_file()
                and f.suffix.lower() in (".txt", ".jsonl")
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            covered: set[Path] = set()
            for f in found:
                if f.suffix.lower() == ".jsonl" and _is_manifest(f):
                    covered |= _manifest_targets(f)
            files.extend(f for f in found if f.resolve() not in covered)
        elif p.is_file():
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
            yield Problem(exc.where or str(path), _bare(exc))
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
            yield Problem(item.where or where, _bare(item))
            continue
        try:
            obj = json_object(item, where)
        except InputError as exc:
            yield Problem(where, _bare(exc))
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
    target = manifest.parent / name
    if not target.is_file():
        yield Problem(where, f"field 'file': {name!r} not found (looked in {manifest.parent})")
        return
    try:
        text = _read_text_file(target)
    except InputError as exc:
        yield Problem(f"{where} ({exc.where})", _bare(exc))
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
    try:
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
    except pydantic.ValidationError as exc:
        raise InputError("; ".join(pydantic_problems(exc)), where=where) from None
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
    stored, each in its own transaction. ``progress`` shows a tqdm bar (on ``progress_file``) while storing.
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
                summary.problems.append(Problem(item.source, _bare(exc) + (f" ({exc.hint})" if exc.hint else "")))
                continue
            pending.append((item.source, doc, decision))
    with tqdm(
        total=len(pending),
        desc="importing",
        unit="doc",
        disable=not progress,
        file=progress_file,
        leave=False,
    ) as bar:
        for i in range(0, len(pending), _BATCH):
            chunk = pending[i : i + _BATCH]
            outcomes: list[PutOutcome] = store.documents.put([d for _, d, _ in chunk], replace=replace, actor=actor)
            for (source, _doc, decision), out in zip(chunk, outcomes, strict=True):
                summary.results.append(
                    DocumentResult(source, out.doc_id, decision, out.outcome, out.reason, out.stale_sets)
                )
            bar.update(len(chunk))
    return summary
