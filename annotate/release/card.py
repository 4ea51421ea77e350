"""The dataset card (``README.md``) of an export: the YAML header the Hub and ``datasets`` read, and the body.

The header is built with :class:`huggingface_hub.DatasetCardData` and parsed back with
:class:`huggingface_hub.DatasetCard` before it is written. ``language_details`` is a list of BCP-47 tags (the Hub's
card template: ``language_details: [fr-FR, en-US]``); ``dataset_info`` carries every config's splits with their row
counts, in-memory Arrow sizes (``num_bytes``) and file sizes (``download_size``); every entry of ``configs`` names the
release version, so the ``DatasetInfo.version`` of a loaded split is the release version.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from datasets import DatasetInfo, Features, SplitDict, SplitInfo
from datasets.info import DatasetInfosDict
from huggingface_hub import DatasetCard, DatasetCardData

from ..models import EVENT_ATTRIBUTES
from ..taxonomy import Taxonomy
from .export import CONTEXT_CHARS, DATE_RANGE_CONVENTION, TAXONOMY_FILE, ExportStats, bio_labels
from .layout import DEFAULT_CONFIG, data_file
from .manifest import ReleaseManifest
from .versions import SPLITS

LANGUAGES = ("fa", "prs", "ar")
"""Card order of the languages the product is for."""
BCP47 = {"fa": "fa-IR", "prs": "prs-AF", "ar": "ar"}
"""BCP-47 tag of each language as the corpus uses it: Iranian Persian, Dari of Afghanistan, Arabic (all regions)."""


def _size_category(n: int) -> str:
    for limit, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                         (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M")):
        if n < limit:
            return label
    return "10M<n<100M"


def pretty_name(name: str, hub_repo: str | None) -> str:
    """The card's ``pretty_name``: the repository's name when publishing to one, else the dataset name."""
    return hub_repo.split("/", 1)[1] if hub_repo else name


def card_languages(stats: ExportStats) -> list[str]:
    """Languages of the exported documents, product languages first."""
    present = set(stats.documents_by_lang)
    return [x for x in LANGUAGES if x in present] + sorted(present - set(LANGUAGES))


def dataset_card(
    manifest: ReleaseManifest,
    stats: ExportStats,
    features: Mapping[str, Features],
    *,
    name: str,
    license: str,
    agreement: Mapping[str, Any] | None,
    hub_repo: str | None,
    taxonomy: Taxonomy,
) -> str:
    """The dataset card ``README.md`` (YAML header the Hub and ``datasets`` read, and the body)."""
    version = manifest.version
    present = stats.present()
    infos = DatasetInfosDict(
        {
            config: DatasetInfo(
                config_name=config,
                features=features[config],
                splits=SplitDict({s: SplitInfo(name=s, num_examples=stats.rows[config][s],
                                               num_bytes=stats.num_bytes[config][s]) for s in splits}),
                download_size=sum(stats.file_bytes[data_file(config, s)] for s in splits),
                dataset_size=sum(stats.num_bytes[config][s] for s in splits),
            )
            for config, splits in present.items()
        }
    )
    langs = card_languages(stats)
    data = DatasetCardData(
        language=langs,
        license=license,
        pretty_name=pretty_name(name, hub_repo),
        task_categories=["token-classification", "text-generation"],
        task_ids=["named-entity-recognition"],
        tags=["event-extraction", "temporal-expression-normalization", "calendar-conversion", "persian", "dari",
              "arabic", "news"],
        annotations_creators=["expert-generated"],
        language_creators=["found"],
        multilinguality="multilingual" if len(langs) > 1 else "monolingual",
        size_categories=[_size_category(len(manifest.documents))],
        source_datasets=["original"],
        language_details=[BCP47.get(x, x) for x in langs],
        configs=[
            {"config_name": c, "version": version,
             "data_files": [{"split": s, "path": data_file(c, s)} for s in splits],
             **({"default": True} if c == DEFAULT_CONFIG else {})}
            for c, splits in present.items()
        ],
        dataset_version=version,
        schema_version=manifest.schema_version,
        guideline_version=manifest.guideline_version,
    )
    infos.to_dataset_card_data(data)
    header = data.to_yaml()
    body = _card_body(manifest, stats, name=name, license=license, agreement=agreement, hub_repo=hub_repo,
                      taxonomy=taxonomy)
    text = f"---\n{header}\n---\n\n{body}"
    DatasetCard(text)  # parses the header back; raises on malformed YAML
    return text


def _table(head: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(x) for x in r) + " |" for r in rows]
    return "\n".join(lines)


def _values(attribute: str) -> str:
    """``asserted`` or ``other``: the values of an event attribute, in order, as the card lists them."""
    values = [f"`{v}`" for v in EVENT_ATTRIBUTES[attribute]]
    return ", ".join(values[:-1]) + f" or {values[-1]}"


def _card_body(
    manifest: ReleaseManifest,
    stats: ExportStats,
    *,
    name: str,
    license: str,
    agreement: Mapping[str, Any] | None,
    hub_repo: str | None,
    taxonomy: Taxonomy,
) -> str:
    from .harness import eval_split, task_name

    version = manifest.version
    langs = sorted(stats.documents_by_lang)
    layer_rows = [
        [lang, stats.documents_by_lang[lang], *(stats.layer_by_lang[lang][k] for k in
                                                 ("entities", "dates", "events", "arguments", "date_links"))]
        for lang in langs
    ]
    attribute_rows = [[name, value, stats.event_attributes.get(name, Counter())[value]]
                      for name, values in EVENT_ATTRIBUTES.items() for value in values]
    calendars = sorted(stats.calendars)
    cal_rows = [[lang, *(stats.calendars_by_lang.get(lang, Counter())[c] for c in calendars)] for lang in langs]
    split_rows = [[c, *(stats.rows[c][s] for s, _ in SPLITS)] for c in stats.rows]
    missing = [c for c in stats.rows if c not in stats.present()]
    missing_text = (f"\n\nConfigs without any row in this version (not loadable): {', '.join(missing)}. "
                    "Splits without rows are left out of `configs`." if missing else
                    "\n\nSplits without rows are left out of `configs`.")
    if agreement:
        agreement_text = _table(["measure", "value"], [[k, v] for k, v in sorted(agreement.items())])
    else:
        agreement_text = "No inter-annotator agreement figures were computed for this release."
    repo = hub_repo or "ORG/NAME"
    task = task_name(name)
    dates_splits = stats.present().get("dates", [])
    split = eval_split(dates_splits)
    optional = ""
    if "annotations" in stats.rows:
        optional += ("\n- `annotations`: every annotator's annotation set as frozen in the release, one row per "
                     "document and annotator, with `author`, `status` (in_progress, submitted, withdrawn), "
                     "`revision`, `created_at` and `updated_at` and the same layers as `documents`.")
    if "suggestions" in stats.rows:
        optional += ("\n- `suggestions`: the date engine's pre-annotations (`author_kind` engine), same columns as "
                     "`annotations`; what annotators started from.")
    hub_task = (f"\n`lm_eval/{task}_hub.yaml` is the same task reading `{hub_repo}` at `v{version}` from the Hub."
                if hub_repo else "")
    return f"""# {name} {version}

