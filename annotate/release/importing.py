"""``annotate import EXPORT_DIR``: bring an exported dataset back into a project (documents and gold, byte-exact).

Everything is read and checked before anything is stored: every ``documents`` row is rebuilt into our models
(text hash, offsets, ``text[start:end] == surface``), validated against the export's ``taxonomy.json``, and
compared with what the project already holds. A document already stored with another text, or a document whose
gold differs from the export's, is refused with its id and nothing is written. The project takes the export's
taxonomy when it has none of its own (a project whose own taxonomy differs is refused), and the documents keep
their splits: the next ``annotate release create`` puts them where the export had them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExportError, InputError, NotFound
from ..models import GOLD_AUTHOR, AnnotationSet, AnnotationStatus, Document, validate_annotation_set
from ..project import TAXONOMY_FILE, Project
from ..taxonomy import Taxonomy, default_taxonomy, load_taxonomy
from .export import TAXONOMY_FILE as EXPORT_TAXONOMY
from .export import is_export_dir, iter_export_documents, release_manifest_of_export
from .versions import canonical_set, pin_splits


@dataclass
class ExportImport:
    """What importing an export directory did."""

    version: str
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    splits: dict[str, str] = field(default_factory=dict)
    taxonomy_written: bool = False

    def describe(self) -> str:
        """One line for the command line."""
        text = (f"imported export {self.version}: {len(self.added)} document(s) with gold added, "
                f"{len(self.unchanged)} already there")
        return text + ("; the project now uses the export's taxonomy" if self.taxonomy_written else "")


def _export_taxonomy(path: Path) -> Taxonomy:
    tax_path = path / EXPORT_TAXONOMY
    return load_taxonomy(tax_path) if tax_path.is_file() else default_taxonomy()


def _same_gold(a: AnnotationSet, b: AnnotationSet) -> bool:
    return canonical_set(a) == canonical_set(b)


def import_export(project: Project, path: str | Path, *, actor: str) -> ExportImport:
    """Import the export directory ``path`` into ``project``: documents, gold sets marked gold, splits, taxonomy."""
    root = Path(path)
    if not is_export_dir(root):
        raise NotFound(f"{root}: not an export directory (no release.json and documents/ config)")
    info = release_manifest_of_export(root)
    tax = _export_taxonomy(root)
    own = project.path / TAXONOMY_FILE
    write_taxonomy = False
    if own.is_file():
        if load_taxonomy(own) != tax:
            raise InputError(f"{own} differs from the export's {EXPORT_TAXONOMY}: the gold would not validate the "
                             "same way", where=str(root), hint="import into a new project (`annotate init`)")
    elif tax != default_taxonomy():
        write_taxonomy = True
    records: list[tuple[Document, AnnotationSet, str]] = []
    for document, gold, split in iter_export_documents(root):
        try:
            validate_annotation_set(gold, document, tax)
        except ValueError as exc:
            raise ExportError(f"{root}: document {document.id}: {exc}") from None
        records.append((document, gold, split))
    seen: set[str] = set()
    store = project.store()
    result = ExportImport(version=str(info.get("version")))
    new: list[tuple[Document, AnnotationSet]] = []
    for document, gold, split in records:
        if document.id in seen:
            raise ExportError(f"{root}: document {document.id} appears twice")
        seen.add(document.id)
        result.splits[document.id] = split
        try:
            stored = store.documents.get(document.id)
        except NotFound:
            new.append((document, gold))
            continue
        if stored.text_sha256 != document.text_sha256:
            raise InputError(f"document {document.id} is in the project with another text", where=str(root),
                             hint="import into a new project, or remove the document first")
        try:
            current = store.sets.get(document.id, GOLD_AUTHOR)
        except NotFound:
            new.append((document, gold))
            continue
        if not _same_gold(current, gold):
            raise InputError(f"document {document.id} already has a gold set that differs from the export's",
                             where=str(root), hint="import into a new project to compare the two")
        result.unchanged.append(document.id)
    if write_taxonomy:
        own.write_text(json.dumps(tax.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n",
                       encoding="utf-8")
        project.reload()  # the store is reopened with the export's taxonomy
        store = project.store()
        result.taxonomy_written = True
    store.documents.put([d for d, _ in new], actor=actor)
    for document, gold in new:
        saved = store.sets.save(gold, base_revision=0, actor=actor)
        store.sets.set_status(saved.doc_id, GOLD_AUTHOR, AnnotationStatus.gold, actor=actor)
        result.added.append(document.id)
    pin_splits(store, result.splits, actor=actor)
    return result
