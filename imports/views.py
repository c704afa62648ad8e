"""Site list import (upload → preview → commit) and export, and a site's measurements."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from assessments.models import Assessment, Site
from assessments.views.common import CSV_TYPE, XLSX_TYPE, actor_for, file_download
from imports.forms import MeasurementPasteForm, NatUploadForm, SiteImportForm
from imports.models import PendingSiteImport
from imports.selectors import pending_import_of
from imports.services import measurements, spreadsheets
from imports.services import site_lists as services
from imports.uploads import confirm_upload, receive_upload
from tenancy.permissions import editor_required, get_assessment_for, get_site_for, member_required

PREVIEW_ROWS_SHOWN = 500
PREVIEW_PROBLEMS_SHOWN = 1_000


@editor_required
def site_import(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    posted = request.method == "POST"
    form = SiteImportForm(request.POST if posted else None, request.FILES if posted else None)
    if (
        posted
        and form.is_valid()
        and receive_upload(form, assessment=assessment, user=request.user)
    ):
        return redirect("imports:site-import-preview", pk=pk)
    return render(
        request,
        "imports/import_upload.html",
        {
            "assessment": assessment,
            "form": form,
            "columns": [(c, services.accepted_values(c)) for c in services.all_columns()],
            "max_rows": services.MAX_ROWS,
            "max_cells": spreadsheets.MAX_SHEET_CELLS,
            "read_seconds": int(spreadsheets.READ_SECONDS),
        },
    )


def _pending_for(request: HttpRequest, assessment: Assessment) -> PendingSiteImport | None:
    return pending_import_of(assessment=assessment, user=request.user)


def _nothing_pending(request: HttpRequest, pk: int) -> HttpResponse:
    messages.info(request, "There is no upload waiting for confirmation: upload a file first.")
    return redirect("imports:site-import", pk=pk)


@editor_required
def site_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)  # other tenants get 404 whatever the method
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    pending = _pending_for(request, assessment)
    if pending is None:
        # Shown in place (not redirected): a bookmarked or already-imported preview.
        messages.info(request, "There is no upload waiting for confirmation: upload a file.")
        return site_import(request, pk)
    blank_clears = request.GET.get("blanks") == "clear"
    plan = services.plan_import(
        assessment=assessment, payload=pending.payload, blank_clears=blank_clears
    )
    headers = pending.payload["headers"]
    return render(
        request,
        "imports/import_preview.html",
        {
            "assessment": assessment,
            "pending": pending,
            "plan": plan,
            "rows": plan.rows[:PREVIEW_ROWS_SHOWN],
            "rows_hidden": max(0, len(plan.rows) - PREVIEW_ROWS_SHOWN),
            "problems": plan.errors[:PREVIEW_PROBLEMS_SHOWN],
            "problems_hidden": max(0, plan.problem_count - PREVIEW_PROBLEMS_SHOWN),
            "counts": plan.counts,
            "recognised": [
                (services.heading_for(key), heading) for key, heading in headers.items()
            ],
            "can_commit": plan.can_commit,
            "has_changes": plan.has_changes,
            "blank_clears": blank_clears,
            "has_updates": plan.matches_stored,
        },
    )


@require_POST
@editor_required
def site_import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    pending = _pending_for(request, assessment)
    if pending is None:
        return _nothing_pending(request, pk)
    preview = redirect("imports:site-import-preview", pk=pk)
    blank_clears = request.POST.get("blanks") == "clear"
    if blank_clears:
        preview = redirect(reverse("imports:site-import-preview", args=[pk]) + "?blanks=clear")
    outcome = confirm_upload(request, pending, actor=actor_for(request), again="import")
    if outcome is None:
        return preview
    messages.success(request, f"Imported “{pending.file_name}”: {outcome.summary()}.")
    return redirect("assessments:site-grid", pk=pk)


@editor_required
def site_import_rejected(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    pending = _pending_for(request, assessment)
    if pending is None:
        # Shown in place, as the preview does: an old link after the import was done.
        messages.info(request, "There is no upload waiting for confirmation: upload a file.")
        return site_import(request, pk)
    plan = services.plan_import(
        assessment=assessment,
        payload=pending.payload,
        blank_clears=request.GET.get("blanks") == "clear",
    )
    content = services.rejected_rows_csv(payload=pending.payload, plan=plan)
    return file_download(content, services.rejected_rows_file_name(pending.file_name), CSV_TYPE)


@require_POST
@editor_required
def site_import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    services.pending_import_discard(assessment=assessment, user=request.user)
    messages.info(request, "Import cancelled: nothing was saved.")
    return redirect("imports:site-import", pk=pk)


def _check_format(fmt: str) -> None:
    if fmt not in ("csv", "xlsx"):
        raise Http404("Sites are exported as csv or xlsx.")


def _download(content: bytes, name: str, fmt: str) -> HttpResponse:
    return file_download(content, f"{name}.{fmt}", CSV_TYPE if fmt == "csv" else XLSX_TYPE)


@member_required()
def site_import_template(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    get_assessment_for(request, pk)
    _check_format(fmt)
    columns, rows = services.template_table()
    if fmt == "csv":
        return _download(services.write_csv(columns, rows), "site-list-template", fmt)
    return _download(services.write_xlsx(columns, rows), "site-list-template", fmt)


@member_required()
def site_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    _check_format(fmt)
    customer = slugify(assessment.customer.name) or "customer"
    name = f"{customer}-sites-{timezone.localdate():%Y-%m-%d}"
    if fmt == "csv":
        return _download(services.sites_export_csv(assessment=assessment), name, fmt)
    return _download(services.sites_export_xlsx(assessment=assessment), name, fmt)


# --- Measurements -------------------------------------------------------------------------


def _measurements_page(
    request: HttpRequest,
    assessment: Assessment,
    site: Site,
    *,
    nat_form: NatUploadForm | None = None,
    paste_form: MeasurementPasteForm | None = None,
) -> HttpResponse:
    return render(
        request,
        "imports/measurements_site.html",
        {
            "assessment": assessment,
            "site": site,
            "nat_form": nat_form or NatUploadForm(),
            "paste_form": paste_form or MeasurementPasteForm(),
            "figures": measurements.site_figures(site),
            "latency_notes": measurements.latency_notes_by_site([site]).get(site.pk, []),
            "imports": site.measurement_imports.all()[:50],
        },
        status=400 if (nat_form and nat_form.errors) or (paste_form and paste_form.errors) else 200,
    )


@editor_required
def site_measurements(request: HttpRequest, pk: int, site_pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    site = get_site_for(request, assessment, site_pk)
    return _measurements_page(request, assessment, site)


def _back_to_site(assessment: Assessment, site: Site) -> HttpResponse:
    url = reverse("assessments:site-update", args=[assessment.pk, site.pk])
    return redirect(url + "#measurements")


def _figure(value: float | None, unit: str) -> str:
    return "—" if value is None else f"{value:g} {unit}"


def _nat_fields(form) -> dict:
    return {k: form.cleaned_data[k] for k in ("segment", "measured_where", "measured_on")}


@require_POST
@editor_required
def measurement_upload(request: HttpRequest, pk: int, site_pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    site = get_site_for(request, assessment, site_pk)
    form = NatUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            summary, record = measurements.nat_upload_apply(
                site=site, upload=upload, actor=actor_for(request), **_nat_fields(form)
            )
        except measurements.MeasurementFileError as exc:
            form.add_error("file", str(exc))
        except ValidationError as exc:
            problems = "; ".join(exc.messages)
            form.add_error("file", f"The figures are outside what a site accepts: {problems}")
        else:
            messages.success(
                request,
                f"{record.get_segment_display()}: {record.samples:,} samples from "
                f"“{record.file_name}”. Stored the 95th percentiles: round trip "
                f"{_figure(record.rtt_p95_ms, 'ms')}, "
                f"jitter {_figure(record.jitter_p95_ms, 'ms')}, "
                f"loss {_figure(record.loss_p95_pct, '%')}.",
            )
            if note := measurements.latency_note(record):
                messages.info(request, note)
            for note in measurements.summary_notes(summary):
                messages.warning(request, note)
            return _back_to_site(assessment, site)
    return _measurements_page(request, assessment, site, nat_form=form)


@require_POST
@editor_required
def measurement_paste(request: HttpRequest, pk: int, site_pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    site = get_site_for(request, assessment, site_pk)
    form = MeasurementPasteForm(request.POST)
    if form.is_valid():
        try:
            record = measurements.measurement_paste(
                site=site,
                segment=form.cleaned_data["segment"],
                figures=form.figures(),
                measured_on=form.cleaned_data["measured_on"],
                measured_where=form.cleaned_data["measured_where"],
                tool=form.cleaned_data["tool"],
                actor=actor_for(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{record.get_segment_display()} figures saved.")
            return _back_to_site(assessment, site)
    return _measurements_page(request, assessment, site, paste_form=form)
