"""The customer's view of an issued proposal through a link: read, download, accept or ask.

Links are checked like invite links: bad tokens are counted per client in the shared
throttle cache and answered with the invite's "not valid" page; a revoked or expired link
gets the same page, naming the partner to ask for a new one. Every page of a link is
private (never cached, indexed or sent on in a Referer).
"""

import logging
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from assessments.views.results import OWNER_CLASSES  # a duty's colours as on the results page

# The invites' limit and counts: one budget of misses per client across both kinds of link.
from invites.access import (
    BAD_TOKEN_LIMIT,
    bad_token_count,
    register_bad_token,
    too_many_attempts,
)
from portal.files import StorageUnavailable
from proposals import links, services
from proposals.forms import AcceptForm, ChangesForm
from proposals.models import DecisionKind, ProposalDecision, ProposalLink
from proposals.pdf.brand import safe_branding
from proposals.pdf.context import build_context
from tenancy.branding import brand_text_colours

logger = logging.getLogger(__name__)


def _private(response: HttpResponse) -> HttpResponse:
    # The token is in the URL: never cache, index or pass it on (see invites.access).
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _dead_link(request: HttpRequest, link: ProposalLink | None) -> HttpResponse:
    """The invite's "not valid" page (404); a link that once worked names its partner."""
    context = {}
    if link is not None:
        context = {
            "brand": link.organisation,
            "partner": links.partner_name(link.proposal),
            "partner_contact": safe_branding(link.proposal.branding),
        }
    return _private(render(request, "proposal_link/invalid.html", context, status=404))


def link_required(view: Callable) -> Callable:
    """Resolve ``token`` from the URL to a live link (``request.proposal_link``), or refuse."""

    @wraps(view)
    def wrapped(request: HttpRequest, token: str, *args, **kwargs) -> HttpResponse:
        if bad_token_count(request) >= BAD_TOKEN_LIMIT:
            return too_many_attempts(request)
        link = links.link_lookup(token)
        if link is None:
            register_bad_token(request)
            return _dead_link(request, None)
        if not link.is_active:
            return _dead_link(request, link)
        request.proposal_link = link
        request.link_token = token
        return _private(view(request, *args, **kwargs))

    return wrapped


def _page(
    request: HttpRequest,
    *,
    accept_form: AcceptForm | None = None,
    changes_form: ChangesForm | None = None,
    refused: str = "",
    status: int = 200,
) -> HttpResponse:
    link: ProposalLink = request.proposal_link
    proposal = link.proposal
    partner = links.partner_name(proposal)
    statement = links.acceptance_statement(proposal, partner=partner)
    latest = links.latest_number(proposal)
    accepted = links.acceptance_of(proposal)
    changes = ProposalDecision.objects.filter(link=link, kind=DecisionKind.CHANGES).order_by(
        "decided_at"
    )
    context = {
        # The frozen snapshot as the PDF reads it (branding included), never scored again.
        **build_context(services.snapshot_of(proposal)),
        "link": link,
        "token": request.link_token,
        "proposal": proposal,
        "partner": partner,
        "statement": statement,
        "superseded_by": latest if latest != proposal.number else None,
        "accepted": accepted,
        "changes": list(changes),
        "accept_form": accept_form or AcceptForm(initial={"statement": statement}),
        "changes_form": changes_form or ChangesForm(),
        "refused": refused,
        "decided": request.GET.get("decided") == "1",
    }
    # Each duty with its owner under the two models compared, named beside each cell (on a
    # phone the cells stack, so a column heading would be out of sight).
    pair = [model["label"] for model in context["ownership"]["pair"]]
    context["duties"] = [
        {
            "label": row["label"],
            "cells": [
                (label, cell, OWNER_CLASSES.get(cell["owner"], "owner-none"))
                for label, cell in zip(pair, row["pair"], strict=False)
            ],
        }
        for row in context["ownership"]["rows"]
    ]
    return render(request, "proposal_link/view.html", context, status=status)


@require_GET
@link_required
def view(request: HttpRequest) -> HttpResponse:
    """The proposal as a web page, with its download and the decision."""
    # Back from a decision: the same person, not a new open.
    if request.GET.get("decided") != "1":
        links.link_opened(link=request.proposal_link)
    return _page(request)


@require_POST
@link_required
def decide(request: HttpRequest) -> HttpResponse:
    """Accept the version, or ask for changes; then back to the page, which shows it."""
    link: ProposalLink = request.proposal_link
    kind = request.POST.get("kind", "")
    accept_form = AcceptForm(request.POST if kind == DecisionKind.ACCEPTED else None)
    changes_form = ChangesForm(request.POST if kind == DecisionKind.CHANGES else None)
    form = accept_form if kind == DecisionKind.ACCEPTED else changes_form
    if kind not in DecisionKind.values or not form.is_valid():
        return _page(
            request,
            accept_form=accept_form if kind == DecisionKind.ACCEPTED else None,
            changes_form=changes_form if kind == DecisionKind.CHANGES else None,
            status=400,
        )
    data = form.cleaned_data
    try:
        links.decision_record(
            link=link,
            kind=kind,
            full_name=data["full_name"],
            title=data.get("title", ""),
            statement=data.get("statement", ""),
            comment=data.get("comment", ""),
        )
    except links.DecisionRefused as exc:
        return _page(request, refused=str(exc), status=409)
    return redirect(reverse("proposal-link:view", args=[request.link_token]) + "?decided=1")


@require_GET
@link_required
def download(request: HttpRequest) -> HttpResponse:
    """The version's PDF exactly as stored at issue (checked against its SHA-256)."""
    proposal = request.proposal_link.proposal
    try:
        data = services.proposal_pdf_bytes(proposal=proposal)
    except StorageUnavailable:
        logger.exception("File store did not serve proposal %s to a customer link", proposal.pk)
        response = render(request, "proposal_link/unavailable.html", status=503)
        response["Retry-After"] = "60"
        return response
    except (services.ProposalIntegrityError, FileNotFoundError, OSError):
        logger.exception("Stored PDF of proposal %s cannot be served to a link", proposal.pk)
        return render(request, "proposal_link/unavailable.html", status=500)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, proposal.filename)
    response["Content-Length"] = str(len(data))
    response["ETag"] = f'"{proposal.sha256}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@link_required
def brand_css(request: HttpRequest) -> HttpResponse:
    """The version's frozen colours and font as CSS variables (CSP forbids inline style)."""
    branding = safe_branding(request.proposal_link.proposal.branding)
    colours = brand_text_colours(branding["primary_colour"], branding["accent_colour"])
    return render(
        request,
        "tenancy/brand.css",
        {"o": branding, **colours},
        content_type="text/css; charset=utf-8",
    )
