"""``annotate dates ...``: the calendar-aware date engine from the command line."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ..errors import InputError


@click.group()
def dates() -> None:
    """Find and normalise dates (Gregorian, Solar Hijri, Lunar Hijri) in fa, prs and ar text."""


@dates.command("extract")
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True, path_type=str))
@click.option("--lang", type=click.Choice(["fa", "prs", "ar"]),
              help="Language of the text (required for a text file or stdin; the fallback for .jsonl lines).")
@click.option("--reference-date", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Document creation date YYYY-MM-DD, to resolve year-less and relative dates.")
@click.option("--jobs", type=click.IntRange(min=0), default=0, show_default=True,
              help="Processes to run the engine in; 0 picks one per CPU for inputs of 2 MB of text or more.")
def extract(path: str, lang: str | None, reference_date: dt.datetime | None, jobs: int) -> None:
    """Print the dates and date links of PATH as JSON Lines.

    PATH is a UTF-8 text file, - for stdin, or a .jsonl file of documents (id, text, lang and optional
    reference_date per line; every output line then carries "doc").  Each output line is a mention
    ({"kind": "mention", "id", "start", "end", "text", "calendar", "lexicon", "granularity", "native",
    "gregorian_start", "gregorian_end", "year_inferred", "relative", "note"}) or a link ({"kind": "link", "id",
    "type", "source", "target", "consistent", "reason"}).

    \b
    Example:
        annotate dates extract article.txt --lang fa --reference-date 2020-02-02
        echo 'في 10 ديسمبر/كانون الأول عام 2017' | annotate dates extract - --lang ar
        annotate dates extract docs.jsonl   # lines: {"id": "d1", "text": "...", "lang": "prs"}
    """
    from ..dates.jsonl import read_input, write_extraction

    source = "<stdin>" if path == "-" else path
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        content = raw.decode("utf-8")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", where=source) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", where=source) from None
    docs = read_input(content, source=source, is_jsonl=path.endswith(".jsonl"), lang=lang,
                      reference_date=reference_date.date() if reference_date else None)
    # Lines go out in blocks: click.echo writes and flushes each line, which costs more than finding its dates.
    write_extraction(docs, sys.stdout, jobs=jobs)
