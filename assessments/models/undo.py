"""What a destructive action took away, kept so the person who did it can take it back."""

from django.conf import settings
from django.db import models

from assessments.models.assessments import Assessment
from tenancy.models.querysets import OrganisationQuerySet


class UndoKind(models.TextChoices):
    SITE_DELETE = "site_delete", "Site removed"
    PROMOTE = "promote", "Scenario promoted"


class UndoQuerySet(OrganisationQuerySet):
    organisation_path = "assessment__organisation_id"

    def open(self) -> "UndoQuerySet":
        """Entries not taken back yet, newest first."""
        return self.filter(undone_at__isnull=True).order_by("-created_at", "-id")


class Undo(models.Model):
    """One removal or promotion that can be taken back, with what taking it back needs.

    ``payload`` for a removed site: ``{"rows": [serialised site, circuits and measurement
    records], "branches": [ids of sites that sent their traffic through it]}``; for a
    promotion: ``{"scenario": id, "writes": [{"type": "assessment" | "site", "id", "version":
    the version it left, "changed": {field: [old, new]}}, ...], "created": [site ids]}``.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="undos")
    kind = models.CharField(max_length=12, choices=UndoKind.choices)
    label = models.CharField(max_length=160, help_text="What is taken back, as people read it.")
    payload = models.JSONField(default=dict)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    objects = UndoQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.label
