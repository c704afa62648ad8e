"""The summary: the recommendation, the reasons behind it, the key figures and the fit chart."""

from __future__ import annotations

from typing import Any

from assessments import charts, fit_story
from proposals.pdf.names import isolated
from proposals.pdf.plain import country, plain
from proposals.pdf.sections.large import named
from scoring.results import MODEL_LABELS, estate_summary, to_plain

OPERATING_ANSWERS = {
    "product": "a product you use",
    "platform": "a platform you operate",
    "undecided": "not decided yet",
}


# The tie rule's order (fit_rules.OWNERSHIP_ORDER): the model leaving customer IT less to own
# first (Microsoft's PSTN connectivity options).
LESS_TO_OWN = (
    "operator_connect",
    "calling_plans",
    "teams_phone_mobile",
    "direct_routing_hosted",
    "direct_routing",
)
# The ownership matrix's column of each model (Teams Phone Mobile has none).
OWNERSHIP_COLUMN = {
    "operator_connect": "operator_connect",
    "direct_routing": "dr_self_managed",
    "direct_routing_hosted": "dr_hosted",
    "calling_plans": "calling_plans",
}


def _less_to_own(model: str, other: str) -> bool:
    order = {m: i for i, m in enumerate(LESS_TO_OWN)}
    return order.get(model, len(order)) < order.get(other, len(order))


def ownership_column(model: str | None, dr_variant: str | None = None) -> str | None:
    """The ownership matrix's column for a model (``None`` for Teams Phone Mobile).

    Args:
        model: A model of the result.
        dr_variant: The recommendation's Direct Routing variant: results before ruleset 2
            had one Direct Routing model, hosted or not by this.

    Returns:
        The column's key in ``ownership.models``, or ``None``.
    """
    if model == "direct_routing" and dr_variant == "hosted":
        return "dr_hosted"
    return OWNERSHIP_COLUMN.get(model or "")


def _hours(results: dict[str, Any], model: str | None, other: str | None) -> str:
    """What the recommended model and the runner-up cost your IT a year, in one sentence."""
    summaries = {s["model"]: s for s in results.get("ownership", {}).get("summaries", [])}
    variant = results["recommendation"].get("dr_variant")
    chosen = summaries.get(ownership_column(model, variant) or "")
    runner = summaries.get(ownership_column(other, variant) or "")
    if not chosen or not runner or chosen is runner:
        return ""
    return (
        f"Your IT would spend about {chosen['hours_per_year']:.0f} hours a year on voice with "
        f"{chosen['label']} and about {runner['hours_per_year']:.0f} hours with "
        f"{runner['label']}."
    )


def _comparison(rec: dict[str, Any], chosen: dict[str, Any], other: dict[str, Any]) -> str:
    """The recommended model against the runner-up, in one sentence.

    It never contradicts the fit chart: the main model serves most users, and may not have
    the tallest bar.
    """
    model, label, other_label = chosen["model"], chosen["label"], other["label"]
    if chosen["fit"] > other["fit"]:
        return (
            f"{label} fits this customer best overall: {chosen['fit']} of 100, against "
            f"{other['fit']} for {other_label}, the next best."
        )
    if chosen["fit"] == other["fit"]:
        # How the engine breaks a tie (pstn_fit.choose): the model that leaves IT less to
        # own; overall, the main model is the one serving most users.
        why = (
            f"on a tie we recommend {label}, as it leaves your IT less to run"
            if _less_to_own(model, other["model"])
            else f"{label} is recommended for the sites with most of your users"
        )
        return (
            f"{label} and {other_label} fit this customer equally well ({chosen['fit']} of "
            f"100); {why}."
        )
    where = dict((m, names) for m, names in rec.get("sites_by_model", []))
    sites = where.get(other["model"])
    return (
        f"{other_label} averages {other['fit']} of 100 across all sites against "
        f"{chosen['fit']} for {label}, but {label} is the answer at the sites with most of "
        "your users" + (f"; {other_label} is recommended at {named(sites)}." if sites else ".")
    )


