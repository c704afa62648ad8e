"""Deal pages: move an assessment's deal; keep and remove named pipeline views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from deals import services
from deals.forms import DealForm, SavedFilterForm
from deals.models import DealChange, SavedFilter
from deals.selectors import customer_view_of
from tenancy.permissions import (
    MANAGER_ROLES,
    can_edit,
    get_assessment_for,
    member_required,
)


def _form_for(deal, data=None) -> DealForm:
    initial = {
        "version": deal.version,
        "stage": deal.stage,
        "value": "" if deal.value is None else f"{deal.value:.2f}",
        "currency": deal.currency,
        "seats": deal.seats,
        "lost_reason": deal.lost_reason,
        "note": deal.note,
    }
    return DealForm(data, initial=initial)


@member_required()
def deal_page(request: HttpRequest, pk: int) -> HttpResponse:
    """An assessment's deal: its stage, value and seats, moved by editors, and its history."""
    assessment = get_assessment_for(request, pk)
    deal = services.deal_for(assessment)
    form = _form_for(deal)
    status = 200
    if request.method == "POST":
        if not can_edit(request):
            messages.error(request, "Only sales engineers, managers and admins move deals.")
            return redirect("deals:deal", pk=pk)
        form = _form_for(deal, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                _deal, changed = services.deal_update(
                    assessment=assessment,
                    user=request.user,
                    base_version=data["version"],
                    stage=data["stage"],
                    value=data["value"],
                    currency=data["currency"],
                    seats=data["seats"],
                    lost_reason=data["lost_reason"],
                    note=data["note"],
                )
            except services.StaleDeal as exc:
                messages.warning(request, exc.messages[0])
                deal = services.deal_for(assessment)
                form, status = _form_for(deal), 409
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
                status = 400
            else:
                messages.success(request, "Deal saved." if changed else "Nothing had changed.")
                return redirect("deals:deal", pk=pk)
        else:
            status = 400
    history = DealChange.objects.visible_to(request.user).filter(deal__assessment=assessment)
    return render(
        request,
        "deals/deal.html",
        {
            "assessment": assessment,
            "deal": deal,
            "form": form,
            "history": history.select_related("by")[:50],
            "customer_view": customer_view_of(assessment),
            "can_edit": can_edit(request),
        },
        status=status,
    )


@require_POST
@member_required(*MANAGER_ROLES)
def saved_filter_save(request: HttpRequest) -> HttpResponse:
    """Keep the pipeline's current filters under a name, then show them."""
    form = SavedFilterForm(request.POST)
    query = {key: request.POST.getlist(key) for key in services.SAVED_KEYS}
    pipeline = reverse("assessments:pipeline")
    if not form.is_valid():
        messages.error(request, "Give the view a name of at most 60 characters.")
        return redirect(f"{pipeline}?{services.saved_query(query)}")
    try:
        saved = services.saved_filter_create(
            user=request.user,
            organisation=request.organisation,
            name=form.cleaned_data["name"],
            query=query,
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect(f"{pipeline}?{services.saved_query(query)}")
    messages.success(request, f"Saved the view “{saved.name}”.")
    return redirect(f"{pipeline}?{saved.query}")


@require_POST
@member_required(*MANAGER_ROLES)
def saved_filter_delete(request: HttpRequest, saved_pk: int) -> HttpResponse:
    """Remove one of the user's saved views."""
    saved = get_object_or_404(SavedFilter.objects.visible_to(request.user), pk=saved_pk)
    saved.delete()
    messages.success(request, f"Removed the view “{saved.name}”.")
    return redirect("assessments:pipeline")
