"""A large estate's proposal: the worst sites in detail, the rest by pattern, all in the annex."""

from __future__ import annotations

from typing import Any

from proposals.pdf.names import isolated

# Up to this many sites the main document gives every site in detail (and no annex PDF is
# needed); past it, it gives the WORST_SITES worst sites and the annex gives every site.
MAIN_DETAIL_SITES = 15
# A proposal is read by an executive: the worst sites of a large estate fill about five
# pages of "Sites that need work" at ten (15 took nine at 500 sites), so the main document
# stays within 20-30 pages whatever the estate's size (issue 16).
WORST_SITES = 10
# Example site names a shared finding, plan or design shows beside its count.
EXAMPLES = 3
# Distinct designs listed by pattern; rarer ones are counted, and listed in the annex.
DESIGN_PATTERNS = 12
# Worst first: not ready, then ready after remediation, then not assessed (data is missing,
# which is not bad), then ready.
GRADE_RANK = {"not_ready": 0, "ready_after_remediation": 1, "not_assessed": 2, "ready": 3}


def needs_annex(site_count: int) -> bool:
    """Whether a proposal of ``site_count`` sites gives its per-site detail in an annex."""
    return site_count > MAIN_DETAIL_SITES


def some_names(names: list[str], limit: int = EXAMPLES) -> str:
    """A few names and how many more, e.g. ``"Leeds, Lyon, Pune and 47 more"``."""
    names = [isolated(name) for name in names]  # a Hebrew list keeps its order
    if len(names) <= limit:
        return ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + "".join(names[-1:])
    return f"{', '.join(names[:limit])} and {len(names) - limit} more"


def named(names: list[str]) -> str:
    """Every name of a small estate; a few and how many more past :data:`MAIN_DETAIL_SITES`."""
    if len(names) <= MAIN_DETAIL_SITES:
        return ", ".join(isolated(name) for name in names)
    return some_names(names)


def worst_key(row: dict[str, Any]) -> tuple[int, int, int, str]:
    """The order of the worst sites: grade, then score, then the most users, then the name."""
    return (GRADE_RANK.get(row["grade"], 4), row["score"], -row["users"], row["name"])


def _site_refs(site: dict[str, Any]) -> set[str]:
    """The fix and check numbers a site needing work refers to (see ``sections.sites``)."""
    refs = {f["ref"] for f in [*site["findings"], *site["minor"], *site["notes"]] if f["ref"]}
    return refs | set(site["also_refs"]) | set(site["check_refs"])


def _examples(remediation: list[dict[str, Any]], items: list[dict[str, Any]]) -> None:
    """Give each shared fix or check a few example sites, the worst first (in place)."""
    by_ref: dict[str, list[str]] = {}
    for site in remediation:  # already worst first
        for ref in _site_refs(site):
            by_ref.setdefault(ref, []).append(site["name"])
    for item in items:
        item["examples"] = some_names(by_ref.get(item["ref"], []))


def _plan_examples(resilience: list[dict[str, Any]], plans: list[dict[str, Any]]) -> None:
    """Give each resilience plan its largest sites as examples (in place)."""
    biggest = sorted(resilience, key=lambda r: (-r["users"], r["name"]))
    for plan in plans:
        plan["examples"] = some_names([r["name"] for r in biggest if r["ref"] == plan["ref"]])


def _design_patterns(designs: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """The sites' designs grouped by what they are, the most common first.

    Returns:
        The :data:`DESIGN_PATTERNS` most common designs, each with its sites counted and
        named by example in ``name`` and their users summed; and how many sites have
        one of the rarer designs.
    """
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for d in designs:
        requirements = tuple(d["requirements"])
        key = (d["users_model"], d["gateways"], d["run_by"], requirements, d["poor_fit"])
        group = groups.setdefault(key, {**d, "names": [], "users": 0})
        group["names"].append(d["name"])
        group["users"] += d["users"]
    ranked = sorted(groups.values(), key=lambda g: (-len(g["names"]), g["names"][0]))
    shown = [
        {
            **g,
            "name": f"{len(g['names'])} site{'s' if len(g['names']) > 1 else ''}: "
            f"{some_names(g['names'])}",
        }  # fmt: skip
        for g in ranked[:DESIGN_PATTERNS]
    ]
    return shown, sum(len(g["names"]) for g in ranked[DESIGN_PATTERNS:])


def bound(context: dict[str, Any]) -> dict[str, Any]:
    """Keep a large estate's main document to a fixed length (the context is changed in place).

    An estate of up to :data:`MAIN_DETAIL_SITES` sites keeps every site in detail, as
    before. A larger one keeps what an executive reads: the worst sites in detail, the
    fixes, checks, resilience plans and designs each once with their count and a few
    example sites, and says that the site annex (PDF and workbook) gives every site.

    Args:
        context: The proposal context of every site (``build_context``).

    Returns:
        The context, with ``annex`` (``needed``, ``sites``, ``detail``; past the detail,
        ``issued_with``: how the pointers to the annex say when it comes) set.
    """
    rows = context["sites"]
    if not needs_annex(len(rows)):
        context["annex"] = {"needed": False, "sites": len(rows), "detail": len(rows)}
        return context
    # A draft preview has no annex yet: the annex comes with the version that is issued.
    issued_with = "issued with the proposal" if context.get("draft") else "issued with this version"
    context["annex"] = {
        "needed": True,
        "sites": len(rows),
        "detail": WORST_SITES,
        "issued_with": issued_with,
    }
    context["sites"] = sorted(rows, key=worst_key)[:WORST_SITES]
    remediation = sorted(context["remediation"], key=worst_key)
    context["annex"]["needing_work"] = len(remediation)
    _examples(remediation, context["common_fixes"])
    _examples(remediation, context["common_checks"])
    context["remediation"] = remediation[:WORST_SITES]
    context["annex"]["other_needing_work"] = len(remediation) - len(context["remediation"])
    _plan_examples(context["resilience"], context["resilience_plans"])
    context["annex"]["lacking_resilience"] = len(context["resilience"])
    context["resilience"] = []
    ownership = context["ownership"]
    ownership["designs"], ownership["designs_not_shown"] = _design_patterns(ownership["designs"])
    rec = context["recommendation"]
    rec["mix"] = [(label, [some_names(names, 5)]) for label, names in rec["mix"]]
    gateways = rec["gateways"]
    if len(gateways) > MAIN_DETAIL_SITES:
        shown = gateways[:MAIN_DETAIL_SITES]
        more = len(gateways) - len(shown)
        rec["gateways"] = [*shown, ("Other sites", f"{more} more, each listed in the site annex")]
    # Every site's answers are in the annex and the workbook, one row a site.
    context["site_answers"] = []
    return context