def _reasons(results: dict[str, Any], document: dict[str, Any], figures: dict) -> list[str]:
    """Why the recommended model: against the runner-up, what drove it, and what it costs.

    The comparison comes first and names whichever model is next best (any of the five),
    so the reasons never speak of Operator Connect and Direct Routing alone.
    """
    rec = results["recommendation"]
    model = rec.get("model")
    fits = {f["model"]: f for f in results.get("fits", [])}
    reasons: list[str] = []
    other = fit_story.runner_up(fits.values(), model) if model in fits else None
    if other is not None:
        reasons.append(_comparison(rec, fits[model], other))
    for reason in [plain(r) for r in (rec.get("reasons") or [])]:
        if len(reasons) >= 3:
            break
        reasons.append(reason)
    if model in fits:
        drivers = sorted(
            (f for f in fits[model]["findings"] if f["points"] > 0),
            key=lambda f: -f["points"],
        )
        for f in drivers:
            if len(reasons) >= 3:
                break
            if plain(f["message"]) not in reasons:
                reasons.append(plain(f["message"]))
    hours = _hours(results, model, other["model"] if other else None)
    if hours:
        reasons.append(hours)
    if figures["sites"] and len(reasons) < 4:
        reasons.append(
            f"{figures['ready']} of {figures['sites']} sites are ready for Teams calling today; "
            f"{figures['sites'] - figures['ready']} need network work first, listed site by "
            "site in this proposal."
        )
    return reasons[:4]


def estate(results: dict[str, Any]) -> dict[str, Any]:
    """The estate's summary (site and user counts, average readiness, sites by grade).

    Args:
        results: The scoring result of the snapshot.

    Returns:
        The result's summary; snapshots issued before the result carried it are
        summarised the same way.
    """
    return results.get("summary") or to_plain(estate_summary(results.get("sites", [])))


def _ready_after_fixes(sites: list[dict[str, Any]]) -> int | None:
    """How many sites are Ready once the listed fixes are made (unknowns still unknown)."""
    projections = [s["network"].get("projection") for s in sites]
    if not sites or None in projections:
        return None  # issued before the projection existed: nothing to say
    return sum(1 for p in projections if p["grade"] == "ready")


def key_figures(summary: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    """The key figures the cover, the summary and the later sections quote.

    Args:
        summary: The estate's summary (:func:`estate`).
        results: The scoring result of the snapshot.

    Returns:
        ``sites``, ``users``, ``average`` (over the graded sites), ``ready``,
        ``remediation``, ``not_ready``, ``not_assessed``, ``ready_after_fixes`` (``None``
        for a snapshot without projections) and ``countries`` (names, sorted).
    """
    return {
        "sites": summary["site_count"],
        "users": summary["user_count"],
        "average": summary["average_readiness"],
        "ready": summary["ready"],
        "remediation": summary["ready_after_remediation"],
        "not_ready": summary["not_ready"],
        # Snapshots issued before "not assessed" existed graded every site.
        "not_assessed": summary.get("not_assessed", 0),
        "ready_after_fixes": _ready_after_fixes(results.get("sites", [])),
        "countries": sorted({country(s["country"]) for s in results.get("sites", [])}),
    }


def section(
    results: dict[str, Any], document: dict[str, Any], figures: dict[str, Any], *, font: str
) -> dict[str, Any]:
    """The summary's part of the context.

    Args:
        results: The scoring result of the snapshot.
        document: The assessment document of the snapshot.
        figures: The key figures (:func:`key_figures`).
        font: The brand's CSS font family, for the chart's text.

    Returns:
        ``recommendation`` (with its fit, status, what would change it and the gateways by
        site), ``reasons``, ``figures``, ``operating_answer``, ``fit_chart`` and
        ``fit_models`` (each model's fit and availability).
    """
    rec = results["recommendation"]
    mix = [
        (MODEL_LABELS.get(m, m), [isolated(name) for name in names])
        for m, names in rec.get("sites_by_model", [])
    ]
    operating = document.get("answers", {}).get("operating_model", "undecided")
    chart_model = rec.get("chart_model", rec.get("model"))  # results before ruleset 2: its model
    return {
        "recommendation": {
            "label": rec["label"],
            "summary": plain(rec["summary"]),
            "kind": rec["kind"],
            "mix": mix,
            "notes": list(rec.get("notes", [])),
            "fit": rec.get("fit"),
            "status": rec.get("status", "fits"),
            "what_would_change": [plain(t) for t in rec.get("what_would_change", [])],
            "gateways": fit_story.gateways_by_site(rec.get("gateways", [])),
        },
        "reasons": _reasons(results, document, figures),
        "figures": figures,
        "operating_answer": OPERATING_ANSWERS.get(operating, "not decided yet"),
        # The bar of the model the headline names (the chart model), so the two agree.
        "fit_chart": charts.model_fit_bars(results["fits"], chart_model, width=500, font=font),
        "fit_models": fit_story.model_rows(results["fits"], chart_model),
    }
