"""Inter-annotator agreement with charts per layer, label, annotator pair and language; lowest documents first."""

from __future__ import annotations

import altair as alt
import streamlit as st

from annotate.annotation.queue import queue_languages
from annotate.app.context import get_store, require_role
from annotate.app.navigation import find_page
from annotate.app.ui import call, plain
from annotate.curation.agreement import chart_rows, project_agreement

ADJUDICATE_PAGE = "views/adjudicate.py"
ADJUDICATE_DOC = "adjudicate_doc"  # session-state key: the document the adjudication page opens first

user = require_role("curator", "admin")
store = get_store()

st.title("Agreement")
cols = st.columns(2)
lang = cols[0].selectbox("Language", ["all", *queue_languages(store)], key="agreement_lang")
submitted_only = cols[1].toggle("Submitted sets only", value=False, key="agreement_submitted")
report = call(project_agreement, store, lang=None if lang == "all" else lang, submitted_only=submitted_only)
if report is None:
    st.stop()
if report.compared_documents == 0:
    st.info("No document has two annotators' sets yet: assign an overlap share (Assign page) first.")
    st.stop()

st.caption(
    f"{report.compared_documents} of {report.documents} document(s) have two or more annotators "
    f"({', '.join(plain(a) for a in report.annotators)}). F1 is symmetric; kappa and alpha are on word tokens."
)
metrics = st.columns(4)
metrics[0].metric("Entities F1", f"{report.layers['entities'].f1 or 0:.2f}")
metrics[1].metric("Date values F1", f"{report.layers['date_values'].f1 or 0:.2f}")
alpha = report.alpha.get("all")
metrics[2].metric("Krippendorff's alpha", "-" if alpha is None else f"{alpha:.2f}")
value = report.date_value_agreement
metrics[3].metric("Same date value (same span)", "-" if value is None else f"{value:.0%}")

rows = chart_rows(report)


def bars(records: list[dict[str, object]], x: str, colour: str | None, title: str) -> None:
    """A horizontal bar chart of F1 (0..1) by ``x``, coloured by ``colour``."""
    if not records:
        st.caption(f"{title}: nothing to compare yet.")
        return
    enc: dict[str, object] = {"x": alt.X("F1:Q", scale=alt.Scale(domain=[-1 if "kappa" in title else 0, 1])),
                              "y": alt.Y(f"{x}:N", sort=None, title=None)}
    if colour:
        enc["color"] = alt.Color(f"{colour}:N")
        enc["yOffset"] = alt.YOffset(f"{colour}:N")
    chart = alt.Chart(alt.Data(values=records), title=title).mark_bar().encode(**enc)  # type: ignore[no-untyped-call]
    st.altair_chart(chart, width="stretch")


tab_layer, tab_label, tab_pair, tab_lang = st.tabs(["Per layer", "Per label", "Per pair", "Per language"])
with tab_layer:
    bars(rows["layers"], "layer", None, "F1 per layer")
with tab_label:
    bars(rows["labels"], "label", "layer", "F1 per label")
with tab_pair:
    bars(rows["pairs"], "pair", "layer", "F1 and kappa per annotator pair")
with tab_lang:
    bars(rows["languages"], "language", "layer", "F1 per language")

st.subheader("Lowest agreement first")
st.dataframe(rows["documents"], hide_index=True, key="agreement_documents")
page = find_page(ADJUDICATE_PAGE, user.role.value)
docs = [str(r["document"]) for r in rows["documents"]]
choice = st.selectbox("Document", docs, key="agreement_doc")
if page is not None and choice and st.button("Adjudicate", icon=":material/gavel:", key="agreement_open"):
    st.session_state[ADJUDICATE_DOC] = choice
    st.switch_page(page.path)
