"""Curation pages in AppTest: assign, agreement (confusion matrices, against gold, charts) and adjudication (the
three states, taking a side with a button or a key, progress, save as gold, reopen, provenance)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import curation_project as cp
import pytest
from apptest_helpers import make_app, ok, shown_text, texts
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from annotate.annotation import editing
from annotate.annotation.actions import LabelerAction
from annotate.annotation.prelabel import engine_annotations
from annotate.app.context import ADJUDICATE_DOC
from annotate.app.labeler import Channel
from annotate.app.marks import PaneAction, panes_payload, parse_pane_actions
from annotate.cli import cli
from annotate.curation import adjudication as adj
from annotate.curation import comparison, feedback, gold_sets
from annotate.errors import AuthError, InputError
from annotate.models import GOLD_AUTHOR, AnnotationSet, AnnotationStatus, Comment, CommentKind, CommentStatus, Document
from annotate.project import Project, init_project

TEXT = "وأعلن التحالف في السادس من يناير/كانون الأول الماضي إيقاف التدريب في بغداد."
DOC = Document.create(TEXT, lang="ar", id="ar-1", reference_date="2020-03-14")
PASSWORD = "password123"
QUEUE = "_adjudicate_panes_queue"  # where the panes component's callback queues the keys it parsed


@pytest.fixture
def proj(tmp_path: Path) -> Iterator[Project]:
    """One Arabic sentence: ali and sara agree on the coalition, not on Baghdad (GPE vs LOC)."""
    project = init_project(tmp_path / "p")
    store = project.store()
    store.documents.put([DOC], actor="t")
    store.users.add("cura", "curator", PASSWORD, actor="t")
    for name in ("ali", "sara"):
        store.users.add(name, "annotator", PASSWORD, actor="t")
    ctx = editing.EditContext(DOC, store.taxonomy)
    for name, type_ in (("ali", "GPE"), ("sara", "LOC")):
        a = editing.accept_suggestions(ctx, AnnotationSet(doc_id=DOC.id, author=name), engine_annotations(DOC)).aset
        a = editing.add_entity(ctx, a, TEXT.index("التحالف"), TEXT.index("التحالف") + 7, "ORG")
        a = editing.add_entity(ctx, a, TEXT.index("بغداد"), TEXT.index("بغداد") + 5, type_)
        store.sets.save(a, base_revision=0, actor=name)
    yield project
    project.close()


@pytest.fixture
def news(tmp_path: Path) -> Iterator[Project]:
    """Three articles (fa, prs, ar) labelled by sara and omid (see ``curation_project``)."""
    project = cp.build(tmp_path / "news")
    yield project
    project.close()





def gold_of(project: Project, doc_id: str = DOC.id) -> AnnotationSet:
    return project.store().sets.get(doc_id, GOLD_AUTHOR)


def open_doc(project: Project, doc_id: str) -> AppTest:
    at = make_app(project.path, "cura", None)
    at.session_state[ADJUDICATE_DOC] = doc_id
    return ok(at.switch_page("views/adjudicate.py").run())


def confirm_save(at: AppTest, *listed: str) -> AppTest:
    """After a click on "Save as gold": what is unfinished is listed (each of ``listed`` among it) and nothing is
    saved until "Save as gold anyway"."""
    shown = texts(at)
    assert "not finished in this document" in shown and all(x in shown for x in listed), shown
    return ok(at.button(key="adjudicate_gold_confirm").click().run())


# --- adjudication -----------------------------------------------------------------------------------------------


def test_auto_merge_then_save_as_gold_records_provenance(proj: Project) -> None:
    at = ok(make_app(proj.path, "cura", "views/adjudicate.py"))
    assert "**0 of 1 decided**" in texts(at) and "Annotators: ali, sara" in texts(at)
    ok(at.button(key="adjudicate_auto").click().run())
    ok(at.button(key="adjudicate_save").click().run())
    confirm_save(at, "is inconsistent (January vs December) and has no note saying why it stays")
    gold = gold_of(proj)
    assert (gold.status, gold.revision) == (AnnotationStatus.gold, 1)
    assert [e.text for e in gold.entities] == ["التحالف"]  # Baghdad is disputed: left to decide
    rec = gold.metadata[adj.PROVENANCE_KEY][gold.entities[0].id]
    assert (rec["how"], rec["by"], rec["agreed_by"]) == ("auto", "cura", ["ali", "sara"])
    assert any(not link.consistent and link.reason == "January vs December" for link in gold.links)
    assert any("Gold set saved" in s.value for s in at.success)


def test_take_a_side_shows_three_states_and_progress_then_all_decided_saves(news: Project) -> None:
    at = open_doc(news, cp.AR.id)
    ok(at.button(key="adjudicate_auto").click().run())
    assert "**0 of 4 decided**" in texts(at)
    assert ":orange-badge[:material/pending: undecided]" in texts(at)
    # 1: overlapping spans of the base -> take sara's «قاعدة عين الأسد»
    ok(at.button(key="adjudicate_take_sara").click().run())
    assert "**1 of 4 decided**" in texts(at)
    # now on 2 (same span, different type): reject both types
    assert "Difference **2 of 4**" in texts(at)
    ok(at.button(key="adjudicate_reject").click().run())
    listing = next(m.value for m in at.markdown if m.value.startswith("| "))
    rows = [line for line in listing.splitlines() if line.startswith("| ") and "#" not in line]
    states = [r.rsplit("|", 2)[-2].strip() for r in rows]
    assert states == [":blue-badge[:material/check_circle: accepted]", ":gray-badge[:material/cancel: rejected]",
                      ":orange-badge[:material/pending: undecided]", ":orange-badge[:material/pending: undecided]"]
    # 3 and 4 are the origin argument, each annotator's with its own filler
    assert "Difference **3 of 4** · `arguments`" in texts(at)
    ok(at.button(key="adjudicate_take_sara").click().run())
    ok(at.button(key="adjudicate_take_omid").click().run())  # omid's argument points at a span gold lacks
    assert any("needs its event trigger and its entity mention in gold first" in w.value for w in at.warning)
    ok(at.button(key="adjudicate_reject").click().run())
    assert "**4 of 4 decided**" in texts(at)
    assert any("All 4 differences decided" in s.value for s in at.success)
    ok(at.button(key="adjudicate_save_all").click().run())
    confirm_save(at, "neither accepted nor rejected")
    gold = gold_of(news, cp.AR.id)
    assert gold.status is AnnotationStatus.gold
    base = next(e for e in gold.entities if "الأسد" in e.text)
    assert base.text == "قاعدة عين الأسد"
    assert not any(e.text == "محافظة الأنبار" for e in gold.entities)
    prov = gold.metadata[adj.PROVENANCE_KEY]
    assert (prov[base.id]["how"], prov[base.id]["agreed_by"]) == ("accepted", ["sara"])
    origin = next(a for a in gold.events[0].arguments if a.role == "origin")
    assert origin.ref == base.id


def test_keys_from_the_panes_decide_the_difference_they_were_pressed_on(news: Project) -> None:
    at = open_doc(news, cp.PRS.id)
    diff = gold_sets.open_session(news.store(), cp.PRS.id).diff
    groups = comparison.differences(diff)
    herat, roles, un = groups  # Herat GPE/LOC, Doha participant/place, the UN as participant (sara only)
    assert roles.reason == "same argument in different roles"
    ok(at.button(key="adjudicate_auto").click().run())
    at.session_state[QUEUE] = [PaneAction("take", 1, herat.id, "omid"), PaneAction("goto", 2, roles.id)]
    ok(at.run())
    work = at.session_state["adjudicate_ws"][cp.PRS.id].aset
    assert next(e for e in work.entities if e.text == "هرات").type == "LOC"
    assert at.session_state["adjudicate_current"][cp.PRS.id] == roles.id
    # the argument difference names the filler on both sides
    assert "`participant` of «\u2068دیدار\u2069»: «\u2068دوحه\u2069»" in texts(at)
    assert "`place` of «\u2068دیدار\u2069»: «\u2068دوحه\u2069»" in texts(at)
    at.session_state[QUEUE] = [PaneAction("take", 3, roles.id, "sara"), PaneAction("both", 4, un.id)]
    ok(at.run())
    work = at.session_state["adjudicate_ws"][cp.PRS.id].aset
    assert adj.progress(diff, work) == (3, 3)
    meeting = work.events[0]
    roles_in_gold = {(a.role, next(m.text for m in work.entities if m.id == a.ref)) for a in meeting.arguments}
    assert {("place", "دوحه"), ("participant", "سازمان ملل متحد"), ("participant", "طالبان")} <= roles_in_gold
    # "both" on one span with two types is refused with the reason, nothing changes
    at.session_state[QUEUE] = [PaneAction("both", 5, herat.id)]
    ok(at.run())
    assert any("cannot keep two versions of the same span" in w.value for w in at.warning)
    assert next(e for e in at.session_state["adjudicate_ws"][cp.PRS.id].aset.entities if e.text == "هرات").type == "LOC"
    # j / k move through the differences, wrapping
    at.session_state[QUEUE] = [PaneAction("next", 6, herat.id), PaneAction("next", 7, None)]
    ok(at.run())
    assert at.session_state["adjudicate_current"][cp.PRS.id] == un.id
    at.session_state[QUEUE] = [PaneAction("next", 8, un.id)]
    ok(at.run())
    assert at.session_state["adjudicate_current"][cp.PRS.id] == herat.id


def test_a_link_difference_shows_same_date_without_a_backslash(news: Project) -> None:
    store = news.store()
    omid = store.sets.get(cp.FA.id, "omid")
    store.sets.save(omid.model_copy(update={"links": []}), base_revision=omid.revision, actor="omid")
    at = open_doc(news, cp.FA.id)
    diff = gold_sets.open_session(store, cp.FA.id).diff
    link = next(g for g in comparison.differences(diff) if g.layer == "links")
    at.session_state[QUEUE] = [PaneAction("goto", 1, link.id)]
    ok(at.run())
    shown = texts(at)
    assert "`same_date` «\u2068۱۵ مهر ۱۴۰۲\u2069» = «\u20687 اکتبر 2023\u2069»" in shown
    assert "same\\_date" not in shown  # a code span would show the escape as a stray backslash
    assert "`links`" in shown


def test_accept_then_edit_then_save_records_the_curator(proj: Project) -> None:
    at = ok(make_app(proj.path, "cura", "views/adjudicate.py"))
    ok(at.button(key="adjudicate_auto").click().run())
    ok(at.button(key="adjudicate_take_sara").click().run())
    ok(at.button(key="adjudicate_save_draft").click().run())
    draft = gold_of(proj)
    assert draft.status is AnnotationStatus.in_progress
    baghdad = next(e for e in draft.entities if e.text == "بغداد")
    assert baghdad.type == "LOC"
    rec = draft.metadata[adj.PROVENANCE_KEY][baghdad.id]
    assert (rec["how"], rec["agreed_by"]) == ("accepted", ["sara"])
    # In the labeler mode the selected mark can be retyped: Baghdad is a GPE after all (as ali said).
    at.segmented_control(key="adjudicate_mode").set_value("Edit gold in the labeler").run()
    at.session_state["adjudicate_selected"] = baghdad.id
    ok(at.run())
    ok(at.selectbox(key=f"adjudicate_type_{baghdad.id}").set_value("ORG").run())
    ok(at.button(key="adjudicate_save").click().run())
    confirm_save(at, "is inconsistent (January vs December) and has no note saying why it stays")
    gold = gold_of(proj)
    assert (gold.status, gold.revision) == (AnnotationStatus.gold, 2)
    edited = next(e for e in gold.entities if e.text == "بغداد")
    assert edited.type == "ORG"
    assert gold.metadata[adj.PROVENANCE_KEY][edited.id]["how"] == "curator"
    assert [d["how"] for d in gold.metadata[adj.ADJUDICATION_KEY]["decisions"]] == ["accepted"]


def test_the_labeler_mode_panels_set_a_date_value_and_add_an_argument_in_gold(news: Project) -> None:
    """The annotation page's panels on the gold working copy: the agreed Gregorian date gets another day, and
    the meeting gets the 'time' argument neither annotator gave it; both are the curator's in gold."""
    gold_sets.auto_adjudicate(news.store(), cp.FA.id, actor="cura", final=False)
    before = gold_of(news, cp.FA.id)
    date = next(d for d in before.dates if d.text == "7 اکتبر 2023")
    meeting = next(ev for ev in before.events if ev.type == "MEETING")
    assert "time" not in {a.role for a in meeting.arguments}
    at = open_doc(news, cp.FA.id)
    at.segmented_control(key="adjudicate_mode").set_value("Edit gold in the labeler").run()
    at.session_state["adjudicate_selected"] = date.id
    ok(at.run())
    assert f"**Gregorian:** `{date.gregorian_label()}`" in texts(at)
    at.number_input(key=f"adjudicate_d_{date.id}").set_value(8)
    ok(at.button(key=f"FormSubmitter:adjudicate_date_{date.id}-Set value").click().run())
    at.session_state["adjudicate_selected"] = meeting.id
    ok(at.run())
    assert "Unfilled roles: time" in texts(at)
    assert at.selectbox(key=f"adjudicate_role_{meeting.id}").value == "time"
    assert at.selectbox(key=f"adjudicate_ref_{meeting.id}_time").value == date.id
    ok(at.button(key=f"adjudicate_addarg_{meeting.id}").click().run())
    assert "Unfilled roles: none" in texts(at)
    ok(at.button(key="adjudicate_save").click().run())
    confirm_save(at, "neither accepted nor rejected")
    gold = gold_of(news, cp.FA.id)
    assert gold.status is AnnotationStatus.gold
    changed = next(d for d in gold.dates if d.id == date.id)
    assert (changed.native.day, changed.gregorian_start.isoformat()) == (8, "2023-10-08")
    prov = gold.metadata[adj.PROVENANCE_KEY]
    assert (prov[date.id]["how"], prov[date.id]["by"]) == ("curator", "cura")
    event = next(ev for ev in gold.events if ev.id == meeting.id)
    assert [(a.role, a.ref) for a in event.arguments if a.role == "time"] == [("time", date.id)]
    assert prov[f"{meeting.id}/time/{date.id}"]["how"] == "curator"


