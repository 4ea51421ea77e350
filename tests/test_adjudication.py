"""Adjudication: the diff of annotators' sets, auto-merge, item-by-item decisions, gold saving and reopening."""

from __future__ import annotations

import pytest

from annotate.annotation import editing
from annotate.annotation.prelabel import engine_annotations
from annotate.curation import adjudication as adj
from annotate.errors import InputError, NotFound
from annotate.models import GOLD_AUTHOR, AnnotationSet, AnnotationStatus, AuthorKind, Document
from annotate.store import Store
from annotate.taxonomy import default_taxonomy

# The second sentence has the source-side error of seed 003: "January/December" for one day.
TEXT = (
    "وأعلن التحالف في السادس من يناير/كانون الأول الماضي إيقاف التدريب، "
    "وحرر العراق أراضيه في 10 ديسمبر/كانون الأول عام 2017 في بغداد."
)
DOC = Document.create(TEXT, lang="ar", id="ar-1", reference_date="2020-03-14")
CTX = editing.EditContext(DOC, default_taxonomy())


def span(sub: str) -> tuple[int, int]:
    s = TEXT.index(sub)
    return s, s + len(sub)


def annotator(name: str, entities: list[tuple[str, str]] = ()) -> AnnotationSet:  # type: ignore[assignment]
    """An annotator who accepted every date suggestion and marked ``entities``."""
    a = editing.accept_suggestions(CTX, AnnotationSet(doc_id=DOC.id, author=name), engine_annotations(DOC)).aset
    for sub, type_ in entities:
        a = editing.add_entity(CTX, a, *span(sub), type_)
    return a


@pytest.fixture
def sets() -> dict[str, AnnotationSet]:
    return {
        "ali": annotator("ali", [("التحالف", "ORG"), ("العراق", "GPE"), ("بغداد", "GPE")]),
        "sara": annotator("sara", [("التحالف", "ORG"), ("العراق", "LOC"), ("في بغداد", "GPE")]),
    }


def groups_by_text(diff: adj.SetsDiff) -> dict[str, adj.Group]:
    return {g.options[0].text: g for g in diff.groups if g.layer == "entities"}


def test_diff_kinds(sets: dict[str, AnnotationSet]) -> None:
    diff = adj.diff_sets(DOC.id, sets)
    assert diff.annotators == ("ali", "sara")
    ents = groups_by_text(diff)
    assert ents["التحالف"].kind == "agreed" and ents["التحالف"].options[0].annotators == ("ali", "sara")
    assert ents["العراق"].kind == "conflict" and ents["العراق"].reason == "same span, different type"
    baghdad = next(g for g in diff.groups if g.layer == "entities" and "بغداد" in g.options[0].text)
    assert baghdad.kind == "conflict" and baghdad.reason == "overlapping spans"
    assert {g.kind for g in diff.groups if g.layer in ("dates", "links")} == {"agreed"}


def test_different_normalised_values_are_a_conflict(sets: dict[str, AnnotationSet]) -> None:
    sara = sets["sara"]
    d = next(x for x in sara.dates if x.text == "10 ديسمبر")
    sets["sara"] = editing.set_date_value(CTX, sara, d.id, "gregorian", 2017, 12, 11)
    diff = adj.diff_sets(DOC.id, sets)
    g = next(g for g in diff.groups if g.layer == "dates" and g.kind == "conflict")
    assert g.reason == "different normalised values"
    assert {o.annotators for o in g.options} == {("ali",), ("sara",)}


def test_auto_merge_unanimous_keeps_only_what_everyone_agrees_on(sets: dict[str, AnnotationSet]) -> None:
    diff = adj.diff_sets(DOC.id, sets)
    gold = adj.auto_merge(CTX, diff, adjudicator="cura")
    assert [e.text for e in gold.entities] == ["التحالف"]
    assert len(gold.dates) == 4 and len(gold.links) == 2
    prov = gold.metadata[adj.PROVENANCE_KEY]
    assert set(prov) == {x.id for x in [*gold.entities, *gold.dates, *gold.links]}
    rec = prov[gold.entities[0].id]
    assert (rec["how"], rec["by"], rec["agreed_by"], rec["of"]) == ("auto", "cura", ["ali", "sara"], ["ali", "sara"])
    assert gold.metadata[adj.ADJUDICATION_KEY]["strategy"] == "unanimous"


