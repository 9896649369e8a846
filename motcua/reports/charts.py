"""Charts of the report tables as SVG images for the PDF exports (issue 13 §6).

A chart is what a page's `table[data-chart]` carries (docs/reports.md, "Charts"): a kind
(bar, line, stacked), a title, the category labels (the rows) and one series of numbers per
column, `None` where there is no figure (a gap, not 0). The browser draws the table with
Chart.js (motcua/web/static/charts.js); the PDF gets the same rows through `chart_svg`, so
the picture and the table beside it cannot disagree. Other domains' PDFs (quality, reform)
may call it too.

matplotlib is imported on the first chart drawn, not with this module: the web server and
the worker only pay for it (about 35 MB, measured) once a PDF with a chart is printed.
"""

from __future__ import annotations

import base64
import io
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from motcua.web.templating import vn_number

Kind = Literal["bar", "line", "stacked"]
KINDS: tuple[str, ...] = ("bar", "line", "stacked")

# The series' colours, in series order: each has a contrast of at least 5:1 on white (WCAG
# 1.4.11 asks 3:1 of graphics). Green, blue, red first: "early, on time, late" read as such.
# The browser uses the same list (motcua/web/static/charts.js).
PALETTE = ("#007a5e", "#0b62a4", "#c4420a", "#6a3d9a", "#8a5a00", "#4d4d4d")
# Line markers, so that lines differ by shape too, not only by colour.
MARKERS = ("o", "s", "^", "D", "v", "P")
# A table of more rows is not drawn (in the browser nor in the PDF): past this the bars are
# thinner than a line of text; the table alone carries the figures.
MAX_CATEGORIES = 60
# Bars lie horizontally when there are many categories or long names (agencies, indicators):
# their labels then read on one line. The browser applies the same rule.
HORIZONTAL_CATEGORIES = 6
HORIZONTAL_LABEL_CHARS = 14
LABEL_CHARS = 48  # longer category names are cut with "…" (the table has them in full)

# Vietnamese letters in every label: DejaVu Sans covers them and ships with matplotlib (so
# the text is measured with the right font) and in fonts-dejavu-core (so the PDF renderer,
# which draws the SVG's text as text, finds it).
FONT_FAMILY = "DejaVu Sans"
TEXT_COLOUR = "#1f1f1f"
GRID_COLOUR = "#d0d0d0"
CM = 1 / 2.54
# An A4 landscape page holds 27 x 18 cm of text: a chart 26 cm wide and at most 16 cm high
# fits on one page beside nothing else (printed at the page's width).
MAX_HEIGHT_CM = 16.0

_drawing = threading.Lock()  # matplotlib's font cache and text layout are not thread-safe


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    kind: Kind
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown chart kind {self.kind!r}")
        if any(len(s.values) != len(self.categories) for s in self.series):
            raise ValueError("every series needs one value per category")

    @property
    def horizontal(self) -> bool:
        return self.kind != "line" and (
            len(self.categories) > HORIZONTAL_CATEGORIES
            or any(len(c) > HORIZONTAL_LABEL_CHARS for c in self.categories))


def chart(kind: Kind, title: str, categories: Sequence[str], series: dict[str, Sequence[float | None]],
          unit: str = "") -> Chart | None:
    """A chart of `series` (name -> one value per category), or None when there is nothing to
    draw: no category, more than MAX_CATEGORIES, or no figure at all."""
    if not categories or len(categories) > MAX_CATEGORIES:
        return None
    built = tuple(Series(name, tuple(None if v is None else float(v) for v in values))
                  for name, values in series.items())
    if all(v is None for s in built for v in s.values):
        return None
    return Chart(kind, title, tuple(categories), built, unit)


def format_value(value: float, unit: str = "") -> str:
    """"1.234,5" or "87,5%": Vietnamese number formatting, the unit after the number."""
    number = vn_number(round(value, 2))
    if not unit:
        return number
    return f"{number}{unit}" if unit == "%" else f"{number} {unit}"


def short_label(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1].rstrip() + "…"


@cache
def _matplotlib():
    """matplotlib's object API (no pyplot: no global figures), configured once: text stays
    text in the SVG (searchable, selectable in the PDF), and ids are stable (same rows, same
    file)."""
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    matplotlib.rcParams["svg.fonttype"] = "none"
    matplotlib.rcParams["svg.hashsalt"] = "motcua"
    matplotlib.rcParams["font.family"] = FONT_FAMILY
    return Figure, FuncFormatter, MaxNLocator


