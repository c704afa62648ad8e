"""Resilience: sites without a second path, the plan for each, and the distinct plans lettered."""

from __future__ import annotations

from typing import Any

from proposals.pdf.plain import country


def _has_second_path(site: dict[str, Any]) -> dict[str, bool]:
    roles = {c["role"] for c in site.get("circuits", [])}
    cellular = any(c.get("kind") == "cellular" for c in site.get("circuits", []))
    return {
        "secondary": bool(roles & {"secondary", "backup"}),
        "lte": site.get("lte_backup") == "yes" or cellular,
        "sdwan": site.get("sdwan") == "yes",
    }


def _resilience(document: dict[str, Any], results: dict[str, Any]) -> list[dict[str, Any]]:
    by_name = {s["site"]: s for s in results.get("sites", [])}
    plan = []
    for site in document.get("sites", []):
        have = _has_second_path(site)
        if all(have.values()):
            continue
        load = by_name.get(site["name"], {}).get("network", {}).get("load", {})
        up = (load.get("failover_up_kbps") or 0) / 1000
        down = (load.get("failover_down_kbps") or 0) / 1000
        sizing = f"at least {up:.1f} up / {down:.1f} down" if up or down else "peak calls"
        missing = [
            words
            for key, words in (
                ("secondary", "secondary circuit"),
                ("lte", "LTE/5G backup"),
                ("sdwan", "SD-WAN"),
            )
            if not have[key]
        ]
        steps = []
        if not have["secondary"] and not have["lte"]:
            steps.append("Add a second path: a diverse circuit or LTE/5G backup")
        elif not have["lte"]:
            steps.append("Add LTE/5G backup")
        elif not have["secondary"]:
            steps.append("Consider a diverse secondary circuit")
        if not have["sdwan"]:
            steps.append("automatic failover with local breakout (SD-WAN)")
        plan.append(
            {
                "plan": "; ".join(steps)[:1].upper() + "; ".join(steps)[1:] + ".",
                "name": site["name"],
                "country": country(site.get("country", "")),
                "users": site.get("users", 0),
                "have": have,
                "missing": missing,
                "steps": steps,
                "sizing": sizing,
            }
        )
    return plan


def _resilience_plans(plan: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The few distinct plans, lettered, so each site's row refers to one (``ref``)."""
    plans: dict[str, dict[str, Any]] = {}
    for site in plan:
        entry = plans.setdefault(
            site["plan"], {"ref": chr(ord("A") + len(plans)), "text": site["plan"], "sites": 0}
        )
        entry["sites"] += 1
        site["ref"] = entry["ref"]
    return list(plans.values())


def section(document: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    """The resilience section's part of the context.

    Args:
        document: The assessment document of the snapshot (circuits, backups).
        results: The scoring result of the snapshot (each site's failover load).

    Returns:
        ``resilience`` (one row per site lacking a second path, with its plan's ``ref``)
        and ``resilience_plans``.
    """
    plan = _resilience(document, results)
    return {"resilience": plan, "resilience_plans": _resilience_plans(plan)}
