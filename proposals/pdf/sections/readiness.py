"""Site readiness: the table of every site's score and grade, the grade donut and the bars."""

from __future__ import annotations

from typing import Any

from assessments import charts
from proposals.pdf.names import needs_shaping
from proposals.pdf.plain import country, plain
from scoring.results import Grade, top_issue

NOT_ASSESSED = Grade.NOT_ASSESSED.value

# A readiness chart is one SVG image, and an image cannot break across pages.
CHART_SITES_PER_IMAGE = 30
# Past this many sites the bars stop being readable; the table and the donut carry it.
CHART_MAX_SITES = 60


def _top_issue(network: dict[str, Any]) -> dict[str, Any] | None:
    # Snapshots issued before the result carried its top issue are derived the same way.
    if "top_issue" in network:
        return network["top_issue"]
    return top_issue(network["findings"])


def _outlook(network: dict[str, Any]) -> dict[str, Any]:
    """Today's score as shown, the share known and the score after the listed fixes.

    A Not assessed site shows "—": with little known it scores 100 because nothing is
    lost, which would read as perfect. Snapshots issued before completeness and the
    projection existed give their confidence (the same share) and no projection.
    """
    projection = network.get("projection") or {}
    after = None
    if projection.get("fixes"):
        shown = "—" if projection["grade"] == NOT_ASSESSED else projection["score"]
        after = {"score": shown, "grade": projection["grade"], "label": projection["grade_label"]}
    return {
        "score_shown": "—" if network["grade"] == NOT_ASSESSED else network["score"],
        "completeness": network.get("completeness", network["confidence"]),
        "after": after,
    }


def site_rows(results: dict[str, Any], document: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per site of the readiness table, in the result's order.

    Args:
        results: The scoring result of the snapshot.
        document: The assessment document of the snapshot (for each site's city).

    Returns:
        Dicts with the site's name, country, city, users, score, grade, confidence, top
        issue in plain words and recommended model; the sites section starts from them.
    """
    site_docs = {s["name"]: s for s in document.get("sites", [])}
    rows = []
    for s in results.get("sites", []):
        net = s["network"]
        top = _top_issue(net)
        doc = site_docs.get(s["site"], {})
        rows.append(
            {
                "name": s["site"],
                "country": country(s["country"]),
                "city": doc.get("city", ""),
                "users": s.get("users", 0),
                "score": net["score"],
                "grade": net["grade"],
                "grade_label": net["grade_label"],
                "confidence": net["confidence"],
                "confidence_level": net["confidence_level"],
                "top_issue": plain(top["message"]) if top else "",
                **_outlook(net),
                "model_label": s["recommendation"]["label"],
            }
        )
    return rows


def _html_bars(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The readiness bars as table rows, for names the SVG renderer cannot print.

    WeasyPrint draws SVG text one letter at a time: Arabic letters come out unjoined and
    reversed, Hebrew reversed, Thai and Devanagari marks beside their letters. Laid out as
    HTML, a name is shaped like any other text; the bars keep the SVG chart's colours.
    """
    bars = []
    for r in rows[:CHART_MAX_SITES]:
        unknown = r["grade"] == NOT_ASSESSED
        bars.append(
            {
                "name": r["name"],
                "shown": "—" if unknown else str(r["score"]),
                # A site too little is known about has no bar (as in the SVG chart).
                "width": 0 if unknown else max(1, min(int(r["score"]), 100)),
                "colour": charts.GRADE_COLOURS.get(r["grade"], charts.MUTED),
            }
        )
    return bars


def section(rows: list[dict[str, Any]], summary: dict[str, Any], *, font: str) -> dict[str, Any]:
    """The readiness section's part of the context.

    Args:
        rows: The readiness table (:func:`site_rows`).
        summary: The estate's summary, which counts the sites by grade.
        font: The brand's CSS font family, for the charts' text.

    Returns:
        ``sites``, ``one_model``, ``grade_chart``, ``readiness_charts`` and, in their place
        when a site's name needs shaping (right to left, combining marks), ``readiness_bars``.
    """
    # The summary names them by grade; snapshots issued before "not assessed" lack it.
    counts = {g.value: summary.get(g.value, 0) for g in Grade}
    models = {r["model_label"] for r in rows}
    chart_rows = [(r["name"], r["score"], r["grade"]) for r in rows]
    readiness_charts = (
        [
            charts.readiness_bars(chart_rows[i : i + CHART_SITES_PER_IMAGE], font=font)
            for i in range(0, len(chart_rows), CHART_SITES_PER_IMAGE)
        ]
        if len(chart_rows) <= CHART_MAX_SITES
        else []
    )
    bars = _html_bars(rows) if any(needs_shaping(r["name"]) for r in rows) else []
    if bars:
        readiness_charts = []
    return {
        "readiness_bars": bars,
        "sites": rows,
        "one_model": models.pop() if len(rows) > 1 and len(models) == 1 else "",
        "grade_chart": charts.grade_donut(counts, font=font),
        "readiness_charts": readiness_charts,
    }
