"""The site annex: every site of a proposal in detail, for the PDF's parts and the workbook."""

from __future__ import annotations

import re
from typing import Any

from proposals.pdf.brand import brand_css, safe_branding
from proposals.pdf.context import ProposalSnapshot
from proposals.pdf.sections import cover, readiness, resilience, sites, summary

# The annex PDF renders in parts, in parallel, one child process a core (WeasyPrint uses
# one), and the parts are joined. Every part pays for the stylesheet and fonts again
# (about a second), so there are no more parts than cores, none smaller than
# MIN_PART_SITES, and none larger than MAX_PART_SITES (a part's memory grows with it).
MIN_PART_SITES = 60
MAX_PART_SITES = 400
# The slowest part bounds when the annex is ready, so the parts are cut by the lines they
# lay out, not by their number of sites: a site that fails six checks takes several times
# as long as one that passes them all, and the first part also opens with the tables the
# references point to (each row wraps over a few lines in its narrow columns).
LINE_CHARS = 140  # a full line of a site's text, at the annex's type size
INTRO_ROW_LINES = 4


def part_count(sites: int, processes: int) -> int:
    """How many parts the annex of ``sites`` sites renders in, on ``processes`` cores."""
    fits = max(1, min(processes, -(-sites // MIN_PART_SITES)))
    return max(fits, -(-sites // MAX_PART_SITES))


def _site_lines(entry: dict[str, Any]) -> int:
    """About how many lines a site's entry lays out: its heading and each paragraph, wrapped."""
    paragraphs = [
        str(entry.get("name", "")) + str(entry.get("model_label", "")),
        *(f"{f['message']} {f.get('ref') or f.get('recommendation')}" for f in entry["findings"]),
        *entry["closing"],
        entry["resilience"],
    ]
    return sum(1 + len(text) // LINE_CHARS for text in paragraphs if text) or 1


def _split_by_lines(entries: list[dict[str, Any]], count: int, lead: int) -> list[list[Any]]:
    """``entries`` in ``count`` runs, in order, of about the same lines each (``lead`` first)."""
    weights = [_site_lines(e) for e in entries]
    total = lead + sum(weights)
    chunks: list[list[Any]] = [[]]
    done = lead
    for index, (entry, weight) in enumerate(zip(entries, weights, strict=True)):
        left = len(entries) - index  # every run gets a site at least
        cut = done + weight / 2 > total * len(chunks) / count and chunks[-1]
        if len(chunks) < count and (cut or left <= count - len(chunks)):
            chunks.append([])
        chunks[-1].append(entry)
        done += weight
    return chunks


def _resilience_words(row: dict[str, Any]) -> str:
    """A site's resilience gap in one sentence, with its plan's letter."""
    return (
        f"Plan {row['ref']}: lacks {', '.join(row['missing'])}; size the backup for "
        f"{row['sizing']} Mbps."
    )


def annex_sites(snapshot: ProposalSnapshot) -> dict[str, Any]:
    """Every site's detail and the tables its references point to.

    Built from the same sections as the proposal, so a site reads the same in both: its
    readiness row, its findings (recurring fixes and checks by number) and its
    resilience plan.

    Args:
        snapshot: An issued proposal's snapshot, or a draft's.

    Returns:
        ``sites`` (one dict per site, by name: the readiness row plus ``findings``,
        ``closing`` lines and ``resilience`` words, ``needs_work``), ``common_fixes``,
        ``common_checks``, ``resilience_plans`` and ``figures``.
    """
    document, results = snapshot["document"], snapshot["results"]
    rows = readiness.site_rows(results, document)
    work = sites.section(results, rows)
    plan = resilience.section(document, results)
    detail = {s["name"]: s for s in work["remediation"]}
    gaps = {r["name"]: r for r in plan["resilience"]}
    entries = []
    for row in rows:
        site = detail.get(row["name"])
        gap = gaps.get(row["name"])
        entries.append(
            {
                **row,
                "needs_work": site is not None,
                "findings": site["findings"] if site else [],
                "closing": _closing(site) if site else [],
                "resilience": _resilience_words(gap) if gap else "",
            }
        )
    entries.sort(key=lambda e: (_natural(e["name"]), e["name"]))
    return {
        "sites": entries,
        "common_fixes": work["common_fixes"],
        "common_checks": work["common_checks"],
        "resilience_plans": plan["resilience_plans"],
        "figures": summary.key_figures(summary.estate(results), results),
    }


def _natural(name: str) -> list[tuple[int, str | int]]:
    """A name's sort key that puts "Site 9" before "Site 10", as a reader looks them up."""
    return [(0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", name.casefold())]


def _closing(site: dict[str, Any]) -> list[str]:
    """What a site needing work says under its findings, as the proposal's closing line does."""
    lines = []
    also = [*site["also_refs"], *site["also_words"]]
    if also:
        lines.append(f"Also to fix: {'; '.join(also)}.")
    checks = [*site["check_refs"], *site["check_words"]]
    if checks:
        lines.append(f"To verify: {'; '.join(checks)}.")
    for note in site["notes"]:
        advice = f"See {note['ref']}." if note["ref"] else note["recommendation"]
        lines.append(f"{note['message']} {advice}")
    return lines


def annex_parts(
    snapshot: ProposalSnapshot, *, draft: bool = False, processes: int = 1
) -> list[dict[str, Any]]:
    """The annex PDF's parts: each the context of one template render, in order.

    The first part opens with what the references point to (the fixes, the checks and
    the resilience plans); each part lists its share of the sites by name, and says
    which sites it holds in its running header.

    Args:
        snapshot: An issued proposal's snapshot, or a draft's.
        draft: Mark the pages as a draft.
        processes: The cores the parts render on (see :func:`part_count`).

    Returns:
        One context per part.
    """
    content = annex_sites(snapshot)
    branding = safe_branding(snapshot["branding"])
    base = {
        **cover.section(snapshot, draft=draft),
        "branding": branding,
        "brand_css": brand_css(branding),
        "ruleset_version": snapshot["ruleset_version"],
        **content,
    }
    entries = content["sites"]
    count = part_count(len(entries), processes)
    intro_rows = len(content["common_fixes"]) + len(content["common_checks"])
    intro_rows += len(content["resilience_plans"])
    chunks = _split_by_lines(entries, count, intro_rows * INTRO_ROW_LINES) if entries else [[]]
    return [
        {
            **base,
            "part": {
                "number": i,
                "of": len(chunks),
                "first": chunk[0]["name"] if chunk else "",
                "last": chunk[-1]["name"] if chunk else "",
            },
            "part_sites": chunk,
        }
        for i, chunk in enumerate(chunks, start=1)
    ]
