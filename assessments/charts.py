"""Server-side SVG charts shared by the web pages and the proposal PDF (no JavaScript)."""

from collections.abc import Sequence
from html import escape
from math import cos, pi, sin
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from assessments.fit_story import read
from scoring.results import GRADE_LABELS, Grade
from scoring.ruleset import NOT_READY_BELOW, READY_FROM

GRADE_COLOURS = {
    Grade.READY: "#2e7d32",
    Grade.READY_AFTER_REMEDIATION: "#b45309",
    Grade.NOT_READY: "#c62828",
    Grade.NOT_ASSESSED: "#6b7280",  # grey "needs data": distinct from red
}
BAND_COLOURS = {
    "good": "#2e7d32",
    "possible": "#b45309",
    "poor": "#c62828",
    "unavailable": "#6b7280",
}
TEXT = "#1f2937"
MUTED = "#6b7280"
GRID = "#e5e7eb"
# The web pages' font; the proposal passes its brand's font, so its charts use no other.
FONT = "Inter, 'Source Sans 3', Arial, sans-serif"


def _svg(width: int, height: int, title: str, desc: str, body: list[str], font: str) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}: {escape(desc)}" class="chart" '
        f'font-family="{escape(font)}">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>{''.join(body)}</svg>"
    )


# Rough advance widths in em of a sans-serif at text sizes: enough to keep a label inside
# its column (SVG text does not wrap, and a chart must not depend on measuring fonts).
WIDE, NARROW = set("MWmw@%"), set("fijlrtI!.,:;' |")


def _text_width(text: str, size: float) -> float:
    em = sum(
        0.9 if c in WIDE else 0.3 if c in NARROW else 0.68 if c.isupper() or c.isdigit() else 0.55
        for c in text
    )
    return em * size


def _fit(text: str, width: float, size: float) -> str:
    """``text``, cut with an ellipsis where needed so that it fits ``width`` at ``size``."""
    if _text_width(text, size) <= width:
        return text
    while text and _text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def readiness_bars(
    rows: Sequence[tuple[str, int, str]], *, width: int = 640, font: str = FONT
) -> SafeString:
    """Horizontal bars of each site's readiness score (0-100), coloured by grade.

    Args:
        rows: (site name, score, grade) per site, in display order.
        width: The drawing width in SVG units; it scales to its container.
        font: The CSS font-family of the labels.

    Returns:
        Inline SVG markup.
    """
    label_w, bar_h, gap, top = 170, 18, 8, 26
    plot_w = width - label_w - 50
    height = top + len(rows) * (bar_h + gap) + 10
    body = [
        f'<text x="{label_w}" y="14" font-size="11" fill="{MUTED}">0</text>',
        f'<text x="{label_w + plot_w}" y="14" font-size="11" fill="{MUTED}" '
        f'text-anchor="end">100</text>',
    ]
    for mark, name in ((NOT_READY_BELOW, "not ready below"), (READY_FROM, "ready from")):
        x = label_w + plot_w * mark / 100
        body.append(
            f'<line x1="{x:.1f}" y1="20" x2="{x:.1f}" y2="{height - 6}" stroke="{MUTED}" '
            f'stroke-dasharray="3 3" stroke-width="1"><title>{escape(name)} {mark}</title></line>'
            f'<text x="{x:.1f}" y="14" font-size="11" fill="{MUTED}" text-anchor="middle">'
            f"{mark}</text>"
        )
    for i, (name, score, grade) in enumerate(rows):
        y = top + i * (bar_h + gap)
        short = _fit(name, label_w - 12, 12)
        colour = GRADE_COLOURS.get(grade, MUTED)
        # A site too little is known about scores 100 (nothing lost): no bar, a dash.
        unknown = grade == Grade.NOT_ASSESSED
        shown = "—" if unknown else str(score)
        w = 2.0 if unknown else max(2.0, plot_w * max(0, min(score, 100)) / 100)
        body.append(
            f'<text x="{label_w - 8}" y="{y + 13}" font-size="12" fill="{TEXT}" '
            f'text-anchor="end">{escape(short)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{plot_w}" height="{bar_h}" rx="3" fill="{GRID}"/>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="3" fill="{colour}">'
            f"<title>{escape(name)}: {shown} ({escape(GRADE_LABELS.get(grade, grade))})</title>"
            f"</rect>"
            f'<text x="{label_w + plot_w + 8}" y="{y + 13}" font-size="12" font-weight="600" '
            f'fill="{TEXT}">{shown}</text>'
        )
    desc = (
        "; ".join(f"{n}: {'not assessed' if g == Grade.NOT_ASSESSED else s}" for n, s, g in rows)
        or "No sites"
    )
    return _svg(width, height, "Network readiness by site", desc, body, font)


