"""What each stored row may hold, as pydantic models: the rules a restore checks every dumped row against.

The live code writes rows only through the store's resources, which take their values from the models
(:class:`~annotate.models.Document`, :class:`~annotate.models.AnnotationSet`) and rules
(:func:`~annotate.models.user_name_problem`, :class:`~annotate.auth.Role`,
:func:`~annotate.auth.password_hash_problem`) of the rest of the code. A dump is a file anyone may have edited,
so :mod:`annotate.store.dump` holds each of its rows to the same rules before inserting it: a role that does
not exist, a user called ``gold``, a password hash whose scrypt cost would tie up the server, a timestamp that
is no time, a number too large for the column, an unknown meta key.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, model_validator

from ..auth import Role, password_hash_problem
from ..errors import InputError
from ..models import (
    ENGINE_AUTHORS,
    GOLD_AUTHOR,
    AnnotationSet,
    AnnotationStatus,
    AuthorKind,
    Comment,
    CommentKind,
    CommentStatus,
    Document,
    Id,
    user_name_problem,
)
from ..text.jsonl import MAX_DEPTH, json_depth, parse_json

_SEMVER = re.compile(r"^\d{1,6}\.\d{1,6}\.\d{1,6}$")
_MODEL_VERSION = re.compile(r"^m[0-9]{1,6}-[0-9a-f]{8}$")


def _timestamp(value: str) -> str:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value[:40]!r} is not an ISO 8601 time") from None
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no UTC offset")
    return value


def _user_name(value: str) -> str:
    problem = user_name_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def _password_hash(value: str) -> str:
    problem = password_hash_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("holds a NUL character")
    return value


def _shallow(value: dict[str, Any]) -> dict[str, Any]:
    if json_depth(value) > MAX_DEPTH:
        raise ValueError(f"nested deeper than {MAX_DEPTH} levels")
    return value


Stamp = Annotated[StrictStr, Field(max_length=40), AfterValidator(_timestamp)]
Who = Annotated[StrictStr, Field(min_length=1, max_length=200), AfterValidator(_no_nul)]
UserName = Annotated[StrictStr, AfterValidator(_user_name)]
Count = Annotated[StrictInt, Field(ge=0, le=2**31 - 1)]
Positive = Annotated[StrictInt, Field(ge=1, le=2**31 - 1)]
Sha256 = Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{64}$")]
JsonObject = Annotated[dict[str, Any], AfterValidator(_shallow)]


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


_RESERVED_KIND = {GOLD_AUTHOR: AuthorKind.gold, **dict.fromkeys(ENGINE_AUTHORS, AuthorKind.engine)}


def author_problem(author: str, kind: AuthorKind) -> str | None:
    """Why ``author`` cannot have written a set of ``kind``: a reserved name (``gold``, ``dates-engine``,
    ``suggest-strings``, ``suggest-model``) only with its own kind, and a person's set only under a name a user
    may have."""
    reserved = _RESERVED_KIND.get(author)
    if reserved is not None:
        return None if kind is reserved else f"a set by {author!r} must be of kind {reserved.value}, not {kind.value}"
    return user_name_problem(author) if kind is AuthorKind.human else None


class UserRow(_Row):
    """``users``: a name that may be a user name, a real role, a hash with safe scrypt parameters."""

    name: UserName
    role: Role
    password_hash: Annotated[StrictStr, AfterValidator(_password_hash)]
    created_at: Stamp
    created_by: Who
    disabled_at: Stamp | None = None


class DocumentRow(_Row):
    """``documents`` beyond what :class:`Document` checks (the rest of the row): its version and who imported
    it when."""

    id: Id
    version: Positive
    imported_at: Stamp
    imported_by: Who


class DocumentVersionRow(_Row):
    """``document_versions``: an earlier text, a :class:`Document`, replaced when and by whom."""

    version: Positive
    document: Document
    imported_at: Stamp
    imported_by: Who
    replaced_at: Stamp
    replaced_by: Who


class SetRow(_Row):
    """``annotation_sets``: a head state; the author fits the kind (only the gold set is ``gold``)."""

    doc_id: Id
    author: Who
    author_kind: AuthorKind
    status: AnnotationStatus
    head_revision: Positive
    text_sha256: Sha256
    stale: StrictBool
    created_at: Stamp
    updated_at: Stamp

    @model_validator(mode="after")
    def _author_fits_kind(self) -> SetRow:
        problem = author_problem(self.author, self.author_kind)
        if problem is not None:
            raise ValueError(problem)
        return self


class RevisionRow(_Row):
    """``revisions``: one saved revision, based on an earlier one, its content an :class:`AnnotationSet`."""

    revision: Positive
    base_revision: Count
    author_kind: AuthorKind
    status: AnnotationStatus
    text_sha256: Sha256
    content: JsonObject
    saved_by: Who
    saved_at: Stamp

    @model_validator(mode="after")
    def _base_before(self) -> RevisionRow:
        if self.base_revision >= self.revision:
            raise ValueError(f"revision {self.revision} cannot be based on revision {self.base_revision}")
        return self


class ConflictRow(_Row):
    """``conflicts``: a refused save kept whole."""

    id: Positive
    doc_id: Id
    author: Who
    base_revision: Count
    head_revision: Count
    content: AnnotationSet
    actor: Who
    created_at: Stamp


class DraftRow(_Row):
    """``drafts``: unsaved work of one author on one document (its content is theirs, on that document)."""

    doc_id: Id
    author: Who
    base_revision: Count
    content: AnnotationSet
    saved_at: Stamp

    @model_validator(mode="after")
    def _content_is_the_drafts(self) -> DraftRow:
        if (self.content.doc_id, self.content.author) != (self.doc_id, self.author):
            raise ValueError(f"the draft of {self.doc_id}/{self.author} holds the set of "
                             f"{self.content.doc_id}/{self.content.author}")
        return self


class AssignmentRow(_Row):
    """``assignments``: a document given to someone who may be a user."""

    doc_id: Id
    annotator: UserName
    assigned_by: Who
    assigned_at: Stamp


class ExternalIdRow(_Row):
    """``external_ids``: our id in another system, with that system's data."""

    system: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    kind: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    local_id: Who
    external_id: Who
    data: JsonObject
    updated_at: Stamp


