"""The results page: site readiness, model fits, the recommendation and who owns what."""

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from assessments import charts, cost_story, fit_story, windows
from assessments.models import Site
from assessments.services.costs import estate_costs_keyed
from imports.services.measurements import latency_notes_by_site
from scoring.network import PASS_MESSAGES
from scoring.results import FIT_BAND_LABELS, MODEL_LABELS, SiteResult, issue_order
from tenancy.permissions import get_assessment_for, get_site_for, member_required

OWNER_CLASSES = {
    "customer_it": "owner-customer",
    "operator": "owner-operator",
    "partner": "owner-partner",
    "microsoft": "owner-microsoft",
    "vendor": "owner-vendor",
}

# The ownership matrix of an estate (11 responsibilities by 4 models, with hours) is a
# third of the results page's template time, and it changes only when the estate's
# ownership or assumptions do: its HTML is kept per process by their content (a digest,
# so an estate rescored anywhere is rendered anew), for the last OWNERSHIP_KEPT estates.
OWNERSHIP_KEPT = 64
_ownership_kept: OrderedDict[str, SafeString] = OrderedDict()
_ownership_lock = threading.Lock()


def _ownership_html(estate: dict[str, Any], result) -> SafeString:
    """The "What IT owns" section of ``result``, rendered once per content and process."""
    key = hashlib.sha256(
        json.dumps(
            [estate.get("ownership"), estate.get("assumptions")], sort_keys=True, default=str
        ).encode()
    ).hexdigest()
    with _ownership_lock:
        html = _ownership_kept.get(key)
        if html is not None:
            _ownership_kept.move_to_end(key)
            return html
    html = mark_safe(  # noqa: S308 - a template's autoescaped output
        render_to_string(
            "assessments/_ownership.html", {"result": result, "owner_classes": OWNER_CLASSES}
        ).strip()
    )
    with _ownership_lock:
        _ownership_kept[key] = html
        while len(_ownership_kept) > OWNERSHIP_KEPT:
            _ownership_kept.popitem(last=False)
    return html


# The cost chapter (each model's lines, the totals, a chart) reads only the kept costs:
# its HTML is kept per process by their key and the language, for the last COSTS_KEPT.
COSTS_KEPT = 64
_costs_kept: OrderedDict[tuple[str, str], SafeString] = OrderedDict()
_costs_lock = threading.Lock()


def _costs_html(key: str, costs) -> SafeString:
    """The cost chapter of ``costs`` (a context), rendered once per kept costs and process."""
    found = (key, get_language() or "")
    with _costs_lock:
        html = _costs_kept.get(found) if key else None
        if html is not None:
            _costs_kept.move_to_end(found)
            return html
    html = mark_safe(  # noqa: S308 - a template's autoescaped output
        render_to_string("assessments/_costs.html", {"costs": costs})
    )
    if key:
        with _costs_lock:
            _costs_kept[found] = html
            while len(_costs_kept) > COSTS_KEPT:
                _costs_kept.popitem(last=False)
    return html


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
        notes = latency_notes_by_site([first.site]).get(first.site.pk, [])
        opened = _card(first.site, first.result, notes)
    counts = window.counts
    rec = result.recommendation
    context = {
        "assessment": assessment,
        "result": result,
        "rows": window.rows,
        "opened": opened,
        "counts": counts,
        "readiness_chart": charts.readiness_overview(windows.score_rows(assessment)),
        "site_total": window.total,
        "updating": window.stored is not None and window.stored.updating,
        "chart_bars_max": charts.BARS_MAX,
        "grade_chart": charts.grade_donut(counts),
        "fit_chart": charts.model_fit_bars(result.fits, rec.chart_model),
        "models": fit_story.model_rows(result.fits, rec.chart_model),
        "gateways": fit_story.gateways_by_site(rec.gateways),
        "country_facts": fit_story.country_facts(rec.country_data),
        "model_labels": MODEL_LABELS,
        "band_labels": FIT_BAND_LABELS,
        "ownership_html": (
            _ownership_html(window.stored.estate, result) if window.stored and window.total else ""
        ),
        "average": result.summary.average_readiness,
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
    costs, key = estate_costs_keyed(assessment=assessment)
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
    notes = latency_notes_by_site([site]).get(site.pk, [])
    context = {
        "assessment": assessment,
        "card": _card(site, r, notes),
        "r": r,
        "back": reverse("assessments:results", args=[pk]) + f"?site={site.pk}",
    }
    if request.htmx:
        return render(request, "assessments/results.html#site-detail", context)
    return render(request, "assessments/site_result.html", context)
