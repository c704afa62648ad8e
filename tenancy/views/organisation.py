"""Admin screens of a partner organisation: branding and members."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assessments import selectors
from assessments.forms import OrganisationForm
from assessments.services import assessments as services
from assessments.views.common import actor_for, save_versioned
from tenancy.branding import DEFAULT_BRANDING, brand_text_colours, is_hex_colour
from tenancy.models import Membership, Organisation, Role
from tenancy.permissions import ADMIN_ROLES, member_required
from tenancy.services import members as member_services
from tenancy.services.branding import organisation_logo_set
from tenancy.views.branding import preview_context

User = get_user_model()


class MemberCreateForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField()
    username = forms.CharField(max_length=150, help_text="What they type to log in.")
    role = forms.ChoiceField(choices=Role.choices)
    password = forms.CharField(
        widget=forms.PasswordInput, help_text="At least 12 characters; share it privately."
    )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("This username is taken.")
        return username

    def clean(self):
        data = super().clean()
        if data.get("password"):
            try:
                validate_password(
                    data["password"],
                    User(username=data.get("username", ""), email=data.get("email", "")),
                )
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


@member_required(*ADMIN_ROLES)
def organisation_settings(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        # One transaction: a logo the file store refuses leaves the other fields unsaved too.
        @transaction.atomic
        def save(version, changes):
            result = services.organisation_update(
                organisation=organisation,
                base_version=version,
                changes=changes,
                actor=actor_for(request),
            )
            if form.logo or form.cleaned_data.get("remove_logo"):
                data, mime = form.logo or (None, None)
                organisation_logo_set(
                    organisation=organisation, data=data, mime=mime, actor=actor_for(request)
                )
            return result

        result, form = save_versioned(
            request, form, save, lambda data: OrganisationForm(data, instance=organisation)
        )
        if result is not None:
            messages.success(request, "Branding saved: customer pages and new proposals use it.")
            return redirect("tenancy:organisation-settings")
    return render(
        request,
        "tenancy/organisation_settings.html",
        {
            "form": form,
            "organisation": organisation,
            "preview": preview_context(organisation, request.POST or {}),
        },
    )


@member_required(*ADMIN_ROLES)
def member_list(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = MemberCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        membership = member_services.member_create(
            organisation=organisation,
            username=data["username"],
            email=data["email"],
            password=data["password"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            role=data["role"],
            actor=actor_for(request),
        )
        messages.success(request, f"{member_services.member_name(membership)} can now log in.")
        return redirect("tenancy:member-list")
    members = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
    return render(
        request,
        "tenancy/member_list.html",
        {"members": members, "form": form, "roles": Role.choices},
    )


@require_POST
@member_required(*ADMIN_ROLES)
def member_update(request: HttpRequest, member_pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=member_pk, organisation=request.organisation
    )
    role = request.POST.get("role")
    active = request.POST.get("active")
    name = member_services.member_name(membership)
    try:
        changed = member_services.member_update(
            membership=membership,
            # Anything else posted keeps what they have: only a real change is written.
            role=role if role in Role.values else None,
            active={"0": False, "1": True}.get(active or ""),
            actor=actor_for(request),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if changed:
            messages.success(request, f"{name} updated.")
        else:
            messages.info(request, f"Nothing changed for {name}.")
    return redirect("tenancy:member-list")


@member_required(*ADMIN_ROLES)
def organisation_activity(request: HttpRequest) -> HttpResponse:
    """The organisation's own log: members added, roles and access, branding, customers."""
    kind = request.GET.get("kind", "")
    if kind not in selectors.ORGANISATION_LOG_KINDS:
        kind = ""
    changes = selectors.organisation_changes(organisation=request.organisation, kind=kind)
    return render(
        request,
        "tenancy/organisation_activity.html",
        {
            "organisation": request.organisation,
            "page": Paginator(changes, 50).get_page(request.GET.get("page")),
            "kind": kind,
            "kinds": [
                (key, label) for key, (label, _types) in selectors.ORGANISATION_LOG_KINDS.items()
            ],
        },
    )


def _text_colours(organisation: Organisation) -> dict[str, str]:
    """The text colours for the brand's colours (stored values re-checked: never trust CSS)."""
    primary = organisation.primary_colour
    accent = organisation.accent_colour
    return brand_text_colours(
        primary if is_hex_colour(primary) else DEFAULT_BRANDING["primary_colour"],
        accent if is_hex_colour(accent) else DEFAULT_BRANDING["accent_colour"],
    )


def brand_css(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's colours and font as CSS variables (a file: CSP forbids inline style)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    css = render(
        request,
        "tenancy/brand.css",
        {"o": organisation, **_text_colours(organisation)},
        content_type="text/css; charset=utf-8",
    )
    css["Cache-Control"] = "public, max-age=86400"
    return css
