"""What it costs: each model's one-off, yearly and three-year cost from the partner's price book."""

from __future__ import annotations

from typing import Any

from assessments import cost_story, presenters
from proposals.pdf.plain import plain
from scoring.decode import cost_result_from_dict


def _lines(row: cost_story.ModelRow) -> list[dict[str, Any]]:
    """Every figure of one cost, its rule in the customer's words."""
    return [
        {
            "label": line.label,
            "period": line.period,
            "count": line.count,
            "rule": plain(line.rule),
            "price": line.price,
            "unit": line.unit,
            "price_line": line.price_line,
            "amount": line.amount,
            "left_out": line.left_out,
        }
        for line in row.lines
    ]


def section(results: dict[str, Any], *, font: str) -> dict[str, Any]:
    """The cost section's part of the context, read as the results page reads it.

    The figures, the chart and the break-even sentences come from the same story as the
    results page (:func:`assessments.cost_story.cost_context`), rebuilt from the costs the
    snapshot froze, so a price changed after issue never reaches an issued version.

    Args:
        results: The scoring result of the snapshot, with its ``costs`` (the cost engine's
            result and ``price_book``: the version priced and when it was saved).
        font: The brand's CSS font family, for the chart's text.

    Returns:
        ``costs``: ``present`` (False for a version issued before costs, whose stored form
        cannot be read), the rows with the recommended design first, the chart,
        break-even sentences, the figures of the design (or the first priced model) line
        by line, the counts with their rules, the SBC groups, the assumptions and the
        price book's version and date.
    """
    frozen = results.get("costs")
    try:
        result = cost_result_from_dict(frozen) if frozen else None
    except (KeyError, TypeError, ValueError, ArithmeticError):
        result = None  # frozen by a release whose costs this one cannot read
    if result is None:
        return {"costs": {"present": False}}
    story = cost_story.cost_context(result, font=font)
    rows = story["rows"]
    detailed = next((r for r in rows if r.design), None) or next(
        (r for r in rows if r.priced), None
    )
    book = frozen.get("price_book") or {}
    return {
        "costs": {
            **story,
            "present": True,
            "months": result.months,
            "book_version": book.get("version"),
            "book_saved_on": presenters.date_text(book.get("saved_at")),
            "detailed": detailed.label if detailed else "",
            "lines": _lines(detailed) if detailed else [],
            "counts": [
                {"label": c.label, "count": f"{c.count:,}", "rule": plain(c.rule)}
                for c in result.counts
            ],
            "sbc": [
                f"{g.region}: {g.sbcs} {g.size or 'custom-sized'} SBC{'s' * (g.sbcs != 1)} for "
                f"{g.peak_calls:,} peak calls, {g.session_licences:,} session licences."
                for g in result.sbc.groups
            ],
            "assumptions": [plain(a) for a in result.assumptions],
        }
    }