BARS_MAX = 40  # more sites than this and one bar each would outgrow the page: a histogram


def readiness_overview(
    rows: Sequence[tuple[str, int, str]], *, width: int = 640, font: str = FONT
) -> SafeString:
    """One bar per site for a few sites; for more, how many sites score in each band.

    The chart of an estate must not grow with it: past :data:`BARS_MAX` sites the reader
    wants the shape of the estate, not 2,000 bars.
    """
    if len(rows) <= BARS_MAX:
        return readiness_bars(rows, width=width, font=font)
    return readiness_histogram(rows, width=width, font=font)


def readiness_histogram(
    rows: Sequence[tuple[str, int, str]], *, width: int = 640, font: str = FONT
) -> SafeString:
    """Columns of how many sites score in each band of 10 points, stacked by grade.

    Sites not assessed have no score to place: they get a grey column of their own.

    Args:
        rows: (site name, score, grade) per site.
        width: The drawing width in SVG units; it scales to its container.
        font: The CSS font-family of the labels.

    Returns:
        Inline SVG markup whose size does not depend on the number of sites.
    """
    bands = [(lo, lo + 9 if lo < 90 else 100) for lo in range(0, 100, 10)]
    stacks: list[dict[str, int]] = [{} for _ in bands]
    unknown = 0
    for _name, score, grade in rows:
        if grade == Grade.NOT_ASSESSED:
            unknown += 1
            continue
        i = min(max(score, 0) // 10, 9)
        stacks[i][grade] = stacks[i].get(grade, 0) + 1
    columns = [(f"{lo}–{hi}", stack) for (lo, hi), stack in zip(bands, stacks, strict=True)]
    columns.append(("Not assessed", {Grade.NOT_ASSESSED.value: unknown}))
    height, top, bottom, left = 220, 20, 40, 36
    plot_h = height - top - bottom
    step = (width - left - 10) / len(columns)
    peak = max((sum(c.values()) for _label, c in columns), default=0) or 1
    body = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" '
        f'stroke="{MUTED}" stroke-width="1"/>',
        f'<text x="{left - 6}" y="{top + 4}" font-size="11" fill="{MUTED}" '
        f'text-anchor="end">{peak}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" font-size="11" fill="{MUTED}" '
        f'text-anchor="end">0</text>',
    ]
    order = (Grade.NOT_READY, Grade.READY_AFTER_REMEDIATION, Grade.READY, Grade.NOT_ASSESSED)
    desc = []
    for i, (label, stack) in enumerate(columns):
        x = left + i * step + step * 0.12
        w = step * 0.76
        y = top + plot_h
        total = sum(stack.values())
        for grade in order:
            n = stack.get(grade.value, 0)
            if not n:
                continue
            h = plot_h * n / peak
            y -= h
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
                f'fill="{GRADE_COLOURS[grade]}"><title>{escape(label)}: {n} '
                f"{escape(GRADE_LABELS[grade])}</title></rect>"
            )
        if total:
            body.append(
                f'<text x="{x + w / 2:.1f}" y="{y - 4:.1f}" font-size="11" fill="{TEXT}" '
                f'text-anchor="middle" font-weight="600">{total}</text>'
            )
        short = "n/a" if label == "Not assessed" else label
        body.append(
            f'<text x="{x + w / 2:.1f}" y="{top + plot_h + 16}" font-size="11" fill="{TEXT}" '
            f'text-anchor="middle">{escape(short)}</text>'
        )
        desc.append(f"{label}: {total}")
    body.append(
        f'<text x="{left + (width - left) / 2:.1f}" y="{height - 4}" font-size="11" '
        f'fill="{MUTED}" text-anchor="middle">readiness score (n/a: not assessed)</text>'
    )
    return _svg(width, height, "Sites by readiness score", "; ".join(desc), body, font)


