"""A site list uploaded and parsed, waiting for the user to confirm it (preview → commit)."""

import uuid

from django.conf import settings
from django.db import models

from assessments.models.assessments import Assessment


class PendingSiteImport(models.Model):
    """The parsed rows of an uploaded file, kept server-side between preview and commit.

    Kept in the database rather than in memory or the session so any web process can
    serve the commit, and so the browser never sends the rows back (nothing to forge).
    Its uploader is a member (``user``) or a customer's invite link (``invite``): only that
    uploader may see it, one upload each per assessment. It is deleted on commit or
    discard, and stale ones are swept whenever someone uploads a new file.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="pending_imports"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE)
    # Named by its label: invites build on imports (the customer's upload uses this app's
    # services), so this app never imports the invites app.
    invite = models.ForeignKey(
        "invites.Invite", null=True, on_delete=models.CASCADE, related_name="pending_imports"
    )
    file_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=10)  # csv, xlsx, cqd
    # {"columns": [...], "rows": [{"line": n, "values": {...}}], "errors": [...], ...}
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Created by the assessments app before the apps were split: the table keeps its name.
        db_table = "assessments_pendingsiteimport"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["assessment", "user"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, invite__isnull=True)
                | models.Q(user__isnull=True, invite__isnull=False),
                name="pending_import_one_uploader",
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name} for {self.assessment_id}"
