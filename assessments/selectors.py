"""Reads for staff pages: each takes the viewer and returns only what it may see."""

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Sum, Value, When

from assessments.models import Assessment, Change, Circuit, Customer, Site
from scoring.inputs import CIRCUIT_ROLE_ORDER


def assessment_list(*, user, mine_only: bool = False) -> QuerySet[Assessment]:
    """Assessments of the user's organisation with their customer, owner and site count."""
    qs = (
        Assessment.objects.visible_to(user)
        .select_related("customer", "owner")
        .annotate(site_count=Count("sites"))
        .order_by("-updated_at")
    )
    if mine_only:
        qs = qs.filter(owner=user)
    return qs


def customer_list(*, user) -> QuerySet[Customer]:
    """Customers of the user's organisation with how many assessments each has."""
    return (
        Customer.objects.visible_to(user)
        .annotate(assessment_count=Count("assessments"))
        .order_by("name")
    )


# The engine's role order in SQL: primary, secondary, backup (``inputs.circuit_order``).
CIRCUIT_ORDER = Case(
    *(When(role=role, then=Value(i)) for i, role in enumerate(CIRCUIT_ROLE_ORDER)),
    default=Value(len(CIRCUIT_ROLE_ORDER)),
    output_field=IntegerField(),
)


def site_list(*, assessment: Assessment) -> QuerySet[Site]:
    """The sites of an assessment with their circuits, in a fixed number of queries."""
    return assessment.sites.prefetch_related(
        Prefetch("circuits", queryset=Circuit.objects.order_by(CIRCUIT_ORDER, "id"))
    )


# The figures that make a site "measured": any of the client or edge path's loss or round
# trip (jitter and reorder come only with them). One list for the check of a loaded site
# and for the database's filter, so every page (staff's and the customer's) agrees.
MEASURED_FIGURES = ("client_loss_pct", "edge_loss_pct", "client_rtt_ms", "edge_rtt_ms")


def is_measured(site: Site) -> bool:
    """Whether any figure of the client or edge path was saved for the site."""
    return any(getattr(site, name) is not None for name in MEASURED_FIGURES)


def unmeasured_q() -> Q:
    """The sites :func:`is_measured` calls not measured, as a filter: every figure empty."""
    return Q(**{f"{name}__isnull": True for name in MEASURED_FIGURES})


def site_figures(*, assessment: Assessment) -> dict[str, int]:
    """An assessment's sites counted in the database: sites, users, countries, measured.

    Returns:
        ``sites``, ``users``, ``countries`` and ``measured`` (sites with a client or edge
        loss or round trip: :func:`is_measured`), in one query whatever the number of sites.
    """
    figures = assessment.sites.aggregate(
        sites=Count("id"),
        users=Sum("users", default=0),
        countries=Count("country", distinct=True, filter=~Q(country="")),
        measured=Count("id", filter=~unmeasured_q()),
    )
    return {name: int(value or 0) for name, value in figures.items()}


def assessment_status_counts(*, user, mine_only: bool = False) -> dict[str, int]:
    """How many assessments the user sees in each status."""
    qs = Assessment.objects.visible_to(user)
    if mine_only:
        qs = qs.filter(owner=user)
    return {
        row["status"]: row["n"] for row in qs.values("status").annotate(n=Count("id")).order_by()
    }


def recent_changes(*, assessment: Assessment, limit: int = 15) -> QuerySet[Change]:
    """The latest entries of an assessment's activity log."""
    return assessment.changes.all()[:limit]


# The organisation's own log, by what its admins look for: object types per filter.
ORGANISATION_LOG_KINDS = {
    "members": ("Members", ("membership",)),
    "branding": ("Branding", ("organisation",)),
    "customers": ("Customers", ("customer",)),
    "prices": ("Price book", ("pricebook",)),
}


def organisation_changes(*, organisation, kind: str = "") -> QuerySet[Change]:
    """Changes made outside any assessment: members, roles, access, branding, customers.

    Args:
        organisation: The viewer's organisation (the only one whose entries are returned).
        kind: A key of :data:`ORGANISATION_LOG_KINDS`, or "" for all of them.

    Returns:
        The entries, newest first, with their users.
    """
    qs = Change.objects.filter(organisation=organisation, assessment__isnull=True)
    if kind in ORGANISATION_LOG_KINDS:
        qs = qs.filter(object_type__in=ORGANISATION_LOG_KINDS[kind][1])
    return qs.select_related("user")
