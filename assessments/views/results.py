"""The results page: site readiness, model fits, the recommendation and who owns what."""

import hashlib
import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from assessments import charts, cost_story, fit_story, windows
from assessments.kept_html import KeptHTML
from assessments.models import Site
from assessments.services.costs import estate_costs_keyed
from assessments.services.scores import kept_estate_stamp
from imports.services.measurements import latency_notes_by_site
from scoring.network import PASS_MESSAGES
from scoring.results import MODEL_LABELS, SiteResult, issue_order
from tenancy.permissions import get_assessment_for, get_site_for, member_required

OWNER_CLASSES = {
    "customer_it": "owner-customer",
    "operator": "owner-operator",
    "partner": "owner-partner",
    "microsoft": "owner-microsoft",
    "vendor": "owner-vendor",
}

# The ownership matrix of an estate (11 responsibilities by 4 models, with hours) changes
# only when the estate's ownership or assumptions do: kept by their content (a digest, so
# an estate rescored anywhere is rendered anew).
_ownership_kept = KeptHTML(64)
# The cost chapter (each model's lines, the totals, a chart) reads only the kept costs:
# kept by their key and the language.
_costs_kept = KeptHTML(64)
# The estate's summary (recommendation, charts) and a site's detail show one stored result
# each: kept by its stamp (a rescore stamps it anew) while this process keeps the result.
# A few hundred pages' worth: about 30 KB a summary and 10 KB a site's detail.
_summaries_kept = KeptHTML(128)
_details_kept = KeptHTML(512)
_rows_kept = KeptHTML(2_000)  # a site's line on the page: about 1 KB


def _ownership_html(estate: dict[str, Any], result) -> SafeString:
    """The "What IT owns" section of ``result``, rendered once per content and process."""
    key = hashlib.sha256(
        json.dumps(
            [estate.get("ownership"), estate.get("assumptions")], sort_keys=True, default=str
        ).encode()
    ).hexdigest()
    return _ownership_kept.get(
        key,
        lambda: render_to_string(
            "assessments/_ownership.html", {"result": result, "owner_classes": OWNER_CLASSES}
        ).strip(),
    )


def _costs_html(key: str, costs) -> SafeString:
    """The cost chapter of ``costs`` (a context), rendered once per kept costs and process."""
    return _costs_kept.get(
        (key, get_language() or "") if key else None,
        lambda: render_to_string("assessments/_costs.html", {"costs": costs}),
    )


def _summary_html(assessment, window: windows.Window) -> SafeString:
    """The estate's recommendation, notes and charts, rendered once per stored estate."""
    result = window.result
    stamp = kept_estate_stamp(assessment.pk, result)
    counts = window.counts

    def render() -> str:
        rec = result.recommendation
        return render_to_string(
            "assessments/_estate_summary.html",
            {
                "result": result,
                "counts": counts,
                "readiness_chart": charts.readiness_overview(windows.score_rows(assessment)),
                "site_total": window.total,
                "chart_bars_max": charts.BARS_MAX,
                "grade_chart": charts.grade_donut(counts),
                "fit_chart": charts.model_fit_bars(result.fits, rec.chart_model),
                "models": fit_story.model_rows(result.fits, rec.chart_model),
                "gateways": fit_story.gateways_by_site(rec.gateways),
                "country_facts": fit_story.country_facts(rec.country_data),
                "model_labels": MODEL_LABELS,
                "average": result.summary.average_readiness,
            },
        )

    key = None if stamp is None else (assessment.pk, stamp, get_language() or "")
    return _summaries_kept.get(key, render)


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


def _card(site: Site, r: SiteResult, latency_notes: list[str]) -> dict:
    """What one site's detail shows: its findings, what is good, fits and design."""
    return {
        "result": r,
        "site": site,
        "problems": _by_severity(r.network.findings),
        "good": [PASS_MESSAGES.get(code, code) for code in r.network.passed],
        "latency_notes": latency_notes,
        "fit_chart": charts.model_fit_bars(r.fits, r.recommendation.model),
        "design": fit_story.design_sentence(r.recommendation.design, r.recommendation.label),
        "models": fit_story.model_rows(r.fits, r.recommendation.model),
    }


