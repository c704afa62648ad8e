"""Reminder screens: the organisation's policy (admins) and a contact's "stop reminders" link."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from invites import reminders
from invites.access import _private
from invites.models import ReminderPolicy
from tenancy.permissions import ADMIN_ROLES, member_required


class ReminderPolicyForm(forms.ModelForm):
    """On or off, how many, how far apart; the model's limits give the messages."""

    class Meta:
        model = ReminderPolicy
        fields = ["enabled", "max_reminders", "days_apart"]
        help_texts = {
            "enabled": "Email invited contacts who have not submitted yet, with their link.",
            "max_reminders": "0 to 5 per contact; a re-sent link starts again from none.",
            "days_apart": "1 to 30 days after the invite or the previous reminder.",
        }
        error_messages = {
            "max_reminders": {
                "min_value": "Choose a number from 0 to 5.",
                "max_value": "At most 5 reminders: more would read as spam.",
                "invalid": "Type a whole number from 0 to 5.",
                "required": "Type a whole number from 0 to 5.",
            },
            "days_apart": {
                "min_value": "At least 1 day apart.",
                "max_value": "At most 30 days apart: later, the link has usually expired.",
                "invalid": "Type a whole number of days from 1 to 30.",
                "required": "Type a whole number of days from 1 to 30.",
            },
        }


@member_required(*ADMIN_ROLES)
def reminder_policy(request: HttpRequest) -> HttpResponse:
    """The organisation's reminder policy; a bad value is named beside its field, nothing saved."""
    organisation = request.organisation
    policy = reminders.policy_for(organisation)
    form = ReminderPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        reminders.policy_update(organisation=organisation, **form.cleaned_data)
        messages.success(request, "Reminder settings saved.")
        return redirect("invites:reminder-policy")
    return render(
        request,
        "invites/reminder_policy.html",
        {"organisation": organisation, "form": form, "saved": policy.pk is not None},
    )


def reminders_stop(request: HttpRequest, signed: str) -> HttpResponse:
    """A contact's "stop reminders" link: a page with a button; the button stops them.

    A GET changes nothing, because mail scanners open every link in an email; the POST is
    idempotent. A tampered, foreign or stale link gets a clear 404 page, never an error.
    """
    invite = reminders.stop_resolve(signed)
    if invite is None:
        return _private(
            render(request, "invite/reminders_stop.html", {"refused": True}, status=404)
        )
    stopped_now = False
    if request.method == "POST":
        stopped_now = reminders.reminders_stop(invite=invite, by="the contact")
    context = {
        "brand": invite.assessment.organisation,
        "invite": invite,
        "customer": invite.assessment.customer,
        "stopped": invite.reminders_stopped_at is not None,
        "stopped_now": stopped_now,
    }
    return _private(render(request, "invite/reminders_stop.html", context))
