"""Colours of the labeler: one per entity type, event type and dates, in a light and a dark variant.

A taxonomy gives each type one colour, meant for a light page (``EntityType.color``, ``EventType.color``,
``Taxonomy.date_color``); event types without one get a colour from :data:`EVENT_PALETTE` by position.  From that
colour this module derives what the browser draws in each theme, so that any project's colours stay readable:

* ``bg``: the mark's background.  Light theme: the taxonomy colour, lightened if needed; dark theme: the same hue
  (OKLCH) darkened, lighter taxonomy colours staying lighter, so the ordering the taxonomy chose survives.
* ``fg``: the text on it, :data:`TEXT` of the theme.  ``bg`` is moved in lightness until ``fg`` on ``bg`` reaches
  :data:`MIN_CONTRAST` (WCAG 2 contrast ratio; 4.5:1 is the AA minimum for body text).
* ``line``: the same hue, strong: the underline of a suggestion, the bar under an event trigger, the arcs.  At
  least 3:1 against the theme's page background (WCAG non-text contrast).

OKLCH (Björn Ottosson's OKLab in polar form) is used because equal steps in it look equal, so hue and lightness can
be changed one at a time without the colour drifting.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Final, Literal

__all__ = [
    "EVENT_PALETTE",
    "MIN_CONTRAST",
    "PAGE",
    "TEXT",
    "Theme",
    "contrast",
    "distance",
    "theme_colors",
]

Theme = Literal["light", "dark"]

TEXT: Final[dict[Theme, str]] = {"light": "#1b1d26", "dark": "#f4f5f8"}
"""Text drawn on a mark, per theme."""
PAGE: Final[dict[Theme, str]] = {"light": "#ffffff", "dark": "#0e1117"}
"""Streamlit's page background per theme (its built-in light and dark themes)."""
MIN_CONTRAST: Final = 6.0
"""What this module aims for between a mark's text and its background (the tests require at least 4.5)."""
LINE_CONTRAST: Final = 3.0

EVENT_PALETTE: Final = (
    "#ffb2bd", "#f39762", "#ebc75e", "#96c166", "#63e6be", "#0ec7de", "#a2cfff", "#b0a2fe", "#faabf3",
)
"""Light-theme colours for event types that name none, in taxonomy order: nine hues 40° apart in OKLCH, lightness
alternating between neighbours so that they stay apart in the dark theme too."""


def _lin(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _gamma(c: float) -> float:
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def _rgb(hex_color: str) -> tuple[float, float, float]:
    h = hex_color.lstrip("#")
    return int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(min(1.0, max(0.0, c)) * 255):02x}" for c in rgb)


def luminance(hex_color: str) -> float:
    """WCAG 2 relative luminance of an ``#rrggbb`` colour."""
    r, g, b = (_lin(c) for c in _rgb(hex_color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _oklab(hex_color: str) -> tuple[float, float, float]:
    r, g, b = (_lin(c) for c in _rgb(hex_color))
    l_ = (0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b) ** (1 / 3)
    m_ = (0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b) ** (1 / 3)
    s_ = (0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b) ** (1 / 3)
    return (
        0.2104542553 * l_ + 0.7936177850 * m_ - 0.0040720468 * s_,
        1.9779984951 * l_ - 2.4285922050 * m_ + 0.4505937099 * s_,
        0.0259040371 * l_ + 0.7827717662 * m_ - 0.8086757660 * s_,
    )


def _oklch(hex_color: str) -> tuple[float, float, float]:
    lightness, a, b = _oklab(hex_color)
    return lightness, math.hypot(a, b), math.degrees(math.atan2(b, a)) % 360


def _from_oklch(lightness: float, chroma: float, hue: float) -> str:
    """The sRGB colour nearest to OKLCH ``(lightness, chroma, hue)``: chroma is reduced until it fits the gamut."""
    while True:
        a, b = chroma * math.cos(math.radians(hue)), chroma * math.sin(math.radians(hue))
        l_ = (lightness + 0.3963377774 * a + 0.2158037573 * b) ** 3
        m_ = (lightness - 0.1055613458 * a - 0.0638541728 * b) ** 3
        s_ = (lightness - 0.0894841775 * a - 1.2914855480 * b) ** 3
        rgb = (
            4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_,
            -1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_,
            -0.0041960863 * l_ - 0.7034186147 * m_ + 1.7076147010 * s_,
        )
        if chroma <= 0 or all(-1e-6 <= c <= 1 + 1e-6 for c in rgb):
            return _hex((_gamma(max(0.0, min(1.0, rgb[0]))), _gamma(max(0.0, min(1.0, rgb[1]))),
                         _gamma(max(0.0, min(1.0, rgb[2])))))
        chroma = max(0.0, chroma - 0.002)


def distance(a: str, b: str) -> float:
    """How far apart two colours look: Euclidean distance in OKLab, times 100 (about 2 is just noticeable)."""
    return 100 * math.dist(_oklab(a), _oklab(b))


def _until(lightness: float, chroma: float, hue: float, step: float, ok: str, ratio: float) -> str:
    """Move ``lightness`` by ``step`` until the colour has ``ratio`` contrast against ``ok`` (or hits 0 or 1)."""
    lightness = min(1.0, max(0.0, lightness))
    color = _from_oklch(lightness, chroma, hue)
    while contrast(color, ok) < ratio and 0.0 <= lightness + step <= 1.0:
        lightness += step
        color = _from_oklch(lightness, chroma, hue)
    return color


def theme_colors(base: str) -> dict[Theme, dict[str, str]]:
    """``bg``, ``fg`` and ``line`` of a type whose taxonomy colour is ``base``, for the light and the dark theme."""
    light, dark = _theme_colors(base.lower())
    return {"light": dict(light), "dark": dict(dark)}


@cache
def _theme_colors(base: str) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    lightness, chroma, hue = _oklch(base)
    light_bg = base if contrast(base, TEXT["light"]) >= MIN_CONTRAST else _until(
        lightness, chroma, hue, 0.01, TEXT["light"], MIN_CONTRAST)
    # Dark: lightness mapped down monotonically (0.91 -> 0.47, 0.76 -> 0.33), chroma kept in a readable band.
    dark_l = 0.47 - (0.91 - min(lightness, 0.95)) * 0.95
    dark_c = min(max(chroma, 0.07), 0.13)
    dark_bg = _until(dark_l, dark_c, hue, -0.01, TEXT["dark"], MIN_CONTRAST)
    strong_c = max(chroma, 0.12)
    return (
        (("bg", light_bg), ("fg", TEXT["light"]),
         ("line", _until(0.55, strong_c, hue, -0.01, PAGE["light"], LINE_CONTRAST + 1))),
        (("bg", dark_bg), ("fg", TEXT["dark"]),
         ("line", _until(0.80, strong_c, hue, 0.01, PAGE["dark"], LINE_CONTRAST + 1))),
    )
