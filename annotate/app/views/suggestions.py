"""Suggestions (curators): the model in use, retraining it, pre-labelling every document, scoring both suggesters."""

from __future__ import annotations

import streamlit as st

from annotate.app.context import get_project, require_role
from annotate.app.ui import call, plain
from annotate.evaluation.suggesters import SUGGESTERS, evaluate_suggesters
from annotate.models import MODEL_AUTHOR, STRINGS_AUTHOR
from annotate.suggest.registry import train_model
from annotate.suggest.run import status, suggest_project

user = require_role("curator", "admin")
project = get_project()
store = project.store()

st.title("Suggestions")
st.caption(
    "Entities and event triggers are suggested to annotators next to the date engine's dates: the string "
    f"matcher ({STRINGS_AUTHOR}) suggests every occurrence of a form the project's gold and submitted sets "
    f"labelled, and the model ({MODEL_AUTHOR}) is a tagger trained on those sets. Annotators accept or reject "
    "them on the Annotate page; every rejection lowers a form's confidence, and a form rejected more often than "
    "accepted is no longer suggested."
)

summary = st.container()  # filled last, so that it shows the state after training or suggesting
c1, c2 = st.columns(2)
if c1.button("Train the model", key="sg_train", type="primary", icon=":material/model_training:",
             help="On every gold set, and every submitted set of a document without gold"):
    with st.spinner("Training on the gold and submitted sets ..."):
        trained = call(train_model, project.path, store, actor=user.name)
    if trained is not None:
        m = trained.meta
        st.success(f"Model {trained.version} trained on {len(m['documents'])} document(s) "
                   f"({m['mentions']['entity']} entity mentions, {m['mentions']['event']} triggers) in "
                   f"{m['seconds']} s; it is now in use. Suggest again for annotators to see its suggestions.",
                   icon=":material/check:")
if c2.button("Suggest for every document", key="sg_run", icon=":material/auto_awesome:"):
    with st.spinner("Suggesting ..."):
        results = call(lambda: list(suggest_project(project.path, store, actor=user.name)))
    if results is not None:
        changed = sum(r.changed for r in results)
        strings = sum(r.strings for r in results)
        model_n = sum(r.model or 0 for r in results)
        st.success(f"{len(results)} document(s): {strings} suggestion(s) from the string matcher, {model_n} from "
                   f"the model; {changed} document(s) changed.", icon=":material/check:")

with st.expander("Score both on the latest release"):
    st.caption("Both are trained on the release's train and validation gold and scored on its test split with "
               "the metrics of `annotate eval` (entities: nervaluate; triggers: ACE). The release decides: "
               "nothing annotated since changes the figures.")
    if st.button("Score", key="sg_eval"):
        with st.spinner("Training and scoring ..."):
            result = call(evaluate_suggesters, project.path, split="test")
        if result is not None:
            st.markdown(plain(f"Release {result['release']}, {result['documents']} test document(s), trained on "
                              f"{result['trained_on']}."))
            rows = []
            for layer, metric in (("entities", "strict"), ("entities", "type"),
                                  ("events", "trigger_identification"), ("events", "trigger_classification")):
                row = {"metric": f"{layer} {metric.replace('_', ' ')}"}
                for name in SUGGESTERS:
                    figures = result["scores"][name][layer][metric]
                    row[f"{name} F1"] = round(figures["f1"], 3)
                    row[f"{name} P"] = round(figures["precision"], 3)
                    row[f"{name} R"] = round(figures["recall"], 3)
                rows.append(row)
            st.dataframe(rows, hide_index=True, key="sg_eval_table")

with summary:
    now = status(project.path, store)
    m1, m2, m3 = st.columns(3)
    if now.model is not None:
        meta = now.model.meta
        m1.metric("Model in use", now.model.version)
        m1.caption(plain(f"trained {meta.get('trained_at', '?')} by {meta.get('trained_by', '?')} on "
                         f"{len(meta['documents'])} document(s)"))
    else:
        m1.metric("Model in use", "none")
        if now.problem:
            st.warning(plain(now.problem), icon=":material/warning:")
        else:
            m1.caption("Train one to get the model's suggestions.")
    for col, author in ((m2, STRINGS_AUTHOR), (m3, MODEL_AUTHOR)):
        docs, entities, events = now.sets[author]
        col.metric(author, f"{docs} doc(s)")
        col.caption(f"{entities} entity and {events} trigger suggestion(s)")
