"""The annotation guidelines (``guidelines.md``), rendered with per-paragraph text direction, and their
one-page quick-reference card (§11) for the project's taxonomy."""

from __future__ import annotations

import streamlit as st

from annotate.annotation.guidelines import guidelines_text
from annotate.app import context
from annotate.app.quickref import show_card
from annotate.app.ui import call, render_markdown

context.current_user()
full, card = st.tabs(["Guidelines", "Quick reference card"])
with full:
    text = call(guidelines_text)
    if text is not None:
        render_markdown(text)
with card:
    show_card(context.get_project().taxonomy(), key="guidelines")
