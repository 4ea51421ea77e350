"""Releases: immutable, hashed versions of the gold data, as directories on disk.

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

This module owns the layout and the canonical form: version numbers, reading a release back (records, frozen sets,
taxonomy), splits and hashes, listing and verifying. Diffs, the bump rule and the changelog are
:mod:`annotate.release.diffs`; freezing the gold into a new release is :mod:`annotate.release.creation`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..canonical import canonical_json
from ..errors import ExportError, InputError, NotFound
from ..models import (
    GOLD_AUTHOR,
    AnnotationSet,
    Document,
)
from ..paths import contained_file
from ..taxonomy import Taxonomy
from .manifest import (
    Bump,
    ManifestDocument,
    ReleaseManifest,
    parse_json_model,
)

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


def versions_in(root: Path) -> list[str]:
    """The versions released under ``root`` (a ``releases`` directory), oldest first (directories with a
    manifest only)."""
    if not root.is_dir():
        return []
    found = [p.name for p in root.iterdir() if p.is_dir() and _VERSION_RE.match(p.name) and (p / MANIFEST).is_file()]
    return sorted(found, key=parse_version)


def list_versions(project_dir: str | Path) -> list[str]:
    """Released versions of the project, oldest first."""
    return versions_in(releases_dir(project_dir))


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


# ---------------------------------------------------------------------------------------------- listing


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
