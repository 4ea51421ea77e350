"""Releases: see what the next release would change, create it (the bump chosen in words), compare and verify
releases, download one as a Hugging Face dataset zip, score predictions against one, and read the CHANGELOG."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import streamlit as st

from annotate.app.context import get_project, get_store, require_role
from annotate.app.ui import call, code, plain
from annotate.evaluation.scoring import evaluate, format_report
from annotate.release.archive import ZipExport, export_zip
from annotate.release.creation import create_release, pending_diff
from annotate.release.diffs import ReleaseDiff, diff_releases, diff_summary, read_changelog, required_bump
from annotate.release.export import agreement_figures, export_release
from annotate.release.layout import OPTIONAL_CONFIGS, default_export_dir
from annotate.release.versions import BUMPS, SPLITS, bump_version, list_releases, release_path, verify_release

PREVIEW = "release_preview"  # session-state key: the pending diff the curator looked at
NOTICE = "release_notice"  # session-state key: what the last creation said, shown after the rerun
DOWNLOAD = "release_download"  # session-state key: version -> the prepared zip
BUMP_WORDS = {
    "patch": "Corrections only: spans, values, arguments, links or metadata fixed (patch)",
    "minor": "Additions: new documents or new labels (minor)",
    "major": "Breaking: documents or labels removed, schema or offsets changed (major)",
}

user = require_role("curator", "admin")
project = get_project()
store = get_store()

st.title("Releases")
notice = st.session_state.pop(NOTICE, None)
if notice:
    st.success(notice, icon=":material/new_releases:")
infos = call(list_releases, project.path) or []
if infos:
    st.dataframe(
        [{"version": i.version, "created": i.created_at[:16].replace("T", " ") + " UTC", "bump": i.bump,
          "documents": i.documents, **{split: i.splits.get(split, 0) for split, _ in SPLITS},
          "guidelines": i.guideline_version, "message": i.message} for i in reversed(infos)],
        hide_index=True, key="release_list",
    )
else:
    st.info("No release yet.")
versions = [i.version for i in reversed(infos)]
latest = versions[0] if versions else None


def show_diff(diff: ReleaseDiff, *, key: str) -> None:
    """A diff in a few lines, and per document what changed."""
    st.markdown("\n".join(f"- {plain(line)}" for line in diff_summary(diff)))
    if diff.text_changed:
        st.warning("Text changed (offsets may have moved): " + ", ".join(diff.text_changed))
    rows = [{"document": d, "change": "added"} for d in diff.added_documents]
    rows += [{"document": d, "change": "removed"} for d in diff.removed_documents]
    rows += [
        {"document": d.doc_id, "change": "text changed" if d.text_changed else "annotations changed",
         **{f"{layer} +/-/~": f"{len(d.added.get(layer, []))}/{len(d.removed.get(layer, []))}/"
            f"{len(d.changed.get(layer, []))}" for layer in sorted({*d.added, *d.removed, *d.changed})}}
        for d in diff.changed_documents
    ]
    if rows:
        with st.expander(f"Per document ({len(rows)})"):
            st.dataframe(rows, hide_index=True, key=f"{key}_docs")


def changelog_for_page(markdown: str) -> str:
    """The CHANGELOG under this page's heading: its own title dropped, each release a small heading."""
    lines = markdown.splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join("###" + line if line.startswith("## ") else line for line in lines).strip()


# --- a new release: preview, bump in words, confirm ---------------------------------------------------------------

st.subheader("New release")
st.caption(f"The gold of every document saved as gold, frozen and hashed. Compared with "
           f"{'release ' + latest if latest else 'nothing yet (this is the first release)'}.")
if st.button("Preview the next release", icon=":material/difference:", key="release_preview_btn"):
    computed = call(pending_diff, project.path, store, project.taxonomy())
    if computed is not None:
        st.session_state[PREVIEW] = computed
preview: ReleaseDiff | None = st.session_state.get(PREVIEW)
if preview is not None:
    show_diff(preview, key="release_preview")
    need = required_bump(preview)
    if need is None:
        st.info(f"Nothing changed since release {latest}: there is nothing to release.", icon=":material/block:")
    else:
        allowed = [b for b in reversed(BUMPS) if BUMPS.index(b) >= BUMPS.index(need)]
        bump = st.radio("What kind of release is this?", allowed, index=len(allowed) - 1,
                        format_func=BUMP_WORDS.__getitem__, key="release_bump",
                        help=f"These changes need at least a {need} release; a smaller one would be refused.")
        version = bump_version(latest, bump)
        message = st.text_input("What changed (goes into the manifest and the CHANGELOG)",
                                placeholder="e.g. 40 Dari documents adjudicated", key="release_message")
        if st.button(f"Create release {version}", type="primary", icon=":material/new_releases:",
                     key="release_create_submit"):
            now = call(pending_diff, project.path, store, project.taxonomy())
            if now is not None and now.to_json() != preview.to_json():
                st.session_state[PREVIEW] = now
                st.warning("The gold changed since this preview; here is the new one. Look at it and confirm again.",
                           icon=":material/sync_problem:")
                st.rerun()
            info = call(create_release, project.path, store, project.taxonomy(), bump=bump, message=message,
                        actor=user.name)
            if info is not None:
                st.session_state.pop(PREVIEW, None)
                st.session_state[NOTICE] = (f"Released {info.version}: {info.documents} documents "
                                            f"({', '.join(f'{k} {v}' for k, v in info.splits.items())}).")
                st.rerun()