Gold annotations of Persian (fa), Dari (prs) and Arabic (ar) news: named entities, events with argument roles,
date mentions normalised from the Gregorian, Solar Hijri and Lunar Hijri calendars to Gregorian ranges, and
same-date links between equivalent dates.

- dataset version **{version}** (sha256 `{manifest.version_sha256}`), released {manifest.created_at}
- annotation guidelines version **{manifest.guideline_version}**; schema version {manifest.schema_version};
  taxonomy `{taxonomy.name}` {taxonomy.version} (`{TAXONOMY_FILE}`); exported by annotate {manifest.engine_version}
- character offsets: {manifest.offsets}, into `text` exactly as published (no Unicode normalisation; ZWNJ kept)
- dates: `gregorian_start`, `gregorian_end` and `reference_date` are `date32`; {DATE_RANGE_CONVENTION}

## Licence

The annotations (entity, event, date and link layers, sentence and token segmentation, the configs and this card)
are released under **{license}**. The licence does not cover the news texts: every document's `text`, `title` and
`url` stay the property of their publishers (`publisher`), who keep all their rights. They are included so that
the offsets can be used; reuse of the texts themselves is subject to their publishers' terms.

## Loading

```python
from datasets import load_dataset
docs = load_dataset("{repo}", revision="v{version}")                 # config "documents" (default)
dates = load_dataset("{repo}", "dates", revision="v{version}")
```

