"""URL routes of the staff side of customer invites."""

from django.urls import path

from invites.views import reminders
from invites.views import staff as invites

app_name = "invites"

urlpatterns = [
    path("assessments/<int:pk>/invites/", invites.invite_list, name="invites"),
    path("assessments/<int:pk>/invites/revoke/", invites.invite_revoke, name="invite-revoke"),
    path("assessments/<int:pk>/invites/resend/", invites.invite_resend, name="invite-resend"),
    path(
        "assessments/<int:pk>/invites/reminders/",
        invites.invite_reminders,
        name="invite-reminders",
    ),
    path("organisation/reminders/", reminders.reminder_policy, name="reminder-policy"),
    # The "stop reminders" link of a reminder email: no login, the signed value is the key.
    path("reminders/stop/<str:signed>/", reminders.reminders_stop, name="reminders-stop"),
    path("assessments/<int:pk>/reopen/", invites.assessment_reopen, name="assessment-reopen"),
]
