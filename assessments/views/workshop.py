"""Workshop mode: the live sites grid, where every row saves as it is edited and scores move."""

import json
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from assessments import questions, selectors, windows
from assessments.forms import BulkSetForm, GridRowForm, QuestionnaireForm, SiteForm
from assessments.grid_rows import MODEL_SHORT, GridRow, GridRows, country_options
from assessments.kept_html import KeptHTML
from assessments.models import Assessment, Site
from assessments.services import assessments as services
from assessments.services import undo
from assessments.services.grid_paste import grid_bulk_set
from assessments.services.scores import (
    Stored,
    assessment_rescore_touched,
    stored_scores,
)
from assessments.services.versioning import FieldConflict, StaleEditError
from assessments.views.common import (
    Saved,
    actor_for,
    answered_count,
    delete_versioned,
    save_form,
)
from scoring.results import MODEL_LABELS, AssessmentResult, EstateResult
from tenancy.permissions import editor_required, get_assessment_for, get_site_for

GRID = "assessments/site_grid.html"
NEW_ROW = "row-new"


def _row_id(site: Site) -> str:
    return f"row-{site.pk}"


def summary_context(assessment: Assessment, result: AssessmentResult | EstateResult) -> dict:
    """What the live summary panel shows: grades, average readiness and the recommendation."""
    return {
        "assessment": assessment,
        "result": result,
        "has_sites": bool(result.summary.site_count),
        "counts": dict(result.grade_counts),
        "average": result.summary.average_readiness,
        "model_labels": MODEL_LABELS,
    }


def stored_summary_context(assessment: Assessment, stored: Stored) -> dict:
    """The live summary panel from the stored estate result (no scoring).

    While the worker rescores the sites (an answer that moves every site's fit), the panel
    says so with its progress and polls until done, rather than showing figures from before
    the change as current.
    """
    estate = stored.estate
    summary = estate.get("summary") or {}
    return {
        "assessment": assessment,
        "result": estate,
        "has_sites": bool(summary.get("site_count")),
        "counts": dict(estate.get("grade_counts") or ()),
        "average": summary.get("average_readiness"),
        "model_labels": MODEL_LABELS,
        "updating": stored.updating,
        "progress_done": stored.done,
        "progress_total": stored.total,
    }


def window_summary(assessment: Assessment, window: windows.Window) -> dict:
    """The live summary of a page showing a window: from the stored scores it read."""
    if window.stored is not None:
        return stored_summary_context(assessment, window.stored)
    return summary_context(assessment, window.result)


def _saved_scores(assessment: Assessment) -> Stored:
    """Rescore what this request's save touched, once, and return what is stored now."""
    stored = assessment_rescore_touched(assessment_id=assessment.pk, assessment=assessment)
    return stored if stored is not None else Stored({})


def _site_result(assessment: Assessment, stored: Stored, site: Site):
    """A site's result: as just scored, else as stored (one query)."""
    fresh = stored.sites.get(site.pk)
    if fresh is not None:
        return fresh
    return windows.stored_results(assessment, [site.pk]).get(site.pk)


def _stored_row(assessment: Assessment, stored: Stored, site: Site) -> GridRow:
    """The grid row of ``site`` as stored now, with its result as just scored or stored."""
    fresh = selectors.site_list(assessment=assessment).get(pk=site.pk)
    return GridRows(assessment).row(fresh, _site_result(assessment, stored, site))


# The new site's row and the bulk bar's lists are the same on every grid page of a
# language: rendered once per process (a language's labels are all they show).
_same_parts = KeptHTML(32)


def _new_row_cells() -> str:
    return render_to_string(
        f"{GRID}#new-row-cells", {"new_form": GridRowForm(instance=Site(), row=NEW_ROW)}
    )


def _bulk_part(part: str) -> str:
    fields = [(name, BulkSetForm.model_field(name)) for name in questions.bulk_fields()]
    return render_to_string(f"{GRID}#{part}", {"bulk_fields": fields})


