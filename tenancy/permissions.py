"""Who may see and do what: the organisation on the request, role checks, tenant-safe lookups."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject

from assessments.models import Assessment, Customer, Site
from tenancy.models import Membership, Role

# Roles that may change assessments; every member may read.
EDITOR_ROLES = frozenset({Role.SALES_ENGINEER, Role.MANAGER, Role.ADMIN})
MANAGER_ROLES = frozenset({Role.MANAGER, Role.ADMIN})
ADMIN_ROLES = frozenset({Role.ADMIN})


def _membership(request: HttpRequest) -> Membership | None:
    user = request.user
    if not user.is_authenticated:
        return None
    relation = Membership.user.field.remote_field
    if relation.is_cached(user):  # read with the user (tenancy.backends.MemberBackend)
        return relation.get_cached_value(user)
    try:
        membership = Membership.objects.select_related("organisation").get(user=user)
    except Membership.DoesNotExist:
        membership = None
    # Remember it on the user too: ``visible_to(user)`` reads ``user.membership``, which
    # would otherwise ask the database a second time on every page (None is remembered
    # as "no membership", as the accessor itself would after a miss).
    Membership.user.field.remote_field.set_cached_value(user, membership)
    return membership


class OrganisationMiddleware:
    """Sets ``request.membership`` and ``request.organisation`` once, lazily."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:  # noqa: D102
        request.membership = SimpleLazyObject(lambda: _membership(request))
        request.organisation = SimpleLazyObject(
            lambda: request.membership.organisation if request.membership else None
        )
        return self.get_response(request)


def member_required(*roles: str):
    """Require a logged-in member of an organisation, optionally with one of ``roles``.

    Anonymous users are sent to the login page; a user without an organisation or
    without the role gets 403.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = request.membership
            if not membership:
                raise PermissionDenied("Your account does not belong to a partner organisation.")
            if roles and membership.role not in roles:
                raise PermissionDenied("Your role does not allow this.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def get_customer_for(request: HttpRequest, pk: int) -> Customer:
    """The customer with ``pk`` in the user's organisation, or 404."""
    return get_object_or_404(Customer.objects.visible_to(request.user), pk=pk)


def get_assessment_for(request: HttpRequest, pk: int) -> Assessment:
    """The assessment with ``pk`` in the user's organisation, or 404.

    Its organisation is the member's, as read with the member (no query of its own).
    """
    assessment = get_object_or_404(
        Assessment.objects.visible_to(request.user).select_related("customer", "owner"), pk=pk
    )
    membership = request.membership
    if Membership._meta.get_field("organisation").is_cached(membership):
        assessment.organisation = membership.organisation
    return assessment


def get_site_for(request: HttpRequest, assessment: Assessment, pk: int) -> Site:
    """The site ``pk`` of ``assessment`` (already checked for the user), or 404."""
    return get_object_or_404(Site.objects.visible_to(request.user), assessment=assessment, pk=pk)


def can_edit(request: HttpRequest) -> bool:
    """Whether the member's role may change assessments."""
    return bool(request.membership) and request.membership.role in EDITOR_ROLES


def editor_required(view):
    """Shorthand for views that change assessments."""
    return member_required(*EDITOR_ROLES)(view)
