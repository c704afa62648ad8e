"""Sales-engineer screens: dashboard, customers, assessments, questionnaire and the sites grid."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from assessments import questions, selectors, windows
from assessments.forms import (
    AssessmentCloneForm,
    AssessmentCreateForm,
    AssessmentDetailsForm,
    CircuitFormSet,
    CustomerForm,
    QuestionnaireForm,
    SiteForm,
    circuit_rows,
)
from assessments.models import Assessment, Site, Status
from assessments.parsing import parse_int
from assessments.services import assessments as services
from assessments.services.scores import stored_scores
from assessments.views.common import (
    MAX_SEARCH,
    actor_for,
    answered_count,
    bad_request,
    save_versioned,
)
from assessments.views.workshop import stored_summary_context, window_summary
from invites import services as invite_services
from portal.search import fold
from tenancy.models import Role
from tenancy.permissions import (
    editor_required,
    get_assessment_for,
    get_customer_for,
    get_site_for,
    member_required,
)


@member_required()
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = request.GET.get("scope", "mine")
    mine_only = scope != "all"
    qs = selectors.assessment_list(user=request.user, mine_only=mine_only)
    status = request.GET.get("status", "")
    if status in Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    counts = selectors.assessment_status_counts(user=request.user, mine_only=mine_only)
    # Customer submissions of the user's assessments not opened yet: the "new" badges.
    new_ids = set(
        invite_services.submissions_unseen(user=request.user).values_list(
            "assessment_id", flat=True
        )
    )
    return render(
        request,
        "assessments/dashboard.html",
        {
            "page": page,
            "scope": "mine" if mine_only else "all",
            "status": status,
            "statuses": [(s, s.label, counts.get(s.value, 0)) for s in Status],
            "total": sum(counts.values()),
            "new_submission_ids": new_ids,
        },
    )


@member_required()
def customer_list(request: HttpRequest) -> HttpResponse:
    customers = selectors.customer_list(user=request.user)
    query = request.GET.get("q", "").strip()
    if len(query) > MAX_SEARCH:
        message = f"Search for at most {MAX_SEARCH} characters of a customer's name."
        return bad_request(request, message, back=reverse("assessments:customer-list"))
    if query:
        customers = customers.filter(search_name__contains=fold(query))
    page = Paginator(customers, 25).get_page(request.GET.get("page"))
    return render(request, "assessments/customer_list.html", {"page": page, "q": query})


@editor_required
def customer_create(request: HttpRequest) -> HttpResponse:
    form = CustomerForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            customer = services.customer_create(
                organisation=request.organisation, actor=actor_for(request), **form.changes()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Customer “{customer.name}” added.")
            return redirect(reverse("assessments:assessment-create") + f"?customer={customer.pk}")
    return render(request, "assessments/customer_form.html", {"form": form})


@editor_required
def customer_update(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_customer_for(request, pk)
    form = CustomerForm(request.POST or None, instance=customer, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        result, form = save_versioned(
            request,
            form,
            lambda version, changes: services.customer_update(
                customer=customer, base_version=version, changes=changes, actor=actor_for(request)
            ),
            lambda data: CustomerForm(data, instance=customer, organisation=request.organisation),
        )
        if result is not None:
            messages.success(request, f"Customer “{customer.name}” saved.")
            return redirect("assessments:customer-list")
    return render(request, "assessments/customer_form.html", {"form": form, "customer": customer})


@editor_required
def assessment_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if "customer" in request.GET:
        initial["customer"] = parse_int(request.GET["customer"], minimum=1)
    form = AssessmentCreateForm(
        request.POST or None, initial=initial, organisation=request.organisation
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assessment = services.assessment_start(
            organisation=request.organisation,
            customer=data["customer"],
            new_customer={"name": data["new_customer"], "country": data.get("country") or ""},
            title=data["title"],
            owner=request.user,
            actor=actor_for(request),
        )
        messages.success(request, "Assessment created. Start with the organisation questions.")
        return redirect("assessments:assessment-detail", pk=assessment.pk)
    return render(request, "assessments/assessment_create.html", {"form": form})


@member_required()
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment's overview: its figures, progress, results and one page of its sites."""
    assessment = get_assessment_for(request, pk)
    if assessment.owner_id == request.user.pk:
        invite_services.submissions_mark_seen(assessment=assessment)
    figures = selectors.site_figures(assessment=assessment)
    window = windows.site_window(
        assessment, windows.WindowParams.from_data(request.GET), count=figures["sites"]
    )
    answered, total = answered_count(assessment)
    context = {
        **window_summary(assessment, window),
        "assessment": assessment,
        "sites": [row.site for row in window.rows],
        "figures": figures,
        "answered": answered,
        "questions": total,
        "answered_pct": round(100 * answered / total),
        "changes": selectors.recent_changes(assessment=assessment),
        **windows.page_context(
            window,
            url=reverse("assessments:assessment-detail", args=[pk]),
            target="overview-window",
        ),
    }
    htmx = request.htmx
    if htmx and htmx.target == "overview-window" and not htmx.history_restore_request:
        return render(request, "assessments/assessment_detail.html#window", context)
    return render(request, "assessments/assessment_detail.html", context)


