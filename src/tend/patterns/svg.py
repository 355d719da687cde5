"""Small charts drawn on the server as inline SVG: no script, nothing from another site.

Three shapes, each for one or more series over the same labels:

- `columns`: upright bars, for counts over months;
- `rows`: bars lying down, one row per label, for categories whose names are long
  (a need, a practice) and must stay readable at 320 px;
- `dots`: dots joined by a line, for how something went over time.

The drawing carries classes only (`chart-s0`, `chart-s1`, …); colours, sizes and the
dark mode come from the stylesheet, and no `style` attribute is written, so the
Content-Security-Policy holds. Series beyond the first differ in shape too (hollow
bars; dashed lines with square or diamond marks), not by colour alone. The chart is
`role="img"` named by `labelledby`: the words beside it and its table say what it shows.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from math import floor, log10

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 320
HEIGHT = 180
LEFT = 30  # room for the scale's numbers
RIGHT = 8
TOP = 10
BOTTOM = 24  # room for the labels under the plot
PLOT_WIDTH = WIDTH - LEFT - RIGHT
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
ROW_HEIGHT = 22  # per series, in `rows`
ROW_LABEL = 20  # the label line above each row's bars
MOST_LABELS = 7  # under a plot, beyond this every other label is left out (the table has all)


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]


def nice_top(largest: float) -> float:
    """The top of the scale: the least of 1, 2, 4, 6, 8 times a power of ten not below
    `largest`, so that its half, also marked, is a whole number too."""
    if largest <= 1:
        return 1.0
    power = 10 ** floor(log10(largest))
    for step in (1, 2, 4, 6, 8, 10):
        if step * power >= largest:
            return float(step * power)
    return float(10 * power)  # pragma: no cover  (the loop always returns)


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def _f(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _svg(height: float, labelledby: str, kind: str, parts: list[str]) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" '
        f'viewBox="0 0 {WIDTH} {_f(height)}" role="img" aria-labelledby="{escape(labelledby)}" '
        f'focusable="false">'
    )
    return mark_safe(head + "".join(parts) + "</svg>")  # noqa: S308  (every label is escaped)


def _top(series: Sequence[Series], maximum: float | None) -> float:
    largest = max((v for s in series for v in s.values), default=0.0)
    return maximum if maximum is not None else nice_top(largest)


def _check(labels: Sequence[str], series: Sequence[Series]) -> None:
    for one in series:
        if len(one.values) != len(labels):
            raise ValueError(
                f"series {one.name!r} has {len(one.values)} values for {len(labels)} labels"
            )


def _scale(top: float) -> list[str]:
    """The plot's frame: a base line and the scale at 0, half and top (half is left
    unnumbered when it is not a whole number, as for a top of 1)."""
    parts = [
        f'<line class="chart-axis" x1="{LEFT}" y1="{TOP + PLOT_HEIGHT}" '
        f'x2="{WIDTH - RIGHT}" y2="{TOP + PLOT_HEIGHT}"/>'
    ]
    for fraction in (0.0, 0.5, 1.0):
        y = TOP + PLOT_HEIGHT - fraction * PLOT_HEIGHT
        if fraction:
            parts.append(
                f'<line class="chart-grid" x1="{LEFT}" y1="{_f(y)}" '
                f'x2="{WIDTH - RIGHT}" y2="{_f(y)}"/>'
            )
        if fraction == 0.5 and top * fraction != int(top * fraction):
            continue
        parts.append(
            f'<text class="chart-scale" x="{LEFT - 4}" y="{_f(y + 4)}" text-anchor="end">'
            f"{_number(top * fraction)}</text>"
        )
    return parts


def _under(labels: Sequence[str], slot: float) -> list[str]:
    every = 2 if len(labels) > MOST_LABELS else 1
    last = len(labels) - 1
    return [
        f'<text class="chart-label" x="{_f(LEFT + slot * (i + 0.5))}" y="{HEIGHT - 6}" '
        f'text-anchor="middle">{escape(label)}</text>'
        for i, label in enumerate(labels)
        if (last - i) % every == 0  # the newest label always shows
    ]


def columns(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    labelledby: str,
    maximum: float | None = None,
) -> SafeString:
    """Upright bars: for each label, one bar per series, side by side."""
    _check(labels, series)
    top = _top(series, maximum)
    parts = _scale(top)
    if labels and series:
        slot = PLOT_WIDTH / len(labels)
        width = slot * 0.7 / len(series)
        for i in range(len(labels)):
            for k, one in enumerate(series):
                height = min(one.values[i], top) / top * PLOT_HEIGHT
                if height <= 0:
                    continue
                x = LEFT + slot * i + slot * 0.15 + width * k
                parts.append(
                    f'<rect class="chart-bar chart-s{k}" x="{_f(x)}" '
                    f'y="{_f(TOP + PLOT_HEIGHT - height)}" '
                    f'width="{_f(width)}" height="{_f(height)}"/>'
                )
        parts += _under(labels, slot)
    return _svg(HEIGHT, labelledby, "columns", parts)


def rows(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    labelledby: str,
    maximum: float | None = None,
) -> SafeString:
    """Bars lying down: a label, then one bar per series under it, each with its number."""
    _check(labels, series)
    top = _top(series, maximum)
    room = WIDTH - 40  # the longest bar leaves space for its number
    block = ROW_LABEL + ROW_HEIGHT * len(series) + 6
    parts: list[str] = []
    for i, label in enumerate(labels):
        y = TOP + block * i
        parts.append(f'<text class="chart-label" x="0" y="{_f(y + 15)}">{escape(label)}</text>')
        for k, one in enumerate(series):
            value = one.values[i]
            length = min(value, top) / top * room
            bar_y = y + ROW_LABEL + ROW_HEIGHT * k
            if length > 0:
                parts.append(
                    f'<rect class="chart-bar chart-s{k}" x="0" y="{_f(bar_y)}" '
                    f'width="{_f(length)}" height="{ROW_HEIGHT - 6}"/>'
                )
            parts.append(
                f'<text class="chart-value" x="{_f(length + 4)}" y="{_f(bar_y + 12)}">'
                f"{_number(value)}</text>"
            )
    height = TOP + block * len(labels) if labels else TOP * 2
    return _svg(height, labelledby, "rows", parts)


_MARKS = (
    lambda x, y: f'<circle cx="{_f(x)}" cy="{_f(y)}" r="4"/>',
    lambda x, y: f'<rect x="{_f(x - 3.5)}" y="{_f(y - 3.5)}" width="7" height="7"/>',
    lambda x, y: (
        f'<polygon points="{_f(x)},{_f(y - 5)} {_f(x + 5)},{_f(y)} '
        f'{_f(x)},{_f(y + 5)} {_f(x - 5)},{_f(y)}"/>'
    ),
)


def dots(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    labelledby: str,
    maximum: float | None = None,
) -> SafeString:
    """A dot for each value, joined by a line, one line per series."""
    _check(labels, series)
    top = _top(series, maximum)
    parts = _scale(top)
    if labels and series:
        slot = PLOT_WIDTH / len(labels)
        for k, one in enumerate(series):
            points = [
                (LEFT + slot * (i + 0.5), TOP + PLOT_HEIGHT - min(v, top) / top * PLOT_HEIGHT)
                for i, v in enumerate(one.values)
            ]
            if len(points) > 1:
                line = " ".join(f"{_f(x)},{_f(y)}" for x, y in points)
                parts.append(f'<polyline class="chart-line chart-s{k}" points="{line}"/>')
            mark = _MARKS[k % len(_MARKS)]
            parts.append(
                f'<g class="chart-dot chart-s{k}">{"".join(mark(x, y) for x, y in points)}</g>'
            )
        parts += _under(labels, slot)
    return _svg(HEIGHT, labelledby, "dots", parts)


def swatch(index: int, *, bar: bool) -> SafeString:
    """The small sample of series `index` for a legend beside the chart: a bar, or a
    stretch of line with its mark."""
    if bar:
        drawn = f'<rect class="chart-bar chart-s{index}" x="2" y="3" width="16" height="10"/>'
    else:
        mark = _MARKS[index % len(_MARKS)](10, 8)
        drawn = (
            f'<line class="chart-line chart-s{index}" x1="0" y1="8" x2="20" y2="8"/>'
            f'<g class="chart-dot chart-s{index}">{mark}</g>'
        )
    return mark_safe(  # noqa: S308  (numbers only)
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart-swatch" viewBox="0 0 20 16" '
        f'aria-hidden="true" focusable="false">{drawn}</svg>'
    )