class CommentRow(_Row):
    """``comments``: a :class:`Comment` as stored (its text and kind checked by the model), numbered, on a set of
    someone who may be a user, written and changed by whom and when."""

    id: Positive
    doc_id: Id
    set_author: UserName
    target: Id | None
    target_text: Annotated[StrictStr, AfterValidator(_no_nul)] | None
    kind: CommentKind
    text: StrictStr
    author: Who
    status: CommentStatus
    created_at: Stamp
    updated_at: Stamp | None
    updated_by: Who | None

    @model_validator(mode="after")
    def _a_comment(self) -> CommentRow:
        Comment.model_validate({k: v for k, v in self.model_dump().items() if v is not None})
        return self


class AuditRow(_Row):
    """``audit_log``: who did what, when, to what."""

    id: Positive
    at: Stamp
    actor: Who
    action: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    target: Annotated[StrictStr, Field(max_length=400), AfterValidator(_no_nul)]
    details: JsonObject


def meta_problem(key: str, value: str) -> str | None:
    """Why ``key = value`` cannot be a meta entry of a store, or None.

    Known keys only, each with the form the live code writes: times, a version number, a cursor, an export
    path, the Label Studio pull errors as a JSON object.
    """
    if len(key) > 100 or "\x00" in key or "\x00" in value:
        return f"meta key {key[:40]!r} is too long or holds a NUL character"
    if key in ("created_at", "labelstudio.last_pull", "labelstudio.last_push"):
        return _check(_timestamp, value, key)
    if key == "store_format":
        return None if value.isdigit() else f"store_format {value!r} is not a number"
    if key == "release.latest":
        return None if _SEMVER.match(value) else f"release.latest {value!r} is not a version X.Y.Z"
    if key == "labelstudio.pull_cursor":
        return None if len(value) <= 64 else "labelstudio.pull_cursor is longer than 64 characters"
    if key == "labelstudio.pull_errors":
        try:
            parsed = parse_json(value, key)
        except InputError as exc:
            return exc.message
        return None if isinstance(parsed, dict) else "labelstudio.pull_errors is not a JSON object"
    if key.startswith("export.") and len(value) <= 4096:
        return None
    if key == "suggest.model":  # the suggestion model in use (annotate.suggest.registry)
        return None if _MODEL_VERSION.match(value) else f"suggest.model {value!r} is not a model version m1-1a2b3c4d"
    if key.startswith("auth.sessions_revoked:"):  # written by versions before server-side sessions
        return None if value.isdigit() else f"{key} {value!r} is not a number"
    return f"unknown meta key {key!r}"


def _check(fn: Any, value: str, key: str) -> str | None:
    try:
        fn(value)
    except ValueError as exc:
        return f"{key}: {exc}"
    return None