@pytest.mark.parametrize(
    ("strategy", "min_count", "expected"),
    [
        ("unanimous", 2, ["التحالف"]),
        ("majority", 2, ["التحالف", "العراق"]),  # GPE by ali and reza: 2 of 3
        ("majority", 3, ["التحالف"]),
    ],
)
def test_auto_merge_strategies(
    sets: dict[str, AnnotationSet], strategy: str, min_count: int, expected: list[str]
) -> None:
    sets["reza"] = annotator("reza", [("التحالف", "ORG"), ("العراق", "GPE")])
    gold = adj.auto_merge(CTX, adj.diff_sets(DOC.id, sets), adjudicator="c", strategy=strategy, min_count=min_count)
    assert [e.text for e in gold.entities] == expected


def test_unknown_strategy_is_an_input_error(sets: dict[str, AnnotationSet]) -> None:
    with pytest.raises(InputError, match="unknown strategy 'vote'"):
        adj.auto_merge(CTX, adj.diff_sets(DOC.id, sets), adjudicator="c", strategy="vote")


def test_accept_one_side_of_a_type_conflict(sets: dict[str, AnnotationSet]) -> None:
    diff = adj.diff_sets(DOC.id, sets)
    gold = adj.auto_merge(CTX, diff, adjudicator="c")
    iraq = groups_by_text(diff)["العراق"]
    loc = next(o for o in iraq.options if o.label == "LOC")
    gpe = next(o for o in iraq.options if o.label == "GPE")
    gold = adj.accept(CTX, gold, diff, gpe.id, adjudicator="c")
    gold = adj.accept(CTX, gold, diff, loc.id, adjudicator="c")  # changing one's mind changes it in place
    iraq_items = [e for e in gold.entities if e.text == "العراق"]
    assert [e.type for e in iraq_items] == ["LOC"]
    rec = gold.metadata[adj.PROVENANCE_KEY][iraq_items[0].id]
    assert (rec["how"], rec["agreed_by"]) == ("accepted", ["sara"])
    decisions = gold.metadata[adj.ADJUDICATION_KEY]["decisions"]
    assert [d["option"] for d in decisions] == [gpe.id, loc.id]
    # The auto-merged items keep their provenance.
    assert gold.metadata[adj.PROVENANCE_KEY][gold.entities[0].id]["how"] == "auto"


def test_accept_an_overlapping_span_drops_its_competitor_and_merge_keeps_both(sets: dict[str, AnnotationSet]) -> None:
    diff = adj.diff_sets(DOC.id, sets)
    gold = adj.auto_merge(CTX, diff, adjudicator="c")
    baghdad = next(g for g in diff.groups if g.layer == "entities" and "بغداد" in g.options[0].text)
    short, long_ = sorted(baghdad.options, key=lambda o: o.span[1] - o.span[0])
    gold = adj.accept(CTX, gold, diff, long_.id, adjudicator="c")
    gold = adj.accept(CTX, gold, diff, short.id, adjudicator="c")
    assert [e.text for e in gold.entities if "بغداد" in e.text] == ["بغداد"]
    both = adj.merge(CTX, gold, diff, [long_.id], adjudicator="c")
    assert sorted(e.text for e in both.entities if "بغداد" in e.text) == ["بغداد", "في بغداد"]


def test_reject_removes_and_records(sets: dict[str, AnnotationSet]) -> None:
    diff = adj.diff_sets(DOC.id, sets)
    gold = adj.auto_merge(CTX, diff, adjudicator="c")
    coalition = groups_by_text(diff)["التحالف"].options[0]
    gold = adj.reject(CTX, gold, diff, coalition.id, adjudicator="c")
    assert gold.entities == []
    assert gold.metadata[adj.ADJUDICATION_KEY]["decisions"][-1]["how"] == "rejected"


def test_edit_is_recorded_as_edited(sets: dict[str, AnnotationSet]) -> None:
    diff = adj.diff_sets(DOC.id, sets)
    gold = adj.auto_merge(CTX, diff, adjudicator="auto-user")
    eid = gold.entities[0].id
    gold = adj.apply_edit(CTX, gold, diff, editing.set_entity_type, eid, "GPE", adjudicator="cura")
    rec = gold.metadata[adj.PROVENANCE_KEY][eid]
    assert (rec["how"], rec["by"], rec["agreed_by"]) == ("edited", "cura", [])
    assert gold.metadata[adj.ADJUDICATION_KEY]["adjudicated_by"] == ["auto-user", "cura"]


