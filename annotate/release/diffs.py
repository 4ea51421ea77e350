"""Diffs between releases (and between the latest release and the current gold), the bump rule and the changelog.

Bump rule (semantic versioning, checked by :func:`required_bump`): a schema or offset-convention change, a removed
document or a label no longer used is **major**; new documents or new labels (entity types, event types, roles) are
**minor**; any other annotation change (including a changed document text, which is flagged) is **patch**. A bump
smaller than the diff requires is refused (:func:`check_bump`).

``releases/CHANGELOG.md`` is written from the diffs between consecutive releases (:func:`write_changelog`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..models import SCHEMA_VERSION
from .manifest import Bump, ChangeCounts, ReleaseManifest
from .versions import BUMPS, CHANGELOG, document_path, list_versions, load_manifest, release_path, releases_dir

LAYERS = ("entities", "dates", "events", "links")
"""The annotation layers a diff counts (besides ``document``: the document's own fields)."""


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
class Snapshot:
    """What a diff needs of one side: versions, document hashes, labels and a record loader."""

    version: str | None
    schema_version: str | None
    offsets: str | None
    hashes: dict[str, str]
    labels: set[str]
    load: Callable[[str], dict[str, Any]]

    @classmethod
    def empty(cls) -> Snapshot:
        """The side before the first release: nothing."""
        return cls(None, None, None, {}, set(), lambda d: {})


def release_snapshot(path: Path) -> Snapshot:
    """The released side of a diff: the release directory ``path``."""
    manifest = load_manifest(path)

    def load(doc_id: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(document_path(path, doc_id, manifest.documents[doc_id]).read_bytes())
        return data

    return Snapshot(
        version=manifest.version,
        schema_version=manifest.schema_version,
        offsets=manifest.offsets,
        hashes={d: e.sha256 for d, e in manifest.documents.items()},
        labels=set(manifest.labels),
        load=load,
    )


def diff_snapshots(a: Snapshot, b: Snapshot) -> ReleaseDiff:
    """What changed from ``a`` to ``b``: documents by hash, then annotations by stable id; labels; versions."""
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
    return diff_snapshots(release_snapshot(release_path(project_dir, a)),
                          release_snapshot(release_path(project_dir, b)))


def change_lines(diff: ReleaseDiff) -> list[str]:
    """What changed inside the documents, a line each: changed texts, each layer's counts, labels added and
    dropped (the changelog and :func:`diff_summary` both say it so)."""
    out = []
    if diff.text_changed:
        out.append(f"TEXT CHANGED (offsets may have moved): {', '.join(diff.text_changed)}")
    for layer, c in diff.layer_counts().items():
        if c.added or c.removed or c.changed:
            out.append(f"{layer}: {c.added} added, {c.removed} removed, {c.changed} changed")
    if diff.added_labels:
        out.append(f"new labels: {', '.join(diff.added_labels)}")
    if diff.removed_labels:
        out.append(f"labels no longer used: {', '.join(diff.removed_labels)}")
    return out


def changelog_entry(diff: ReleaseDiff, manifest: ReleaseManifest) -> str:
    """One Markdown section of the changelog for the release described by ``manifest``."""
    lines = [f"## {manifest.version} ({manifest.created_at[:10]}, {manifest.bump})", ""]
    if manifest.message:
        lines += [manifest.message, ""]
    lines.append(
        f"- documents: {len(manifest.documents)} in total; {len(diff.added_documents)} added, "
        f"{len(diff.removed_documents)} removed, {len(diff.changed_documents)} changed"
    )
    lines += [f"- {line}" for line in change_lines(diff)]
    if diff.schema_changed:
        lines.append(f"- schema version {manifest.schema_version}")
    lines.append(f"- guidelines {manifest.guideline_version}, version sha256 `{manifest.version_sha256}`")
    return "\n".join(lines) + "\n"


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


def diff_summary(diff: ReleaseDiff) -> list[str]:
    """The diff in a few lines for people: the bump it requires, documents, layers and labels."""
    need = required_bump(diff)
    out = [f"{diff.a or 'the start'} → {diff.b}: " + (f"requires a {need} bump" if need else "nothing changed")]
    out.append(f"documents: {len(diff.added_documents)} added, {len(diff.removed_documents)} removed, "
               f"{len(diff.changed_documents)} changed")
    out += change_lines(diff)
    if diff.schema_changed:
        out.append(f"schema version changed (now {SCHEMA_VERSION})")
    if diff.offsets_changed:
        out.append("offset convention changed")
    return out


def write_changelog(project_dir: str | Path) -> Path:
    """Rewrite ``releases/CHANGELOG.md`` from the diffs between consecutive releases (newest first)."""
    versions = list_versions(project_dir)
    root = releases_dir(project_dir)
    sections = []
    prev = Snapshot.empty()
    for v in versions:
        snap = release_snapshot(root / v)
        sections.append(changelog_entry(diff_snapshots(prev, snap), load_manifest(root / v)))
        prev = snap
    text = "# Changelog\n\nWritten by `annotate release create` from the diffs between releases.\n\n"
    text += "\n".join(reversed(sections))
    path = root / CHANGELOG
    tmp = path.with_name(CHANGELOG + ".partial")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def read_changelog(project_dir: str | Path) -> str | None:
    """The text of ``releases/CHANGELOG.md``, or None before the first release."""
    path = releases_dir(project_dir) / CHANGELOG
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
