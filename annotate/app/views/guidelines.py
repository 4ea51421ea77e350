"""The annotation guidelines (``guidelines.md``), rendered with per-paragraph text direction."""

from __future__ import annotations

from annotate.annotation.guidelines import guidelines_text
from annotate.app.context import current_user
from annotate.app.ui import call, render_markdown

current_user()
text = call(guidelines_text)
if text is not None:
    render_markdown(text)
