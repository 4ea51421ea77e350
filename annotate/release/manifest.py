"""The release manifest (``releases/<version>/manifest.json``) and an export's ``release.json``, as models.

The manifest is written as canonical JSON and hashed without its own ``version_sha256``
(:func:`annotate.release.versions.manifest_hash`); unknown fields are kept, so a field added to a released
manifest by hand changes the hash and :func:`annotate.release.versions.verify_release` reports it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer

from ..errors import ExportError, pydantic_problems

M = TypeVar("M", bound=BaseModel)

Bump = Literal["major", "minor", "patch"]


class _Omitting(BaseModel):
    """Leaves out the fields named in ``_omit_when_none`` while they are None (older manifests lack them)."""

    _omit_when_none: ClassVar[tuple[str, ...]] = ()

    @model_serializer(mode="wrap")
    def _omit_absent(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        for name in self._omit_when_none:
            if data.get(name) is None:
                data.pop(name, None)
        return data


class _Part(_Omitting):
    model_config = ConfigDict(extra="forbid")


class FileHash(_Part):
    """A file of a release and its sha256."""

    path: str
    sha256: str


class ManifestDocument(_Part):
    """One document of a release: its file, the file's sha256, its language, its split, and the file of the
    other annotation sets frozen beside its gold (annotators', the engine's), when there are any."""

    _omit_when_none = ("sets",)

    path: str
    sha256: str
    lang: str
    split: str
    sets: FileHash | None = None


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


class ReleaseManifest(_Omitting):
    """``manifest.json`` of a release: versions, counts and every hash (see :mod:`annotate.release.versions`)."""

    model_config = ConfigDict(extra="allow")
    _omit_when_none = ("taxonomy",)

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
    taxonomy: FileHash | None = None
    changes: ReleaseChanges
    version_sha256: str = ""

    def exported(self, *, date_ranges: str, files: list[str]) -> ExportedRelease:
        """What an export keeps of the manifest (its ``release.json``), with the date range convention and the
        list of every file the export wrote."""
        kept = self.model_dump(include=set(ExportedRelease.model_fields) - {"date_ranges", "files"})
        return ExportedRelease.model_validate({**kept, "date_ranges": date_ranges, "files": files})


class ExportedRelease(_Part):
    """``release.json`` of an export directory: which release it is, with its hashes and versions."""

    _omit_when_none = ("date_ranges", "files")

    version: str
    version_sha256: str
    schema_version: str
    guideline_version: str
    engine_version: str
    offsets: str
    created_at: str
    splits: dict[str, SplitHash]
    date_ranges: str | None = None
    """How ``gregorian_start``/``gregorian_end`` read (missing in exports made before it was written)."""
    files: list[str] | None = None
    """Every file the export wrote, but ``release.json`` (missing in exports made before it was written)."""


def parse_json_model(model: type[M], data: Any, path: Path, what: str) -> M:
    """``data`` read from ``path`` as ``model``; :class:`ExportError` naming the file and the fields otherwise."""
    import pydantic

    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ExportError(f"{path}: not {what}: " + "; ".join(pydantic_problems(exc))) from None
