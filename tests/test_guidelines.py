"""The examples of ``guidelines.md`` checked against what the taxonomy, the models and the date engine say.

The guidelines are read as a person reads them: the entity tables of §3, the trigger examples of §4, the role
table of §4.2, the attribute table of §4.3 and the date tables of §5-§6.  Each example's claim is checked: its type
or role exists, a role's filler type is one the taxonomy allows, a span has no stray space or punctuation, the same
kind of example never puts a word inside a span in one place and outside in another, and every date example's spans
are the date engine's.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotate.dates import extract_dates
from annotate.models import EVENT_ATTRIBUTES, SCHEMA_VERSION, Modality, Tense
from annotate.taxonomy import default_taxonomy

ROOT = Path(__file__).resolve().parent.parent
TEXT = (ROOT / "guidelines.md").read_text(encoding="utf-8")
TAXONOMY = default_taxonomy()
LANGS = ("fa", "prs", "ar")

CODE = re.compile(r"`([^`]+)`")
BRACKET = re.compile(r"\[([^\[\]]+)\]")
TYPE_NOTE = re.compile(r"\(([A-Z]{3}|date)[,)]")
EDGE = " \t\n.,،؛:;!?؟«»“”\"'()"


def section(heading: str) -> str:
    """The text under ``heading`` (a ``##`` or ``###`` line starting so) up to the next heading of its level."""
    lines = TEXT.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    level = len(lines[start]) - len(lines[start].lstrip("#"))
    end = next((i for i in range(start + 1, len(lines))
                if lines[i].startswith("#") and len(lines[i]) - len(lines[i].lstrip("#")) <= level), len(lines))
    return "\n".join(lines[start + 1 : end])


def tables(text: str) -> list[list[list[str]]]:
    """Every Markdown table of ``text`` as rows of cells (header first, the ``|---|`` line dropped)."""
    out: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip()[1:-1].split("|")]
            if not all(set(c) <= {"-", ""} for c in cells):
                current.append(cells)
        elif current:
            out.append(current)
            current = []
    return out


def codes(cell: str) -> list[str]:
    """The code spans of a cell, leaving out those in a bracketed remark (``(not `سردار`)``); brackets inside a
    code span are its text (`امروز (یکشنبه، ۲۴ سرطان)`)."""
    found: list[str] = []
    depth = 0
    for i, part in enumerate(cell.split("`")):
        if i % 2:
            if depth == 0:
                found.append(part)
        else:
            depth = max(0, depth + part.count("(") - part.count(")"))
    return found


def test_the_header_names_the_taxonomy_and_schema_versions_in_use() -> None:
    head = TEXT.split("---", 1)[0]
    assert f"`{TAXONOMY.name}` {TAXONOMY.version}" in head
    assert f"`SCHEMA_VERSION` {SCHEMA_VERSION}" in head


# --- §3 entities ------------------------------------------------------------------------------------------------

def entity_rows() -> Iterator[tuple[str, str, str, str]]:
    """(type, yes|no, language, example) for every example of the §3 type tables."""
    for et in TAXONOMY.entity_types:
        (table,) = tables(section(f"### {et.name} "))
        head = table[0]
        for row in table[1:]:
            for lang, cell in zip(head[1:], row[1:], strict=True):
                for example in codes(cell):
                    yield et.name, row[0], lang, example


ENTITY_ROWS = list(entity_rows())
TITLES = codes(next(r for r in tables(section("### 2.1 "))[0] if r[0] == "titles and ranks")[3])


def test_every_entity_type_has_yes_and_no_examples_in_three_languages() -> None:
    for et in TAXONOMY.entity_types:
        for verdict in ("yes", "no"):
            assert {lang for t, v, lang, _ in ENTITY_ROWS if t == et.name and v == verdict} == set(LANGS), (
                et.name, verdict)


@pytest.mark.parametrize(("type_", "example"), [(t, e) for t, v, _, e in ENTITY_ROWS if v == "yes"])
def test_a_yes_entity_example_is_a_tight_name_without_a_title(type_: str, example: str) -> None:
    assert example == example.strip(EDGE), example
    first = example.split()[0]
    assert first not in TITLES, f"{example!r} starts with the title {first!r} (§2.1: titles are outside)"


def test_the_taxonomy_examples_are_yes_examples_of_their_type_in_the_guidelines() -> None:
    """The taxonomy the app shows and the guidelines agree: its examples are the guidelines' yes examples, and
    nothing the guidelines call a non-example (a description like غرب عراق) is offered as an example."""
    yes = {(t, e) for t, v, _, e in ENTITY_ROWS if v == "yes"}
    no = {e for _, v, _, e in ENTITY_ROWS if v == "no"}
    for et in TAXONOMY.entity_types:
        for example in et.examples:
            name = example.split("→")[-1].strip()
            assert (et.name, name) in yes, (et.name, name)
            assert name not in no, (et.name, name)