def test_arguments_and_links_need_their_parts_in_gold_first() -> None:
    a = annotator("ali", [("التحالف", "ORG")])
    s, e = span("إيقاف")
    a = editing.add_event(CTX, a, s, e, "SUSPENSION")
    a = editing.add_argument(CTX, a, a.events[0].id, "agent", a.entities[0].id)
    diff = adj.diff_sets(DOC.id, {"ali": a})
    arg = next(g for g in diff.groups if g.layer == "arguments").options[0]
    with pytest.raises(InputError, match="needs its event trigger") as err:
        adj.accept(CTX, adj.empty_gold(CTX), diff, arg.id, adjudicator="c")
    assert "accept the event" in str(err.value)
    link = next(g for g in diff.groups if g.layer == "links").options[0]
    with pytest.raises(InputError, match="needs both dates"):
        adj.accept(CTX, adj.empty_gold(CTX), diff, link.id, adjudicator="c")
    gold = adj.auto_merge(CTX, diff, adjudicator="c")  # one annotator: everything is unanimous
    assert gold.events[0].arguments[0].role == "agent"


def _suspension(name: str, **attributes: str) -> AnnotationSet:
    """An annotator who marked the suspension «إيقاف» with its agent, and the attributes given."""
    a = annotator(name, [("التحالف", "ORG")])
    a = editing.add_event(CTX, a, *span("إيقاف"), "SUSPENSION")
    a = editing.add_argument(CTX, a, a.events[0].id, "agent", a.entities[0].id)
    for attribute, value in attributes.items():
        a = editing.set_event_attribute(CTX, a, a.events[0].id, attribute, value)
    return a


def test_the_same_event_with_other_attributes_is_a_difference_the_curator_decides() -> None:
    """Same trigger and type, arguments alike, but ali says the suspension was planned (other, future) and sara
    that it happened: a conflict named after what differs; auto-merge leaves it; accepting a side sets gold's
    event to that side's attributes, changing one's mind changes them in place (the arguments stay)."""
    sets = {"ali": _suspension("ali", modality="other", tense="future"), "sara": _suspension("sara", tense="past")}
    diff = adj.diff_sets(DOC.id, sets)
    (group,) = [g for g in diff.groups if g.layer == "events"]
    assert group.kind == "conflict" and group.reason == "same event, different modality and tense"
    assert sorted(o.label for o in group.options) == ["SUSPENSION (asserted, positive, past)",
                                                      "SUSPENSION (other, positive, future)"]
    assert [g.kind for g in diff.groups if g.layer == "arguments"] == ["agreed"]
    gold = adj.auto_merge(CTX, diff, adjudicator="c")
    assert gold.events == []  # not agreed: the curator decides (and the argument waits for its event)
    ali_side = next(o for o in group.options if o.annotators == ("ali",))
    sara_side = next(o for o in group.options if o.annotators == ("sara",))
    gold = adj.accept(CTX, gold, diff, ali_side.id, adjudicator="c")
    gold = adj.auto_merge(CTX, diff, adjudicator="c", gold=gold)  # now the agreed argument comes in
    (event,) = gold.events
    assert event.attributes() == {"modality": "other", "polarity": "positive", "tense": "future"}
    assert [a.role for a in event.arguments] == ["agent"]
    gold = adj.accept(CTX, gold, diff, sara_side.id, adjudicator="c")
    (event,) = gold.events
    assert event.attributes() == {"modality": "asserted", "polarity": "positive", "tense": "past"}
    assert [a.role for a in event.arguments] == ["agent"]
    rec = gold.metadata[adj.PROVENANCE_KEY][event.id]
    assert (rec["how"], rec["agreed_by"]) == ("accepted", ["sara"])


def test_events_alike_in_every_attribute_are_agreed() -> None:
    sets = {"ali": _suspension("ali", polarity="negative"), "sara": _suspension("sara", polarity="negative")}
    (group,) = [g for g in adj.diff_sets(DOC.id, sets).groups if g.layer == "events"]
    assert group.kind == "agreed" and group.options[0].label == "SUSPENSION (asserted, negative, unspecified)"


