"""``annotate dates ...``: the calendar-aware date engine from the command line."""

from __future__ import annotations

import click


@click.group()
def dates() -> None:
    """Find and normalise dates (Gregorian, Solar Hijri, Lunar Hijri) in fa, prs and ar text."""
