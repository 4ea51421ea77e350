"""The default project: the demo corpus imported and pre-labelled, ready to open in the app."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .importer import ImportSummary, import_paths
from .prelabel import PrelabelResult, prelabel
from .project import Project, init_project


def demo_corpus_path() -> Path:
    """The demo corpus shipped in the package (original paragraphs in fa, prs and ar)."""
    return Path(str(resources.files("annotate").joinpath("data/demo/demo.jsonl")))


@dataclass
class DemoSetup:
    """What :func:`setup_demo` did."""

    project: Project
    imported: ImportSummary
    prelabelled: list[PrelabelResult]


def setup_demo(path: Path, *, actor: str) -> DemoSetup:
    """Create (or reuse) the project at ``path``, import the demo corpus and pre-label it; idempotent."""
    project = init_project(path, title=None)
    store = project.store()
    imported = import_paths(store, [demo_corpus_path()], actor=actor)
    results = list(prelabel(store, actor=actor))
    return DemoSetup(project=project, imported=imported, prelabelled=results)
