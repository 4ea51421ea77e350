"""Surface forms of names and event triggers, as the suggesters compare them.

Document text is frozen; the suggesters read its matching view (:class:`annotate.text.view.TextView`: ی/ي, ک/ك,
alef and heh variants and digits folded; tatweel, diacritics and bidi marks dropped; ZWNJ kept) and map every
match back to code points of the frozen text. On top of the view:

* a token's key drops ZWNJ and folds the hamza seats (ئ → ی, ؤ → و); a phrase's key is its tokens' keys run
  together, so ``بین‌المللی``, ``بین المللی`` and ``بینالمللی`` share one key;
* the Arabic article ``ال`` at the start of a phrase is left out of the key (``العراق`` and Persian ``عراق`` are one
  form) but stays inside the span (guidelines §2.1);
* prefix clitics glued to the first word (``و`` or ``ف``, then ``ب``, ``ل`` or ``ک``: ``وبغداد``, ``بالعراق``,
  ``للعراق``) are cut off, and the span starts after them (guidelines §2.1), but only when the whole word is not a
  known form itself (``بلخ`` and ``واشنطن`` begin with a clitic letter);
* for event triggers the verbal prefix ``می`` (``می‌گوید``, ``می گوید``, ``میگوید``) is left out of the key and
  kept in the span.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

from ..text.tokens import tokenize
from ..text.view import TextView, normalize

__all__ = [
    "ARTICLE",
    "GLUED_CLITICS",
    "Layer",
    "Tokenized",
    "clitic_options",
    "form_key",
    "phrase_key",
    "split_clitic",
    "strip_article",
    "token_key",
    "trigger_token_key",
]

Layer = Literal["entity", "event"]
"""What a form names: an entity mention or an event trigger."""

ZWNJ: Final = "\u200c"
ARTICLE: Final = "ال"
VERB_PREFIX: Final = "می"
GLUED_CLITICS: Final[tuple[str, ...]] = ("وب", "ول", "وک", "فب", "فل", "فک", "و", "ف", "ب", "ل", "ک")
"""Prefix clitics written onto the next word, in view spelling (ك is ک there), longest first."""
_CLITIC_LETTERS: Final = frozenset(c[0] for c in GLUED_CLITICS)
_HAMZA_SEATS: Final = str.maketrans({"ئ": "ی", "ؤ": "و"})
_MIN_STEM: Final = 2


def token_key(token: str) -> str:
    """The key of one token of the view: without ZWNJ, hamza seats folded."""
    return token.replace(ZWNJ, "").translate(_HAMZA_SEATS)


def trigger_token_key(token: str) -> str:
    """A token's key for event triggers: :func:`token_key` without the verbal prefix ``می``.

    ``می`` standing alone (``می گوید``) has an empty key; joined to its verb it is dropped when a ZWNJ follows it
    or the verb is long enough not to be another word (``میز`` stays).
    """
    key = token_key(token)
    if key == VERB_PREFIX:
        return ""
    if key.startswith(VERB_PREFIX) and (token.startswith(VERB_PREFIX + ZWNJ) or len(key) > 4):
        return key[len(VERB_PREFIX):]
    return key


def strip_article(key: str) -> str:
    """``key`` without a leading Arabic article, when enough is left to be a word (``العراق`` → ``عراق``)."""
    if key.startswith(ARTICLE) and len(key) - len(ARTICLE) >= 3:
        return key[len(ARTICLE):]
    return key


def phrase_key(token_keys: Sequence[str]) -> str:
    """The key of a phrase from its tokens' keys: run together, without a leading article (decided on the whole
    key, so that the separators between the words, a space, a ZWNJ or none, never change it)."""
    return strip_article("".join(token_keys))


def _key_fn(layer: Layer) -> Callable[[str], str]:
    return trigger_token_key if layer == "event" else token_key


@lru_cache(maxsize=65536)  # the live matcher learns every form of the open set again after each edit
def form_key(text: str, layer: Layer = "entity") -> tuple[str, int]:
    """The key of a labelled span's text, and how many tokens it may take in a text (what the string matcher
    stores): its tokens, plus one for each ZWNJ, which another text may write as a space."""
    view = normalize(text)
    key_of = _key_fn(layer)
    tokens = tokenize(view)
    return phrase_key([key_of(view[s:e]) for s, e in tokens]), len(tokens) + view.count(ZWNJ)


def clitic_options(token: str) -> list[tuple[int, str]]:
    """Ways to read a view token's start: ``(clitic length, the rest)``, the whole token first.

    ``لل`` + a word is ``ل`` + the article whose alef is not written (``للعراق`` = ``ل`` + ``العراق``): the rest is
    then read with its alef put back, so that it finds ``العراق`` and ``عراق``.
    """
    out = [(0, token)]
    if not token or token[0] not in _CLITIC_LETTERS:
        return out
    for clitic in GLUED_CLITICS:
        if token.startswith(clitic) and len(token) - len(clitic) >= _MIN_STEM:
            rest = token[len(clitic):]
            out.append((len(clitic), rest))
            if clitic.endswith("ل") and rest.startswith("ل") and len(rest) > 3:
                out.append((len(clitic), "ا" + rest))
    return out


def split_clitic(token: str, lang: str, count: Callable[[str], int]) -> int:
    """How many leading characters of the view token ``token`` are a glued clitic (0: none); for the tagger.

    ``count`` gives how often a token key was seen in the training text. A clitic is cut when the rest is a word
    seen at least twice and more than twice as often as the whole token (``وبغداد`` → ``و`` + ``بغداد``, while
    ``واشنطن``, ``وزیر`` and ``بسیار`` stay whole), or, in Arabic, when the article follows it (``والعراق``,
    ``بالمدينة``, ``للجيش``; not ``وكالة`` or ``والدة``: a word must follow the article).
    """
    whole = count(token_key(token))
    arabic = lang.split("-")[0] == "ar"
    for clitic in GLUED_CLITICS:
        if not token.startswith(clitic) or len(token) - len(clitic) < 3:
            continue
        rest = token[len(clitic):]
        seen = count(token_key(rest))
        if seen >= 2 and seen > 2 * whole:
            return len(clitic)
        if arabic and ((rest.startswith(ARTICLE) and len(rest) >= 5)
                       or (clitic.endswith("ل") and rest.startswith("ل") and len(rest) >= 4)):
            return len(clitic)
    return 0


@dataclass(frozen=True)
class Tokenized:
    """A frozen text's tokens on its matching view, with their keys, ready for matching and tagging.

    ``spans`` are view offsets; :meth:`original` maps a run of tokens back to the frozen text.
    """

    view: TextView
    spans: list[tuple[int, int]]
    words: list[bool]
    """Whether each token is a word (letters, digits) rather than one punctuation character."""
    breaks: list[bool]
    """Whether a line break separates each token from the one before it (a phrase never crosses one)."""
    keys: list[str]
    trigger_keys: list[str]

    @classmethod
    def of(cls, text: str) -> Tokenized:
        """Tokenize ``text`` (frozen) on its matching view."""
        view = TextView(text)
        vt = view.text
        spans = tokenize(vt)
        words, breaks, keys, tkeys = [], [], [], []
        prev_end = 0
        for s, e in spans:
            tok = vt[s:e]
            words.append(tok[0].isalnum() or len(tok) > 1)
            breaks.append("\n" in vt[prev_end:s])
            keys.append(token_key(tok))
            tkeys.append(trigger_token_key(tok))
            prev_end = e
        return cls(view, spans, words, breaks, keys, tkeys)

    @staticmethod
    @lru_cache(maxsize=16)
    def cached(text: str) -> Tokenized:
        """:meth:`of`, kept for the last texts asked for: the open document's live suggestions are recomputed on
        every edit, its tokens need not be (the result is shared: treat it as read-only, as every caller does)."""
        return Tokenized.of(text)

    def token(self, i: int) -> str:
        """Token ``i`` as written in the view."""
        s, e = self.spans[i]
        return self.view.text[s:e]

    def layer_keys(self, layer: Layer) -> list[str]:
        """The token keys of ``layer`` (triggers leave out ``می``)."""
        return self.trigger_keys if layer == "event" else self.keys

    def original(self, i: int, j: int, skip: int = 0) -> tuple[int, int]:
        """The frozen-text span of tokens ``i..j`` (inclusive), ``skip`` view characters after token ``i``'s start."""
        return self.view.span(self.spans[i][0] + skip, self.spans[j][1])
