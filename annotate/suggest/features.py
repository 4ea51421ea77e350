"""What the tagger sees: a document cut into sentences of units, and the features of each unit.

A *unit* is a token of the matching view (:class:`annotate.suggest.forms.Tokenized`), with a glued clitic cut off
as a unit of its own (:func:`annotate.suggest.forms.split_clitic`; in training also wherever a labelled span
starts or ends inside a token), so that ``وبغداد`` is ``و`` + ``بغداد`` and the name's span starts after the clitic.
A sentence ends after ``.`` ``!`` ``?`` ``؟`` ``؛`` ``۔`` and at line breaks.

Features of a unit (strings, as CRFsuite takes them): its key and article-free key, the key without ``می``,
prefixes and suffixes, digits and shape, whether it is a clitic or has the article or a ZWNJ, the document's
language, the string matcher's tag for it (``g=B-GPE``: the gazetteer), and the keys, suffixes and gazetteer tags
of its neighbours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from ..text.sentences import TERMINALS
from .forms import ARTICLE, GLUED_CLITICS, Layer, Tokenized, split_clitic, strip_article, token_key, trigger_token_key
from .matcher import Match

__all__ = ["FEATURE_VERSION", "Unit", "gazetteer_tags", "sentence_features", "sentences"]

FEATURE_VERSION: Final = "1"
"""Changes when the features change: a model is only used with the features it was trained on."""
_LATIN: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


@dataclass(frozen=True)
class Unit:
    """One tagging unit: its span in the frozen text, its view text and keys, and whether it is a clitic."""

    start: int
    end: int
    view: str
    key: str
    trigger_key: str
    clitic: bool
    word: bool


def _pieces(tokens: Tokenized, i: int, lang: str, count: Callable[[str], int],
            cuts: set[int]) -> list[tuple[int, int, bool]]:
    """Token ``i`` as view pieces ``(start, end, is_clitic)``: the clitic cut off, and cut at ``cuts``."""
    s, e = tokens.spans[i]
    tok = tokens.view.text[s:e]
    k = split_clitic(tok, lang, count) if tokens.words[i] else 0
    pieces = [(s, s + k, True), (s + k, e, False)] if k else [(s, e, False)]
    if not cuts:
        return pieces
    out: list[tuple[int, int, bool]] = []
    for ps, pe, clitic in pieces:
        start = ps
        for p in range(ps + 1, pe):
            if tokens.view.start(p) in cuts:
                piece = tokens.view.text[start:p]
                out.append((start, p, clitic or piece in GLUED_CLITICS))
                start = p
        out.append((start, pe, clitic))
    return out


def sentences(tokens: Tokenized, lang: str, count: Callable[[str], int],
              cuts: Iterable[int] = ()) -> list[list[Unit]]:
    """The document's sentences of units (``cuts``: frozen-text offsets where units must break, e.g. the
    boundaries of labelled spans when training)."""
    cut_set = set(cuts)
    out: list[list[Unit]] = []
    current: list[Unit] = []
    view = tokens.view
    for i in range(len(tokens.spans)):
        if tokens.breaks[i] and current:
            out.append(current)
            current = []
        for ps, pe, clitic in _pieces(tokens, i, lang, count, cut_set):
            text = view.text[ps:pe]
            start, end = view.span(ps, pe)
            current.append(Unit(start, end, text, token_key(text), trigger_token_key(text), clitic,
                                tokens.words[i]))
        if not tokens.words[i] and tokens.token(i) in TERMINALS:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def gazetteer_tags(units: Sequence[Unit], matches: Sequence[Match], layer: Layer) -> list[str | None]:
    """The string matcher's BIO tag for each unit (``B-GPE``, ``I-GPE``, or None) from its ``matches``."""
    tags: list[str | None] = [None] * len(units)
    spans = sorted((m.start, m.end, m.type) for m in matches if m.layer == layer)
    j = 0
    for i, u in enumerate(units):
        while j < len(spans) and spans[j][1] <= u.start:
            j += 1
        if j < len(spans) and spans[j][0] <= u.start and u.end <= spans[j][1]:
            tags[i] = ("B-" if u.start == spans[j][0] else "I-") + spans[j][2]
    return tags


def _shape(u: Unit) -> list[str]:
    out = []
    k = u.key
    if not u.word:
        return [f"punct={k}"]
    if k.isdigit():
        out.append("digits")
    elif any(c.isdigit() for c in k):
        out.append("hasdigit")
    if any(c in _LATIN for c in k):
        out.append("latin")
    n = len(k)
    out.append("len=" + ("1" if n == 1 else "2" if n == 2 else "3" if n == 3 else "4-5" if n <= 5 else
                         "6-8" if n <= 8 else "9+"))
    if u.clitic:
        out.append("clitic")
    if k.startswith(ARTICLE) and len(k) > 4:
        out.append("article")
    if "\u200c" in u.view:
        out.append("zwnj")
    if u.trigger_key != k:
        out.append("mi")
    return out


def _unit_features(u: Unit) -> tuple[list[str], str, str]:
    """The unit's own features, plus its key and article-free key's 3-letter suffix for the neighbours."""
    stem = strip_article(u.key)
    feats = ["bias", f"w={u.key}", *_shape(u)]
    if stem != u.key:
        feats.append(f"stem={stem}")
    if u.trigger_key != u.key:
        feats.append(f"verb={u.trigger_key}")
    if u.word and len(stem) > 2:
        feats += [f"p2={stem[:2]}", f"p3={stem[:3]}", f"s2={stem[-2:]}", f"s3={stem[-3:]}"]
        if len(stem) > 4:
            feats.append(f"s4={stem[-4:]}")
    return feats, u.key, stem[-3:]


def sentence_features(units: Sequence[Unit], lang: str, gaz: Mapping[str, Sequence[str | None]]
                      ) -> list[list[str]]:
    """CRFsuite features of each unit of one sentence; ``gaz`` maps a feature prefix (``g``, ``gv``) to the
    string matcher's tags of the sentence's units for one layer."""
    own = [_unit_features(u) for u in units]
    n = len(units)
    lang_f = f"lang={lang.split('-')[0]}"
    out: list[list[str]] = []
    for i in range(n):
        feats = [*own[i][0], lang_f]
        for name, tags in gaz.items():
            if tags[i] is not None:
                feats.append(f"{name}={tags[i]}")
                feats.append(f"{name}")
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                feats.append(f"{d}:w={own[j][1]}")
                if abs(d) == 1:
                    feats.append(f"{d}:s3={own[j][2]}")
                    for name, tags in gaz.items():
                        if tags[j] is not None:
                            feats.append(f"{d}:{name}={tags[j]}")
                    if units[j].clitic:
                        feats.append(f"{d}:clitic={units[j].key}")
            elif abs(d) == 1:
                feats.append("BOS" if d < 0 else "EOS")
        if i > 0:
            feats.append(f"-1|0={own[i - 1][1]}|{own[i][1]}")
        if i + 1 < n:
            feats.append(f"0|1={own[i][1]}|{own[i + 1][1]}")
        out.append(feats)
    return out
