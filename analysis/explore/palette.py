"""One set of colours for the whole app, so a colour means the same thing on every page.

Bias ratings follow the convention of bias-rating services (AllSides, Ad Fontes): left blue, center
purple, right red, with lighter shades for "lean" ratings and grey for outlets without a rating.
Outlets get a colour by their rank in the whole store (biggest first), never by their position in
one chart, so CNN is the same colour on the Overview, Outlets and Trends pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import plotly.express as px

from analysis.store import Database

UNKNOWN = "#9e9e9e"
OTHER = "#c8c8c8"
BIAS = {
    "left": "#1f5fae",
    "lean left": "#6fa8dc",
    "center": "#7e57c2",
    "lean right": "#e8837c",
    "right": "#c62828",
    "mixed": "#8d6e63",
}
# Outlet colours: qualitative, colour-blind-safe first, none of them grey; then more.
_OUTLET_COLORS = [
    c
    for c in px.colors.qualitative.Safe + px.colors.qualitative.Dark24 + px.colors.qualitative.Light24
    if c.lower() not in ("#888888", "#778aae", "#b68100")
]


def bias_key(rating: object) -> str:
    """A bias rating normalised for lookup ("Lean Left" -> "lean left"); "" when unrated."""
    text = str(rating or "").strip().lower().replace("-", " ").replace("_", " ")
    return "" if text in ("", "unknown", "none", "nan", "unrated") else text


def bias_color(rating: object) -> str:
    """The colour of a bias rating (grey when unrated or unknown)."""
    return BIAS.get(bias_key(rating), UNKNOWN)


def bias_colors(ratings: Iterable[object]) -> dict[str, str]:
    """Colour of each rating as written (for plotly's color_discrete_map)."""
    return {str(r): bias_color(r) for r in ratings}


def bias_order(ratings: Iterable[object]) -> list[str]:
    """Ratings from left to right, then unrated."""
    rank = {k: i for i, k in enumerate(["left", "lean left", "center", "lean right", "right", "mixed"])}
    return sorted({str(r) for r in ratings}, key=lambda r: (rank.get(bias_key(r), 99), r))


def outlet_colors(outlets_by_size: Sequence[str]) -> dict[str, str]:
    """Colour of every outlet of the store, by its rank (the same on every chart); "Other outlets" grey."""
    out = {o: _OUTLET_COLORS[i % len(_OUTLET_COLORS)] for i, o in enumerate(outlets_by_size)}
    out["Other outlets"] = OTHER
    return out


def with_alpha(color: str, alpha: float) -> str:
    """A hex or rgb() colour as rgba() with the given opacity (for confidence bands)."""
    c = color.strip()
    if c.startswith("#") and len(c) == 7:
        r, g, b = (int(c[i : i + 2], 16) for i in (1, 3, 5))
    elif c.startswith("rgb"):
        r, g, b = (int(float(x)) for x in c[c.index("(") + 1 : c.index(")")].split(",")[:3])
    else:
        return c
    return f"rgba({r}, {g}, {b}, {alpha})"


def app_colors(store: Database) -> dict[str, dict[str, str]]:
    """The app's colours for a store: each outlet by its rank in the store, each bias rating by convention."""
    from analysis.explore.corpus import outlet_groups

    ratings = outlet_groups(store)["bias"]
    return {
        "outlet": outlet_colors(store.articles.outlet_names()),
        "bias": {**bias_colors(ratings), "unknown": UNKNOWN},
    }
