"""The quick-reference card in the app (guidelines §11): the core's card with the labeler's own key table.

:func:`annotate.annotation.quickref.quick_reference` builds the card from the taxonomy, the models and the
guidelines; the keys are the ones the labeler binds (:func:`annotate.app.labeler.key_help`), so the card
and the labeler cannot disagree about what a key does.  The Guidelines page and the Annotate page show it.
"""

from __future__ import annotations

import streamlit as st

from ..annotation.quickref import QuickReference, card_html, card_markdown, quick_reference
from ..taxonomy import Taxonomy
from .labeler import key_help
from .ui import call, render_markdown

__all__ = ["app_card", "show_card"]


def app_card(taxonomy: Taxonomy) -> QuickReference:
    """The card for ``taxonomy`` with every key of the labeler (its own keys, then the taxonomy's label keys)."""
    return quick_reference(taxonomy, key_help(taxonomy))


def show_card(taxonomy: Taxonomy, *, key: str) -> None:
    """Render the card (direction per paragraph and cell) with a download of its printable one-page HTML."""
    ref = call(app_card, taxonomy)
    if ref is None:
        return
    render_markdown(card_markdown(ref))
    st.download_button(
        "Printable card (HTML, one A4 page)", card_html(ref),
        file_name=f"quick-reference-{ref.guidelines_version}.html", mime="text/html",
        key=f"{key}_quickref_download", icon=":material/print:",
    )
