"""The managers' pipeline: every assessment of the organisation, filtered, sorted, exported."""

import csv
from datetime import date

from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header

from django_countries import countries

from assessments.models import Assessment, ReadinessBand, Site, Status
from assessments.parsing import parse_int
from assessments.views.common import MAX_SEARCH, bad_request
from deals.models import LostReason, SavedFilter, Stage
from deals.selectors import days_in_stage, stage_totals, with_customer_view, with_deal
from portal.search import fold
from proposals.models import DecisionKind, Proposal
from scoring.results import MODEL_LABELS
from tenancy.models import Membership
from tenancy.permissions import MANAGER_ROLES, member_required

PAGE_SIZE = 25
MODEL_CHOICES = [
    ("operator_connect", MODEL_LABELS["operator_connect"]),
    ("direct_routing", MODEL_LABELS["direct_routing"]),
    ("calling_plans", MODEL_LABELS["calling_plans"]),
    ("teams_phone_mobile", MODEL_LABELS["teams_phone_mobile"]),
    ("mix", "A mix by site"),
]
BAND_CHOICES = [*ReadinessBand.choices, ("unscored", "Not scored yet")]
SORTS = {
    "customer": ("customer__name",),
    "owner": ("owner__first_name", "owner__username"),
    "status": ("status",),
    "sites": ("score_summary__site_count",),
    "readiness": ("score_summary__average_readiness",),
    "not_ready": ("score_summary__sites_not_ready",),
    "not_assessed": ("score_summary__sites_not_assessed",),
    "model": ("score_summary__recommended_label",),
    "proposal": ("last_proposal_at",),
    "updated": ("updated_at",),
    "stage": ("deal_stage_order",),
    "value": ("deal_currency", "deal_value"),
    "seats": ("deal_seats",),
    # More days in the stage is an earlier start: the sort runs on the date, reversed.
    "days": ("-deal_since",),
    "viewed": ("viewed_first",),
    "decision": ("decision_at",),
}
COLUMNS = [
    ("customer", "Customer"),
    ("owner", "Owner"),
    ("status", "Status"),
    ("sites", "Sites"),
    ("readiness", "Avg. readiness"),
    ("not_ready", "Sites not ready"),
    # Apart from "not ready": sites that need data before they can be graded.
    ("not_assessed", "Sites not assessed"),
    ("model", "Recommended model"),
    ("proposal", "Last proposal"),
    # The deal's stage with its days in it, and its value with its seats: one column
    # each, so the table still fits a laptop (both also sort apart: ?sort=days, seats).
    ("stage", "Deal"),
    ("value", "Value"),
    # What the customer did with the links: whether they accepted or asked for changes
    # (when, who), and when they first opened it and how often. One column, so the table
    # still fits a laptop; it sorts by the decision's date (?sort=viewed by the first open).
    ("decision", "Customer's view"),
]
NUMERIC_COLUMNS = ("sites", "readiness", "not_ready", "not_assessed", "value")


class FilterError(ValueError):
    """A search or filter value the pipeline cannot apply; the message says which and why."""


def _filters(get) -> dict[str, str]:
    """The filters asked for, each checked against what the page offers (blank: all)."""
    f = {
        "q": get.get("q", "").strip(),
        "status": get.get("status", ""),
        "owner": get.get("owner", ""),
        "model": get.get("model", ""),
        "band": get.get("band", ""),
        "country": get.get("country", "").upper(),
        "stage": get.get("stage", ""),
        "sort": get.get("sort", "") or "-updated",
    }
    if len(f["q"]) > MAX_SEARCH:
        raise FilterError(f"Search for at most {MAX_SEARCH} characters of a customer's name.")
    if f["owner"]:
        owner = parse_int(f["owner"], minimum=1)
        if owner is None:
            raise FilterError("The owner filter must be one of the people in the list.")
        f["owner"] = str(owner)
    allowed = {
        "status": Status.values,
        "model": dict(MODEL_CHOICES),
        "band": dict(BAND_CHOICES),
        "country": dict(countries),
        "stage": Stage.values,
    }
    for name, values in allowed.items():
        if f[name] and f[name] not in values:
            raise FilterError(f"The {name} filter must be one of the choices in its list.")
    if f["sort"].removeprefix("-") not in SORTS:
        raise FilterError("The list can only be sorted by one of its columns.")
    return f


