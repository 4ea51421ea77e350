"""Creating a release: the current gold frozen into a new, immutable, hashed directory (see
:mod:`annotate.release.versions` for its layout), the bump checked against the diff, the changelog rewritten;
the splits pinned by an import; and what the next release would change before it is made.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from .. import __version__
from ..annotation.guidelines import guidelines_version
from ..canonical import canonical_json, utcnow
from ..errors import ExportError, InputError
from ..models import GOLD_AUTHOR, SCHEMA_VERSION, AnnotationSet, AnnotationStatus, Document, validate_annotation_set
from ..store import Store
from ..taxonomy import Taxonomy
from .diffs import ReleaseDiff, Snapshot, check_bump, diff_snapshots, labels_of, release_snapshot, write_changelog
from .manifest import Bump, DocumentChanges, FileHash, ManifestDocument, ReleaseChanges, ReleaseManifest, SplitHash
from .staging import remove_leftovers, remove_tree, staging_dir
from .versions import (
    BUMPS,
    MANIFEST,
    MANIFEST_FORMAT,
    OFFSET_CONVENTION,
    PINNED_SPLITS_META,
    SETS_DIR,
    SPLITS,
    TAXONOMY,
    ReleaseInfo,
    assign_splits,
    bump_version,
    canonical_bytes,
    doc_filename,
    document_record,
    list_versions,
    load_manifest,
    manifest_hash,
    release_info,
    releases_dir,
    set_record,
    sha256_hex,
    split_hash,
    versions_in,
)


def gold_records(store: Store, taxonomy: Taxonomy) -> Iterator[tuple[Document, AnnotationSet]]:
    """The current gold of every document marked gold, validated; stale gold (older text) is refused."""
    for aset in store.sets.list(author=GOLD_AUTHOR):
        if aset.status != AnnotationStatus.gold:
            continue
        document = store.documents.get(aset.doc_id)
        if aset.text_sha256 is not None and aset.text_sha256 != document.text_sha256:
            raise ExportError(
                f"document {aset.doc_id}: its gold annotation set was made on an older text",
                hint="adjudicate the document again (its text was replaced) before releasing",
            )
        validate_annotation_set(aset, document, taxonomy)
        yield document, aset


def _write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_release(
    root: str | Path,
    records: Iterable[tuple[Document, AnnotationSet]],
    *,
    bump: Bump,
    message: str,
    guideline: str,
    previous: str | None = None,
    created_at: datetime | None = None,
    check: Callable[[ReleaseDiff], None] | None = None,
    taxonomy: Taxonomy | None = None,
    sets_of: Callable[[str], Sequence[AnnotationSet]] | None = None,
    pinned_splits: Mapping[str, str] | None = None,
) -> tuple[ReleaseManifest, ReleaseDiff]:
    """Write a new release under ``root`` (the ``releases`` directory); return its manifest and its diff.

    The version is ``previous`` bumped by ``bump``. ``check`` sees the diff against ``previous`` before anything
    is moved into place (and may raise). ``taxonomy`` is frozen as ``taxonomy.json``; ``sets_of(doc_id)`` gives
    a document's other annotation sets (annotators', the engine's), frozen as ``sets/<doc_id>.json``;
    ``pinned_splits`` are the splits of documents imported from an export (earlier releases win over them).
    Files are written into a temporary directory that is renamed into place at the end, so a failure leaves no
    partial release.
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    version = bump_version(previous, bump)
    final = root / version
    if final.exists():
        raise ExportError(f"release {version} already exists at {final}; releases are immutable",
                          hint="bump to another version")
    prev_snap = release_snapshot(root / previous) if previous else None
    earlier_splits: dict[str, str] = dict(pinned_splits or {})
    for v in versions_in(root):
        for d, e in load_manifest(root / v).documents.items():
            earlier_splits[d] = e.split
    remove_leftovers(root)
    tmp = staging_dir(root, version)
    try:
        docs: dict[str, dict[str, Any]] = {}
        langs: dict[str, str] = {}
        labels: set[str] = set()
        for document, gold in records:
            if document.id in docs:
                raise ExportError(f"document {document.id} appears twice in the release input")
            rec = document_record(document, gold)
            data = canonical_bytes(rec)
            rel = doc_filename(document.id)
            _write_file(tmp / rel, data)
            docs[document.id] = {"path": rel, "sha256": sha256_hex(data), "lang": document.lang}
            others = [a for a in sets_of(document.id) if a.author != GOLD_AUTHOR] if sets_of else []
            if others:
                set_data = canonical_bytes([set_record(a) for a in sorted(others, key=lambda a: a.author)])
                set_rel = f"{SETS_DIR}/{document.id}.json"
                _write_file(tmp / set_rel, set_data)
                docs[document.id]["sets"] = {"path": set_rel, "sha256": sha256_hex(set_data)}
            langs[document.id] = document.lang
            labels |= labels_of(rec["gold"])
        if not docs:
            raise ExportError("there is no gold to release: no document has an annotation set marked gold",
                              hint="adjudicate documents (curation) before creating a release")
        splits = assign_splits(langs, earlier_splits)
        for d, s in splits.items():
            docs[d]["split"] = s
        frozen_taxonomy = None
        if taxonomy is not None:
            tax_data = canonical_bytes(taxonomy.model_dump(mode="json"))
            _write_file(tmp / TAXONOMY, tax_data)
            frozen_taxonomy = FileHash(path=TAXONOMY, sha256=sha256_hex(tax_data))
        snap_b = Snapshot(version, SCHEMA_VERSION, OFFSET_CONVENTION, {d: e["sha256"] for d, e in docs.items()},
                           labels, lambda d: json.loads((tmp / docs[d]["path"]).read_bytes()))
        diff = diff_snapshots(prev_snap or Snapshot.empty(), snap_b)
        if check is not None:
            check(diff)
        manifest = ReleaseManifest(
            format=MANIFEST_FORMAT,
            version=version,
            previous=previous,
            bump=bump,
            message=message,
            created_at=(created_at or utcnow()).isoformat(timespec="seconds"),
            schema_version=SCHEMA_VERSION,
            guideline_version=guideline,
            engine_version=__version__,
            offsets=OFFSET_CONVENTION,
            labels=sorted(labels),
            documents={d: ManifestDocument.model_validate(e) for d, e in docs.items()},
            splits={
                name: SplitHash(
                    count=sum(1 for e in docs.values() if e["split"] == name),
                    sha256=split_hash((d, e["sha256"]) for d, e in docs.items() if e["split"] == name),
                )
                for name, _ in SPLITS
            },
            taxonomy=frozen_taxonomy,
            changes=ReleaseChanges(
                documents=DocumentChanges(added=len(diff.added_documents), removed=len(diff.removed_documents),
                                          changed=len(diff.changed_documents), text_changed=diff.text_changed),
                layers=diff.layer_counts(),
            ),
        )
        manifest.version_sha256 = manifest_hash(manifest)
        _write_file(tmp / MANIFEST, canonical_bytes(manifest.model_dump(mode="json")))
        for p in sorted(tmp.rglob("*"), reverse=True):
            os.chmod(p, 0o555 if p.is_dir() else 0o444)
        os.chmod(tmp, 0o555)
        tmp.rename(final)
    except BaseException:
        remove_tree(tmp, best_effort=True)
        raise
    return manifest, diff