def _detail_html(site: Site, r: SiteResult) -> SafeString:
    """A site's findings, fits and design, rendered once per stored result and process."""
    notes = latency_notes_by_site([site]).get(site.pk, [])
    stamp = windows.kept_result_stamp(site.pk, r)
    key = None if stamp is None else (site.pk, stamp, tuple(notes), get_language() or "")
    return _details_kept.get(
        key,
        lambda: render_to_string(
            "assessments/results.html#site-detail", {"card": _card(site, r, notes)}
        ),
    )


def _row_html(assessment, row: windows.WindowRow, opened: SafeString | None) -> SafeString:
    """A site's line on the page, with its detail when ``opened``; kept while closed."""
    stamp = None
    if row.result is not None and opened is None:
        stamp = windows.kept_result_stamp(row.site.pk, row.result)
    return _rows_kept.get(
        None if stamp is None else (row.site.pk, stamp, get_language() or ""),
        lambda: render_to_string(
            "assessments/results.html#result-row",
            {"assessment": assessment, "r": row.result, "site": row.site, "opened": opened},
        ),
    )


@member_required()
def assessment_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The estate's summary first, then one page of its sites; a site's detail on demand.

    The first site of the page shows its detail at once (as a reader starts there); the
    others load theirs when opened, so the page's size does not grow with the estate.
    """
    assessment = get_assessment_for(request, pk)
    params = windows.WindowParams.from_data(request.GET)
    window = windows.site_window(assessment, params, circuits=False)
    result = window.result
    first = window.rows[0] if window.rows else None
    opened = None
    if first is not None and first.result is not None:
        opened = _detail_html(first.site, first.result)
    context = {
        "assessment": assessment,
        "result": result,
        "row_html": [
            _row_html(assessment, row, opened if i == 0 else None)
            for i, row in enumerate(window.rows)
        ],
        "counts": window.counts,
        "site_total": window.total,
        "updating": window.stored is not None and window.stored.updating,
        "summary_html": _summary_html(assessment, window) if window.total else "",
        "ownership_html": (
            _ownership_html(window.stored.estate, result) if window.stored and window.total else ""
        ),
        **windows.page_context(
            window, url=reverse("assessments:results", args=[pk]), target="results-window"
        ),
    }
    htmx = request.htmx
    if htmx and htmx.target == "results-window" and not htmx.history_restore_request:
        return render(request, "assessments/results.html#window", context)
    # The whole page only: a page of sites swapped in leaves the costs where they are.
    # Kept with the stored estate (``result``): priced once per change, not per view, and
    # its chapter rendered once per kept costs (a lazy context: read only when rendered).
    costs, key = estate_costs_keyed(
        assessment=assessment, state=window.stored.state if window.stored else None
    )
    context["costs"] = SimpleLazyObject(lambda: cost_story.cost_context(costs))
    context["costs_html"] = _costs_html(key, context["costs"])
    return render(request, "assessments/results.html", context)


@member_required()
def site_result(request: HttpRequest, pk: int, site_pk: int) -> HttpResponse:
    """One site's findings, fits and design: into its opened row, or as a page of its own."""
    assessment = get_assessment_for(request, pk)
    site = get_site_for(request, assessment, site_pk)
    r = windows.site_result(assessment, site)
    if r is None:
        raise Http404("This site has no result.")
    detail = _detail_html(site, r)
    if request.htmx:
        return HttpResponse(detail)
    context = {
        "assessment": assessment,
        "site": site,
        "r": r,
        "detail_html": detail,
        "back": reverse("assessments:results", args=[pk]) + f"?site={site.pk}",
    }
    return render(request, "assessments/site_result.html", context)
