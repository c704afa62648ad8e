"""The summary: the recommendation, the reasons behind it, the key figures and the fit chart."""

from __future__ import annotations

from typing import Any

from assessments import charts
from proposals.pdf.plain import country, plain
from scoring.results import MODEL_LABELS, estate_summary, to_plain

OPERATING_ANSWERS = {
    "product": "a product you use",
    "platform": "a platform you operate",
    "undecided": "not decided yet",
}


def _reasons(results: dict[str, Any], document: dict[str, Any], figures: dict) -> list[str]:
    rec = results["recommendation"]
    reasons: list[str] = [plain(r) for r in (rec.get("reasons") or [])][:4]
    model = rec.get("model")
    fits = {f["model"]: f for f in results.get("fits", [])}
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
        others = [
            f for m, f in fits.items() if m != model and m in ("operator_connect", "direct_routing")
        ]
        if others and len(reasons) < 4:
            other, chosen = others[0], fits[model]
            if chosen["fit"] == other["fit"]:
                # How the engine breaks a tie: a site's goes to Operator Connect
                # (pstn_fit.recommend_site), the main model is the one serving most users.
                why = (
                    "on a tie we recommend Operator Connect, as the operator runs the Session "
                    "Border Controllers and your IT has less to run"
                    if model == "operator_connect"
                    else f"{chosen['label']} is recommended for the sites with most of your users"
                )
                reasons.append(
                    f"{chosen['label']} and {other['label']} fit this customer equally well "
                    f"({chosen['fit']} of 100); {why}."
                )
            else:
                reasons.append(
                    f"{chosen['label']} fits this customer best overall: "
                    f"{chosen['fit']} of 100, against {other['fit']} for {other['label']}."
                )
    summaries = {s["model"]: s for s in results.get("ownership", {}).get("summaries", [])}
    oc, dr = summaries.get("operator_connect"), summaries.get("dr_self_managed")
    if oc and dr and len(reasons) < 4:
        reasons.append(
            f"Your IT would spend about {oc['hours_per_year']:.0f} hours a year on voice with "
            f"Operator Connect and about {dr['hours_per_year']:.0f} hours running Direct "
            "Routing itself."
        )
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


def key_figures(summary: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    """The key figures the cover, the summary and the later sections quote.

    Args:
        summary: The estate's summary (:func:`estate`).
        results: The scoring result of the snapshot.

    Returns:
        ``sites``, ``users``, ``average``, ``ready``, ``remediation``, ``not_ready`` and
        ``countries`` (names, sorted).
    """
    return {
        "sites": summary["site_count"],
        "users": summary["user_count"],
        "average": summary["average_readiness"],
        "ready": summary["ready"],
        "remediation": summary["ready_after_remediation"],
        "not_ready": summary["not_ready"],
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
        ``recommendation``, ``reasons``, ``figures``, ``operating_answer`` and ``fit_chart``.
    """
    rec = results["recommendation"]
    mix = [(MODEL_LABELS.get(m, m), names) for m, names in rec.get("sites_by_model", [])]
    operating = document.get("answers", {}).get("operating_model", "undecided")
    return {
        "recommendation": {
            "label": rec["label"],
            "summary": plain(rec["summary"]),
            "kind": rec["kind"],
            "mix": mix,
            "notes": list(rec.get("notes", [])),
        },
        "reasons": _reasons(results, document, figures),
        "figures": figures,
        "operating_answer": OPERATING_ANSWERS.get(operating, "not decided yet"),
        "fit_chart": charts.fit_bars(
            [
                (MODEL_LABELS.get(f["model"], f["label"]), f["fit"], f["band"])
                for f in results["fits"]
            ],
            width=500,
            font=font,
        ),
    }