if not versions:
    st.stop()

# --- compare two releases -----------------------------------------------------------------------------------------

st.subheader("Compare releases")
if len(versions) < 2:
    st.caption(f"Only one release so far ({versions[0]}): the next one can be compared with it.")
else:
    pick_a, pick_b = st.columns(2)
    a = pick_a.selectbox("From", versions, index=1, key="release_diff_a")
    b = pick_b.selectbox("To", versions, index=0, key="release_diff_b")
    compared = call(diff_releases, project.path, a, b)
    if compared is not None:
        show_diff(compared, key="release_compare")

# --- verify, download, export ---------------------------------------------------------------------------------------

st.subheader("Verify and download")
version = st.selectbox("Version", versions, key="release_version")
options = st.columns(2)
repo = options[0].text_input("Hub repository (ORG/NAME, optional)", key="release_repo",
                             help="Names the card and adds an lm-eval task that reads the Hub.")
include = options[1].multiselect("Optional configs", list(OPTIONAL_CONFIGS), key="release_include",
                                 help="annotations: every annotator's sets; suggestions: the engine's.")


def export_options() -> dict[str, Any]:
    """What both exports are made with (the agreement figures for the card are computed only when exporting)."""
    return {"taxonomy": project.taxonomy(), "agreement": agreement_figures(store), "hub_repo": repo.strip() or None,
            "include": include}


cols = st.columns(3)
if cols[0].button("Verify", icon=":material/verified_user:", key="release_verify"):
    manifest = call(verify_release, project.path, version)
    if manifest is not None:
        st.success(f"{version} verifies: every hash matches ({len(manifest.documents)} documents, "
                   f"version sha256 {code(manifest.version_sha256[:16])}…).", icon=":material/verified:")
if cols[1].button("Prepare the dataset zip", icon=":material/folder_zip:", key="release_zip",
                  help="The release as a Hugging Face dataset (Parquet configs, card, lm-eval task), zipped."):
    with st.spinner(f"Exporting {version}…"):
        made = call(export_zip, release_path(project.path, version), **export_options())
    if made is not None:
        st.session_state.setdefault(DOWNLOAD, {})[version] = made
prepared: ZipExport | None = st.session_state.get(DOWNLOAD, {}).get(version)
if prepared is not None:
    st.download_button(f"Download {prepared.filename} ({len(prepared.data) / 1024:.0f} KiB)", prepared.data,
                       file_name=prepared.filename, mime="application/zip", icon=":material/download:",
                       key="release_download_btn")
    st.caption(f"Unzip it, then `datasets.load_dataset(\"{prepared.folder}\")` (or with a config: `\"dates\"`, "
               "`\"date_pairs\"`, `\"entities\"`) reads it offline.")
if cols[2].button("Export into the project", icon=":material/drive_file_move:", key="release_export",
                  help="Writes the dataset under the project's exports folder, where `annotate publish` finds it."):
    stats = call(export_release, release_path(project.path, version), default_export_dir(project.path, version),
                 **export_options())
    if stats is not None:
        st.success(f"Exported {version} into the project's exports: "
                   + ", ".join(f"{c} {sum(s.values())} rows" for c, s in stats.rows.items()))

# --- score predictions --------------------------------------------------------------------------------------------

st.subheader("Score predictions")
st.caption("JSON Lines: documents layout, `annotate dates extract` output, or lm-eval `--log_samples` output "
           "(scored against this version's export).")
upload = st.file_uploader("Predictions", type=["jsonl"], key="release_eval_file")
split = st.selectbox("Split", ["all", "train", "validation", "test"], key="release_eval_split")
if upload is not None and st.button("Score", key="release_eval"):
    export_dir = default_export_dir(project.path, version)
    gold = str(export_dir) if (export_dir / "release.json").is_file() else version
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "predictions.jsonl"
        pred.write_bytes(upload.getvalue())
        result = call(evaluate, gold, pred, project_dir=project.path, split=None if split == "all" else split)
    if result is not None:
        st.code(format_report(result), language=None)

# --- the changelog ------------------------------------------------------------------------------------------------

st.subheader("CHANGELOG")
changelog = read_changelog(project.path)
with st.container(border=True, height=360):
    st.markdown(changelog_for_page(changelog) if changelog else "_No changelog yet._")