def grade_donut(counts: dict[str, int], *, size: int = 180, font: str = FONT) -> SafeString:
    """A donut of how many sites have each readiness grade, with the total in the middle."""
    total = sum(counts.values())
    cx = cy = size / 2
    r_out, r_in = size / 2 - 4, size / 2 - 30
    body: list[str] = []
    start = -pi / 2
    if total == 0:
        body.append(
            f'<circle cx="{cx}" cy="{cy}" r="{(r_out + r_in) / 2}" fill="none" stroke="{GRID}" '
            f'stroke-width="{r_out - r_in}"/>'
        )
    for grade in Grade:
        n = counts.get(grade.value, 0)
        if not n:
            continue
        if n == total:
            body.append(
                f'<circle cx="{cx}" cy="{cy}" r="{(r_out + r_in) / 2}" fill="none" '
                f'stroke="{GRADE_COLOURS[grade]}" stroke-width="{r_out - r_in}"/>'
            )
            break
        end = start + 2 * pi * n / total
        large = 1 if end - start > pi else 0
        p = [
            (cx + r_out * cos(start), cy + r_out * sin(start)),
            (cx + r_out * cos(end), cy + r_out * sin(end)),
            (cx + r_in * cos(end), cy + r_in * sin(end)),
            (cx + r_in * cos(start), cy + r_in * sin(start)),
        ]
        body.append(
            f'<path d="M{p[0][0]:.2f},{p[0][1]:.2f} A{r_out},{r_out} 0 {large} 1 '
            f"{p[1][0]:.2f},{p[1][1]:.2f} L{p[2][0]:.2f},{p[2][1]:.2f} "
            f'A{r_in},{r_in} 0 {large} 0 {p[3][0]:.2f},{p[3][1]:.2f} Z" '
            f'fill="{GRADE_COLOURS[grade]}">'
            f"<title>{escape(GRADE_LABELS[grade])}: {n}</title></path>"
        )
        start = end
    body.append(
        f'<text x="{cx}" y="{cy + 2}" font-size="30" font-weight="700" fill="{TEXT}" '
        f'text-anchor="middle">{total}</text>'
        f'<text x="{cx}" y="{cy + 22}" font-size="12" fill="{MUTED}" text-anchor="middle">'
        f"site{'s' if total != 1 else ''}</text>"
    )
    desc = ", ".join(f"{GRADE_LABELS[g]}: {counts.get(g.value, 0)}" for g in Grade)
    return _svg(size, size, "Sites by readiness grade", desc, body, font)


# Bar labels on two lines, so five models fit side by side at the web page's and the
# PDF's widths (SVG text does not wrap).
CHART_LABELS = {
    "operator_connect": ("Operator", "Connect"),
    "direct_routing": ("Direct Routing", "self-managed"),
    "direct_routing_hosted": ("Direct Routing", "as a service"),
    "calling_plans": ("Calling", "Plans"),
    "teams_phone_mobile": ("Teams Phone", "Mobile"),
}
HIGHLIGHT_TAG = "Recommended"


