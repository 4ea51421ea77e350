"""Hypothesis strategies for random *valid* (Document, AnnotationSet) pairs.

Texts mix Persian and Arabic letters, ZWNJ (U+200C), Persian and Arabic-Indic digits, tatweel (U+0640), RLM
(U+200F) and newlines. Every span's text is the exact slice of the document; events use types and roles of the
default taxonomy with arguments of an allowed kind; date links join two date mentions.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from annotate.models import (
    LEXICONS,
    AnnotationSet,
    AnnotationStatus,
    AuthorKind,
    Calendar,
    DateLink,
    DateMention,
    Document,
    EntityMention,
    Event,
    EventArgument,
    Granularity,
    Modality,
    NativeDate,
    Polarity,
    Tense,
    Trigger,
)
from annotate.taxonomy import Taxonomy, default_taxonomy

PERSIAN_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآ"
ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويةىءأإ"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
ZWNJ, TATWEEL, RLM = "\u200c", "\u0640", "\u200f"

_word = st.one_of(
    st.text(alphabet=PERSIAN_LETTERS + ZWNJ, min_size=1, max_size=8),
    st.text(alphabet=ARABIC_LETTERS + TATWEEL, min_size=1, max_size=8),
    st.text(alphabet=PERSIAN_DIGITS, min_size=1, max_size=4),
    st.text(alphabet=ARABIC_INDIC_DIGITS, min_size=1, max_size=4),
    st.text(alphabet="0123456789/", min_size=1, max_size=10),
    st.sampled_from(["می\u200cگویند", "۱۴۰۰/۰۴/۲۲", "٢٠٢٠", "بهمن", "كانون الثاني", RLM, "،", "."]),
)
_sep = st.sampled_from([" ", " ", " ", "\n", " " + RLM, "\u200c", "، "])

texts = st.lists(st.tuples(_word, _sep), min_size=1, max_size=40).map(
    lambda parts: "".join(w + s for w, s in parts).strip(" \n") or "متن"
)
"""Frozen document texts (no BOM, no CR, never empty)."""

short_strings = st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=20)
json_values = st.one_of(st.none(), st.booleans(), st.integers(-(2**31), 2**31), short_strings)
metadata = st.dictionaries(st.text(alphabet="abcdefghij_", min_size=1, max_size=8), json_values, max_size=3)


@st.composite
def documents(draw: st.DrawFn, doc_id: str | None = None) -> Document:
    """A valid document in fa, prs or ar."""
    ref = draw(st.none() | st.dates(date(1990, 1, 1), date(2030, 12, 31)))
    return Document.create(
        draw(texts),
        lang=draw(st.sampled_from(["fa", "prs", "ar"])),
        id=doc_id or draw(st.from_regex(r"\Adoc-[a-z0-9]{1,12}\Z")),
        title=draw(st.none() | short_strings),
        publisher=draw(st.none() | short_strings),
        reference_date=ref,
        metadata=draw(metadata),
    )


@st.composite
def spans(draw: st.DrawFn, text: str) -> dict[str, Any]:
    """``{start, end, text}`` with ``text == document[start:end]``."""
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, min(len(text), start + 30)))
    return {"start": start, "end": end, "text": text[start:end]}


@st.composite
def date_mentions(draw: st.DrawFn, text: str, mid: str) -> DateMention:
    """A date mention over a random span, with consistent native/Gregorian fields."""
    start_day = draw(st.none() | st.dates(date(1900, 1, 1), date(2100, 12, 31)))
    end_day = None if start_day is None else start_day + timedelta(days=draw(st.integers(0, 366)))
    return DateMention(
        id=mid,
        **draw(spans(text)),
        calendar=draw(st.sampled_from(list(Calendar))),
        lexicon=draw(st.sampled_from(sorted(LEXICONS))),
        granularity=draw(st.sampled_from(list(Granularity))),
        native=NativeDate(
            year=draw(st.none() | st.integers(1300, 2100)),
            month=draw(st.none() | st.integers(1, 12)),
            day=draw(st.none() | st.integers(1, 31)),
        ),
        gregorian_start=start_day,
        gregorian_end=end_day,
        year_inferred=draw(st.booleans()),
        relative=draw(st.booleans()),
        note=draw(st.none() | short_strings),
    )


@st.composite
def annotation_sets(
    draw: st.DrawFn, document: Document, taxonomy: Taxonomy | None = None, author: str | None = None
) -> AnnotationSet:
    """A random annotation set that passes ``validate_annotation_set`` for ``document``."""
    tax = taxonomy or default_taxonomy()
    text = document.text
    entities = [
        EntityMention(
            id=f"e{i}",
            **draw(spans(text)),
            type=draw(st.sampled_from(tax.entity_names())),
            canonical_id=draw(st.none() | st.from_regex(r"\A[A-Za-z0-9:_-]{1,20}\Z")),
        )
        for i in range(draw(st.integers(0, 5)))
    ]
    dates = [draw(date_mentions(text, f"d{i}")) for i in range(draw(st.integers(0, 4)))]
    events = []
    for i in range(draw(st.integers(0, 3))):
        et = draw(st.sampled_from(tax.event_types))
        args = []
        for role in et.roles:
            fits = [e.id for e in entities if role.accepts("entity", e.type)]
            fits += [d.id for d in dates if role.accepts("date")]
            if fits and draw(st.booleans()):
                args.append(EventArgument(role=role.name, ref=draw(st.sampled_from(fits))))
        events.append(
            Event(
                id=f"ev{i}",
                type=et.name,
                trigger=Trigger(**draw(spans(text))),
                arguments=args,
                cluster_id=draw(st.none() | st.just(f"cluster-{i}")),
                modality=draw(st.sampled_from(list(Modality))),
                polarity=draw(st.sampled_from(list(Polarity))),
                tense=draw(st.sampled_from(list(Tense))),
            )
        )
    links = []
    if len(dates) >= 2:
        for i in range(draw(st.integers(0, 2))):
            a, b = draw(st.lists(st.sampled_from([d.id for d in dates]), min_size=2, max_size=2, unique=True))
            consistent = draw(st.booleans())
            links.append(
                DateLink(
                    id=f"l{i}",
                    source=a,
                    target=b,
                    consistent=consistent,
                    reason=None if consistent else draw(short_strings),
                )
            )
    return AnnotationSet(
        doc_id=document.id,
        author=author or draw(st.sampled_from(["ali", "زهرا", "مریم\u200cسادات", "date-engine"])),
        author_kind=draw(st.sampled_from(list(AuthorKind))),
        status=draw(st.sampled_from(list(AnnotationStatus))),
        entities=entities,
        dates=dates,
        events=events,
        links=links,
        metadata=draw(metadata),
    )


@st.composite
def documents_with_sets(draw: st.DrawFn) -> tuple[Document, AnnotationSet]:
    """A valid (Document, AnnotationSet) pair."""
    document = draw(documents())
    return document, draw(annotation_sets(document))
