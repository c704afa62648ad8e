"""Branding helpers for admins: the live cover preview and the logo as the portal serves it."""

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from tenancy.branding import (
    DEFAULT_BRANDING,
    MIN_CONTRAST_ON_WHITE_TEXT,
    TEXT_WHITE,
    brand_text_colours,
    contrast_ratio,
    logo_problem,
    sniff_image_type,
)
from tenancy.models import Font, Organisation
from tenancy.permissions import ADMIN_ROLES, member_required
from tenancy.services.branding import organisation_logo

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def preview_context(organisation, values) -> dict:
    """What the cover preview shows: submitted (unsaved) values where valid, else stored ones."""

    def colour(name: str) -> str:
        # An invalid submitted value falls back to the stored one; a failed form may have
        # copied the invalid value onto the instance, so fall back to the default after.
        for value in ((values.get(name) or "").strip(), getattr(organisation, name)):
            if HEX.match(value or ""):
                return value
        return DEFAULT_BRANDING[name]

    primary, accent = colour("primary_colour"), colour("accent_colour")
    font = values.get("font") if values.get("font") in Font.values else organisation.font
    company = (values.get("company_name") or "").strip()[:120] or organisation.display_name
    text = brand_text_colours(primary, accent)
    ratio = contrast_ratio(primary, text["on_primary"])
    logo, logo_problem = organisation_logo(organisation)
    return {
        "primary": primary,
        "accent": accent,
        "font_family": dict(Font.choices)[font],
        "company": company,
        "contact": (values.get("contact_email") or organisation.contact_email or "")[:120],
        "legal": (values.get("legal_footer") or organisation.legal_footer or "")[:140],
        "logo": logo,
        "logo_problem": logo_problem,
        "ratio": ratio,
        "contrast_ok": ratio >= MIN_CONTRAST_ON_WHITE_TEXT,
        "minimum": MIN_CONTRAST_ON_WHITE_TEXT,
        "on_primary": text["on_primary"],
        "on_accent": text["on_accent"],
        "dark_text": text["on_primary"] != TEXT_WHITE,
        "white_ratio": contrast_ratio(primary, TEXT_WHITE),
    }


@member_required(*ADMIN_ROLES)
@require_GET
def branding_preview(request: HttpRequest) -> HttpResponse:
    """The proposal cover as inline SVG, from the form's unsaved values (htmx swaps it in)."""
    return render(
        request,
        "tenancy/_branding_preview.html",
        preview_context(request.organisation, request.GET),
    )


@member_required()
def brand_logo(request: HttpRequest) -> HttpResponse:
    """The member's own organisation logo, served with a locked-down policy (it may be SVG)."""
    return _logo_response(request.organisation)


def brand_logo_public(request: HttpRequest, slug: str) -> HttpResponse:
    """A partner's logo by its slug, for pages without a login (customer invite pages).

    A logo is public branding, like the colours in brand.css; uploads are sanitised.
    """
    return _logo_response(get_object_or_404(Organisation, slug=slug))


def _logo_response(organisation) -> HttpResponse:
    if not organisation.logo:
        raise Http404("No logo.")
    try:
        with organisation.logo.open("rb") as handle:
            data = handle.read()
    except OSError as exc:
        # Gone from the file store, or the store is not answering: the page shows no logo.
        raise Http404("No logo.") from exc
    kind = sniff_image_type(data)
    # A logo stored before today's drawing budget could stall the browser that draws it.
    if kind is None or logo_problem(data):
        raise Http404("No logo.")
    response = HttpResponse(data, content_type=kind)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400"
    # Even a sanitised SVG opened directly must not run or load anything.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response
