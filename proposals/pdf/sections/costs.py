"""What it costs: each model's one-off, yearly and three-year cost from the partner's price book."""

from __future__ import annotations

from typing import Any

from assessments import cost_story, presenters
from proposals.pdf.plain import plain
from proposals.pdf.sections.large import some_names
from scoring.costs import CostResult
from scoring.decode import cost_result_from_dict
from scoring.sbc_sizing import SbcGroup


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


def frozen_costs(results: dict[str, Any]) -> CostResult | None:
    """The cost result a snapshot froze, or ``None`` when it has none this release can read.

    Args:
        results: The scoring result of the snapshot, with its ``costs``.

    Returns:
        The engine's cost result, rebuilt from its stored form.
    """
    frozen = results.get("costs")
    try:
        return cost_result_from_dict(frozen) if frozen else None
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return None  # frozen by a release whose costs this one cannot read


def _sbc_words(g: SbcGroup) -> str:
    return (
        f"{g.region}: {g.sbcs} {g.size or 'custom-sized'} SBC{'s' * (g.sbcs != 1)} for "
        f"{g.peak_calls:,} peak calls, {g.session_licences:,} session licences."
    )


def local_sbcs_in_one(groups: list[SbcGroup]) -> str:
    """The sites' own SBCs of a large estate in one sentence, the busiest sites named.

    One bullet a site would grow the cost chapter with the estate (six pages at 500
    sites); the workbook of the site annex gives each site's sizing on a row of its own.

    Args:
        groups: The plan's local groups (one a site with its own SBCs).

    Returns:
        How many sites, SBCs, peak calls and session licences, with a few example sites.
    """
    busiest = sorted(groups, key=lambda g: (-g.peak_calls, g.region))
    sbcs = sum(g.sbcs for g in groups)
    return (
        f"the sites' own SBCs (toll bypass, survivability, analog, paging, fax or door "
        f"devices): {len(groups):,} "
        f"site{'s' * (len(groups) != 1)} ({some_names([g.region for g in busiest])}) with "
        f"{sbcs:,} SBC{'s' * (sbcs != 1)} in all for {sum(g.peak_calls for g in groups):,} "
        f"peak calls, {sum(g.session_licences for g in groups):,} session licences, each "
        "sized on its site's peak. Each site's sizing is in the site annex's workbook "
        '(sheet "SBCs").'
    )


def sbc_bullets(groups: tuple[SbcGroup, ...], *, annex: bool) -> list[str]:
    """The SBC sizing the cost chapter's assumptions list, a bullet a group.

    Args:
        groups: The SBC plan's groups (regions, then the sites' own).
        annex: Whether the estate has a site annex; then the sites' own groups are summed
            up in one bullet (:func:`local_sbcs_in_one`), so the chapter keeps its length.

    Returns:
        One sentence a region's group, then one a local group or one for them all.
    """
    local = [g for g in groups if g.local]
    if not annex or not local:
        return [_sbc_words(g) for g in groups]
    return [*(_sbc_words(g) for g in groups if not g.local), local_sbcs_in_one(local)]


def section(results: dict[str, Any], *, font: str, annex: bool = False) -> dict[str, Any]:
    """The cost section's part of the context, read as the results page reads it.

    The figures, the chart and the break-even sentences come from the same story as the
    results page (:func:`assessments.cost_story.cost_context`), rebuilt from the costs the
    snapshot froze, so a price changed after issue never reaches an issued version.

    Args:
        results: The scoring result of the snapshot, with its ``costs`` (the cost engine's
            result and ``price_book``: the version priced and when it was saved).
        font: The brand's CSS font family, for the chart's text.
        annex: Whether the estate has a site annex (:func:`.large.needs_annex`): the
            sites' own SBCs are then summed up in one bullet.

    Returns:
        ``costs``: ``present`` (False for a version issued before costs, whose stored form
        cannot be read), the rows with the recommended design first, the chart,
        break-even sentences, the figures of the design (or the first priced model) line
        by line, the counts with their rules, the SBC groups, the assumptions and the
        price book's version and date.
    """
    result = frozen_costs(results)
    if result is None:
        return {"costs": {"present": False}}
    story = cost_story.cost_context(result, font=font)
    rows = story["rows"]
    detailed = next((r for r in rows if r.design), None) or next(
        (r for r in rows if r.priced), None
    )
    book = results["costs"].get("price_book") or {}
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
            "sbc": sbc_bullets(result.sbc.groups, annex=annex),
            "assumptions": [plain(a) for a in result.assumptions],
        }
    }
