"""The results page: site readiness, model fits, the recommendation and who owns what."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessments import charts, engine_io, fit_story, selectors
from imports.services.measurements import latency_notes_by_site
from scoring.network import PASS_MESSAGES
from scoring.results import FIT_BAND_LABELS, MODEL_LABELS, issue_order
from tenancy.permissions import get_assessment_for, member_required

OWNER_CLASSES = {
    "customer_it": "owner-customer",
    "operator": "owner-operator",
    "partner": "owner-partner",
    "microsoft": "owner-microsoft",
    "vendor": "owner-vendor",
}


def _by_severity(findings) -> list[tuple[str, list]]:
    """Findings that cost points or need checking, most severe first, grouped by severity.

    Unknowns that cost nothing are left to the site's "to find out" list (with how): shown
    among the problems in a severity's colour, they would read as faults.
    """
    groups: dict[str, list] = {}
    for f in sorted(findings, key=issue_order):
        if f.missing and not f.points:
            continue
        if f.points < 0 or f.severity != "info":
            groups.setdefault(f.severity, []).append(f)
    return list(groups.items())


@member_required()
def assessment_results(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    sites = list(selectors.site_list(assessment=assessment))
    result = engine_io.score(assessment, sites)
    latency_notes = latency_notes_by_site(sites)
    site_cards = [
        {
            "result": r,
            "site": site,
            "problems": _by_severity(r.network.findings),
            "good": [PASS_MESSAGES.get(code, code) for code in r.network.passed],
            "latency_notes": latency_notes.get(site.pk, []),
            "fit_chart": charts.model_fit_bars(r.fits, r.recommendation.model),
            "design": fit_story.design_sentence(r.recommendation.design, r.recommendation.label),
            "models": fit_story.model_rows(r.fits, r.recommendation.model),
        }
        for site, r in zip(sites, result.sites, strict=True)
    ]
    counts = dict(result.grade_counts)
    rec = result.recommendation
    return render(
        request,
        "assessments/results.html",
        {
            "assessment": assessment,
            "result": result,
            "site_cards": site_cards,
            "counts": counts,
            "readiness_chart": charts.readiness_bars(
                [(r.site, r.network.score, r.network.grade) for r in result.sites]
            ),
            "grade_chart": charts.grade_donut(counts),
            "fit_chart": charts.model_fit_bars(result.fits, rec.chart_model),
            "models": fit_story.model_rows(result.fits, rec.chart_model),
            "gateways": fit_story.gateways_by_site(rec.gateways),
            "country_facts": fit_story.country_facts(rec.country_data),
            "model_labels": MODEL_LABELS,
            "band_labels": FIT_BAND_LABELS,
            "owner_classes": OWNER_CLASSES,
            "average": result.summary.average_readiness,
        },
    )