def _grid_context(assessment: Assessment, window: windows.Window) -> dict:
    build = GridRows(assessment)
    language = get_language() or ""
    return {
        **window_summary(assessment, window),
        "rows": [build.row(r.site, r.result) for r in window.rows],
        "new_row_cells": _same_parts.get(("new-row-cells", language), _new_row_cells),
        "bulk_html": {
            part: _same_parts.get((part, language), lambda part=part: _bulk_part(f"bulk-{part}"))
            for part in ("fields", "values")
        },
        "country_options": country_options(),
        "model_short": MODEL_SHORT,
        **windows.page_context(window, url=grid_url(assessment.pk), target="grid-window"),
    }


def grid_url(assessment_pk: int, query: str = "", site_pk: int | None = None) -> str:
    """The grid at a window (a query string), or at the page of one site with it in view."""
    url = reverse("assessments:site-grid", args=[assessment_pk])
    if site_pk is not None:
        return f"{url}?site={site_pk}#row-{site_pk}"
    return f"{url}?{query}" if query else url


@editor_required
def site_grid(request: HttpRequest, pk: int) -> HttpResponse:
    """The grid at one window of the sites: searched, filtered by grade, paged, or jumped to.

    htmx asks for the window alone (``#grid-window``) and puts its canonical address in
    the browser's history; without JavaScript a jump redirects to the site's page.
    """
    assessment = get_assessment_for(request, pk)
    params = windows.WindowParams.from_data(request.GET)
    window = windows.site_window(assessment, params)
    htmx = request.htmx
    if params.jump and window.focus is not None and not htmx:
        return redirect(grid_url(pk, site_pk=window.focus))
    context = {
        **_grid_context(assessment, window),
        "removed": undo.offered_removals(assessment=assessment, user=request.user),
    }
    if htmx and htmx.target == "grid-window" and not htmx.history_restore_request:
        response = render(request, f"{GRID}#window", context)
        if window.focus is not None:
            response["HX-Push-Url"] = grid_url(pk, window.params.query_string(site=window.focus))
        return response
    return render(request, GRID, context)


def _row_response(
    request: HttpRequest,
    assessment: Assessment,
    form: GridRowForm,
    site: Site,
    *,
    saved: Saved,
) -> HttpResponse:
    """The fragments that change after a row is posted: never the inputs being typed in.

    Inputs of fields someone else changed meanwhile (``saved.refresh``) are replaced with
    the stored values, so the next autosave does not write the old values back.
    """
    stored = _saved_scores(assessment)
    fresh = site
    if saved.status in ("saved", "conflict") or saved.refresh:
        fresh = Site.objects.filter(pk=site.pk).first() or site
    stored_form = GridRowForm(instance=fresh, row=form.row)
    grid_names = set(stored_form.fields)
    refreshed = [stored_form[name] for name in _grid_names(saved.refresh) if name in grid_names]
    context = {
        **stored_summary_context(assessment, stored),
        "form": form,
        "site": fresh,
        "row": form.row,
        "status": saved.status,
        "conflict": saved.conflict,
        "row_result": _site_result(assessment, stored, fresh),
        "model_short": MODEL_SHORT,
        "refreshed": refreshed,
        "version": saved.version(fresh.version),
        "cell_conflicts": cell_conflicts(saved.conflict, stored_form),
    }
    return render(request, "assessments/_grid_row_update.html", context)


@dataclass(frozen=True)
class CellConflict:
    """A refused edit shown in the grid cell it happened in: both values, who, and theirs."""

    conflict: FieldConflict
    theirs: str  # JSON ``{grid input name: stored value as the input shows it}``


def cell_conflicts(error: StaleEditError | None, stored_form: GridRowForm) -> dict:
    """The grid cells a refused row save clashed in, each with what "take theirs" puts back.

    The conflict is shown in the cell the user just edited rather than at the row's far
    end, so it is seen where the user is looking. A circuit clash shows in the primary
    circuit's cells; a field the grid has no cell for shows in the name cell.

    Args:
        error: The refusal of the save, if it was refused.
        stored_form: The row's form bound to the stored site (the other person's values).

    Returns:
        ``{grid input name: CellConflict}``; empty when the save was not refused.
    """
    if error is None:
        return {}
    cells: dict[str, CellConflict] = {}
    for conflict in error.conflicts:
        names = _grid_names([conflict.field])
        names = [n for n in names if n in stored_form.fields] or ["name"]
        theirs = {}
        for name in names:
            bound = stored_form[name]
            shown = bound.field.widget.format_value(bound.value())
            theirs[name] = "" if shown is None else str(shown)
        cells.setdefault(names[0], CellConflict(conflict, json.dumps(theirs)))
    return cells


