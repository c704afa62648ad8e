"""An assessment's activity log: every change, newest first."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenancy.permissions import get_assessment_for, member_required


@member_required()
def assessment_activity(request: HttpRequest, pk: int) -> HttpResponse:
    """Every change to the assessment, newest first; customer contacts' changes can be filtered."""
    assessment = get_assessment_for(request, pk)
    changes = assessment.changes.select_related("user")
    who = request.GET.get("who", "")
    if who == "customer":
        changes = changes.filter(user__isnull=True, actor_label__endswith="(customer)")
    elif who == "staff":
        changes = changes.filter(user__isnull=False)
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/activity.html",
        {"assessment": assessment, "page": page, "who": who},
    )
