"""The sites grid's paste of a block from a spreadsheet, and its undo of the user's last change."""

from django.http import HttpRequest, JsonResponse, QueryDict
from django.views.decorators.http import require_http_methods, require_POST

from assessments import windows
from assessments.grid_rows import CELLS
from assessments.models import Site
from assessments.services import grid_paste as paste
from assessments.views.common import actor_for
from tenancy.permissions import editor_required, get_assessment_for


def _rows(request: HttpRequest, assessment) -> list[tuple[Site, int]] | None:
    """The grid's rows from the focused one down, as ``id:version`` pairs; None if unreadable.

    Only sites of this assessment count (the assessment is the user's already checked).
    """
    pairs = []
    for item in request.POST.get("rows", "").split(",")[: paste.MAX_ROWS]:
        if not item:
            continue
        site_id, _, version = item.partition(":")
        if not (site_id.isdigit() and version.isdigit()):
            return None
        pairs.append((int(site_id), int(version)))
    sites = Site.objects.visible_to(request.user).filter(
        assessment=assessment, pk__in=[p[0] for p in pairs]
    )
    found = {s.pk: s for s in sites.prefetch_related("circuits")}
    if len(found) != len({p[0] for p in pairs}):
        return None
    return [(found[site_id], version) for site_id, version in pairs]


@require_POST
@editor_required
def site_grid_paste(request: HttpRequest, pk: int) -> JsonResponse:
    """Save a block pasted into the grid, all or nothing; refusals name each cell's line."""
    assessment = get_assessment_for(request, pk)
    start = request.POST.get("column", "")
    if start not in CELLS:
        return JsonResponse({"message": "Select a cell of the grid, then paste."}, status=400)
    rows = _rows(request, assessment)
    if rows is None:
        message = "A row of the page was removed meanwhile: reload the page, then paste again."
        return JsonResponse({"message": message}, status=409)
    following = _following_rows(request, assessment, rows)
    rows += following
    try:
        result = paste.grid_paste(
            assessment=assessment,
            text=request.POST.get("text", ""),
            columns=CELLS[CELLS.index(start) :],
            rows=rows,
            actor=actor_for(request),
        )
    except paste.PasteRefused as exc:
        problems = [
            {"line": p.line, "column": p.column, "message": p.message} for p in exc.problems
        ]
        return JsonResponse({"message": str(exc), "problems": problems}, status=400)
    parts = [f"{result.updated} updated"] + ([f"{result.added} added"] if result.added else [])
    if following:
        parts[0] += f" ({len(following)} on the following pages)"
    return JsonResponse(
        {
            "message": f"Pasted {result.label}: {', '.join(parts)}.",
            "added": result.added,
            "undo": _undo_label(request, assessment),
        }
    )


def _following_rows(request: HttpRequest, assessment, rows: list[tuple[Site, int]]):
    """The sites of the following pages a block taller than its page goes on over.

    The page posts its rows from the focused one down; lines past them fill the sites that
    follow in the same window (search and grade kept), then new sites are added at the end.
    Those sites were not on screen: they are pasted over as they are stored now.
    """
    if not rows:
        return []  # pasted into the new-site row: every line is a new site
    try:
        lines = len(paste.read_block(request.POST.get("text", "")))
    except paste.PasteRefused:
        return []  # grid_paste says why
    params = windows.WindowParams.from_data(QueryDict(request.POST.get("window", "")[:500]))
    shown = tuple(site.pk for site, _version in rows)
    after = windows.sites_after(assessment, params, rows[0][0], lines - len(rows), exclude=shown)
    return [(site, site.version) for site in after]


def _undo_label(request: HttpRequest, assessment) -> str:
    target = paste.grid_undo_target(assessment=assessment, user=request.user)
    return f"Undo {target.label}" if target else ""


@require_http_methods(["GET", "POST"])
@editor_required
def site_grid_undo(request: HttpRequest, pk: int) -> JsonResponse:
    """GET: what Undo would undo now; POST: undo it, unless someone changed it since."""
    assessment = get_assessment_for(request, pk)
    if request.method == "GET":
        return JsonResponse({"undo": _undo_label(request, assessment)})
    try:
        message = paste.grid_undo(assessment=assessment, actor=actor_for(request))
    except paste.UndoRefused as exc:
        return JsonResponse(
            {"message": str(exc), "undo": _undo_label(request, assessment)}, status=409
        )
    return JsonResponse({"message": message, "undo": _undo_label(request, assessment)})
