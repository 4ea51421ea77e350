"""Releases: immutable, hashed versions of the gold data, their diffs, the bump rule and the changelog.

A release is a directory ``releases/<version>/`` in the project directory::

    manifest.json            versions, counts, every hash (see below)
    documents/<doc_id>.json  one canonical JSON file per document: the frozen document and its gold annotations

Canonical JSON is UTF-8, sorted keys, no spaces, no ASCII escaping, NaN/Infinity refused, and annotation lists in a
fixed order (entities and dates by ``(start, end, id)``, events by trigger then id, links by id), so the same gold
always gives the same bytes. The manifest records the sha256 of every document file, of every split (sha256 over the
sorted ``doc_id sha256`` lines of its documents) and of the whole version (sha256 of the canonical manifest without
its own ``version_sha256`` field), with the schema, guideline and engine versions.

Splits are assigned once per document and never change: a document released before keeps its split; a new document
goes, in the order of ``sha256(doc_id)``, to the split of its language that is furthest below its share (80/10/10),
so every language is stratified and the assignment depends only on the ids and the earlier releases.

Bump rule (semantic versioning, checked by :func:`required_bump`): a schema or offset-convention change, a removed
document or a label no longer used is **major**; new documents or new labels (entity types, event types, roles) are
**minor**; any other annotation change (including a changed document text, which is flagged) is **patch**. A bump
smaller than the diff requires is refused.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .. import __version__
from ..annotation.guidelines import guidelines_version
from ..canonical import canonical_json, utcnow
from ..errors import ExportError, InputError, NotFound
from ..models import (
    GOLD_AUTHOR,
    SCHEMA_VERSION,
    AnnotationSet,
    AnnotationStatus,
    Document,
    validate_annotation_set,
)
from ..paths import contained_file
from ..store import Store
from ..taxonomy import Taxonomy
from .manifest import (
    Bump,
    ChangeCounts,
    DocumentChanges,
    FileHash,
    ManifestDocument,
    ReleaseChanges,
    ReleaseManifest,
    SplitHash,
    parse_json_model,
)
from .staging import remove_leftovers, remove_tree, staging_dir

RELEASES_DIR = "releases"
MANIFEST = "manifest.json"
DOCS_DIR = "documents"
CHANGELOG = "CHANGELOG.md"
MANIFEST_FORMAT = 1
OFFSET_CONVENTION = "python code points, half-open [start, end)"
SPLITS: tuple[tuple[str, float], ...] = (("train", 0.8), ("validation", 0.1), ("test", 0.1))
TEST_SPLIT = "test"
MIN_DOCS_FOR_TEST = 3
"""A language with at least this many documents in a release gets a test document (see :func:`assign_splits`)."""
SETS_DIR = "sets"
TAXONOMY = "taxonomy.json"
PINNED_SPLITS_META = "release.pinned_splits"
"""Store meta key: JSON ``{doc_id: split}`` of documents imported from an export, kept by the next release."""
LAYERS = ("entities", "dates", "events", "links")
BUMPS: tuple[Bump, ...] = ("patch", "minor", "major")
_VERSION_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


# ---------------------------------------------------------------------------------------------- canonical form


def canonical_bytes(data: Any) -> bytes:
    """Canonical JSON bytes: sorted keys, no spaces, UTF-8, no NaN/Infinity, trailing newline."""
    try:
        text = canonical_json(data, allow_nan=False)
    except ValueError as exc:
        raise ExportError(f"cannot write canonical JSON: {exc}", hint="remove NaN/Infinity from metadata") from None
    return (text + "\n").encode("utf-8")


def sha256_hex(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def canonical_set(aset: AnnotationSet) -> dict[str, Any]:
    """The annotation layers of ``aset`` as JSON data, every list in canonical order."""
    content = aset.content()
    content["entities"].sort(key=lambda m: (m["start"], m["end"], m["id"]))
    content["dates"].sort(key=lambda m: (m["start"], m["end"], m["id"]))
    content["events"].sort(key=lambda e: (e["trigger"]["start"], e["trigger"]["end"], e["id"]))
    content["links"].sort(key=lambda link: link["id"])
    return content


def document_record(document: Document, gold: AnnotationSet) -> dict[str, Any]:
    """What a release stores for one document: the frozen document and its canonical gold layers."""
    return {
        "document": document.model_dump(mode="json"),
        "gold": canonical_set(gold),
        "gold_revision": gold.revision,
    }


def set_record(aset: AnnotationSet) -> dict[str, Any]:
    """What a release stores for one non-gold annotation set: who, status, revision, times and its layers."""
    head = aset.model_dump(mode="json", include={"author", "author_kind", "status", "revision", "text_sha256",
                                                  "created_at", "updated_at"})
    return {**head, **canonical_set(aset)}


def record_from_json(data: Mapping[str, Any], *, where: str) -> tuple[Document, AnnotationSet]:
    """Rebuild the document and its gold set from a release record (``where`` names the file in errors)."""
    try:
        document = Document.model_validate(data["document"])
        gold = AnnotationSet.model_validate(
            {
                **data["gold"],
                "doc_id": document.id,
                "author": GOLD_AUTHOR,
                "author_kind": "gold",
                "status": "gold",
                "revision": data.get("gold_revision", 0),
                "text_sha256": document.text_sha256,
            }
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ExportError(f"{where}: not a release document record: {exc}") from None
    return document, gold


# ---------------------------------------------------------------------------------------------- versions


def parse_version(version: str) -> tuple[int, int, int]:
    """``"1.2.3"`` -> ``(1, 2, 3)``; a leading ``v`` is accepted; :class:`InputError` otherwise."""
    v = version[1:] if version.startswith("v") else version
    m = _VERSION_RE.match(v)
    if not m:
        raise InputError(f"{version!r} is not a semantic version MAJOR.MINOR.PATCH (e.g. 1.2.0)", where="version")
    return int(m[1]), int(m[2]), int(m[3])


def normalise_version(version: str) -> str:
    """The version as stored (no leading ``v``)."""
    return "{}.{}.{}".format(*parse_version(version))


def bump_version(previous: str | None, bump: Bump) -> str:
    """The next version after ``previous`` (``None``: no release yet, counted from 0.0.0)."""
    major, minor, patch = parse_version(previous) if previous else (0, 0, 0)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def releases_dir(project_dir: str | Path) -> Path:
    """``<project>/releases``."""
    return Path(project_dir) / RELEASES_DIR


def list_versions(project_dir: str | Path) -> list[str]:
    """Released versions, oldest first (directories with a manifest only)."""
    root = releases_dir(project_dir)
    if not root.is_dir():
        return []
    found = [p.name for p in root.iterdir() if p.is_dir() and _VERSION_RE.match(p.name) and (p / MANIFEST).is_file()]
    return sorted(found, key=parse_version)


def release_path(project_dir: str | Path, version: str) -> Path:
    """The directory of ``version``; :class:`NotFound` (listing the versions) when it is not released."""
    v = normalise_version(version)
    path = releases_dir(project_dir) / v
    if not (path / MANIFEST).is_file():
        known = ", ".join(list_versions(project_dir)) or "none yet"
        raise NotFound(f"no release {v} in {releases_dir(project_dir)} (released: {known})",
                       hint="create one with `annotate release create --bump minor -m MESSAGE`")
    return path


def load_manifest(path: str | Path) -> ReleaseManifest:
    """The manifest of the release directory ``path``."""
    mpath = Path(path) / MANIFEST
    try:
        data = json.loads(mpath.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExportError(f"{mpath}: cannot read the release manifest: {exc}") from None
    return parse_json_model(ReleaseManifest, data, mpath, "a release manifest")


def document_path(root: Path, doc_id: str, entry: ManifestDocument) -> Path:
    """The file of ``doc_id`` a release manifest lists, refused unless it lies inside the release directory."""
    return release_file(root, entry.path, field=f"documents.{doc_id}.path")


def release_file(root: Path, rel: object, *, field: str) -> Path:
    """The file at ``rel`` (a path a release manifest lists, in its ``field``), refused unless it lies inside
    the release directory ``root`` (:func:`annotate.paths.contained_file`: no ``..``, absolute path or symlink
    out): a release someone sent cannot make us read another file."""
    if not isinstance(rel, str):
        raise ExportError(f"{root / MANIFEST}: {field} is missing or not a string")
    return contained_file(root, rel, where=str(root / MANIFEST), field=field)


def doc_filename(doc_id: str) -> str:
    """Relative path of a document's file inside a release (ids are ``[A-Za-z0-9_.:-]``, safe as names)."""
    return f"{DOCS_DIR}/{doc_id}.json"


