"""The string matcher across orthographic variants, clitics, the article and the verbal prefix می; its confidence,
decisions and the rule that a form rejected more often than accepted is no longer suggested."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotate.models import Document
from annotate.suggest.forms import Layer, Tokenized, form_key, split_clitic
from annotate.suggest.matcher import Match, StringMatcher


def _doc(text: str, lang: str = "fa") -> Document:
    return Document.create(text, lang=lang, id="d1")


def _matches(labelled: str, type_: str, text: str, layer: Layer = "entity", lang: str = "fa") -> list[Match]:
    m = StringMatcher()
    m.add_label(layer, labelled, type_)
    return m.suggest(_doc(text, lang))


# (what was labelled, what the text says, what must be suggested: the exact characters of the frozen text)
VARIANTS = [
    pytest.param("علی کریمی", "خبرنگار از علي كريمي پرسید.", "علي كريمي", id="arabic yeh and kaf"),
    pytest.param("كابول", "در کابول", "کابول", id="persian kaf for arabic"),
    pytest.param("رئیسی", "به گفته رییسی", "رییسی", id="hamza seat vs two yeh"),
    pytest.param("بین‌المللی", "ائتلاف بین المللی", "بین المللی", id="zwnj as space"),
    pytest.param("بین‌المللی", "ائتلاف بینالمللی", "بینالمللی", id="zwnj dropped"),
    pytest.param("بین المللی", "ائتلاف بین‌المللی", "بین‌المللی", id="space as zwnj"),
    pytest.param("بغداد", "در بغـــداد", "بغـــداد", id="tatweel"),
    pytest.param("قاسم سلیمانی", "ترور قاسِم سُلیمانی", "قاسِم سُلیمانی", id="diacritics"),
    pytest.param("قاسم سلیمانی", "ترور قاسم\u00a0سلیمانی", "قاسم\u00a0سلیمانی", id="nbsp"),
    pytest.param("ژانویهٔ", "ژانویه", "ژانویه", id="ezafe hamza"),
    pytest.param("قول اردوی ۲۰۵", "قول اردوی 205 اعلام کرد", "قول اردوی 205", id="persian vs ascii digits"),
    pytest.param("قول اردوی 205", "قول اردوی ٢٠٥", "قول اردوی ٢٠٥", id="ascii vs arabic-indic digits"),
    pytest.param("ائتلاف تحت رهبری آمریکا", "ائتلاف تحت رهبري امريكا", "ائتلاف تحت رهبري امريكا",
                 id="alef madda and letters in a phrase"),
    pytest.param("مسئله", "مسأله", None, id="different hamza seat is another word"),
]


@pytest.mark.parametrize(("labelled", "text", "expected"), VARIANTS)
def test_orthographic_variants_match(labelled: str, text: str, expected: str | None) -> None:
    found = _matches(labelled, "GPE", text)
    if expected is None:
        assert found == []
        return
    assert [m.text for m in found] == [expected]
    m = found[0]
    assert text[m.start:m.end] == expected == m.text


# (labelled, lang of the text, text, suggested span text: outside the glued clitic, article inside)
CLITICS = [
    pytest.param("بغداد", "ar", "وصل الوفد وبغداد", "بغداد", id="wa + name"),
    pytest.param("واشنطن", "ar", "زار وواشنطن", "واشنطن", id="wa + name starting with waw"),
    pytest.param("العراق", "ar", "قواعد بالعراق", "العراق", id="bi + article"),
    pytest.param("العراق", "ar", "زيارته للعراق", "لعراق", id="li + article: alef not written"),
    pytest.param("العراق", "ar", "ووصل لـلعراق", "لعراق", id="li with tatweel + article"),
    pytest.param("وكالة الأنباء العراقية", "ar", "قال لـوكالة الأنباء العراقية", "وكالة الأنباء العراقية",
                 id="li + tatweel before a phrase"),
    pytest.param("العراق", "ar", "وفي العراق", "العراق", id="article kept in the span"),
    pytest.param("عراق", "ar", "وفي العراق", "العراق", id="persian form finds arabic with article"),
    pytest.param("العراق", "fa", "نیروهای آمریکایی در عراق", "عراق", id="arabic form finds persian without"),
    pytest.param("الأنبار", "ar", "محافظة فالأنبار", "الأنبار", id="fa + article"),
    pytest.param("بغداد", "ar", "وببغداد", "بغداد", id="wa + bi"),
    pytest.param("تهران", "fa", "سفر بتهران", "تهران", id="persian glued bi"),
    pytest.param("بلخ", "prs", "ولایت بلخ", "بلخ", id="name starting with a clitic letter, whole"),
    pytest.param("لبنان", "ar", "زار لبنان", "لبنان", id="lam-initial name, whole"),
    pytest.param("لبنان", "ar", "زار للبنان", "لبنان", id="lam + lam-initial name"),
    pytest.param("کابل", "prs", "کابل", "کابل", id="kaf-initial name, whole"),
    pytest.param("ایران", "fa", "خودروهای ایرانی", None, id="never inside a word"),
    pytest.param("بغداد", "ar", "البغدادي", None, id="nisba adjective is another word"),
    pytest.param("سازمان ملل", "fa", "سازمان\nملل", None, id="never across a line break"),
]


@pytest.mark.parametrize(("labelled", "lang", "text", "expected"), CLITICS)
def test_clitics_and_article(labelled: str, lang: str, text: str, expected: str | None) -> None:
    found = _matches(labelled, "GPE", text, lang=lang)
    if expected is None:
        assert found == []
        return
    assert len(found) == 1, found
    m = found[0]
    assert (m.text, text[m.start:m.end]) == (expected, expected)
    assert text.endswith(expected) or text[m.end:m.end + 1] in (" ", "\n")


TRIGGERS = [
    pytest.param("می‌گوید", "او میگوید که", "میگوید", id="mi joined"),
    pytest.param("می‌گوید", "او می گوید که", "می گوید", id="mi with a space"),
    pytest.param("میگوید", "او مي‌گويد که", "مي‌گويد", id="mi with zwnj, arabic yeh"),
    pytest.param("گوید", "او می‌گوید که", "می‌گوید", id="bare stem finds mi-form, mi inside the span"),
    pytest.param("قال", "وقال المتحدث", "قال", id="glued wa outside the trigger"),
    pytest.param("حمله کردند", "به پاسگاه حمله‌کردند.", "حمله‌کردند", id="light verb written with zwnj"),
    pytest.param("از سر گرفته شد", "پروازها ازسرگرفته شد", "ازسرگرفته شد", id="compound written together"),
    pytest.param("میز", "روی میز", "میز", id="short mi-word is not a verb"),
]


@pytest.mark.parametrize(("labelled", "text", "expected"), TRIGGERS)
def test_trigger_forms(labelled: str, text: str, expected: str) -> None:
    found = _matches(labelled, "STATEMENT", text, layer="event")
    assert [m.text for m in found] == [expected]
    assert found[0].layer == "event"


def test_entity_forms_do_not_match_triggers_and_back() -> None:
    m = StringMatcher()
    m.add_label("event", "حمله", "ATTACK")
    m.add_label("entity", "حمله", "ORG")  # nonsense on purpose: the two layers are separate gazetteers
    found = m.suggest(_doc("یک حمله"))
    assert sorted((x.layer, x.type) for x in found) == [("entity", "ORG"), ("event", "ATTACK")]


def test_longest_form_wins_and_canonical_id_is_carried() -> None:
    m = StringMatcher()
    m.add_label("entity", "بندرعباس", "GPE", "gpe-bandarabbas")
    m.add_label("entity", "شهرداری بندرعباس", "ORG", "org-bandar-municipality")
    m.add_label("entity", "شهرداری بندرعباس", "ORG", "org-bandar-municipality")
    m.add_label("entity", "شهرداری بندرعباس", "ORG", "org-typo")
    text = "تانکرهای شهرداری بندرعباس به بندرعباس رسید"
    found = [(x.text, x.type, x.canonical_id) for x in m.suggest(_doc(text))]
    assert found == [("شهرداری بندرعباس", "ORG", "org-bandar-municipality"),
                     ("بندرعباس", "GPE", "gpe-bandarabbas")]


# --- confidence and decisions -----------------------------------------------------------------------------------


def test_confidence_counts_labels_unlabelled_occurrences_and_rejections() -> None:
    m = StringMatcher(min_confidence=0.0)
    aset_text = "ایران و ایران و ایران"
    doc = _doc(aset_text)
    m.add_label("entity", "ایران", "GPE")
    st_ = m.stats("entity", "ایران")
    assert st_ is not None and st_.confidence("GPE") == pytest.approx(2 / 3)
    from annotate.models import AnnotationSet, EntityMention

    labelled = AnnotationSet(doc_id="d1", author="sara", entities=[
        EntityMention(id="e1", start=0, end=5, text="ایران", type="GPE")])
    m.observe(doc, [labelled])  # two of the three occurrences were left unlabelled
    assert st_.unlabelled == 2 and st_.confidence("GPE") == pytest.approx(2 / 5)
    m.record("entity", "ايران", "GPE", accepted=False)  # the same form in Arabic letters
    assert st_.rejected["GPE"] == 1 and st_.confidence("GPE") == pytest.approx(2 / 6)


def test_a_form_rejected_more_often_than_accepted_is_not_suggested() -> None:
    m = StringMatcher(min_confidence=0.0)
    m.add_label("entity", "امنیت", "ORG")
    text = "شورای عالی امنیت"
    assert [x.text for x in m.suggest(_doc(text))] == ["امنیت"]
    m.record("entity", "امنیت", "ORG", accepted=True)
    m.record("entity", "امنیت", "ORG", accepted=False)
    assert [x.text for x in m.suggest(_doc(text))] == ["امنیت"], "as often rejected as accepted: still suggested"
    m.record("entity", "امنیت", "ORG", accepted=False)
    assert m.suggest(_doc(text)) == []


def test_a_suppressed_type_gives_way_to_the_next() -> None:
    m = StringMatcher(min_confidence=0.0)
    for type_, n in (("GPE", 3), ("LOC", 1)):
        for _ in range(n):
            m.add_label("entity", "عمان", type_)  # learnt from finished sets...
            m.record("entity", "عمان", type_, accepted=True)  # ...which also say yes to it
    for _ in range(3):
        m.record("entity", "عمان", "GPE", accepted=False)
    assert [x.type for x in m.suggest(_doc("در عمان"))] == ["GPE"], "3 yes, 3 no: still suggested"
    m.record("entity", "عمان", "GPE", accepted=False)
    assert [x.type for x in m.suggest(_doc("در عمان"))] == ["LOC"]


def test_min_confidence_hides_forms_mostly_left_unlabelled() -> None:
    m = StringMatcher()
    m.add_label("entity", "مجلس", "ORG")
    st_ = m.stats("entity", "مجلس")
    assert st_ is not None
    st_.unlabelled = 6  # labelled once, left alone six times
    assert st_.confidence("ORG") < m.min_confidence
    assert m.suggest(_doc("مجلس")) == []


def test_gazetteer_round_trips_through_json() -> None:
    m = StringMatcher()
    m.add_label("entity", "بغداد", "GPE", "gpe-baghdad")
    m.add_label("event", "قال", "STATEMENT")
    m.record("entity", "بغداد", "GPE", accepted=True)
    m.record("entity", "بغداد", "GPE", accepted=False)
    again = StringMatcher.from_json(m.to_json())
    doc = _doc("وقال إن بغداد", "ar")
    assert again.suggest(doc) == m.suggest(doc) and len(m.suggest(doc)) == 2
    assert again.to_json() == m.to_json()


# --- the keys themselves ----------------------------------------------------------------------------------------

_LETTERS = st.text(st.sampled_from(list("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكةۀأإآ")), min_size=2, max_size=8)


@settings(max_examples=200, deadline=None)
@given(words=st.lists(_LETTERS, min_size=1, max_size=4), seps=st.lists(st.sampled_from([" ", "\u200c", ""]),
                                                                      min_size=3, max_size=3))
def test_separators_between_words_never_change_the_key(words: list[str], seps: list[str]) -> None:
    spaced = " ".join(words)
    joined = "".join(w + (seps[i % 3] if i < len(words) - 1 else "") for i, w in enumerate(words))
    assert form_key(spaced)[0] == form_key(joined)[0]


@settings(max_examples=200, deadline=None)
@given(prefix=st.sampled_from(["", "و ", "«", "\n"]), name=_LETTERS, suffix=st.sampled_from(["", " ", "»", "."]))
def test_every_match_is_exactly_the_frozen_text(prefix: str, name: str, suffix: str) -> None:
    m = StringMatcher()
    m.add_label("entity", name, "PER")
    text = f"{prefix}{name}{suffix}"
    for x in m.suggest(_doc(text)):
        assert text[x.start:x.end] == x.text


@pytest.mark.parametrize(("token", "lang", "counts", "cut"), [
    ("وبغداد", "ar", {"بغداد": 5}, 1),
    ("وزیر", "fa", {"زیر": 3, "وزیر": 9}, 0),
    ("والعراق", "ar", {}, 1),
    ("بالمدينه", "ar", {}, 1),
    ("للجیش", "ar", {}, 1),
    ("وکاله", "ar", {}, 0),
    ("والده", "ar", {}, 0),
    ("والی", "prs", {}, 0),
    ("بسیار", "fa", {"سیار": 1, "بسیار": 4}, 0),
])
def test_tagger_clitic_cut(token: str, lang: str, counts: dict[str, int], cut: int) -> None:
    assert split_clitic(token, lang, lambda k: counts.get(k, 0)) == cut


def test_tokenized_keeps_zwnj_words_whole_and_marks_line_breaks() -> None:
    t = Tokenized.of("می‌گویند\nوزارت‌خانه")
    assert [t.token(i) for i in range(len(t.spans))] == ["می‌گویند", "وزارت‌خانه"]
    assert t.breaks == [False, True]
    assert t.trigger_keys[0] == "گویند" and t.keys[1] == "وزارتخانه"