def test_the_gold_labeler_undoes_and_redoes_like_the_annotation_page(news: Project) -> None:
    """ctrl+z / ctrl+shift+z in the gold labeler reach the workspace's history: the date both annotators missed,
    added by its key, is taken back and put back; the draft of the gold set follows."""
    at = open_doc(news, cp.FA.id)
    at.segmented_control(key="adjudicate_mode").set_value("Edit gold in the labeler").run()
    start, end = cp.span_of(cp.FA, "اول آبان")

    def labeler(*actions: LabelerAction) -> None:
        at.session_state["_adjudicate_labeler_channel"] = Channel(pending=list(actions))
        ok(at.run())

    def draft_dates() -> list[str]:
        draft = news.store().drafts.find(cp.FA.id, GOLD_AUTHOR)
        return [d.text for d in draft.aset.dates] if draft else []

    labeler(LabelerAction(type="create", seq=1, kind="date", label="DATE", start=start, end=end))
    assert draft_dates() == ["اول آبان"]
    labeler(LabelerAction(type="undo", seq=2))
    assert draft_dates() == []
    labeler(LabelerAction(type="redo", seq=3))
    assert draft_dates() == ["اول آبان"]
    # The buttons beside the labeler do the same, naming the step.
    undo = at.button(key="adjudicate_undo")
    assert undo.label.startswith("Undo: ") and not undo.disabled
    ok(undo.click().run())
    assert draft_dates() == []
    ok(at.button(key="adjudicate_redo").click().run())
    assert draft_dates() == ["اول آبان"]
    ok(at.button(key="adjudicate_save").click().run())
    confirm_save(at, "neither accepted nor rejected")
    gold = gold_of(news, cp.FA.id)
    (added,) = [d for d in gold.dates if d.text == "اول آبان"]
    assert gold.metadata[adj.PROVENANCE_KEY][added.id]["how"] == "curator"