def iter_records(
    path: str | Path, split: str | None = None, *, verify: bool = False
) -> Iterator[tuple[Document, AnnotationSet, str]]:
    """Every ``(document, gold, split)`` of a release, ordered by document id, one file read at a time
    (``verify``: check each file's sha256 against the manifest as it is read)."""
    root = Path(path)
    manifest = load_manifest(root)
    for doc_id in sorted(manifest.documents):
        entry = manifest.documents[doc_id]
        if split is not None and entry.split != split:
            continue
        fpath = document_path(root, doc_id, entry)
        try:
            raw = fpath.read_bytes()
            if verify and sha256_hex(raw) != entry.sha256:
                raise ExportError(f"{fpath}: sha256 does not match the manifest (the file was changed)",
                                  hint="restore the release directory from a backup; releases must never be edited")
            data = json.loads(raw)
        except (OSError, json.JSONDecodeError) as exc:
            raise ExportError(f"{fpath}: cannot read release document: {exc}") from None
        document, gold = record_from_json(data, where=str(fpath))
        yield document, gold, entry.split


def _read_verified(path: Path, sha256: str) -> bytes:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ExportError(f"{path}: cannot read release file: {exc}") from None
    if sha256_hex(raw) != sha256:
        raise ExportError(f"{path}: sha256 does not match the manifest (the file was changed)",
                          hint="restore the release directory from a backup; releases must never be edited")
    return raw


