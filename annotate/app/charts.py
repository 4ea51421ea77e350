"""Compact horizontal bar charts (Altair) for agreement figures: one row per record, zero drawn, values written.

Every bar is drawn three times: the bar itself, a tick at its value and the value as text, so a figure of 0
(a bar of no width) still shows as a mark and a "0.00" on its row, never as missing data.  The height follows
the number of rows, so a chart with three labels is three rows high, not a tall empty plot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import altair as alt

__all__ = ["ROW_PX", "bar_chart"]

ROW_PX = 22
"""Height of one bar row in pixels."""


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
    # With a colour, every row keeps a band for each colour value (Vega-Lite's yOffset), used or not.
    per_row = len({r[colour] for r in rows}) if colour else 1
    height = max(len({r[y] for r in rows}) * per_row * ROW_PX, 2 * ROW_PX)
    x = alt.X(f"{value}:Q", scale=alt.Scale(domain=list(domain)), title=value)
    enc: dict[str, Any] = {
        "y": alt.Y(f"{y}:N", sort=None, title=y_title, axis=alt.Axis(labelLimit=260)),
        "tooltip": [alt.Tooltip(f"{k}:N" if k != value else f"{k}:Q", format=".3f" if k == value else "")
                    for k in rows[0] if k != "shown"],
    }
    if colour:
        enc["color"] = alt.Color(f"{colour}:N", legend=alt.Legend(orient="bottom", title=None))
        enc["yOffset"] = alt.YOffset(f"{colour}:N")
    base = alt.Chart(alt.Data(values=rows))  # type: ignore[no-untyped-call]
    bar = base.mark_bar().encode(x=x, **enc)
    tick = base.mark_tick(thickness=3, size=ROW_PX * 0.8).encode(x=x, **enc)
    text = base.mark_text(align="left", dx=6, fontSize=11).encode(
        x=x, y=enc["y"], text="shown:N", **({"yOffset": enc["yOffset"]} if colour else {})
    )
    layers: list[Any] = [bar, tick, text]
    if domain[0] < 0:
        layers.insert(0, alt.Chart(alt.Data(values=[{"zero": 0}])).mark_rule(strokeDash=[3, 3]).encode(  # type: ignore[no-untyped-call]
            x=alt.X("zero:Q", scale=alt.Scale(domain=list(domain)))
        ))
    return cast(alt.LayerChart, alt.layer(*layers).properties(title=title, height=height))