def test_decisions_are_autosaved_as_a_draft_offered_back_after_a_reload(proj: Project) -> None:
    at = ok(make_app(proj.path, "cura", "views/adjudicate.py"))
    ok(at.button(key="adjudicate_auto").click().run())
    ok(at.button(key="adjudicate_take_ali").click().run())
    draft = proj.store().drafts.find(DOC.id, GOLD_AUTHOR)
    assert draft is not None and next(e for e in draft.aset.entities if e.text == "بغداد").type == "GPE"
    again = ok(make_app(proj.path, "cura", "views/adjudicate.py"))  # a new session: nothing in memory
    assert any("unsaved gold work" in w.value for w in again.warning)
    ok(again.button(key="adjudicate_restore").click().run())
    assert "**1 of 1 decided**" in texts(again)
    ok(again.button(key="adjudicate_save").click().run())
    confirm_save(again, "is inconsistent (January vs December) and has no note saying why it stays")
    assert next(e for e in gold_of(proj).entities if e.text == "بغداد").type == "GPE"
    assert proj.store().drafts.find(DOC.id, GOLD_AUTHOR) is None


def test_reopen_gold_from_the_page(proj: Project) -> None:
    gold_sets.auto_adjudicate(proj.store(), DOC.id, actor="cura")
    at = ok(make_app(proj.path, "cura", "views/adjudicate.py"))
    assert any("Reopen" in s.value or "saved" in s.value for s in at.success)
    ok(at.button(key="adjudicate_reopen").click().run())
    gold = gold_of(proj)
    assert (gold.status, gold.revision) == (AnnotationStatus.in_progress, 2)
    assert gold.metadata[adj.ADJUDICATION_KEY]["reopened"][0]["by"] == "cura"
    assert at.button(key="adjudicate_auto")  # editable again