def _grid_names(fields: list[str]) -> list[str]:
    """Grid inputs behind changed model fields (circuits show as the primary circuit)."""
    names = [f for f in fields if f != "circuits"]
    if "circuits" in fields:
        names += ["primary_down_mbps", "primary_up_mbps"]
    return names


@require_POST
@editor_required
def site_row_save(request: HttpRequest, pk: int, site_pk: int) -> HttpResponse:
    """Save one row of the grid (autosave on change, or Enter without JavaScript)."""
    assessment = get_assessment_for(request, pk)
    site = get_site_for(request, assessment, site_pk)
    form = GridRowForm(request.POST, instance=site, row=_row_id(site))
    saved = save_form(
        form,
        lambda version, changes: services.site_update(
            site=site,
            base_version=version,
            changes=changes,
            circuits=form.circuits(),
            actor=actor_for(request),
            # With htmx this request rescores the sites the save touched to show them,
            # once; without, they are rescored on commit.
            rescore=not request.htmx,
        ),
    )
    if saved.refresh:
        site.refresh_from_db()
    if not request.htmx:
        if saved.ok:
            messages.success(request, f"Site “{site.name}” saved.")
        else:
            messages.error(
                request, f"“{site.name}” was not saved: {_first_error(form, saved.conflict)}"
            )
        return redirect(grid_url(pk, site_pk=site.pk))
    return _row_response(request, assessment, form, site, saved=saved)


def _first_error(form: GridRowForm, conflict: StaleEditError | None) -> str:
    if conflict is not None:
        return str(conflict)
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        return f"{label}: {errors[0]}" if label else errors[0]
    return "check the row."


@editor_required
def site_row(request: HttpRequest, pk: int, site_pk: int) -> HttpResponse:
    """One whole row as stored now (to take someone else's values after a conflict)."""
    assessment = get_assessment_for(request, pk)
    site = get_site_for(request, assessment, site_pk)
    row = _stored_row(assessment, stored_scores(assessment=assessment), site)
    return render(request, f"{GRID}#row", {"r": row, "model_short": MODEL_SHORT})


@require_POST
@editor_required
def site_row_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a site from the grid's last row; the new row is appended to the table."""
    assessment = get_assessment_for(request, pk)
    form = GridRowForm(request.POST, instance=Site(assessment=assessment), row=NEW_ROW)
    form.fields["version"].required = False
    saved = save_form(
        form,
        lambda _version, changes: services.site_create(
            assessment=assessment,
            fields=changes,
            circuits=form.circuits(),
            actor=actor_for(request),
            rescore=not request.htmx,
        ),
    )
    site = saved.result
    if not request.htmx:
        if site:
            messages.success(request, f"Site “{site.name}” added.")
            return redirect(grid_url(pk, site_pk=site.pk))
        messages.error(request, f"The site was not added: {_first_error(form, None)}")
        return redirect("assessments:site-grid", pk=pk)
    stored = _saved_scores(assessment)
    context = {
        **stored_summary_context(assessment, stored),
        "new_form": form if site is None else None,
        "model_short": MODEL_SHORT,
    }
    if site is not None:
        context["r"] = _stored_row(assessment, stored, site)
    response = render(request, "assessments/_grid_row_created.html", context)
    if site is not None:
        response["HX-Trigger"] = "site-created"
    return response


@require_POST
@editor_required
def site_row_clone(request: HttpRequest, pk: int, site_pk: int) -> HttpResponse:
    """Duplicate a row (and its circuits) as a new site at the end of the grid."""
    assessment = get_assessment_for(request, pk)
    site = get_site_for(request, assessment, site_pk)
    copy = services.site_clone(site=site, actor=actor_for(request), rescore=not request.htmx)
    if not request.htmx:
        messages.success(request, f"“{site.name}” cloned as “{copy.name}”: rename it and adjust.")
        return redirect(grid_url(pk, site_pk=copy.pk))
    stored = _saved_scores(assessment)
    row = _stored_row(assessment, stored, copy)
    context = {**stored_summary_context(assessment, stored), "r": row, "model_short": MODEL_SHORT}
    response = render(request, "assessments/_grid_row_created.html", context)
    response["HX-Trigger"] = "site-created"
    return response


