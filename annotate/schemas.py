"""JSON Schema files generated from the pydantic models, kept in ``schemas/`` at the top of the repository.

``schemas/`` is derived data: regenerate it with ``annotate schemas --write`` after changing a model; a test
fails when it drifts.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from .models import SCHEMA_VERSION, AnnotationSet, Comment, DateLink, DateMention, Document, EntityMention, Event
from .project import ProjectConfig
from .release.manifest import ExportedRelease, ReleaseManifest
from .taxonomy import Taxonomy, default_taxonomy

PUBLIC_MODELS: dict[str, type[BaseModel]] = {
    "document": Document,
    "annotation_set": AnnotationSet,
    "entity_mention": EntityMention,
    "date_mention": DateMention,
    "event": Event,
    "date_link": DateLink,
    "comment": Comment,
    "taxonomy": Taxonomy,
    "project_config": ProjectConfig,
    "release_manifest": ReleaseManifest,
    "export_release": ExportedRelease,
}
"""File stem -> model for every public model whose schema is published."""


def _dump(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def generate_schemas() -> dict[str, str]:
    """Every file of ``schemas/`` as ``{file name: content}``."""
    files: dict[str, str] = {}
    for stem, model in PUBLIC_MODELS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"annotate/{stem}.schema.json"
        schema["x-annotate-schema-version"] = SCHEMA_VERSION
        files[f"{stem}.schema.json"] = _dump(schema)
    files["taxonomy.json"] = _dump(default_taxonomy().model_dump(mode="json"))
    return files


def write_schemas(directory: Path) -> list[Path]:
    """Write the generated schema files into ``directory``; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in generate_schemas().items():
        path = directory / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written


def stale_schemas(directory: Path) -> list[str]:
    """Names of files in ``directory`` that are missing or differ from what the models generate."""
    stale = []
    for name, content in generate_schemas().items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            stale.append(name)
    return stale