@editor_required
def assessment_update(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    form = AssessmentDetailsForm(
        request.POST or None, instance=assessment, organisation=request.organisation
    )
    if request.method == "POST" and form.is_valid():
        result, form = save_versioned(
            request,
            form,
            lambda version, changes: services.assessment_update(
                assessment=assessment,
                base_version=version,
                changes=changes,
                actor=actor_for(request),
            ),
            lambda data: AssessmentDetailsForm(
                data, instance=assessment, organisation=request.organisation
            ),
        )
        if result is not None:
            messages.success(request, "Assessment details saved.")
            return redirect("assessments:assessment-detail", pk=pk)
    return render(
        request, "assessments/assessment_update.html", {"form": form, "assessment": assessment}
    )


@member_required(Role.MANAGER, Role.ADMIN, Role.SALES_ENGINEER)
def assessment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    membership = request.membership
    if membership.role == Role.SALES_ENGINEER and assessment.owner_id != request.user.pk:
        raise PermissionDenied("Only its owner or a manager may delete an assessment.")
    issued = assessment.proposals.count()
    if request.method == "POST" and not issued:
        label = str(assessment)
        services.assessment_delete(assessment=assessment)
        messages.success(request, f"Assessment “{label}” deleted.")
        return redirect("assessments:dashboard")
    return render(
        request,
        "assessments/assessment_delete.html",
        {"assessment": assessment, "issued": issued},
        status=409 if request.method == "POST" else 200,
    )


@editor_required
def assessment_clone(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_assessment_for(request, pk)
    form = AssessmentCloneForm(
        request.POST or None,
        initial={"customer": source.customer_id, "title": f"{source.title} (copy)"[:160]},
        organisation=request.organisation,
    )
    if request.method == "POST" and form.is_valid():
        copy = services.assessment_clone(
            source=source,
            customer=form.cleaned_data["customer"],
            title=form.cleaned_data["title"],
            owner=request.user,
            actor=actor_for(request),
        )
        messages.success(
            request,
            f"New assessment started from “{source.title}” with its {copy.sites.count()} site(s).",
        )
        return redirect("assessments:assessment-detail", pk=copy.pk)
    return render(
        request, "assessments/assessment_clone.html", {"form": form, "assessment": source}
    )


@editor_required
def questionnaire(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    form = QuestionnaireForm(request.POST or None, instance=assessment)
    if request.method == "POST" and form.is_valid():
        result, form = save_versioned(
            request,
            form,
            lambda version, changes: services.assessment_update(
                assessment=assessment,
                base_version=version,
                changes=changes,
                actor=actor_for(request),
            ),
            lambda data: QuestionnaireForm(data, instance=assessment),
        )
        if result is not None:
            if result.merged_with:
                messages.info(
                    request,
                    "Saved together with changes by " + ", ".join(result.merged_with) + ".",
                )
            messages.success(request, "Organisation answers saved.")
            return redirect("assessments:assessment-detail", pk=pk)
    elif request.method == "POST":
        messages.error(request, "Some answers need a correction: see the marked fields.")
    # An invalid form has written its values onto ``assessment``: score what is stored. A
    # GET wrote nothing, so the assessment just read (with its customer) is what is stored.
    stored = (
        Assessment.objects.select_related("customer").get(pk=assessment.pk)
        if request.method == "POST"
        else assessment
    )
    answered, total = answered_count(stored)
    return render(
        request,
        "assessments/questionnaire.html",
        {
            **stored_summary_context(assessment, stored_scores(assessment=stored)),
            "form": form,
            "assessment": assessment,
            "sections": questions.sections(Assessment),
            "answered": answered,
            "questions": total,
        },
    )


@editor_required
def site_create(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    return _site_form(request, assessment, Site(assessment=assessment))


@editor_required
def site_update(request: HttpRequest, pk: int, site_pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    site = get_site_for(request, assessment, site_pk)
    return _site_form(request, assessment, site)


def _site_form(request: HttpRequest, assessment: Assessment, site: Site) -> HttpResponse:
    initial_circuits = [
        {name: getattr(c, name) for name in ("role", "kind", "down_mbps", "up_mbps", "provider")}
        for c in (site.circuits.order_by(selectors.CIRCUIT_ORDER, "id") if site.pk else [])
    ]
    form = SiteForm(request.POST or None, instance=site)
    circuits = CircuitFormSet(request.POST or None, initial=initial_circuits, prefix="circuits")
    if request.method == "POST":
        if form.is_valid() and circuits.is_valid():

            def save(version, changes):
                if site.pk:
                    return services.site_update(
                        site=site,
                        base_version=version,
                        changes=changes,
                        circuits=circuit_rows(circuits),
                        actor=actor_for(request),
                    )
                return services.site_create(
                    assessment=assessment,
                    fields=changes,
                    circuits=circuit_rows(circuits),
                    actor=actor_for(request),
                )

            result, form = save_versioned(
                request, form, save, lambda data: SiteForm(data, instance=site)
            )
            if result is not None:
                saved = result if isinstance(result, Site) else site
                messages.success(request, f"Site “{saved.name}” saved.")
                if "save_add" in request.POST:
                    return redirect("assessments:site-create", pk=assessment.pk)
                return redirect("assessments:site-grid", pk=assessment.pk)
        else:
            messages.error(request, "Nothing was saved: correct the marked fields first.")
    return render(
        request,
        "assessments/site_form.html",
        {"assessment": assessment, "site": site, "form": form, "circuits": circuits},
    )
