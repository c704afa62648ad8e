"""Invite links that let a customer contact fill in parts of an assessment without an account."""

import hashlib

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from assessments.models.assessments import Assessment
from tenancy.models.base import LinkLifetime, TimeStamped
from tenancy.models.querysets import OrganisationQuerySet


class InviteSection(models.TextChoices):
    """The parts of the customer questionnaire an invite may open."""

    ORGANISATION = "organisation", "About your organisation"
    VOICE = "voice", "How you want to run voice"
    SITES = "sites", "Your sites"
    MEASUREMENTS = "measurements", "Network measurements"


def hash_invite_token(raw: str) -> str:
    """The stored form of an invite token: SHA-256 hex of the token as it appears in the URL."""
    return hashlib.sha256(raw.encode()).hexdigest()


class InviteQuerySet(OrganisationQuerySet):
    organisation_path = "assessment__organisation_id"


class Invite(LinkLifetime, TimeStamped):
    """A link for one customer contact to one assessment, limited to some sections.

    Only the SHA-256 of the token is stored: the raw token is in the emailed link and is
    shown to the sales engineer once. Re-sending replaces the hash, so the old link dies.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="invites")
    contact_name = models.CharField("Contact's name", max_length=120)
    email = models.EmailField("Contact's email")
    sections = models.JSONField(
        "What they fill in", default=list, help_text="InviteSection values this link opens."
    )
    expires_at = models.DateTimeField()
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invites_created",
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # Where the contact stopped: the same link resumes there on any device.
    last_step = models.CharField(max_length=40, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Reminders (see ReminderPolicy): how many went out since the link was last issued,
    # when the contact was last given the link (invite, re-send or reminder; empty on
    # invites older than reminders, which count from sent_at or created_at), and whether
    # the contact or the partner stopped them.
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_contacted_at = models.DateTimeField(null=True, blank=True)
    reminders_stopped_at = models.DateTimeField(null=True, blank=True)
    reminders_stopped_by = models.CharField(max_length=160, blank=True)

    objects = InviteQuerySet.as_manager()

    class Meta:
        # Created by the assessments app before the apps were split: the table keeps its name.
        db_table = "assessments_invite"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.contact_name} <{self.email}>"

    @property
    def actor_label(self) -> str:
        """How the contact appears in the activity log."""
        return f"{self.contact_name} (customer)"

    def section_labels(self) -> list[str]:
        """The invited sections as people read them, in questionnaire order."""
        return [label for value, label in InviteSection.choices if value in self.sections]


class SubmissionNotice(models.Model):
    """A customer submission the owner has not looked at yet (the dashboard's "new" badge)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="submission_notices"
    )
    invite = models.ForeignKey(Invite, null=True, blank=True, on_delete=models.SET_NULL)
    submitted_by = models.CharField(max_length=160)
    created_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Created by the assessments app before the apps were split: the table keeps its name.
        db_table = "assessments_submissionnotice"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["assessment", "seen_at"])]

    def __str__(self) -> str:
        return f"{self.assessment_id} submitted by {self.submitted_by}"


class ReminderPolicy(models.Model):
    """How an organisation reminds invited contacts who have not finished.

    Kept in the invites app (not on ``Organisation``) because it only means something to
    invites; an organisation without a row follows the defaults below.
    """

    DEFAULT_ENABLED = True
    DEFAULT_MAX_REMINDERS = 2
    DEFAULT_DAYS_APART = 3
    MAX_REMINDERS_LIMIT = 5
    MIN_DAYS_APART = 1

    organisation = models.OneToOneField(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="reminder_policy"
    )
    enabled = models.BooleanField("Send reminders", default=DEFAULT_ENABLED)
    max_reminders = models.PositiveSmallIntegerField(
        "At most this many reminders per contact",
        default=DEFAULT_MAX_REMINDERS,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_REMINDERS_LIMIT)],
    )
    days_apart = models.PositiveSmallIntegerField(
        "At least this many days apart",
        default=DEFAULT_DAYS_APART,
        validators=[MinValueValidator(MIN_DAYS_APART), MaxValueValidator(30)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Reminders of {self.organisation_id}"


class InviteReminder(models.Model):
    """One reminder emailed to a contact, with the link it carried.

    The raw token of an invite is never stored, so a reminder cannot repeat the first
    link: it carries a fresh token of its own that opens the same questionnaire. Only its
    SHA-256 is kept here; it works while the invite works (same expiry and revocation,
    read from the invite) and a re-send clears it, so a new link kills every older one.
    """

    invite = models.ForeignKey(Invite, on_delete=models.CASCADE, related_name="reminders")
    number = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()
    # Null once a re-send replaced the invite's links (the history stays for the staff page).
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)

    class Meta:
        ordering = ["invite", "number"]

    def __str__(self) -> str:
        return f"Reminder {self.number} of invite {self.invite_id}"