def test_a_save_elsewhere_replaces_the_working_copy_with_a_warning(proj: Project) -> None:
    at = ok(make_app(proj.path, "cura", "views/adjudicate.py"))
    ok(at.button(key="adjudicate_auto").click().run())
    session = gold_sets.open_session(proj.store(), DOC.id)
    gold_sets.save_gold(proj.store(), session.ctx, adj.empty_gold(session.ctx), actor="other", final=False)
    ok(at.run())
    assert any("saved elsewhere (revision 1)" in w.value for w in at.warning)
    ok(at.button(key="adjudicate_save").click().run())
    gold = gold_of(proj)
    assert (gold.revision, gold.entities) == (2, [])  # the other curator's version, not the lost auto-merge


# --- the panes: what the browser is sent, what it may send back ----------------------------------------------------


def test_panes_payload_is_rtl_with_utf16_focus_and_a_key_per_annotator(news: Project) -> None:
    session = gold_sets.open_session(news.store(), cp.AR.id)
    gold = adj.auto_merge(session.ctx, session.diff, adjudicator="cura")
    group = comparison.differences(session.diff)[1]
    data = panes_payload(session.ctx.document, session.diff, gold, focus=adj.focus_spans(group), current=group.id)
    assert (data["dir"], data["current"]) == ("rtl", group.id)
    assert [(p["name"], p["key"]) for p in data["panes"]] == [("omid", "← or 1"), ("sara", "→ or 2"), ("gold", None)]
    assert data["panes"][0]["codes"][:2] == ["ArrowLeft", "Digit1"]
    text = cp.AR.text
    s, e = cp.span_of(cp.AR, "محافظة الأنبار")
    assert data["focus"] == [[s, e]]  # the Arabic text has no astral characters: UTF-16 = code points here
    kinds = {(m["start"], m["kind"]) for m in data["panes"][0]["marks"]}
    assert (s, "undecided") in kinds and (text.index("وزارة"), "agreed") in kinds
    assert {m["kind"] for m in data["panes"][2]["marks"]} == {"auto"}
    assert not panes_payload(session.ctx.document, session.diff, None, keys=False)["panes"][0]["codes"]


