"""What it costs: each model's one-off, yearly and three-year cost from the partner's price book."""

from __future__ import annotations

from typing import Any

from assessments import presenters
from costs.currencies import money
from proposals.pdf.plain import plain
from scoring.price_lines import LINES

NOT_PRICED = "Not priced"
PERIODS = {"one_off": "one-off", "year": "a year"}
DESIGN = "design"  # the engine's key of the recommended design's cost
MAX_BREAK_EVEN = 5


def _row(cost: dict[str, Any], currency: str, *, design: bool) -> dict[str, Any]:
    """One model's (or the design's) line of the summary table."""
    missing = [LINES[k].label if k in LINES else k for k in cost.get("missing", [])]
    return {
        "label": cost["label"],
        "design": design,
        "priced": cost["priced"],
        "one_off": money(cost.get("one_off"), currency, blank=NOT_PRICED),
        "per_year": money(cost.get("per_year"), currency, blank=NOT_PRICED),
        "total": money(cost.get("total"), currency, blank=NOT_PRICED),
        "missing": missing,
        "note": plain(cost.get("note") or ""),
    }


def _lines(cost: dict[str, Any], currency: str) -> list[dict[str, Any]]:
    """Every figure of a cost: what, how many and why, the price-book line and the amount."""
    rows = []
    for line in cost.get("lines", []):
        catalogue = LINES.get(line["price_line"])
        unit = catalogue.unit_label if catalogue else ""
        price = money(line.get("unit_price"), currency, blank=NOT_PRICED)
        rows.append(
            {
                "label": line["label"],
                "count": _count(line.get("count")),
                "rule": plain(line.get("rule") or ""),
                "price": f"{price} {unit}".strip() if line.get("unit_price") is not None else price,
                "price_line": catalogue.label if catalogue else line["price_line"],
                "period": PERIODS.get(line.get("period"), line.get("period") or ""),
                "amount": money(line.get("amount"), currency, blank=NOT_PRICED),
                "priced": line.get("amount") is not None,
                "optional": not line.get("required", True),
            }
        )
    return rows


def _count(value: Any) -> str:
    """A count as printed: whole numbers without decimals, others to two places."""
    if value in (None, ""):
        return "—"
    number = float(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}"


def _break_even(costs: dict[str, Any], labels: dict[str, str]) -> list[str]:
    """The break-evens a reader weighs: the recommended design's against each model.

    Every pair of models may cross; the executive question is whether the recommendation
    pays back against the alternatives, so only its crossings are printed (all of them
    when there is no design), at most :data:`MAX_BREAK_EVEN`.
    """
    found = costs.get("break_even", [])
    if costs.get("design"):
        found = [b for b in found if DESIGN in (b["model"], b["versus"])]
    sentences = []
    for b in found[:MAX_BREAK_EVEN]:
        model, versus = labels.get(b["model"], b["model"]), labels.get(b["versus"], b["versus"])
        year = "in the first year" if b["month"] <= 12 else f"in year {(b['month'] - 1) // 12 + 1}"
        sentences.append(
            f"{model} costs more at the start than {versus} and is the cheaper of the two from "
            f"month {b['month']} ({year})."
        )
    return sentences


def _sbc(costs: dict[str, Any]) -> list[str]:
    """The SBC sizing for self-managed Direct Routing, a sentence per regional group."""
    sbc = costs.get("sbc") or {}
    sentences = [
        plain(
            f"{g['region']}: {g['sbcs']} {g['size'] or 'custom-sized'} SBC"
            f"{'s' if g['sbcs'] != 1 else ''} for {len(g['sites'])} site"
            f"{'s' if len(g['sites']) != 1 else ''}, {g['peak_calls']} peak calls, "
            f"{g['session_licences']} session licences."
        )
        for g in sbc.get("groups", [])
    ]
    if sbc.get("local_sbcs"):
        sentences.append(f"{sbc['local_sbcs']} small SBC(s) at sites that need their own.")
    return sentences


def section(results: dict[str, Any], *, chart: Any = "") -> dict[str, Any]:
    """The cost section's part of the context.

    Args:
        results: The scoring result of the snapshot; its ``costs`` (the cost engine's
            result with the price book's date) were frozen with it when it was issued.
        chart: The 36-month cumulative cost chart (SVG), drawn by the caller.

    Returns:
        ``costs``: whether costs are in the snapshot (``present``), the price book
        (``book``), one row per model with the recommended design first (``rows``), the
        design's figures line by line (``lines``), break-even sentences, the counts with
        their rules, the SBC sizing and the assumptions.
    """
    costs = results.get("costs")
    if not costs:
        # Issued before the portal priced models: the version keeps what it said then.
        return {"costs": {"present": False}}
    currency = costs["currency"]
    design = costs.get("design")
    rows = ([_row(design, currency, design=True)] if design else []) + [
        _row(m, currency, design=False) for m in costs.get("models", [])
    ]
    labels = {m["model"]: m["label"] for m in costs.get("models", [])}
    if design:
        labels[design["model"]] = design["label"]
    detailed = design or next((m for m in costs.get("models", []) if m["priced"]), None)
    book = dict(costs.get("price_book") or {})
    book["saved_on"] = presenters.date_text(book.get("saved_at")) if book.get("saved_at") else ""
    return {
        "costs": {
            "present": True,
            "currency": currency,
            "months": costs.get("months", 36),
            "book": book,
            "rows": rows,
            "any_priced": any(r["priced"] for r in rows),
            "chart": chart,
            "break_even": _break_even(costs, labels),
            "detailed": detailed["label"] if detailed else "",
            "lines": _lines(detailed, currency) if detailed else [],
            "counts": [
                {"label": c["label"], "count": _count(c["count"]), "rule": plain(c["rule"])}
                for c in costs.get("counts", [])
            ],
            "sbc": _sbc(costs),
            "assumptions": [plain(a) for a in costs.get("assumptions", [])],
        }
    }
