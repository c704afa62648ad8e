"""Proposal screens: preview, issue, follow the rendering, download, compare, share with links."""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from assessments.parsing import parse_int
from assessments.services.versioning import StaleEditError
from assessments.views.common import actor_for, conflict_message, with_version
from invites import services as invite_services
from portal.files import StorageUnavailable
from proposals import links, services
from proposals.forms import (
    BLANK_STEP_ROWS,
    MAX_STEPS,
    ProposalLinkForm,
    StepFormSet,
    StoryForm,
)
from proposals.models import PREVIEW_LIFETIME, AnnexKind, Proposal, ProposalAnnex, ProposalPreview
from tenancy.permissions import (
    MANAGER_ROLES,
    editor_required,
    get_assessment_for,
    member_required,
)

logger = logging.getLogger(__name__)


def _versions(assessment) -> list[Proposal]:
    # The snapshot columns are large JSON; the page needs only the bookkeeping.
    return list(
        Proposal.objects.filter(assessment=assessment)
        .only(
            "pk",
            "number",
            "status",
            "error",
            "attempts",
            "issued_at",
            "issued_by_name",
            "rendered_at",
            "page_count",
            "size",
            "ruleset_version",
            "sha256",
            "pdf",
            "note",
            "updated_at",
            "assessment_id",
            "organisation_id",
            "customer_name",
        )
        .prefetch_related(
            # One query for every version's annex files: the page never grows per version.
            Prefetch("annexes", queryset=ProposalAnnex.objects.defer("error").order_by("kind"))
        )
        .order_by("-number")
    )


def _pending(versions: list[Proposal]) -> bool:
    """Whether a version's PDF or one of its annex files is still queued or rendering."""
    return any(v.is_pending or any(a.is_pending for a in v.annexes.all()) for v in versions)


def _version(assessment, number) -> Proposal:
    number = parse_int(number, minimum=1)
    if number is None:
        raise Http404("No such proposal version.")
    return get_object_or_404(Proposal.objects.filter(assessment=assessment), number=number)


def _previews(request: HttpRequest, assessment):
    """The member's own unexpired draft previews of this assessment, newest first."""
    return ProposalPreview.objects.filter(
        assessment=assessment,
        requested_by=request.user,
        created_at__gte=timezone.now() - PREVIEW_LIFETIME,
    ).defer("error")


def _page_context(request: HttpRequest, assessment, **sharing) -> dict:
    """What the proposal page shows: versions, the member's preview, the customer links."""
    versions = _versions(assessment)
    return {
        "assessment": assessment,
        "versions": versions,
        "pending": _pending(versions),
        "ready_numbers": [v.number for v in versions if v.is_ready],
        "preview": _previews(request, assessment).first(),
        **_sharing(request, assessment, **sharing),
    }


