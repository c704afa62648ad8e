"""Who changed what, when: the record behind conflict messages and the activity log."""

from django.apps import apps
from django.conf import settings
from django.db import models

from assessments.models.assessments import Assessment
from tenancy.models.organisations import Organisation


class Change(models.Model):
    """One saved edit of a versioned record (assessment, site, customer, organisation)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="changes")
    # Set for edits inside an assessment (its activity log); empty for customers and branding.
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    object_type = models.CharField(max_length=20)  # the model name: "assessment", "site", …
    object_id = models.PositiveBigIntegerField()
    object_label = models.CharField(max_length=160)
    version = models.PositiveIntegerField(help_text="The version this edit produced.")
    action = models.CharField(max_length=10, default="update")  # create, update, delete
    # {"field": [old, new]} in the values a person reads.
    fields = models.JSONField(default=dict)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_label = models.CharField(max_length=160, help_text="Who, as shown to people.")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "version"])]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.object_label} v{self.version}"

    @property
    def verb(self) -> str:
        """What was done, as a log line starts ("Added", "Re-issued", …)."""
        return ACTION_VERBS.get(self.action, "Changed")

    @property
    def subject_model(self) -> type[models.Model] | None:
        """The model of the changed record, found by its name in whichever app holds it."""
        return _models_by_name().get(self.object_type)


ACTION_VERBS = {
    "create": "Added",
    "delete": "Removed",
    "invite": "Invited",
    "revoke": "Revoked the link of",
    "resend": "Re-sent a link to",
    # Reminders to a contact who has not finished (invites/reminders.py).
    "remind": "Sent a reminder to",
    "remind-off": "Stopped reminders to",
    "remind-on": "Restarted reminders to",
    "issue": "Issued",
    "reissue": "Re-issued",
    # A proposal version shared with a customer contact, and what the customer decided.
    "share": "Shared",
    "accept": "Accepted",
    "changes": "Asked for changes to",
    "promote": "Promoted",
    "restore": "Restored",
    "undo": "Took back",
    "deactivate": "Deactivated",
    "reactivate": "Reactivated",
    # A grid action over many sites, logged once beside each site's own entry.
    "paste": "Pasted",
    "bulk": "Set in bulk",
}


def _models_by_name() -> dict[str, type[models.Model]]:
    """Every installed model by its model name (the log stores the name, not the app)."""
    return {model._meta.model_name: model for model in apps.get_models()}
