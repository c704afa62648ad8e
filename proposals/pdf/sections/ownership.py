"""Who owns what: day one and day 500 of the two main models, and every model's owners."""

from __future__ import annotations

from typing import Any

DECIDING_QUESTION = "Do you want voice to be a product you use, or a platform you operate?"


def _ownership(results: dict[str, Any]) -> dict[str, Any]:
    matrix = results.get("ownership") or {}
    rec = results["recommendation"]
    dr_key = "dr_hosted" if rec.get("dr_variant") == "hosted" else "dr_self_managed"
    pair = [m for m in ("operator_connect", dr_key) if m in matrix.get("models", ())]
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
    }


def section(results: dict[str, Any]) -> dict[str, Any]:
    """The ownership section's part of the context; the summary asks its question too.

    Args:
        results: The scoring result of the snapshot.

    Returns:
        ``deciding_question`` and ``ownership``.
    """
    return {"deciding_question": DECIDING_QUESTION, "ownership": _ownership(results)}