@member_required()
def proposal_page(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    context = _page_context(request, assessment)
    context.update(_story(request, assessment))
    return render(request, "proposals/proposal.html", context)


@member_required()
def proposal_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The versions table alone, polled by htmx every second while a render is pending."""
    assessment = get_assessment_for(request, pk)
    versions = _versions(assessment)
    return render(
        request,
        "proposals/_proposal_versions.html",
        {
            "assessment": assessment,
            "versions": versions,
            "pending": _pending(versions),
        },
    )


@require_POST
@member_required()
def proposal_preview_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a draft preview for the worker (or find the one already pending), then follow it."""
    assessment = get_assessment_for(request, pk)
    try:
        services.preview_request(assessment=assessment, user=request.user)
    except services.PreviewRefused as exc:
        messages.warning(request, str(exc))
    # No message when it is queued: the preview panel shows its progress, then the PDF (a
    # message would still say "being prepared" beside a finished preview).
    return redirect("proposals:proposal", pk=assessment.pk)


@member_required()
def proposal_preview_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft preview panel alone, polled by htmx every second while it renders."""
    assessment = get_assessment_for(request, pk)
    return render(
        request,
        "proposals/_proposal_preview.html",
        {"assessment": assessment, "preview": _previews(request, assessment).first()},
    )


@member_required()
def proposal_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's prepared draft PDF (``?id=N``, else the newest ready one), never rendered."""
    assessment = get_assessment_for(request, pk)
    if settings.DEBUG and request.GET.get("as") == "html":
        return _preview_html(request, assessment)
    previews = _previews(request, assessment).filter(status="ready")
    wanted = request.GET.get("id", "")
    if wanted:
        # ASCII digits that fit a bigint ("²" is a digit to str.isdigit, not to int()).
        valid = wanted.isascii() and wanted.isdigit() and len(wanted) <= 18
        preview = previews.filter(pk=int(wanted)).first() if valid else None
    else:
        preview = previews.first()
    try:
        if preview is None:
            raise FileNotFoundError
        data = services.preview_pdf_bytes(preview=preview)
    except (FileNotFoundError, OSError):
        # A bookmarked or shared preview link: say what happened and where to go.
        return render(
            request,
            "proposals/proposal_missing.html",
            {"assessment": assessment, "no_preview": True},
        )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, f"Draft proposal - {assessment.customer.name}.pdf"
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _preview_html(request: HttpRequest, assessment) -> HttpResponse:
    """Development only: the HTML WeasyPrint receives, to inspect templates in a browser."""
    from proposals.pdf.context import build_context
    from proposals.pdf.render import render_html

    snapshot = services.proposal_snapshot(assessment=assessment, issued_by=str(request.user))
    html = render_html(build_context(snapshot, draft=True))
    html = html.replace("<head>", f'<head><base href="{settings.STATIC_URL}">', 1)
    response = HttpResponse(html)
    # The document carries its own <style> (the @page rules); allow it on this page only.
    response["Content-Security-Policy"] = (
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "script-src 'none'; frame-ancestors 'none'"
    )
    return response


@require_POST
@editor_required
def proposal_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the next version; first ask when contacts' links are still open to changes.

    Issuing closes the questionnaire to every contact: they are named on a confirmation
    page, and can be told by email, rather than finding a locked page later.
    """
    assessment = get_assessment_for(request, pk)
    open_links = invite_services.invites_open(assessment=assessment)
    if open_links and request.POST.get("confirm") != "1":
        return render(
            request,
            "proposals/issue_confirm.html",
            {
                "assessment": assessment,
                "open_links": open_links,
                "number": assessment.proposals.count() + 1,
            },
        )
    try:
        proposal = services.proposal_issue(
            assessment=assessment, user=request.user, actor=actor_for(request)
        )
    except ValidationError as exc:
        messages.error(request, f"Not issued: {' '.join(exc.messages)}")
        return redirect("proposals:proposal", pk=assessment.pk)
    messages.success(
        request,
        f"Version {proposal.number} issued and frozen. Its PDF is being rendered; the "
        "download appears here when it is ready.",
    )
    if open_links and request.POST.get("tell_contacts"):
        told = invite_services.invites_tell_closed(
            assessment=assessment, invites=open_links, by=request.user
        )
        missed = len(open_links) - told
        messages.info(
            request,
            f"Told {told} contact{'s' if told != 1 else ''} that the questionnaire is closed"
            + (
                f"; {missed} email{'s' if missed != 1 else ''} could not be sent."
                if missed
                else "."
            ),
        )
    return redirect("proposals:proposal", pk=assessment.pk)


@require_POST
@editor_required
def proposal_retry(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    proposal = _version(assessment, request.POST.get("version"))
    if services.is_retryable(proposal):
        services.proposal_retry(proposal=proposal)
        messages.info(request, f"Rendering version {proposal.number} again.")
    else:
        messages.info(request, f"Version {proposal.number} is not waiting for a retry.")
    return redirect("proposals:proposal", pk=assessment.pk)


@member_required()
def proposal_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored PDF of a version (``?version=N``, else the latest ready): never re-rendered."""
    assessment = get_assessment_for(request, pk)
    if request.GET.get("version"):
        proposal = _version(assessment, request.GET["version"])
    else:
        proposal = next((v for v in _versions(assessment) if v.is_ready), None)
        if proposal is None:
            # A bookmarked "latest proposal" link before anything was issued: say so.
            return render(request, "proposals/proposal_missing.html", {"assessment": assessment})
    if not proposal.is_ready:
        messages.info(request, f"Version {proposal.number} is not ready to download yet.")
        return redirect("proposals:proposal", pk=assessment.pk)
    try:
        data = services.proposal_pdf_bytes(proposal=proposal)
    except StorageUnavailable:
        logger.exception("File store did not serve proposal %s", proposal.pk)
        response = render(
            request,
            "proposals/proposal_missing.html",
            {"assessment": assessment, "unavailable": proposal},
            status=503,
        )
        response["Retry-After"] = "60"
        return response
    except (services.ProposalIntegrityError, FileNotFoundError, OSError):
        logger.exception("Stored PDF of proposal %s cannot be served", proposal.pk)
        return render(
            request,
            "proposals/proposal_missing.html",
            {"assessment": assessment, "broken": proposal},
            status=500,
        )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, proposal.filename)
    response["Content-Length"] = str(len(data))
    response["ETag"] = f'"{proposal.sha256}"'
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@member_required()
def proposal_compare(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    versions = _versions(assessment)
    context = {"assessment": assessment, "versions": versions, "diff": None}
    if request.GET.get("a") and request.GET.get("b"):
        old = _version(assessment, request.GET["a"])
        new = _version(assessment, request.GET["b"])
        if old.number > new.number:
            old, new = new, old
        context.update(old=old, new=new, diff=services.proposal_compare(old=old, new=new))
    elif len(versions) >= 2:
        context.update(default_a=versions[1].number, default_b=versions[0].number)
    return render(request, "proposals/proposal_compare.html", context)


def _annex(assessment, data) -> ProposalAnnex | None:
    """An annex file of this assessment (its tenant's, by the queryset), or 404.

    ``version`` and ``kind`` choose it; without a version, the latest version that has
    one; without a kind, the PDF when the version has one, else the workbook. ``None``
    when nothing has been issued yet (a bookmarked link).
    """
    annexes = ProposalAnnex.objects.filter(
        organisation=assessment.organisation_id, proposal__assessment=assessment
    ).select_related("proposal")
    if data.get("version"):
        annexes = annexes.filter(proposal=_version(assessment, data["version"]))
    kind = data.get("kind", "")
    if kind:
        if kind not in AnnexKind.values:
            raise Http404("No such annex file.")
        annexes = annexes.filter(kind=kind)
    return annexes.order_by("-proposal__number", "kind").first()  # "pdf" before "xlsx"


@member_required()
def proposal_annex_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A version's site annex (``?version=N&kind=pdf|xlsx``) as stored: never rendered again."""
    assessment = get_assessment_for(request, pk)
    annex = _annex(assessment, request.GET)
    if annex is None:
        if request.GET.get("version") or request.GET.get("kind"):
            raise Http404("No such annex file.")
        return render(request, "proposals/proposal_missing.html", {"assessment": assessment})
    if not annex.is_ready:
        messages.info(
            request,
            f"The {annex.get_kind_display()} of version {annex.proposal.number} is "
            "not ready to download yet.",
        )
        return redirect("proposals:proposal", pk=assessment.pk)
    try:
        data = services.annex_bytes(annex=annex)
    except (services.ProposalIntegrityError, FileNotFoundError, OSError):
        logger.exception("Stored annex %s cannot be served", annex.pk)
        return render(
            request,
            "proposals/proposal_missing.html",
            {"assessment": assessment, "broken": annex.proposal},
            status=500,
        )
    response = HttpResponse(data, content_type=annex.content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, annex.filename(annex.proposal)
    )
    response["Content-Length"] = str(len(data))
    response["ETag"] = f'"{annex.sha256}"'
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@editor_required
def proposal_annex_retry(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    annex = _annex(assessment, request.POST)
    if annex is None:
        raise Http404("No such annex file.")
    what = f"the {annex.get_kind_display()} of version {annex.proposal.number}"
    if services.is_retryable(annex):
        services.annex_retry(annex=annex)
        messages.info(request, f"Rendering {what} again.")
    else:
        messages.info(request, f"{what.capitalize()} is not waiting for a retry.")
    return redirect("proposals:proposal", pk=assessment.pk)


def _may_share(request: HttpRequest, assessment) -> bool:
    """Whether the member may share versions with the customer: its owner, or a manager."""
    membership = request.membership
    return bool(membership) and (
        membership.role in MANAGER_ROLES or assessment.owner_id == request.user.pk
    )


def _sharing(request: HttpRequest, assessment, **extra) -> dict:
    """The customer links part of the proposal page: the links, the form, who may share."""
    return {
        "links": list(links.links_of(assessment=assessment, user=request.user)),
        "may_share": _may_share(request, assessment),
        "link_form": extra.pop("link_form", None) or _link_form_for(assessment),
        **extra,
    }


def _link_form_for(assessment) -> ProposalLinkForm:
    customer = assessment.customer
    return ProposalLinkForm(
        initial={"contact_name": customer.contact_name, "email": customer.contact_email}
    )


@require_POST
@member_required()
def proposal_link_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Share the latest ready version with a named contact; the link is shown once, here."""
    assessment = get_assessment_for(request, pk)
    if not _may_share(request, assessment):
        raise PermissionDenied("Only the assessment's owner or a manager may share a proposal.")
    form = ProposalLinkForm(request.POST)
    shared, status = None, 400
    if form.is_valid():
        proposal = _version(assessment, request.POST.get("version"))
        try:
            shared = links.link_create(
                proposal=proposal,
                contact_name=form.cleaned_data["contact_name"],
                email=form.cleaned_data["email"],
                expires_at=links.link_expiry(form.cleaned_data["valid_days"]),
                actor=actor_for(request),
            )
        except (links.LinkRefused, ValidationError) as exc:
            form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            form, status = None, 200
    # Rendered, not redirected: the raw link exists only in this response (never a
    # message, which the session would keep).
    context = _page_context(request, assessment, link_form=form, shared=shared)
    return render(request, "proposals/proposal.html", context, status=status)


@require_POST
@member_required()
def proposal_link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop a customer link at once (asked first: a dialog with JavaScript, a page without)."""
    assessment = get_assessment_for(request, pk)
    link = links.link_of(
        assessment=assessment,
        user=request.user,
        pk=parse_int(request.POST.get("link", ""), minimum=1),
    )
    if link is None:
        raise Http404("No such link.")
    if not _may_share(request, assessment):
        raise PermissionDenied("Only the assessment's owner or a manager may revoke a link.")
    if request.POST.get("confirmed") != "yes":
        return render(
            request,
            "proposals/link_revoke_confirm.html",
            {"assessment": assessment, "link": link},
        )
    links.link_revoke(link=link, actor=actor_for(request))
    messages.success(request, f"The link of {link.contact_name} no longer works.")
    return redirect("proposals:proposal", pk=assessment.pk)


def _story(request: HttpRequest, assessment, **bound) -> dict:
    """The letter and steps part of the proposal page: the saved words, or the draft."""
    if not _may_share(request, assessment):
        return {"story_editable": False}
    row = services.story_of(assessment=assessment)
    drafted = bound.pop("drafted", None) or services.story_drafted(
        assessment=assessment, results=services.story_results(assessment=assessment)
    )
    steps = row.steps if row.steps is not None else drafted["steps"]
    rows = [*steps, *[{} for _ in range(BLANK_STEP_ROWS)]][: MAX_STEPS + BLANK_STEP_ROWS]
    return {
        "story_editable": True,
        "story_drafted": {"letter": not row.letter, "steps": row.steps is None},
        "story_form": bound.get("story_form")
        or StoryForm(initial={"version": row.version, "letter": row.letter or drafted["letter"]}),
        "step_forms": bound.get("step_forms")
        or StepFormSet(prefix="steps", initial=[dict(r) for r in rows]),
    }


@require_POST
@member_required()
def proposal_story(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the cover letter and next steps, or put the drafted ones back.

    Only the assessment's owner or a manager finds it (others get 404); a save over an
    older version is merged when it touches the other part, refused when the same one.
    """
    assessment = get_object_or_404(services.story_editable(user=request.user), pk=pk)
    form = StoryForm(request.POST)
    steps = StepFormSet(request.POST, prefix="steps")
    if request.POST.get("action") == "reset":
        version = parse_int(request.POST.get("version", ""), minimum=0) or 0
        try:
            services.story_reset(
                assessment=assessment, base_version=version, actor=actor_for(request)
            )
        except StaleEditError as exc:
            conflict_message(request, exc)
        else:
            messages.success(request, "The drafted letter and next steps are back.")
        return redirect(reverse("proposals:proposal", args=[assessment.pk]) + "#story")
    # The draft the form offered: text left as drafted stays "the draft" (nothing stored).
    drafted = services.story_drafted(
        assessment=assessment, results=services.story_results(assessment=assessment)
    )
    status = 400
    if form.is_valid() and steps.is_valid():
        values = [v for v in (f.value() for f in steps.forms) if v is not None]
        try:
            saved = services.story_update(
                assessment=assessment,
                base_version=form.cleaned_data["version"],
                letter=form.cleaned_data["letter"],
                steps=values,
                drafted=drafted,
                actor=actor_for(request),
            )
        except StaleEditError as exc:
            # The page again with the author's words on it, over the version now stored:
            # saving once more keeps them (the message says whose words they replace).
            conflict_message(request, exc)
            form = StoryForm(with_version(request.POST, "", exc.current_version))
            status = 409
        except ValidationError as exc:
            for name, problems in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            messages.success(
                request,
                "Letter and next steps saved; the next version issued prints them."
                if saved.changed
                else "Nothing had changed.",
            )
            return redirect(reverse("proposals:proposal", args=[assessment.pk]) + "#story")
    context = _page_context(request, assessment)
    context.update(_story(request, assessment, story_form=form, step_forms=steps, drafted=drafted))
    return render(request, "proposals/proposal.html", context, status=status)
