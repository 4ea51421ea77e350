"""Streamlit writes every bare expression of a page script on the page ("magic"): a string after an assignment,
meant as its docstring, shows up as text.  Page modules keep their only bare string at the top."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

VIEWS = Path(__file__).resolve().parent.parent / "annotate" / "app" / "views"


@pytest.mark.parametrize("page", sorted(VIEWS.glob("*.py")), ids=lambda p: p.name)
def test_a_page_writes_no_stray_string(page: Path) -> None:
    body = ast.parse(page.read_text(encoding="utf-8")).body
    stray = [node.lineno for node in body[1:]
             if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)]
    assert not stray, f"{page.name}: bare expressions Streamlit would write on the page, lines {stray}"