def chart_svg(c: Chart, *, width_cm: float = 26.0) -> str:
    """The chart as an SVG document, `width_cm` wide; the height follows the number of bars
    (horizontal) or is fixed (vertical), at most MAX_HEIGHT_CM.

    Each bar is a group with the id `bar-<series>-<category>` (indexes from 0), so a reader
    (or a test) can find the bar of a figure."""
    Figure, FuncFormatter, MaxNLocator = _matplotlib()
    n = len(c.categories)
    height_cm = _height_cm(c)
    small = n > 30
    text = {"family": FONT_FAMILY, "color": TEXT_COLOUR}
    with _drawing:
        fig = Figure(figsize=(width_cm * CM, height_cm * CM), dpi=72, layout="constrained")
        ax = fig.add_subplot()
        positions = list(range(n))
        if c.kind == "line":
            _lines(ax, c, positions)
        else:
            _bars(ax, c, positions)
        labels = [short_label(label) for label in c.categories]
        value_axis = ax.xaxis if c.horizontal else ax.yaxis
        value_axis.set_major_formatter(FuncFormatter(lambda v, _pos: format_value(v, c.unit)))
        if all(v is None or v.is_integer() for s in c.series for v in s.values):
            value_axis.set_major_locator(MaxNLocator(integer=True))  # whole dossiers: no "0,5" tick
        if c.horizontal:
            ax.set_yticks(positions, labels, fontsize=7 if small else 8, **text)
            ax.set_ylim(n - 0.5, -0.5)  # the first row of the table on top
            ax.grid(axis="x", color=GRID_COLOUR, linewidth=0.6)
        else:
            ax.set_xticks(positions, labels, fontsize=8, **text)
            if n > 8:
                for tick in ax.get_xticklabels():
                    tick.set_rotation(35)
                    tick.set_horizontalalignment("right")
            ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.6)
        ax.set_axisbelow(True)
        ax.tick_params(colors=TEXT_COLOUR, labelsize=8)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.set_title(c.title, loc="left", fontsize=10, fontweight="bold", **text)
        if len(c.series) > 1:
            fig.legend(loc="outside lower center", ncols=min(len(c.series), 6), frameon=False,
                       prop={"family": FONT_FAMILY, "size": 8})
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": "motcua"})
    return out.getvalue()


def _height_cm(c: Chart) -> float:
    """10 cm for vertical bars and lines; horizontal bars get half a centimetre per category
    (grouped bars more, as their series stand side by side), below the title and legend."""
    if not c.horizontal:
        return 10.0
    per_category = max(1.0, 0.6 * len(c.series)) if c.kind == "bar" else 1.0
    return min(MAX_HEIGHT_CM, 3.5 + 0.5 * per_category * len(c.categories))


def _bars(ax, c: Chart, positions: list[int]) -> None:
    bar = ax.barh if c.horizontal else ax.bar
    k = len(c.series)
    base = [0.0] * len(positions)
    for i, s in enumerate(c.series):
        colour = PALETTE[i % len(PALETTE)]
        values = [0.0 if v is None else v for v in s.values]
        if c.kind == "stacked":
            where, size, start = positions, 0.7, base
        else:  # grouped: the series side by side within the category's 0.8
            size = 0.8 / k
            where, start = [p - 0.4 + size * (i + 0.5) for p in positions], None
        kwargs = {("left" if c.horizontal else "bottom"): start} if start is not None else {}
        patches = bar(where, values, size, color=colour, edgecolor="white", linewidth=0.8,
                      label=s.name, **kwargs)
        for j, patch in enumerate(patches):
            patch.set_gid(f"bar-{i}-{j}")
            if s.values[j] is None:  # no figure: nothing drawn (a gap, not a zero bar)
                patch.set_visible(False)
        if c.kind == "stacked":
            base = [b + v for b, v in zip(base, values, strict=True)]


def _lines(ax, c: Chart, positions: list[int]) -> None:
    for i, s in enumerate(c.series):
        values = [math.nan if v is None else v for v in s.values]  # NaN breaks the line: a gap
        ax.plot(positions, values, color=PALETTE[i % len(PALETTE)], marker=MARKERS[i % len(MARKERS)],
                markersize=4, linewidth=1.6, label=s.name, gid=f"line-{i}")


def svg_data_uri(svg: str) -> str:
    """An SVG document as a data: URI for an <img> of a printed page."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