def iter_sets(path: str | Path) -> Iterator[tuple[Document, list[AnnotationSet], str]]:
    """Every document of a release with the non-gold annotation sets frozen beside it (hashes checked).

    :class:`ExportError` when the release kept no sets (it was made before releases kept them).
    """
    root = Path(path)
    manifest = load_manifest(root)
    if not any(e.sets is not None for e in manifest.documents.values()) and manifest.taxonomy is None:
        raise ExportError(f"release {manifest.version} keeps no annotator or engine sets (it was made "
                          "before releases kept them)", hint="create a new release to export them")
    for doc_id in sorted(manifest.documents):
        entry = manifest.documents[doc_id]
        if entry.sets is None:
            continue
        doc_path = document_path(root, doc_id, entry)
        data = json.loads(_read_verified(doc_path, entry.sha256))
        document, _ = record_from_json(data, where=str(doc_path))
        where = release_file(root, entry.sets.path, field=f"documents.{doc_id}.sets.path")
        raw = json.loads(_read_verified(where, entry.sets.sha256))
        try:
            sets = [AnnotationSet.model_validate({**item, "doc_id": doc_id}) for item in raw]
        except ValueError as exc:
            raise ExportError(f"{where}: not a list of annotation sets: {exc}") from None
        yield document, sets, entry.split


def release_taxonomy(path: str | Path) -> Taxonomy | None:
    """The taxonomy frozen in a release (hash checked), or None for a release made before releases kept one."""
    root = Path(path)
    entry = load_manifest(root).taxonomy
    if entry is None:
        return None
    path = release_file(root, entry.path, field="taxonomy.path")
    raw = _read_verified(path, entry.sha256)
    try:
        return Taxonomy.model_validate_json(raw)
    except ValueError as exc:
        raise ExportError(f"{path}: not a taxonomy: {exc}") from None


# ---------------------------------------------------------------------------------------------- splits


def _id_hash(doc_id: str) -> str:
    return hashlib.sha256(doc_id.encode("utf-8")).hexdigest()


