"""The release manifest (``releases/<version>/manifest.json``) and an export's ``release.json``, as models.

The manifest is written as canonical JSON and hashed without its own ``version_sha256``
(:func:`annotate.release.versions.manifest_hash`); unknown fields are kept, so a field added to a released
manifest by hand changes the hash and :func:`annotate.release.versions.verify_release` reports it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

from ..errors import ExportError, pydantic_problems

M = TypeVar("M", bound=BaseModel)

Bump = Literal["major", "minor", "patch"]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ManifestDocument(_Part):
    """One document of a release: its file, the file's sha256, its language and its split."""

    path: str
    sha256: str
    lang: str
    split: str


class SplitHash(_Part):
    """How many documents a split has, and the sha256 over its sorted ``doc_id sha256`` lines."""

    count: int
    sha256: str


class ChangeCounts(_Part):
    """Added, removed and changed items (documents, or annotations of one layer) since the previous release."""

    added: int
    removed: int
    changed: int


class DocumentChanges(ChangeCounts):
    """Document counts since the previous release, and the documents whose text changed."""

    text_changed: list[str]


class ReleaseChanges(_Part):
    """What changed since the previous release: documents, and annotations per layer."""

    documents: DocumentChanges
    layers: dict[str, ChangeCounts]


class ReleaseManifest(BaseModel):
    """``manifest.json`` of a release: versions, counts and every hash (see :mod:`annotate.release.versions`)."""

    model_config = ConfigDict(extra="allow")

    format: int
    version: str
    previous: str | None
    bump: Bump
    message: str
    created_at: str
    schema_version: str
    guideline_version: str
    engine_version: str
    offsets: str
    labels: list[str]
    documents: dict[str, ManifestDocument]
    splits: dict[str, SplitHash]
    changes: ReleaseChanges
    version_sha256: str = ""

    def exported(self) -> ExportedRelease:
        """What an export keeps of the manifest (its ``release.json``)."""
        return ExportedRelease.model_validate(self.model_dump(include=set(ExportedRelease.model_fields)))


class ExportedRelease(_Part):
    """``release.json`` of an export directory: which release it is, with its hashes and versions."""

    version: str
    version_sha256: str
    schema_version: str
    guideline_version: str
    engine_version: str
    offsets: str
    created_at: str
    splits: dict[str, SplitHash]


def parse_json_model(model: type[M], data: Any, path: Path, what: str) -> M:
    """``data`` read from ``path`` as ``model``; :class:`ExportError` naming the file and the fields otherwise."""
    import pydantic

    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ExportError(f"{path}: not {what}: " + "; ".join(pydantic_problems(exc))) from None
