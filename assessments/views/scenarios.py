"""What-if scenarios: change answers on paper and compare the outcome with the stored one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments import charts, cost_story, presenters, windows
from assessments.countries import country_name
from assessments.forms import (
    ScenarioChangeForm,
    ScenarioCircuitForm,
    ScenarioForm,
    ScenarioSiteForm,
    answer_field,
)
from assessments.models import Assessment, Circuit, Scenario, Site, Undo, UndoKind
from assessments.parsing import parse_int
from assessments.services import costs as cost_services
from assessments.services import scenarios as services
from assessments.services import undo as undo_services
from assessments.services.versioning import StaleEditError
from assessments.views.common import actor_for
from assessments.views.workshop import grid_url
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
    where = "the organisation"
    if scope in ("sites", services.CIRCUITS):
        named = [sites_by_id[i] for i in change["sites"] if i in sites_by_id]
        where = ", ".join(named) if change["sites"] else "every site"
    if scope == services.NEW_SITE:
        v = change["value"]
        return {
            "field": f"New site “{v['name']}”",
            "value": f"{country_name(v['country'])}, {v['users']} users, {_line(v['kind'], v)}",
            "where": "this scenario only",
        }
    if scope == services.CIRCUITS:
        role = dict(ScenarioCircuitForm.ROLES)[name]
        kind = "cellular" if name == services.LTE else change["value"]["kind"]
        return {"field": role, "value": _line(kind, change["value"]), "where": where}
    model = Assessment if scope == "organisation" else Site
    return {
        "field": presenters.label(model, name),
        "value": presenters.display(model, name, change["value"]),
        "where": where,
    }


def _line(kind: str, value: dict) -> str:
    """A circuit as people read it: its type, then down / up."""
    label = presenters.display(Circuit, "kind", kind)
    down = presenters.number_text(value["down_mbps"])
    return f"{label} {down} / {presenters.number_text(value['up_mbps'])} Mbps"


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
    costs: list[dict] = []
    if htmx and htmx.target == "what-if-window" and not htmx.history_restore_request:
        template += "#window"
    else:
        # The whole page only: a page of sites swapped in leaves the comparison as it is.
        # Kept with the stored estate and the scenario's outcome: priced once per change.
        costs = cost_story.compare_rows(
            *cost_services.scenario_costs_kept(
                assessment=assessment, scenario=scenario, then=what_if
            )
        )
    return render(
        request,
        template,
        {
            **windows.page_context(window, url=url, target="what-if-window"),
            "assessment": assessment,
            "scenario": scenario,
            "changes": [_describe(c, sites_by_id) for c in scenario.changes],
            "form": _change_form(assessment),
            "circuit_form": ScenarioCircuitForm(assessment=assessment),
            "site_form": ScenarioSiteForm(assessment=assessment),
            "added": outcome.added,
            "promotion": undo_services.last_promotion(scenario=scenario, user=request.user),
            "current": current,
            "what_if": what_if,
            "rows": rows,
            "fits": fits,
            "hours": hours,
            "costs": costs,
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


def _add_change(request: HttpRequest, scenario: Scenario, **change) -> None:
    try:
        services.scenario_add_change(scenario=scenario, **change)
    except ValidationError as exc:
        messages.error(request, f"That change was not added: {' '.join(exc.messages)}")


def _form_errors(form) -> str:
    return "; ".join(
        f"{form[name].label if name in form.fields else ''} {e}".strip()
        for name, errs in form.errors.items()
        for e in errs
    )


@require_POST
@editor_required
def scenario_circuit_add(request: HttpRequest, pk: int, scenario_pk: int) -> HttpResponse:
    """Set a circuit (primary, secondary, backup or LTE / 5G) at the sites ticked, or all."""
    assessment = get_assessment_for(request, pk)
    scenario = _scenario(request, assessment, scenario_pk)
    form = ScenarioCircuitForm(request.POST, assessment=assessment)
    if form.is_valid():
        data = form.cleaned_data
        _add_change(
            request,
            scenario,
            scope=services.CIRCUITS,
            field=data["role"],
            value={k: data[k] for k in ("kind", "down_mbps", "up_mbps")},
            sites=[s.pk for s in data["sites"]],
        )
    else:
        messages.error(request, f"That circuit was not added: {_form_errors(form)}")
    return redirect("assessments:scenario", pk=pk, scenario_pk=scenario.pk)


@require_POST
@editor_required
def scenario_site_add(request: HttpRequest, pk: int, scenario_pk: int) -> HttpResponse:
    """Add a site that exists only in the scenario (a new office, a planned branch)."""
    assessment = get_assessment_for(request, pk)
    scenario = _scenario(request, assessment, scenario_pk)
    form = ScenarioSiteForm(request.POST, assessment=assessment)
    if form.is_valid():
        value = dict(form.cleaned_data)
        # Keyed by its name in any case: adding it again with other figures replaces it.
        _add_change(
            request,
            scenario,
            scope=services.NEW_SITE,
            field=value["name"].lower(),
            value=value,
            sites=[],
        )
    else:
        messages.error(request, f"That site was not added: {_form_errors(form)}")
    return redirect("assessments:scenario", pk=pk, scenario_pk=scenario.pk)


@editor_required
def scenario_promote(request: HttpRequest, pk: int, scenario_pk: int) -> HttpResponse:
    """GET: what promoting would change, to confirm. POST (confirmed): promote it."""
    assessment = get_assessment_for(request, pk)
    scenario = _scenario(request, assessment, scenario_pk)
    back = redirect("assessments:scenario", pk=pk, scenario_pk=scenario.pk)
    if not scenario.changes and request.method == "POST":
        messages.error(request, "This scenario changes nothing yet.")
        return back
    try:
        plan = services.promote_plan(scenario=scenario)
    except ValidationError as exc:
        messages.error(request, f"This scenario cannot be promoted: {' '.join(exc.messages)}")
        return back
    if request.method != "POST" or request.POST.get("confirmed") != "yes":
        return render(
            request,
            "assessments/scenario_promote.html",
            {"assessment": assessment, "scenario": scenario, "plan": plan},
        )
    try:
        services.scenario_promote(scenario=scenario, actor=actor_for(request))
    except (StaleEditError, ValidationError) as exc:
        messages.error(request, f"The assessment was not changed: {exc}")
        return back
    messages.success(
        request,
        f"“{scenario.name}” is now part of the assessment. Changed your mind? “Undo the "
        "promotion” on the scenario's page puts the answers back.",
    )
    return redirect("assessments:results", pk=pk)


@require_POST
@editor_required
def undo_take_back(request: HttpRequest, pk: int, undo_pk: int) -> HttpResponse:
    """Take back a site removal or a scenario promotion, if nothing it touched changed since."""
    assessment = get_assessment_for(request, pk)
    entry = get_object_or_404(
        Undo.objects.visible_to(request.user), assessment=assessment, pk=undo_pk
    )
    actor = actor_for(request)
    try:
        if entry.kind == UndoKind.SITE_DELETE:
            site = undo_services.site_restore(undo=entry, actor=actor)
            messages.success(request, f"“{site.name}” is back, as it was.")
            return redirect(grid_url(pk, site_pk=site.pk))
        scenario = undo_services.promote_undo(undo=entry, actor=actor)
    except undo_services.UndoRefused as exc:
        messages.error(request, str(exc))
        if entry.kind == UndoKind.SITE_DELETE:
            return redirect("assessments:site-grid", pk=pk)
        scenario = Scenario.objects.filter(pk=entry.payload.get("scenario")).first()
    else:
        messages.success(request, "The promotion is taken back: the answers are as they were.")
    if scenario is None:
        return redirect("assessments:results", pk=pk)
    return redirect("assessments:scenario", pk=pk, scenario_pk=scenario.pk)


@require_POST
@editor_required
def scenario_delete(request: HttpRequest, pk: int, scenario_pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    scenario = _scenario(request, assessment, scenario_pk)
    services.scenario_delete(scenario=scenario, actor=actor_for(request))
    messages.success(request, f"Scenario “{scenario.name}” deleted.")
    return redirect("assessments:scenarios", pk=pk)