def test_unknown_option_names_the_field(sets: dict[str, AnnotationSet]) -> None:
    diff = adj.diff_sets(DOC.id, sets)
    with pytest.raises(InputError, match="option: no option 'o-nope'"):
        adj.accept(CTX, adj.empty_gold(CTX), diff, "o-nope", adjudicator="c")


# --- the store --------------------------------------------------------------------------------------------


@pytest.fixture
def stored(store: Store, sets: dict[str, AnnotationSet]) -> Store:
    store.documents.put([DOC], actor="t")
    for a in sets.values():
        # An annotator who "fixed" the source's error by marking the link consistent: gold must not follow.
        a = a.model_copy(deep=True)
        for link in a.links:
            link.consistent, link.reason = True, None
        store.sets.save(a, base_revision=0, actor=a.author)
    return store


def test_auto_adjudicate_saves_gold_with_source_inconsistency_kept(stored: Store) -> None:
    gold = adj.auto_adjudicate(stored, DOC.id, actor="cura")
    assert (gold.author, gold.author_kind, gold.status, gold.revision) == (
        GOLD_AUTHOR, AuthorKind.gold, AnnotationStatus.gold, 1
    )
    dates = {d.id: d.text for d in gold.dates}
    flags = {(dates[x.source], dates[x.target]): (x.consistent, x.reason) for x in gold.links}
    assert flags[("السادس من يناير", "كانون الأول الماضي")] == (False, "January vs December")
    assert flags[("10 ديسمبر", "كانون الأول عام 2017")] == (True, None)
    # The dates themselves are left as written: January stays January.
    assert next(d for d in gold.dates if d.text == "السادس من يناير").native.month == 1
    assert gold.metadata[adj.ADJUDICATION_KEY]["source_revisions"] == {"ali": 1, "sara": 1}


def test_gold_is_refused_twice_then_reopened_as_a_new_revision(stored: Store) -> None:
    adj.auto_adjudicate(stored, DOC.id, actor="cura")
    with pytest.raises(InputError, match="already has a gold set") as err:
        adj.auto_adjudicate(stored, DOC.id, actor="cura")
    assert "annotate gold reopen ar-1" in str(err.value)
    reopened = adj.reopen_gold(stored, DOC.id, actor="lead")
    assert (reopened.status, reopened.revision) == (AnnotationStatus.in_progress, 2)
    assert reopened.metadata[adj.ADJUDICATION_KEY]["reopened"][0]["by"] == "lead"
    with pytest.raises(InputError, match="already in_progress"):
        adj.reopen_gold(stored, DOC.id, actor="lead")
    revs = stored.sets.list_revisions(DOC.id, GOLD_AUTHOR)
    assert [(r.revision, r.status) for r in revs] == [(1, AnnotationStatus.gold), (2, AnnotationStatus.in_progress)]


def test_auto_adjudicate_on_reopened_gold_keeps_the_curators_work(stored: Store) -> None:
    adj.auto_adjudicate(stored, DOC.id, actor="cura")
    adj.reopen_gold(stored, DOC.id, actor="cura")
    session = adj.open_session(stored, DOC.id)
    assert session.gold is not None
    iraq = next(o for g in session.diff.groups for o in g.options if o.label == "LOC")
    gold = adj.accept(session.ctx, session.gold, session.diff, iraq.id, adjudicator="cura")
    adj.save_gold(stored, session.ctx, gold, actor="cura", final=False, base_revision=session.gold.revision)
    again = adj.auto_adjudicate(stored, DOC.id, actor="cura")
    assert sorted(e.text for e in again.entities) == ["التحالف", "العراق"]
    assert again.revision == 4 and again.status is AnnotationStatus.gold


def test_reopen_without_gold_is_not_found(stored: Store) -> None:
    with pytest.raises(NotFound, match="no gold set"):
        adj.reopen_gold(stored, DOC.id, actor="x")


def test_annotator_sets_ignores_engine_and_gold(stored: Store) -> None:
    stored.sets.save(engine_annotations(DOC), base_revision=0, actor="engine")
    adj.auto_adjudicate(stored, DOC.id, actor="cura")
    assert sorted(adj.annotator_sets(stored, DOC.id)) == ["ali", "sara"]
    with pytest.raises(NotFound, match="'omid'"):
        adj.annotator_sets(stored, DOC.id, ["ali", "omid"])


