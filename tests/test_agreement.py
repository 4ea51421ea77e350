"""Agreement figures: hand-computed small cases, and cross-checks against scikit-learn and `krippendorff`."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotate.curation.agreement import (
    Counts,
    DocumentSets,
    chart_rows,
    cohen_kappa,
    compute_agreement,
    krippendorff_alpha,
    match_overlap,
    pair_counts,
    report_lines,
    token_labels,
)
from annotate.models import (
    AnnotationSet,
    AuthorKind,
    DateLink,
    DateMention,
    Document,
    EntityMention,
    Event,
    EventArgument,
    Trigger,
)
from annotate.text.tokens import tokenize

TEXT = "علی و سارا در کابل روز ۱۰ حمل ۱۴۰۰ (30 مارچ 2021) دیدار کردند و می‌گویند توافق شد."
DOC = Document.create(TEXT, lang="prs", id="d1")


def _at(sub: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(sub, start + 1)
    return start, start + len(sub)


def ent(sub: str, type_: str, nth: int = 0) -> EntityMention:
    s, e = _at(sub, nth)
    return EntityMention(id=f"e-{s}-{e}", start=s, end=e, text=TEXT[s:e], type=type_)


def dt(sub: str, start: date | None, end: date | None = None, calendar: str = "gregorian") -> DateMention:
    s, e = _at(sub)
    return DateMention(
        id=f"dt-{s}-{e}", start=s, end=e, text=TEXT[s:e], calendar=calendar, lexicon="none",
        granularity="day", gregorian_start=start, gregorian_end=end or start,
    )


def ev(sub: str, type_: str, args: list[tuple[str, str]] = ()) -> Event:  # type: ignore[assignment]
    s, e = _at(sub)
    return Event(
        id=f"ev-{s}-{e}", type=type_, trigger=Trigger(start=s, end=e, text=TEXT[s:e]),
        arguments=[EventArgument(role=r, ref=ref) for r, ref in args],
    )


def aset(author: str, doc: Document = DOC, **layers: Any) -> AnnotationSet:
    return AnnotationSet(doc_id=doc.id, author=author, **layers)


ALI, SARA, KABUL = ent("علی", "PER"), ent("سارا", "PER"), ent("کابل", "GPE")
D_SOLAR = dt("۱۰ حمل ۱۴۰۰", date(2021, 3, 30), calendar="solar_hijri")
D_GREG = dt("30 مارچ 2021", date(2021, 3, 30))
LINK = DateLink(id="ln-1", source=D_SOLAR.id, target=D_GREG.id)
MEET = ev("دیدار", "MEETING", [("participant", ALI.id), ("place", KABUL.id)])


# --- F1 per layer: hand-computed --------------------------------------------------------------------------

CASES = [
    # (id, layer, reference, other, matched, n_ref, n_other, F1)
    ("same entities", "entities", {"entities": [ALI, SARA]}, {"entities": [ALI, SARA]}, 2, 2, 2, 1.0),
    ("type differs", "entities", {"entities": [ALI, SARA]}, {"entities": [ALI, ent("سارا", "ORG")]}, 1, 2, 2, 0.5),
    ("one missing", "entities", {"entities": [ALI, SARA, KABUL]}, {"entities": [ALI]}, 1, 3, 1, 0.5),
    ("shorter span strict", "entities", {"entities": [KABUL]}, {"entities": [ent("کاب", "GPE")]}, 0, 1, 1, 0.0),
    ("shorter span overlap", "entities_overlap", {"entities": [KABUL]}, {"entities": [ent("کاب", "GPE")]},
     1, 1, 1, 1.0),
    ("overlap needs the type", "entities_overlap", {"entities": [KABUL]}, {"entities": [ent("کاب", "LOC")]},
     0, 1, 1, 0.0),
    ("date spans", "dates", {"dates": [D_SOLAR, D_GREG]}, {"dates": [D_SOLAR]}, 1, 2, 1, 2 / 3),
    ("date value differs", "date_values", {"dates": [D_SOLAR]},
     {"dates": [dt("۱۰ حمل ۱۴۰۰", date(2021, 3, 31), calendar="solar_hijri")]}, 0, 1, 1, 0.0),
    ("date value same", "date_values", {"dates": [D_SOLAR, D_GREG]}, {"dates": [D_SOLAR, D_GREG]}, 2, 2, 2, 1.0),
    ("links unordered", "links", {"dates": [D_SOLAR, D_GREG], "links": [LINK]},
     {"dates": [D_SOLAR, D_GREG], "links": [DateLink(id="x", source=D_GREG.id, target=D_SOLAR.id)]}, 1, 1, 1, 1.0),
    ("link missing", "links", {"dates": [D_SOLAR, D_GREG], "links": [LINK]}, {"dates": [D_SOLAR, D_GREG]},
     0, 1, 0, 0.0),
    ("trigger type", "triggers", {"entities": [ALI, KABUL], "events": [MEET]},
     {"events": [ev("دیدار", "STATEMENT")]}, 0, 1, 1, 0.0),
    ("arguments", "arguments", {"entities": [ALI, KABUL], "events": [MEET]},
     {"entities": [ALI, KABUL], "events": [ev("دیدار", "MEETING", [("participant", ALI.id)])]}, 1, 2, 1, 2 / 3),
    ("nothing on either side", "entities", {}, {}, 0, 0, 0, None),
]


@pytest.mark.parametrize(
    ("layer", "ref", "other", "matched", "n_ref", "n_other", "f1"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_pair_counts_hand_computed(
    layer: str, ref: dict[str, Any], other: dict[str, Any], matched: int, n_ref: int, n_other: int, f1: float | None
) -> None:
    total = pair_counts(aset("a", **ref), aset("b", **other), layer)[""]
    assert (total.matched, total.n_ref, total.n_other) == (matched, n_ref, n_other)
    assert total.f1 == (pytest.approx(f1) if f1 is not None else None)


def test_pair_counts_are_symmetric_in_f1_and_swap_precision_and_recall() -> None:
    a = aset("a", entities=[ALI, SARA, KABUL])
    b = aset("b", entities=[ALI])
    ab, ba = pair_counts(a, b, "entities")[""], pair_counts(b, a, "entities")[""]
    assert ab.f1 == ba.f1 == pytest.approx(0.5)
    assert (ab.precision, ab.recall) == (ba.recall, ba.precision) == (1.0, pytest.approx(1 / 3))


def test_per_label_counts() -> None:
    counts = pair_counts(aset("a", entities=[ALI, SARA, KABUL]), aset("b", entities=[ALI, ent("سارا", "ORG")]),
                         "entities")
    assert (counts["PER"].matched, counts["PER"].n_ref, counts["PER"].n_other) == (1, 2, 1)
    assert (counts["ORG"].matched, counts["ORG"].n_other) == (0, 1)
    assert counts["GPE"].f1 == 0.0


def test_overlap_matching_is_one_to_one_largest_overlap_first() -> None:
    # One long reference span overlapped by two short ones: only one of them may match it.
    assert match_overlap([(0, 10, "X")], [(0, 3, "X"), (2, 9, "X")]) == [(0, 1)]
    assert match_overlap([(0, 4, "X"), (5, 9, "X")], [(0, 9, "X")]) == [(0, 0)]


# --- tokens -----------------------------------------------------------------------------------------------

def test_token_labels() -> None:
    a = aset("a", entities=[ALI, KABUL], dates=[D_GREG], events=[ev("دیدار", "MEETING")])
    tokens = tokenize(TEXT, words_only=True)
    labels = dict(zip([TEXT[s:e] for s, e in tokens], token_labels(tokens, a), strict=True))
    assert labels["علی"] == "PER" and labels["کابل"] == "GPE" and labels["سارا"] == "O"
    assert labels["مارچ"] == "DATE" and labels["دیدار"] == "EV:MEETING" and labels["می‌گویند"] == "O"
    assert token_labels(tokens, a, "entities").count("DATE") == 0


# --- kappa and alpha: hand-computed -----------------------------------------------------------------------

KAPPA_CASES = [
    (["A", "A", "B", "B"], ["A", "B", "B", "B"], 0.5),  # po 3/4, pe 1/2
    (["A", "B"], ["A", "B"], 1.0),
    (["A", "B"], ["B", "A"], -1.0),
    (["O", "O", "O"], ["O", "O", "O"], None),  # chance agreement 1: undefined
    ([], [], None),
]


@pytest.mark.parametrize(("a", "b", "kappa"), KAPPA_CASES)
def test_cohen_kappa_hand_computed(a: list[str], b: list[str], kappa: float | None) -> None:
    got = cohen_kappa(a, b)
    assert got == (pytest.approx(kappa) if kappa is not None else None)


ALPHA_CASES = [
    ([["A", "A"], ["B", "B"]], 1.0),
    ([["A", "B"], ["A", "B"]], -0.5),  # Do 4, De 8/3
    ([["A", "A", None], ["B", None, None]], None),  # the only pairable unit has one value: undefined
    # Krippendorff (2011) nominal example, 4 coders, 12 units with missing values: alpha = 0.743.
    (
        [
            [1, 1, None, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4],
            [4, 4, 4, 4], [1, 1, 2, 1], [2, 2, 2, 2], [None, 5, 5, 5], [None, None, 1, 1], [None, None, 3, None],
        ],
        0.743,
    ),
]


@pytest.mark.parametrize(("units", "alpha"), ALPHA_CASES)
def test_krippendorff_alpha_hand_computed(units: list[list[Any]], alpha: float | None) -> None:
    got = krippendorff_alpha(units)
    assert got == (pytest.approx(alpha, abs=5e-4) if alpha is not None else None)


def test_kappa_length_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        cohen_kappa(["A"], ["A", "B"])


# --- reference implementations ----------------------------------------------------------------------------

labels = st.sampled_from(["O", "PER", "GPE", "DATE"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(labels, labels), min_size=1, max_size=40))
def test_cohen_kappa_matches_scikit_learn(pairs: list[tuple[str, str]]) -> None:
    from sklearn import metrics as sklearn_metrics
    a, b = [x for x, _ in pairs], [y for _, y in pairs]
    ours = cohen_kappa(a, b)
    if ours is None:
        assert len(set(a) | set(b)) == 1
        return
    assert ours == pytest.approx(sklearn_metrics.cohen_kappa_score(a, b), abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=3, max_size=3), min_size=2, max_size=30))
def test_krippendorff_alpha_matches_the_krippendorff_package(units: list[list[int | None]]) -> None:
    import krippendorff
    import numpy as np
    ours = krippendorff_alpha(units)
    pairable = [v for u in units if sum(x is not None for x in u) >= 2 for v in u if v is not None]
    if ours is None:
        assert len(set(pairable)) <= 1
        return
    data = np.array([[np.nan if u[c] is None else u[c] for u in units] for c in range(3)], dtype=float)
    ref = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert ours == pytest.approx(ref, abs=1e-9)


# --- the report over documents ----------------------------------------------------------------------------

DOC3 = Document.create("نص", lang="ar", id="d3")
DOC2 = Document.create("قال محمد في بغداد يوم 5 يناير 2020.", lang="ar", id="d2")


def _ar_ent(sub: str, type_: str) -> EntityMention:
    s = DOC2.text.index(sub)
    return EntityMention(id=f"e-{s}", start=s, end=s + len(sub), text=sub, type=type_)


def corpus() -> list[DocumentSets]:
    return [
        DocumentSets(DOC, {
            "ali": aset("ali", entities=[ALI, SARA, KABUL]),
            "sara": aset("sara", entities=[ALI, SARA, KABUL]),
            "reza": aset("reza", entities=[ALI, ent("سارا", "ORG")]),
            "dates-engine": aset("dates-engine", dates=[D_GREG]).model_copy(update={"author_kind": AuthorKind.engine}),
        }),
        DocumentSets(DOC2, {
            "ali": aset("ali", DOC2, entities=[_ar_ent("محمد", "PER"), _ar_ent("بغداد", "GPE")]),
            "sara": aset("sara", DOC2, entities=[_ar_ent("بغداد", "LOC")]),
        }),
        DocumentSets(DOC3, {"ali": aset("ali", DOC3)}),
    ]


def test_report_over_documents() -> None:
    report = compute_agreement(corpus())
    assert report.annotators == ["ali", "reza", "sara"]  # the engine's set is not an annotator
    assert (report.documents, report.compared_documents) == (3, 2)
    assert set(report.pairs) == {("ali", "reza"), ("ali", "sara"), ("reza", "sara")}
    # d1: ali/sara 3 of 3+3, ali/reza 1 of 3+2, reza/sara 1 of 2+3; d2: ali/sara 0 of 2+1.
    assert report.layers["entities"].as_dict()["matched"] == 5
    assert report.layers["entities"].f1 == pytest.approx(2 * 5 / (6 + 5 + 5 + 3))
    assert report.pairs[("ali", "sara")]["entities"].f1 == pytest.approx(2 * 3 / 9)
    assert report.pairs[("ali", "reza")]["entities"].f1 == pytest.approx(2 / 5)
    assert [d.doc_id for d in report.lowest()] == ["d2", "d1"]
    assert set(report.languages) == {"prs", "ar"}
    assert report.kappa[("ali", "sara")]["entities"] is not None
    assert report.alpha["entities"] is not None and -1 <= report.alpha["entities"] <= 1


def test_alpha_over_tokens_uses_missing_values_for_absent_annotators() -> None:
    report = compute_agreement(corpus())
    # reza did not annotate d2: alpha over all tokens equals alpha over units with None for reza there.
    per_doc: list[list[Any]] = []
    for d in corpus()[:2]:
        tokens = tokenize(d.document.text, words_only=True)
        humans = {a: s for a, s in d.sets.items() if s.author_kind is AuthorKind.human}
        lab = {a: token_labels(tokens, s, "entities") for a, s in humans.items()}
        per_doc += [[lab[a][t] if a in lab else None for a in ("ali", "reza", "sara")] for t in range(len(tokens))]
    assert report.alpha["entities"] == pytest.approx(krippendorff_alpha(per_doc))


def test_report_restricted_by_language() -> None:
    report = compute_agreement(corpus(), lang="ar")
    assert report.compared_documents == 1 and report.annotators == ["ali", "sara"]
    assert report.layers["entities"].f1 == 0.0
    assert report.layers["entities_overlap"].f1 == 0.0  # same span, different type: no match


def test_report_renders_and_serialises() -> None:
    report = compute_agreement(corpus())
    text = "\n".join(report_lines(report))
    assert "ali / sara" in text and "lowest agreement first" in text and "d2" in text
    data = report.as_dict()
    assert data["documents_lowest_first"][0]["doc_id"] == "d2"
    assert "ali|sara" in data["pairs"]


def test_counts_with_nothing_are_undefined_not_perfect() -> None:
    c = Counts()
    assert (c.precision, c.recall, c.f1) == (None, None, None)
    assert math.isclose(Counts(1, 2, 2).f1 or 0, 0.5)


def test_chart_rows_leave_out_undefined_figures() -> None:
    rows = chart_rows(compute_agreement(corpus()))
    assert {r["layer"] for r in rows["layers"]} == {"entities", "entities_overlap"}  # nothing else was marked
    assert {(r["layer"], r["label"]) for r in rows["labels"]} == {("entities", t) for t in ("GPE", "LOC", "ORG", "PER")}
    assert rows["documents"][0]["document"] == "d2"
    assert {r["pair"] for r in rows["pairs"]} == {"ali / reza", "ali / sara", "reza / sara"}


# --- event attributes on matched events ---------------------------------------------------------------------

ATTACK_DOC = Document.create(
    "قرار است نیروها فردا از کابل خارج شوند؛ دیروز به پاسگاه حمله نکردند و امروز نشست برگزار شد.",
    lang="prs", id="d4")


def _ev4(sub: str, type_: str, **attributes: str) -> Event:
    s = ATTACK_DOC.text.index(sub)
    return Event(id=f"ev-{s}", type=type_, trigger=Trigger(start=s, end=s + len(sub), text=sub), **attributes)


def attribute_corpus() -> list[DocumentSets]:
    """Three annotators on three events. The withdrawal: ali and sara say other/future, reza asserted/past. The
    attack: everyone negative, ali and reza past, sara unspecified. The meeting: reza typed it VOTE (no match)."""
    withdraw, attack, meeting = "خارج شوند", "حمله نکردند", "نشست"
    sets = {
        "ali": [_ev4(withdraw, "WITHDRAWAL", modality="other", tense="future"),
                _ev4(attack, "ATTACK", polarity="negative", tense="past"), _ev4(meeting, "MEETING", tense="past")],
        "sara": [_ev4(withdraw, "WITHDRAWAL", modality="other", tense="future"),
                 _ev4(attack, "ATTACK", polarity="negative"), _ev4(meeting, "MEETING", tense="past")],
        "reza": [_ev4(withdraw, "WITHDRAWAL", tense="past"),
                 _ev4(attack, "ATTACK", polarity="negative", tense="past"), _ev4(meeting, "VOTE", tense="past")],
    }
    return [DocumentSets(ATTACK_DOC, {a: aset(a, ATTACK_DOC, events=evs) for a, evs in sets.items()})]


def test_event_attributes_are_compared_on_matched_events_only() -> None:
    report = compute_agreement(attribute_corpus())
    # Pairs: ali/reza and reza/sara match 2 events (the meeting is MEETING vs VOTE), ali/sara match 3.
    modality = report.attributes["modality"]
    assert modality.matched == 2 + 3 + 2
    # modality differs only on the withdrawal against reza (ali/reza, reza/sara).
    assert modality.agreed == 7 - 2 and modality.accuracy == pytest.approx(5 / 7)
    assert modality.pairs == {("asserted", "asserted"): 4, ("other", "other"): 1, ("other", "asserted"): 1,
                              ("asserted", "other"): 1}
    assert report.attributes["polarity"].accuracy == 1.0
    tense = report.pair_attributes[("ali", "sara")]["tense"]
    assert (tense.matched, tense.agreed) == (3, 2)  # the attack: past vs unspecified
    assert report.pair_attributes[("ali", "reza")]["tense"].pairs == {("future", "past"): 1, ("past", "past"): 1}


def test_attribute_kappa_matches_scikit_learn_and_the_report_shows_it() -> None:
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    report = compute_agreement(attribute_corpus())
    modality = report.attributes["modality"]
    a, b = zip(*modality.pairs.elements(), strict=True)
    assert modality.kappa == pytest.approx(sklearn_metrics.cohen_kappa_score(a, b), abs=1e-9)
    assert report.attributes["polarity"].kappa == pytest.approx(
        sklearn_metrics.cohen_kappa_score(*zip(*report.attributes["polarity"].pairs.elements(), strict=True)))
    text = "\n".join(report_lines(report))
    assert "event attribute (matched events)\tmatched\tagreed\taccuracy\tkappa" in text
    assert f"modality\t7\t5\t{5 / 7:.3f}\t{modality.kappa:.3f}" in text
    data = report.as_dict()
    assert data["event_attributes"]["modality"]["confusion"]["other"] == {"asserted": 1, "other": 1}
    assert data["pairs"]["ali|sara"]["event_attributes"]["tense"]["agreed"] == 2


def test_attribute_agreement_without_events_is_undefined() -> None:
    report = compute_agreement(corpus())
    assert all(x.matched == 0 and x.accuracy is None and x.kappa is None for x in report.attributes.values())
