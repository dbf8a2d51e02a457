"""Axes of the plots: how values are placed, labelled and styled (matplotlib only).

Nothing here reads a search: :mod:`sksearch.plot` reads the results and hands
arrays and labels to these helpers.
"""

import numbers
import re
import textwrap

import numpy as np

#: Category labels longer than this many characters are wrapped ...
LABEL_WIDTH = 24
#: ... on at most this many lines (the rest is cut, with an ellipsis).
LABEL_LINES = 3
#: Positive numbers spanning this ratio or more are drawn on a log axis.
LOG_RATIO = 100


def is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def place(ax, axis, values):
    """Set up ``axis`` of ``ax`` for ``values``; return their positions and if categorical.

    Numbers go on a numeric axis (log when positive and spanning ``LOG_RATIO``);
    anything else becomes categories: numbers first in order, then the others
    by label.
    """
    if values and all(is_number(v) for v in values):
        positions = np.asarray(values, dtype=float)
        low, high = positions.min(), positions.max()
        if low > 0 and high / low >= LOG_RATIO:
            (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
        return positions, False
    labels = [v if isinstance(v, str) else repr(v) for v in values]
    order = {}
    for value, label in zip(values, labels):
        order.setdefault(label, (0, float(value), "") if is_number(value) else (1, 0.0, label))
    categories = sorted(order, key=order.get)
    index = {label: i for i, label in enumerate(categories)}
    ticks = range(len(categories))
    shown = [shorten(label) for label in categories]
    if axis == "x":
        ax.set_xticks(ticks, shown)
        ax.set_xlim(-0.5, len(categories) - 0.5)
    else:
        ax.set_yticks(ticks, shown)
        ax.set_ylim(-0.5, len(categories) - 0.5)
    return np.array([index[label] for label in labels], dtype=float), True


def shorten(label):
    """``label`` on lines of ``LABEL_WIDTH`` characters, broken after ``(``, ``,`` or a space."""
    if len(label) <= LABEL_WIDTH:
        return label
    lines = [""]
    for piece in re.findall(r"[^(,\s]*[(,\s]*", label):
        if lines[-1] and len(lines[-1]) + len(piece.rstrip()) > LABEL_WIDTH:
            lines.append("")
        lines[-1] += piece
    # a piece longer than a line is cut where it must be
    lines = [part for line in lines for part in textwrap.wrap(line, LABEL_WIDTH) or [""]]
    if len(lines) > LABEL_LINES:
        lines = lines[:LABEL_LINES - 1] + [lines[LABEL_LINES - 1][:LABEL_WIDTH - 1] + "…"]
    return "\n".join(line.rstrip() for line in lines)


def separate_category_labels(axes, grow=False):
    """Turn the category labels of ``axes`` upright where they would collide.

    With ``grow``, the figure grows by the height the upright labels take.
    """
    if not axes:
        return
    figure = axes[0].figure
    figure.draw_without_rendering()
    renderer = figure.canvas.get_renderer()
    height = 0.0
    for ax in axes:
        labels = [t for t in ax.get_xticklabels() if t.get_visible() and t.get_text()]
        boxes = [t.get_window_extent(renderer) for t in labels]
        if any(a.x1 + 2 > b.x0 for a, b in zip(boxes, boxes[1:])):
            ax.tick_params(axis="x", labelrotation=90)
            height = max(height, max(box.width for box in boxes))
    if grow and height:
        figure.set_figheight(figure.get_figheight() + height / figure.dpi)


# ------------------------------------------------------------------ lines
#: Markers and line styles of the i-th line (its colour: the i-th of ``tab10``);
#: the cycles' lengths (10, 7, 4) differ so no two of the first 140 lines look alike.
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
LINE_STYLES = ("-", "--", "-.", ":")
#: About this many markers on each line: enough to tell it, few enough to read it.
N_MARKERS = 8


def line_style(i, n_lines, n_points):
    """Keyword arguments of ``ax.plot`` that set line ``i`` of ``n_lines`` apart.

    Its own colour, marker and line style; the markers are spaced to about
    ``N_MARKERS`` a line and shifted from one line to the next so that the
    markers of lines that run together do not sit on each other.
    """
    import matplotlib

    step = max(1, -(-n_points // N_MARKERS))
    return {"color": matplotlib.colormaps["tab10"](i % 10), "marker": MARKERS[i % len(MARKERS)],
            "linestyle": LINE_STYLES[i % len(LINE_STYLES)],
            "markevery": ((i * step // max(n_lines, 1)) % step, step),
            "markersize": 6, "markerfacecolor": "none" if i % 2 else None}


#: The score axis starts at this quantile of the curves' values ...
ZOOM_QUANTILE = 0.1
#: ... not counting the first tenth of each curve (the initial design) ...
ZOOM_SKIP = 0.1
#: ... and leaves this fraction of its height free below and above.
ZOOM_MARGIN = 0.08


def zoomed_limits(curves):
    """Limits of a score axis that show where the best scores so far differ.

    From a low quantile of the curves' values past their first candidates
    (lower if a curve ends lower: no final value is cut off) to the best
    value, with a margin. None when no curve has a finite value.
    """
    finite = [c[np.isfinite(c)] for c in curves]
    finite = [c for c in finite if len(c)]
    if not finite:
        return None
    later = np.concatenate([c[int(ZOOM_SKIP * len(c)):] for c in finite])
    low = min(np.quantile(later, ZOOM_QUANTILE), min(c[-1] for c in finite))
    high = max(c.max() for c in finite)
    margin = ZOOM_MARGIN * (high - low) if high > low else max(abs(high) * 0.01, 1e-3)
    return low - margin, high + margin
