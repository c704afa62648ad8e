"""Staff side of customer invites: invite, revoke, re-send, reopen, stop reminders; the log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assessments.models import Status
from assessments.parsing import parse_int
from assessments.services.versioning import StaleEditError
from assessments.views.common import actor_for
from invites import reminders, services
from invites.forms import InviteForm
from invites.models import Invite
from invites.services import IssuedInvite
from tenancy.permissions import ADMIN_ROLES, editor_required, get_assessment_for


def _issued_message(request: HttpRequest, issued: IssuedInvite, verb: str) -> None:
    invite = issued.invite
    if issued.sent:
        messages.success(
            request,
            f"{verb} {invite.contact_name} <{invite.email}>: the link is in their inbox. "
            "You can also copy it below; it is shown only this once.",
        )
    else:
        messages.warning(
            request,
            f"The email to {invite.email} could not be sent ({issued.send_error}). Copy the "
            "link below and send it yourself; it is shown only this once.",
        )


def _page(request: HttpRequest, assessment, form: InviteForm, issued: IssuedInvite | None):
    can_edit = services.customer_can_edit(assessment)
    policy = reminders.policy_for(assessment.organisation)
    invites = list(services.invite_list(assessment=assessment))
    for invite in invites:
        invite.reminder = reminders.reminder_state(invite, policy, can_edit=can_edit)
    return render(
        request,
        "invites/invites.html",
        {
            "assessment": assessment,
            "form": form,
            "issued": issued,
            "invites": invites,
            "customer_can_edit": can_edit,
            "policy": policy,
            "is_admin": request.membership.role in ADMIN_ROLES,
        },
    )


@editor_required
def invite_list(request: HttpRequest, pk: int) -> HttpResponse:
    """List an assessment's invites; POST invites a contact and shows the link once."""
    assessment = get_assessment_for(request, pk)
    form = InviteForm(request.POST or None, initial={"contact_name": "", "email": ""})
    issued = None
    if request.method == "GET" and not request.GET:
        form = InviteForm(
            initial={
                "contact_name": assessment.customer.contact_name,
                "email": assessment.customer.contact_email,
            }
        )
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.invite_create(
                assessment=assessment,
                contact_name=form.cleaned_data["contact_name"],
                email=form.cleaned_data["email"],
                sections=form.cleaned_data["sections"],
                expires_at=form.expires_at(),
                actor=actor_for(request),
            )
        except (ValidationError, StaleEditError) as exc:
            form.add_error(None, str(exc))
        else:
            _issued_message(request, issued, "Invited")
            assessment.refresh_from_db()
            form = InviteForm()
    return _page(request, assessment, form, issued)


def _invite_of(request: HttpRequest, assessment) -> Invite:
    """The invite named in the POST body, looked up within the assessment (404 otherwise)."""
    pk = parse_int(request.POST.get("invite", ""), minimum=1)
    return get_object_or_404(Invite, pk=pk or 0, assessment=assessment)


@require_POST
@editor_required
def invite_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    invite = _invite_of(request, assessment)
    services.invite_revoke(invite=invite, actor=actor_for(request))
    messages.success(request, f"The link of {invite.contact_name} no longer works.")
    return redirect("invites:invites", pk=pk)


@require_POST
@editor_required
def invite_resend(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    invite = _invite_of(request, assessment)
    # A new link kills the old one: asked first (a dialog with JavaScript, this page without).
    if request.POST.get("confirmed") != "yes":
        return render(
            request, "invites/resend_confirm.html", {"assessment": assessment, "invite": invite}
        )
    issued = services.invite_resend(invite=invite, actor=actor_for(request))
    _issued_message(request, issued, "Sent a new link to")
    messages.info(request, "The previous link of this contact no longer works.")
    return _page(request, assessment, InviteForm(), issued)


@require_POST
@editor_required
def invite_reminders(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop or restart the reminders of one contact of the assessment."""
    assessment = get_assessment_for(request, pk)
    invite = _invite_of(request, assessment)
    actor = actor_for(request)
    if request.POST.get("action") == "restart":
        reminders.reminders_restart(invite=invite, actor=actor)
        messages.success(request, f"Reminders to {invite.contact_name} are on again.")
    else:
        reminders.reminders_stop(invite=invite, by=actor.label, actor=actor)
        messages.success(request, f"No more reminders go to {invite.contact_name}.")
    return redirect("invites:invites", pk=pk)


@require_POST
@editor_required
def assessment_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Give a submitted assessment back to the customer for changes."""
    assessment = get_assessment_for(request, pk)
    if assessment.status != Status.SUBMITTED:
        messages.error(request, "Only a submitted assessment can be reopened for the customer.")
        return redirect("assessments:assessment-detail", pk=pk)
    try:
        services.assessment_reopen(assessment=assessment, actor=actor_for(request))
    except (ValidationError, StaleEditError) as exc:
        messages.error(request, f"Not reopened: {exc}")
    else:
        messages.success(
            request, "Reopened: the customer's links work again and their answers can change."
        )
    return redirect("assessments:assessment-detail", pk=pk)