def test_panes_actions_are_parsed_once_and_checked() -> None:
    payload = {"client": "c1", "doc_id": DOC.id, "actions": [
        {"seq": 1, "type": "take", "group": "g-1", "side": "ali"}, {"seq": 2, "type": "reject", "group": "g-1"}]}
    actions, ack = parse_pane_actions(payload, DOC, ("ali", "sara"), {})
    assert [(a.type, a.side) for a in actions] == [("take", "ali"), ("reject", None)] and ack == {"c1": 2}
    again, _ = parse_pane_actions(payload, DOC, ("ali", "sara"), ack)
    assert again == []  # resent, already applied
    assert parse_pane_actions({**payload, "doc_id": "other"}, DOC, ("ali",), {})[0] == []  # a stale tab
    bad = [
        ({"client": "c", "doc_id": DOC.id, "actions": [{"seq": 1, "type": "undo"}]}, "unknown action type"),
        ({"client": "c", "doc_id": DOC.id, "actions": [{"seq": 1, "type": "take", "side": "eve"}]}, "'eve' is not"),
        ({"client": "c", "doc_id": DOC.id, "actions": [{"type": "next"}]}, "integer 'seq'"),
        ({"doc_id": DOC.id}, "needs 'client'"),
    ]
    for raw, message in bad:
        with pytest.raises(InputError, match=message):
            parse_pane_actions(raw, DOC, ("ali", "sara"), {})