@require_POST
@editor_required
def site_row_delete(request: HttpRequest, pk: int, site_pk: int) -> HttpResponse:
    """Remove a row's site unless someone changed it since the page showed it."""
    assessment = get_assessment_for(request, pk)
    site = get_site_for(request, assessment, site_pk)
    # Removed through the undo service: what it takes away is kept, so it can come back.
    removed = delete_versioned(
        request,
        lambda version: undo.site_remove(
            site=site, base_version=version, actor=actor_for(request), rescore=not request.htmx
        ),
    )
    if not removed:
        message = f"“{site.name}” was changed by someone else since you loaded it: not removed."
        if not request.htmx:
            messages.error(request, message)
            return redirect("assessments:site-grid", pk=pk)
        response = HttpResponse(status=409)
        response["HX-Trigger"] = "grid-error"
        response.content = message.encode()
        return response
    if not request.htmx:
        messages.success(request, f"Site “{site.name}” removed.")
        return redirect("assessments:site-grid", pk=pk)
    context = {
        **stored_summary_context(assessment, _saved_scores(assessment)),
        "oob": True,
        "removed": undo.offered_removals(assessment=assessment, user=request.user),
    }
    return render(request, "assessments/_site_removed.html", context)


@require_POST
@editor_required
def site_bulk_set(request: HttpRequest, pk: int) -> HttpResponse:
    """Set one field on every selected site, all or none."""
    assessment = get_assessment_for(request, pk)
    form = BulkSetForm(request.POST, assessment=assessment)
    if form.is_valid():
        name, value = form.cleaned_data["field"], form.cleaned_data["clean_value"]
        try:
            # As one change the grid's Undo takes back whole.
            grid_bulk_set(
                assessment=assessment,
                sites=form.cleaned_data["sites"],
                changes={name: value},
                actor=actor_for(request),
            )
        except (ValidationError, StaleEditError) as exc:
            messages.error(request, f"Nothing was changed: {exc}")
        else:
            label = SiteForm.base_fields[name].label or name
            messages.success(request, f"{label} set on {len(form.cleaned_data['sites'])} site(s).")
    else:
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, f"Nothing was changed: {errors}")
    # Back to the window the sites were ticked in (read and rebuilt: never a raw address).
    shown = windows.WindowParams.from_data(QueryDict(request.POST.get("window", "")[:500]))
    return redirect(grid_url(pk, shown.query_string()))


@require_POST
@editor_required
def questionnaire_autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the organisation answers as they change; the recommendation panel follows."""
    assessment = get_assessment_for(request, pk)
    form = QuestionnaireForm(request.POST, instance=assessment)
    saved = save_form(
        form,
        lambda version, changes: services.assessment_update(
            assessment=assessment,
            base_version=version,
            changes=changes,
            actor=actor_for(request),
            rescore=False,  # rescored below, once
        ),
    )
    errors = [
        f"{form.fields[name].label if name in form.fields else ''}: {' '.join(msgs)}"
        for name, msgs in form.errors.items()
    ]
    assessment.refresh_from_db()
    # An answer moves every site's fit: up to a workshop's size the sites are rescored
    # here; a larger estate is rescored by the worker while the panel shows progress.
    scores = _saved_scores(assessment)
    answered, total = answered_count(assessment)
    stored = QuestionnaireForm(instance=assessment)
    return render(
        request,
        "assessments/_questionnaire_update.html",
        {
            **stored_summary_context(assessment, scores),
            "status": saved.status,
            "conflict": saved.conflict,
            "errors": errors,
            "answered": answered,
            "questions": total,
            "refreshed": [stored[name] for name in saved.refresh if name in stored.fields],
            "version": saved.version(assessment.version),
        },
    )


@editor_required
def live_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The live summary panel as stored now: polled while the worker rescores the sites."""
    assessment = get_assessment_for(request, pk)
    return render(
        request,
        "assessments/_live_summary.html",
        stored_summary_context(assessment, stored_scores(assessment=assessment)),
    )