def fit_bars(
    rows: Sequence[tuple[str, int, str]],
    *,
    width: int = 420,
    font: str = FONT,
    highlight: int | None = None,
) -> SafeString:
    """Vertical bars comparing how well each PSTN model fits (0-100), coloured by band.

    Args:
        rows: (label, fit, band) per model; a label may hold a newline (two lines), and
            the band ``"unavailable"`` draws a grey bar marked "n/a" instead of the fit.
        width: The drawing width in SVG units; it scales to its container.
        font: The CSS font-family of the labels.
        highlight: The index of the recommended model's bar: drawn in full colour with an
            outline and a "Recommended" tag while the others are paler, so the chart
            points at the recommendation even when another bar is taller.

    Returns:
        Inline SVG markup.
    """
    tag_h = 18 if highlight is not None else 0
    height, top = 214 + tag_h, 16 + tag_h
    base_y = height - 44
    plot_h = base_y - top
    slot = width / max(1, len(rows))
    bar_w = min(64, slot * 0.55)
    body = [f'<line x1="0" y1="{base_y}" x2="{width}" y2="{base_y}" stroke="{GRID}"/>']
    for i, (label, fit, band) in enumerate(rows):
        x = i * slot + (slot - bar_w) / 2
        mid = x + bar_w / 2
        unavailable = band == "unavailable"
        h = 2.0 if unavailable else max(2.0, plot_h * max(0, min(fit, 100)) / 100)
        colour = BAND_COLOURS.get(band, MUTED)
        picked = i == highlight
        look = (
            f' stroke="{TEXT}" stroke-width="2"'
            if picked
            else (' fill-opacity="0.55"' if highlight is not None else "")
        )
        value = "n/a" if unavailable else str(fit)
        name = label.replace("\n", " ")
        state = " (not available)" if unavailable else ""
        body.append(
            f'<rect x="{x:.1f}" y="{base_y - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" rx="3" '
            f'fill="{colour}"{look}><title>{escape(name)}: {value}{state}'
            f"{' (recommended)' if picked else ''}</title></rect>"
            f'<text x="{mid:.1f}" y="{base_y - h - 4:.1f}" font-size="13" font-weight="700" '
            f'fill="{MUTED if unavailable else TEXT}" text-anchor="middle">{value}</text>'
        )
        if picked:
            body.append(
                f'<text x="{mid:.1f}" y="{base_y - h - 21:.1f}" font-size="11" font-weight="700" '
                f'fill="{TEXT}" text-anchor="middle" class="chart-pick">{HIGHLIGHT_TAG}</text>'
            )
        for n, line in enumerate(label.split("\n")[:2]):
            body.append(
                f'<text x="{mid:.1f}" y="{base_y + 17 + n * 14}" font-size="12" '
                f'font-weight="{700 if picked else 400}" fill="{MUTED if unavailable else TEXT}" '
                f'text-anchor="middle">{escape(_fit(line, slot - 4, 12))}</text>'
            )
    desc = "; ".join(
        f"{label.replace('\n', ' ')}: {'not available' if band == 'unavailable' else fit}"
        f"{' (recommended)' if i == highlight else ''}"
        for i, (label, fit, band) in enumerate(rows)
    )
    return _svg(width, height, "Fit of each PSTN model", desc, body, font)


def model_fit_bars(
    fits: Sequence[Any], chosen: str | None, *, width: int = 500, font: str = FONT
) -> SafeString:
    """The fit chart of a site or the whole assessment, the recommended model highlighted.

    Args:
        fits: :class:`~scoring.results.ModelFit` objects, or their JSON form (a proposal's
            snapshot), in the engine's model order.
        chosen: The model to highlight: a site's recommended model, or overall the
            recommendation's ``chart_model``; ``None`` highlights nothing.
        width: The drawing width in SVG units.
        font: The CSS font-family of the labels.

    Returns:
        Inline SVG markup.
    """
    rows, highlight = [], None
    for i, f in enumerate(fits):
        model = read(f, "model")
        lines = CHART_LABELS.get(model, (read(f, "label"),))
        rows.append(("\n".join(lines), read(f, "fit"), read(f, "band")))
        if model == chosen:
            highlight = i
    return fit_bars(rows, width=width, font=font, highlight=highlight)


# One colour per cost series, the recommended design darkest; distinct without relying on
# hue alone (the design's line is also thicker, the others dashed).
COST_COLOURS = ("#0b5394", "#b45309", "#2e7d32", "#7c3aed", "#c62828", "#0e7490")
DESIGN_COLOUR = "#111827"


