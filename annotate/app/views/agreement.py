"""Inter-annotator agreement: where annotators disagree (confusion matrices, lowest documents first), how much
(F1 per layer, label, pair and language; kappa and alpha apart) and how each annotator does against gold."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd  # type: ignore[import-untyped]
import streamlit as st

from annotate.annotation.queue import queue_languages
from annotate.app.charts import bar_chart
from annotate.app.context import get_project, get_store, open_for_adjudication, require_role
from annotate.app.navigation import find_page
from annotate.app.ui import call, plain
from annotate.curation.agreement import AgreementCache, chart_rows
from annotate.curation.measures import CONFUSION_LAYERS, NONE, ConfusionMatrix

ADJUDICATE_PAGE = "views/adjudicate.py"
CONFUSION_KEY = "agreement_confusion"
LAYER_NAMES = {
    "entity_types": "Entity types",
    "event_types": "Event types",
    "date_calendars": "Date calendars",
    "date_granularities": "Date granularities",
}
POOLED = "pooled"
INDEX_PX, CELL_PX = 180, 84  # widths of the confusion matrix's label column and of each count column

user = require_role("curator", "admin")
store = get_store()
adjudicate_page = find_page(ADJUDICATE_PAGE, user.role.value)

st.title("Agreement")
cols = st.columns(2)
lang = cols[0].selectbox("Language", ["all", *queue_languages(store)], key="agreement_lang")
submitted_only = cols[1].toggle("Submitted sets only", value=False, key="agreement_submitted")


@st.cache_resource(show_spinner=False)
def tallies(project_dir: str) -> AgreementCache:
    """One cache of document tallies per project, shared by the sessions: a click on the page, or a report after
    one saved set, recomputes only the documents whose sets changed."""
    return AgreementCache()


with st.spinner("Computing agreement…"):
    report = call(tallies(str(get_project().path)).report, store, lang=None if lang == "all" else lang,
                  submitted_only=submitted_only)
if report is None:
    st.stop()
if report.compared_documents == 0 and not report.quality:
    st.info("No document has two annotators' sets yet: assign an overlap share (Assign page) first.")
    st.stop()

st.caption(
    f"{report.compared_documents} of {report.documents} document(s) have two or more annotators "
    f"({', '.join(plain(a) for a in report.annotators)}); {report.gold_documents} have adjudicated gold. "
    "F1 is symmetric; kappa and alpha are on word tokens. `annotate agreement --json` gives the same figures."
)
metrics = st.columns(4)
metrics[0].metric("Entities F1", "-" if report.layers["entities"].f1 is None else f"{report.layers['entities'].f1:.2f}")
values_f1 = report.layers["date_values"].f1
metrics[1].metric("Date values F1", "-" if values_f1 is None else f"{values_f1:.2f}")
alpha = report.alpha.get("all")
metrics[2].metric("Krippendorff's alpha", "-" if alpha is None else f"{alpha:.2f}")
value = report.date_value_agreement
metrics[3].metric("Same date value (same span)", "-" if value is None else f"{value:.0%}")

rows = chart_rows(report)


def draw(chart: alt.LayerChart | None, what: str) -> None:
    """Show a chart, or say there is nothing to draw."""
    if chart is None:
        st.caption(f"{what}: nothing to compare yet.")
    else:
        st.altair_chart(chart, width="stretch")


# --- where they disagree: confusion matrices ----------------------------------------------------------------------

st.subheader("Confusion matrix")


def matrix_frame(m: ConfusionMatrix, row_name: str, column_name: str) -> Any:
    """The matrix as a styled table: agreement on the diagonal in green, confusions in red, by count."""
    labels = m.labels
    frame = pd.DataFrame(m.matrix(), index=pd.Index(labels, name=f"{row_name} ↓ / {column_name} →"),
                         columns=labels)
    top = max(m.cells.values(), default=1)

    def shade(data: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame("", index=data.index, columns=data.columns)
        for r in data.index:
            for c in data.columns:
                n = int(data.loc[r, c])
                if n:
                    rgb = "46,160,67" if r == c else "218,54,51"
                    out.loc[r, c] = f"background-color: rgba({rgb},{0.18 + 0.62 * n / top:.2f}); font-weight: 600"
        return out

    return frame.style.apply(shade, axis=None)


c1, c2 = st.columns(2)
layer: str = c1.selectbox("Layer", CONFUSION_LAYERS, format_func=LAYER_NAMES.__getitem__, key="agreement_cm_layer")
pair_names = {POOLED: "pooled over " + (f"all {len(report.pairs)} pairs" if len(report.pairs) != 1 else "1 pair")}
pair_names |= {f"{a}|{b}": f"{a} (rows) / {b} (columns)" for a, b in report.pairs}
pair_key: str = c2.selectbox("Annotators", list(pair_names), format_func=pair_names.__getitem__,
                             key="agreement_cm_pair")
pair = None if pair_key == POOLED else (pair_key.split("|", 1)[0], pair_key.split("|", 1)[1])
matrix = report.confusion_matrix(layer, pair)
if matrix.total == 0:
    st.caption(f"{LAYER_NAMES[layer]}: no unit marked by either side yet.")
else:
    rows_by, cols_by = pair if pair else ("1st", "2nd")
    st.caption(
        f"{matrix.total} unit(s) (spans either side marked), {matrix.agreed} with the same label "
        f"({matrix.agreed / matrix.total:.0%}); `{NONE}`: that side did not mark the span. "
        + ("Pooled: rows are the first annotator of each pair by name, columns the second. " if pair is None else "")
        + "Click a cell to list its documents."
    )
    # Fixed widths: a square grid the eye reads along rows and columns (and a browser test can click into).
    event = st.dataframe(
        matrix_frame(matrix, rows_by, cols_by), key=CONFUSION_KEY, on_select="rerun",
        selection_mode="single-cell", width="content",
        column_config={"_index": st.column_config.Column(width=INDEX_PX),
                       **{label: st.column_config.NumberColumn(width=CELL_PX) for label in matrix.labels}},
    )
    confusions = matrix.confusions()[:5]
    if confusions:
        st.caption("Most frequent confusions: " + "; ".join(f"{r} → {c} ({n})" for r, c, n in confusions))
    cells = event.selection.cells if event is not None else []
    if cells:
        row_pos, column = cells[0]
        row = matrix.labels[int(row_pos)]
        docs = matrix.documents_of(row, str(column))
        st.markdown(f"**{plain(row)} / {plain(str(column))}**: {matrix.count(row, str(column))} unit(s) in "
                    f"{len(docs)} document(s)")
        if docs:
            st.dataframe([{"document": d, "units": n} for d, n in docs], hide_index=True, key="agreement_cell_docs")
            pick = st.selectbox("Document", [d for d, _ in docs], key="agreement_cell_doc")
            if adjudicate_page is not None and st.button("Open in Adjudicate", icon=":material/gavel:",
                                                         key="agreement_cell_open"):
                open_for_adjudication(pick)
                st.switch_page(adjudicate_page.path)

# --- how much: F1, and kappa and alpha on their own axis ---------------------------------------------------------

st.subheader("Agreement figures")
tab_layer, tab_label, tab_pair, tab_lang, tab_chance = st.tabs(
    ["Per layer", "Per label", "Per pair", "Per language", "Kappa and alpha"]
)
with tab_layer:
    draw(bar_chart(rows["layers"], y="layer", title="F1 per layer (all pairs)"), "F1 per layer")
with tab_label:
    labelled = [{**r, "row": f"{r['layer']} · {r['label']}"} for r in rows["labels"]]
    draw(bar_chart(labelled, y="row", colour=None, title="F1 per label (one row per label)"), "F1 per label")
with tab_pair:
    draw(bar_chart(rows["pairs"], y="pair", colour="layer", title="F1 per annotator pair"), "F1 per pair")
with tab_lang:
    draw(bar_chart(rows["languages"], y="language", colour="layer", title="F1 per language"), "F1 per language")
with tab_chance:
    chance = [{**r, "of": f"{'κ' if r['measure'].startswith('Cohen') else 'α'} {r['of']}"} for r in rows["chance"]]
    draw(bar_chart(chance, y="of", value="value", colour="view", domain=(-1.0, 1.0),
                   title="Cohen's kappa per pair (κ), Krippendorff's alpha (α): chance-corrected, -1..1"),
         "Kappa and alpha")

# --- each annotator against gold ------------------------------------------------------------------------------

st.subheader("Against adjudicated gold")
if not report.quality:
    st.info("No document has an adjudicated gold set yet: save one as gold on the Adjudicate page, and each "
            "annotator's precision, recall and F1 against it show here.")
else:
    st.caption(f"Gold is the reference ({report.gold_documents} document(s)): precision is the share of the "
               "annotator's items gold kept, recall the share of gold items the annotator found.")
    st.dataframe(rows["quality"], hide_index=True, key="agreement_quality",
                 column_config={k: st.column_config.NumberColumn(format="%.2f") for k in ("precision", "recall", "F1")})
    draw(bar_chart([{**r, "row": f"{r['annotator']} · {r['layer']}"} for r in rows["quality"]], y="row",
                   colour=None, title="F1 against gold per annotator and layer"), "Against gold")
    who = st.selectbox("Per label for", sorted(report.quality), key="agreement_quality_who")
    mine = [r for r in rows["quality_labels"] if r["annotator"] == who]
    draw(bar_chart([{**r, "row": f"{r['layer']} · {r['label']}"} for r in mine], y="row",
                   title=f"F1 against gold per label: {who}"), "Per label")
    st.dataframe(mine, hide_index=True, key="agreement_quality_labels",
                 column_config={k: st.column_config.NumberColumn(format="%.2f") for k in ("precision", "recall", "F1")})

# --- which documents ------------------------------------------------------------------------------------------

st.subheader("Lowest agreement first")
if rows["documents"]:
    st.dataframe(rows["documents"], hide_index=True, key="agreement_documents")
    lowest = [str(r["document"]) for r in rows["documents"]]
    choice = st.selectbox("Document", lowest, key="agreement_doc")
    if adjudicate_page is not None and choice and st.button("Adjudicate", icon=":material/gavel:",
                                                            key="agreement_open"):
        open_for_adjudication(choice)
        st.switch_page(adjudicate_page.path)
else:
    st.caption("No document has two annotators' sets yet.")
