"""Who owns what: designs and gateways, the recommended model against the next, all models."""

from __future__ import annotations

from typing import Any

from assessments import fit_story
from proposals.pdf.plain import plain
from proposals.pdf.sections.summary import ownership_column

DECIDING_QUESTION = "Do you want voice to be a product you use, or a platform you operate?"


def _ownership(results: dict[str, Any]) -> dict[str, Any]:
    matrix = results.get("ownership") or {}
    pair = [m for m in _pair(results) if m in matrix.get("models", ())]
    summaries = {s["model"]: s for s in matrix.get("summaries", [])}
    rows = []
    for row in matrix.get("rows", []):
        cells = {c["model"]: c for c in row["cells"]}
        rows.append(
            {
                "label": row["label"],
                "pair": [cells[m] for m in pair if m in cells],
                "all": [cells.get(m) for m in matrix.get("models", ())],
            }
        )
    return {
        "pair": [summaries[m] for m in pair if m in summaries],
        "models": [summaries[m] for m in matrix.get("models", ()) if m in summaries],
        "rows": rows,
        "assumptions": list(matrix.get("assumptions", [])),
        "gateways": matrix.get("gateways"),
        "designs": _designs(results),
    }


def _pair(results: dict[str, Any]) -> list[str]:
    """The two columns compared day one and day 500: the recommended model and the next best.

    Results before ruleset 2 (no hosted model, no availability) compare Operator Connect
    with the Direct Routing variant recommended, as the proposals issued then did.
    """
    rec = results["recommendation"]
    fits = results.get("fits", [])
    variant = rec.get("dr_variant")
    if not any(f["model"] == "direct_routing_hosted" for f in fits):
        return ["operator_connect", "dr_hosted" if variant == "hosted" else "dr_self_managed"]
    # Teams Phone Mobile has no column: the next model with one is compared instead.
    ranked = [rec.get("model")] + [
        f["model"]
        for f in sorted(fits, key=lambda f: -f["fit"])
        if f["model"] != rec.get("model") and f.get("availability") != "unavailable"
    ]
    columns = [ownership_column(m, variant) for m in ranked]
    return list(dict.fromkeys(c for c in columns if c))[:2]


def _designs(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each site's recommended design: the users' model, its gateways and requirements."""
    rows = []
    for s in results.get("sites", []):
        rec = s["recommendation"]
        design = rec.get("design")
        gateways = (design or {}).get("gateways", [])
        rows.append(
            {
                "name": s["site"],
                "users_model": (design or {}).get("users_label") or rec["label"],
                "users": s.get("users", 0),
                "gateways": "; ".join(fit_story.gateway_phrases(gateways)),
                "run_by": " and ".join(
                    sorted({fit_story.OWNER_WORDS.get(g["owner"], g["owner"]) for g in gateways})
                ),
                "requirements": [plain(r) for r in (design or {}).get("requirements", [])],
                "poor_fit": rec.get("status") == "poor_fit",
            }
        )
    return rows


def section(results: dict[str, Any]) -> dict[str, Any]:
    """The ownership section's part of the context; the summary asks its question too.

    Args:
        results: The scoring result of the snapshot.

    Returns:
        ``deciding_question`` and ``ownership``.
    """
    return {"deciding_question": DECIDING_QUESTION, "ownership": _ownership(results)}
