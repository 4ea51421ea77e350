"""Canonical ids offered for an entity mention: known ids whose surface forms match its name across scripts
(letter variants, diacritics, ZWNJ and the Arabic article folded on a matching view that is never stored)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..text.view import normalize as normalize_view

__all__ = ["CanonicalSuggestion", "canonical_id_suggestions", "match_key"]

_FOLD = str.maketrans(
    {
        "ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
        "ؤ": "و", "\u0640": None, "\u200c": None, "\u200d": None, "\u200e": None, "\u200f": None,
        "\u061c": None, "«": " ", "»": " ", "“": " ", "”": " ", '"': " ", "-": " ", "_": " ", "،": " ",
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        **{chr(0x0660 + i): str(i) for i in range(10)},
    }
)
_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_SPACES = re.compile(r"\s+")


def _fold(name: str) -> str:
    return _MARKS.sub("", unicodedata.normalize("NFC", name)).translate(_FOLD).casefold()


def _strip_article(folded: str) -> str:
    return " ".join(w[2:] if w.startswith("ال") and len(w) > 3 else w for w in _SPACES.split(folded) if w)


def match_key(name: str) -> str:
    """The form names are compared in for canonical-id suggestions (never stored, never shown).

    Folds Arabic/Persian letter variants (ي/ی, ك/ک, أ/ا, ة/ه), drops diacritics, tatweel, ZWNJ and bidi marks,
    maps digits to ASCII and strips the Arabic article ال from each word, on top of the date engine's matching
    view (:func:`annotate.text.view.normalize`) so that both features fold letters alike.
    """
    return _strip_article(_folded(name))


def _folded(name: str) -> str:
    # ZWNJ joins the parts of one word: drop it before anything turns it into a word break.
    return _fold(normalize_view(name.replace("\u200c", "")))


@dataclass(frozen=True)
class CanonicalSuggestion:
    """A canonical id offered for a mention, with how well a known surface form matched."""

    canonical_id: str
    score: float
    matched: str


def canonical_id_suggestions(
    name: str, known: Mapping[str, Iterable[str]], *, limit: int = 5
) -> list[CanonicalSuggestion]:
    """Canonical ids whose surface forms match ``name`` across scripts, best first.

    ``known`` maps each canonical id to the surface forms already used with it.  Score 1.0: same match key;
    0.9: same words in another order or written together (ZWNJ / space); 0.6: one contains the other as whole
    words.  Ties are broken by id, so the order is stable.
    """
    key = match_key(name)
    if not key:
        return []
    words = set(key.split())
    loose = _folded(name).replace(" ", "")
    best: dict[str, CanonicalSuggestion] = {}
    for cid, forms in known.items():
        for form in forms:
            fkey = match_key(form)
            if not fkey:
                continue
            fwords = set(fkey.split())
            if fkey == key:
                score = 1.0
            elif fwords == words or _folded(form).replace(" ", "") == loose:
                score = 0.9
            elif words <= fwords or fwords <= words:
                score = 0.6
            else:
                continue
            if cid not in best or score > best[cid].score:
                best[cid] = CanonicalSuggestion(cid, score, form)
    return sorted(best.values(), key=lambda s: (-s.score, s.canonical_id))[:limit]
