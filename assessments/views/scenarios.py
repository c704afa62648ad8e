"""What-if scenarios: change answers on paper and compare the outcome with the stored one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments import charts, presenters, windows
from assessments.forms import ScenarioChangeForm, ScenarioForm, answer_field
from assessments.models import Assessment, Scenario, Site
from assessments.parsing import parse_int
from assessments.services import scenarios as services
from assessments.services.versioning import StaleEditError
from assessments.views.common import actor_for
from scoring.results import MODEL_LABELS
from tenancy.permissions import editor_required, get_assessment_for


def _change_form(assessment, data=None) -> ScenarioChangeForm:
    return ScenarioChangeForm(
        data,
        assessment=assessment,
        org_fields=services.ORG_FIELDS,
        site_fields=services.SITE_FIELDS,
        field_for=answer_field,
    )


def _scenario(request: HttpRequest, assessment, scenario_pk: int) -> Scenario:
    return get_object_or_404(
        Scenario.objects.visible_to(request.user), assessment=assessment, pk=scenario_pk
    )


@editor_required
def scenario_list(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    form = ScenarioForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        scenario = services.scenario_create(
            assessment=assessment, name=form.cleaned_data["name"], actor=actor_for(request)
        )
        return redirect("assessments:scenario", pk=pk, scenario_pk=scenario.pk)
    return render(
        request,
        "assessments/scenarios.html",
        {"assessment": assessment, "form": form, "scenarios": assessment.scenarios.all()},
    )


def _describe(change: dict, sites_by_id: dict[int, str]) -> dict:
    scope, name = change["scope"], change["field"]
    model = Assessment if scope == "organisation" else Site
    where = "the organisation"
    if scope == "sites":
        named = [sites_by_id[i] for i in change["sites"] if i in sites_by_id]
        where = ", ".join(named) if change["sites"] else "every site"
    return {
        "field": presenters.label(model, name),
        "value": presenters.display(model, name, change["value"]),
        "where": where,
    }


@editor_required
def scenario_detail(request: HttpRequest, pk: int, scenario_pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    scenario = _scenario(request, assessment, scenario_pk)
    # The estate as stored, a page of its sites, and the scenario's estate as kept: the
    # page's cost does not grow with the estate (only the page's sites are scored).
    window = windows.site_window(assessment, windows.WindowParams.from_data(request.GET))
    current = window.result
    shown = [row for row in window.rows if row.result is not None]
    outcome = services.scenario_outcome(
        assessment=assessment, scenario=scenario, site_ids=[row.site.pk for row in shown]
    )
    what_if = outcome.estate
    rows = [
        {
            "site": row.site,
            "now": row.result,
            "then": then,
            "delta": then.network.score - row.result.network.score,
        }
        for row in shown
        # A site deleted while the page was read has no what-if result: left out.
        if (then := outcome.sites.get(row.site.pk)) is not None
    ]
    fits = [
        {
            "label": MODEL_LABELS[a.model],
            "now": a.fit,
            "then": b.fit,
            "band_now": a.band_label,
            "band_then": b.band_label,
        }
        for a, b in zip(current.fits, what_if.fits, strict=True)
    ]
    hours = [
        {"label": a.label, "now": a.hours_per_year, "then": b.hours_per_year}
        for a, b in zip(current.ownership.summaries, what_if.ownership.summaries, strict=True)
    ]

    named = {pk for c in scenario.changes for pk in c["sites"]}
    sites_by_id = dict(assessment.sites.filter(pk__in=named).values_list("pk", "name"))
    url = reverse("assessments:scenario", args=[pk, scenario.pk])
    htmx = request.htmx
    template = "assessments/scenario.html"
    if htmx and htmx.target == "what-if-window" and not htmx.history_restore_request:
        template += "#window"
    return render(
        request,
        template,
        {
            **windows.page_context(window, url=url, target="what-if-window"),
            "assessment": assessment,
            "scenario": scenario,
            "changes": [_describe(c, sites_by_id) for c in scenario.changes],
            "form": _change_form(assessment),
            "current": current,
            "what_if": what_if,
            "rows": rows,
            "fits": fits,
            "hours": hours,
            "average_now": current.summary.average_readiness,
            "average_then": what_if.summary.average_readiness,
            "counts_now": dict(current.grade_counts),
            "counts_then": dict(what_if.grade_counts),
            "chart_now": charts.readiness_overview(windows.score_rows(assessment), width=480),
            "chart_then": charts.readiness_overview(outcome.rows, width=480),
            "value_fields": [
                (f"{scope}:{name}", answer_field(scope, name))
                for scope, names in (
                    ("organisation", services.ORG_FIELDS),
                    ("sites", services.SITE_FIELDS),
                )
                for name in names
            ],
        },
    )


@require_POST
@editor_required
def scenario_change_add(request: HttpRequest, pk: int, scenario_pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    scenario = _scenario(request, assessment, scenario_pk)
    form = _change_form(assessment, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        services.scenario_add_change(
            scenario=scenario,
            scope=data["scope"],
            field=data["field"],
            value=data["clean_value"],
            sites=[s.pk for s in data["sites"]] if data["scope"] == "sites" else [],
        )
    else:
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, f"That change was not added: {errors}")
    return redirect("assessments:scenario", pk=pk, scenario_pk=scenario.pk)


@require_POST
@editor_required
def scenario_change_remove(request: HttpRequest, pk: int, scenario_pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    scenario = _scenario(request, assessment, scenario_pk)
    index = parse_int(request.POST.get("index", ""), maximum=len(scenario.changes) - 1)
    if index is None:
        messages.error(request, "That change is not in this scenario any more: nothing removed.")
    else:
        services.scenario_remove_change(scenario=scenario, index=index)
    return redirect("assessments:scenario", pk=pk, scenario_pk=scenario.pk)


@require_POST
@editor_required
def scenario_promote(request: HttpRequest, pk: int, scenario_pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    scenario = _scenario(request, assessment, scenario_pk)
    if not scenario.changes:
        messages.error(request, "This scenario changes nothing yet.")
        return redirect("assessments:scenario", pk=pk, scenario_pk=scenario.pk)
    try:
        services.scenario_promote(scenario=scenario, actor=actor_for(request))
    except (StaleEditError, ValidationError) as exc:
        messages.error(request, f"The assessment was not changed: {exc}")
        return redirect("assessments:scenario", pk=pk, scenario_pk=scenario.pk)
    messages.success(request, f"“{scenario.name}” is now part of the assessment.")
    return redirect("assessments:results", pk=pk)


@require_POST
@editor_required
def scenario_delete(request: HttpRequest, pk: int, scenario_pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    scenario = _scenario(request, assessment, scenario_pk)
    services.scenario_delete(scenario=scenario, actor=actor_for(request))
    messages.success(request, f"Scenario “{scenario.name}” deleted.")
    return redirect("assessments:scenarios", pk=pk)
