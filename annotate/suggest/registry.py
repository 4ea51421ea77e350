"""Trained suggestion models of a project: where they live, which one is in use, training a new one.

Models are directories under ``<project>/suggest-models/<version>/`` (:mod:`annotate.suggest.tagger`); the version
in use is the store's ``suggest.model`` setting, so who trained which model and when is in the audit log. Training
writes into a hidden directory and renames it into place, so a model directory is never seen half-written, and
two curators training at once each get a complete model (the later one becomes current).
"""

from __future__ import annotations

import re
import shutil
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

from ..canonical import now_iso
from ..errors import ConfigError
from ..store import Store
from .tagger import Tagger, train_tagger
from .training import ProjectSets

__all__ = ["META_MODEL", "MODELS_DIR", "current_model", "current_version", "models_root", "train_model"]

MODELS_DIR: Final = "suggest-models"
META_MODEL: Final = "suggest.model"
"""Store setting naming the model in use (its version)."""
VERSION_RE: Final = re.compile(r"^m[0-9]{1,6}-[0-9a-f]{8}$")


def models_root(project_dir: str | Path) -> Path:
    """``<project>/suggest-models``."""
    return Path(project_dir) / MODELS_DIR


def current_version(store: Store) -> str | None:
    """The version of the model in use, or None when no model was trained."""
    return store.meta.find(META_MODEL)


@lru_cache(maxsize=4)
def _open(path: str) -> Tagger:
    return Tagger(path)


def current_model(project_dir: str | Path, store: Store) -> Tagger | None:
    """The model in use (opened once per process), or None when none was trained yet.

    :class:`ConfigError` when the store names a model whose directory is missing (a restored store without its
    project directory's models, say).
    """
    version = current_version(store)
    if version is None:
        return None
    if not VERSION_RE.match(version):
        raise ConfigError(f"the store's {META_MODEL} setting {version!r} is not a model version",
                          hint="train a new model with `annotate suggest train`")
    path = models_root(project_dir) / version
    if not path.is_dir():
        raise ConfigError(f"the suggestion model {version} is not in {models_root(project_dir)}",
                          hint="train a new model with `annotate suggest train`")
    return _open(str(path.resolve()))


def train_model(project_dir: str | Path, store: Store, *, actor: str, exclude: set[str] | None = None,
                params: dict[str, Any] | None = None) -> Tagger:
    """Train a model on the project's gold and submitted sets (documents in ``exclude`` left out), store it
    under its version and make it the one in use."""
    root = models_root(project_dir)
    root.mkdir(parents=True, exist_ok=True)
    examples = ProjectSets.read(store).examples(exclude=exclude or ())
    number = 1 + sum(1 for p in root.iterdir() if p.is_dir() and VERSION_RE.match(p.name))
    tmp = root / f".training-{uuid.uuid4().hex}"
    try:
        trained = train_tagger(examples, tmp, version_number=number, params=params,
                               extra_meta={"trained_by": actor, "trained_at": now_iso(),
                                           "excluded_documents": sorted(exclude or ())})
        final = root / trained.version
        if final.exists():  # the same data trained twice at once: the model is the same
            shutil.rmtree(tmp)
        else:
            tmp.rename(final)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    store.meta.put(META_MODEL, trained.version, actor=actor)
    return _open(str(final.resolve()))