def create_release(
    project_dir: str | Path,
    store: Store,
    taxonomy: Taxonomy,
    *,
    bump: Bump,
    message: str,
    actor: str,
    created_at: datetime | None = None,
) -> ReleaseInfo:
    """Freeze the current gold into a new immutable release and rewrite ``releases/CHANGELOG.md``; audited."""
    if bump not in BUMPS:
        raise InputError(f"unknown bump {bump!r}; use major, minor or patch", where="--bump")
    if not message.strip():
        raise InputError("a release needs a message saying what changed", where="-m/--message")
    versions = list_versions(project_dir)
    previous = versions[-1] if versions else None
    manifest, _ = write_release(
        releases_dir(project_dir),
        gold_records(store, taxonomy),
        bump=bump,
        message=message,
        guideline=guidelines_version(),
        previous=previous,
        created_at=created_at,
        check=lambda diff: check_bump(bump, diff),
        taxonomy=taxonomy,
        sets_of=lambda doc_id: store.sets.list(doc_id=doc_id),
        pinned_splits=pinned_splits(store),
    )
    write_changelog(project_dir)
    store.meta.put("release.latest", manifest.version, actor=actor)
    return release_info(manifest)


def pinned_splits(store: Store) -> dict[str, str]:
    """Splits of documents imported from an export (``annotate import EXPORT_DIR``), kept by the next release."""
    raw = store.meta.find(PINNED_SPLITS_META)
    return dict(json.loads(raw)) if raw else {}


def pin_splits(store: Store, splits: Mapping[str, str], *, actor: str) -> None:
    """Record the splits of imported documents so that the next release keeps them."""
    known = {name for name, _ in SPLITS}
    bad = sorted({s for s in splits.values() if s not in known})
    if bad:
        raise InputError(f"unknown split(s) {', '.join(bad)}; a split is one of {', '.join(sorted(known))}")
    merged = {**pinned_splits(store), **splits}
    store.meta.put(PINNED_SPLITS_META, canonical_json(merged), actor=actor)


def pending_diff(project_dir: str | Path, store: Store, taxonomy: Taxonomy) -> ReleaseDiff:
    """What the next release would change: the current gold against the latest release (nothing is written).

    The same diff :func:`create_release` checks the bump against, so
    :func:`~annotate.release.diffs.required_bump` of it is the smallest bump that release accepts.
    """
    versions = list_versions(project_dir)
    previous = release_snapshot(releases_dir(project_dir) / versions[-1]) if versions else Snapshot.empty()
    records: dict[str, dict[str, Any]] = {}
    hashes: dict[str, str] = {}
    labels: set[str] = set()
    for document, gold in gold_records(store, taxonomy):
        rec = document_record(document, gold)
        records[document.id] = rec
        hashes[document.id] = sha256_hex(canonical_bytes(rec))
        labels |= labels_of(rec["gold"])
    current = Snapshot(None, SCHEMA_VERSION, OFFSET_CONVENTION, hashes, labels,
                        lambda d: json.loads(canonical_bytes(records[d])))
    return diff_snapshots(previous, current)
