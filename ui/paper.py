"""Charts ready for a paper: the selection and the measure on the figure itself (so its PNG carries them), and a
legend laid out under the plot that neither squeezes it nor falls outside the exported image."""

from __future__ import annotations

import plotly.graph_objects as go

LEGEND_CHARS = 60  # legend entries are laid out as if no label were longer than this (longer ones wrap the row)


def for_paper(fig: go.Figure, about: str = "") -> go.Figure:
    """A figure ready to be exported: the selection and measure (`about`) as a subtitle, part of the image; the
    legend laid out in rows under the plot, with the figure grown to hold it, so a long label never squeezes the
    plot and the PNG holds the whole legend."""
    title = fig.layout.title.text or ""
    about = _inert(about)
    if about:
        fig.update_layout(
            title={"text": title, "subtitle": {"text": _wrap(about), "font": {"size": 11}}},
            margin={"t": 90 + 14 * _wrap(about).count("<br>")},
        )
    named = [t for t in fig.data if getattr(t, "showlegend", None) is not False and getattr(t, "name", None)]
    if len(named) < 2 or fig.layout.showlegend is False:
        return fig
    for t in named:
        t.update(name=_inert(t.name))
    labels = {t.name for t in named}
    per_row = max(1, 1200 // (7 * min(max(len(n) for n in labels), LEGEND_CHARS) + 40))
    rows = -(-len(labels) // per_row)
    height = int(fig.layout.height or 450)
    fig.update_layout(
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": -0.12,
            "yanchor": "top",
            "yref": "paper",
            "title": {"side": "top"},
        },
        height=height + 22 * rows + 30,
        margin={"b": 60 + 22 * rows},
    )
    return fig


def _inert(text: str) -> str:
    """Text plotly shows as written: its pseudo-HTML (<a href>, <b>) needs < and > as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") if "<" in text or ">" in text else text


def _wrap(text: str, width: int = 150) -> str:
    """A long line broken for a subtitle (plotly does not wrap)."""
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + len(w) + 1 > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "<br>".join(lines)
