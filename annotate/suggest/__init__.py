"""Entity and event suggestions that learn from the project's own annotations.

Two suggesters, both offline, both writing pre-annotation sets next to the date engine's:

* the string matcher (:mod:`.matcher`, author ``suggest-strings``): every occurrence of a form the project
  labelled, matched on the normalised view across spelling variants and clitics (:mod:`.forms`), its confidence
  driven by how often the form was labelled, left unlabelled, accepted and rejected;
* the tagger (:mod:`.tagger`, author ``suggest-model``): CRFs over the units of each sentence (:mod:`.features`)
  trained on the gold and submitted sets (:mod:`.training`), kept as versioned models (:mod:`.registry`).

:mod:`.sets` turns their output into annotation sets and shows several suggesters as one; :mod:`.run` stores
them and suggests live in the open document; :mod:`annotate.evaluation.suggesters` scores both on a release.
"""

from ..models import MODEL_AUTHOR, STRINGS_AUTHOR, SUGGESTION_AUTHORS

__all__ = ["MODEL_AUTHOR", "STRINGS_AUTHOR", "SUGGESTION_AUTHORS"]