def assign_splits(langs: Mapping[str, str], previous: Mapping[str, str]) -> dict[str, str]:
    """Split of every document id in ``langs`` (id -> language): earlier splits kept, new ids stratified.

    A language with at least :data:`MIN_DOCS_FOR_TEST` documents gets a test document: when none of its kept
    documents is in ``test``, its first new document (in ``sha256(doc_id)`` order) goes there. Kept documents
    never move, so a language whose documents were all released before stays without one.
    """
    out = {d: previous[d] for d in langs if d in previous}
    counts: dict[str, dict[str, int]] = {}
    for d, s in out.items():
        c = counts.setdefault(langs[d], {name: 0 for name, _ in SPLITS})
        c[s] = c.get(s, 0) + 1
    sizes = Counter(langs.values())
    for d in sorted((d for d in langs if d not in out), key=lambda d: (_id_hash(d), d)):
        c = counts.setdefault(langs[d], {name: 0 for name, _ in SPLITS})
        if sizes[langs[d]] >= MIN_DOCS_FOR_TEST and c[TEST_SPLIT] == 0:
            best = TEST_SPLIT
        else:
            total = sum(c.values()) + 1
            best = max(SPLITS, key=lambda s: share_gap(s, c, total))[0]
        out[d] = best
        c[best] += 1
    return out


def share_gap(split: tuple[str, float], counts: Mapping[str, int], total: int) -> float:
    """How far ``split`` is below its share of ``total`` documents (ties go to the earlier split)."""
    name, share = split
    return share * total - counts.get(name, 0) - SPLITS.index(split) * 1e-9


def split_hash(doc_hashes: Iterable[tuple[str, str]]) -> str:
    """sha256 over the sorted ``doc_id sha256`` lines of a split."""
    lines = "".join(f"{d} {h}\n" for d, h in sorted(doc_hashes))
    return sha256_hex(lines.encode("utf-8"))


def manifest_hash(manifest: ReleaseManifest) -> str:
    """sha256 of the canonical manifest without its ``version_sha256`` field."""
    return sha256_hex(canonical_bytes(manifest.model_dump(mode="json", exclude={"version_sha256"})))


# ---------------------------------------------------------------------------------------------- diffs


@dataclass
class DocumentDiff:
    """How one document changed between two versions, per layer, by stable annotation id."""

    doc_id: str
    text_changed: bool = False
    added: dict[str, list[str]] = field(default_factory=dict)
    removed: dict[str, list[str]] = field(default_factory=dict)
    changed: dict[str, list[str]] = field(default_factory=dict)

    def is_empty(self) -> bool:
        """No change at all."""
        return not (self.text_changed or any(self.added.values()) or any(self.removed.values())
                    or any(self.changed.values()))