# --- agreement --------------------------------------------------------------------------------------------------


def test_agreement_page_metrics_and_lowest_first(proj: Project) -> None:
    at = ok(make_app(proj.path, "cura", "views/agreement.py"))
    assert at.metric[0].value == "0.50"  # entities: 2 each, ORG agreed, Baghdad GPE vs LOC: 2·1/4
    lowest = next(d for d in at.dataframe if list(d.value.columns)[:2] == ["document", "lang"])
    assert lowest.value["document"].tolist() == ["ar-1"]
    ok(at.button(key="agreement_open").click().run())
    assert at.session_state[ADJUDICATE_DOC] == "ar-1"


def test_confusion_matrix_matches_the_cli_json_and_an_independent_count(news: Project) -> None:
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    at = ok(make_app(news.path, "cura", "views/agreement.py"))
    shown = at.dataframe[0].value
    result = CliRunner().invoke(cli, ["--project", str(news.path), "agreement", "--json"])
    assert result.exit_code == 0, result.output
    pooled = json.loads(result.output)["confusion"]["entity_types"]["pooled"]
    assert list(shown.columns) == pooled["labels"] == list(shown.index)
    assert shown.values.tolist() == pooled["matrix"]
    # Independently: every span either annotator typed, omid's type (rows) against sara's (columns).
    y_omid: list[str] = []
    y_sara: list[str] = []
    for doc in cp.DOCUMENTS:
        typed = {who: {(m.start, m.end): m.type for m in news.store().sets.get(doc.id, who).entities}
                 for who in ("omid", "sara")}
        for span in sorted(typed["omid"].keys() | typed["sara"].keys()):
            y_omid.append(typed["omid"].get(span, "none"))
            y_sara.append(typed["sara"].get(span, "none"))
    expected = sklearn_metrics.confusion_matrix(y_omid, y_sara, labels=pooled["labels"])
    assert shown.values.tolist() == expected.tolist()
    assert (shown.loc["LOC", "GPE"], shown.loc["GPE", "LOC"]) == (2, 1)  # Herat, al-Anbar; Mehran
    # The date layers: omid read a day as a month once.
    at.selectbox(key="agreement_cm_layer").set_value("date_granularities").run()
    assert at.dataframe[0].value.loc["month", "day"] == 1


def test_clicking_a_cell_lists_its_documents_and_opens_adjudication(news: Project) -> None:
    at = ok(make_app(news.path, "cura", "views/agreement.py"))
    labels = list(at.dataframe[0].value.index)
    # omid's LOC where sara said GPE: Herat (prs) and al-Anbar (ar)
    at.session_state["agreement_confusion"] = {"selection": {"cells": [[labels.index("LOC"), "GPE"]]}}
    ok(at.run())
    assert "**LOC / GPE**: 2 unit(s) in 2 document(s)" in texts(at)
    assert at.selectbox(key="agreement_cell_doc").options == [cp.AR.id, cp.PRS.id]
    assert at.dataframe[1].value.to_dict("records") == [{"document": cp.AR.id, "units": 1},
                                                        {"document": cp.PRS.id, "units": 1}]
    ok(at.button(key="agreement_cell_open").click().run())
    assert at.session_state[ADJUDICATE_DOC] == cp.AR.id
    assert "**0 of 4 decided**" in texts(at)  # the Adjudicate page, on that document