def pipeline_rows(
    request: HttpRequest, *, by_stage: bool = True
) -> tuple[QuerySet[Assessment], dict]:
    """The organisation's assessments with their summary, deal and last proposal, as filtered.

    One query however many rows or sites: the score summary and the deal are joined
    rows, the last proposal two correlated subqueries. ``by_stage=False`` leaves the
    stage filter out (the totals per stage count every stage of what else is filtered).

    Raises:
        FilterError: a search or filter value is not one the page offers.
    """
    latest = Proposal.objects.filter(assessment=OuterRef("pk")).order_by("-number")
    qs = with_customer_view(
        with_deal(
            Assessment.objects.visible_to(request.user)
            .select_related("customer", "owner", "score_summary")
            .annotate(
                last_proposal=Subquery(latest.values("number")[:1]),
                last_proposal_status=Subquery(latest.values("status")[:1]),
                last_proposal_at=Subquery(latest.values("issued_at")[:1]),
            )
        )
    )
    f = _filters(request.GET)
    if f["q"]:
        qs = qs.filter(customer__search_name__contains=fold(f["q"]))
    if f["status"]:
        qs = qs.filter(status=f["status"])
    if f["stage"] and by_stage:
        qs = qs.filter(deal_stage=f["stage"])
    if f["owner"]:
        qs = qs.filter(owner_id=parse_int(f["owner"]))
    if f["model"]:
        qs = qs.filter(score_summary__recommended_model=f["model"])
    if f["band"] == "unscored":
        qs = qs.filter(score_summary__isnull=True)
    elif f["band"]:
        qs = qs.filter(score_summary__band=f["band"])
    if f["country"]:
        in_country = Site.objects.filter(assessment=OuterRef("pk"), country=f["country"])
        qs = qs.filter(Q(customer__country=f["country"]) | Exists(in_country))
    key = f["sort"].removeprefix("-")
    descending = f["sort"].startswith("-")
    order = [
        F(name.removeprefix("-")).desc(nulls_last=True)
        if descending != name.startswith("-")
        else F(name.removeprefix("-")).asc(nulls_last=True)
        for name in SORTS[key]
    ]
    return qs.order_by(*order, "-pk"), f


@member_required(*MANAGER_ROLES)
def pipeline(request: HttpRequest) -> HttpResponse:
    try:
        qs, filters = pipeline_rows(request)
    except FilterError as exc:
        return bad_request(request, str(exc), back=reverse("assessments:pipeline"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for a in page.object_list:
        a.days_in_stage = days_in_stage(a.deal_since)
    unstaged, _ = pipeline_rows(request, by_stage=False)
    organisation = request.organisation
    owners = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
    site_countries = (
        Site.objects.visible_to(request.user)
        .order_by()  # the default ordering would defeat DISTINCT
        .values_list("country", flat=True)
        .distinct()
    )
    country_choices = sorted(
        {(c, countries.name(c)) for c in site_countries if c}, key=lambda c: c[1]
    )
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    stage_query = query.copy()
    stage_query.pop("stage", None)
    return render(
        request,
        "assessments/pipeline.html",
        {
            "page": page,
            "filters": filters,
            "statuses": Status.choices,
            "owners": owners,
            "models": MODEL_CHOICES,
            "bands": BAND_CHOICES,
            "countries": country_choices,
            "columns": COLUMNS,
            "numeric_columns": NUMERIC_COLUMNS,
            "stages": Stage.choices,
            "totals": stage_totals(unstaged),
            "saved_filters": SavedFilter.objects.visible_to(request.user),
            "query": query.urlencode(),
            "sort_query": sort_query.urlencode(),
            "stage_query": stage_query.urlencode(),
            "filtered": any(v for k, v in filters.items() if k != "sort"),
        },
    )


_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A cell that a spreadsheet shows as text, never runs as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_DANGEROUS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


@member_required(*MANAGER_ROLES)
def pipeline_csv(request: HttpRequest) -> HttpResponse:
    try:
        qs, _filters = pipeline_rows(request)
    except FilterError as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    header = [
        "Customer",
        "Assessment",
        "Owner",
        "Status",
        "Sites",
        "Average readiness",
        "Sites not ready",
        "Sites not assessed",
        "Recommended model",
        "Ruleset",
        "Last proposal version",
        "Last proposal issued",
        "Last changed",
        "Stage",
        "In stage since",
        "Days in stage",
        "Deal value",
        "Currency",
        "Seats",
        "Lost reason",
        "First opened",
        "Opens",
        "Decision",
        "Decided on",
        "Decided by",
        "Version decided",
    ]

    def rows():
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(header)  # BOM: Excel reads UTF-8 names correctly
        for a in qs.iterator(chunk_size=500):
            s = getattr(a, "score_summary", None)
            yield writer.writerow(
                [
                    csv_cell(v)
                    for v in (
                        a.customer.name,
                        a.title,
                        a.owner.get_full_name() or a.owner.get_username(),
                        a.get_status_display(),
                        s.site_count if s else "",
                        s.average_readiness if s and s.average_readiness is not None else "",
                        s.sites_not_ready if s else "",
                        s.sites_not_assessed if s else "",
                        s.recommended_label if s else "",
                        s.ruleset_version if s else "",
                        a.last_proposal or "",
                        a.last_proposal_at.date().isoformat() if a.last_proposal_at else "",
                        a.updated_at.date().isoformat(),
                        Stage(a.deal_stage).label,
                        a.deal_since.date().isoformat(),
                        days_in_stage(a.deal_since),
                        "" if a.deal_value is None else f"{a.deal_value:.2f}",
                        a.deal_currency if a.deal_value is not None else "",
                        "" if a.deal_seats is None else a.deal_seats,
                        LostReason(a.deal_lost_reason).label if a.deal_lost_reason else "",
                        a.viewed_first.date().isoformat() if a.viewed_first else "",
                        a.viewed_opens,
                        DecisionKind(a.decision_kind).label if a.decision_kind else "",
                        a.decision_at.date().isoformat() if a.decision_at else "",
                        ", ".join(p for p in (a.decision_name, a.decision_title) if p),
                        a.decision_number or "",
                    )
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"pipeline-{request.organisation.slug}-{date.today().isoformat()}.csv"
    )
    return response