def test_metonymy_examples_take_the_type_of_their_row() -> None:
    (table,) = tables(section("### 3.1 "))
    for row in table[1:]:
        types = [t.strip() for t in row[2].split("/")]
        for lang_cell in row[3:]:
            examples = codes(lang_cell)
            assert len(examples) == len(types), row
            for t, example in zip(types, examples, strict=True):
                assert TAXONOMY.has_entity_type(t)
                (name,) = BRACKET.findall(example)
                assert name == name.strip(EDGE)


# --- §4 events --------------------------------------------------------------------------------------------------

def trigger_examples() -> Iterator[tuple[str, str, str]]:
    """(event type, language, example) with the trigger in brackets, from §4, §4.1 and §4.3."""
    body = section("## 4. Events").split("### 4.1", 1)[0]
    for line in re.split(r"\n(?=\* )", body):
        m = re.match(r"\* ([A-Z]+) — (.*)", line, re.S)
        if m:
            for lang_part in re.split(r";|\. (?=ar|fa|prs)", m.group(2)):
                lang = next((x for x in LANGS if lang_part.strip().startswith(x + ":")), "")
                for example in codes(lang_part):
                    if BRACKET.search(example):
                        yield m.group(1), lang, example
    (types_table,) = tables(section("### 4.1 "))
    for row in types_table[1:]:
        type_, verdict = row[0].split()
        if verdict == "yes":
            for lang, cell in zip(LANGS, row[1:], strict=True):
                yield type_, lang, codes(cell)[0]
    cases = next(t for t in tables(section("### 4.3 ")) if t[0][0] == "case")
    for row in cases[1:]:
        for lang, cell in zip(LANGS, row[1:4], strict=True):
            yield row[0].split()[-1], lang, codes(cell)[0]


TRIGGERS = list(trigger_examples())


def test_trigger_examples_are_found() -> None:
    assert len(TRIGGERS) > 60
    assert {t for t, _, _ in TRIGGERS} == set(TAXONOMY.event_names())


@pytest.mark.parametrize(("type_", "lang", "example"), TRIGGERS, ids=[f"{t}-{la}-{i}" for i, (t, la, _) in
                                                                       enumerate(TRIGGERS)])
def test_a_trigger_example_names_a_type_and_marks_one_tight_trigger(type_: str, lang: str, example: str) -> None:
    assert TAXONOMY.event_type(type_) is not None, type_
    (trigger,) = BRACKET.findall(example)
    assert trigger == trigger.strip(EDGE), trigger
    before = example[: example.index("[")]
    if before and not before[-1].isspace():  # a glued prefix left outside: only a conjunction or preposition
        assert before.split()[-1] in {"و", "ف", "ب", "ل", "ك"}, example


def test_no_word_is_inside_a_trigger_in_one_example_and_beside_it_in_another() -> None:
    """The RESUMPTION spans once disagreed (`[دوباره آغاز شده]` in §4, `دوباره [آغاز شد]` in §4.1): a word the
    guidelines put inside one trigger of a type must not stand just outside another trigger of that type."""
    inside: dict[str, set[str]] = defaultdict(set)
    beside: dict[str, set[str]] = defaultdict(set)
    for type_, _, example in TRIGGERS:
        (trigger,) = BRACKET.findall(example)
        words = trigger.split()
        inside[type_].update((words[0], words[-1]))
        left, _, right = example.partition(f"[{trigger}]")
        if left.endswith(" ") and left.split():
            beside[type_].add(left.split()[-1])
        if right.startswith(" ") and right.split():
            beside[type_].add(right.split()[0])
    clashes = {t: sorted(inside[t] & beside[t]) for t in inside if inside[t] & beside[t]}
    assert clashes == {}


def role_of(row: list[str]) -> tuple[str, list[str]]:
    """The role a §4.2 row is about and the event types it names (``all``, ``all but X, Y`` or a list)."""
    m = re.match(r"(\w+) \((.+)\)", row[0])
    assert m, row[0]
    role_name, types = m.group(1), m.group(2)
    every = TAXONOMY.event_names()
    if types == "all":
        return role_name, every
    if types.startswith("all but "):
        left_out = set(types.removeprefix("all but ").split(", "))
        return role_name, [t for t in every if t not in left_out]
    return role_name, types.split(", ")


def role_rows() -> list[list[str]]:
    (table,) = tables(section("### 4.2 "))
    assert table[0][:4] == ["role (types)", *LANGS]
    return table[1:]


