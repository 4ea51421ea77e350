"""``annotate import EXPORT_DIR``: bring an exported dataset back into a project (documents and gold, byte-exact).

Everything is read and checked before anything is stored: every ``documents`` row is rebuilt into our models
(text hash, offsets, ``text[start:end] == surface``), validated against the export's ``taxonomy.json``, and
compared with what the project already holds. A document already stored with another text, or a document whose
gold differs from the export's, is refused with its id and nothing is written. The project takes the export's
taxonomy when it has none of its own (a project whose own taxonomy differs is refused), and the documents keep
their splits: the next ``annotate release create`` puts them where the export had them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExportError, InputError, NotFound
from ..models import GOLD_AUTHOR, AnnotationSet, AnnotationStatus, Document, validate_annotation_set
from ..store import Store
from ..taxonomy import Taxonomy, default_taxonomy, load_taxonomy
from .export import TAXONOMY_FILE as EXPORT_TAXONOMY
from .export import iter_export_documents, release_manifest_of_export
from .layout import is_export_dir
from .versions import canonical_set, pin_splits


@dataclass
class ExportImport:
    """What importing an export directory does: checked first (:func:`plan_import`), then applied."""

    version: str
    taxonomy: Taxonomy
    write_taxonomy: bool = False
    new: list[tuple[Document, AnnotationSet]] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    splits: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        """One line for the command line."""
        text = (f"imported export {self.version}: {len(self.added)} document(s) with gold added, "
                f"{len(self.unchanged)} already there")
        return text + ("; the project now uses the export's taxonomy" if self.write_taxonomy else "")


def export_taxonomy(path: str | Path) -> Taxonomy:
    """The taxonomy shipped in an export directory (the built-in one for an export made before they shipped it)."""
    tax_path = Path(path) / EXPORT_TAXONOMY
    return load_taxonomy(tax_path) if tax_path.is_file() else default_taxonomy()


def _same_gold(a: AnnotationSet, b: AnnotationSet) -> bool:
    return canonical_set(a) == canonical_set(b)


def plan_import(store: Store, path: str | Path, *, own_taxonomy: Taxonomy | None) -> ExportImport:
    """Read and check the export directory ``path`` against ``store``; nothing is written.

    ``own_taxonomy`` is the project's own ``taxonomy.json`` (None when it uses the built-in one); when the plan
    says ``write_taxonomy``, the caller writes :attr:`ExportImport.taxonomy` into the project and reopens the store
    before :func:`apply_import`.
    """
    root = Path(path)
    if not is_export_dir(root):
        raise NotFound(f"{root}: not an export directory (no release.json and documents/ config)")
    info = release_manifest_of_export(root)
    tax = export_taxonomy(root)
    if own_taxonomy is not None and own_taxonomy != tax:
        raise InputError(f"the project's taxonomy.json differs from the export's {EXPORT_TAXONOMY}: the gold "
                         "would not validate the same way", where=str(root),
                         hint="import into a new project (`annotate init`)")
    plan = ExportImport(version=info.version, taxonomy=tax,
                        write_taxonomy=own_taxonomy is None and tax != default_taxonomy())
    for document, gold, split in iter_export_documents(root):
        try:
            validate_annotation_set(gold, document, tax)
        except ValueError as exc:
            raise ExportError(f"{root}: document {document.id}: {exc}") from None
        if document.id in plan.splits:
            raise ExportError(f"{root}: document {document.id} appears twice")
        plan.splits[document.id] = split
        try:
            stored = store.documents.get(document.id)
        except NotFound:
            plan.new.append((document, gold))
            continue
        if stored.text_sha256 != document.text_sha256:
            raise InputError(f"document {document.id} is in the project with another text", where=str(root),
                             hint="import into a new project, or remove the document first")
        try:
            current = store.sets.get(document.id, GOLD_AUTHOR)
        except NotFound:
            plan.new.append((document, gold))
            continue
        if not _same_gold(current, gold):
            raise InputError(f"document {document.id} already has a gold set that differs from the export's",
                             where=str(root), hint="import into a new project to compare the two")
        plan.unchanged.append(document.id)
    return plan


def apply_import(store: Store, plan: ExportImport, *, actor: str) -> ExportImport:
    """Store the documents and gold sets of a checked plan (gold marked gold) and pin their splits."""
    store.documents.put([d for d, _ in plan.new], actor=actor)
    for document, gold in plan.new:
        saved = store.sets.save(gold, base_revision=0, actor=actor)
        store.sets.set_status(saved.doc_id, GOLD_AUTHOR, AnnotationStatus.gold, actor=actor)
        plan.added.append(document.id)
    pin_splits(store, plan.splits, actor=actor)
    return plan
