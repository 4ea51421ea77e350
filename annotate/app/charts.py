"""Compact horizontal bar charts (Altair) for agreement figures: one row per record, zero drawn, values written.

Every bar is drawn three times: the bar itself, a tick at its value and the value as text, so a figure of 0
(a bar of no width) still shows as a mark and a "0.00" on its row, never as missing data.  The height follows
the number of rows, so a chart with three labels is three rows high, not a tall empty plot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import altair as alt

__all__ = ["ROW_PX", "TEXT_GREY", "bar_chart"]

ROW_PX = 22
"""Height of one bar row in pixels (two thirds of it for each bar of a group inside a row)."""

TEXT_GREY = "#8a8f98"
"""Colour of the values written beside the bars: readable on the light and the dark theme."""


def bar_chart(
    records: Sequence[Mapping[str, Any]],
    *,
    y: str,
    value: str = "F1",
    colour: str | None = None,
    domain: tuple[float, float] = (0.0, 1.0),
    title: str,
    y_title: str | None = None,
) -> alt.LayerChart | None:
    """A bar per record: ``value`` along x on ``domain``, ``y`` names the row; ``colour`` groups bars inside a row.

    Returns None when there is nothing to draw.  Negative domains (kappa, alpha) get a rule at 0.
    """
    if not records:
        return None
    rows = [dict(r) for r in records]
    for r in rows:
        r["shown"] = f"{r[value]:.2f}"
        r["at"] = max(r[value], 0.0)  # a negative figure is written right of the zero line, not over its bar
    x = alt.X(f"{value}:Q", scale=alt.Scale(domain=list(domain)), title=value, axis=alt.Axis(tickCount=5))
    enc: dict[str, Any] = {
        "y": alt.Y(f"{y}:N", sort=None, title=y_title, axis=alt.Axis(labelLimit=260)),
        "tooltip": [alt.Tooltip(f"{k}:N" if k != value else f"{k}:Q", format=".3f" if k == value else "")
                    for k in rows[0] if k not in ("shown", "at")],
    }
    if colour:
        enc["color"] = alt.Color(f"{colour}:N", legend=alt.Legend(orient="bottom", title=None))
        enc["yOffset"] = alt.YOffset(f"{colour}:N")
    base = alt.Chart(alt.Data(values=rows))  # type: ignore[no-untyped-call]
    bar = base.mark_bar().encode(x=x, **enc)
    tick = base.mark_tick(thickness=3, size=ROW_PX * 0.8).encode(x=x, **enc)
    text = base.mark_text(align="left", dx=6, fontSize=11, color=TEXT_GREY).encode(
        x=alt.X("at:Q", scale=alt.Scale(domain=list(domain))), y=enc["y"], text="shown:N",
        **({"yOffset": enc["yOffset"]} if colour else {})
    )
    layers: list[Any] = [bar, tick, text]
    if domain[0] < 0:
        layers.insert(0, alt.Chart(alt.Data(values=[{"zero": 0}])).mark_rule(strokeDash=[3, 3]).encode(  # type: ignore[no-untyped-call]
            x=alt.X("zero:Q", scale=alt.Scale(domain=list(domain)))
        ))
    # A step, not a total height: every bar gets ROW_PX whatever the number of rows (with a colour, each group
    # of bars inside a row does), so the chart is exactly as tall as its rows.
    step = ROW_PX if not colour else ROW_PX * 2 // 3
    return cast(alt.LayerChart, alt.layer(*layers).properties(title=title, height=alt.Step(step)))
