"""A tiny app around the labeler for browser tests: one document, an in-memory annotation set, JSON out.

Env: LABELER_DOC (a UTF-8 text file), LABELER_LANG (fa, prs, ar, ...), LABELER_REF (reference date, optional),
LABELER_PREFILL=N to start with N entity marks, LABELER_SUGGEST=1 to offer the date engine's
suggestions, LABELER_DELAY_MS=N to answer every batch of actions N ms late (a slow server or network).
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import streamlit as st

from annotate.annotation.actions import apply_action
from annotate.annotation.editing import EditContext
from annotate.app.labeler import labeler, settle_actions, take_actions
from annotate.dates import extract_dates
from annotate.models import AnnotationSet, AuthorKind, Document, EntityMention, validate_annotation_set
from annotate.taxonomy import default_taxonomy

st.set_page_config(page_title="labeler harness", layout="wide")

path = Path(os.environ["LABELER_DOC"])
doc = Document.create(path.read_text(encoding="utf-8"), lang=os.environ.get("LABELER_LANG", "fa"),
                      id="doc-harness", reference_date=os.environ.get("LABELER_REF") or None)
taxonomy = default_taxonomy()
ctx = EditContext(doc, taxonomy)



def _prefilled(n: int) -> AnnotationSet:
    """``n`` entity mentions spread over the document's words (for the render benchmark)."""
    words = list(re.finditer(r"\S+", doc.text))
    step = max(1, len(words) // max(n, 1))
    types = taxonomy.entity_names()
    ents = [
        EntityMention(id=f"e-{w.start()}-{w.end()}", start=w.start(), end=w.end(), text=w.group(),
                      type=types[i % len(types)])
        for i, w in enumerate(words[::step][:n])
    ]
    out = AnnotationSet(doc_id=doc.id, author="tester", entities=ents)
    validate_annotation_set(out, doc, taxonomy)
    return out


if "aset" not in st.session_state:
    st.session_state.aset = _prefilled(int(os.environ.get("LABELER_PREFILL", "0")))
    st.session_state.saves = 0
    st.session_state.errors = []
    suggestions = None
    if os.environ.get("LABELER_SUGGEST") == "1":
        ex = extract_dates(doc.text, doc.lang, doc.reference_date)
        suggestions = AnnotationSet(doc_id=doc.id, author="engine", author_kind=AuthorKind.engine,
                                    dates=list(ex.mentions), links=list(ex.links))
    st.session_state.suggestions = suggestions

aset: AnnotationSet = st.session_state.aset
suggestions: AnnotationSet | None = st.session_state.suggestions
errors: list[str] = list(st.session_state.errors)
saves: int = st.session_state.saves
select = status = None
actions = take_actions()
if actions and os.environ.get("LABELER_DELAY_MS"):
    time.sleep(int(os.environ["LABELER_DELAY_MS"]) / 1000)
for action in actions:  # no session-state access until settle_actions (the run may be stopped at any)
    outcome = apply_action(ctx, aset, action, suggestions)
    aset = outcome.aset
    select = outcome.select or select
    status = outcome.message
    if outcome.error and outcome.message:
        errors.append(outcome.message)
    if outcome.save:
        saves += 1
settle_actions("labeler", actions, {"aset": aset, "errors": errors, "saves": saves})

labeler(doc, aset, taxonomy, st.session_state.suggestions, select=select, status=status)

# Plain text, not st.code: highlighting 500 mentions of JSON would dominate the browser's time per action.
st.text(json.dumps({"saves": st.session_state.saves, "errors": st.session_state.errors, **aset.content()},
                   ensure_ascii=False))