Needs `datasets>=4` (the features use `List`). A local copy loads with `load_dataset("path/to/this/directory")`
(or `load_dataset("path/to/this/directory", "dates", split="{split or 'train'}")`), offline.

## Configs

Nested fields never reuse a top-level name: a mention's id is `mention_id`, an event's `event_id`, a link's
`link_id`, and the words of a mention are `surface`.

- `documents` (default): one row per document with `entities`, `dates`, `events` (with `arguments` whose `ref` is a
  `mention_id`) and `date_links`; `metadata` and `gold_metadata` are JSON strings. Each event also says how the
  text presents it, after ACE 2005 (guidelines §4.3): `modality` ({_values("modality")}), `polarity`
  ({_values("polarity")}) and `tense` ({_values("tense")}); a planned or demanded event is in the data with
  modality `other`, a negated or denied one with polarity `negative`.
- `dates`: one row per date mention with {CONTEXT_CHARS} code points of context either side (`marked_context` wraps
  the mention in `[[...]]`), calendar, month-name set (`lexicon`), native date, span and Gregorian range; `answer`
  is the Gregorian date `YYYY-MM-DD`, or `START/END` (both inclusive) for a longer range, empty when unresolved.
- `date_pairs`: one row per same-date link, with both mentions and whether they agree.
- `entities`: one row per sentence, for token classification: `start`/`end` of the sentence and
  `token_starts`/`token_ends` are offsets into the document's `text`; IOB2 `ner_tags`. Sentences end at line
  breaks and after `.` `!` `?` `؟` `؛` `۔` followed by a space (never inside a number, a date or an entity).
  Tokens are runs of letters, marks, digits, ZWNJ and tatweel or single punctuation marks, also cut at entity
  boundaries (so a clitic written onto a name, e.g. و+بغداد, is its own `O` token). {stats.tokens.dropped_overlapping}
  overlapping entities could not be written as BIO tags and are only in `documents`. Tag set (append-only; also
  in the Parquet schema metadata, key `annotate`): {', '.join(bio_labels(taxonomy))}.{optional}

Entity types: {', '.join(taxonomy.entity_names()) or 'none'}. Event types and their roles are in `{TAXONOMY_FILE}`.
Splits are fixed per document (a document never moves split between versions) and stratified by language
(80/10/10); a language with at least 3 documents has a test document.

## Statistics

Rows per config and split ({stats.sentences} sentences in `entities`):

{_table(["config", *(s for s, _ in SPLITS)], split_rows)}{missing_text}

Annotations per language and layer:

{_table(["language", "documents", "entities", "dates", "events", "arguments", "date links"], layer_rows)}

Events per attribute value:

{_table(["attribute", "value", "events"], attribute_rows)}

Date mentions per language and calendar:

{_table(["language", *calendars], cal_rows) if calendars else "No date mentions."}

## Agreement

{agreement_text}

## Evaluation

`lm_eval/{task}.yaml` is an lm-evaluation-harness task over the `dates` config ({split or 'no'} split) of this
directory; it finds its data beside itself (`lm_eval/dataset.py`), so it runs offline, from any working directory
and after the directory is moved:

```bash
HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1 lm_eval run --model MODEL --tasks {task} --include_path lm_eval \\
    --output_path results --log_samples
```
{hub_task}
The model reads the context with the date marked `[[...]]` and answers its Gregorian date; scored by exact match
after `remove_whitespace`. `annotate eval --gold DIR --pred results/.../samples_{task}_*.jsonl` scores the logged
answers per language and calendar; it also scores whole predictions (entities strict/exact/partial/type, events,
dates TempEval-3 strict and relaxed span F1 with value accuracy, links).

## Citation

```bibtex
@misc{{{name.replace('-', '_')}_{version.replace('.', '_')},
  title = {{{name}: gold entities, events and calendar-aware dates in Persian, Dari and Arabic news}},
  note = {{Version {version}}},
  year = {{{manifest.created_at[:4]}}}
}}
```
"""
