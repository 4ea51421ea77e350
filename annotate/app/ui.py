"""Rendering helpers shared by every page: the one place an :class:`AnnotateError` becomes ``st.error``.

Pages call core functions through :func:`call`, which shows a failure with its fix-it hint instead of a
traceback; :func:`render_markdown` shows Markdown whose paragraphs may be Persian, Dari or Arabic.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any, NoReturn, ParamSpec, TypeVar

import streamlit as st

from ..errors import AnnotateError, AuthError, ConfigError

P = ParamSpec("P")
T = TypeVar("T")

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$&!])")

_MD_CSS = """<style>
.annot-md p, .annot-md li, .annot-md td, .annot-md th, .annot-md blockquote,
.annot-md h1, .annot-md h2, .annot-md h3, .annot-md h4 { unicode-bidi: plaintext; text-align: start; }
.annot-md code { unicode-bidi: plaintext; }
</style>"""


def plain(text: str) -> str:
    """``text`` with Markdown's special characters escaped, so that messages and names show as typed."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def user_text(text: str, *, strong: bool = False, container: Any = None) -> None:
    """Show text someone typed or a document holds (a comment, a title) as one block in its own direction:
    ``dir="auto"`` takes it from the first strong letter, so a Persian note reads right to left in an English page.
    The text is escaped, never interpreted as Markdown or HTML; line breaks are kept."""
    weight = "font-weight: 600;" if strong else ""
    (container or st).html(f'<div dir="auto" style="white-space: pre-wrap; unicode-bidi: plaintext; {weight}">'
                           f"{html.escape(text)}</div>")


def show_error(exc: AnnotateError, *, fatal: bool | None = None) -> None:
    """Show ``exc`` (message, then how to fix it); stop the page when ``fatal``.

    By default configuration problems are fatal (nothing on the page can work without the project) and
    everything else is not, so the page can offer a way to correct the input.
    """
    body = plain(exc.message)
    if exc.hint:
        body += f"  \n**How to fix:** {plain(exc.hint)}"
    icon = ":material/lock:" if isinstance(exc, AuthError) else ":material/error:"
    st.error(body, icon=icon)
    if isinstance(exc, ConfigError) if fatal is None else fatal:
        st.stop()


def fail(exc: AnnotateError) -> NoReturn:
    """Show ``exc`` and stop the page."""
    show_error(exc, fatal=False)
    st.stop()


def call(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
    """Run a core function; on :class:`AnnotateError` show it through :func:`show_error` and return None."""
    try:
        return fn(*args, **kwargs)
    except AnnotateError as exc:
        show_error(exc)
        return None


def render_markdown(markdown: str) -> None:
    """Render trusted Markdown (the guidelines) so that each paragraph, item and cell takes the direction of
    its own text: Persian, Dari and Arabic lines right to left, English lines left to right.

    ``unicode-bidi: plaintext`` gives every block (and every code span, as an isolate) the direction of its
    first strong letter, as ``dir="auto"`` would on each element; the outer ``dir="auto"`` container sets the
    default for the rest.
    """
    st.markdown(
        f'{_MD_CSS}\n<div dir="auto" class="annot-md">\n\n{markdown}\n\n</div>',
        unsafe_allow_html=True,
    )