@pytest.mark.parametrize("row", role_rows(), ids=lambda r: r[0])
def test_each_role_has_an_example_in_each_language_that_the_taxonomy_allows(row: list[str]) -> None:
    role_name, names = role_of(row)
    event_types = [t for t in TAXONOMY.event_types if t.name in names]
    for lang, cell in zip(LANGS, row[1:4], strict=True):
        (example,) = codes(cell)
        fillers = BRACKET.findall(example)
        assert fillers and all(f == f.strip(EDGE) for f in fillers), (lang, example)
        note = TYPE_NOTE.search(cell.rsplit("`", 1)[-1])
        assert note, f"{row[0]} {lang}: say the filler's type after the example"
        kind, type_ = ("date", None) if note.group(1) == "date" else ("entity", note.group(1))
        for et in event_types:
            role = et.role(role_name)
            assert role is not None and role.accepts(kind, type_), f"{et.name}.{role_name} refuses {note.group(1)}"


def test_every_role_of_every_event_type_has_exactly_one_row() -> None:
    covered = [(t, role) for row in role_rows() for role, names in [role_of(row)] for t in names]
    assert sorted(covered) == sorted((et.name, r.name) for et in TAXONOMY.event_types for r in et.roles)


def test_every_event_type_has_yes_and_no_examples_in_three_languages() -> None:
    (table,) = tables(section("### 4.1 "))
    got = {tuple(r[0].split()): [bool(codes(c)) for c in r[1:4]] for r in table[1:]}
    for et in TAXONOMY.event_types:
        assert got[(et.name, "yes")] == [True] * 3 and got[(et.name, "no")] == [True] * 3, et.name


def test_attribute_examples_use_the_models_values_and_future_goes_with_other() -> None:
    definitions = next(t for t in tables(section("### 4.3 ")) if t[0][0] == "attribute")
    for attribute, value, _ in definitions[1:]:
        for v in codes(value):
            assert v in EVENT_ATTRIBUTES[attribute], (attribute, v)
    assert {a for a, _, _ in definitions[1:]} == set(EVENT_ATTRIBUTES)
    cases = next(t for t in tables(section("### 4.3 ")) if t[0][0] == "case")
    seen: dict[str, set[str]] = defaultdict(set)
    for row in cases[1:]:
        values = dict(zip(EVENT_ATTRIBUTES, row[4].split(" · "), strict=True))
        for name, value in values.items():
            assert value in EVENT_ATTRIBUTES[name], (row[0], name, value)
            seen[name].add(value)
        if values["tense"] == Tense.future:
            assert values["modality"] == Modality.other, row[0]
    assert seen == {name: set(values) for name, values in EVENT_ATTRIBUTES.items()}  # every value is shown
    planned = {r[0].split()[-1] for r in cases[1:] if r[0].startswith("planned")}
    assert planned >= {"ATTACK", "WITHDRAWAL"}  # planned attacks are annotated like planned withdrawals


# --- §5-§6 dates: the engine's spans and values ------------------------------------------------------------------

PERSIAN_ONLY = set("پچژگیک")
ARABIC_ONLY = set("يكةىأإؤ")


def date_langs(example: str) -> tuple[str, ...]:
    """The languages an example is written in: Persian letters say fa, Arabic-only letters or an ``ال`` word say ar;
    a phrase with neither (`سلخ شعبان`) reads the same in both and is tried in both."""
    letters = set(example)
    if letters & PERSIAN_ONLY:
        return ("fa",)
    if letters & ARABIC_ONLY or re.search(r"(?:^|\s)ال", example):
        return ("ar",)
    return ("fa", "ar")


def extent_rows() -> Iterator[tuple[str, list[str]]]:
    """(text, its date spans) for every row of the §5.2 extent table; ``the whole phrase`` means the text itself."""
    (table,) = [t for t in tables(section("### 5.2 ")) if t[0] == ["text", "span(s)"]]
    for source, spans in table[1:]:
        for text in codes(source):
            yield text, [text] if spans.startswith("the whole phrase") else codes(spans)


EXTENTS = list(extent_rows())


def engine_spans(text: str, langs: tuple[str, ...], reference: dt.date | None = None) -> list[list[str]]:
    return [[m.text for m in extract_dates(text, lang, reference).mentions] for lang in langs]


@pytest.mark.parametrize(("text", "spans"), EXTENTS, ids=[t for t, _ in EXTENTS])
def test_a_date_extent_example_is_what_the_engine_marks(text: str, spans: list[str]) -> None:
    assert spans, f"{text}: the §5.2 row names no span"
    assert spans in engine_spans(text, date_langs(text), dt.date(2024, 3, 5)), text


ISO = r"\d{4}-\d{2}(?:-\d{2})?"
EQUALS = re.compile(rf"`([^`]+)`\s*=\s*({ISO})(?:\s*…\s*({ISO}))?")
RESOLVES = re.compile(rf"`([^`]+)`\s*\((\d{{4}}-\d{{2}}-\d{{2}})\)\s*→\s*({ISO})")