def test_a_pair_matrix_and_charts_on_their_own_axes(news: Project) -> None:
    at = ok(make_app(news.path, "cura", "views/agreement.py"))
    assert "Pooled: rows are the first annotator of each pair" in texts(at)
    ok(at.selectbox(key="agreement_cm_pair").set_value("omid|sara").run())
    assert "Pooled" not in texts(at)
    assert at.dataframe[0].value.index.name == "omid ↓ / sara →"
    charts = at.get("vega_lite_chart")
    specs = [json.loads(c.proto.spec) for c in charts]
    titles = [s.get("title") for s in specs]
    assert "F1 per layer (all pairs)" in titles
    chance = next(s for s in specs if str(s.get("title", "")).startswith("Cohen's kappa"))
    assert chance["layer"][0]["mark"]["type"] == "rule"  # the zero line of a -1..1 axis
    per_label = next(s for s in specs if s.get("title") == "F1 per label (one row per label)")
    assert per_label["height"] == {"step": 22}


def test_quality_against_gold_shows_once_gold_exists(news: Project) -> None:
    at = ok(make_app(news.path, "cura", "views/agreement.py"))
    assert any("No document has an adjudicated gold set yet" in i.value for i in at.info)
    gold_sets.auto_adjudicate(news.store(), cp.PRS.id, actor="cura")
    ok(at.run())
    quality = next(d for d in at.dataframe if "precision" in d.value.columns and "label" not in d.value.columns)
    rows = quality.value.set_index(["annotator", "layer"])
    # gold holds what both agreed on: 4 of sara's 5 entities (not Herat), 4 of omid's 5
    assert rows.loc[("sara", "entities"), "precision"] == pytest.approx(0.8)
    assert rows.loc[("sara", "entities"), "recall"] == pytest.approx(1.0)
    at.selectbox(key="agreement_quality_who").set_value("omid").run()
    per_label = next(d for d in at.dataframe if "label" in d.value.columns and "precision" in d.value.columns)
    herat = per_label.value.set_index(["layer", "label"]).loc[("entities", "LOC")]
    assert (herat["precision"], herat["gold items"]) == (0.0, 0)


# --- assignment and access --------------------------------------------------------------------------------------


def test_assign_page_previews_then_assigns(proj: Project) -> None:
    at = ok(make_app(proj.path, "cura", "views/assign.py"))
    assert at.multiselect(key="assign_annotators").value == ["ali", "sara"]
    ok(at.button(key="assign_preview").click().run())
    assert proj.store().assignments.list() == []
    ok(at.button(key="assign_apply").click().run())
    assert sorted(a.annotator for a in proj.store().assignments.list()) == ["ali", "sara"]  # 20% of 1 doc: 2


def test_annotators_do_not_get_the_curation_pages(proj: Project) -> None:
    from annotate.app.navigation import find_page

    for page in ("views/assign.py", "views/agreement.py", "views/adjudicate.py", "views/releases.py"):
        assert find_page(page, "annotator") is None
        assert find_page(page, "curator") is not None


# --- flags, comments and returns on the adjudication page ---------------------------------------------------------