@dataclass
class ReleaseDiff:
    """Differences from version ``a`` to ``b``."""

    a: str | None
    b: str
    added_documents: list[str] = field(default_factory=list)
    removed_documents: list[str] = field(default_factory=list)
    changed_documents: list[DocumentDiff] = field(default_factory=list)
    added_labels: list[str] = field(default_factory=list)
    removed_labels: list[str] = field(default_factory=list)
    schema_changed: bool = False
    offsets_changed: bool = False

    @property
    def text_changed(self) -> list[str]:
        """Documents whose text changed (every offset in them may have moved)."""
        return [d.doc_id for d in self.changed_documents if d.text_changed]

    def layer_counts(self) -> dict[str, ChangeCounts]:
        """Added, removed and changed annotations per layer over the changed documents (``document``: fields)."""
        out = {layer: ChangeCounts(added=0, removed=0, changed=0) for layer in LAYERS}
        for d in self.changed_documents:
            for layer, ids in d.added.items():
                out.setdefault(layer, ChangeCounts(added=0, removed=0, changed=0)).added += len(ids)
            for layer, ids in d.removed.items():
                out.setdefault(layer, ChangeCounts(added=0, removed=0, changed=0)).removed += len(ids)
            for layer, ids in d.changed.items():
                out.setdefault(layer, ChangeCounts(added=0, removed=0, changed=0)).changed += len(ids)
        return out

    def is_empty(self) -> bool:
        """Nothing differs."""
        return not (self.added_documents or self.removed_documents or self.changed_documents
                    or self.schema_changed or self.offsets_changed)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form (for ``--json`` and the app)."""
        return {
            "from": self.a,
            "to": self.b,
            "required_bump": required_bump(self),
            "schema_changed": self.schema_changed,
            "offsets_changed": self.offsets_changed,
            "documents": {
                "added": self.added_documents,
                "removed": self.removed_documents,
                "changed": [d.doc_id for d in self.changed_documents],
                "text_changed": self.text_changed,
            },
            "labels": {"added": self.added_labels, "removed": self.removed_labels},
            "layers": {layer: c.model_dump() for layer, c in self.layer_counts().items()},
            "changes": [
                {"doc_id": d.doc_id, "text_changed": d.text_changed, "added": d.added, "removed": d.removed,
                 "changed": d.changed}
                for d in self.changed_documents
            ],
        }


def required_bump(diff: ReleaseDiff) -> Bump | None:
    """The smallest bump ``diff`` allows (``None`` when nothing changed); see the module docstring."""
    if diff.schema_changed or diff.offsets_changed or diff.removed_documents or diff.removed_labels:
        return "major"
    if diff.added_documents or diff.added_labels:
        return "minor"
    if diff.changed_documents:
        return "patch"
    return None


def labels_of(gold: Mapping[str, Any]) -> set[str]:
    """The labels a gold record uses: ``entity:TYPE``, ``event:TYPE``, ``role:EVENT.ROLE``."""
    out = {f"entity:{e['type']}" for e in gold["entities"]}
    for ev in gold["events"]:
        out.add(f"event:{ev['type']}")
        out.update(f"role:{ev['type']}.{a['role']}" for a in ev["arguments"])
    return out


def diff_records(doc_id: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> DocumentDiff:
    """Per-layer added/removed/changed annotation ids between two records of one document."""
    d = DocumentDiff(doc_id, text_changed=old["document"]["text_sha256"] != new["document"]["text_sha256"])
    for layer in LAYERS:
        a = {item["id"]: item for item in old["gold"][layer]}
        b = {item["id"]: item for item in new["gold"][layer]}
        added, removed = sorted(b.keys() - a.keys()), sorted(a.keys() - b.keys())
        changed = sorted(k for k in a.keys() & b.keys() if a[k] != b[k])
        if added:
            d.added[layer] = added
        if removed:
            d.removed[layer] = removed
        if changed:
            d.changed[layer] = changed
    fields = sorted(k for k in old["document"].keys() | new["document"].keys()
                    if k not in ("text", "text_sha256") and old["document"].get(k) != new["document"].get(k))
    if old["gold"].get("metadata") != new["gold"].get("metadata"):
        fields.append("gold.metadata")
    if fields:
        d.changed["document"] = fields
    return d


@dataclass
class _Snapshot:
    """What a diff needs of one side: versions, document hashes, labels and a record loader."""

    version: str | None
    schema_version: str | None
    offsets: str | None
    hashes: dict[str, str]
    labels: set[str]
    load: Callable[[str], dict[str, Any]]


def _release_snapshot(path: Path) -> _Snapshot:
    manifest = load_manifest(path)

    def load(doc_id: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(document_path(path, doc_id, manifest.documents[doc_id]).read_bytes())
        return data

    return _Snapshot(
        version=manifest.version,
        schema_version=manifest.schema_version,
        offsets=manifest.offsets,
        hashes={d: e.sha256 for d, e in manifest.documents.items()},
        labels=set(manifest.labels),
        load=load,
    )


def _diff(a: _Snapshot, b: _Snapshot) -> ReleaseDiff:
    out = ReleaseDiff(a.version, b.version or "unreleased")
    out.schema_changed = a.version is not None and a.schema_version != b.schema_version
    out.offsets_changed = a.version is not None and a.offsets != b.offsets
    out.added_documents = sorted(b.hashes.keys() - a.hashes.keys())
    out.removed_documents = sorted(a.hashes.keys() - b.hashes.keys())
    for doc_id in sorted(a.hashes.keys() & b.hashes.keys()):
        if a.hashes[doc_id] != b.hashes[doc_id]:
            d = diff_records(doc_id, a.load(doc_id), b.load(doc_id))
            if not d.is_empty():
                out.changed_documents.append(d)
    out.added_labels = sorted(b.labels - a.labels)
    out.removed_labels = sorted(a.labels - b.labels)
    return out


def diff_releases(project_dir: str | Path, a: str, b: str) -> ReleaseDiff:
    """Documents and annotations added, removed and changed from release ``a`` to release ``b``."""
    return _diff(_release_snapshot(release_path(project_dir, a)), _release_snapshot(release_path(project_dir, b)))


def changelog_entry(diff: ReleaseDiff, manifest: ReleaseManifest) -> str:
    """One Markdown section of the changelog for the release described by ``manifest``."""
    lines = [f"## {manifest.version} ({manifest.created_at[:10]}, {manifest.bump})", ""]
    if manifest.message:
        lines += [manifest.message, ""]
    lines.append(
        f"- documents: {len(manifest.documents)} in total; {len(diff.added_documents)} added, "
        f"{len(diff.removed_documents)} removed, {len(diff.changed_documents)} changed"
    )
    if diff.text_changed:
        lines.append(f"- **text changed** (offsets may have moved): {', '.join(diff.text_changed)}")
    for layer, c in diff.layer_counts().items():
        if c.added or c.removed or c.changed:
            lines.append(f"- {layer}: {c.added} added, {c.removed} removed, {c.changed} changed")
    if diff.added_labels:
        lines.append(f"- new labels: {', '.join(diff.added_labels)}")
    if diff.removed_labels:
        lines.append(f"- labels no longer used: {', '.join(diff.removed_labels)}")
    if diff.schema_changed:
        lines.append(f"- schema version {manifest.schema_version}")
    lines.append(f"- guidelines {manifest.guideline_version}, version sha256 `{manifest.version_sha256}`")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------- creating


@dataclass(frozen=True)
class ReleaseInfo:
    """A release as listed: version, bump, when, message, counts and the version hash."""

    version: str
    bump: str
    created_at: str
    message: str
    documents: int
    splits: dict[str, int]
    schema_version: str
    guideline_version: str
    version_sha256: str


def release_info(manifest: ReleaseManifest) -> ReleaseInfo:
    """The listing view of a manifest."""
    return ReleaseInfo(
        version=manifest.version,
        bump=manifest.bump,
        created_at=manifest.created_at,
        message=manifest.message,
        documents=len(manifest.documents),
        splits={k: v.count for k, v in manifest.splits.items()},
        schema_version=manifest.schema_version,
        guideline_version=manifest.guideline_version,
        version_sha256=manifest.version_sha256,
    )


def list_releases(project_dir: str | Path) -> list[ReleaseInfo]:
    """Every release, oldest first."""
    return [release_info(load_manifest(releases_dir(project_dir) / v)) for v in list_versions(project_dir)]


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
    prev_snap = _release_snapshot(root / previous) if previous else None
    earlier_splits: dict[str, str] = dict(pinned_splits or {})
    for v in sorted((p.name for p in root.iterdir() if _VERSION_RE.match(p.name) and (p / MANIFEST).is_file()),
                    key=parse_version):
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
        snap_b = _Snapshot(version, SCHEMA_VERSION, OFFSET_CONVENTION, {d: e["sha256"] for d, e in docs.items()},
                           labels, lambda d: json.loads((tmp / docs[d]["path"]).read_bytes()))
        empty = _Snapshot(None, None, None, {}, set(), lambda d: {})
        diff = _diff(prev_snap or empty, snap_b)
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


def check_bump(bump: Bump, diff: ReleaseDiff) -> None:
    """Refuse a bump smaller than the diff requires, or a release with no change at all."""
    need = required_bump(diff)
    if need is None:
        raise InputError(f"nothing changed since release {diff.a}: the gold is identical", where="--bump",
                         hint="edit or adjudicate gold annotations before releasing again")
    if BUMPS.index(bump) < BUMPS.index(need):
        reasons = []
        if diff.schema_changed:
            reasons.append("the schema version changed")
        if diff.offsets_changed:
            reasons.append("the offset convention changed")
        if diff.removed_documents:
            reasons.append(f"{len(diff.removed_documents)} document(s) removed")
        if diff.removed_labels:
            reasons.append(f"labels no longer used: {', '.join(diff.removed_labels)}")
        if need == "minor":
            if diff.added_documents:
                reasons.append(f"{len(diff.added_documents)} new document(s)")
            if diff.added_labels:
                reasons.append(f"new labels: {', '.join(diff.added_labels)}")
        raise InputError(
            f"a {bump} release is too small for the changes since {diff.a or 'the start'} "
            f"({'; '.join(reasons)}): they require a {need} bump",
            where="--bump",
            hint=f"use --bump {need} (bump rule: schema/offsets/removals major, new documents or labels minor, "
            "annotation fixes patch)",
        )


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
    store.meta.put(PINNED_SPLITS_META, json.dumps(merged, sort_keys=True), actor=actor)


def write_changelog(project_dir: str | Path) -> Path:
    """Rewrite ``releases/CHANGELOG.md`` from the diffs between consecutive releases (newest first)."""
    versions = list_versions(project_dir)
    root = releases_dir(project_dir)
    empty = _Snapshot(None, None, None, {}, set(), lambda d: {})
    sections = []
    prev: _Snapshot = empty
    for v in versions:
        snap = _release_snapshot(root / v)
        sections.append(changelog_entry(_diff(prev, snap), load_manifest(root / v)))
        prev = snap
    text = "# Changelog\n\nWritten by `annotate release create` from the diffs between releases.\n\n"
    text += "\n".join(reversed(sections))
    path = root / CHANGELOG
    tmp = path.with_name(CHANGELOG + ".partial")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


# ---------------------------------------------------------------------------------------------- verifying


def verify_release(project_dir: str | Path, version: str) -> ReleaseManifest:
    """Recompute every hash of a release; :class:`ExportError` naming each file that does not match."""
    path = release_path(project_dir, version)
    return verify_release_dir(path)


def verify_release_dir(path: str | Path, *, read_files: bool = True) -> ReleaseManifest:
    """Verify the release directory ``path``; return its manifest when every hash matches.

    ``read_files=False`` checks the manifest, the split hashes and the file listing only, for a caller that
    hashes every document as it reads it (:func:`iter_records` with ``verify=True``).
    """
    root = Path(path)
    manifest = load_manifest(root)
    problems: list[str] = []
    listed = {MANIFEST}
    by_split: dict[str, list[tuple[str, str]]] = {name: [] for name, _ in SPLITS}
    for doc_id, entry in sorted(manifest.documents.items()):
        files = [(entry.path, entry.sha256)]
        if entry.sets is not None:
            files.append((entry.sets.path, entry.sets.sha256))
        for rel, sha in files:
            problems += _check_file(root, rel, sha, read_files)
            listed.add(rel)
        by_split.setdefault(entry.split, []).append((doc_id, entry.sha256))
    if manifest.taxonomy is not None:
        problems += _check_file(root, manifest.taxonomy.path, manifest.taxonomy.sha256, True)
        listed.add(manifest.taxonomy.path)
    for name, info in manifest.splits.items():
        if split_hash(by_split.get(name, [])) != info.sha256 or len(by_split.get(name, [])) != info.count:
            problems.append(f"{root / MANIFEST}: split {name!r} hash or count does not match its documents")
    if manifest_hash(manifest) != manifest.version_sha256:
        problems.append(f"{root / MANIFEST}: version_sha256 does not match the manifest (the manifest was changed)")
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_file() and rel not in listed:
            problems.append(f"{p}: not listed in the manifest (added after the release)")
    if problems:
        raise ExportError(
            f"release {manifest.version} does not verify ({len(problems)} problem(s)):\n"
            + "\n".join(f"  - {x}" for x in problems),
            hint="restore the release directory from a backup; releases must never be edited",
        )
    return manifest


def _check_file(root: Path, rel: str, sha256: str, read: bool) -> list[str]:
    fpath = release_file(root, rel, field=rel)
    if not read:
        return [] if fpath.is_file() else [f"{fpath}: missing"]
    try:
        data = fpath.read_bytes()
    except OSError:
        return [f"{fpath}: missing"]
    if sha256_hex(data) != sha256:
        return [f"{fpath}: sha256 does not match the manifest (the file was changed)"]
    return []