def _short_money(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if value >= 10_000:
        return f"{value / 1_000:.0f}k"
    if value >= 1_000:
        return f"{value / 1_000:.1f}k"
    return f"{value:.0f}"


def cost_lines(
    series: Sequence[tuple[str, Sequence[float], bool]],
    currency: str,
    *,
    width: int = 640,
    font: str = FONT,
) -> SafeString:
    """Cumulative cost over the months of each priced model, the recommended design bold.

    Args:
        series: ``(label, cumulative cost at months 0..N, is the design)`` per line; the
            same number of months in each.
        currency: The price book's currency code, for the axis and the description.
        width: The drawing width in SVG units; it scales to its container.
        font: The CSS font-family of the labels.

    Returns:
        Inline SVG markup; an empty string with nothing priced to draw.
    """
    if not series:
        return mark_safe("")
    months = len(series[0][1]) - 1
    left, right, top, bottom = 58, 24, 30, 34
    legend_h = 18 * len(series) + 6
    plot_h = 200
    height = top + plot_h + bottom + legend_h
    plot_w = width - left - right
    peak = max(max(values) for _label, values, _design in series) or 1.0
    step = 10 ** max(0, len(str(int(peak))) - 1)
    # Four to eight gridlines at round figures (1, 2 or 5 times a power of ten).
    for mult in (1, 2, 5, 10):
        if peak / (step * mult) <= 6:
            step *= mult
            break
    top_value = step * (int(peak // step) + 1)

    def x(m: int) -> float:
        return left + plot_w * m / max(months, 1)

    def y(v: float) -> float:
        return top + plot_h - plot_h * v / top_value

    body = []
    tick = 0.0
    while tick <= top_value + 1e-9:
        body.append(
            f'<line x1="{left}" y1="{y(tick):.1f}" x2="{width - right}" y2="{y(tick):.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" font-size="11" fill="{MUTED}" '
            f'text-anchor="end">{_short_money(tick)}</text>'
        )
        tick += step
    for m in range(0, months + 1, 12):
        anchor = "start" if m == 0 else "end" if m == months else "middle"
        body.append(
            f'<text x="{x(m):.1f}" y="{top + plot_h + 16}" font-size="11" fill="{MUTED}" '
            f'text-anchor="{anchor}">{"Start" if m == 0 else f"Month {m}"}</text>'
        )
    body.append(
        f'<text x="{left - 6}" y="{top - 14}" font-size="11" fill="{MUTED}" '
        f'text-anchor="end">{escape(currency)}</text>'
    )
    desc = []
    others = 0
    # The design last, so that no model's line with the same figures hides it; the legend
    # keeps the order given.
    drawn = sorted(enumerate(series), key=lambda item: item[1][2])
    lines: dict[int, str] = {}
    for i, (label, values, design) in drawn:
        if design:
            colour, dash, stroke = DESIGN_COLOUR, "", 3.5
        else:
            colour, dash, stroke = COST_COLOURS[others % len(COST_COLOURS)], "6 3", 2
            others += 1
        points = " ".join(f"{x(m):.1f},{y(v):.1f}" for m, v in enumerate(values))
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" '
            f'stroke-width="{stroke}"{dashes}><title>{escape(label)}: '
            f"{currency} {values[-1]:,.0f} after {months} months</title></polyline>"
        )
        ly = top + plot_h + bottom + 4 + 18 * i
        lines[i] = (
            f'<line x1="{left}" y1="{ly + 6}" x2="{left + 26}" y2="{ly + 6}" stroke="{colour}" '
            f'stroke-width="{stroke}"{dashes}/>'
            f'<text x="{left + 34}" y="{ly + 10}" font-size="12" fill="{TEXT}"'
            f"{' font-weight="600"' if design else ''}>{escape(label)}: "
            f"{currency} {values[-1]:,.0f}</text>"
        )
        desc.append(f"{label} {currency} {values[0]:,.0f} at the start, {values[-1]:,.0f} "
                    f"after {months} months")  # fmt: skip
    body += [lines[i] for i in sorted(lines)]
    return _svg(width, height, f"Cumulative cost over {months} months", "; ".join(desc), body,
                font)  # fmt: skip