def test_flags_and_comments_show_on_adjudicate_and_a_set_goes_back_with_a_note(news: Project) -> None:
    """sara flags the Persian article and notes a mark; omid notes the Dari one. The curator sees the flag listed,
    opens its document from it, reads both annotators' comments there (escaped, in their own direction), resolves
    the flag and returns sara's submitted set with a note: a new revision in progress, the note stored for her."""
    store = news.store()
    sara_set = store.sets.get(cp.FA.id, "sara")
    mark = sara_set.entities[0]
    flag = store.comments.add(Comment(doc_id=cp.FA.id, set_author="sara", kind=CommentKind.flag, author="sara",
                                      text="این خبر دو بار وارد شده؟ <b>x</b>"), actor="sara")
    store.comments.add(Comment(doc_id=cp.FA.id, set_author="sara", target=mark.id, target_text=mark.text,
                               text="نوع این موجودیت مطمئن نیستم", author="sara"), actor="sara")
    store.comments.add(Comment(doc_id=cp.PRS.id, set_author="omid", text="تاریخ دوم را ندیدم", author="omid"),
                       actor="omid")
    store.sets.save(sara_set.model_copy(update={"status": AnnotationStatus.submitted}),
                    base_revision=sara_set.revision, actor="sara")

    at = ok(make_app(news.path, "cura", "views/adjudicate.py"))
    assert at.selectbox(key="adjudicate_doc_select").value != cp.FA.id
    (flagged,) = [e for e in at.expander if e.label.startswith("Flagged for a curator")]
    assert flagged.label == "Flagged for a curator (1)"
    assert any("این خبر دو بار وارد شده؟ &lt;b&gt;x&lt;/b&gt;" in h and 'dir="auto"' in h for h in shown_text(at))
    ok(at.button(key=f"adjudicate_flagged_{cp.FA.id}").click().run())
    assert at.selectbox(key="adjudicate_doc_select").value == cp.FA.id
    (panel,) = [e for e in at.expander if e.label.startswith("Comments and flags")]
    assert panel.label == "Comments and flags (2) · 1 open flag(s)"
    lines = texts(at)
    assert "**sara** · flag for curator · by sara" in lines
    assert f"note on «{mark.text}»" in lines.replace("\u2068", "").replace("\u2069", "")
    assert any("نوع این موجودیت مطمئن نیستم" in h for h in shown_text(at))
    assert not any("تاریخ دوم را ندیدم" in h for h in shown_text(at))  # omid's note is on another document

    ok(at.button(key=f"adjudicate_resolve_{flag.id}").click().run())
    assert store.comments.get(flag.id).status is CommentStatus.resolved
    assert not [e for e in at.expander if e.label.startswith("Flagged for a curator")]
    assert [e.label for e in at.expander if e.label.startswith("Comments and flags")] == ["Comments and flags (2)"]

    # Only sara's set is submitted: only hers can be returned; an empty note is refused, nothing changes.
    assert at.selectbox(key="adjudicate_return_who").options == ["sara"]
    at.button(key="FormSubmitter:adjudicate_return_form-Return to annotator").click().run()
    assert at.error and store.sets.get(cp.FA.id, "sara").status is AnnotationStatus.submitted
    at.text_area(key="adjudicate_return_note").input("«مهران» گذرگاه مرزی است، نه شهر؛ نوع را درست کنید")
    ok(at.button(key="FormSubmitter:adjudicate_return_form-Return to annotator").click().run())
    back = store.sets.get(cp.FA.id, "sara")
    assert (back.status, back.revision) == (AnnotationStatus.in_progress, sara_set.revision + 2)  # submitted, returned
    (note,) = store.comments.list(cp.FA.id, "sara", kinds=[CommentKind.returned])
    assert (note.text, note.author, note.status) == ("«مهران» گذرگاه مرزی است، نه شهر؛ نوع را درست کنید", "cura",
                                                    CommentStatus.open)
    assert any(f"Returned sara's set: revision {back.revision} is in progress" in s.value for s in at.success)
    assert "Only a submitted set can be returned" in texts(at)


def test_an_annotator_may_not_read_everyones_comments_or_return_sets(news: Project) -> None:
    store = news.store()
    omid = store.sets.get(cp.FA.id, "omid")
    store.sets.save(omid.model_copy(update={"status": AnnotationStatus.submitted}), base_revision=omid.revision,
                    actor="omid")
    sara = store.users.get("sara")
    with pytest.raises(AuthError):
        feedback.document_feedback(store, sara, cp.FA.id, ["sara", "omid"])
    with pytest.raises(AuthError):
        feedback.return_with_note(store, sara, cp.FA.id, "omid", "دوباره نگاه کن")
    assert store.sets.get(cp.FA.id, "omid").status is AnnotationStatus.submitted
    assert store.comments.list(cp.FA.id, "omid") == []