def test_merge_refuses_two_versions_of_one_span(sets: dict[str, AnnotationSet]) -> None:
    diff = adj.diff_sets(DOC.id, sets)
    iraq = groups_by_text(diff)["العراق"]
    with pytest.raises(InputError, match="cannot keep two versions of the same span") as err:
        adj.merge(CTX, adj.empty_gold(CTX), diff, [o.id for o in iraq.options], adjudicator="c")
    assert err.value.where == "options"


# --- what the page shows ----------------------------------------------------------------------------------


def test_marked_html_escapes_the_text_and_highlights_by_kind() -> None:
    from annotate.app.marks import MARK_COLOURS, marked_html

    text = 'a <script>x</script> "b" & c'
    marks = [adj.Mark(0, 1, 'entity: <PER>', "agreed"), adj.Mark(2, 20, "date", "conflict"),
             adj.Mark(2, 5, "other", "partial")]
    out = marked_html(text, marks)
    assert "<script>" not in out and "</script>" not in out and "x&lt;/script&gt;" in out
    assert "&amp; c" in out and "&quot;b&quot;" in out
    assert 'title="entity: &lt;PER&gt;"' in out
    # Overlaps show the most severe kind: conflict over partial.
    assert out.count(MARK_COLOURS["conflict"]) == 2 and MARK_COLOURS["partial"] not in out


def test_marks_and_undecided(sets: dict[str, AnnotationSet]) -> None:
    diff = adj.diff_sets(DOC.id, sets)
    kinds = {(m.start, m.end): m.kind for m in adj.annotator_marks(diff, "ali")}
    assert kinds[span("التحالف")] == "agreed" and kinds[span("العراق")] == "conflict"
    gold = adj.auto_merge(CTX, diff, adjudicator="c")
    assert {m.kind for m in adj.gold_marks(gold)} == {"auto"}
    left = adj.undecided(diff, gold)
    assert {g.reason for g in left} == {"same span, different type", "overlapping spans"}
    iraq = groups_by_text(diff)["العراق"]
    gold = adj.accept(CTX, gold, diff, iraq.options[0].id, adjudicator="c")
    assert adj.in_gold(gold, iraq.options[0]) and not adj.in_gold(gold, iraq.options[1])
    assert len(adj.undecided(diff, gold)) == 1
    baghdad = next(g for g in left if g.reason == "overlapping spans")
    gold = adj.reject(CTX, gold, diff, baghdad.options[0].id, adjudicator="c")
    assert adj.undecided(diff, gold) == []


def test_adjudication_queue(stored: Store) -> None:
    queue = adj.adjudication_queue(stored)
    assert [(d.doc_id, d.annotators, d.gold_status) for d in queue] == [(DOC.id, ("ali", "sara"), None)]
    adj.auto_adjudicate(stored, DOC.id, actor="c")
    assert adj.adjudication_queue(stored)[0].gold_status == "gold"


def test_auto_merge_reports_an_agreed_argument_the_taxonomy_refuses(sets: dict[str, AnnotationSet]) -> None:
    """Only arguments and links whose event, mention or dates are not in gold yet are left for the curator; an
    agreed argument the taxonomy no longer allows (speaker narrowed to PER after annotation) is an error."""
    for name in ("ali", "sara"):
        a = editing.add_event(CTX, sets[name], *span("وأعلن"), "STATEMENT")
        org = next(m.id for m in a.entities if m.text == "التحالف")
        sets[name] = editing.add_argument(CTX, a, a.events[0].id, "speaker", org)
    taxonomy = default_taxonomy().model_copy(deep=True)
    statement = taxonomy.event_type("STATEMENT")
    assert statement is not None
    statement.roles = [r.model_copy(update={"entity_types": ["PER"]}) if r.name == "speaker" else r
                       for r in statement.roles]
    diff = adj.diff_sets(DOC.id, sets)
    assert [g.kind for g in diff.groups if g.layer == "arguments"] == ["agreed"]
    with pytest.raises(InputError, match="role 'speaker' of STATEMENT takes an entity \\(PER\\)"):
        adj.auto_merge(editing.EditContext(DOC, taxonomy), diff, adjudicator="c")
    # With the taxonomy it was made under, the agreed argument goes in.
    gold = adj.auto_merge(CTX, diff, adjudicator="c")
    assert [(x.role, x.ref) for x in gold.events[0].arguments] == [("speaker", gold.entities[0].id)]
