"""A project as a lead finds it after two annotators labelled the same news: the material of the curation tests.

Three short articles written for these tests (Persian with ZWNJ, Dari, Arabic, each with a date and its
equivalent in another calendar), optionally the shared seeds too; annotators ``sara`` and ``omid`` accepted the
date engine's suggestions and marked entities and events, disagreeing the way annotators do: a type (GPE/LOC), a
span (with or without a preposition), a missed mention, an argument in another role, a date value; both passed
over one date the engine found.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from annotate.annotation import editing
from annotate.annotation.prelabel import ENGINE_AUTHOR, engine_annotations, prelabel
from annotate.corpus.importer import import_paths
from annotate.models import AnnotationSet, Document
from annotate.project import Project, init_project
from annotate.store import Store

PASSWORD = "correct horse 1"
ZWNJ = "\u200c"

FA = Document.create(
    f"وزیر امور خارجه ایران روز ۱۵ مهر ۱۴۰۲ (7 اکتبر 2023) در تهران با همتای عراقی خود دیدار کرد.\n"
    f"دو طرف درباره{ZWNJ}ی بازگشایی گذرگاه مرزی مهران گفت{ZWNJ}وگو کردند و قرار شد نشست بعدی در بغداد برگزار شود.\n"
    f"سخنگوی وزارت خارجه گفت این گذرگاه از اول آبان دوباره باز می{ZWNJ}شود.\n",
    lang="fa", id="fa-meeting", reference_date="2023-10-08", title="دیدار وزیران",
)
PRS = Document.create(
    "هیئت طالبان روز سه\u200cشنبه ۱۲ حمل ۱۴۰۳ (۳۱ مارچ ۲۰۲۴) در دوحه با نمایندگان سازمان ملل متحد دیدار کرد.\n"
    "ذبیح\u200cالله مجاهد گفت که گفتگوها درباره کمک\u200cهای بشری به ولایت هرات بود.\n",
    lang="prs", id="prs-doha", reference_date="2024-04-01", title="دیدار در دوحه",
)
AR = Document.create(
    "أعلنت وزارة الدفاع العراقية يوم الأحد 5 تشرين الثاني/نوفمبر 2023 انسحاب قوات التحالف من قاعدة عين الأسد "
    "في محافظة الأنبار.\nوقال المتحدث باسم الوزارة إن الانسحاب سيكتمل قبل نهاية العام.\n",
    lang="ar", id="ar-withdrawal", reference_date="2023-11-06", title="انسحاب من عين الأسد",
)
DOCUMENTS = (FA, PRS, AR)

# surface, sara's type, omid's type (None: not marked); a surface may name its occurrence: "بغداد#0".
ENTITIES: dict[str, list[tuple[str, str | None, str | None]]] = {
    FA.id: [("ایران", "GPE", "GPE"), ("تهران", "GPE", "GPE"), ("مهران", "LOC", "GPE"),
            ("بغداد", "GPE", None), ("وزارت خارجه", "ORG", "ORG")],
    PRS.id: [("طالبان", "ORG", "ORG"), ("دوحه", "GPE", "GPE"), ("سازمان ملل متحد", "ORG", "ORG"),
             ("ذبیح\u200cالله مجاهد", "PER", "PER"), ("هرات", "GPE", "LOC")],
    AR.id: [("وزارة الدفاع العراقية", "ORG", "ORG"), ("قوات التحالف", "ORG", "ORG"),
            ("قاعدة عين الأسد", "FAC", "FAC"), ("محافظة الأنبار", "GPE", "LOC")],
}
# Suggestions of the date engine both annotators passed over (a year-less date): only the curator can add it.
MISSED_DATES: dict[str, set[str]] = {FA.id: {"اول آبان"}}
# Where the annotators' spans differ: omid marks the longer (or shorter) surface instead.
OMID_SPANS: dict[str, dict[str, str]] = {AR.id: {"قاعدة عين الأسد": "عين الأسد"}}
# trigger, type, [(role, surface)] per annotator
EVENTS: dict[str, list[tuple[str, str, list[tuple[str, str]], list[tuple[str, str]]]]] = {
    FA.id: [("دیدار", "MEETING", [("participant", "ایران"), ("place", "تهران")],
             [("participant", "ایران"), ("place", "تهران")])],
    PRS.id: [("دیدار", "MEETING", [("participant", "طالبان"), ("participant", "سازمان ملل متحد"), ("place", "دوحه")],
              [("participant", "طالبان"), ("participant", "دوحه")])],
    AR.id: [("انسحاب", "WITHDRAWAL", [("actor", "قوات التحالف"), ("origin", "قاعدة عين الأسد")],
             [("actor", "قوات التحالف"), ("origin", "عين الأسد")])],
}


def span_of(document: Document, surface: str) -> tuple[int, int]:
    """The first occurrence of ``surface`` (code points)."""
    start = document.text.index(surface)
    return start, start + len(surface)


def annotator_set(store: Store, document: Document, who: str) -> AnnotationSet:
    """``who``'s set of ``document``: the engine's dates accepted, then the entities and events above."""
    ctx = editing.EditContext(document, store.taxonomy)
    aset = AnnotationSet(doc_id=document.id, author=who)
    engine = store.sets.get(document.id, ENGINE_AUTHOR)
    taken = [x.id for layer in (engine.dates, engine.links) for x in layer]
    missed = [d.id for d in engine.dates if d.text in MISSED_DATES.get(document.id, set())]
    aset = editing.accept_suggestions(ctx, aset, engine, [i for i in taken if i not in missed]).aset
    ids: dict[str, str] = {}
    for surface, sara, omid in ENTITIES.get(document.id, []):
        kind = sara if who == "sara" else omid
        if kind is None:
            continue
        shown = OMID_SPANS.get(document.id, {}).get(surface, surface) if who == "omid" else surface
        aset = editing.add_entity(ctx, aset, *span_of(document, shown), kind)
        ids[shown] = next(m.id for m in aset.entities if m.text == shown)
    for trigger, type_, sara_args, omid_args in EVENTS.get(document.id, []):
        aset = editing.add_event(ctx, aset, *span_of(document, trigger), type_)
        event = next(ev for ev in aset.events if ev.trigger.text == trigger)
        for role, surface in sara_args if who == "sara" else omid_args:
            aset = editing.add_argument(ctx, aset, event.id, role, ids[surface])
    if who == "omid" and document.id == FA.id and aset.dates:
        # omid read the Solar date as a month, not a day
        d = aset.dates[0]
        aset = editing.set_date_value(ctx, aset, d.id, d.calendar.value, d.native.year, d.native.month, None,
                                      d.lexicon)
    return aset


def build(path: str | Path, *, seeds: Path | None = None, users: Sequence[str] = ("sara", "omid")) -> Project:
    """A fresh project at ``path``: the three articles (and ``seeds``' manifest when given), pre-labelled, with
    ``sara`` and ``omid`` (annotators) and ``cura`` (curator), every password :data:`PASSWORD`, and both
    annotators' sets of the three articles."""
    project = init_project(path)
    store = project.store()
    store.documents.put(list(DOCUMENTS), actor="test")
    if seeds is not None:
        import_paths(store, [seeds / "manifest.jsonl"], actor="test")
    list(prelabel(store, actor="test"))
    for name in users:
        store.users.add(name, "annotator", PASSWORD, actor="test")
    store.users.add("cura", "curator", PASSWORD, actor="test")
    for document in DOCUMENTS:
        for name in users:
            store.sets.save(annotator_set(store, document, name), base_revision=0, actor=name)
    return project


# One Arabic sentence whose two dates the source contradicts ("the sixth of January/December": the engine links
# them INCONSISTENT, January vs December): the material of the gold consistency check.
CONTRADICTION = Document.create(
    "وأعلن التحالف في السادس من يناير/كانون الأول الماضي إيقاف التدريب في بغداد.",
    lang="ar", id="ar-1", reference_date="2020-03-14",
)
CONTRADICTION_LINK = "is inconsistent (January vs December) and has no note saying why it stays"
"""How the unfinished list names its link (:func:`annotate.annotation.completeness.unfinished`)."""


def build_contradiction(path: str | Path) -> Project:
    """A fresh project at ``path`` with :data:`CONTRADICTION`: ``ali`` and ``sara`` (annotators) accepted the
    engine's two dates and their inconsistent link, agree on the coalition (ORG) and not on Baghdad (ali GPE,
    sara LOC); ``cura`` is the curator; every password :data:`PASSWORD`."""
    project = init_project(path)
    store = project.store()
    doc = CONTRADICTION
    store.documents.put([doc], actor="test")
    store.users.add("cura", "curator", PASSWORD, actor="test")
    ctx = editing.EditContext(doc, store.taxonomy)
    for name, type_ in (("ali", "GPE"), ("sara", "LOC")):
        store.users.add(name, "annotator", PASSWORD, actor="test")
        a = editing.accept_suggestions(ctx, AnnotationSet(doc_id=doc.id, author=name), engine_annotations(doc)).aset
        a = editing.add_entity(ctx, a, *span_of(doc, "التحالف"), "ORG")
        a = editing.add_entity(ctx, a, *span_of(doc, "بغداد"), type_)
        store.sets.save(a, base_revision=0, actor=name)
    return project
