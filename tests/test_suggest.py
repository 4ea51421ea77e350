"""Entity and event suggestions: suggestion sets in the store, learning from the project's finished sets and its
annotators' decisions, live suggestions in the open document, the tagger against the string matcher, models and
the ``annotate suggest`` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import suggest_corpus as corpus
from click.testing import CliRunner

from annotate.annotation.actions import LabelerAction
from annotate.annotation.editing import REJECTED_KEY
from annotate.annotation.prelabel import ENGINE_AUTHOR, prelabel
from annotate.annotation.workspace import (
    Workspace,
    accept_above,
    accept_all,
    apply,
    open_workspace,
    readable_authors,
    reject_all,
    save,
    submit,
)
from annotate.cli import cli
from annotate.errors import AnnotateError, ConfigError, InputError, NotFound
from annotate.evaluation.scoring import Pred, score
from annotate.models import (
    GOLD_AUTHOR,
    MODEL_AUTHOR,
    REJECTED_SUGGESTIONS,
    STRINGS_AUTHOR,
    AnnotationSet,
    AnnotationStatus,
    AuthorKind,
    Document,
    EntityMention,
)
from annotate.project import Project
from annotate.release.creation import create_release
from annotate.store import Store, User
from annotate.suggest.matcher import Example, Match, build_matcher
from annotate.suggest.registry import META_MODEL, current_model, models_root, train_model
from annotate.suggest.run import live_suggestions, suggest_project
from annotate.suggest.sets import (
    combine,
    confidence_of,
    decisions,
    describe_suggestion,
    parse_suggestion_id,
    suggestion_id,
    suggestion_set,
)
from annotate.suggest.tagger import Tagger, train_tagger
from annotate.suggest.training import ProjectSets
from annotate.taxonomy import default_taxonomy

TAX = default_taxonomy()

DOC1 = Document.create(
    "به گزارش خبرگزاری ایرنا، علی رحیمی سخنگوی وزارت کشور در بغداد گفت که مرز با عراق باز است.",
    lang="fa", id="n1")
DOC2 = Document.create(
    "علي رحيمي امروز از بغداد به کابل رفت. وبغداد و كابل هر دو پایتخت‌اند. در بغداد گفت که سفر ادامه دارد.",
    lang="fa", id="n2")
DOC3 = Document.create("وقال علي رحيمي في بغداد إن الوفد وصل إلى العراق.", lang="ar", id="n3")


def _mention(doc: Document, piece: str, type_: str, canonical: str | None = None, nth: int = 0) -> EntityMention:
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(piece, start + 1)
    return EntityMention(id=f"e-{start}", start=start, end=start + len(piece), text=piece, type=type_,
                         canonical_id=canonical)


def _sara_set(status: AnnotationStatus = AnnotationStatus.submitted) -> AnnotationSet:
    return AnnotationSet(doc_id="n1", author="sara", status=status, entities=[
        _mention(DOC1, "علی رحیمی", "PER", "per-rahimi"),
        _mention(DOC1, "بغداد", "GPE", "gpe-baghdad"),
        _mention(DOC1, "عراق", "GPE", "gpe-iraq"),
        _mention(DOC1, "وزارت کشور", "ORG"),
    ])


@pytest.fixture
def world(project: Project) -> tuple[Project, Store, dict[str, User]]:
    store = project.store()
    store.documents.put([DOC1, DOC2, DOC3], actor="test")
    list(prelabel(store, actor="test"))
    users = {name: store.users.add(name, role, "password123", actor="test")
             for name, role in (("sara", "annotator"), ("omid", "annotator"), ("cora", "curator"))}
    return project, store, users


# --- ids and sets ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("author", "layer", "type_", "start", "end"), [
    (STRINGS_AUTHOR, "entity", "GPE", 0, 5),
    (MODEL_AUTHOR, "event", "STATEMENT", 120, 129),
    (MODEL_AUTHOR, "event", "Conflict.Attack", 3, 4),
])
def test_suggestion_ids_say_who_what_where(author: str, layer: str, type_: str, start: int, end: int) -> None:
    sid = suggestion_id(author, layer, type_, start, end)  # type: ignore[arg-type]
    parsed = parse_suggestion_id(sid)
    assert parsed is not None and (parsed.author, parsed.layer, parsed.type, parsed.start, parsed.end) == (
        author, layer, type_, start, end)
    assert parse_suggestion_id(sid + "-2") == parsed  # a copy accepted twice keeps saying it
    assert parse_suggestion_id("e-3-9") is None and parse_suggestion_id("d1") is None


def _at(piece: str, doc: Document = DOC1) -> tuple[int, int]:
    start = doc.text.index(piece)
    return start, start + len(piece)


def test_suggestion_set_keeps_the_more_confident_of_two_on_one_span() -> None:
    ms = [Match("entity", "GPE", *_at("بغداد"), "بغداد", 0.6, "gpe-baghdad", "بغداد"),
          Match("entity", "LOC", *_at("بغداد"), "بغداد", 0.9, None, "بغداد"),
          Match("event", "STATEMENT", *_at("گفت"), "گفت", 0.5, None, "گفت")]
    s = suggestion_set(DOC1, ms, STRINGS_AUTHOR, {"suggester": "x"})
    assert [(m.type, m.text) for m in s.entities] == [("LOC", "بغداد")]
    assert [ev.trigger.text for ev in s.events] == ["گفت"]
    assert (s.author, s.author_kind, s.metadata["suggester"]) == (STRINGS_AUTHOR, AuthorKind.engine, "x")
    assert confidence_of(s, s.entities[0].id) == 0.9


def test_combine_shows_several_suggesters_as_one_set() -> None:
    engine = AnnotationSet(doc_id="n1", author=ENGINE_AUTHOR, author_kind=AuthorKind.engine,
                           metadata={"engine_version": "dates-engine 0"})
    m1 = Match("entity", "GPE", *_at("بغداد"), "بغداد", 0.6, None, "بغداد")
    strings = suggestion_set(DOC1, [m1], STRINGS_AUTHOR)
    model = suggestion_set(DOC1, [Match("entity", "GPE", *_at("بغداد"), "بغداد", 0.8, None, "بغداد"),
                                  Match("entity", "ORG", *_at("وزارت کشور"), "وزارت کشور", 0.7, None, "")],
                           MODEL_AUTHOR, {"model_version": "suggest-model m1-00000000"})
    both = combine("n1", [engine, strings, model, None])
    assert both is not None
    assert [(m.type, m.text) for m in both.entities] == [("ORG", "وزارت کشور"), ("GPE", "بغداد")]
    sid = both.entities[1].id
    assert both.metadata["confidence"][sid] == 0.8 and both.metadata["source"][sid] == "suggest-strings+suggest-model"
    assert both.metadata["model_version"] == {MODEL_AUTHOR: "suggest-model m1-00000000"}
    assert both.metadata["engine_version"] == "dates-engine 0"
    info = describe_suggestion(both, sid)
    assert info is not None and (info.kind, info.label, info.text, info.confidence) == ("entity", "GPE", "بغداد", 0.8)
    assert info.source == "string matcher + model m1-00000000"
    assert describe_suggestion(both, "nope") is None
    assert combine("n1", [None, None]) is None


def test_decisions_read_yes_and_no_back_from_a_set() -> None:
    rejected = suggestion_id(STRINGS_AUTHOR, "entity", "ORG", *_at("وزارت کشور"))
    aset = _sara_set().model_copy(update={"metadata": {REJECTED_KEY: [rejected, "d1", "ss-e-PER-0-999"]}})
    got = list(decisions(DOC1, aset))
    assert sum(d.accepted for d in got) == 4
    assert [(d.text, d.type) for d in got if not d.accepted] == [("وزارت کشور", "ORG")]


# --- learning from the project -------------------------------------------------------------------------------------


def test_project_suggestions_learn_from_finished_sets_only(world: tuple[Project, Store, dict[str, User]]) -> None:
    project, store, _ = world
    store.sets.save(_sara_set(AnnotationStatus.in_progress), base_revision=0, actor="sara")
    nothing = list(suggest_project(project.path, store, actor="test"))
    assert [(r.strings, r.changed) for r in nothing] == [(0, False)] * 3, "work in progress teaches nothing (blind)"
    assert store.sets.list(author=STRINGS_AUTHOR) == [], "and no empty set is stored"
    store.sets.set_status("n1", "sara", AnnotationStatus.submitted, actor="sara")
    results = {r.doc_id: r for r in suggest_project(project.path, store, actor="test")}
    assert results["n2"].changed and results["n2"].model is None
    s2 = store.sets.get("n2", STRINGS_AUTHOR)
    assert (s2.author_kind, s2.status) == (AuthorKind.engine, AnnotationStatus.submitted)
    found = sorted((m.text, m.type, m.canonical_id) for m in s2.entities)
    assert found == [("بغداد", "GPE", "gpe-baghdad")] * 3 + [("علي رحيمي", "PER", "per-rahimi")]
    wa = next(m for m in s2.entities if DOC2.text[m.start - 1] == "و")
    assert DOC2.text[wa.start - 1:wa.end] == "وبغداد", "the glued و stays outside"
    s3 = store.sets.get("n3", STRINGS_AUTHOR)
    assert sorted(m.text for m in s3.entities) == ["العراق", "بغداد", "علي رحيمي"]
    assert {sid: parse_suggestion_id(sid) is not None for sid in s3.metadata["confidence"]}
    assert not any(s.author in (STRINGS_AUTHOR, MODEL_AUTHOR) and s.author_kind is not AuthorKind.engine
                   for s in store.sets.list())
    again = list(suggest_project(project.path, store, actor="test"))
    assert not any(r.changed for r in again)
    assert store.sets.get("n2", STRINGS_AUTHOR).revision == s2.revision


def test_gold_replaces_the_submitted_sets_it_was_adjudicated_from(
        world: tuple[Project, Store, dict[str, User]]) -> None:
    _, store, _ = world
    store.sets.save(_sara_set(), base_revision=0, actor="sara")
    gold = AnnotationSet(doc_id="n1", author=GOLD_AUTHOR, author_kind=AuthorKind.gold, status=AnnotationStatus.gold,
                         entities=[_mention(DOC1, "بغداد", "LOC")])
    store.sets.save(gold, base_revision=0, actor="cora")
    examples = ProjectSets.read(store).examples()
    assert [(ex.aset.author, len(ex.aset.entities)) for ex in examples] == [(GOLD_AUTHOR, 1)]


def test_rejections_across_the_project_stop_a_form(world: tuple[Project, Store, dict[str, User]]) -> None:
    project, store, users = world
    store.sets.save(_sara_set(), base_revision=0, actor="sara")
    list(suggest_project(project.path, store, actor="test"))
    for name, doc_id in (("omid", "n2"), ("cora", "n3"), ("omid", "n3")):
        ws = open_workspace(store, TAX, doc_id, users[name])
        baghdad = [sid for sid in ws.pending() if (p := parse_suggestion_id(sid)) and p.type == "GPE"
                   and ws.document.text[p.start:p.end] in ("بغداد",)]
        assert baghdad, (name, doc_id)
        ws = reject_all(store, ws, baghdad[:1])
        save(store, ws)
    # sara's set says yes once; three rejections say no three times: بغداد is not suggested as GPE any more
    list(suggest_project(project.path, store, actor="test"))
    texts = {m.text for m in store.sets.get("n2", STRINGS_AUTHOR).entities}
    assert "بغداد" not in texts and "علي رحيمي" in texts


def test_a_set_made_on_an_older_text_teaches_nothing(world: tuple[Project, Store, dict[str, User]]) -> None:
    _, store, _ = world
    store.sets.save(_sara_set(), base_revision=0, actor="sara")
    changed = Document.create(DOC1.text.replace("بغداد", "کابل"), lang="fa", id="n1")
    store.documents.put([changed], replace=True, actor="test")
    assert ProjectSets.read(store).examples() == []


# --- in the open document ------------------------------------------------------------------------------------------


def _create(ws: Workspace, piece: str, label: str, seq: int, nth: int = 0) -> LabelerAction:
    start = -1
    for _ in range(nth + 1):
        start = ws.document.text.index(piece, start + 1)
    return LabelerAction(type="create", seq=seq, kind="entity", label=label, start=start, end=start + len(piece))


def test_labelling_a_form_suggests_its_other_occurrences_at_once(
        world: tuple[Project, Store, dict[str, User]]) -> None:
    _, store, users = world
    ws = open_workspace(store, TAX, "n2", users["sara"])
    engine_pending = len(ws.pending())
    ws, _ = apply(store, ws, _create(ws, "بغداد", "GPE", 1))
    live = [sid for sid in ws.pending() if sid.startswith("ss-")]
    assert len(live) == 2 and len(ws.pending()) == engine_pending + 2
    texts = [ws.document.text[p.start:p.end] for sid in live if (p := parse_suggestion_id(sid))]
    assert texts == ["بغداد", "بغداد"]
    assert [ws.confidence(sid) for sid in live] == [pytest.approx(2 / 3, abs=1e-4)] * 2  # labelled once: 2/3
    ws = reject_all(store, ws, live[:1])
    assert live[0] not in ws.pending() and live[1] in ws.pending()
    assert ws.confidence(live[1]) == pytest.approx(1 / 2, abs=1e-4), "a rejection lowers the confidence"
    ws = accept_above(store, ws, 0.6)  # the date engine's suggestions have no score: they count as 1
    assert [d.text for d in ws.aset.dates] == ["امروز"] and len(ws.aset.entities) == 1
    ws = accept_above(store, ws, 0.5)
    assert [m.text for m in ws.aset.entities] == ["بغداد", "بغداد"]
    ws = save(store, ws)
    stored = store.sets.get("n2", "sara")
    assert stored.metadata[REJECTED_KEY] == [live[0]] and len(stored.entities) == 2
    assert not any(s.author == "sara" and s.author_kind is not AuthorKind.human for s in store.sets.list())
    reopened = open_workspace(store, TAX, "n2", users["sara"])
    assert not [sid for sid in reopened.pending() if sid.startswith("ss-")]


def test_undo_and_redo_take_the_live_suggestions_along(world: tuple[Project, Store, dict[str, User]]) -> None:
    from annotate.annotation.workspace import redo, undo

    _, store, users = world
    ws = open_workspace(store, TAX, "n2", users["sara"])
    before = set(ws.pending())
    ws, _ = apply(store, ws, _create(ws, "بغداد", "GPE", 1))
    live = {sid for sid in ws.pending() if sid.startswith("ss-")}
    assert len(live) == 2
    ws = reject_all(store, ws, sorted(live)[:1])
    ws = undo(store, ws)  # the rejection comes back as pending
    assert live <= set(ws.pending())
    ws = undo(store, ws)  # the label goes: nothing to match any more
    assert set(ws.pending()) == before and ws.aset.entities == []
    ws = redo(store, ws)
    assert live <= set(ws.pending())


def test_deleting_an_accepted_suggestion_rejects_it(world: tuple[Project, Store, dict[str, User]]) -> None:
    _, store, users = world
    ws = open_workspace(store, TAX, "n2", users["sara"])
    ws, _ = apply(store, ws, _create(ws, "بغداد", "GPE", 1))
    live = [sid for sid in ws.pending() if sid.startswith("ss-")]
    ws = accept_all(store, ws, live[:1])
    assert live[0] not in ws.pending()
    ws, _ = apply(store, ws, LabelerAction(type="delete", seq=2, id=live[0]))
    assert live[0] not in ws.pending(), "a deleted suggestion does not come back"
    assert ws.aset.metadata[REJECTED_KEY] == [live[0]] and live[1] in ws.pending()
    hand = ws.aset.entities[0].id  # marked by hand: deleting it rejects nothing
    ws, _ = apply(store, ws, LabelerAction(type="delete", seq=3, id=hand))
    assert ws.aset.metadata[REJECTED_KEY] == [live[0]]


def test_accept_above_takes_only_confident_suggestions(world: tuple[Project, Store, dict[str, User]]) -> None:
    project, store, users = world
    store.sets.save(_sara_set(), base_revision=0, actor="sara")
    list(suggest_project(project.path, store, actor="test"))
    ws = open_workspace(store, TAX, "n3", users["omid"])
    scored = {sid: ws.confidence(sid) for sid in ws.pending() if sid.startswith("ss-")}
    assert scored and all(0 < c < 1 for c in scored.values())
    top = max(scored.values())
    ws = accept_above(store, ws, top)
    assert sorted(m.id for m in ws.aset.entities) == sorted(s for s, c in scored.items() if c >= top)
    with pytest.raises(InputError, match="between 0 and 1"):
        accept_above(store, ws, 1.5)
    assert "no pending suggestion" in (accept_above(store, ws, 1.0).message or "")


def test_suggestion_sets_are_never_opened_as_sets(world: tuple[Project, Store, dict[str, User]]) -> None:
    project, store, users = world
    store.sets.save(_sara_set(), base_revision=0, actor="sara")
    list(suggest_project(project.path, store, actor="test"))
    assert readable_authors(store, "n2", users["cora"]) == ["cora"]
    for author in (STRINGS_AUTHOR, MODEL_AUTHOR, ENGINE_AUTHOR):
        with pytest.raises(InputError, match="pre-annotation engine"):
            open_workspace(store, TAX, "n2", users["cora"], author)


def test_live_suggestions_of_an_empty_set_are_none() -> None:
    assert live_suggestions(DOC1, AnnotationSet(doc_id="n1", author="sara")) is None


def test_live_suggestions_are_kept_by_what_the_matcher_learns() -> None:
    """A set that teaches the matcher the same (its marks in another order, other ids) gets the kept result; a
    new label, a new canonical id or a rejection gets a fresh one, equal to what a cold matcher computes."""
    from annotate.suggest import run

    baghdad, rahimi = _mention(DOC2, "بغداد", "GPE"), _mention(DOC2, "رحيمي", "PER")
    one = AnnotationSet(doc_id="n2", author="sara", entities=[baghdad, rahimi])
    first = live_suggestions(DOC2, one)
    assert first is not None and first.entities
    again = AnnotationSet(doc_id="n2", author="sara",
                          entities=[rahimi.model_copy(update={"id": "x1"}), baghdad.model_copy(update={"id": "x2"})])
    assert live_suggestions(DOC2, again) is first
    renamed = AnnotationSet(doc_id="n2", author="sara",
                            entities=[baghdad.model_copy(update={"canonical_id": "gpe-baghdad"}), rahimi])
    rejected = one.model_copy(update={"metadata": {REJECTED_SUGGESTIONS: [first.entities[0].id]}})
    for changed in (renamed, rejected):
        got = live_suggestions(DOC2, changed)
        assert got is not None and got != first
        run._live.clear()
        assert live_suggestions(DOC2, changed) == got  # the kept result is the computed one
    renamed_got = live_suggestions(DOC2, renamed)
    assert renamed_got is not None and {m.canonical_id for m in renamed_got.entities if m.text == "بغداد"} == {
        "gpe-baghdad"}


def test_accepting_a_suggestion_keeps_its_canonical_id(world: tuple[Project, Store, dict[str, User]]) -> None:
    project, store, users = world
    store.sets.save(_sara_set(), base_revision=0, actor="sara")
    list(suggest_project(project.path, store, actor="test"))
    ws = open_workspace(store, TAX, "n3", users["omid"])
    iraq = next(sid for sid in ws.pending() if sid.startswith("ss-e-GPE") and "العراق" in ws.document.text[
        (p := parse_suggestion_id(sid)).start:p.end])  # type: ignore[union-attr]
    ws = accept_all(store, ws, [iraq])
    with pytest.raises(InputError, match="suggestions are neither accepted nor rejected"):
        submit(store, ws)  # the other suggestions still wait: the page asks first
    ws = submit(store, ws, confirmed=True)
    assert [(m.text, m.canonical_id) for m in store.sets.get("n3", "omid").entities] == [("العراق", "gpe-iraq")]


# --- the tagger ----------------------------------------------------------------------------------------------------


def _preds(docs: list[tuple[Document, AnnotationSet]], fn: object) -> dict[str, Pred]:
    out = {}
    for d, _ in docs:
        found = fn(d)  # type: ignore[operator]
        out[d.id] = Pred(entities=[(m.start, m.end, m.type) for m in found if m.layer == "entity"],
                         triggers=[(m.start, m.end, m.type) for m in found if m.layer == "event"])
    return out


@pytest.fixture(scope="module")
def small_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Tagger, list[Example]]:
    """The tagger trained on a small fixed corpus: the first 45 documents of the committed corpus."""
    examples = [Example(*corpus.to_models(r)) for r in corpus.load()[:45]]
    return train_tagger(examples, tmp_path_factory.mktemp("model") / "m"), examples


def test_tagger_beats_the_string_matcher_on_unseen_names(small_model: tuple[Tagger, list[Example]]) -> None:
    tagger, examples = small_model
    matcher = build_matcher(examples)
    heldout = [corpus.to_models(r) for r in corpus.generate(24, reserve=True)]
    gold = {d.id: (d, a) for d, a in heldout}
    names = {e.text for _, a in heldout for e in a.entities}
    seen = {e.text for ex in examples for e in ex.aset.entities}
    assert not names & seen, "the held-out names must be unseen"
    layers = {"entities", "events"}
    tagged = score(gold, _preds(heldout, tagger.predict), layers)["entities"]["strict"]
    matched = score(gold, _preds(heldout, matcher.suggest), layers)["entities"]["strict"]
    assert matched["recall"] < 0.05, "the string matcher cannot know these names"
    assert tagged["f1"] >= 0.4 and tagged["f1"] > matched["f1"] + 0.3, (tagged, matched)
    assert tagged["precision"] >= 0.7


def test_tagger_beats_the_string_matcher_on_handwritten_sentences(
        small_model: tuple[Tagger, list[Example]]) -> None:
    """Sentences written apart from the corpus's frames, every name unseen: the harder held-out test. The
    figures (45 training documents): tagger strict P 0.53 R 0.18 F1 0.27, string matcher F1 0.00; what the
    tagger learnt from the frames carries over only in part (titles, ولایت/ولسوالی/وزارة before a name)."""
    tagger, examples = small_model
    matcher = build_matcher(examples)
    heldout = [corpus.to_models(r) for r in corpus.handwritten_heldout()]
    assert all(d.text[m.start:m.end] == m.text for d, a in heldout for m in a.entities)
    gold = {d.id: (d, a) for d, a in heldout}
    names = {e.text for _, a in heldout for e in a.entities}
    seen = {e["text"] for r in corpus.load() for e in r["entities"]}
    assert len(names) >= 40 and not names & seen, "every hand-written name is unseen in the whole corpus"
    people = {w for _, a in heldout for e in a.entities if e.type == "PER" for w in e.text.split()}
    assert not people & {w for n in seen for w in n.split()}, "no given or family name was ever seen either"
    layers = {"entities"}
    tagged = score(gold, _preds(heldout, tagger.predict), layers)["entities"]["strict"]
    matched = score(gold, _preds(heldout, matcher.suggest), layers)["entities"]["strict"]
    assert matched["recall"] == 0.0, "no hand-written name is in the string matcher's forms"
    assert tagged["f1"] >= 0.2 and tagged["f1"] > matched["f1"] + 0.15, (tagged, matched)
    assert tagged["precision"] >= 0.45, tagged


def test_tagger_suggestions_are_exact_spans_with_confidence(small_model: tuple[Tagger, list[Example]]) -> None:
    tagger, _ = small_model
    doc, _ = corpus.to_models(corpus.document(7, reserve=True, lang="ar"))
    found = tagger.predict(doc)
    assert found and all(doc.text[m.start:m.end] == m.text and 0 < m.confidence <= 1 for m in found)
    assert {m.layer for m in found} == {"entity", "event"}
    # a glued clitic stays outside a predicted name, as the guidelines and the training data have it
    assert not any(m.layer == "entity" and m.text[:1] == "و" and m.text[1:2] in "ب" for m in found)
    s = suggestion_set(doc, found, MODEL_AUTHOR, {"model_version": tagger.label})
    assert s.metadata["model_version"].startswith("suggest-model m1-")


def test_training_without_mentions_is_refused(tmp_path: Path) -> None:
    empty = [Example(DOC1, AnnotationSet(doc_id="n1", author="sara"))]
    with pytest.raises(InputError, match="no entity mentions or event triggers"):
        train_tagger(empty, tmp_path / "m")
    assert not (tmp_path / "m").exists()


def test_a_model_of_other_features_is_refused(small_model: tuple[Tagger, list[Example]], tmp_path: Path) -> None:
    tagger, _ = small_model
    copy = tmp_path / "m"
    copy.mkdir()
    meta = dict(tagger.meta, feature_version="0")
    (copy / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ConfigError, match="features version"):
        Tagger(copy)
    (copy / "model.json").write_text("{", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot read the suggestion model"):
        Tagger(copy)


# --- models of a project and the command line ---------------------------------------------------------------------


def _gold_project(project: Project, n: int = 36) -> Store:
    store = project.store()
    corpus.fill(store, gold=n)
    return store


def test_train_keeps_a_versioned_model_and_names_it_in_use(project: Project) -> None:
    store = _gold_project(project)
    assert current_model(project.path, store) is None
    first = train_model(project.path, store, actor="cora")
    assert first.version.startswith("m1-") and store.meta.find(META_MODEL) == first.version
    assert (models_root(project.path) / first.version / "entities.crfsuite").is_file()
    assert first.meta["trained_by"] == "cora" and len(first.meta["documents"]) == 36
    second = train_model(project.path, store, actor="cora", exclude={"sfa-0000"})
    assert second.version.startswith("m2-") and second.version != first.version
    assert current_model(project.path, store) is second
    assert not [p for p in models_root(project.path).iterdir() if p.name.startswith(".")]
    entries = [e for e in store.audit.list(action="meta.set") if e.target == META_MODEL]
    assert [e.details["value"] for e in entries] == [first.version, second.version]
    store.meta.put(META_MODEL, "m9-deadbeef", actor="test")
    with pytest.raises(ConfigError, match="not in"):
        current_model(project.path, store)


def test_cli_train_run_status_eval(project: Project) -> None:
    store = _gold_project(project, n=45)
    runner = CliRunner()
    base = ["--project", str(project.path)]
    r = runner.invoke(cli, [*base, "suggest", "eval"])
    assert r.exit_code == 1 and "no release" in r.output
    r = runner.invoke(cli, [*base, "suggest", "run"])
    assert r.exit_code == 0, r.output
    assert "no model trained yet" in r.output and "0 from the string matcher" not in r.output.splitlines()[0]
    r = runner.invoke(cli, [*base, "suggest", "train"])
    assert r.exit_code == 0 and "trained suggest-model m1-" in r.output, r.output
    r = runner.invoke(cli, [*base, "suggest", "run", "sfa-0000", "sar-0002"])
    assert r.exit_code == 0 and "from the model" in r.output and len(r.output.splitlines()) == 3, r.output
    r = runner.invoke(cli, [*base, "suggest", "status"])
    assert "model: m1-" in r.output and "suggest-model: 2 document(s)" in r.output, r.output
    create_release(project.path, store, TAX, bump="minor", message="first", actor="test")
    r = runner.invoke(cli, [*base, "suggest", "eval", "--split", "test"])
    assert r.exit_code == 0, r.output
    assert "string matcher" in r.output and "tagger" in r.output and "entity strict" in r.output
    assert "event trigger classification" in r.output and "language ar" in r.output
    r = runner.invoke(cli, [*base, "suggest", "eval", "--json"])
    data = json.loads(r.output)
    assert set(data["scores"]) == {"string matcher", "tagger"}
    assert data["scores"]["tagger"]["entities"]["strict"]["f1"] > 0.5
    r = runner.invoke(cli, [*base, "suggest", "eval", "--current"])
    assert r.exit_code == 1 and "was trained on" in r.output and "meaningless" in r.output
    r = runner.invoke(cli, [*base, "suggest", "eval", "--split", "nope"])
    assert r.exit_code == 1 and "no documents in split 'nope'" in r.output


def test_cli_train_on_an_empty_project_says_what_to_do(project: Project) -> None:
    r = CliRunner().invoke(cli, ["--project", str(project.path), "suggest", "train"])
    assert r.exit_code == 1 and "no entity mentions or event triggers" in r.output and "hint" in r.output


def test_eval_of_the_current_model_on_documents_it_never_saw(project: Project) -> None:
    from annotate.evaluation.suggesters import evaluate_suggesters

    store = _gold_project(project, n=45)
    release = create_release(project.path, store, TAX, bump="minor", message="first", actor="test")
    test_ids = {d for d, s in json.loads((project.path / "releases" / release.version / "manifest.json")
                                         .read_text())["documents"].items() if s["split"] == "test"}
    train_model(project.path, store, actor="cora", exclude=test_ids)
    result = evaluate_suggesters(project.path, current=True, store=store)
    assert result["documents"] == len(test_ids) and result["trained_on"] == 45 - len(test_ids)
    assert result["scores"]["tagger"]["entities"]["strict"]["f1"] > 0.5


def test_unknown_document_is_not_found(project: Project) -> None:
    store = _gold_project(project, n=3)
    with pytest.raises(NotFound):
        list(suggest_project(project.path, store, ["nope"], actor="test"))


# --- the corpus ----------------------------------------------------------------------------------------------------


def test_committed_corpus_is_what_the_generator_makes() -> None:
    assert corpus.DATA_FILE.read_text(encoding="utf-8") == corpus.dumps(list(corpus.generate(corpus.DEFAULT_DOCS)))


@pytest.mark.parametrize("reserve", [False, True])
def test_corpus_gold_follows_the_guidelines(reserve: bool) -> None:
    records = corpus.load() if not reserve else list(corpus.generate(60, reserve=True))
    n_entities = 0
    for r in records:
        doc, gold = corpus.to_models(r)
        assert doc.text == r["text"]
        for e in gold.entities:
            n_entities += 1
            before = doc.text[e.start - 1] if e.start else " "
            # a clitic glued before a name stays outside it (و، ب، ل، ف، ک), or it is a separate word
            assert before in " \n«،(" or before in "وبلفکـ", (r["id"], e.text)
            assert not e.text.startswith(("و ", " ")) and e.text == e.text.strip()
        for ev in gold.events:
            assert doc.text[ev.trigger.start:ev.trigger.end] == ev.trigger.text
    assert n_entities >= (1500 if not reserve else 500)


def test_errors_are_annotate_errors() -> None:
    assert issubclass(ConfigError, AnnotateError) and issubclass(InputError, AnnotateError)


# --- engine sets in the store and in the export ---------------------------------------------------------------------


def test_put_writes_an_engine_set_only_when_it_changed(store: Store) -> None:
    store.documents.put([DOC1], actor="test")
    m = Match("entity", "GPE", *_at("بغداد"), "بغداد", 0.6, None, "بغداد")
    first = suggestion_set(DOC1, [m], STRINGS_AUTHOR)
    saved, changed = store.sets.put(first, actor="engine")
    assert changed and saved.revision == 1
    again, changed = store.sets.put(first, actor="engine")
    assert not changed and again.revision == 1
    other = suggestion_set(DOC1, [m, Match("entity", "ORG", *_at("وزارت کشور"), "وزارت کشور", 0.5, None, "")],
                           STRINGS_AUTHOR)
    saved, changed = store.sets.put(other, actor="engine")
    assert changed and saved.revision == 2 and len(store.sets.get("n1", STRINGS_AUTHOR).entities) == 2
    assert [r.revision for r in store.sets.list_revisions("n1", STRINGS_AUTHOR)] == [1, 2]


def test_concurrent_runs_of_an_engine_both_land(store: Store) -> None:
    from concurrent.futures import ThreadPoolExecutor

    store.documents.put([DOC1], actor="test")
    clients = [Store(store.url) for _ in range(4)]  # four processes' connections to one database
    sets = [suggestion_set(DOC1, [Match("entity", "GPE", *_at("بغداد"), "بغداد", c, None, "بغداد")], STRINGS_AUTHOR)
            for c in (0.1, 0.2, 0.3, 0.4)]
    try:
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda x: x[0].sets.put(x[1], actor="engine"), zip(clients, sets, strict=True)))
    finally:
        for c in clients:
            c.close()
    assert all(changed for _, changed in results), "a run overtaken by another retries on the new head"
    head = store.sets.get("n1", STRINGS_AUTHOR)
    assert head.revision == 4 and head.content() in [s.content() for s in sets]
    assert sorted(saved.revision for saved, _ in results) == [1, 2, 3, 4]


def test_export_carries_the_suggestion_sets(project: Project, tmp_path: Path) -> None:
    import datasets

    from annotate.release.export import export_release
    from annotate.release.versions import release_path

    store = _gold_project(project, n=12)
    list(prelabel(store, actor="test"))
    train_model(project.path, store, actor="cora")
    list(suggest_project(project.path, store, actor="cora"))
    info = create_release(project.path, store, TAX, bump="minor", message="with suggestions", actor="test")
    out = tmp_path / "export"
    export_release(release_path(project.path, info.version), out, include=("suggestions",))
    rows = [r for split in datasets.load_dataset(str(out), "suggestions", cache_dir=str(tmp_path / "c")).values()
            for r in split]
    by_author: dict[str, int] = {}
    for r in rows:
        by_author[r["author"]] = by_author.get(r["author"], 0) + 1
    assert by_author == {"dates-engine": 12, STRINGS_AUTHOR: 12, MODEL_AUTHOR: 12}
    model_row = next(r for r in rows if r["author"] == MODEL_AUTHOR and r["entities"])
    meta = json.loads(model_row["metadata"])
    assert meta["model_version"].startswith("suggest-model m1-")
    assert set(meta["confidence"]) == {e["mention_id"] for e in model_row["entities"]} | {
        ev["event_id"] for ev in model_row["events"]}


# --- reserved names, dump and restore ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", [STRINGS_AUTHOR, MODEL_AUTHOR, "Suggest-Model", "SUGGEST-STRINGS"])
def test_suggester_names_are_reserved(project: Project, name: str) -> None:
    store = project.store()
    with pytest.raises(InputError, match="reserved"):
        store.users.add(name, "annotator", "a long password 1", actor="test")
    r = CliRunner().invoke(cli, ["--project", str(project.path), "users", "add", name, "--role", "annotator",
                                 "--password-stdin"], input="a long password 1\n")
    assert r.exit_code == 1 and "reserved" in r.output and store.users.list() == []


def test_a_project_with_suggestions_dumps_and_restores_byte_for_byte(project: Project, tmp_path: Path) -> None:
    import io

    from annotate.project import init_project
    from annotate.store.dump import dump, restore

    store = _gold_project(project, n=8)
    train_model(project.path, store, actor="cora")
    list(suggest_project(project.path, store, actor="cora"))
    first = io.StringIO()
    dump(store, first)
    target = init_project(tmp_path / "copy").store()
    restore(target, io.StringIO(first.getvalue()))
    again = io.StringIO()
    dump(target, again)
    assert again.getvalue() == first.getvalue()
    assert target.meta.find(META_MODEL) == store.meta.find(META_MODEL)
    assert len(target.sets.list(author=MODEL_AUTHOR)) == 8


@pytest.mark.parametrize(("edit", "message"), [
    (lambda line: line.replace('"author_kind":"engine"', '"author_kind":"human"')
     if '"author":"suggest-strings"' in line else line, "must be of kind engine"),
    (lambda line: line.replace('"author_kind":"engine"', '"author_kind":"human"')
     if '"author":"suggest-model"' in line else line, "must be of kind engine"),
    (lambda line: line.replace('"author":"sara"', '"author":"Suggest-Model"'), "reserved"),
    (lambda line: line.replace('"name":"sara"', '"name":"suggest-strings"') if '"kind":"user"' in line else line,
     "reserved"),
    (lambda line: line.replace('"value":"m1-', '"value":"../m1-') if '"key":"suggest.model"' in line else line,
     "not a model version"),
])
def test_restore_refuses_a_suggester_set_of_another_kind_and_a_bad_model_setting(
        project: Project, tmp_path: Path, edit: object, message: str) -> None:
    import io

    from annotate.project import init_project
    from annotate.store.dump import dump, restore

    store = _gold_project(project, n=3)
    store.users.add("sara", "annotator", "a long password 1", actor="test")
    store.sets.save(AnnotationSet(doc_id="sfa-0000", author="sara", status=AnnotationStatus.in_progress),
                    base_revision=0, actor="sara")
    train_model(project.path, store, actor="cora")
    list(suggest_project(project.path, store, actor="cora"))
    out = io.StringIO()
    dump(store, out)
    lines = [edit(line) for line in out.getvalue().splitlines()]  # type: ignore[operator]
    assert lines != out.getvalue().splitlines()
    target = init_project(tmp_path / "copy").store()
    with pytest.raises(InputError, match=message):
        restore(target, io.StringIO("\n".join(lines) + "\n"))
    assert target.backup.is_empty()


def test_types_taken_out_of_the_taxonomy_are_not_suggested(project: Project) -> None:
    from annotate.taxonomy import Taxonomy

    store = _gold_project(project, n=20)
    train_model(project.path, store, actor="cora")
    data = TAX.model_dump()
    data["entity_types"] = [t for t in data["entity_types"] if t["name"] != "FAC"]
    data["event_types"] = [t for t in data["event_types"] if t["name"] != "KILLING"]
    for et in data["event_types"]:
        for role in et["roles"]:
            role["entity_types"] = [x for x in role["entity_types"] if x != "FAC"]
    smaller = Store(store.url, Taxonomy.model_validate(data))
    try:
        results = list(suggest_project(project.path, smaller, actor="cora"))
        assert results and all(r.model is not None for r in results)
        stored = smaller.sets.list(author=MODEL_AUTHOR) + smaller.sets.list(author=STRINGS_AUTHOR)
        assert {m.type for s in stored for m in s.entities} == {"PER", "ORG", "GPE", "LOC"}
        assert "KILLING" not in {ev.type for s in stored for ev in s.events} and any(s.events for s in stored)
    finally:
        smaller.close()
