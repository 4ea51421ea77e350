"""The package's layers, checked from the source: every import of one ``annotate`` unit by another is an arrow
listed in :data:`ARROWS`, the arrows have no cycle, and only the app imports Streamlit.

A *unit* is a sub-package (``annotate/store/``) or a top-level module (``annotate/errors.py``). Imports under
``if TYPE_CHECKING:`` are not arrows (they never run); ARCHITECTURE.md draws the same graph.
"""

from __future__ import annotations

import ast
import graphlib
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "annotate"

ARROWS: dict[str, set[str]] = {
    # foundations
    "errors": set(),
    "canonical": set(),
    "redact": set(),
    "paths": {"errors"},
    "text": {"errors"},
    "taxonomy": {"errors"},
    "models": {"errors", "taxonomy"},
    "auth": {"canonical", "errors", "models"},
    # the store and the date engine
    "store": {"auth", "canonical", "errors", "models", "paths", "redact", "taxonomy", "text"},
    "dates": {"errors", "models", "text"},
    # the pipeline
    "project": {"errors", "redact", "store", "taxonomy"},
    "schemas": {"models", "project", "release", "taxonomy"},
    "corpus": {"errors", "models", "paths", "store", "text"},
    "suggest": {"canonical", "errors", "models", "store", "text"},
    "annotation": {"auth", "dates", "errors", "models", "store", "suggest", "taxonomy", "text"},
    "curation": {"annotation", "canonical", "errors", "models", "store", "text"},
    "release": {"<root>", "annotation", "canonical", "curation", "errors", "models", "paths", "redact", "store",
                "taxonomy", "text"},
    "evaluation": {"errors", "models", "paths", "release", "store", "suggest", "text"},
    "serve": {"errors", "project"},
    "labelstudio": {"annotation", "canonical", "dates", "errors", "models", "project", "redact", "serve", "store",
                    "taxonomy"},
    "demo": {"annotation", "auth", "corpus", "errors", "project", "store"},
    # the two edges: people reach the core through these, the core never reaches them
    "app": {"annotation", "auth", "curation", "errors", "evaluation", "labelstudio", "models", "project", "redact",
            "release", "store", "suggest", "taxonomy", "text"},
    "cli": {"<root>", "annotation", "auth", "corpus", "curation", "dates", "demo", "errors", "evaluation",
            "labelstudio", "paths", "project", "redact", "release", "schemas", "serve", "store", "suggest"},
    "<root>": set(),
}
"""For each unit, the units it may import (``<root>`` is ``annotate/__init__.py``: the version)."""

EDGES = {"app", "cli"}


def _unit(module: str) -> str:
    """The unit of a dotted name; a name from ``annotate/__init__.py`` itself (``__version__``) is ``<root>``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ARROWS else "<root>"


def _runtime_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """Import statements that run: everything except the bodies of ``if TYPE_CHECKING:``."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _imports(source: str, module: tuple[str, ...]) -> Iterator[tuple[str, int]]:
    """The modules (and packages) that ``source``, the module at dotted path ``module``, imports, with lines."""
    package = list(module[:-1])
    for node in _runtime_imports(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif node.level:
            base = ".".join(package[: len(package) - node.level + 1])
            names = [f"{base}.{node.module}"] if node.module else [f"{base}.{a.name}" for a in node.names]
        else:
            names = [node.module or ""]
        for name in names:
            yield name, node.lineno


def _file_imports(path: Path) -> Iterator[tuple[str, int]]:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    # A package's __init__ resolves relative imports against the package itself.
    module = (*parts[:-1], "__init__") if parts[-1] == "__init__" else parts
    return _imports(path.read_text(encoding="utf-8"), module)


def _module_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _unit_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py") if rel.parts[0] != "__init__.py" else "<root>"


def test_every_unit_is_listed() -> None:
    assert {_unit_of(p) for p in _module_files()} == set(ARROWS)


def test_imports_follow_the_arrows() -> None:
    wrong = []
    for path in _module_files():
        me = _unit_of(path)
        for name, line in _file_imports(path):
            if not name.startswith("annotate"):
                continue
            other = _unit(name)
            if other != me and other not in ARROWS[me]:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {me} imports {name} ({other})")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_the_arrows_have_no_cycle() -> None:
    graphlib.TopologicalSorter(ARROWS).prepare()


@pytest.mark.parametrize("edge", sorted(EDGES))
def test_nothing_in_the_core_imports_an_edge(edge: str) -> None:
    assert [unit for unit, deps in ARROWS.items() if edge in deps] == []


def test_only_the_app_imports_streamlit() -> None:
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path in _module_files()
        if _unit_of(path) != "app"
        for name, line in _file_imports(path)
        if name.split(".")[0] == "streamlit"
    ]
    assert found == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        (("annotate", "store", "sets"), "from ..app.labeler import x\nfrom . import db\n",
         ["annotate.app.labeler", "annotate.store.db"]),
        (("annotate", "store", "__init__"), "from .sets import AnnotationSets\n", ["annotate.store.sets"]),
        (("annotate", "cli", "base"), "import click\nfrom .. import __version__\n", ["click", "annotate.__version__"]),
        (("annotate", "auth"), "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .store import Store\n",
         ["typing"]),
    ],
)
def test_the_import_reader(module: tuple[str, ...], source: str, expected: list[str]) -> None:
    """The checker itself: relative imports are resolved, a TYPE_CHECKING import is not an arrow."""
    assert sorted(name for name, _ in _imports(source, module)) == sorted(expected)