def iso_range(value: str) -> tuple[dt.date, dt.date]:
    """``2023-10`` → the month's first and last day; ``2023-10-12`` → that day twice."""
    if value.count("-") == 2:
        day = dt.date.fromisoformat(value)
        return day, day
    year, month = map(int, value.split("-"))
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def value_examples() -> Iterator[tuple[str, dt.date | None, dt.date, dt.date]]:
    """(text, reference date, Gregorian start, end) for every ``text = value`` and ``text (reference) → value``
    written in §5 and §6."""
    body = section("## 5. Dates") + "\n" + section("## 6. Date links")
    for m in EQUALS.finditer(body):
        start, end = iso_range(m.group(2))
        yield m.group(1), None, start, iso_range(m.group(3))[1] if m.group(3) else end
    for m in RESOLVES.finditer(body):
        yield m.group(1), dt.date.fromisoformat(m.group(2)), *iso_range(m.group(3))


VALUES = list(value_examples())


def test_date_value_examples_are_found() -> None:
    assert len(VALUES) >= 8 and any(ref for _, ref, _, _ in VALUES) and any(not ref for _, ref, _, _ in VALUES)


@pytest.mark.parametrize(("text", "reference", "start", "end"), VALUES, ids=[v[0] for v in VALUES])
def test_a_date_value_example_is_what_the_engine_resolves(text: str, reference: dt.date | None, start: dt.date,
                                                          end: dt.date) -> None:
    """The value an example gives is the engine's for the example's date (the mention the example is about: the
    last one, as in ``سيعقد المؤتمر في [20 ديسمبر]``; a part-of-month word before it narrows it, §5.4)."""
    got = [[(m.gregorian_start, m.gregorian_end) for m in extract_dates(text, lang, reference).mentions]
           for lang in date_langs(text)]
    assert any(values and values[-1] == (start, end) for values in got), (text, got)


# --- typed fillers and clitic cuts written in running text ----------------------------------------------------------

FILLER = re.compile(r"\b([a-z]+) (PER|ORG|GPE|LOC|FAC)\s+`([^`]+)`")


def bullet_fillers() -> Iterator[tuple[str, str, str, str]]:
    """(event type, role, entity type, name) for every ``role TYPE `name``` in the §4 bullets
    (``place GPE `ولسوالی چهاربولک```)."""
    body = section("## 4. Events").split("### 4.1", 1)[0]
    for bullet in re.split(r"\n(?=\* )", body):
        m = re.match(r"\* ([A-Z]+) — ", bullet)
        if m:
            for role, type_, name in FILLER.findall(bullet):
                yield m.group(1), role, type_, name


FILLERS = list(bullet_fillers())


def test_typed_fillers_in_the_event_bullets_are_allowed_by_the_taxonomy() -> None:
    assert len(FILLERS) >= 4
    for event, role_name, type_, name in FILLERS:
        et = TAXONOMY.event_type(event)
        assert et is not None, event
        role = et.role(role_name)
        assert role is not None, f"{event} has no role {role_name} ({name})"
        assert role.accepts("entity", type_), f"{event}.{role_name} refuses {type_} ({name})"
        assert name == name.strip(EDGE), name


PREFIX_CLITICS = set("وفبلك")
SUFFIX_CLITICS = {"را", "ها", "ی", "م", "ت", "ش", "مان", "تان", "شان", "ست", "ه", "هم", "نا"}


def clitic_cuts() -> Iterator[tuple[str, str]]:
    """(written, span) for every ``written`` → ``span`` of §2.1 and every ``span`` in ``written`` of its table."""
    body = section("### 2.1 ")
    for m in re.finditer(r"`([^`]+)`\s*→\s*`([^`]+)`", body):
        yield m.group(1), m.group(2)
    (table,) = tables(body)
    for row in table[1:]:
        for m in re.finditer(r"`([^`]+)` in `([^`]+)`", row[2]):
            yield m.group(2), m.group(1)


CUTS = list(clitic_cuts())


@pytest.mark.parametrize(("written", "span"), CUTS, ids=[w for w, _ in CUTS])
def test_a_clitic_example_cuts_only_a_listed_clitic(written: str, span: str) -> None:
    written, span = " ".join(written.split()), " ".join(span.split())
    if written.endswith(span):
        cut = written[: -len(span)]
        assert cut and set(cut) <= PREFIX_CLITICS, (written, span)
    else:
        assert written.startswith(span), (written, span)
        assert written[len(span):].strip().lstrip("\u200c") in SUFFIX_CLITICS, (written, span)


def test_the_clitic_examples_include_lam_with_the_article() -> None:
    assert ("للعراق", "لعراق") in CUTS and len(CUTS) >= 8
